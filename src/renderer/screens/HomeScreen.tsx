// Renderer. ホーム: what Todoke is, who it files as (or the way to the first-run flow), what works
// today, what comes next.
import type { CertificateWarning } from '../../shared/domain.js';
import { Icon } from '../components/Icon.js';
import { warningKind, warningTitle } from '../warnings.js';
import { useMessages } from '../messages/index.js';
import { useIdentityStore } from '../stores/identity.js';
import { useUiStore } from '../stores/ui.js';

export function HomeScreen() {
  const m = useMessages();
  const show = useUiStore((s) => s.show);
  const load = useIdentityStore((s) => s.load);
  const identity = load.status === 'ready' ? load.identity : null;
  return (
    <div className="stack">
      <section className="panel panel--hero" aria-labelledby="home-welcome">
        <h2 id="home-welcome" className="panel__title panel__title--large">
          {m.home.welcome}
        </h2>
        <p className="lead">{m.home.lead}</p>
      </section>

      {load.status === 'ready' && (
        <section className={`panel feature${identity ? '' : ' feature--callout'}`} aria-labelledby="home-identity">
          <span className="feature__icon">
            <Icon name="user" size={24} />
          </span>
          <div className="feature__body">
            <h2 id="home-identity" className="feature__title">
              {identity ? m.home.identityTitle : m.home.setupTitle}
            </h2>
            <p className="muted">
              {identity ? m.home.identitySummary(identity.userId, identity.certificate.certificate.commonName) : m.home.setupBody}
            </p>
            {identity && identity.certificate.warnings.length > 0 && (
              // the first thing seen each day: a certificate about to stop working, with its way out
              <p className="home-warning" role="status">
                <Icon name="alert" size={16} />
                <span>{m.home.certificateNeedsAttention(warningTitle(warningKind(identity.certificate.warnings[0] as CertificateWarning), m))}</span>
              </p>
            )}
          </div>
          <button type="button" className="button button--primary" onClick={() => show('identity')}>
            {identity ? m.home.openIdentity : m.home.startSetup}
          </button>
        </section>
      )}
      {load.status === 'error' && (
        <section className="panel feature" aria-labelledby="home-identity">
          <span className="feature__icon">
            <Icon name="alert" size={24} />
          </span>
          <div className="feature__body">
            <h2 id="home-identity" className="feature__title">
              {m.home.identityTitle}
            </h2>
            <p className="muted">{m.home.identityLoadFailed}</p>
          </div>
          <button type="button" className="button" onClick={() => show('identity')}>
            {m.home.openIdentity}
          </button>
        </section>
      )}

      <section aria-labelledby="home-available" className="stack stack--tight">
        <h2 id="home-available" className="section-title">
          {m.home.availableNow}
        </h2>
        <div className="panel feature">
          <span className="feature__icon">
            <Icon name="certificate" size={24} />
          </span>
          <div className="feature__body">
            <h3 className="feature__title">{m.home.certificateCardTitle}</h3>
            <p className="muted">{m.home.certificateCardBody}</p>
          </div>
          <button type="button" className="button button--primary" onClick={() => show('certificates')}>
            {m.home.openCertificates}
          </button>
        </div>
      </section>

      <section aria-labelledby="home-coming" className="stack stack--tight">
        <h2 id="home-coming" className="section-title">
          {m.home.comingTitle}
        </h2>
        <ul className="panel coming-list">
          {[m.home.comingApply, m.home.comingCases, m.home.comingDocuments].map((text) => (
            <li key={text}>
              <span>{text}</span>
              <span className="chip">{m.nav.comingSoon}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

// Renderer. ホーム: what Todoke is, who it files as (or the way to the first-run flow), what works
// today, what comes next; the unpaid 電子納付 nearest their deadline, once there are any.
import type { ReactNode } from 'react';
import { Icon, type IconName } from '../components/Icon.js';
import { PaymentsDue } from '../components/PaymentsDue.js';
import { warningKind, warningTitle } from '../warnings.js';
import { useMessages } from '../messages/index.js';
import { useIdentityStore } from '../stores/identity.js';
import { useRouterStore } from '../stores/router.js';
import './HomeScreen.css';

export function HomeScreen() {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  const load = useIdentityStore((s) => s.load);
  const identity = load.status === 'ready' ? load.identity : null;
  const [firstWarning] = identity?.certificate.warnings ?? [];
  return (
    <div className="stack">
      <section className="panel panel--hero" aria-labelledby="home-welcome">
        <h2 id="home-welcome" className="panel__title panel__title--large">
          {m.home.welcome}
        </h2>
        <p className="lead">{m.home.lead}</p>
      </section>

      {load.status === 'ready' && (
        <FeatureCard
          id="home-identity"
          icon="user"
          title={identity ? m.home.identityTitle : m.home.setupTitle}
          callout={!identity}
          action={identity ? m.home.openIdentity : m.home.startSetup}
          onAction={() => navigate({ name: 'identity' })}
        >
          <p className="muted">{identity ? m.home.identitySummary(identity.userId, identity.certificate.certificate.commonName) : m.home.setupBody}</p>
          {firstWarning && (
            // the first thing seen each day: a certificate about to stop working, with its way out
            <p className="home-warning" role="status">
              <Icon name="alert" size={16} />
              <span>{m.home.certificateNeedsAttention(warningTitle(warningKind(firstWarning), m))}</span>
            </p>
          )}
        </FeatureCard>
      )}
      {load.status === 'error' && (
        <FeatureCard id="home-identity" icon="alert" title={m.home.identityTitle} quiet action={m.home.openIdentity} onAction={() => navigate({ name: 'identity' })}>
          <p className="muted">{m.home.identityLoadFailed}</p>
        </FeatureCard>
      )}

      {identity && <PaymentsDue headingLevel={2} hideWhenEmpty />}

      <section aria-labelledby="home-available" className="stack stack--tight">
        <h2 id="home-available" className="section-title">
          {m.home.availableNow}
        </h2>
        <FeatureCard icon="certificate" title={m.home.certificateCardTitle} level={3} action={m.home.openCertificates} onAction={() => navigate({ name: 'certificates' })}>
          <p className="muted">{m.home.certificateCardBody}</p>
        </FeatureCard>
      </section>

      <section aria-labelledby="home-coming" className="stack stack--tight">
        <h2 id="home-coming" className="section-title">
          {m.home.comingTitle}
        </h2>
        <ul className="panel coming-list">
          {[m.home.comingApply, m.home.comingCases].map((text) => (
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

/** One thing Todoke does, as a card: icon, title (with `id`, a section named by it), what it is, one action. */
function FeatureCard({
  id,
  icon,
  title,
  level = 2,
  callout = false,
  quiet = false,
  action,
  onAction,
  children,
}: {
  id?: string;
  icon: IconName;
  title: string;
  level?: 2 | 3;
  callout?: boolean;
  /** a secondary-looking action (the card reports a problem rather than offering something) */
  quiet?: boolean;
  action: string;
  onAction: () => void;
  children: ReactNode;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  const body = (
    <>
      <span className="feature__icon">
        <Icon name={icon} size={24} />
      </span>
      <div className="feature__body">
        <Heading id={id} className="feature__title">
          {title}
        </Heading>
        {children}
      </div>
      <button type="button" className={quiet ? 'button' : 'button button--primary'} onClick={onAction}>
        {action}
      </button>
    </>
  );
  const className = `panel feature${callout ? ' feature--callout' : ''}`;
  return id ? (
    <section className={className} aria-labelledby={id}>
      {body}
    </section>
  ) : (
    <div className={className}>{body}</div>
  );
}

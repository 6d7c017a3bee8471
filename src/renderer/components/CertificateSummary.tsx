// Renderer. A certificate in a few lines, for choosing one: holder, issuer, validity and, loudly,
// whatever the core warns about (expired, expiring within 30 days, not yet valid).
import type { CertificateDescription } from '../../shared/domain.js';
import { formatDateTime } from '../format.js';
import { useMessages } from '../messages/index.js';
import { warningKind } from '../warnings.js';
import { CertificateWarnings } from './CertificateWarnings.js';
import { Fact } from './Fact.js';

export function CertificateSummary({ description, title, note }: { description: CertificateDescription; title?: string; note?: string }) {
  const m = useMessages();
  const c = description.certificate;
  const kinds = description.warnings.map(warningKind);
  const status = kinds.includes('expired') ? 'expired' : kinds.includes('notYetValid') ? 'notYetValid' : 'valid';
  const statusText = { valid: m.certificate.statusValid, expired: m.certificate.statusExpired, notYetValid: m.certificate.statusNotYetValid }[status];
  return (
    <section className="cert-summary" aria-label={title ? `${title}: ${c.commonName}` : c.commonName}>
      <div className="cert-summary__header">
        <div>
          {title && <p className="eyebrow">{title}</p>}
          <p className="cert-summary__name">{c.commonName}</p>
          {note && <p className="muted cert-summary__note">{note}</p>}
        </div>
        <div className="cert-card__badges">
          <span className="badge">{m.certificate.source[description.source]}</span>
          <span className={`badge badge--${status === 'valid' ? 'success' : 'danger'}`}>{statusText}</span>
        </div>
      </div>
      <dl className="facts facts--compact">
        <Fact term={m.certificateSummary.issuer} className="break">
          {c.issuer}
        </Fact>
        <Fact term={m.certificateSummary.validity}>
          {m.certificate.validityRange(formatDateTime(c.notBefore, m), formatDateTime(c.notAfter, m))}
          <span className="muted">{m.dates.zoneNote}</span>
        </Fact>
      </dl>
      <CertificateWarnings warnings={description.warnings} />
    </section>
  );
}

// Renderer. A certificate in a few lines, for choosing one: holder, issuer, validity and, loudly,
// whatever the core warns about (expired, expiring within 30 days, not yet valid).
import type { CertificateDescription } from '../../shared/domain.js';
import { certificateFacts } from '../certificate-facts.js';
import { useMessages } from '../messages/index.js';
import { CertificateBadges } from './CertificateCard.js';
import { CertificateWarnings } from './CertificateWarnings.js';
import { Fact } from './Fact.js';
import './CertificateSummary.css';

export function CertificateSummary({ description, title, note }: { description: CertificateDescription; title?: string; note?: string }) {
  const m = useMessages();
  const facts = certificateFacts(description, m);
  return (
    <section className="cert-summary" aria-label={title ? `${title}: ${facts.name}` : facts.name}>
      <div className="cert-summary__header">
        <div>
          {title && <p className="eyebrow">{title}</p>}
          <p className="cert-summary__name">{facts.name}</p>
          {note && <p className="muted cert-summary__note">{note}</p>}
        </div>
        <CertificateBadges badges={facts.badges} />
      </div>
      <dl className="facts facts--compact">
        <Fact term={m.certificateSummary.issuer} className="break">
          {facts.issuer}
        </Fact>
        <Fact term={m.certificateSummary.validity}>
          {facts.validity}
          <span className="muted">{m.dates.zoneNote}</span>
        </Fact>
      </dl>
      <CertificateWarnings warnings={description.warnings} />
    </section>
  );
}

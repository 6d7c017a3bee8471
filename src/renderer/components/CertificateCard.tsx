// Renderer. What the filer needs to know about a certificate before signing with it.
import type { CertificateDescription } from '../../shared/domain.js';
import { certificateFacts, type CertificateBadge } from '../certificate-facts.js';
import { useMessages } from '../messages/index.js';
import { CertificateWarnings } from './CertificateWarnings.js';
import { Fact } from './Fact.js';
import './CertificateCard.css';

export function CertificateCard({ fileName, description }: { fileName: string; description: CertificateDescription }) {
  const m = useMessages();
  const facts = certificateFacts(description, m);
  return (
    <article className="panel cert-card" aria-labelledby="cert-card-name">
      <header className="cert-card__header">
        <div>
          <p className="eyebrow">{m.certificate.cardTitle}</p>
          <h2 id="cert-card-name" className="cert-card__name">
            {facts.name}
          </h2>
          <p className="muted cert-card__file">
            {m.certificate.file}: {fileName}
          </p>
        </div>
        <CertificateBadges badges={facts.badges} />
      </header>

      {description.warnings.length > 0 && (
        <section className="stack stack--tight" aria-label={m.certificate.warningsLabel}>
          <CertificateWarnings warnings={description.warnings} />
        </section>
      )}

      <dl className="facts">
        <Fact term={m.certificate.commonName}>{facts.name}</Fact>
        <Fact term={m.certificate.subject} className="break">
          {facts.subject}
        </Fact>
        <Fact term={m.certificate.issuer} className="break">
          {facts.issuer}
        </Fact>
        <Fact term={m.certificate.validity}>
          {facts.validity}
          <span className="muted">{m.dates.zoneNote}</span>
          {facts.validityEra && <span className="muted facts__sub">{facts.validityEra}</span>}
        </Fact>
        <Fact term={m.certificate.serialNumber} className="mono">
          {facts.serialNumber}
        </Fact>
        <Fact term={m.certificate.fingerprint} className="mono break fingerprint">
          {facts.fingerprintLines.map((line) => (
            <span key={line}>{line}</span>
          ))}
        </Fact>
        <Fact term={m.certificate.key}>{facts.key}</Fact>
      </dl>
    </article>
  );
}

/** Source, self-signed, and valid now or not: the card's and the summary's badges. */
export function CertificateBadges({ badges }: { badges: readonly CertificateBadge[] }) {
  return (
    <div className="cert-card__badges">
      {badges.map((b) => (
        <span key={b.text} className={b.tone === 'neutral' ? 'badge' : `badge badge--${b.tone}`}>
          {b.text}
        </span>
      ))}
    </div>
  );
}

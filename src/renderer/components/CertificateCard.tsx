// Renderer. What the filer needs to know about a certificate before signing with it.
import type { CertificateDescription } from '../../shared/domain.js';
import { formatDateTime, formatJapaneseEraDate, validityStatus } from '../format.js';
import { useMessages } from '../messages/index.js';
import { CertificateWarnings } from './CertificateWarnings.js';
import { Fact } from './Fact.js';

export function CertificateCard({ fileName, description, now }: { fileName: string; description: CertificateDescription; now: Date }) {
  const m = useMessages();
  const c = description.certificate;
  const status = validityStatus(c.notBefore, c.notAfter, now);
  const statusText = { valid: m.certificate.statusValid, expired: m.certificate.statusExpired, notYetValid: m.certificate.statusNotYetValid }[status];
  const eraFrom = formatJapaneseEraDate(c.notBefore, m);
  const eraTo = formatJapaneseEraDate(c.notAfter, m);
  return (
    <article className="panel cert-card" aria-labelledby="cert-card-name">
      <header className="cert-card__header">
        <div>
          <p className="eyebrow">{m.certificate.cardTitle}</p>
          <h2 id="cert-card-name" className="cert-card__name">
            {c.commonName}
          </h2>
          <p className="muted cert-card__file">
            {m.certificate.file}: {fileName}
          </p>
        </div>
        <div className="cert-card__badges">
          <span className="badge">{m.certificate.source[description.source]}</span>
          {c.selfIssued && <span className="badge">{m.certificate.selfIssued}</span>}
          <span className={`badge badge--${status === 'valid' ? 'success' : 'danger'}`}>{statusText}</span>
        </div>
      </header>

      {description.warnings.length > 0 && (
        <section className="stack stack--tight" aria-label={m.certificate.warningsLabel}>
          <CertificateWarnings warnings={description.warnings} />
        </section>
      )}

      <dl className="facts">
        <Fact term={m.certificate.commonName}>{c.commonName}</Fact>
        <Fact term={m.certificate.subject} className="break">
          {c.subject}
        </Fact>
        <Fact term={m.certificate.issuer} className="break">
          {c.issuer}
        </Fact>
        <Fact term={m.certificate.validity}>
          {m.certificate.validityRange(formatDateTime(c.notBefore, m), formatDateTime(c.notAfter, m))}
          <span className="muted">{m.dates.zoneNote}</span>
          {eraFrom && eraTo && <span className="muted facts__sub">{m.certificate.validityRange(eraFrom, eraTo)}</span>}
        </Fact>
        <Fact term={m.certificate.serialNumber} className="mono">
          {c.serialNumber}
        </Fact>
        <Fact term={m.certificate.fingerprint} className="mono break fingerprint">
          {fingerprintLines(c.fingerprintSha256).map((line) => (
            <span key={line}>{line}</span>
          ))}
        </Fact>
        <Fact term={m.certificate.key}>{m.certificate.keyDescription(c.keyType, c.keyBits)}</Fact>
      </dl>
    </article>
  );
}

/** 32 byte pairs in two lines of 16, so a person can compare them by eye with another listing. */
function fingerprintLines(fingerprint: string): string[] {
  const pairs = fingerprint.split(':');
  return pairs.length === 32 ? [pairs.slice(0, 16).join(':'), pairs.slice(16).join(':')] : [fingerprint];
}

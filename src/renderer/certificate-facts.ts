// Renderer. A certificate description from the core turned into the facts a person reads: the
// one place that does it, for the full card (証明書 screen) and the short summary (choosing a
// signer, the 利用者 details) alike. Pure: no DOM, no React.
import type { CertificateDescription } from '../shared/domain.js';
import { formatDateTime, formatJapaneseEraDate } from './format.js';
import type { Messages } from './messages/index.js';
import { warningKind } from './warnings.js';

export type CertificateStatus = 'valid' | 'expired' | 'notYetValid';

export interface CertificateBadge {
  text: string;
  tone: 'neutral' | 'success' | 'danger';
}

export interface CertificateFacts {
  name: string;
  status: CertificateStatus;
  /** where it came from, self-signed or not, and whether it is valid now */
  badges: CertificateBadge[];
  subject: string;
  issuer: string;
  /** in Japan time, e.g. 2025年1月1日 9:00 〜 2046年1月1日 8:59 */
  validity: string;
  /** the same range in 和暦, where the language uses it */
  validityEra: string | null;
  serialNumber: string;
  /** the SHA-256 fingerprint in lines a person can compare by eye */
  fingerprintLines: string[];
  key: string;
}

/**
 * Valid, expired or not yet valid as the core judged it when it described the certificate (its
 * warnings), so the renderer never disagrees with the core about the clock.
 */
export function certificateStatus(description: CertificateDescription): CertificateStatus {
  const kinds = description.warnings.map(warningKind);
  return kinds.includes('expired') ? 'expired' : kinds.includes('notYetValid') ? 'notYetValid' : 'valid';
}

export function certificateFacts(description: CertificateDescription, m: Messages): CertificateFacts {
  const c = description.certificate;
  const status = certificateStatus(description);
  const statusText = { valid: m.certificate.statusValid, expired: m.certificate.statusExpired, notYetValid: m.certificate.statusNotYetValid }[status];
  const badges: CertificateBadge[] = [{ text: m.certificate.source[description.source], tone: 'neutral' }];
  if (c.selfIssued) badges.push({ text: m.certificate.selfIssued, tone: 'neutral' });
  badges.push({ text: statusText, tone: status === 'valid' ? 'success' : 'danger' });
  const eraFrom = formatJapaneseEraDate(c.notBefore, m);
  const eraTo = formatJapaneseEraDate(c.notAfter, m);
  return {
    name: c.commonName,
    status,
    badges,
    subject: c.subject,
    issuer: c.issuer,
    validity: m.certificate.validityRange(formatDateTime(c.notBefore, m), formatDateTime(c.notAfter, m)),
    validityEra: eraFrom && eraTo ? m.certificate.validityRange(eraFrom, eraTo) : null,
    serialNumber: c.serialNumber,
    fingerprintLines: fingerprintLines(c.fingerprintSha256),
    key: m.certificate.keyDescription(c.keyType, c.keyBits),
  };
}

/** 32 byte pairs in two lines of 16, so a person can compare them by eye with another listing. */
export function fingerprintLines(fingerprint: string): string[] {
  const pairs = fingerprint.split(':');
  return pairs.length === 32 ? [pairs.slice(0, 16).join(':'), pairs.slice(16).join(':')] : [fingerprint];
}

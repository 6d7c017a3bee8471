// Main process. What a filer should hear about a signing certificate before using it. These are
// warnings, not errors: an expired certificate still signs when asked (e.g. to reproduce an old
// filing), the UI decides how loudly to say so.
import type { X509Certificate } from 'node:crypto';

export type CertificateWarningCode = 'CERT_EXPIRED' | 'CERT_NOT_YET_VALID' | 'CERT_EXPIRES_SOON';

export interface CertificateWarning {
  code: CertificateWarningCode;
  messageJa: string;
  message: string;
  /** ISO 8601 date the warning is about (notAfter, or notBefore for CERT_NOT_YET_VALID) */
  at: string;
  /** whole days until notAfter, for CERT_EXPIRES_SOON */
  daysLeft?: number;
}

/** A certificate expiring within this many days gets CERT_EXPIRES_SOON. */
export const EXPIRES_SOON_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

const jaDate = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long' });

export function certificateWarnings(cert: X509Certificate, now: Date): CertificateWarning[] {
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  const t = now.getTime();
  if (t < notBefore.getTime()) {
    return [
      {
        code: 'CERT_NOT_YET_VALID',
        messageJa: `この証明書はまだ有効になっていません（有効期間の開始は ${jaDate.format(notBefore)}）。パソコンの日付が正しいか、正しい証明書を選んだかを確かめてください。`,
        message: `certificate not valid before ${notBefore.toISOString()}`,
        at: notBefore.toISOString(),
      },
    ];
  }
  if (t > notAfter.getTime()) {
    return [
      {
        code: 'CERT_EXPIRED',
        messageJa: `この証明書は ${jaDate.format(notAfter)} に有効期限が切れています。期限切れの証明書で署名した申請は受け付けられません。新しい証明書を用意してください。`,
        message: `certificate expired on ${notAfter.toISOString()}`,
        at: notAfter.toISOString(),
      },
    ];
  }
  const daysLeft = Math.ceil((notAfter.getTime() - t) / DAY_MS);
  if (daysLeft <= EXPIRES_SOON_DAYS) {
    return [
      {
        code: 'CERT_EXPIRES_SOON',
        messageJa: `この証明書の有効期限は ${jaDate.format(notAfter)} です（あと ${daysLeft} 日）。期限が切れる前に証明書を更新してください。`,
        message: `certificate expires on ${notAfter.toISOString()} (${daysLeft} days left)`,
        at: notAfter.toISOString(),
        daysLeft,
      },
    ];
  }
  return [];
}

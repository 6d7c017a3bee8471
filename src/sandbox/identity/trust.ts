// Sandbox (Node). Whether a certificate the sandbox is asked to bind (証明書識別情報追加) leads to one
// of its trust anchors and is in force at the sandbox clock — the same policy the signature check
// applies to signers, so that an added certificate is one that could later sign a login. An anchor
// may be a CA or the end-entity certificate itself (how the e-Gov demo certificates are trusted,
// their CA certificate not being published).
import type { X509Certificate } from 'node:crypto';

const MAX_PATH = 8;

export type TrustVerdict = { trusted: true } | { trusted: false; reason: string };

function same(a: X509Certificate, b: X509Certificate): boolean {
  return a.raw.equals(b.raw);
}

function issues(issuer: X509Certificate, subject: X509Certificate): boolean {
  try {
    return issuer.ca && subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function timeValid(cert: X509Certificate, at: Date): boolean {
  return at.getTime() >= new Date(cert.validFrom).getTime() && at.getTime() <= new Date(cert.validTo).getTime();
}

function commonName(cert: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? cert.subject.replace(/\n/g, ', ');
}

export function judgeTrust(cert: X509Certificate, anchors: readonly X509Certificate[], at: Date): TrustVerdict {
  const path: X509Certificate[] = [cert];
  let current = cert;
  for (;;) {
    if (anchors.some((a) => same(a, current))) break;
    const issuer = anchors.find((a) => !path.some((p) => same(p, a)) && issues(a, current));
    if (!issuer) return { trusted: false, reason: `「${commonName(current)}」の発行者が信頼する認証局に見つかりません` };
    path.push(issuer);
    current = issuer;
    if (path.length > MAX_PATH) return { trusted: false, reason: '証明書チェーンが長すぎます' };
  }
  const stale = path.find((c) => !timeValid(c, at));
  if (stale) return { trusted: false, reason: `「${commonName(stale)}」の証明書は ${at.toISOString()} の時点で有効期間外です` };
  return { trusted: true };
}

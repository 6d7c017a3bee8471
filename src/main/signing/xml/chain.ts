// Main process. Does the signer's certificate lead to a certificate the user trusts? Path building over
// the KeyInfo certificates and the anchors, judged at one moment. No revocation: e-Gov v1 publishes
// no CRL we could reach, and the result is reported beside the signature check, never folded into it.
import type { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../../../shared/domain.js';
import { describeCertificate, validityAt } from '../certificate.js';

export interface ChainResult {
  /** null when no trust anchors were given */
  trusted: boolean | null;
  anchor?: CertificateInfo;
  reason?: string;
}

const MAX_PATH = 8;

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

function label(cert: X509Certificate): string {
  return describeCertificate(cert).commonName;
}

function judgeTimes(path: X509Certificate[], at: Date): string | null {
  for (const cert of path) {
    const state = validityAt(cert, at);
    if (state === 'expired') return `「${label(cert)}」の証明書は ${at.toISOString()} の時点で有効期限が切れています`;
    if (state === 'notYetValid') return `「${label(cert)}」の証明書は ${at.toISOString()} の時点でまだ有効になっていません`;
  }
  return null;
}

export function judgeChain(
  signer: X509Certificate,
  others: readonly X509Certificate[],
  anchors: readonly X509Certificate[] | undefined,
  at: Date,
): ChainResult {
  if (anchors === undefined || anchors.length === 0) return { trusted: null };
  const path: X509Certificate[] = [signer];
  let current = signer;
  while (path.length <= MAX_PATH) {
    const anchor = anchors.find((a) => same(a, current));
    if (anchor) {
      const timeProblem = judgeTimes(path, at);
      return timeProblem
        ? { trusted: false, anchor: describeCertificate(anchor), reason: timeProblem }
        : { trusted: true, anchor: describeCertificate(anchor) };
    }
    const notYetInPath = (c: X509Certificate) => !path.some((p) => same(p, c));
    const issuer =
      anchors.filter(notYetInPath).find((c) => issues(c, current)) ?? others.filter(notYetInPath).find((c) => issues(c, current));
    if (!issuer) {
      return {
        trusted: false,
        reason:
          current.subject === current.issuer
            ? `「${label(current)}」は信頼する証明書として登録されていない自己署名証明書です`
            : `「${label(current)}」の発行者の証明書が見つからないか、署名が一致しません`,
      };
    }
    path.push(issuer);
    current = issuer;
  }
  return { trusted: false, reason: `証明書チェーンが長すぎます（${MAX_PATH} 段まで）` };
}

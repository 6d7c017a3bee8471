// Sandbox (Node). Who signs the sandbox's 公文書: the bundled 官職 certificate of the sandbox's 官職 CA
// (assets/sandbox-pki/kanshoku-*), or — when the operator asks for a document that must fail — a
// signer made at run time: a 官職 certificate of the same CA whose validity has ended, or one from a
// throwaway CA that no trust bundle holds. All carry Japanese names in subjectAltName /
// issuerAltName, which 公文書署名検証 reads (REFERENCE §4.15).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { issueCertificate, type AltDirectoryName, type IssuedCertificate } from '../pki/issue.js';
import type { OfficialSigner } from './official-signature.js';

const asset = (name: string) => readFileSync(fileURLToPath(new URL(`../../../assets/sandbox-pki/${name}`, import.meta.url)), 'utf8');

/** The sandbox's 官職 CA certificate: the anchor 公文書署名検証 trusts. */
export const OFFICIAL_CA_CERT_FILE = fileURLToPath(new URL('../../../assets/sandbox-pki/kanshoku-ca.cert.pem', import.meta.url));

let bundled: { ca: IssuedCertificate; signer: OfficialSigner } | null = null;

function load(): { ca: IssuedCertificate; signer: OfficialSigner } {
  if (!bundled) {
    const caPem = asset('kanshoku-ca.cert.pem');
    const caKeyPem = asset('kanshoku-ca.key.pem');
    const ca: IssuedCertificate = { certificate: new X509Certificate(caPem), certificatePem: caPem, privateKey: createPrivateKey(caKeyPem), privateKeyPem: caKeyPem };
    bundled = {
      ca,
      signer: { key: createPrivateKey(asset('kanshoku-01.key.pem')), certificate: new X509Certificate(asset('kanshoku-01.cert.pem')), caCertificate: ca.certificate },
    };
  }
  return bundled;
}

export function officialCaCertificate(): X509Certificate {
  return load().ca.certificate;
}

export type OfficialSignerKind = 'bundled' | 'expired' | 'unknown-ca';

const DAY = 24 * 60 * 60 * 1000;
/** the Japanese name of the bundled 官職 CA (scripts/make-sandbox-pki.ts) */
const CA_NAME: AltDirectoryName = { country: 'JP', organization: 'Todoke サンドボックス', organizationalUnit: 'サンドボックス官職認証局' };
const SIGNER_NAME: AltDirectoryName = { country: 'JP', organization: 'Todoke サンドボックス', organizationalUnit: 'テスト省', commonName: 'テスト用官職証明書（期限切れ）' };

export function officialSigner(kind: OfficialSignerKind, now: Date): OfficialSigner {
  const { ca, signer } = load();
  if (kind === 'bundled') return signer;
  if (kind === 'expired') {
    // valid for a year that ended yesterday: expired at signing and now
    const ee = issueCertificate({
      subject: { country: 'JP', organization: 'Todoke Sandbox', organizationalUnit: '官職', commonName: 'Todoke Sandbox 官職 expired' },
      issuer: ca,
      ca: false,
      notBefore: new Date(now.getTime() - 366 * DAY),
      notAfter: new Date(now.getTime() - DAY),
      subjectAltDirectoryName: SIGNER_NAME,
      issuerAltDirectoryName: CA_NAME,
    });
    return { key: ee.privateKey, certificate: ee.certificate, caCertificate: ca.certificate };
  }
  const strangerName: AltDirectoryName = { country: 'JP', organization: '不明な発行者', organizationalUnit: '信頼されていない認証局' };
  const notBefore = new Date(now.getTime() - DAY);
  const notAfter = new Date(now.getTime() + 365 * DAY);
  const stranger = issueCertificate({
    subject: { country: 'JP', organization: 'Unknown', commonName: 'Untrusted 官職 CA' },
    ca: true,
    notBefore,
    notAfter,
    subjectAltDirectoryName: strangerName,
    issuerAltDirectoryName: strangerName,
  });
  const ee = issueCertificate({
    subject: { country: 'JP', organization: 'Unknown', commonName: 'Untrusted 官職 01' },
    issuer: stranger,
    ca: false,
    notBefore,
    notAfter,
    subjectAltDirectoryName: { ...strangerName, commonName: '信頼されていない官職' },
    issuerAltDirectoryName: strangerName,
  });
  return { key: ee.privateKey, certificate: ee.certificate, caCertificate: stranger.certificate };
}

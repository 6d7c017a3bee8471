// Main process. Reading X.509 certificates in the forms filers actually have (PEM with or without
// "Bag Attributes" headers, DER .cer) and describing them for people.
import { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../../shared/domain.js';
import { SigningError } from './errors.js';

export type ValidityState = 'valid' | 'expired' | 'notYetValid';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in `bytes`: PEM blocks (anything between them ignored) or one DER. */
export function parseCertificates(bytes: Buffer): X509Certificate[] {
  const text = bytes.toString('latin1');
  const blocks = text.match(PEM_CERT);
  try {
    if (blocks) return blocks.map((b) => new X509Certificate(b));
    if (bytes[0] === 0x30) return [new X509Certificate(bytes)];
  } catch (cause) {
    throw certFormatError(cause);
  }
  throw certFormatError();
}

export function parseCertificate(bytes: Buffer): X509Certificate {
  const [first] = parseCertificates(bytes);
  if (!first) throw certFormatError();
  return first;
}

export function certificateFromBase64(b64: string): X509Certificate {
  const der = Buffer.from(b64.replace(/\s+/g, ''), 'base64');
  try {
    return new X509Certificate(der);
  } catch (cause) {
    throw certFormatError(cause);
  }
}

/** Node writes distinguished names one RDN per line; people read them comma-separated. */
export function formatName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

export function describeCertificate(cert: X509Certificate): CertificateInfo {
  const subject = formatName(cert.subject);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
  const details = cert.publicKey.asymmetricKeyDetails;
  return {
    subject,
    issuer: formatName(cert.issuer),
    commonName: cn ?? subject,
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    fingerprintSha256: cert.fingerprint256,
    keyType: cert.publicKey.asymmetricKeyType ?? 'unknown',
    keyBits: details?.modulusLength ?? null,
    selfIssued: cert.subject === cert.issuer,
  };
}

export function validityAt(cert: X509Certificate, at: Date): ValidityState {
  if (at.getTime() < new Date(cert.validFrom).getTime()) return 'notYetValid';
  if (at.getTime() > new Date(cert.validTo).getTime()) return 'expired';
  return 'valid';
}

function certFormatError(cause?: unknown): SigningError {
  return new SigningError(
    'CERT_FORMAT',
    {
      ja: '証明書ファイルを読み取れませんでした。PEM 形式または DER 形式（.cer / .crt / .pem）の証明書を選んでください。',
      en: 'not a PEM or DER X.509 certificate',
    },
    cause === undefined ? {} : { cause },
  );
}

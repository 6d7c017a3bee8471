// Sandbox (Node). A certificate as the identity tables know it: by the SHA-256 of its DER.
import { createHash, X509Certificate } from 'node:crypto';
import type { CertificateRecord } from '../state/identity-store.js';

export function certificateRecord(cert: X509Certificate): CertificateRecord {
  return {
    fingerprint: createHash('sha256').update(cert.raw).digest('hex'),
    der: Buffer.from(cert.raw),
    subject: cert.subject.split('\n').filter(Boolean).join(', '),
    serialNumber: cert.serialNumber.toUpperCase(),
    notAfter: new Date(cert.validTo).toISOString(),
  };
}

/** Parses DER bytes; null when they are not one X.509 certificate. */
export function parseDerCertificate(der: Buffer): X509Certificate | null {
  try {
    const cert = new X509Certificate(der);
    // X509Certificate accepts trailing garbage after the DER; the sandbox does not.
    return cert.raw.length === der.length ? cert : null;
  } catch {
    return null;
  }
}

// Main process (core). `certificate.describe`: what is in the certificate file the filer chose.
// PEM and DER certificates are read directly; a PKCS#12 bundle is opened with its password the
// same way signing opens it (so a wrong password fails here first) and closed right after.
import type { X509Certificate } from 'node:crypto';
import type { OperationArgs } from '../../shared/contract.js';
import type { CertificateDescription, CertificateSource, CertificateWarning } from '../../shared/domain.js';
import { describeCertificate, parseCertificate } from '../signing/certificate.js';
import { openPkcs12 } from '../signing/file-signer.js';
import type { Signer } from '../signing/signer.js';
import { certificateWarnings } from '../signing/warnings.js';
import { passwordRequired } from './errors.js';

export interface CertificateFileDeps {
  now(): Date;
  openPkcs12(bytes: Buffer, password: string): Signer | Promise<Signer>;
  warnings(cert: X509Certificate, now: Date): readonly CertificateWarning[];
}

const PKCS12_NAME = /\.(p12|pfx)$/i;
const PEM_MARKER = '-----BEGIN CERTIFICATE-----';

export function isPkcs12FileName(fileName: string): boolean {
  return PKCS12_NAME.test(fileName);
}

export async function describeCertificateFile(
  args: OperationArgs<'certificate.describe'>,
  deps: Partial<CertificateFileDeps> & Pick<CertificateFileDeps, 'now'>,
): Promise<CertificateDescription> {
  const open = deps.openPkcs12 ?? openPkcs12;
  const warnings = deps.warnings ?? certificateWarnings;
  const bytes = Buffer.from(args.dataBase64, 'base64');
  if (isPkcs12FileName(args.fileName)) {
    if (args.password === undefined) throw passwordRequired(args.fileName);
    const signer = await open(bytes, args.password);
    try {
      return describe(signer.certificate, 'pkcs12', warnings, deps.now());
    } finally {
      await signer.close();
    }
  }
  // The same test parseCertificates uses to pick PEM over DER.
  const source: CertificateSource = bytes.includes(PEM_MARKER) ? 'pem' : 'der';
  return describe(parseCertificate(bytes), source, warnings, deps.now());
}

/** The certificate in an uploaded file: PEM or DER as they are, a PKCS#12 opened with its password. */
export async function certificateFromUpload(
  args: { fileName: string; dataBase64: string; password?: string },
  open: CertificateFileDeps['openPkcs12'] = openPkcs12,
): Promise<{ certificate: X509Certificate; source: CertificateSource }> {
  const bytes = Buffer.from(args.dataBase64, 'base64');
  if (!isPkcs12FileName(args.fileName)) return { certificate: parseCertificate(bytes), source: bytes.includes(PEM_MARKER) ? 'pem' : 'der' };
  if (args.password === undefined) throw passwordRequired(args.fileName);
  const signer = await open(bytes, args.password);
  try {
    return { certificate: signer.certificate, source: 'pkcs12' };
  } finally {
    await signer.close();
  }
}

export function describeWithWarnings(cert: X509Certificate, source: CertificateSource, at: Date, warnings: CertificateFileDeps['warnings'] = certificateWarnings): CertificateDescription {
  return describe(cert, source, warnings, at);
}

function describe(cert: X509Certificate, source: CertificateSource, warnings: CertificateFileDeps['warnings'], at: Date): CertificateDescription {
  return {
    certificate: describeCertificate(cert),
    // Copied field by field: only what the contract promises crosses to the renderer.
    warnings: warnings(cert, at).map(({ code, messageJa, message }) => ({ code, messageJa, message })),
    source,
  };
}

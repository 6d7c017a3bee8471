// Main process (core). Certificate files the filer chose in the UI, which arrive as base64 bytes:
// decoded and told apart in one place (decodeUpload), read into a certificate for
// `certificate.describe` and for adding or deleting a certificate of the 利用者ID. PEM and DER
// certificates are read directly; a PKCS#12 bundle is opened with its password the same way
// signing opens it (so a wrong password fails here first) and closed right after.
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
  const { certificate, source } = await certificateFromUpload(args, deps.openPkcs12 ?? openPkcs12);
  return describe(certificate, source, deps.warnings ?? certificateWarnings, deps.now());
}

/** A certificate file as the UI sends it (contract.ts): its name, its bytes in base64, a password for PKCS#12. */
export interface UploadedFile {
  fileName: string;
  dataBase64: string;
  password?: string;
}

export interface DecodedUpload {
  bytes: Buffer;
  /** PKCS#12 by its name (.p12 / .pfx), as the UI decides whether to ask for a password; else PEM or DER by content */
  format: 'pkcs12' | 'pem' | 'der';
}

/** The one place an uploaded certificate file is decoded and told apart; the contract has checked the base64 and its size. */
export function decodeUpload(upload: Pick<UploadedFile, 'fileName' | 'dataBase64'>): DecodedUpload {
  const bytes = Buffer.from(upload.dataBase64, 'base64');
  // The same test parseCertificates uses to pick PEM over DER.
  const format = isPkcs12FileName(upload.fileName) ? 'pkcs12' : bytes.includes(PEM_MARKER) ? 'pem' : 'der';
  return { bytes, format };
}

/** The certificate in an uploaded file: PEM or DER as they are, a PKCS#12 opened with its password and closed again. */
export async function certificateFromUpload(
  upload: UploadedFile,
  open: CertificateFileDeps['openPkcs12'] = openPkcs12,
): Promise<{ certificate: X509Certificate; source: CertificateSource }> {
  const { bytes, format } = decodeUpload(upload);
  if (format !== 'pkcs12') return { certificate: parseCertificate(bytes), source: format };
  if (upload.password === undefined) throw passwordRequired(upload.fileName);
  const signer = await open(bytes, upload.password);
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

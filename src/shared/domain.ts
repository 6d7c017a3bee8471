// Runs in every process. The things a filer works with, in the words of GLOSSARY.md, as they
// travel between the core and the UI. Types only: nothing here exists at run time.
import type { CertificateInfo } from '../main/signing/certificate.js';

// The certificate's description is defined once, where it is produced (the signing module), and
// re-exported here so the UI never imports from src/main. Type-only: erased from every bundle.
export type { CertificateInfo };

/** Which host runs the core: the desktop app, or the browser harness used by end-to-end tests. */
export type HostKind = 'electron' | 'harness';

export interface AppInfo {
  version: string;
  /** Node's `process.platform` of the core (`win32`, `darwin`, `linux`, ...) */
  platform: string;
  host: HostKind;
}

/** How a certificate file was read: PEM text, one DER certificate, or a PKCS#12 (.p12/.pfx) bundle. */
export type CertificateSource = 'pem' | 'der' | 'pkcs12';

/** Something the filer should know before signing with a certificate (expired, expiring soon, ...). */
export interface CertificateWarning {
  /** `CERT_EXPIRED`, `CERT_NOT_YET_VALID`, `CERT_EXPIRES_SOON` (src/main/signing/warnings.ts) */
  code: string;
  messageJa: string;
  /** English, as ErrorPayload.message */
  message: string;
}

export interface CertificateDescription {
  certificate: CertificateInfo;
  warnings: CertificateWarning[];
  source: CertificateSource;
}

/** A message from the core to the person at the screen, not tied to an operation they started. */
export interface AppNotice {
  level: 'info' | 'warning' | 'error';
  code: string;
  message: string;
  messageJa: string;
}

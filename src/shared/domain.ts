// Runs in every process. The things a filer works with, in the words of GLOSSARY.md, as they
// travel between the core and the UI. Types only: nothing here exists at run time.

/** An X.509 certificate described for people (produced by src/main/signing/certificate.ts). */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** the CN of the subject, or the whole subject when it has no CN */
  commonName: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  fingerprintSha256: string;
  keyType: string;
  keyBits: number | null;
  selfIssued: boolean;
}

/** Which host runs the core: the desktop app, or the browser harness used by end-to-end tests. */
export type HostKind = 'electron' | 'harness';

export interface AppInfo {
  version: string;
  /** Node's `process.platform` of the core (`win32`, `darwin`, `linux`, ...) */
  platform: string;
  host: HostKind;
}

/** Where a certificate was read from: PEM text, one DER certificate, a PKCS#12 (.p12/.pfx) bundle, or an IC card / token. */
export type CertificateSource = 'pem' | 'der' | 'pkcs12' | 'pkcs11';

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

/**
 * The core's process as its host sees it. `running` in-process (CLI, tests) and while the core host
 * is up; `restarting` after it died (what was in flight failed with CORE_CRASHED); `failed` when it
 * could not be started: nothing runs until the person asks for a retry (`core.restart`).
 */
export interface CoreStatus {
  state: 'starting' | 'running' | 'restarting' | 'failed';
  /** how many times the core host was restarted after dying in this run */
  restarts: number;
  /** why it is not running (state restarting or failed), or why it last died */
  problem: { code: string; message: string; messageJa: string } | null;
  /** ISO time of the next automatic restart (state restarting) */
  nextStartAt: string | null;
}

/** A message from the core to the person at the screen, not tied to an operation they started. */
export interface AppNotice {
  level: 'info' | 'warning' | 'error';
  code: string;
  message: string;
  messageJa: string;
}

// ---------------------------------------------------------------------------------------------
// Identity: 利用者ID, the certificate that signs for it, the endpoint, the access key

/** Where the filer's requests go: the sandbox built into Todoke, or an e-Gov endpoint they name. */
export type EnvironmentKind = 'sandbox' | 'custom';

export interface EnvironmentView {
  kind: EnvironmentKind;
  /** `https://host/shinsei/1/` (the sandbox: its loopback address of this run) */
  baseUrl: string;
  softwareId: string;
  /** Basic authentication user name, when the endpoint needs one (the password is never shown) */
  basicAuthUser: string | null;
  /** an extra CA certificate is trusted for this endpoint's TLS */
  customCa: boolean;
}

/** How the certificate is reached. Never holds a password or a PIN. */
export type SignerView =
  | { kind: 'file'; fileName: string }
  | { kind: 'pkcs11'; modulePath: string; tokenLabel: string; tokenSerial: string; certId: string };

export interface AccessKeyView {
  /** a key is held (it may still be refused by e-Gov, which then triggers a new login) */
  held: boolean;
  /** ISO 8601; null when no key is held */
  obtainedAt: string | null;
  /** false when the key lives in memory only (no safe place to keep it on this machine) */
  persisted: boolean;
}

export interface LastAuthenticationView {
  /** ISO 8601: when this app last logged in */
  loggedInAt: string;
  /** LastAuthenticationDate exactly as e-Gov sent it (the authentication before that login) */
  lastAuthenticationDate: string;
}

export interface IdentityView {
  profileName: string;
  environment: EnvironmentView;
  userId: string;
  signer: SignerView;
  certificate: CertificateDescription;
  lastAuthentication: LastAuthenticationView | null;
  key: AccessKeyView;
}

export interface IdentityStatus {
  /** null until the first-run flow has finished (register or log in) */
  identity: IdentityView | null;
  /** the built-in sandbox can be used on this host */
  sandboxAvailable: boolean;
}

/** One IC card / token as a PKCS#11 module reports it. */
export interface TokenView {
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  pinCountLow: boolean;
  pinFinalTry: boolean;
  pinLocked: boolean;
}

export interface TokenCertificateView {
  /** hex CKA_ID */
  id: string;
  label: string;
  description: CertificateDescription;
}

/** What changed at e-Gov after an add / update / delete of a 証明書識別情報. */
export interface CertificateChangeView {
  identity: IdentityView;
  /** the certificate added, the new one after an update, or the one deleted */
  certificate: CertificateDescription;
}

/** The core asks the person for a secret (a token PIN or a certificate file password). */
export interface CredentialRequest {
  requestId: string;
  kind: 'pin' | 'password';
  /** the token label, or the certificate file name */
  subject: string;
  /** 1 for the first prompt, +1 after each rejected secret */
  attempt: number;
  previousError: 'PIN_INCORRECT' | 'PIN_LEN_RANGE' | 'BAD_PASSWORD' | null;
  pinCountLow: boolean;
  pinFinalTry: boolean;
  /** what the secret is for, e.g. 'login', 'register', 'certificate.update' */
  purpose: CredentialPurpose;
}

/** `sign.kousei`: signing the kousei.xml of 申請データ before a 一括申請 */
export type CredentialPurpose = 'register' | 'login' | 'certificate.add' | 'certificate.update' | 'certificate.delete' | 'sign.kousei';

/**
 * A test-only certificate bundled for training on the built-in sandbox (assets/sandbox-pki). Its
 * key and password are public; the sandbox is the only place that accepts it.
 */
export interface TrainingCertificate {
  fileName: string;
  /** the holder's name as the certificate says (e.g. 山田 太郎) */
  commonName: string;
  /** what it is for in training: the first certificate, its renewal, a second person */
  role: 'first' | 'renewal' | 'second';
  dataBase64: string;
  password: string;
}

/** One finding of the 申請データ check (REFERENCE §5), as the screen shows it. */
export interface ApplicationProblemView {
  severity: 'error' | 'warning';
  /** a stable code (src/main/application/problems.ts) */
  code: string;
  /** the application folder the problem is in; absent for problems of the batch as a whole */
  folder?: string;
  /** the file inside the folder (or the ZIP entry) */
  file?: string;
  /** 1-based, when known */
  line?: number;
  /** 1-based, in characters, when known */
  column?: number;
  messageJa: string;
  message: string;
}

/** One application folder as it was read: its name, its 手続ID (null when the name breaks the rule) and its files. */
export interface ApplicationFolderView {
  folder: string;
  procedureId: string | null;
  /** kousei.xml first, then the other files in name order */
  files: string[];
}

/** What `application.check` answers: the applications read, every problem found, and the counts. */
export interface ApplicationCheckView {
  /** true when there is no error (warnings allowed) */
  ok: boolean;
  /** a ZIP or folders, and the names (not the full paths) of what was chosen */
  source: { kind: 'folders' | 'zip'; names: string[] };
  applications: ApplicationFolderView[];
  problems: ApplicationProblemView[];
  errors: number;
  warnings: number;
}

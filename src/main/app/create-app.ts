// Main process (core). The application: one implementation of every operation in contract.ts,
// with no Electron in sight, so the desktop app, the web harness and tests run the same code.
import type { Envelope } from '../../shared/contract.js';
import type { HostKind } from '../../shared/domain.js';
import type { ClientTuning, SandboxProvider } from '../identity/endpoint.js';
import { IdentityService } from '../identity/service.js';
import { DEFAULT_PROFILE } from '../profiles/profile.js';
import { ProfileStore } from '../profiles/profile-store.js';
import { FileSecretStore, type SecretStore } from '../profiles/secret-store.js';
import { applicationHandlers } from './application.js';
import { createCases, type CasesPace } from './cases.js';
import { describeCertificateFile, type CertificateFileDeps } from './certificates.js';
import { createCredentialBroker, type CredentialBroker } from './credentials.js';
import { createDispatcher, type Handlers } from './dispatch.js';
import { createEventHub, type EventHub } from './events.js';
import { createFiling, type FilingDeps } from './filing.js';
import { identityHandlers } from './identity.js';
import { profileDatabase } from './profile-database.js';
import { readTrainingCertificates } from './training.js';
import { createNotices } from './notices.js';
import { createWithdrawals } from './withdrawals.js';
import { createAmendments } from './amendments.js';
import { createPayments } from './payments.js';
import type { PaymentWindows } from '../../shared/payment.js';

export interface AppDeps {
  host: HostKind;
  version: string;
  /** defaults to `process.platform` */
  platform?: string;
  /** the clock certificate warnings are computed against; defaults to the system clock */
  now?: () => Date;
  /** hears about failures that are bugs; defaults to console.error */
  onUnexpected?: (operation: string, error: unknown) => void;
  /** replaces how certificate files are opened (tests); defaults to the signing module */
  certificates?: Partial<CertificateFileDeps>;
  /** the folder of profiles (<home>/profiles/<name>): $TODOKE_HOME for every host (src/main/profiles/home.ts) */
  home: string;
  /** which profile this app acts as; default `default` */
  profileName?: string;
  /** the secret store of a profile folder; default owner-only files (Electron passes safeStorage) */
  secrets?: (profileDir: string) => SecretStore;
  /** the built-in sandbox; absent where it cannot run */
  sandbox?: SandboxProvider;
  /** the folder of the bundled training certificates (assets/sandbox-pki); offered only with a sandbox */
  trainingCertificatesDir?: string;
  /** how long a PIN / password prompt waits for an answer */
  credentialTimeoutMs?: number;
  /** timeouts of e-Gov calls */
  client?: ClientTuning;
  /** the pace at which sent batches are followed (tests); default 1, 2, 5, 10 s then every 15 s */
  follow?: FilingDeps['follow'];
  /** recover the outbox, follow sent batches and start the case sync at start (default true; false for tests that drive it: the case sync then starts at its first use) */
  resumeFiling?: boolean;
  /** the pace of the background case sync (tests); default every 15 minutes */
  poll?: CasesPace;
  /** prints a sanitised HTML document to PDF with the host's Chromium; absent where there is none (CLI) */
  printPdf?: (html: string) => Promise<Buffer>;
  /** opens the locked 電子納付 hand-off window; absent where there is none (CLI) */
  paymentWindows?: PaymentWindows;
}

export interface App {
  readonly handlers: Handlers;
  /** Validates and runs one operation; never throws. */
  dispatch(name: unknown, rawArgs: unknown): Promise<Envelope<unknown>>;
  readonly events: EventHub;
  readonly identity: IdentityService;
  readonly credentials: CredentialBroker;
  /** resolves once the outbox has been recovered and the case sync started (or found nothing to do) */
  readonly started: Promise<void>;
  /** stops following batches and the case sync, and closes the store */
  close(): void;
}

const RUNNING = Object.freeze({ state: 'running', restarts: 0, problem: null, nextStartAt: null } as const);

export function createApp(deps: AppDeps): App {
  const now = deps.now ?? (() => new Date());
  const platform = deps.platform ?? process.platform;
  const events = createEventHub();
  const credentials = createCredentialBroker(events, deps.credentialTimeoutMs !== undefined ? { timeoutMs: deps.credentialTimeoutMs } : {});
  const profiles = new ProfileStore(deps.home);
  let handlersReady: Handlers | null = null;
  const identity = new IdentityService({
    profiles,
    profileName: deps.profileName ?? DEFAULT_PROFILE,
    secrets: deps.secrets ?? ((dir) => new FileSecretStore(dir)),
    ask: (request) => credentials.ask(request),
    ...(deps.sandbox ? { sandbox: deps.sandbox } : {}),
    now,
    ...(deps.client ? { client: deps.client } : {}),
    onChange: () => {
      // a change made in the background (a re-login during a later call) reaches the UI too
      void handlersReady?.['identity.status']({}).then(
        (payload) => events.emit({ name: 'identity.changed', payload }),
        () => undefined,
      );
    },
  });
  const onUnexpected = deps.onUnexpected ?? ((operation, error) => console.error(`operation ${operation} failed unexpectedly`, error));
  // one database of the profile for filing and cases, opened at the first need
  const database = profileDatabase(deps.home, deps.profileName ?? DEFAULT_PROFILE);
  // what every use case of the profile is built from
  const profile = { profileName: deps.profileName ?? DEFAULT_PROFILE, profiles, identity, database, events, onUnexpected };
  const ask = (request: Parameters<typeof credentials.ask>[0]) => credentials.ask(request);
  const filing = createFiling({ ...profile, home: deps.home, ask, now, ...(deps.follow ? { follow: deps.follow } : {}) });
  const cases = createCases({ ...profile, home: deps.home, now, ...(deps.poll ? { poll: deps.poll } : {}) });
  const withdrawals = createWithdrawals({ ...profile, ask, now });
  const notices = createNotices({
    ...profile,
    home: deps.home,
    now,
    sandboxPkiDir: deps.sandbox && deps.trainingCertificatesDir !== undefined ? deps.trainingCertificatesDir : null,
    ...(deps.printPdf ? { printPdf: deps.printPdf } : {}),
  });
  const amendments = createAmendments({ ...profile, ask, now });
  const payments = createPayments({ ...profile, now, ...(deps.paymentWindows ? { paymentWindows: deps.paymentWindows } : {}) });
  const handlers: Handlers = {
    'app.info': async () => ({ version: deps.version, platform, host: deps.host }),
    // Answered here only when the core runs in-process (CLI, tests) or is running: a core host's
    // supervisor answers these itself, whatever state the process is in.
    'core.status': async () => RUNNING,
    'core.restart': async () => RUNNING,
    'certificate.describe': (args) => describeCertificateFile(args, { now, ...deps.certificates }),
    ...identityHandlers({ service: identity, profiles, sandbox: deps.sandbox, now }),
    ...applicationHandlers(),
    ...filing.handlers,
    ...cases.handlers,
    ...withdrawals.handlers,
    ...notices.handlers,
    ...amendments.handlers,
    ...payments.handlers,
    'credential.answer': async (args) => credentials.answer(args),
    'sandbox.trainingCertificates': async () => (deps.sandbox && deps.trainingCertificatesDir ? readTrainingCertificates(deps.trainingCertificatesDir) : []),
  };
  handlersReady = handlers;
  // 取下げ and 補正 are reconciled after filing's start, which turns what a crash left `sending` into `unknown`
  const started =
    deps.resumeFiling === false
      ? Promise.resolve()
      : Promise.all([filing.start().then(() => Promise.all([withdrawals.start(), amendments.start()])), cases.start().then(() => Promise.all([notices.start(), payments.start()]))]).then(() => undefined);
  return {
    handlers,
    dispatch: createDispatcher(handlers, onUnexpected),
    events,
    identity,
    credentials,
    started,
    close: () => {
      filing.close();
      cases.close();
      notices.close();
      payments.close();
      database.close();
    },
  };
}

// Main process (core). The application: one implementation of every operation in contract.ts,
// with no Electron in sight, so the desktop app, the web harness and tests run the same code.
import type { Envelope } from '../../shared/contract.js';
import type { HostKind } from '../../shared/domain.js';
import { describeCertificateFile, type CertificateFileDeps } from './certificates.js';
import { createDispatcher, type Handlers } from './dispatch.js';
import { createEventHub, type EventHub } from './events.js';

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
}

export interface App {
  readonly handlers: Handlers;
  /** Validates and runs one operation; never throws. */
  dispatch(name: unknown, rawArgs: unknown): Promise<Envelope<unknown>>;
  readonly events: EventHub;
}

export function createApp(deps: AppDeps): App {
  const now = deps.now ?? (() => new Date());
  const platform = deps.platform ?? process.platform;
  const handlers: Handlers = {
    'app.info': async () => ({ version: deps.version, platform, host: deps.host }),
    'certificate.describe': (args) => describeCertificateFile(args, { now, ...deps.certificates }),
  };
  const onUnexpected = deps.onUnexpected ?? ((operation, error) => console.error(`operation ${operation} failed unexpectedly`, error));
  return { handlers, dispatch: createDispatcher(handlers, onUnexpected), events: createEventHub() };
}

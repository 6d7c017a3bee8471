// Core host process. Serves the contract to the host that started it: waits for `init`, builds the
// app from the config, then answers `call`s, forwards events, and asks the host for what only the
// host can do (sealing with safeStorage, the built-in sandbox's address). Every message is checked
// (protocol.ts) before it is acted on; one that is not ours is refused and logged by shape only.
import type { Envelope } from '../../shared/contract.js';
import { TodokeError, toErrorPayload } from '../../shared/errors.js';
import { createApp, type App } from '../app/create-app.js';
import type { SandboxEndpoint } from '../identity/endpoint.js';
import { FileSecretStore, SealedSecretStore, type Sealer } from '../profiles/secret-store.js';
import { observeNativeCalls } from '../signing/pkcs11/native-watch.js';
import type { ParentChannel } from './channel.js';
import { describeRefused, parseHostMessage, type CoreHostConfig, type ServiceName } from './protocol.js';

export interface CoreHostOptions {
  /** where refusals and bugs are reported (stderr in the process) */
  log?: (line: string) => void;
}

export function serveCoreHost(channel: ParentChannel, options: CoreHostOptions = {}): void {
  const log = options.log ?? ((line: string) => console.error(line));
  let app: App | null = null;
  let nextServiceId = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (e: unknown) => void }>();

  const askHost = (name: ServiceName, args: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextServiceId++;
      waiting.set(id, { resolve, reject });
      channel.send({ t: 'service', id, name, args });
    });

  channel.onMessage((raw) => {
    const message = parseHostMessage(raw);
    if (message === null) {
      log(`core host: refused a malformed message from the host (${describeRefused(raw)})`);
      return;
    }
    switch (message.t) {
      case 'init': {
        if (app) {
          log('core host: refused a second init');
          return;
        }
        try {
          app = buildApp(message.config, askHost, log);
        } catch (e) {
          channel.send({ t: 'init-failed', error: toErrorPayload(e) });
          return;
        }
        app.events.subscribe((event) => channel.send({ t: 'event', event }));
        observeNativeCalls((active, what) => channel.send({ t: 'native', active, what }));
        channel.send({ t: 'ready' });
        return;
      }
      case 'call': {
        const { id } = message;
        if (!app) {
          channel.send({ t: 'result', id, reply: { ok: false, error: notReady().toPayload() } });
          return;
        }
        void app.dispatch(message.op, message.args).then((reply) => channel.send({ t: 'result', id, reply }));
        return;
      }
      case 'service-reply': {
        const entry = waiting.get(message.id);
        if (!entry) return;
        waiting.delete(message.id);
        settle(entry, message.reply);
        return;
      }
    }
  });
}

function settle(entry: { resolve: (value: unknown) => void; reject: (e: unknown) => void }, reply: Envelope<unknown>): void {
  if (reply.ok) entry.resolve(reply.value);
  else entry.reject(new TodokeError(reply.error.code, { ja: reply.error.messageJa, en: reply.error.message }, reply.error.detail ? { detail: reply.error.detail } : {}));
}

function buildApp(config: CoreHostConfig, askHost: (name: ServiceName, args: Record<string, unknown>) => Promise<unknown>, log: (line: string) => void): App {
  const fixed = config.fixedNow === undefined ? null : new Date(config.fixedNow);
  const secrets = config.secrets;
  const sealer: Sealer | null =
    secrets.kind === 'sealed-by-host'
      ? {
          // the host's verdict on its backend, taken when it started this process (safeStorage answers only after `ready`)
          isEncryptionAvailable: () => secrets.safe,
          encryptString: async (text) => Buffer.from(expectString(await askHost('seal', { text }), 'seal'), 'base64'),
          decryptString: async (sealed) => expectString(await askHost('unseal', { sealedBase64: sealed.toString('base64') }), 'unseal'),
        }
      : null;
  return createApp({
    host: config.host,
    version: config.version,
    home: config.home,
    ...(fixed ? { now: () => new Date(fixed) } : {}),
    secrets: sealer ? (dir) => new SealedSecretStore(dir, sealer) : (dir) => new FileSecretStore(dir),
    ...(config.sandbox ? { sandbox: async () => sandboxEndpoint(await askHost('sandbox.endpoint', {})) } : {}),
    printPdf: async (html) => Buffer.from(expectString(await askHost('print.pdf', { html }), 'print.pdf'), 'base64'),
    paymentWindows: {
      open: async (request) => {
        await askHost('payment.window.open', { request });
      },
      close: async (handOffId) => (await askHost('payment.window.close', { handOffId })) === true,
    },
    ...(config.trainingCertificatesDir !== undefined ? { trainingCertificatesDir: config.trainingCertificatesDir } : {}),
    ...(config.credentialTimeoutMs !== undefined ? { credentialTimeoutMs: config.credentialTimeoutMs } : {}),
    ...(config.casesPollIntervalMs !== undefined ? { poll: { intervalMs: config.casesPollIntervalMs } } : {}),
    onUnexpected: (operation, error) => log(`core host: operation ${operation} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
}

function expectString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`the host answered ${what} with something else than text`);
  return value;
}

function sandboxEndpoint(value: unknown): SandboxEndpoint {
  const v = value as Partial<SandboxEndpoint> | null;
  if (!v || typeof v.baseUrl !== 'string' || typeof v.softwareId !== 'string' || !(v.caPem === null || typeof v.caPem === 'string')) {
    throw new Error('the host answered sandbox.endpoint with something else than an endpoint');
  }
  return { baseUrl: v.baseUrl, softwareId: v.softwareId, caPem: v.caPem };
}

function notReady(): TodokeError {
  return new TodokeError('CORE_NOT_READY', {
    ja: 'アプリの内部処理を準備しています。少し待ってから、もう一度お試しください。',
    en: 'the core host has not been initialised yet',
  });
}

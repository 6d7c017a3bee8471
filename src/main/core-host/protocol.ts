// Runs in the core host and in its host (Electron main, the web harness). The messages between a
// host and the core host process. Both sides check every message they receive against these closed
// shapes before acting on it; operation arguments are then checked by the contract schema in the
// core's dispatcher, exactly as for IPC from the renderer. A refused message is logged by its shape
// only (`describeRefused`), never with its content: it may carry a PIN or an access key.
import { isOperationName, eventNames } from '../../shared/contract.js';
import type { Envelope, EventName, TodokeEvent } from '../../shared/contract.js';
import type { ErrorPayload } from '../../shared/errors.js';

/** What a host tells the core host when it starts it; everything else the core finds itself. */
export interface CoreHostConfig {
  host: 'electron' | 'harness';
  version: string;
  /** $TODOKE_HOME: profiles, (later) the case store and the document vault */
  home: string;
  /** the folder of the bundled training certificates (assets/sandbox-pki) */
  trainingCertificatesDir?: string;
  /** true: the built-in sandbox is available, started by the host in a process of its own */
  sandbox: boolean;
  /**
   * Where secrets are kept: owner-only files, or sealed by the host (Electron's safeStorage, which
   * only the main process may call). `safe` is the host's verdict on its sealing backend.
   */
  secrets: { kind: 'file' } | { kind: 'sealed-by-host'; safe: boolean };
  /** tests and demos only: the core's clock reads this fixed time */
  fixedNow?: string;
  credentialTimeoutMs?: number;
  /** between background case sync cycles (default 15 minutes); tests and demos run it every few seconds */
  casesPollIntervalMs?: number;
}

/** Things only the host can do, asked by the core. */
export type ServiceName = 'seal' | 'unseal' | 'sandbox.endpoint' | 'print.pdf' | 'payment.window.open' | 'payment.window.close';

export type HostMessage =
  | { t: 'init'; config: CoreHostConfig }
  | { t: 'call'; id: number; op: string; args: unknown }
  | { t: 'service-reply'; id: number; reply: Envelope<unknown> };

export type CoreMessage =
  | { t: 'ready' }
  | { t: 'init-failed'; error: ErrorPayload }
  | { t: 'result'; id: number; reply: Envelope<unknown> }
  | { t: 'event'; event: TodokeEvent }
  | { t: 'service'; id: number; name: ServiceName; args: Record<string, unknown> }
  /** the core is inside (true) or out of (false) a call into a native driver (PKCS#11) */
  | { t: 'native'; active: boolean; what: string };

const SERVICE_NAMES: ReadonlySet<string> = new Set<ServiceName>(['seal', 'unseal', 'sandbox.endpoint', 'print.pdf', 'payment.window.open', 'payment.window.close']);
const EVENT_NAMES: ReadonlySet<string> = new Set<string>(eventNames);
const MAX_ID = Number.MAX_SAFE_INTEGER;

type Rec = Record<string, unknown>;

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Exactly these keys (optional ones may be absent), no others: a closed shape. */
function hasKeys(v: Rec, required: readonly string[], optional: readonly string[] = []): boolean {
  const keys = Object.keys(v);
  return required.every((k) => Object.hasOwn(v, k)) && keys.every((k) => required.includes(k) || optional.includes(k));
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_ID;
}

function isShortString(v: unknown, max = 4096): v is string {
  return typeof v === 'string' && v.length <= max;
}

function isErrorPayload(v: unknown): v is ErrorPayload {
  return (
    isRecord(v) &&
    hasKeys(v, ['code', 'message', 'messageJa'], ['detail']) &&
    isShortString(v.code, 100) &&
    isShortString(v.message, 64 * 1024) &&
    isShortString(v.messageJa, 64 * 1024) &&
    (v.detail === undefined || isRecord(v.detail))
  );
}

function isEnvelope(v: unknown): v is Envelope<unknown> {
  if (!isRecord(v)) return false;
  if (v.ok === true) return hasKeys(v, ['ok', 'value']);
  if (v.ok === false) return hasKeys(v, ['ok', 'error']) && isErrorPayload(v.error);
  return false;
}

function isConfig(v: unknown): v is CoreHostConfig {
  if (!isRecord(v)) return false;
  if (!hasKeys(v, ['host', 'version', 'home', 'sandbox', 'secrets'], ['trainingCertificatesDir', 'fixedNow', 'credentialTimeoutMs', 'casesPollIntervalMs'])) return false;
  if (v.host !== 'electron' && v.host !== 'harness') return false;
  if (!isShortString(v.version, 100) || !isShortString(v.home) || v.home === '' || typeof v.sandbox !== 'boolean') return false;
  if (v.trainingCertificatesDir !== undefined && !isShortString(v.trainingCertificatesDir)) return false;
  if (v.fixedNow !== undefined && !(isShortString(v.fixedNow, 40) && !Number.isNaN(Date.parse(v.fixedNow)))) return false;
  if (v.credentialTimeoutMs !== undefined && !(typeof v.credentialTimeoutMs === 'number' && v.credentialTimeoutMs > 0 && v.credentialTimeoutMs <= 3_600_000)) return false;
  if (v.casesPollIntervalMs !== undefined && !(Number.isInteger(v.casesPollIntervalMs) && (v.casesPollIntervalMs as number) >= 1000 && (v.casesPollIntervalMs as number) <= 86_400_000)) return false;
  const secrets = v.secrets;
  if (!isRecord(secrets)) return false;
  if (secrets.kind === 'file') return hasKeys(secrets, ['kind']);
  if (secrets.kind === 'sealed-by-host') return hasKeys(secrets, ['kind', 'safe']) && typeof secrets.safe === 'boolean';
  return false;
}

/** A message from the host, or null when it is not one of ours. */
export function parseHostMessage(v: unknown): HostMessage | null {
  if (!isRecord(v)) return null;
  switch (v.t) {
    case 'init':
      return hasKeys(v, ['t', 'config']) && isConfig(v.config) ? (v as HostMessage) : null;
    case 'call':
      // an unknown operation name is still a call: the dispatcher answers it with UNKNOWN_OPERATION
      return hasKeys(v, ['t', 'id', 'op', 'args']) && isId(v.id) && isShortString(v.op, 100) ? (v as HostMessage) : null;
    case 'service-reply':
      return hasKeys(v, ['t', 'id', 'reply']) && isId(v.id) && isEnvelope(v.reply) ? (v as HostMessage) : null;
    default:
      return null;
  }
}

/** A message from the core host, or null when it is not one of ours. */
export function parseCoreMessage(v: unknown): CoreMessage | null {
  if (!isRecord(v)) return null;
  switch (v.t) {
    case 'ready':
      return hasKeys(v, ['t']) ? (v as CoreMessage) : null;
    case 'init-failed':
      return hasKeys(v, ['t', 'error']) && isErrorPayload(v.error) ? (v as CoreMessage) : null;
    case 'result':
      return hasKeys(v, ['t', 'id', 'reply']) && isId(v.id) && isEnvelope(v.reply) ? (v as CoreMessage) : null;
    case 'event': {
      const e = v.event;
      return hasKeys(v, ['t', 'event']) && isRecord(e) && hasKeys(e, ['name', 'payload']) && typeof e.name === 'string' && EVENT_NAMES.has(e.name)
        ? (v as CoreMessage)
        : null;
    }
    case 'service':
      return hasKeys(v, ['t', 'id', 'name', 'args']) && isId(v.id) && typeof v.name === 'string' && SERVICE_NAMES.has(v.name) && isRecord(v.args)
        ? (v as CoreMessage)
        : null;
    case 'native':
      return hasKeys(v, ['t', 'active', 'what']) && typeof v.active === 'boolean' && isShortString(v.what, 200) ? (v as CoreMessage) : null;
    default:
      return null;
  }
}

/** What may be logged about a refused message: its type and key names, never values. */
export function describeRefused(v: unknown): string {
  if (!isRecord(v)) return `a ${Array.isArray(v) ? 'array' : typeof v}`;
  const t = typeof v.t === 'string' && /^[a-z-]{1,20}$/.test(v.t) ? v.t : '?';
  return `type ${t} with keys [${Object.keys(v).slice(0, 10).map((k) => (/^[A-Za-z]{1,30}$/.test(k) ? k : '?')).join(', ')}]`;
}

export function isEventName(name: string): name is EventName {
  return EVENT_NAMES.has(name);
}

export { isOperationName };

// Runs in every process. THE list of operations the UI may ask the core for, and of the events
// the core sends to the UI. The preload bridge, the Electron IPC binding, the web harness and the
// core's dispatcher are all computed from this one object; test/unit/contract.test.ts proves they
// agree. To add an operation: add it here, implement it in src/main/app, nothing else.
import type { ErrorPayload } from './errors.js';
import type { AppInfo, AppNotice, CertificateDescription } from './domain.js';
import * as s from './schema.js';
import type { Infer, Schema } from './schema.js';

/** What every transport carries back for every operation: a value, or a typed error. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

/** One operation: its argument schema (checked at run time) and its result type (`result` is a type-only marker). */
export interface OperationSpec<A, R> {
  readonly summary: string;
  readonly args: Schema<A>;
  readonly result?: R;
}

function operation<R>() {
  return <A>(summary: string, args: Schema<A>): OperationSpec<A, R> => ({ summary, args });
}

/** Largest certificate file (PEM, DER or PKCS#12) the UI may hand to the core. */
export const MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024;
export const MAX_FILE_NAME_LENGTH = 255;
export const MAX_PASSWORD_LENGTH = 1024;

export const operations = {
  'app.info': operation<AppInfo>()('the version and host of the running core', s.object({})),
  'certificate.describe': operation<CertificateDescription>()(
    'reads a certificate file (PEM, DER or PKCS#12 with its password) and describes its certificate',
    s.object({
      fileName: s.string({ minLength: 1, maxLength: MAX_FILE_NAME_LENGTH }),
      dataBase64: s.base64({ minBytes: 1, maxBytes: MAX_CERTIFICATE_FILE_BYTES }),
      password: s.optional(s.string({ maxLength: MAX_PASSWORD_LENGTH })),
    }),
  ),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationArgs<N extends OperationName> = Infer<Operations[N]['args']>;
export type OperationResult<N extends OperationName> = Operations[N] extends OperationSpec<unknown, infer R> ? R : never;

export const operationNames: readonly OperationName[] = Object.freeze(Object.keys(operations) as OperationName[]);

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(operations, name);
}

/** Events, main → renderer, all on one channel. `payload` is a type-only marker, as `result` above. */
export interface EventSpec<P> {
  readonly summary: string;
  readonly payload?: P;
}

function event<P>(summary: string): EventSpec<P> {
  return { summary };
}

export const events = {
  'app.notice': event<AppNotice>('something the person at the screen should know, not tied to an operation they started'),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Events[E] extends EventSpec<infer P> ? P : never;
export type TodokeEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

export const eventNames: readonly EventName[] = Object.freeze(Object.keys(events) as EventName[]);

/** Every IPC channel starts with this prefix (VS Code style), so a stray channel is obvious. */
export const CHANNEL_PREFIX = 'todoke:';
export const EVENT_CHANNEL = `${CHANNEL_PREFIX}event`;

export function channelFor(name: OperationName): string {
  return `${CHANNEL_PREFIX}${name}`;
}

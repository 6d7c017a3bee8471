// Runs in the preload and in the harness page (and is type-checked against the renderer). The one
// API the renderer is written against, `window.todoke`, computed from contract.ts: one function per
// operation, named exactly like the operation (`todoke['certificate.describe'](args)`), plus
// `onEvent`. Every host builds it with createBridge over its own transport, so the shape cannot drift.
import type { ErrorPayload } from './errors.js';
import { operationNames } from './contract.js';
import type { Envelope, OperationArgs, OperationName, OperationResult, TodokeEvent } from './contract.js';

/** Operations whose argument object is empty may be called without it: `todoke['app.info']()`. */
type ArgsTuple<A> = Record<string, never> extends A ? [args?: A] : [args: A];

export type OperationFunctions = {
  readonly [N in OperationName]: (...args: ArgsTuple<OperationArgs<N>>) => Promise<Envelope<OperationResult<N>>>;
};

export type EventListener = (event: TodokeEvent) => void;

export interface TodokeApi extends OperationFunctions {
  /** Listens to every core event; returns the function that stops listening. */
  readonly onEvent: (listener: EventListener) => () => void;
}

/** How a host moves one request to the core and events back. Never throws for a failed call: resolves with an error envelope. */
export interface BridgeTransport {
  invoke(name: OperationName, args: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: EventListener): () => void;
}

/** The names `createBridge` exposes besides the operations. */
export const bridgeExtras = ['onEvent'] as const;

export function createBridge(transport: BridgeTransport): TodokeApi {
  const api: Record<string, unknown> = {};
  for (const name of operationNames) {
    api[name] = (args?: unknown) => transport.invoke(name, args === undefined ? {} : args);
  }
  api.onEvent = (listener: EventListener) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent expects a function');
    return transport.subscribe(listener);
  };
  return Object.freeze(api) as unknown as TodokeApi;
}

/** The error a transport reports when the request never reached the core or its answer was lost. */
export function transportError(detail: string): ErrorPayload {
  return {
    code: 'TRANSPORT_FAILED',
    message: `could not reach the Todoke core: ${detail}`,
    messageJa: 'アプリ内部の通信に失敗しました。もう一度お試しください。解決しない場合は、アプリを再起動してください。',
  };
}

// Main process (core). PIN and password prompts as a request from the core that the UI answers:
// `ask` emits `credential.request` and waits for `credential.answer`; every window hears the
// request, the first answer settles it and `credential.withdrawn` tells the others to close their
// dialogs. The secret is handed to the waiting signer and forgotten; it is never stored, logged or
// put into an event. A request nobody answers is withdrawn after a while and the operation fails
// with CREDENTIAL_TIMEOUT (not as cancelled: nobody said no), so a closed window cannot leave a
// login hanging forever; `withdrawAll` answers every waiting prompt with a cancel when the window
// closes or the app quits.
import { randomBytes } from 'node:crypto';
import type { OperationArgs } from '../../shared/contract.js';
import { credentialTimedOut } from '../identity/errors.js';
import type { CredentialAsk } from '../identity/signer-reference.js';
import type { EventHub } from './events.js';

export const DEFAULT_CREDENTIAL_TIMEOUT_MS = 5 * 60_000;

export interface CredentialBroker {
  ask(request: CredentialAsk): Promise<string | null>;
  answer(args: OperationArgs<'credential.answer'>): { accepted: boolean };
  /** how many prompts are waiting (for tests and diagnostics) */
  readonly pending: number;
  /** withdraws every waiting prompt (window closed, app quitting) */
  withdrawAll(): void;
}

export function createCredentialBroker(events: EventHub, options: { timeoutMs?: number } = {}): CredentialBroker {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CREDENTIAL_TIMEOUT_MS;
  const waiting = new Map<string, { resolve: (secret: string | null) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  function take(requestId: string): { resolve: (secret: string | null) => void; reject: (e: Error) => void } | null {
    const entry = waiting.get(requestId);
    if (!entry) return null;
    waiting.delete(requestId);
    clearTimeout(entry.timer);
    events.emit({ name: 'credential.withdrawn', payload: { requestId } });
    return entry;
  }

  function settle(requestId: string, secret: string | null): boolean {
    const entry = take(requestId);
    entry?.resolve(secret);
    return entry !== null;
  }

  return {
    ask(request) {
      const requestId = randomBytes(12).toString('base64url');
      return new Promise<string | null>((resolve, reject) => {
        const timer = setTimeout(() => take(requestId)?.reject(credentialTimedOut(request.kind, Math.max(1, Math.round(timeoutMs / 60_000)))), timeoutMs);
        timer.unref();
        waiting.set(requestId, { resolve, reject, timer });
        events.emit({ name: 'credential.request', payload: { requestId, ...request } });
      });
    },
    answer({ requestId, secret, cancel }) {
      const value = cancel === true || secret === undefined ? null : secret;
      // Every window hears the request; the others close their dialogs.
      return { accepted: settle(requestId, value) };
    },
    get pending() {
      return waiting.size;
    },
    withdrawAll() {
      for (const requestId of [...waiting.keys()]) settle(requestId, null);
    },
  };
}

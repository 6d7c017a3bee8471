// Core host. How a failed send reads for the outbox, shared by every kind it sends (一括申請 in
// ./send-batch.ts, 取下げ in ./withdraw.ts): what counts as e-Gov refusing the request, and the
// failure recorded with the entry.
import { isTodokeError } from '../../shared/errors.js';
import { isEgovError, type EgovError } from '../egov/errors.js';
import type { OutboxFailure } from '../store/outbox.js';

/**
 * e-Gov answered that it did not take the request: a 4xx with Code 1, or an authentication failure
 * (401 / a key refused after logging in again). A 5xx, an unexpected status or an unreadable body is
 * never a refusal: e-Gov may still have stored the request.
 */
export function isRefusal(e: unknown): e is EgovError {
  if (!isEgovError(e) || e.delivery !== 'answered' || e.status === undefined) return false;
  if (e.status < 400 || e.status >= 500) return false;
  return e.code === 'EGOV_API_ERROR' || e.code === 'EGOV_AUTH_FAILED';
}

/** The failure the outbox keeps: e-Gov's own message when it sent one. */
export function failureOf(e: unknown): OutboxFailure {
  if (isEgovError(e, 'EGOV_API_ERROR') && e.serverMessage !== undefined) return { code: e.code, message: e.serverMessage };
  if (isTodokeError(e)) return { code: e.code, message: e.messageJa };
  return { code: 'UNEXPECTED', message: e instanceof Error ? e.message : String(e) };
}

export function messageJa(e: unknown): string {
  return isTodokeError(e) ? e.messageJa : e instanceof Error ? e.message : String(e);
}

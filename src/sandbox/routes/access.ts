// Sandbox (Node). The /access/ sub-tree: every call must carry a live access key
// (x-eGovAPI-AccessKey). No /access/ API exists in this slice, so a call that passes the key check
// gets the unknown-API answer.
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxResponse } from '../http/respond.js';
import type { IdentityRules } from '../identity/rules.js';
import { SANDBOX_ERRORS, type SandboxErrorKind } from '../messages.js';
import { writeAccessErrorBody } from '../wire/access-family.js';

export const ACCESS_KEY_HEADER = 'x-egovapi-accesskey';

export function accessError(kind: SandboxErrorKind, detail?: string): SandboxResponse {
  const row = SANDBOX_ERRORS[kind];
  return { status: row.status, body: writeAccessErrorBody(row.message(detail)) };
}

/** The user the request acts for, or null when its key is missing, unknown or expired. */
export function accessKeyUser(headers: IncomingHttpHeaders, rules: IdentityRules, now: Date): string | null {
  const key = headers[ACCESS_KEY_HEADER];
  if (typeof key !== 'string' || key.length === 0) return null;
  return rules.resolveAccessKey(key, now.getTime());
}

export function handleAccess(headers: IncomingHttpHeaders, rules: IdentityRules, now: Date): SandboxResponse {
  if (accessKeyUser(headers, rules, now) === null) return accessError('ACCESS_KEY_INVALID');
  return accessError('NOT_FOUND');
}

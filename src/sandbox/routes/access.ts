// Sandbox (Node). The /access/ sub-tree: every call must carry a live access key
// (x-eGovAPI-AccessKey), checked before the URI is looked up in the route table; the APIs
// themselves are in one module per family (apply.ts, …) and act for the key's user.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxResponse } from '../http/respond.js';
import type { IdentityRules } from '../identity/rules.js';
import { SANDBOX_ERRORS, type SandboxErrorKind } from '../messages.js';
import { writeAccessErrorBody } from '../wire/access-family.js';

export const ACCESS_KEY_HEADER = 'x-egovapi-accesskey';

/** One /access/ call that passed the software-ID and access-key checks. */
export interface AccessCall {
  req: IncomingMessage;
  res: ServerResponse;
  /** path and matrix parameters of the route pattern, decoded */
  params: Readonly<Record<string, string>>;
  /** the user the access key acts for */
  userId: string;
  softwareId: string;
  /** the sandbox clock at the request */
  now: Date;
}

export type AccessHandler = (call: AccessCall) => Promise<SandboxResponse>;

export function accessError(kind: SandboxErrorKind, detail?: string, extraHeaders?: SandboxResponse['extraHeaders']): SandboxResponse {
  const row = SANDBOX_ERRORS[kind];
  const body = writeAccessErrorBody(row.message(detail));
  return extraHeaders ? { status: row.status, body, extraHeaders } : { status: row.status, body };
}

/** The user the request acts for, or null when its key is missing, unknown or expired. */
export function accessKeyUser(headers: IncomingHttpHeaders, rules: IdentityRules, now: Date): string | null {
  const key = headers[ACCESS_KEY_HEADER];
  if (typeof key !== 'string' || key.length === 0) return null;
  return rules.resolveAccessKey(key, now.getTime());
}

// Sandbox (Node). The five signed /authentication/ APIs: their route table, their answers in the
// authentication serialiser family (Appendix A.1–A.6), and the error answers (ApplData carrying
// the API's success items, UserID echoed, the rest empty — as the recorded A.2 error does).
import type { X509Certificate } from 'node:crypto';
import type { SandboxResponse } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { certificateRecord } from '../identity/certificates.js';
import type { IdentityRules, Outcome, AuthenticatedOutcome } from '../identity/rules.js';
import { readSignedRequest, type AuthenticationApi } from '../identity/signed-request.js';
import { SANDBOX_ERRORS, type SandboxFailure } from '../messages.js';
import { writeAuthenticationBody } from '../wire/authentication-family.js';
import { jstTimestamp } from '../wire/time.js';

export const AUTHENTICATION_PREFIX = '/shinsei/1/authentication/';

/** The route table of the family; the handler is the API (handleAuthentication runs them all). */
export const AUTHENTICATION_ROUTES: ReadonlyArray<Route<AuthenticationApi>> = [
  { method: 'POST', pattern: '/shinsei/1/authentication/user', api: '利用者ID登録', handler: 'register' },
  { method: 'POST', pattern: '/shinsei/1/authentication/login', api: '利用者認証', handler: 'login' },
  { method: 'POST', pattern: '/shinsei/1/authentication/certificate/append', api: '証明書識別情報追加', handler: 'append' },
  { method: 'POST', pattern: '/shinsei/1/authentication/certificate/update', api: '証明書識別情報更新', handler: 'update' },
  { method: 'POST', pattern: '/shinsei/1/authentication/certificate/delete', api: '証明書識別情報削除', handler: 'delete' },
];

/** ApplData items of each API's answer, in the recorded order. */
const ANSWER_ITEMS: Record<AuthenticationApi, readonly string[]> = {
  register: ['UserID'],
  login: ['UserID', 'AccessKey', 'LastAuthenticationDate'],
  append: ['UserID', 'LastAuthenticationDate'],
  update: ['UserID', 'LastAuthenticationDate'],
  delete: ['UserID', 'LastAuthenticationDate'],
};

export interface AuthenticationContext {
  now: Date;
  anchors: readonly X509Certificate[];
  keyTtlMs: number;
  maxBodyBytes: number;
  rules: IdentityRules;
}

/** An error answer of this family; `api` null for a URI that names no API (empty ApplData). */
export function authenticationError(api: AuthenticationApi | null, f: SandboxFailure, echoUserId = '', extraHeaders?: SandboxResponse['extraHeaders']): SandboxResponse {
  const row = SANDBOX_ERRORS[f.kind];
  const items = api ? ANSWER_ITEMS[api] : [];
  const body = writeAuthenticationBody({
    code: '1',
    message: row.message(f.detail),
    fields: items.map((name) => [name, name === 'UserID' ? echoUserId : ''] as const),
  });
  return extraHeaders ? { status: row.status, body, extraHeaders } : { status: row.status, body };
}

function ok(status: number, fields: ReadonlyArray<readonly [string, string]>): SandboxResponse {
  return { status, body: writeAuthenticationBody({ code: '0', message: '', fields }) };
}

const lastAuthentication = (t: number | null) => (t === null ? '' : jstTimestamp(new Date(t)));

export async function handleAuthentication(api: AuthenticationApi, body: Buffer, ctx: AuthenticationContext): Promise<SandboxResponse> {
  const read = await readSignedRequest(api, body, { at: ctx.now, anchors: ctx.anchors, maxBytes: ctx.maxBodyBytes });
  if (!read.ok) return authenticationError(api, read.failure, read.echoUserId);
  const { userId, signer, certificate } = read.request;
  const now = ctx.now.getTime();
  const signerRecord = certificateRecord(signer);

  if (api === 'register') {
    const outcome = ctx.rules.register(userId, signerRecord, now);
    return outcome.ok ? ok(201, [['UserID', userId]]) : authenticationError(api, outcome, userId);
  }
  if (api === 'login') {
    const outcome = ctx.rules.login(userId, signerRecord, now, ctx.keyTtlMs);
    if (!outcome.ok) return authenticationError(api, outcome, userId);
    return ok(200, [
      ['UserID', userId],
      ['AccessKey', outcome.accessKey],
      ['LastAuthenticationDate', lastAuthentication(outcome.previousAuthentication)],
    ]);
  }
  const named = certificateRecord(certificate!);
  let outcome: Outcome<AuthenticatedOutcome>;
  if (api === 'append') outcome = ctx.rules.append(userId, signerRecord, named, now);
  else if (api === 'update') outcome = ctx.rules.update(userId, signerRecord, named.fingerprint, now);
  else outcome = ctx.rules.delete(userId, signerRecord, named.fingerprint, now);
  if (!outcome.ok) return authenticationError(api, outcome, userId);
  return ok(200, [
    ['UserID', userId],
    ['LastAuthenticationDate', lastAuthentication(outcome.previousAuthentication)],
  ]);
}

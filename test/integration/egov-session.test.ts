// The session over real loopback HTTP: logging in on demand, one re-login (with a fresh signer) when
// e-Gov refuses the access key, never a loop, one shared re-login for concurrent callers, and a
// consistent state after every failure.
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isTodokeError } from '../../src/shared/errors.js';
import { EgovError, isEgovError } from '../../src/main/egov/errors.js';
import { EgovClient } from '../../src/main/egov/http.js';
import { isAccessKeyRejection } from '../../src/main/egov/gateway-v1.js';
import type { EgovSession, AccessKeyRecord } from '../../src/main/session/session.js';
import { access, v1Session } from '../support/v1-session.js';
import { SigningError } from '../../src/main/signing/errors.js';
import { KeyObjectSigner, type Signer } from '../../src/main/signing/signer.js';
import { verifySignedXml } from '../../src/main/signing/xml/index.js';
import { startFaultServer, type FaultAction, type FaultServer, type RecordedRequest } from '../support/fault-server.js';
import { egovCertsDir, egovKeyPassphrase } from '../support/paths.js';


const USER_ID = 'todoke0001';
const SOFTWARE_ID = 'TODOKE000001';

function pemBlock(file: string, label: string): string {
  const m = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).exec(readFileSync(join(egovCertsDir, file), 'latin1'));
  assert.ok(m);
  return m[0];
}
const EE01_KEY = createPrivateKey({ key: pemBlock('e-GovEE01_sha2.pem', 'RSA PRIVATE KEY'), passphrase: egovKeyPassphrase });
const EE01_CERT = new X509Certificate(pemBlock('e-GovEE01_sha2.cer', 'CERTIFICATE'));

const loginBody = (key: string, last: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<DataRoot>\n<Result>\n<Code>0</Code>\n<Message></Message>\n</Result>\n<ApplData>\n<UserID>${USER_ID}</UserID>\n<AccessKey>\n${key.replace(/.{76}/g, '$&\n')}\n</AccessKey>\n<LastAuthenticationDate>${last}</LastAuthenticationDate>\n</ApplData>\n</DataRoot>\n`;
const accessOk = (value: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n\t<Result>\r\n\t\t<Code>0</Code>\r\n\t\t<Message></Message>\r\n\t</Result>\r\n\t<ApplData>\r\n\t\t<Value>${value}</Value>\r\n\t</ApplData>\r\n</DataRoot>`;
const accessError = (message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n\t<Result>\r\n\t\t<Code>1</Code>\r\n\t\t<Message>${message}</Message>\r\n\t</Result>\r\n\t<ApplData>\r\n\t</ApplData>\r\n</DataRoot>`;

/** 256 base64 characters, different for every login. */
const keyNumber = (n: number): string => `K${n}`.padEnd(256, 'A');

/**
 * A scripted e-Gov: logins hand out keys K1, K2, … ; /access/ calls go to `onAccess`, which sees the
 * key that was sent. `onLogin` can replace the login answer.
 */
class ScriptedEgov {
  logins = 0;
  onLogin: (n: number) => FaultAction | null = () => null;
  /** awaited before answering login number n */
  loginGate: (n: number) => Promise<void> = async () => undefined;
  onAccess: (key: string | undefined, req: RecordedRequest) => FaultAction = (key) => ({ kind: 'respond', status: 200, body: accessOk(String(key)) });

  constructor(readonly server: FaultServer) {
    server.handle(async (req) => {
      if (req.url === '/shinsei/1/authentication/login') {
        const n = ++this.logins;
        await this.loginGate(n);
        return this.onLogin(n) ?? { kind: 'respond', status: 200, body: loginBody(keyNumber(n), '20250101090000') };
      }
      return this.onAccess(req.headers['x-egovapi-accesskey'] as string | undefined, req);
    });
  }

  accessRequests(): RecordedRequest[] {
    return this.server.requests.filter((r) => r.url.startsWith('/shinsei/1/access/'));
  }
}

/** Hands out a new signer per login, counting them and recording which were closed. */
class CountingProvider {
  calls = 0;
  closed = 0;
  fail: (() => Error) | null = null;

  readonly provide = async (): Promise<Signer> => {
    this.calls++;
    if (this.fail) throw this.fail();
    const signer = new KeyObjectSigner('pem', EE01_KEY, EE01_CERT);
    const close = signer.close.bind(signer);
    signer.close = async () => {
      this.closed++;
      await close();
    };
    return signer;
  };
}

let server: FaultServer;
let egov: ScriptedEgov;
let provider: CountingProvider;
let keyChanges: Array<AccessKeyRecord | null>;

function newSession(extra: { restoredKey?: AccessKeyRecord } = {}): EgovSession {
  const client = new EgovClient({ baseUrl: server.baseUrl, softwareId: SOFTWARE_ID, timeoutMs: 5000 });
  return v1Session(client, { userId: USER_ID, signerProvider: provider.provide, onKeyChange: (k) => keyChanges.push(k), ...extra });
}

void beforeEach(async () => {
  server = await startFaultServer();
  egov = new ScriptedEgov(server);
  provider = new CountingProvider();
  keyChanges = [];
});
void afterEach(async () => {
  await server.close();
});

void describe('logging in', () => {
  void it('logs in on the first /access/ call, with a signed request, and sends the whitespace-free key', async () => {
    const session = newSession();
    const initial = await session.snapshot();
    assert.deepEqual(initial, { userId: USER_ID, hasKey: false, keyObtainedAt: null, lastAuthenticationDate: null, lastAuthenticatedAt: null });
    const reply = await access(session, 'GET', 'reference/9002015000243941');
    assert.equal(reply.applData.Value, keyNumber(1));
    assert.equal(provider.calls, 1);
    assert.equal(provider.closed, 1, 'the session closes the signer it was given');
    const loginReq = server.requests.find((r) => r.url.endsWith('/authentication/login'))!;
    assert.equal((await verifySignedXml(loginReq.body, { profile: 'request', at: new Date('2015-01-01T00:00:00Z') })).valid, true);
    const [sent] = egov.accessRequests();
    assert.equal(sent?.url, '/shinsei/1/access/reference/9002015000243941');
    assert.equal(sent?.headers['x-egovapi-accesskey'], keyNumber(1));
    assert.equal(sent?.headers['x-egovapi-softwareid'], SOFTWARE_ID);
    const state = await session.snapshot();
    assert.equal(state.hasKey, true);
    assert.ok(state.keyObtainedAt instanceof Date);
    assert.equal(state.lastAuthenticationDate, '20250101090000');
    assert.equal(state.lastAuthenticatedAt?.toISOString(), '2025-01-01T00:00:00.000Z');
    assert.equal(keyChanges.length, 1);
    assert.equal(keyChanges[0]?.accessKey, keyNumber(1));
  });

  void it('keeps the key for the following calls (no login per call) and sends bodies', async () => {
    const session = newSession();
    await access(session, 'GET', 'bank');
    await access(session, 'PUT', 'officialdocument', '<DataRoot><ApplData Id="ApplData"/></DataRoot>');
    assert.equal(egov.logins, 1);
    const [, put] = egov.accessRequests();
    assert.equal(put?.method, 'PUT');
    assert.equal(put?.body.toString(), '<DataRoot><ApplData Id="ApplData"/></DataRoot>');
  });

  void it('explicit login() returns the state, never the key', async () => {
    const session = newSession();
    const { state } = await session.login();
    assert.deepEqual(Object.keys(state).sort(), ['hasKey', 'keyObtainedAt', 'lastAuthenticatedAt', 'lastAuthenticationDate', 'userId']);
    assert.equal(state.hasKey, true);
    assert.ok(!JSON.stringify(state).includes(keyNumber(1)));
  });

  void it('a failed explicit login keeps the key it had', async () => {
    const restored: AccessKeyRecord = { accessKey: 'RESTORED', obtainedAt: new Date('2025-01-01T00:00:00Z'), lastAuthenticationDate: '' };
    const session = newSession({ restoredKey: restored });
    egov.onLogin = () => ({ kind: 'respond', status: 500, body: '' });
    await assert.rejects(session.login(), (e: unknown) => isEgovError(e, 'EGOV_SERVER_ERROR'));
    assert.equal((await session.snapshot()).hasKey, true);
    assert.deepEqual((await session.snapshot()).keyObtainedAt, restored.obtainedAt);
    provider.fail = () => new SigningError('PIN_CANCELLED', { ja: 'PIN の入力が取り消されました。', en: 'cancelled' });
    await assert.rejects(session.login(), (e: unknown) => e instanceof SigningError && e.code === 'PIN_CANCELLED');
    assert.equal((await session.snapshot()).hasKey, true);
    await access(session, 'GET', 'bank');
    assert.equal(egov.accessRequests().at(-1)?.headers['x-egovapi-accesskey'], 'RESTORED');
    assert.equal(keyChanges.length, 0);
  });

  void it('forgetKey() drops the key, and the next call logs in again', async () => {
    const session = newSession();
    await access(session, 'GET', 'bank');
    await session.forgetKey();
    assert.equal((await session.snapshot()).hasKey, false);
    await access(session, 'GET', 'bank');
    assert.equal(egov.logins, 2);
    assert.deepEqual(keyChanges.map((k) => k?.accessKey ?? null), [keyNumber(1), null, keyNumber(2)]);
  });

  void it('refuses a corrupt restored key and a bad user ID at construction', () => {
    const client = new EgovClient({ baseUrl: server.baseUrl, softwareId: SOFTWARE_ID });
    assert.throws(
      () => v1Session(client, { userId: USER_ID, signerProvider: provider.provide, restoredKey: { accessKey: 'a\r\nb', obtainedAt: new Date(), lastAuthenticationDate: '' } }),
      (e: unknown) => isTodokeError(e, 'SESSION_STORED_KEY_CORRUPT') && /ログインし直してください/.test(e.messageJa),
    );
    assert.throws(() => v1Session(client, { userId: 'bad id', signerProvider: provider.provide }), (e: unknown) => isTodokeError(e, 'SESSION_INVALID_USER_ID'));
  });
});

void describe('re-login when e-Gov refuses the key', () => {
  void it('401 → one re-login with a fresh signer → the retry succeeds with the new key', async () => {
    const session = newSession();
    await session.login();
    egov.onAccess = (key) => (key === keyNumber(1) ? { kind: 'respond', status: 401, body: accessError('アクセスキーの有効期限が切れています。') } : { kind: 'respond', status: 200, body: accessOk(String(key)) });
    const reply = await access(session, 'GET', 'bank');
    assert.equal(reply.applData.Value, keyNumber(2));
    assert.equal(provider.calls, 2, 'the signer provider is asked again (a PIN would be asked again)');
    assert.equal(provider.closed, 2);
    assert.deepEqual(egov.accessRequests().map((r) => r.headers['x-egovapi-accesskey']), [keyNumber(1), keyNumber(2)]);
    assert.deepEqual(keyChanges.map((k) => k?.accessKey ?? null), [keyNumber(1), null, keyNumber(2)]);
    assert.equal((await session.snapshot()).hasKey, true);
  });

  void it('a second refusal after the re-login → EGOV_AUTH_FAILED, exactly one re-login, no loop, key dropped', async () => {
    const session = newSession();
    await session.login();
    egov.onAccess = () => ({ kind: 'respond', status: 401, body: accessError('アクセスキーが不正です。') });
    await assert.rejects(access(session, 'GET', 'bank'), (e: unknown) => {
      assert.ok(isEgovError(e, 'EGOV_AUTH_FAILED'));
      assert.equal(e.serverMessage, 'アクセスキーが不正です。');
      assert.match(e.messageJa, /ログインし直しても受け付けられませんでした/);
      return true;
    });
    assert.equal(egov.logins, 2);
    assert.equal(egov.accessRequests().length, 2);
    assert.equal((await session.snapshot()).hasKey, false);
  });

  void it('Code 1 with an access-key message (no 401) also triggers the one re-login', async () => {
    const session = newSession();
    await session.login();
    egov.onAccess = (key) => (key === keyNumber(1) ? { kind: 'respond', status: 400, body: accessError('アクセスキーが無効です。再度利用者認証を行ってください。') } : { kind: 'respond', status: 200, body: accessOk('ok') });
    assert.equal((await access(session, 'GET', 'bank')).applData.Value, 'ok');
    assert.equal(egov.logins, 2);
  });

  void it('a business error is not a key problem: no re-login, the key stays, the message is kept', async () => {
    const session = newSession();
    await session.login();
    const message = '該当する申請情報が存在しません。指定した取得対象期間を確認してください。';
    egov.onAccess = () => ({ kind: 'respond', status: 400, body: accessError(message) });
    await assert.rejects(access(session, 'GET', 'apply;date=20150101-20150101'), (e: unknown) => isEgovError(e, 'EGOV_API_ERROR') && e.serverMessage === message);
    assert.equal(egov.logins, 1);
    assert.equal((await session.snapshot()).hasKey, true);
  });

  void it('a key obtained for this very call and refused at once is not followed by a second login', async () => {
    const session = newSession();
    egov.onAccess = () => ({ kind: 'respond', status: 401, body: '' });
    await assert.rejects(access(session, 'GET', 'bank'), (e: unknown) => isEgovError(e, 'EGOV_AUTH_FAILED'));
    assert.equal(egov.logins, 1);
    assert.equal(provider.calls, 1);
    assert.equal((await session.snapshot()).hasKey, false);
  });

  void it('two concurrent calls refused with the same key share one re-login', async () => {
    const session = newSession();
    await session.login();
    egov.onAccess = (key) => (key === keyNumber(1) ? { kind: 'respond', status: 401, body: '' } : { kind: 'respond', status: 200, body: accessOk(String(key)) });
    // the re-login is answered only after both callers have been refused, so that they overlap
    egov.loginGate = async (n) => {
      while (n === 2 && egov.accessRequests().length < 2) await new Promise((r) => setTimeout(r, 5));
      if (n === 2) await new Promise((r) => setTimeout(r, 50));
    };
    const [a, b] = await Promise.all([access(session, 'GET', 'bank'), access(session, 'GET', 'notice/9002015000243928')]);
    assert.equal(a.applData.Value, keyNumber(2));
    assert.equal(b.applData.Value, keyNumber(2));
    assert.equal(egov.logins, 2, 'one initial login + ONE shared re-login');
    assert.equal(provider.calls, 2);
    assert.deepEqual(egov.accessRequests().map((r) => r.headers['x-egovapi-accesskey']).sort(), [keyNumber(1), keyNumber(1), keyNumber(2), keyNumber(2)]);
  });

  void it('a caller refused after another caller already renewed the key uses the new key without logging in', async () => {
    const session = newSession();
    await session.login();
    let firstAccess = true;
    let releaseSlow: () => void = () => undefined;
    const slowRefused = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    server.handle(async (req) => {
      if (req.url.endsWith('/authentication/login')) {
        egov.logins++;
        return { kind: 'respond', status: 200, body: loginBody(keyNumber(egov.logins), '') };
      }
      const key = req.headers['x-egovapi-accesskey'];
      if (key === keyNumber(1)) {
        if (firstAccess) {
          firstAccess = false;
          return { kind: 'respond', status: 401, body: '' };
        }
        // the slow caller's refusal arrives only after the fast caller has its new key
        await slowRefused;
        return { kind: 'respond', status: 401, body: '' };
      }
      return { kind: 'respond', status: 200, body: accessOk(String(key)) };
    });
    const fast = access(session, 'GET', 'bank');
    const slow = access(session, 'GET', 'bank');
    assert.equal((await fast).applData.Value, keyNumber(2));
    releaseSlow();
    assert.equal((await slow).applData.Value, keyNumber(2));
    assert.equal(egov.logins, 2);
  });

  void it('when the re-login itself fails, the refused key is gone and the error is the login\'s', async () => {
    const session = newSession();
    await session.login();
    egov.onAccess = () => ({ kind: 'respond', status: 401, body: '' });
    egov.onLogin = (n) => (n === 2 ? { kind: 'respond', status: 503, body: '' } : null);
    await assert.rejects(access(session, 'GET', 'bank'), (e: unknown) => isEgovError(e, 'EGOV_SERVER_ERROR'));
    assert.equal((await session.snapshot()).hasKey, false);
    assert.equal(provider.closed, provider.calls);
    // the next call starts over with a login of its own
    egov.onAccess = (key) => ({ kind: 'respond', status: 200, body: accessOk(String(key)) });
    assert.equal((await access(session, 'GET', 'bank')).applData.Value, keyNumber(3));
  });

  void it('a PIN cancelled during the re-login comes back as the signer\'s error, with no half state', async () => {
    const session = newSession();
    await session.login();
    egov.onAccess = () => ({ kind: 'respond', status: 401, body: '' });
    provider.fail = () => new SigningError('PIN_CANCELLED', { ja: 'PIN の入力が取り消されました。', en: 'cancelled' });
    await assert.rejects(access(session, 'GET', 'bank'), (e: unknown) => e instanceof SigningError && e.code === 'PIN_CANCELLED');
    assert.equal((await session.snapshot()).hasKey, false);
    assert.equal(egov.logins, 1);
  });
});

void describe('isAccessKeyRejection', () => {
  void it('tells key problems from other errors', async () => {
    const client = new EgovClient({ baseUrl: server.baseUrl, softwareId: SOFTWARE_ID });
    const errorFor = async (action: FaultAction): Promise<unknown> => {
      server.handle(() => action);
      return client.call({ method: 'GET', path: 'access/bank', accessKey: 'k' }).catch((e: unknown) => e);
    };
    assert.equal(isAccessKeyRejection(await errorFor({ kind: 'respond', status: 401, body: '' })), true);
    assert.equal(isAccessKeyRejection(await errorFor({ kind: 'respond', status: 400, body: accessError('アクセスキーが不正です。') })), true);
    assert.equal(isAccessKeyRejection(await errorFor({ kind: 'respond', status: 400, body: accessError('認証に失敗しました。') })), true);
    assert.equal(isAccessKeyRejection(await errorFor({ kind: 'respond', status: 400, body: accessError('該当する申請情報が存在しません。') })), false);
    assert.equal(isAccessKeyRejection(await errorFor({ kind: 'respond', status: 500, body: '' })), false);
    assert.equal(isAccessKeyRejection(new Error('アクセスキー')), false);
  });
});

void describe('one session, one login at a time', () => {
  void it('a call and a snapshot made while a login is under way wait for it and see the new key, never the one being replaced', async () => {
    const session = newSession();
    await session.login();
    let openGate: () => void = () => undefined;
    egov.loginGate = (n) => (n === 2 ? new Promise<void>((r) => (openGate = r)) : Promise.resolve());
    const login = session.login();
    await new Promise((r) => setTimeout(r, 50));
    const call = access(session, 'GET', 'bank');
    const snapshot = session.snapshot();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(egov.accessRequests().length, 0, 'the call waits for the login');
    openGate();
    await login;
    assert.equal((await call).applData.Value, keyNumber(2));
    const state = await snapshot;
    assert.equal(state.hasKey, true);
    assert.equal(keyChanges.at(-1)?.accessKey, keyNumber(2));
    assert.deepEqual(egov.accessRequests().map((r) => r.headers['x-egovapi-accesskey']), [keyNumber(2)]);
  });

  void it('two logins asked for at once are one login, and each caller learns the certificate it signed with', async () => {
    const session = newSession();
    const [a, b] = await Promise.all([session.login(), session.login()]);
    assert.equal(egov.logins, 1);
    assert.equal(provider.calls, 1);
    assert.ok(a.certificate.raw.equals(EE01_CERT.raw));
    assert.ok(b.certificate.raw.equals(EE01_CERT.raw));
  });

  void it('a failure whose delivery is unknown goes back unchanged: no re-login, no resend', async () => {
    const session = newSession();
    await session.login();
    egov.onAccess = () => ({ kind: 'reset-mid-response', status: 200, partialBody: '<DataRoot>', declaredLength: 500 });
    await assert.rejects(access(session, 'POST', 'apply', '<DataRoot/>'), (e: unknown) => isEgovError(e) && e.delivery === 'unknown');
    assert.equal(egov.logins, 1);
    assert.equal(egov.accessRequests().length, 1, 'sent once');
    assert.equal((await session.snapshot()).hasKey, true);
  });

  void it('only an answered refusal counts as a refused key', () => {
    const answered = new EgovError('EGOV_AUTH_FAILED', { ja: 'x', en: 'x' }, { delivery: 'answered', status: 401 });
    const unknown = new EgovError('EGOV_AUTH_FAILED', { ja: 'x', en: 'x' }, { delivery: 'unknown', status: 401 });
    assert.equal(isAccessKeyRejection(answered), true);
    assert.equal(isAccessKeyRejection(unknown), false);
  });
});

// Transport faults over real sockets (test/support/fault-server.ts): each becomes a typed EgovError
// with a Japanese message and the right `delivery`, and a session that meets it keeps its key.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isEgovError, type EgovDelivery, type EgovError, type EgovErrorCode } from '../../src/main/egov/errors.js';
import { EgovClient, type EgovClientOptions } from '../../src/main/egov/http.js';
import type { EgovSession, AccessKeyRecord } from '../../src/main/session/session.js';
import { access, v1Session } from '../support/v1-session.js';
import type { Signer } from '../../src/main/signing/signer.js';
import {

  closedPort,
  makeTestTlsPki,
  startFaultServer,
  startSilentTcpServer,
  type FaultAction,
  type FaultServer,
  type TestTlsPki,
} from '../support/fault-server.js';

const SOFTWARE_ID = 'TODOKE000001';
const OK_BODY = '<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n\t<Result>\r\n\t\t<Code>0</Code>\r\n\t\t<Message></Message>\r\n\t</Result>\r\n\t<ApplData>\r\n\t\t<BankCount>0</BankCount>\r\n\t</ApplData>\r\n</DataRoot>';
const ERROR_500_BODY =
  '<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n\r\n\r\n\t<Result>\r\n\t\t<Code>1</Code>\r\n\t\t<Message>システムでエラーが発生したため処理が中断されました。電子政府利用支援センターまでご連絡ください。</Message>\r\n\t</Result>\r\n\t<ApplData>\r\n\t</ApplData>\r\n\r\n</DataRoot>';

const RESTORED: AccessKeyRecord = { accessKey: 'OLD-KEY-0123456789+/=', obtainedAt: new Date('2025-01-02T03:04:05Z'), lastAuthenticationDate: '' };

/** A session holding RESTORED whose signer provider must never be needed in these tests. */
function sessionWith(client: EgovClient): { session: EgovSession; providerCalls: () => number } {
  let calls = 0;
  const session = v1Session(client, {
    userId: 'todoke0001',
    restoredKey: RESTORED,
    signerProvider: async (): Promise<Signer> => {
      calls++;
      throw new Error('no login expected in a transport-fault test');
    },
  });
  return { session, providerCalls: () => calls };
}

interface Expectation {
  code: EgovErrorCode;
  delivery: EgovDelivery;
  status?: number;
  ja: RegExp;
  check?: (e: EgovError) => void;
}

async function expectFault(promise: Promise<unknown>, x: Expectation): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(isEgovError(e, x.code), `expected ${x.code}, got ${e instanceof Error ? `${(e as { code?: string }).code}: ${e.message}` : String(e)}`);
    assert.equal(e.delivery, x.delivery);
    assert.equal(e.status, x.status);
    assert.match(e.messageJa, x.ja);
    assert.match(e.messageJa, /(してください|お試しください)/);
    assert.ok(e.message.length > 0);
    x.check?.(e);
    return true;
  });
}

/** Runs the fault through a bare client call and through a session, then checks the session kept its key. */
async function faultBothWays(options: EgovClientOptions, x: Expectation, server?: FaultServer): Promise<void> {
  const client = new EgovClient(options);
  await expectFault(client.call({ method: 'GET', path: 'access/bank', accessKey: RESTORED.accessKey }), x);
  const { session, providerCalls } = sessionWith(client);
  const before = server?.requests.length ?? 0;
  await expectFault(access(session, 'GET', 'bank'), x);
  assert.deepEqual(await session.snapshot(), { userId: 'todoke0001', hasKey: true, keyObtainedAt: RESTORED.obtainedAt, lastAuthenticationDate: null, lastAuthenticatedAt: null });
  assert.equal(providerCalls(), 0, 'a transport fault is not a reason to log in again');
  if (server) {
    // exactly one attempt, with the old key: no hidden retry of a request that may have arrived
    const sent = server.requests.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.headers['x-egovapi-accesskey'], RESTORED.accessKey);
  }
}

void describe('faults over plain loopback http', () => {
  let server: FaultServer;
  void before(async () => {
    server = await startFaultServer();
  });
  void after(async () => {
    await server.close();
  });
  const options = (extra: Partial<EgovClientOptions> = {}): EgovClientOptions => ({ baseUrl: server.baseUrl, softwareId: SOFTWARE_ID, ...extra });
  const script = (action: FaultAction): void => server.handle(() => action);

  void it('connection refused → EGOV_CONNECTION_FAILED, not sent', async () => {
    const port = await closedPort();
    await faultBothWays({ baseUrl: `http://127.0.0.1:${port}/shinsei/1/`, softwareId: SOFTWARE_ID }, {
      code: 'EGOV_CONNECTION_FAILED',
      delivery: 'not-sent',
      ja: /接続できませんでした/,
      check: (e) => assert.equal(e.detail?.errno, 'ECONNREFUSED'),
    });
  });

  void it('unknown host name → EGOV_CONNECTION_FAILED, not sent', async () => {
    await faultBothWays({ baseUrl: 'https://todoke-no-such-host.invalid/shinsei/1/', softwareId: SOFTWARE_ID }, {
      code: 'EGOV_CONNECTION_FAILED',
      delivery: 'not-sent',
      ja: /todoke-no-such-host\.invalid/,
      check: (e) => assert.match(String(e.detail?.errno), /^(ENOTFOUND|EAI_AGAIN|EAI_NONAME)$/),
    });
  });

  void it('connection reset in the middle of the body → EGOV_CONNECTION_RESET, delivery unknown', async () => {
    script({ kind: 'reset-mid-response', status: 200, partialBody: OK_BODY.slice(0, 80), declaredLength: OK_BODY.length });
    await faultBothWays(options(), {
      code: 'EGOV_CONNECTION_RESET',
      delivery: 'unknown',
      ja: /途中で切断/,
      check: (e) => assert.equal(e.detail?.phase, 'mid-response'),
    }, server);
  });

  void it('connection closed before any response → EGOV_CONNECTION_RESET, delivery unknown', async () => {
    script({ kind: 'drop' });
    await faultBothWays(options(), { code: 'EGOV_CONNECTION_RESET', delivery: 'unknown', ja: /届いたかどうかは分かりません/, check: (e) => assert.equal(e.detail?.phase, 'before-response') }, server);
  });

  void it('5xx with an e-Gov XML body → EGOV_API_ERROR with the message verbatim', async () => {
    script({ kind: 'respond', status: 500, body: ERROR_500_BODY });
    await faultBothWays(options(), {
      code: 'EGOV_API_ERROR',
      delivery: 'answered',
      status: 500,
      ja: /電子政府利用支援センター/,
      check: (e) => assert.equal(e.serverMessage, 'システムでエラーが発生したため処理が中断されました。電子政府利用支援センターまでご連絡ください。'),
    }, server);
  });

  void it('5xx without a body, and 503 with an HTML page → EGOV_SERVER_ERROR', async () => {
    script({ kind: 'respond', status: 500, body: '' });
    await faultBothWays(options(), { code: 'EGOV_SERVER_ERROR', delivery: 'answered', status: 500, ja: /HTTP 500/ }, server);
    script({ kind: 'respond', status: 503, body: '<html><body>Service Temporarily Unavailable</body></html>', headers: { 'Content-Type': 'text/html' } });
    await faultBothWays(options(), { code: 'EGOV_SERVER_ERROR', delivery: 'answered', status: 503, ja: /HTTP 503/ }, server);
  });

  void it('200 with a body that is not XML → EGOV_MALFORMED_RESPONSE', async () => {
    script({ kind: 'respond', status: 200, body: 'OK', headers: { 'Content-Type': 'text/plain' } });
    await faultBothWays(options(), { code: 'EGOV_MALFORMED_RESPONSE', delivery: 'answered', status: 200, ja: /読み取れない形式/ }, server);
    script({ kind: 'respond', status: 200, body: Buffer.from([0x3c, 0x44, 0xff, 0xfe, 0x00]) });
    await faultBothWays(options(), { code: 'EGOV_MALFORMED_RESPONSE', delivery: 'answered', status: 200, ja: /UTF-8/ }, server);
  });

  void it('a body over the cap → EGOV_RESPONSE_TOO_LARGE, whether announced by Content-Length or streamed chunked', async () => {
    const big = OK_BODY.replace('<BankCount>0</BankCount>', `<Filler>${'x'.repeat(20_000)}</Filler>`);
    script({ kind: 'respond', status: 200, body: big });
    await faultBothWays(options({ maxResponseBytes: 4096 }), { code: 'EGOV_RESPONSE_TOO_LARGE', delivery: 'unknown', ja: /上限/ }, server);
    script({ kind: 'respond', status: 200, body: big, chunked: true });
    await faultBothWays(options({ maxResponseBytes: 4096 }), { code: 'EGOV_RESPONSE_TOO_LARGE', delivery: 'unknown', ja: /上限/ }, server);
    // the same body within the cap is fine
    script({ kind: 'respond', status: 200, body: big, chunked: true });
    const reply = await new EgovClient(options({ maxResponseBytes: 64 * 1024 })).call({ method: 'GET', path: 'access/bank', accessKey: 'k' });
    assert.equal((reply.applData.Filler as string).length, 20_000);
  });

  void it('a server that never answers → EGOV_TIMEOUT (response phase), delivery unknown', async () => {
    script({ kind: 'hang' });
    // long enough that connecting to loopback surely finished first, even on a busy machine
    await faultBothWays(options({ timeoutMs: 1500 }), {
      code: 'EGOV_TIMEOUT',
      delivery: 'unknown',
      ja: /応答が 2 秒以内にありませんでした/,
      check: (e) => assert.equal(e.detail?.phase, 'response'),
    }, server);
  });

  void it('a server that sends headers and then stalls → EGOV_TIMEOUT', async () => {
    script({ kind: 'stall-body', status: 200, declaredLength: 500 });
    await faultBothWays(options({ timeoutMs: 1500 }), { code: 'EGOV_TIMEOUT', delivery: 'unknown', ja: /応答が/ }, server);
  });
});

void describe('faults over https', () => {
  let pki: TestTlsPki;
  let tlsServer: FaultServer;
  let wrongNameServer: FaultServer;
  void before(async () => {
    pki = makeTestTlsPki();
    tlsServer = await startFaultServer({ tls: { key: pki.serverKey, cert: pki.serverCert }, handler: () => ({ kind: 'respond', status: 200, body: OK_BODY }) });
    wrongNameServer = await startFaultServer({ tls: { key: pki.wrongNameKey, cert: pki.wrongNameCert }, handler: () => ({ kind: 'respond', status: 200, body: OK_BODY }) });
  });
  void after(async () => {
    await tlsServer.close();
    await wrongNameServer.close();
  });

  void it('a certificate from an unknown CA is refused → EGOV_TLS, nothing sent', async () => {
    const before = tlsServer.requests.length;
    await faultBothWays({ baseUrl: tlsServer.baseUrl, softwareId: SOFTWARE_ID }, {
      code: 'EGOV_TLS',
      delivery: 'not-sent',
      ja: /証明書を確認できなかった/,
      check: (e) => assert.match(String(e.detail?.tlsError), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/),
    });
    assert.equal(tlsServer.requests.length, before, 'no HTTP request may cross an unverified connection');
  });

  void it('the same server is accepted once its CA is given, and the request arrives intact', async () => {
    const client = new EgovClient({ baseUrl: tlsServer.baseUrl, softwareId: SOFTWARE_ID, extraCaCertificates: [pki.caCert] });
    const reply = await client.call({ method: 'GET', path: 'access/bank', accessKey: RESTORED.accessKey });
    assert.deepEqual(reply.applData, { BankCount: '0' });
    assert.equal(tlsServer.requests.at(-1)?.headers['x-egovapi-accesskey'], RESTORED.accessKey);
    assert.equal(tlsServer.requests.at(-1)?.headers['x-egovapi-softwareid'], SOFTWARE_ID);
  });

  void it('a trusted CA does not excuse a certificate for another host name → EGOV_TLS', async () => {
    await faultBothWays({ baseUrl: wrongNameServer.baseUrl, softwareId: SOFTWARE_ID, extraCaCertificates: [pki.caCert] }, {
      code: 'EGOV_TLS',
      delivery: 'not-sent',
      ja: /証明書を確認できなかった/,
      check: (e) => assert.match(String(e.detail?.tlsError), /ALTNAME|HOSTNAME/),
    });
    assert.equal(wrongNameServer.requests.length, 0);
  });

  void it('an unrelated CA does not make the server trusted', async () => {
    const unrelated = makeTestTlsPki().caCert;
    assert.notEqual(new X509Certificate(unrelated).fingerprint256, new X509Certificate(pki.caCert).fingerprint256);
    await faultBothWays({ baseUrl: tlsServer.baseUrl, softwareId: SOFTWARE_ID, extraCaCertificates: [unrelated] }, { code: 'EGOV_TLS', delivery: 'not-sent', ja: /証明書/ });
  });

  void it('a TLS handshake that never completes → EGOV_TIMEOUT (connect phase), not sent', async () => {
    const silent = await startSilentTcpServer();
    try {
      await faultBothWays({ baseUrl: `https://127.0.0.1:${silent.port}/shinsei/1/`, softwareId: SOFTWARE_ID, connectTimeoutMs: 300 }, {
        code: 'EGOV_TIMEOUT',
        delivery: 'not-sent',
        ja: /接続が 1 秒以内に完了しませんでした/,
        check: (e) => assert.equal(e.detail?.phase, 'connect'),
      });
    } finally {
      await silent.close();
    }
  });
});

void describe('a session after faults', () => {
  void it('keeps working with its old key once the server recovers', async () => {
    const server = await startFaultServer();
    try {
      const client = new EgovClient({ baseUrl: server.baseUrl, softwareId: SOFTWARE_ID, timeoutMs: 300 });
      const { session, providerCalls } = sessionWith(client);
      const faults: FaultAction[] = [
        { kind: 'drop' },
        { kind: 'hang' },
        { kind: 'respond', status: 502, body: '' },
        { kind: 'respond', status: 200, body: 'garbage' },
        { kind: 'reset-mid-response', status: 200, partialBody: '<DataRoot>', declaredLength: 500 },
      ];
      for (const f of faults) {
        server.handle(() => f);
        await assert.rejects(access(session, 'GET', 'bank'), (e: unknown) => isEgovError(e));
      }
      server.handle(() => ({ kind: 'respond', status: 200, body: OK_BODY }));
      const reply = await access(session, 'GET', 'bank');
      assert.deepEqual(reply.applData, { BankCount: '0' });
      assert.equal(providerCalls(), 0);
      assert.deepEqual(
        server.requests.map((r) => r.headers['x-egovapi-accesskey']),
        Array(faults.length + 1).fill(RESTORED.accessKey),
      );
    } finally {
      await server.close();
    }
  });
});

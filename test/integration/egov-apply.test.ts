// 一括申請, 送信案件一覧 and 申請案件一覧 over real loopback sockets (test/support/fault-server.ts), through
// the session as features call them: the exact URIs, headers and bytes sent, the answers decoded,
// "nothing in range" as an empty list, and every failure after which e-Gov may hold a batch reported
// with delivery 'unknown' and never sent again by the session.
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { decodeApplyRequest } from '../../src/main/egov/apply-codec.js';
import { isEgovError } from '../../src/main/egov/errors.js';
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import { EgovClient } from '../../src/main/egov/http.js';
import { EgovSession } from '../../src/main/session/session.js';
import { KeyObjectSigner } from '../../src/main/signing/signer.js';
import { startFaultServer, type FaultAction, type FaultServer, type RecordedRequest } from '../support/fault-server.js';
import { egovCertsDir, egovDir, egovKeyPassphrase, recordedDir } from '../support/paths.js';

const USER_ID = 'todoke0001';
const SOFTWARE_ID = 'TODOKE000001';

function pemBlock(file: string, label: string): string {
  const m = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).exec(readFileSync(join(egovCertsDir, file), 'latin1'));
  assert.ok(m);
  return m[0];
}
const EE01_KEY = createPrivateKey({ key: pemBlock('e-GovEE01_sha2.pem', 'RSA PRIVATE KEY'), passphrase: egovKeyPassphrase });
const EE01_CERT = new X509Certificate(pemBlock('e-GovEE01_sha2.cer', 'CERTIFICATE'));

const recorded = (...parts: string[]): Buffer => readFileSync(join(recordedDir, ...parts));
const history = (...parts: string[]): Buffer => readFileSync(join(egovDir, 'recorded-history', ...parts));

const APPLY_202 = recorded('apply', 'response.xml');
const APPLY_REQUEST = recorded('apply', 'request.xml');
const SENDS_BY_ID = recorded('sends-by-id', 'response.xml');
const SENDS_BY_DATE = recorded('sends-by-date', 'response.xml');
const ARRIVED = recorded('arrived-by-send-number', 'response.xml');
const NO_DATA_400 = history('sends-by-date-no-data-400', '2', 'response.xml');
const SYSTEM_ERROR_500 = history('amendapply-ineligible-500', 'response.xml');

const keyNumber = (n: number): string => `K${n}`.padEnd(256, 'A');
const loginBody = (key: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<DataRoot>\n<Result>\n<Code>0</Code>\n<Message></Message>\n</Result>\n<ApplData>\n<UserID>${USER_ID}</UserID>\n<AccessKey>${key}</AccessKey>\n<LastAuthenticationDate>20250101090000</LastAuthenticationDate>\n</ApplData>\n</DataRoot>\n`;

let server: FaultServer;
let logins: number;
let onAccess: (req: RecordedRequest) => FaultAction;

const accessRequests = (): RecordedRequest[] => server.requests.filter((r) => r.url.startsWith('/shinsei/1/access/'));

function setUp(timeoutMs = 5000): { session: EgovSession; gateway: EgovV1Gateway } {
  const client = new EgovClient({ baseUrl: server.baseUrl, softwareId: SOFTWARE_ID, timeoutMs });
  const gateway = new EgovV1Gateway(client);
  const session = new EgovSession({ gateway, userId: USER_ID, signerProvider: () => Promise.resolve(new KeyObjectSigner('pem', EE01_KEY, EE01_CERT)) });
  return { session, gateway };
}

void beforeEach(async () => {
  server = await startFaultServer();
  logins = 0;
  onAccess = () => ({ kind: 'respond', status: 500, body: 'unscripted' });
  server.handle((req) => {
    if (req.url === '/shinsei/1/authentication/login') return { kind: 'respond', status: 200, body: loginBody(keyNumber(++logins)) };
    return onAccess(req);
  });
});
void afterEach(async () => {
  await server.close();
});

void describe('what goes on the wire', () => {
  void it('一括申請: POST /shinsei/1/access/apply with the prepared bytes exactly, the key and the software ID; the 202 decoded', async () => {
    const { session, gateway } = setUp();
    onAccess = () => ({ kind: 'respond', status: 202, body: APPLY_202 });
    const prepared = gateway.prepareBatch(decodeApplyRequest(APPLY_REQUEST));
    const receipt = await session.withAccessKey((key) => gateway.sendBatch(key, prepared.body));
    assert.deepEqual(receipt, { sendNumber: '201504281145005643', sendDate: '20150428114500', sendFileName: 'apply.zip', sendApplyCount: 1, errorCount: 0 });
    const [sent] = accessRequests();
    assert.ok(sent);
    assert.equal(sent.method, 'POST');
    assert.equal(sent.url, '/shinsei/1/access/apply');
    assert.equal(sent.headers['x-egovapi-accesskey'], keyNumber(1));
    assert.equal(sent.headers['x-egovapi-softwareid'], SOFTWARE_ID);
    assert.equal(sent.headers['content-type'], 'text/xml; charset=UTF-8');
    assert.equal(sent.headers['content-length'], String(APPLY_REQUEST.length));
    assert.ok(sent.body.equals(prepared.body), 'the bytes the outbox stored');
    assert.ok(sent.body.equals(APPLY_REQUEST), 'the bytes e-Gov accepted in 2015');
  });

  void it('a Japanese file name goes out as UTF-8, byte for byte', async () => {
    const { session, gateway } = setUp();
    onAccess = () => ({ kind: 'respond', status: 202, body: APPLY_202 });
    const prepared = gateway.prepareBatch({ fileName: '雇用保険_2025.zip', zip: decodeApplyRequest(APPLY_REQUEST).zip });
    await session.withAccessKey((key) => gateway.sendBatch(key, prepared.body));
    assert.ok(accessRequests()[0]?.body.equals(prepared.body));
  });

  void it('送信案件一覧 by id and by date, 申請案件一覧: GET with matrix parameters unescaped, no body', async () => {
    const { session, gateway } = setUp();
    onAccess = (req) => {
      if (req.url.includes(';id=')) return { kind: 'respond', status: 200, body: SENDS_BY_ID, chunked: true };
      if (req.url.includes(';date=')) return { kind: 'respond', status: 200, body: SENDS_BY_DATE, chunked: true };
      return { kind: 'respond', status: 200, body: ARRIVED, chunked: true };
    };
    const byId = await session.withAccessKey((key) => gateway.listSends(key, { sendNumber: '201503090951504109' }));
    const byDate = await session.withAccessKey((key) => gateway.listSends(key, { from: '20150301', to: '20150310' }));
    const list = await session.withAccessKey((key) => gateway.listArrived(key, '201503090951504109'));
    assert.equal(byId.length, 1);
    assert.equal(byId[0]?.applications.length, 30);
    assert.equal(byDate.length, 6);
    assert.equal(list.applications.length, 30);
    const sent = accessRequests();
    assert.deepEqual(
      sent.map((r) => [r.method, r.url]),
      [
        ['GET', '/shinsei/1/access/apply;id=201503090951504109'],
        ['GET', '/shinsei/1/access/apply;date=20150301-20150310'],
        ['GET', '/shinsei/1/access/apply/201503090951504109'],
      ],
    );
    for (const r of sent) {
      assert.equal(r.body.length, 0);
      assert.equal(r.headers['content-type'], undefined);
      assert.equal(r.headers['x-egovapi-accesskey'], keyNumber(1));
      assert.equal(r.headers['x-egovapi-softwareid'], SOFTWARE_ID);
    }
    assert.equal(logins, 1);
  });

  void it('"nothing in range" (HTTP 400) is an empty list, and the key is kept: no re-login', async () => {
    const { session, gateway } = setUp();
    onAccess = () => ({ kind: 'respond', status: 400, body: NO_DATA_400 });
    assert.deepEqual(await session.withAccessKey((key) => gateway.listSends(key, { from: '20150101', to: '20150101' })), []);
    assert.deepEqual(await session.withAccessKey((key) => gateway.listSends(key, { from: '20150101', to: '20150101' })), []);
    assert.equal(logins, 1);
    assert.equal(accessRequests().length, 2);
    assert.equal((await session.snapshot()).hasKey, true);
  });

  void it('an invalid 送信番号 or range is refused before anything is sent (no login either)', async () => {
    const { session, gateway } = setUp();
    await assert.rejects(session.withAccessKey((key) => gateway.listSends(key, { sendNumber: '2015' })), (e: unknown) => isEgovError(e, 'EGOV_INVALID_ARGUMENT'));
    await assert.rejects(session.withAccessKey((key) => gateway.listArrived(key, '201503090951504109;x=1')), (e: unknown) => isEgovError(e, 'EGOV_INVALID_ARGUMENT'));
    await assert.rejects(session.withAccessKey((key) => gateway.listSends(key, { from: '20150310', to: '20150301' })), (e: unknown) => isEgovError(e, 'EGOV_INVALID_ARGUMENT'));
    assert.equal(accessRequests().length, 0);
  });
});

void describe('一括申請 is never sent twice by the session', () => {
  const unknownAndSentOnce = async (action: FaultAction, code: string, timeoutMs = 5000): Promise<void> => {
    const { session, gateway } = setUp(timeoutMs);
    await session.login();
    onAccess = () => action;
    const prepared = gateway.prepareBatch(decodeApplyRequest(APPLY_REQUEST));
    await assert.rejects(session.withAccessKey((key) => gateway.sendBatch(key, prepared.body)), (e: unknown) => {
      assert.ok(isEgovError(e), String(e));
      assert.equal(e.code, code);
      assert.equal(e.delivery, 'unknown');
      assert.match(e.messageJa, /送信案件一覧/);
      return true;
    });
    assert.equal(accessRequests().length, 1, 'sent once, not retried');
    assert.equal(logins, 1, 'no re-login');
    assert.equal((await session.snapshot()).hasKey, true);
  };

  void it('a connection reset before any answer', () => unknownAndSentOnce({ kind: 'drop' }, 'EGOV_CONNECTION_RESET'));
  void it('a connection reset in the middle of the 202', () =>
    unknownAndSentOnce({ kind: 'reset-mid-response', status: 202, partialBody: APPLY_202.subarray(0, 100).toString('latin1'), declaredLength: APPLY_202.length }, 'EGOV_CONNECTION_RESET'));
  void it('no answer within the deadline', () => unknownAndSentOnce({ kind: 'hang' }, 'EGOV_TIMEOUT', 400));
  void it('a 502 from a proxy (HTML)', () => unknownAndSentOnce({ kind: 'respond', status: 502, body: '<html>Bad Gateway</html>', headers: { 'Content-Type': 'text/html' } }, 'EGOV_SERVER_ERROR'));
  void it('HTTP 500 with Code 1 (e-Gov\'s system error)', () => unknownAndSentOnce({ kind: 'respond', status: 500, body: SYSTEM_ERROR_500 }, 'EGOV_API_ERROR'));
  void it('a 202 that cannot be read', () => unknownAndSentOnce({ kind: 'respond', status: 202, body: APPLY_202.subarray(0, 200) }, 'EGOV_MALFORMED_RESPONSE'));

  void it('a 400 Code 1 is a clear refusal: answered, not resent', async () => {
    const { session, gateway } = setUp();
    onAccess = () => ({ kind: 'respond', status: 400, body: NO_DATA_400.toString('utf8').replace(/<Message>[^<]*<\/Message>/, '<Message>申請データの形式に誤りがあります。</Message>') });
    const prepared = gateway.prepareBatch(decodeApplyRequest(APPLY_REQUEST));
    await assert.rejects(session.withAccessKey((key) => gateway.sendBatch(key, prepared.body)), (e: unknown) => isEgovError(e, 'EGOV_API_ERROR') && e.delivery === 'answered');
    assert.equal(accessRequests().length, 1);
  });

  void it('only a refused key (401: nothing accepted) leads to one re-login and the very same bytes sent again', async () => {
    const { session, gateway } = setUp();
    await session.login();
    let n = 0;
    onAccess = () => (++n === 1 ? { kind: 'respond', status: 401, body: '' } : { kind: 'respond', status: 202, body: APPLY_202 });
    const prepared = gateway.prepareBatch(decodeApplyRequest(APPLY_REQUEST));
    const receipt = await session.withAccessKey((key) => gateway.sendBatch(key, prepared.body));
    assert.equal(receipt.sendNumber, '201504281145005643');
    const sent = accessRequests();
    assert.equal(sent.length, 2);
    assert.equal(logins, 2);
    assert.deepEqual(sent.map((r) => r.headers['x-egovapi-accesskey']), [keyNumber(1), keyNumber(2)]);
    assert.ok(sent.every((r) => r.body.equals(prepared.body)));
  });
});

// The sandbox against e-Gov's recorded traffic (egov-v1/recorded, recorded-history): the recorded
// requests are accepted as they were sent, and the sandbox answers with the recorded bytes — body,
// status, header set and order — where the recording fixes them, and with the recorded shape after
// substituting the values that vary (user id, key, dates) where it does not.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { egovCertsDir } from '../support/paths.js';
import { openEgovSigner } from '../support/egov-signer.js';
import { item, PATHS, post, recorded, signedBody, startTestSandbox, tableSnapshot, type RawResponse, type RecordedMeta, type TestSandbox } from './sandbox-support.js';

const egovCertificates = readdirSync(egovCertsDir)
  .filter((f) => f.endsWith('.cer'))
  .map((f) => join(egovCertsDir, f));

/** The recorded header names in order, with Date (which the recorder kept out of meta.json) third. */
function expectedHeaderOrder(meta: RecordedMeta): string[] {
  const names = Object.keys(meta.response_headers).map((n) => (n === 'X-Ua-Compatible' ? 'X-UA-Compatible' : n));
  return [...names.slice(0, 2), 'Date', ...names.slice(2)];
}

function assertRecordedHeaders(res: RawResponse, meta: RecordedMeta, at: Date): void {
  const ours = res.headerPairs.map(([n]) => n).filter((n) => n !== 'Connection' && n !== 'Keep-Alive');
  assert.deepEqual(ours, expectedHeaderOrder(meta));
  for (const [name, [value]] of Object.entries(meta.response_headers)) {
    if (name === 'Content-Length') continue;
    assert.equal(res.headers[name.toLowerCase()], value, name);
  }
  assert.equal(res.headers['content-length'], String(res.body.length));
  assert.equal(res.headers.date, at.toUTCString());
}

/** Posts a recorded request at its recorded time and checks status, body and headers against the recording. */
async function replay(t: TestSandbox, relative: string): Promise<RawResponse> {
  const rec = recorded(relative);
  const at = new Date(rec.meta.recorded_at);
  t.setClock(at);
  const res = await post(t, rec.meta.path, rec.request);
  assert.equal(res.status, rec.meta.status, `${relative}: ${res.text}`);
  assert.equal(res.text, rec.response.toString('utf8'), relative);
  assert.ok(res.body.equals(rec.response), `${relative}: bytes`);
  assert.equal(res.headers['content-length'], rec.meta.response_headers['Content-Length']![0]);
  assertRecordedHeaders(res, rec.meta, at);
  return res;
}

void describe('sandbox against the recorded e-Gov traffic', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, at: '2015-04-28T11:45:07+09:00' });
  });
  after(() => t.close());

  void it('accepts the recorded 利用者ID登録 request as sent and answers the recorded 201 byte for byte', async () => {
    assert.equal(recorded('recorded/register').meta.recorded_at, 'Tue, 28 Apr 2015 02:45:07 GMT');
    await replay(t, 'recorded/register');
  });

  void it('replays the recorded register + 証明書識別情報追加 sequence byte for byte', async () => {
    await replay(t, 'recorded/certificate-append/1');
    const res = await replay(t, 'recorded/certificate-append/2');
    // registration is not an authentication: the append right after it has no previous one
    assert.equal(item(res.text, 'LastAuthenticationDate'), '');
  });

  void it('replays the recorded register + append + 証明書識別情報削除 sequence; the delete reports the append as the last authentication', async () => {
    await replay(t, 'recorded/certificate-delete/1');
    await replay(t, 'recorded/certificate-delete/2');
    const res = await replay(t, 'recorded/certificate-delete/3');
    assert.equal(item(res.text, 'LastAuthenticationDate'), '20150428114513');
  });

  void it('reproduces the recorded 400 "already registered" body (no XML declaration) for a repeated registration, without changing state', async () => {
    const history = 'recorded-history/register-already-registered-400';
    const rec = recorded(history);
    t.setClock(new Date(rec.meta.recorded_at));
    const first = await post(t, rec.meta.path, rec.request);
    assert.equal(first.status, 201, first.text);
    assert.equal(item(first.text, 'UserID'), 'SmartHR001');
    const before = tableSnapshot(t.dataDir);
    const second = await replay(t, history);
    assert.ok(second.text.startsWith('<DataRoot>\n'));
    assert.equal(second.headers['content-length'], '211');
    assert.equal(tableSnapshot(t.dataDir), before);
    await replay(t, history);
  });
});

void describe('sandbox answers in the recorded shapes for requests signed by Todoke with the e-Gov test keys', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, at: '2015-04-28T11:45:08+09:00' });
  });
  after(() => t.close());

  void it('register signed by Todoke (e-GovEE01), then the recorded append request: the recorded answer byte for byte', async () => {
    const signer = openEgovSigner('e-GovEE01_sha2');
    const reg = await post(t, PATHS.register, await signedBody(signer, '150428114508'));
    assert.equal(reg.status, 201, reg.text);
    assert.ok(reg.body.equals(recorded('recorded/certificate-append/1').response));
    await replay(t, 'recorded/certificate-append/2');
  });

  void it('login: the recorded answer after substituting user id and access key (same Content-Length as recorded)', async () => {
    const signer = openEgovSigner('e-GovEE01_sha2');
    // the recorded test user id had 10 characters (REFERENCE A.3)
    const userId = 'kufutest01';
    t.setClock('2015-04-28T11:44:50+09:00');
    assert.equal((await post(t, PATHS.register, await signedBody(signer, userId))).status, 201);
    t.setClock('2015-04-28T11:44:59+09:00');
    const first = await post(t, PATHS.login, await signedBody(signer, userId));
    assert.equal(first.status, 200, first.text);
    assert.equal(item(first.text, 'LastAuthenticationDate'), '');
    const rec = recorded('recorded/login');
    t.setClock(new Date(rec.meta.recorded_at));
    const res = await post(t, PATHS.login, await signedBody(signer, userId));
    assert.equal(res.status, 200);
    const key = item(res.text, 'AccessKey')!;
    assert.match(key, /^[A-Za-z0-9+/]{256}$/);
    assert.equal(Buffer.from(key, 'base64').length, 192);
    const recordedKey = item(rec.response.toString('utf8'), 'AccessKey')!;
    assert.equal(recordedKey.length, 256);
    const expected = rec.response.toString('utf8').replace('<EGOV-TEST-USER-ID>', userId).replace(recordedKey, key);
    // the recorded previous login was at 11:44:59 JST, as here
    assert.equal(res.text, expected);
    assert.equal(res.headers['content-length'], '511');
    assertRecordedHeaders(res, rec.meta, new Date(rec.meta.recorded_at));
  });

  void it('update with an expired old certificate (e-GovEE04-1 → e-GovEE04-2): the recorded answer after substituting user id and date', async () => {
    const oldSigner = openEgovSigner('e-GovEE04-1_sha2');
    const newSigner = openEgovSigner('e-GovEE04-2_sha2');
    // e-GovEE04-1 was valid for one day only: register and log in on that day
    t.setClock('2014-11-29T10:00:00+09:00');
    assert.equal((await post(t, PATHS.register, await signedBody(oldSigner, 'testuser01'))).status, 201);
    t.setClock('2014-11-29T13:18:31+09:00');
    assert.equal((await post(t, PATHS.login, await signedBody(oldSigner, 'testuser01'))).status, 200);
    // the recorded update came on 2015-04-24, long after the old certificate expired
    t.setClock('2015-04-24T15:47:01+09:00');
    const body = await signedBody(newSigner, 'testuser01', { name: 'X509Certificate', base64: oldSigner.certificate.raw.toString('base64') });
    const res = await post(t, PATHS.update, body);
    assert.equal(res.status, 200, res.text);
    const rec = recorded('recorded/certificate-update');
    const expected = rec.response.toString('utf8').replace('mytkufuinc', 'testuser01').replace('20150424131831', '20141129131831');
    assert.equal(res.text, expected);
    assert.equal(res.headers['content-length'], rec.meta.response_headers['Content-Length']![0]);
    // the new certificate now logs in
    const login = await post(t, PATHS.login, await signedBody(newSigner, 'testuser01'));
    assert.equal(login.status, 200, login.text);
    assert.equal(item(login.text, 'LastAuthenticationDate'), '20150424154701');
  });

  void it('refuses the recorded login and update requests, whose user id the recorder replaced (not well-formed XML), without changing state', async () => {
    const before = tableSnapshot(t.dataDir);
    for (const rel of ['recorded/login', 'recorded/certificate-update']) {
      const rec = recorded(rel);
      const res = await post(t, rec.meta.path, rec.request);
      assert.equal(res.status, 400, rel);
      assert.ok(res.text.startsWith('<DataRoot>\n<Result>\n<Code>1</Code>\n'), res.text);
    }
    assert.equal(tableSnapshot(t.dataDir), before);
  });
});

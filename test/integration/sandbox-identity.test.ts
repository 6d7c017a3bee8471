// The identity rules of the sandbox (REFERENCE §4.1, §4.2, §4.21–4.23, §9) over HTTP: login and
// access keys (previous authentication, lifetime, several keys at once), certificate append,
// update (also from an expired certificate) and delete, and the SIM-CHOICE rules around them.
// Certificates come from a test CA the sandbox is told to trust; time is the sandbox clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  countRows,
  item,
  PATHS,
  post,
  rawRequest,
  signedBody,
  SOFTWARE_ID,
  startTestSandbox,
  tableSnapshot,
  testCa,
  testUser,
  type TestSandbox,
  type TestUser,
} from './sandbox-support.js';

const ca = testCa();
const alice = testUser(ca, 'Alice Sandbox');
const aliceNew = testUser(ca, 'Alice Sandbox (renewed)');
const bob = testUser(ca, 'Bob Sandbox');
const carol = testUser(ca, 'Carol Sandbox');
// valid only until 2026-03-31: expired when the clock moves past it
const shortLived = testUser(ca, 'Dave Sandbox', { notBefore: '2025-01-01T00:00:00Z', notAfter: '2026-03-31T00:00:00Z' });
const daveNew = testUser(ca, 'Dave Sandbox (renewed)', { notBefore: '2026-03-01T00:00:00Z', notAfter: '2031-03-01T00:00:00Z' });

async function register(t: TestSandbox, user: TestUser, userId: string) {
  return post(t, PATHS.register, await signedBody(user.signer, userId));
}
async function login(t: TestSandbox, user: TestUser, userId: string) {
  return post(t, PATHS.login, await signedBody(user.signer, userId));
}
async function append(t: TestSandbox, signer: TestUser, userId: string, added: TestUser) {
  return post(t, PATHS.append, await signedBody(signer.signer, userId, { name: 'AddX509Certificate', base64: added.base64 }));
}
async function update(t: TestSandbox, signer: TestUser, userId: string, old: TestUser) {
  return post(t, PATHS.update, await signedBody(signer.signer, userId, { name: 'X509Certificate', base64: old.base64 }));
}
async function del(t: TestSandbox, signer: TestUser, userId: string, deleted: TestUser) {
  return post(t, PATHS.delete, await signedBody(signer.signer, userId, { name: 'DelX509Certificate', base64: deleted.base64 }));
}
function accessCall(t: TestSandbox, key: string | null, path = '/shinsei/1/access/no-such-api') {
  const headers: Record<string, string> = { 'x-eGovAPI-SoftwareID': SOFTWARE_ID };
  if (key !== null) headers['x-eGovAPI-AccessKey'] = key;
  return rawRequest(t.sandbox.url, path, { method: 'GET', headers });
}

function assertAuthenticationError(res: { status: number; text: string }, status: number, message: RegExp | string, items: string[]) {
  assert.equal(res.status, status, res.text);
  assert.ok(res.text.startsWith('<DataRoot>\n<Result>\n<Code>1</Code>\n<Message>'), res.text);
  assert.ok(res.text.endsWith('</ApplData>\n</DataRoot>\n'), res.text);
  const message_ = item(res.text, 'Message')!;
  if (typeof message === 'string') assert.equal(message_, message);
  else assert.match(message_, message);
  const applData = res.text.slice(res.text.indexOf('<ApplData>\n') + '<ApplData>\n'.length, res.text.indexOf('</ApplData>'));
  assert.deepEqual(
    applData.split('\n').filter(Boolean).map((l) => /^<([A-Za-z]+)>/.exec(l)![1]),
    items,
  );
}

void describe('sandbox login and access keys', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ trust: [ca.certificate], bundledTrust: false, keyTtlSeconds: 3600, at: '2026-01-15T09:00:00+09:00' });
    assert.equal((await register(t, alice, 'alice01')).status, 201);
  });
  after(() => t.close());

  void it('answers LastAuthenticationDate = the previous authentication (empty the first time) with a fresh 256-character key each time', async () => {
    t.setClock('2026-01-15T10:00:00+09:00');
    const first = await login(t, alice, 'alice01');
    assert.equal(first.status, 200, first.text);
    assert.equal(item(first.text, 'LastAuthenticationDate'), '');
    assert.equal(item(first.text, 'UserID'), 'alice01');
    const key1 = item(first.text, 'AccessKey')!;
    assert.match(key1, /^[A-Za-z0-9+/]{256}$/);
    assert.equal(Buffer.from(key1, 'base64').length, 192);

    t.setClock('2026-01-15T10:05:30+09:00');
    const second = await login(t, alice, 'alice01');
    assert.equal(item(second.text, 'LastAuthenticationDate'), '20260115100000');
    const key2 = item(second.text, 'AccessKey')!;
    assert.notEqual(key2, key1);

    t.setClock('2026-01-15T10:06:00+09:00');
    const third = await login(t, alice, 'alice01');
    assert.equal(item(third.text, 'LastAuthenticationDate'), '20260115100530');
  });

  void it('keeps several keys of one user valid at once, each until its own expiry, and refuses them after', async () => {
    t.setClock('2026-02-01T12:00:00+09:00');
    const k1 = item((await login(t, alice, 'alice01')).text, 'AccessKey')!;
    t.setClock('2026-02-01T12:30:00+09:00');
    const k2 = item((await login(t, alice, 'alice01')).text, 'AccessKey')!;
    assert.equal(t.sandbox.resolveAccessKey(k1), 'alice01');
    assert.equal(t.sandbox.resolveAccessKey(k2), 'alice01');

    // TTL 3600 s: k1 lives until 13:00:00 (exclusive)
    t.setClock('2026-02-01T12:59:59+09:00');
    assert.equal(t.sandbox.resolveAccessKey(k1), 'alice01');
    assert.equal((await accessCall(t, k1)).status, 404, 'a live key passes the guard, to a path no API answers');
    t.setClock('2026-02-01T13:00:00+09:00');
    assert.equal(t.sandbox.resolveAccessKey(k1), null);
    assert.equal(t.sandbox.resolveAccessKey(k2), 'alice01');
    const refused = await accessCall(t, k1);
    assert.equal(refused.status, 401);
    assert.equal(
      refused.text,
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n\r\n\r\n\r\n<Result>\r\n\t<Code>1</Code>\r\n' +
        '\t<Message>アクセスキーが指定されていないか、不正か、有効期限が切れています。利用者認証をやり直して新しいアクセスキーを取得してください。</Message>\r\n' +
        '</Result>\r\n<ApplData>\r\n</ApplData>\r\n\r\n</DataRoot>',
    );
    assert.equal((await accessCall(t, k2)).status, 404);
    t.setClock('2026-02-01T13:30:00+09:00');
    assert.equal(t.sandbox.resolveAccessKey(k2), null);
  });

  void it('refuses a missing, unknown or altered key on /access/ with 401', async () => {
    t.setClock('2026-03-01T09:00:00+09:00');
    const key = item((await login(t, alice, 'alice01')).text, 'AccessKey')!;
    const altered = (key[0] === 'A' ? 'B' : 'A') + key.slice(1);
    for (const k of [null, '', altered, key.slice(1), `${key} `.trim() + 'A', 'x'.repeat(4000)]) {
      const res = await accessCall(t, k);
      assert.equal(res.status, 401, String(k?.slice(0, 10)));
      assert.equal(res.headers['content-type'], 'text/xml;charset=UTF-8');
    }
    assert.equal((await accessCall(t, key)).status, 404); // a path no API answers: the key passed the guard
    assert.equal((await accessCall(t, key, '/shinsei/1/access/bank')).status, 200); // and an API that exists answers
    assert.equal(t.sandbox.resolveAccessKey(altered), null);
  });

  void it('stores only a hash of each key', async () => {
    t.setClock('2026-03-02T09:00:00+09:00');
    const key = item((await login(t, alice, 'alice01')).text, 'AccessKey')!;
    const snapshot = tableSnapshot(t.dataDir);
    assert.ok(!snapshot.includes(key));
    assert.ok(!snapshot.includes(key.slice(0, 40)));
  });

  void it('refuses login for an unknown user or a certificate not bound to the user, answering the login items empty', async () => {
    const before = tableSnapshot(t.dataDir);
    assertAuthenticationError(await login(t, alice, 'nobody'), 400, /組み合わせが登録されていません/, ['UserID', 'AccessKey', 'LastAuthenticationDate']);
    const res = await login(t, bob, 'alice01');
    assertAuthenticationError(res, 400, /組み合わせが登録されていません/, ['UserID', 'AccessKey', 'LastAuthenticationDate']);
    assert.equal(item(res.text, 'UserID'), 'alice01');
    assert.equal(item(res.text, 'AccessKey'), '');
    assert.equal(tableSnapshot(t.dataDir), before);
  });
});

void describe('sandbox certificate append, update and delete', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ trust: [ca.certificate], bundledTrust: false, at: '2026-01-10T09:00:00+09:00' });
  });
  after(() => t.close());

  void it('register: same user id with another certificate is refused; the same certificate may register a second user id', async () => {
    assert.equal((await register(t, bob, 'bob01')).status, 201);
    const before = tableSnapshot(t.dataDir);
    assertAuthenticationError(await register(t, carol, 'bob01'), 400, /別の証明書で既に登録されています/, ['UserID']);
    assert.equal(tableSnapshot(t.dataDir), before);
    assert.equal((await register(t, bob, 'bob02')).status, 201);
    assert.equal((await login(t, bob, 'bob02')).status, 200);
  });

  void it('append: signed by a registered certificate, counts as an authentication; the added certificate can then log in', async () => {
    t.setClock('2026-01-10T10:00:00+09:00');
    const res = await append(t, bob, 'bob01', carol);
    assert.equal(res.status, 200, res.text);
    assert.equal(
      res.text,
      '<?xml version="1.0" encoding="UTF-8"?>\n<DataRoot>\n<Result>\n<Code>0</Code>\n<Message></Message>\n</Result>\n<ApplData>\n<UserID>bob01</UserID>\n<LastAuthenticationDate></LastAuthenticationDate>\n</ApplData>\n</DataRoot>\n',
    );
    t.setClock('2026-01-10T10:01:00+09:00');
    const login_ = await login(t, carol, 'bob01');
    assert.equal(login_.status, 200);
    assert.equal(item(login_.text, 'LastAuthenticationDate'), '20260110100000');
  });

  void it('append: refused when the signer is not registered, the certificate is already bound, or it is not trusted', async () => {
    const before = tableSnapshot(t.dataDir);
    assertAuthenticationError(await append(t, alice, 'bob01', alice), 400, /組み合わせが登録されていません/, ['UserID', 'LastAuthenticationDate']);
    assertAuthenticationError(await append(t, bob, 'bob01', carol), 400, 'この証明書は既にこの利用者IDに登録されています。', ['UserID', 'LastAuthenticationDate']);
    const stranger = testUser(testCa('Unknown CA'), 'Stranger');
    assertAuthenticationError(await append(t, bob, 'bob01', stranger), 400, /^追加する証明書は/, ['UserID', 'LastAuthenticationDate']);
    const expired = testUser(ca, 'Expired Erin', { notBefore: '2020-01-01T00:00:00Z', notAfter: '2021-01-01T00:00:00Z' });
    assertAuthenticationError(await append(t, bob, 'bob01', expired), 400, /^追加する証明書は/, ['UserID', 'LastAuthenticationDate']);
    assert.equal(tableSnapshot(t.dataDir), before);
  });

  void it('update: signed by the new certificate naming an old one that has expired meanwhile', async () => {
    t.setClock('2026-02-01T09:00:00+09:00');
    assert.equal((await register(t, shortLived, 'dave01')).status, 201);
    t.setClock('2026-03-15T09:00:00+09:00');
    assert.equal((await login(t, shortLived, 'dave01')).status, 200);
    t.setClock('2026-04-02T09:00:00+09:00');
    // the old certificate cannot sign any more
    assertAuthenticationError(await login(t, shortLived, 'dave01'), 400, /有効期間外/, ['UserID', 'AccessKey', 'LastAuthenticationDate']);
    const res = await update(t, daveNew, 'dave01', shortLived);
    assert.equal(res.status, 200, res.text);
    assert.equal(item(res.text, 'LastAuthenticationDate'), '20260315090000');
    t.setClock('2026-04-02T09:10:00+09:00');
    const after_ = await login(t, daveNew, 'dave01');
    assert.equal(after_.status, 200);
    assert.equal(item(after_.text, 'LastAuthenticationDate'), '20260402090000');
    // the old binding is gone: an update naming it again is refused
    assertAuthenticationError(await update(t, testUser(ca, 'Dave third'), 'dave01', shortLived), 400, /更新前の証明書/, ['UserID', 'LastAuthenticationDate']);
  });

  void it('update: refused for an unknown user, an old certificate not bound, the same certificate, or a new one already bound', async () => {
    t.setClock('2026-04-03T09:00:00+09:00');
    const before = tableSnapshot(t.dataDir);
    assertAuthenticationError(await update(t, aliceNew, 'nobody', alice), 400, /更新前の証明書/, ['UserID', 'LastAuthenticationDate']);
    assertAuthenticationError(await update(t, aliceNew, 'bob01', alice), 400, /更新前の証明書/, ['UserID', 'LastAuthenticationDate']);
    assertAuthenticationError(await update(t, bob, 'bob01', bob), 400, /同じです/, ['UserID', 'LastAuthenticationDate']);
    assertAuthenticationError(await update(t, carol, 'bob01', bob), 400, 'この証明書は既にこの利用者IDに登録されています。', ['UserID', 'LastAuthenticationDate']);
    assert.equal(tableSnapshot(t.dataDir), before);
  });

  void it('delete: removes another certificate; the deleted one can no longer log in', async () => {
    t.setClock('2026-04-04T09:00:00+09:00');
    // bob01 holds bob and carol
    const res = await del(t, bob, 'bob01', carol);
    assert.equal(res.status, 200, res.text);
    assert.equal(item(res.text, 'LastAuthenticationDate'), '20260110100100');
    assertAuthenticationError(await login(t, carol, 'bob01'), 400, /組み合わせが登録されていません/, ['UserID', 'AccessKey', 'LastAuthenticationDate']);
    assert.equal((await login(t, bob, 'bob01')).status, 200);
  });

  void it('delete: the last certificate stays (SIM-CHOICE); a certificate not bound is refused', async () => {
    const before = tableSnapshot(t.dataDir);
    assertAuthenticationError(await del(t, bob, 'bob01', bob), 400, /最後の証明書は削除できません/, ['UserID', 'LastAuthenticationDate']);
    assertAuthenticationError(await del(t, bob, 'bob01', carol), 400, /登録されていません/, ['UserID', 'LastAuthenticationDate']);
    assert.equal(tableSnapshot(t.dataDir), before);
  });

  void it('delete: the signing certificate may delete itself while another remains (SIM-CHOICE); its access keys stay valid', async () => {
    t.setClock('2026-04-05T09:00:00+09:00');
    assert.equal((await append(t, bob, 'bob01', carol)).status, 200);
    const key = item((await login(t, bob, 'bob01')).text, 'AccessKey')!;
    const res = await del(t, bob, 'bob01', bob);
    assert.equal(res.status, 200, res.text);
    assertAuthenticationError(await login(t, bob, 'bob01'), 400, /組み合わせが登録されていません/, ['UserID', 'AccessKey', 'LastAuthenticationDate']);
    assert.equal((await login(t, carol, 'bob01')).status, 200);
    assert.equal(t.sandbox.resolveAccessKey(key), 'bob01');
    assert.equal(countRows(t.dataDir, 'certificate_bindings') >= 1, true);
  });
});

void describe('sandbox software IDs', () => {
  void it('accepts every configured software ID and refuses others with 401 in the family of the URI', async () => {
    const t = await startTestSandbox({ trust: [ca.certificate], bundledTrust: false, softwareIds: ['SOFTWARE00001', 'SOFTWARE00002'] });
    try {
      const refused = await post(t, PATHS.register, await signedBody(alice.signer, 'multi01'), { 'x-eGovAPI-SoftwareID': SOFTWARE_ID });
      assertAuthenticationError(refused, 401, /登録されていません/, ['UserID']);
      assert.equal(countRows(t.dataDir, 'users'), 0);
      assert.equal((await post(t, PATHS.register, await signedBody(alice.signer, 'multi01'), { 'x-eGovAPI-SoftwareID': 'SOFTWARE00002' })).status, 201);
      const access = await rawRequest(t.sandbox.url, '/shinsei/1/access/bank', { method: 'GET', headers: { 'x-eGovAPI-SoftwareID': 'nope' } });
      assert.equal(access.status, 401);
      assert.ok(access.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\r\n'));
      assert.match(access.text, /ソフトウェアID/);
    } finally {
      await t.close();
    }
  });
});

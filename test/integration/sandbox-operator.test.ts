// Integration (Node): the operator's admin port — only when asked for, loopback, never on the API
// port — every action end to end over HTTP (状況照会 and 送信案件一覧 see the change, history stamped
// with the sandbox clock), accepting and refusing a 取下げ, scenarios, and bad input of every kind.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { SandboxError } from '../../src/sandbox/errors.js';
import { startTestSandbox, item, type TestSandbox } from './sandbox-support.js';
import { APPLY, REFERENCE, WITHDRAWAL, arriveSample, call, caseSnapshot, egovCertificates, userWithKey, withdrawalPackage, withdrawalRequest } from './sandbox-withdrawal-support.js';

interface AdminReply {
  status: number;
  json: Record<string, unknown>;
}

function admin(t: TestSandbox, method: string, path: string, body?: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<AdminReply> {
  const url = new URL(path, t.sandbox.adminUrl!);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: body === undefined ? {} : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const errorCode = (r: AdminReply) => (r.json.error as { code: string }).code;
const events = (text: string) => [...text.matchAll(/<RegDate>(\d+)<\/RegDate>\r\n\t\t<OperatorType>([^<]*)<\/OperatorType>\r\n\t\t<ProcessType>([^<]*)<\/ProcessType>\r\n\t\t<ApplyStatus>([^<]*)</g)].map((m) => m.slice(1).join('/'));

void describe('the admin port', () => {
  void it('exists only when asked for; adminPort 0 picks a free loopback port; a port in use is a clear error', async () => {
    const none = await startTestSandbox();
    try {
      assert.equal(none.sandbox.adminUrl, null);
      assert.equal(none.sandbox.adminPort, null);
    } finally {
      await none.close();
    }
    const t = await startTestSandbox({ adminPort: 0 });
    try {
      assert.match(t.sandbox.adminUrl!, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(t.sandbox.adminPort, t.sandbox.port);
      const health = await admin(t, 'GET', '/admin/v1/health');
      assert.deepEqual(health.json, { sandbox: 'todoke-egov-v1', apiBaseUrl: t.sandbox.apiBaseUrl });
      await assert.rejects(startTestSandbox({ adminPort: t.sandbox.adminPort! }), (e: unknown) => e instanceof SandboxError && e.code === 'SANDBOX_LISTEN' && /管理ポート/.test(e.messageJa));
    } finally {
      await t.close();
    }
  });
});

void describe('operator actions over HTTP', () => {
  let t: TestSandbox;
  let key: string;
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, adminPort: 0, keyTtlSeconds: 365 * 86_400, at: '2015-04-28T10:00:00+09:00' });
    key = await userWithKey(t, 'operator01');
  });
  after(() => t.close());

  void it('admin routes are not reachable on the API port, with or without a key', async () => {
    for (const [method, path] of [
      ['GET', '/admin/v1/health'],
      ['POST', '/admin/v1/scenario'],
      ['POST', '/shinsei/1/access/admin/v1/cases/9002015000000001/finish'],
    ] as const) {
      for (const k of [key, '']) {
        const res = await call(t, k, method, path, method === 'POST' ? '{}' : undefined);
        assert.ok(res.status === 404 || res.status === 401, `${path}: ${res.status}`);
        assert.ok(res.text.startsWith('<?xml'), 'an e-Gov answer, not the admin JSON');
      }
    }
  });

  void it('start-exam, finish-exam, set-status (a text no UI has seen), set-reintroduction, finish: history, 状況照会 and the list follow', async () => {
    const id = await arriveSample(t, key);
    const steps: Array<[string, string, Record<string, string>?]> = [
      ['2015-04-28T11:00:00+09:00', 'start-exam'],
      ['2015-04-28T12:00:00+09:00', 'finish-exam'],
      ['2015-04-28T13:00:00+09:00', 'set-status', { status: '審査中（府省確認待ち）★新', processType: '独自通知' }],
      ['2015-04-28T13:30:00+09:00', 'set-reintroduction'],
      ['2015-04-28T14:00:00+09:00', 'finish'],
    ];
    for (const [at, action, body] of steps) {
      t.setClock(at);
      const r = await admin(t, 'POST', `/admin/v1/cases/${id}/${action}`, body ? JSON.stringify(body) : '');
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.arriveId, id);
    }
    const ref = await call(t, key, 'GET', `${REFERENCE}/${id}`);
    assert.deepEqual(events(ref.text), [
      '20150428100000/送信/新規申請/到達',
      '20150428110000/受信/審査開始通知/審査中',
      '20150428120000/受信/審査終了通知/審査終了',
      '20150428130000/受信/独自通知/審査中（府省確認待ち）★新',
      '20150428140000/受信/手続終了通知/手続終了',
    ]);
    assert.equal(item(ref.text, 'Status'), '手続終了');
    assert.equal(item(ref.text, 'ExamStartDate'), '20150428110000');
    assert.equal(item(ref.text, 'ExamEndDate'), '20150428120000');
    assert.equal(item(ref.text, 'ProcEndDate'), '20150428140000');
    assert.equal(item(ref.text, 'ReintroductionFlag'), '1');
    const list = await call(t, key, 'GET', `${APPLY};date=20150428-20150428`);
    assert.equal(item(list.text, 'Status'), '手続終了');
    assert.equal(item(list.text, 'StatusDate'), '20150428140000');
    const view = await admin(t, 'GET', `/admin/v1/cases/${id}`);
    assert.equal((view.json.history as unknown[]).length, 5);
  });

  void it('accept-withdrawal (by the case or by the 取下げ) and reject-withdrawal (the case gets its status back)', async () => {
    t.setClock('2015-04-28T15:00:00+09:00');
    const a = await arriveSample(t, key);
    const b = await arriveSample(t, key);
    await admin(t, 'POST', `/admin/v1/cases/${b}/start-exam`, '');
    const sent: string[] = [];
    for (const id of [a, b]) {
      const res = await call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(id, (await withdrawalPackage(id)).zip));
      assert.equal(res.status, 202, res.text);
      sent.push(item(res.text, 'NewArriveID')!);
    }
    t.setClock('2015-04-28T16:00:00+09:00');
    const accepted = await admin(t, 'POST', `/admin/v1/cases/${sent[0]}/accept-withdrawal`, '');
    assert.equal(accepted.status, 200, JSON.stringify(accepted.json));
    const refA = await call(t, key, 'GET', `${REFERENCE}/${a}`);
    assert.equal(item(refA.text, 'Status'), '取下げ済');
    assert.equal(events(refA.text).at(-1), '20150428160000/受信/取下げ受理通知/取下げ済');
    assert.equal(item((await call(t, key, 'GET', `${REFERENCE}/${sent[0]}`)).text, 'Status'), '手続終了');

    const rejected = await admin(t, 'POST', `/admin/v1/cases/${b}/reject-withdrawal`, '');
    assert.equal(rejected.status, 200);
    assert.equal(rejected.json.status, '審査中');
    assert.equal(rejected.json.withdrawFlag, '0');
    // nothing pending any more: both are refused with 409
    for (const id of [a, b]) {
      const again = await admin(t, 'POST', `/admin/v1/cases/${id}/accept-withdrawal`, '');
      assert.equal(again.status, 409);
      assert.equal(errorCode(again), 'OPERATOR_NOT_ALLOWED');
    }
    // a refused 取下げ may be sent again
    const retry = await call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(b, (await withdrawalPackage(b)).zip));
    assert.equal(retry.status, 202, retry.text);
  });

  void it('bad input: unknown action, hostile 到達番号, unknown case, malformed, huge or mistyped bodies, a foreign Host; nothing changes', async () => {
    const id = await arriveSample(t, key);
    const before = caseSnapshot(t.dataDir);
    const cases: Array<[string, () => Promise<AdminReply>, number, string]> = [
      ['unknown action', () => admin(t, 'POST', `/admin/v1/cases/${id}/approve-everything`, ''), 404, 'OPERATOR_UNKNOWN_ACTION'],
      ['traversal', () => admin(t, 'POST', `/admin/v1/cases/..%2F..%2Fx/finish`, ''), 400, 'OPERATOR_BAD_ARGUMENT'],
      ['percent-encoded non-digits', () => admin(t, 'POST', `/admin/v1/cases/%41${id.slice(1)}/finish`, ''), 400, 'OPERATOR_BAD_ARGUMENT'],
      ['over-long', () => admin(t, 'POST', `/admin/v1/cases/${'9'.repeat(3000)}/finish`, ''), 400, 'OPERATOR_BAD_ARGUMENT'],
      ['unknown case', () => admin(t, 'POST', '/admin/v1/cases/9002015999999999/finish', ''), 404, 'OPERATOR_CASE_NOT_FOUND'],
      ['unknown case (GET)', () => admin(t, 'GET', '/admin/v1/cases/9002015999999999'), 404, 'OPERATOR_CASE_NOT_FOUND'],
      ['set-status without status', () => admin(t, 'POST', `/admin/v1/cases/${id}/set-status`, '{}'), 400, 'OPERATOR_BAD_ARGUMENT'],
      ['status with a newline', () => admin(t, 'POST', `/admin/v1/cases/${id}/set-status`, JSON.stringify({ status: 'a\nb' })), 400, 'OPERATOR_BAD_ARGUMENT'],
      ['status too long', () => admin(t, 'POST', `/admin/v1/cases/${id}/set-status`, JSON.stringify({ status: 'あ'.repeat(201) })), 400, 'OPERATOR_BAD_ARGUMENT'],
      ['status as a number', () => admin(t, 'POST', `/admin/v1/cases/${id}/set-status`, JSON.stringify({ status: 3 })), 400, 'OPERATOR_BAD_ARGUMENT'],
      ['status on start-exam', () => admin(t, 'POST', `/admin/v1/cases/${id}/start-exam`, JSON.stringify({ status: 'x' })), 400, 'OPERATOR_BAD_ARGUMENT'],
      ['unknown field', () => admin(t, 'POST', `/admin/v1/cases/${id}/start-exam`, JSON.stringify({ __proto__x: 1 })), 400, 'OPERATOR_BAD_ARGUMENT'],
      ['malformed JSON', () => admin(t, 'POST', `/admin/v1/cases/${id}/start-exam`, '{"status":'), 400, 'ADMIN_BAD_JSON'],
      ['JSON array', () => admin(t, 'POST', `/admin/v1/cases/${id}/start-exam`, '[]'), 400, 'ADMIN_BAD_JSON'],
      ['huge body', () => admin(t, 'POST', `/admin/v1/cases/${id}/set-status`, JSON.stringify({ status: 'x'.repeat(100_000) })), 413, 'ADMIN_BODY_TOO_LARGE'],
      ['form post', () => admin(t, 'POST', `/admin/v1/cases/${id}/start-exam`, 'a=b', { 'Content-Type': 'application/x-www-form-urlencoded' }), 415, 'ADMIN_CONTENT_TYPE'],
      ['foreign Host', () => admin(t, 'POST', `/admin/v1/cases/${id}/start-exam`, '{}', { 'Content-Type': 'application/json', Host: 'evil.example:80' }), 403, 'ADMIN_HOST'],
      ['unknown route', () => admin(t, 'GET', '/admin/v1/../../etc/passwd'), 404, 'ADMIN_NOT_FOUND'],
      ['wrong method', () => admin(t, 'DELETE', `/admin/v1/cases/${id}`), 405, 'ADMIN_METHOD'],
      ['accept-withdrawal with nothing pending', () => admin(t, 'POST', `/admin/v1/cases/${id}/accept-withdrawal`, ''), 409, 'OPERATOR_NOT_ALLOWED'],
    ];
    for (const [name, send, status, code] of cases) {
      const r = await send();
      assert.equal(r.status, status, `${name}: ${JSON.stringify(r.json)}`);
      assert.equal(errorCode(r), code, name);
      assert.match((r.json.error as { message: string }).message, /[ぁ-んァ-ヶ一-龠]/, `${name}: a Japanese message`);
    }
    assert.equal(caseSnapshot(t.dataDir), before);
  });

  void it('a scenario over the admin port: listed and selected cases, stamped times; bad scenarios are refused whole', async () => {
    const ids = [await arriveSample(t, key), await arriveSample(t, key)];
    const scenario = {
      version: 1,
      description: 'demo',
      steps: [
        { action: 'start-exam', arriveIds: ids, at: '2015-05-01T09:00:00+09:00' },
        { action: 'set-status', status: '審査中（補正待ち）', select: { status: '審査中', limit: 1 }, at: '2015-05-02T09:00:00+09:00' },
        { action: 'finish', arriveId: ids[1] },
        { action: 'accept-withdrawal', arriveId: ids[1] },
      ],
    };
    t.setClock('2015-05-03T09:00:00+09:00');
    const r = await admin(t, 'POST', '/admin/v1/scenario', JSON.stringify(scenario));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.steps, 4);
    assert.equal(r.json.performed, 4);
    assert.equal(r.json.failureCount, 1);
    const first = await call(t, key, 'GET', `${REFERENCE}/${ids[0]}`);
    assert.deepEqual(events(first.text).slice(1), ['20150501090000/受信/審査開始通知/審査中', '20150502090000/受信/状況変更通知/審査中（補正待ち）']);
    const second = await call(t, key, 'GET', `${REFERENCE}/${ids[1]}`);
    assert.deepEqual(events(second.text).slice(1), ['20150501090000/受信/審査開始通知/審査中', '20150503090000/受信/手続終了通知/手続終了']);

    const before = caseSnapshot(t.dataDir);
    const bad: Array<[string, string, number]> = [
      ['malformed', '{"version":1,"steps":[', 400],
      ['unknown action', JSON.stringify({ version: 1, steps: [{ action: 'explode', arriveId: ids[0] }] }), 400],
      ['unknown key', JSON.stringify({ version: 1, steps: [{ action: 'finish', arriveId: ids[0], when: 'now' }] }), 400],
      ['__proto__', `{"version":1,"steps":[{"action":"finish","arriveId":"${ids[0]}","__proto__":{"x":1}}]}`, 400],
      ['deep nesting', `{"version":1,"steps":${'['.repeat(5000)}${']'.repeat(5000)}}`, 400],
      ['second step bad (nothing runs)', JSON.stringify({ version: 1, steps: [{ action: 'finish', arriveId: ids[0] }, { action: 'set-status', arriveId: ids[0] }] }), 400],
      ['huge', JSON.stringify({ version: 1, steps: [{ action: 'finish', arriveId: ids[0] }], description: 'x'.repeat(1_100_000) }), 413],
    ];
    for (const [name, body, status] of bad) {
      const res = await admin(t, 'POST', '/admin/v1/scenario', body);
      assert.equal(res.status, status, `${name}: ${JSON.stringify(res.json)}`);
    }
    assert.equal(caseSnapshot(t.dataDir), before);
  });

  void it('a scenario issues notices and registers, pays and expires fees; op show lists them; bad with-fields are refused whole', async () => {
    const ids = [await arriveSample(t, key), await arriveSample(t, key)];
    const scenario = {
      version: 1,
      steps: [
        { action: 'add-payment', arriveIds: ids, with: { amount: '3000', deadline: '20150531' } },
        { action: 'add-payment', arriveId: ids[0], with: { amount: '1200', deadline: '20150531', nameKana: 'テスウリョウ' } },
        { action: 'issue-comment', arriveId: ids[0], with: { title: '連絡', text: '書類を確認しました。' } },
        { action: 'pay', arriveId: ids[0] },
        { action: 'expire-payment', arriveId: ids[1], with: {} },
        { action: 'pay', arriveId: ids[1] },
      ],
    };
    const r = await admin(t, 'POST', '/admin/v1/scenario', JSON.stringify(scenario));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    // 2 + 1 fees registered, 1 comment, both of the first case paid, the second expired; its pay then finds nothing unpaid
    assert.equal(r.json.performed, 7);
    assert.equal(r.json.failureCount, 1);
    assert.match(JSON.stringify(r.json.failures), /未納の納付はありません/);
    const shown = await admin(t, 'GET', `/admin/v1/cases/${ids[0]}`);
    const payments = shown.json.payments as Array<{ payStatus: string; totalFee: string; payDate: string }>;
    assert.deepEqual(payments.map((p) => [p.totalFee, p.payStatus]).sort(), [['1200', '納付済'], ['3000', '納付済']]);
    assert.ok(payments.every((p) => /^\d{8}$/.test(p.payDate)));
    assert.deepEqual((shown.json.notices as Array<{ kind: string; docTitle: string }>).map((n) => [n.kind, n.docTitle]), [['comment', '連絡']]);
    const second = await admin(t, 'GET', `/admin/v1/cases/${ids[1]}`);
    assert.deepEqual((second.json.payments as Array<{ payStatus: string }>).map((p) => p.payStatus), ['納付期限切れ']);

    const before = caseSnapshot(t.dataDir);
    const bad: Array<[string, unknown]> = [
      ['with on a case action', { action: 'finish', arriveId: ids[0], with: {} }],
      ['status on a payment action', { action: 'add-payment', arriveId: ids[0], status: '審査中', with: { amount: '1', deadline: '20150531' } }],
      ['with not an object', { action: 'add-payment', arriveId: ids[0], with: ['3000'] }],
      ['unknown field', { action: 'add-payment', arriveId: ids[0], with: { amount: '1', deadline: '20150531', fee: 2 } }],
      ['amount not digits', { action: 'add-payment', arriveId: ids[0], with: { amount: '1,000', deadline: '20150531' } }],
      ['no deadline', { action: 'add-payment', arriveId: ids[0], with: { amount: '1000' } }],
      ['pay number too short', { action: 'pay', arriveId: ids[0], with: { payNumber: '123' } }],
      ['notice text not text', { action: 'issue-comment', arriveId: ids[0], with: { text: 42 } }],
    ];
    for (const [name, step] of bad) {
      // a good first step: a bad second one refuses the whole file before anything runs
      const body = JSON.stringify({ version: 1, steps: [{ action: 'add-payment', arriveId: ids[0], with: { amount: '5', deadline: '20150531' } }, step] });
      const res = await admin(t, 'POST', '/admin/v1/scenario', body);
      assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.json)}`);
    }
    assert.equal(caseSnapshot(t.dataDir), before);
  });

  void it('a scenario with waits answers 202 at once and stops at close()', async () => {
    const id = await arriveSample(t, key);
    const r = await admin(t, 'POST', '/admin/v1/scenario', JSON.stringify({ version: 1, steps: [{ action: 'start-exam', arriveId: id, afterMs: 3_600_000 }] }));
    assert.equal(r.status, 202);
    assert.deepEqual(r.json, { started: true, steps: 1 });
    assert.equal(t.sandbox.caseOf(id)!.status, '到達');
  });
});

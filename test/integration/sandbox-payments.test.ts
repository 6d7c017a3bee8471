// Integration (Node): the sandbox's 電子納付 (REFERENCE §4.18, §4.19, A.29, A.30). 電子納付対応金融機関一覧
// is the recorded answer byte for byte once the stand-in bank is taken out; the operator registers a
// 納付 and lets it expire, and 電子納付情報一覧 is the recorded answer byte for byte once the random
// numbers and the procedure name are put back; the case's PayStatus / PayWaitCount move in
// 送信案件一覧 and its PayMessage and history in 状況照会 at once; the client decodes what the sandbox
// writes; bad operator input and hostile requests change nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import { DEFAULT_STAND_IN_BANK_URL, STAND_IN_BANK_NAME } from '../../src/sandbox/payments/bank-list.js';
import { cannedCaller } from '../support/recorded-exchange.js';
import { cli } from '../support/cli.js';
import { egovDir } from '../support/paths.js';
import { item, startTestSandbox, type TestSandbox } from './sandbox-support.js';
import { APPLY, REFERENCE, WITHDRAWAL, arriveSample, call, caseSnapshot, egovCertificates, setArriveCounter, userWithKey, withdrawalPackage, withdrawalRequest } from './sandbox-withdrawal-support.js';

const BANK = '/shinsei/1/access/bank';
const PAYMENT = '/shinsei/1/access/payment';
const LONG_KEY_TTL = 20 * 365 * 24 * 3600;

interface AdminReply {
  status: number;
  json: Record<string, unknown>;
}

function admin(t: TestSandbox, path: string, body: unknown): Promise<AdminReply> {
  const url = new URL(path, t.sandbox.adminUrl!);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

const recordedResponse = (name: string) => readFileSync(join(egovDir, 'recorded', name, 'response.xml'), 'utf8');
const errorCode = (r: AdminReply) => (r.json.error as { code: string }).code;
const STAND_IN_BLOCK = (url: string) => `\t\t<Initial Name="と">\r\n\r\n\t\t\t<Bank>\r\n\t\t\t\t<FinancialName>${STAND_IN_BANK_NAME}</FinancialName>\r\n\t\t\t\t<ServiceName>NULL</ServiceName>\r\n\t\t\t\t<Url>${url}</Url>\r\n\t\t\t</Bank>\r\n\r\n\t\t</Initial>\r\n\r\n`;

void describe('sandbox 電子納付: the recorded answers replayed and the operator payments', () => {
  let t: TestSandbox;
  let key = '';
  let otherKey = '';
  let id = '';
  let sendNumber = '';
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, keyTtlSeconds: LONG_KEY_TTL, adminPort: 0, at: '2015-03-01T10:00:00+09:00' });
    key = await userWithKey(t, 'paytest01');
    otherKey = await userWithKey(t, 'paytest02');
    setArriveCounter(t.dataDir, 243_933);
    id = await arriveSample(t, key);
    assert.equal(id, '9002015000243934');
    const list = await call(t, key, 'GET', `${APPLY};date=20150301-20150301`);
    sendNumber = /<SendNumber>(\d{18})<\/SendNumber>/.exec(list.text)![1]!;
  });
  after(() => t.close());

  void it('電子納付対応金融機関一覧 (A.29): byte for byte the recorded answer plus the stand-in bank under と; the client skips the http test bank', async () => {
    const res = await call(t, key, 'GET', BANK);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.text.includes(STAND_IN_BLOCK(DEFAULT_STAND_IN_BANK_URL)));
    assert.equal(res.text.replace(STAND_IN_BLOCK(DEFAULT_STAND_IN_BANK_URL), ''), recordedResponse('banks'));
    const list = await new EgovV1Gateway(cannedCaller(200, res.body)).banks('KEY');
    assert.deepEqual(list.banks.slice(0, 2).map((b) => [b.initial, b.name, b.url]), [
      ['と', STAND_IN_BANK_NAME, DEFAULT_STAND_IN_BANK_URL],
      ['ゆ', 'ゆうちょ銀行', 'https://direct6.dcdebug.com/tp1web31/U010101WAK.do'],
    ]);
    assert.deepEqual(list.skipped.map((s) => s.name), ['擬似インターネット銀行１']);
  });

  void it('the stand-in bank URL comes from standInBankUrl, escaped', async () => {
    const other = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, standInBankUrl: 'https://127.0.0.1:8443/bank/?a=1&b=2', at: '2015-03-01T10:00:00+09:00' });
    try {
      const k = await userWithKey(other, 'paytest09');
      const res = await call(other, k, 'GET', BANK);
      assert.ok(res.text.includes(STAND_IN_BLOCK('https://127.0.0.1:8443/bank/?a=1&amp;b=2')), res.text);
      const list = await new EgovV1Gateway(cannedCaller(200, res.body)).banks('KEY');
      assert.equal(list.banks[0]!.url, 'https://127.0.0.1:8443/bank/?a=1&b=2');
    } finally {
      await other.close();
    }
  });

  void it('電子納付情報一覧 (A.30): a case without 納付 lists none; PayStatus - and PayWaitCount 0 in 送信案件一覧', async () => {
    const res = await call(t, key, 'GET', `${PAYMENT}/${id}`);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.text.includes('</ProcName>\r\n\r\n\r\n\r\n</ApplData>\r\n\r\n</DataRoot>'), res.text);
    const sends = await call(t, key, 'GET', `${APPLY};id=${sendNumber}`);
    assert.equal(item(sends.text, 'PayStatus'), '-');
    assert.equal(item(sends.text, 'PayWaitCount'), '0');
  });

  void it('add-payment then expire-payment: the recorded answer byte for byte after putting back the numbers and ProcName; lists and 状況照会 follow at once', async () => {
    t.setClock('2015-03-02T09:00:00+09:00');
    const added = await admin(t, `/admin/v1/cases/${id}/add-payment`, { amount: '10000', deadline: '20150314' });
    assert.equal(added.status, 200, JSON.stringify(added.json));
    const p = added.json as { payNumber: string; confirmNumber: string; facilityNumber: string; payStatus: string; casePayStatus: string; payWaitCount: number };
    assert.match(p.payNumber, /^\d{16}$/);
    assert.match(p.confirmNumber, /^\d{6}$/);
    assert.match(p.facilityNumber, /^\d{5}$/);
    assert.deepEqual([p.payStatus, p.casePayStatus, p.payWaitCount], ['未納', '未納', 1]);

    let sends = await call(t, key, 'GET', `${APPLY};id=${sendNumber}`);
    assert.deepEqual([item(sends.text, 'PayStatus'), item(sends.text, 'PayWaitCount')], ['未納', '1']);
    const arrived = await call(t, key, 'GET', `${APPLY}/${sendNumber}`);
    assert.deepEqual([item(arrived.text, 'PayStatus'), item(arrived.text, 'PayWaitCount')], ['未納', '1']);
    let ref = await call(t, key, 'GET', `${REFERENCE}/${id}`);
    assert.equal(item(ref.text, 'PayMessage'), '未納の電子納付が1件あります。納付情報を確認し、納付期限までに納付してください。');
    assert.ok(
      ref.text.includes(`<RegDate>20150302090000</RegDate>\r\n\t\t<OperatorType>受信</OperatorType>\r\n\t\t<ProcessType>納付通知</ProcessType>\r\n\t\t<ApplyStatus>到達</ApplyStatus>\r\n\t\t<PayNumber>${p.payNumber}</PayNumber>\r\n\t\t<PayStatus>未納</PayStatus>\r\n\t\t<TotalFee>10000</TotalFee>\r\n\t\t<PayExpiredDate>20150314</PayExpiredDate>`),
      ref.text,
    );

    t.setClock('2015-03-15T00:00:01+09:00');
    const expired = await admin(t, `/admin/v1/cases/${id}/expire-payment`, { payNumber: p.payNumber });
    assert.equal(expired.status, 200, JSON.stringify(expired.json));
    sends = await call(t, key, 'GET', `${APPLY};id=${sendNumber}`);
    assert.deepEqual([item(sends.text, 'PayStatus'), item(sends.text, 'PayWaitCount')], ['納付期限切れ', '0']);
    ref = await call(t, key, 'GET', `${REFERENCE}/${id}`);
    assert.equal(item(ref.text, 'PayMessage'), '');
    assert.ok(ref.text.includes('<ProcessType>納付期限切れ通知</ProcessType>'));

    const res = await call(t, key, 'GET', `${PAYMENT}/${id}`);
    assert.equal(res.status, 200, res.text);
    const rec = recordedResponse('payments');
    const ours = res.text
      .replace(`<PayNumber>${p.payNumber}<`, '<PayNumber>0000000000000203<')
      .replace(`<ConfirmNumber>${p.confirmNumber}<`, '<ConfirmNumber>100001<')
      .replace(`<FacilityNumber>${p.facilityNumber}<`, '<FacilityNumber>10005<')
      .replace(/<ProcName>[^<]*</, `<ProcName>${item(rec, 'ProcName')}<`);
    assert.equal(ours, rec);
    const decoded = await new EgovV1Gateway(cannedCaller(200, res.body)).payments('KEY', id);
    assert.deepEqual(decoded.payments.map((x) => [x.payNumber, x.status, x.totalFee, x.problems]), [[p.payNumber, '納付期限切れ', '10000', []]]);
  });

  void it('a second 納付 paid by the operator: 納付済 with its PayDate, the counters back to 0, and the client reads both', async () => {
    t.setClock('2015-03-20T10:00:00+09:00');
    const added = await admin(t, `/admin/v1/cases/${id}/add-payment`, { amount: 9_999_999_999, deadline: '20150331', nameKana: 'ｼﾝｾｲﾃｽｳﾘｮｳ' });
    assert.equal(added.status, 200, JSON.stringify(added.json));
    const payNumber = (added.json as { payNumber: string }).payNumber;
    let sends = await call(t, key, 'GET', `${APPLY};id=${sendNumber}`);
    assert.deepEqual([item(sends.text, 'PayStatus'), item(sends.text, 'PayWaitCount')], ['未納', '1']);
    t.setClock('2015-03-21T11:22:33+09:00');
    const paid = await admin(t, `/admin/v1/cases/${id}/pay`, { payNumber });
    assert.equal(paid.status, 200, JSON.stringify(paid.json));
    assert.deepEqual([paid.json.payStatus, paid.json.payDate, paid.json.casePayStatus, paid.json.payWaitCount], ['納付済', '20150321', '納付期限切れ', 0]);
    sends = await call(t, key, 'GET', `${APPLY};id=${sendNumber}`);
    assert.deepEqual([item(sends.text, 'PayStatus'), item(sends.text, 'PayWaitCount')], ['納付期限切れ', '0']);
    const res = await call(t, key, 'GET', `${PAYMENT}/${id}`);
    const list = await new EgovV1Gateway(cannedCaller(200, res.body)).payments('KEY', id);
    assert.deepEqual(
      list.payments.map((x) => [x.status, x.payDate, x.totalFee, x.payNameKana, x.problems.length]),
      [
        ['納付期限切れ', '', '10000', 'テツヅキメイ', 0],
        ['納付済', '20150321', '9999999999', 'ｼﾝｾｲﾃｽｳﾘｮｳ', 0],
      ],
    );
    // paying or expiring again is refused and changes nothing
    const snapshot = caseSnapshot(t.dataDir);
    assert.equal(errorCode(await admin(t, `/admin/v1/cases/${id}/pay`, { payNumber })), 'OPERATOR_NOT_ALLOWED');
    assert.equal(errorCode(await admin(t, `/admin/v1/cases/${id}/expire-payment`, { payNumber })), 'OPERATOR_NOT_ALLOWED');
    assert.equal(caseSnapshot(t.dataDir), snapshot);
  });

  void it('bad operator input: amounts, dates, names, keys, unknown cases and 納付番号, a 取下げ case — refused, nothing changes', async () => {
    const withdrawal = await call(t, key, 'POST', WITHDRAWAL, withdrawalRequest(id, (await withdrawalPackage(id)).zip));
    assert.equal(withdrawal.status, 202, withdrawal.text);
    const withdrawalId = item(withdrawal.text, 'NewArriveID')!;
    const before = caseSnapshot(t.dataDir);
    const path = `/admin/v1/cases/${id}/add-payment`;
    const refused: Array<[string, unknown, number, string]> = [
      [path, { amount: 'abc', deadline: '20150331' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: '0', deadline: '20150331' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: 0, deadline: '20150331' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: '00100', deadline: '20150331' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: '10000000000', deadline: '20150331' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: 1e10, deadline: '20150331' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: 10.5, deadline: '20150331' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: -100, deadline: '20150331' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: '１０００', deadline: '20150331' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: '1000', deadline: '20150230' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: '1000', deadline: '2015-03-31' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: '1000' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: '1000', deadline: '20150331', nameKana: '<script>' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: '1000', deadline: '20150331', nameKana: 'ア'.repeat(41) }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: '1000', deadline: '20150331', nameKana: 'テスト\n' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, { amount: '1000', deadline: '20150331', payNumber: '1' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [path, '{"amount": "1000", "deadline": ', 400, 'ADMIN_BAD_JSON'],
      ['/admin/v1/cases/9002015999999999/add-payment', { amount: '1000', deadline: '20150331' }, 404, 'OPERATOR_CASE_NOT_FOUND'],
      [`/admin/v1/cases/${withdrawalId}/add-payment`, { amount: '1000', deadline: '20150331' }, 409, 'OPERATOR_NOT_ALLOWED'],
      [`/admin/v1/cases/${id}/pay`, { payNumber: '123' }, 400, 'OPERATOR_BAD_ARGUMENT'],
      [`/admin/v1/cases/${id}/pay`, { payNumber: '1234567890123456' }, 404, 'OPERATOR_CASE_NOT_FOUND'],
      [`/admin/v1/cases/${id}/expire-payment`, {}, 400, 'OPERATOR_BAD_ARGUMENT'],
      [`/admin/v1/cases/${id}/expire-payment`, { payNumber: 1234567890123456 }, 400, 'OPERATOR_BAD_ARGUMENT'],
    ];
    for (const [p, body, status, code] of refused) {
      const r = await admin(t, p, body);
      assert.deepEqual([r.status, errorCode(r)], [status, code], `${p} ${JSON.stringify(body)}`);
      assert.match((r.json.error as { message: string }).message, /[ぁ-ん]/);
    }
    assert.equal(caseSnapshot(t.dataDir), before);
  });

  void it('hostile requests: another user and an unknown or malformed 到達番号 get the A.30 layout with Code 1; no key, no list', async () => {
    const unknown = await call(t, otherKey, 'GET', `${PAYMENT}/${id}`);
    assert.equal(unknown.status, 400);
    assert.equal(item(unknown.text, 'Code'), '1');
    assert.equal(item(unknown.text, 'Message'), '該当する申請情報が存在しません。到達番号を確認してください。');
    assert.ok(unknown.text.includes(`<ArriveID>${id}</ArriveID>\r\n\t<ProcName></ProcName>\r\n\r\n\r\n\r\n</ApplData>\r\n\r\n</DataRoot>`), unknown.text);
    assert.ok(!unknown.text.includes('<PayNumber>'));
    for (const bad of ['12345', '9002015000243934%3Bx', 'abc%3Cscript%3E', '9'.repeat(200)]) {
      const r = await call(t, key, 'GET', `${PAYMENT}/${bad}`);
      assert.equal(r.status, 400, bad);
      assert.ok(!r.text.includes('<script>'));
    }
    assert.equal((await call(t, key, 'GET', `${PAYMENT}/${id}/1`)).status, 404);
    assert.equal((await call(t, key, 'POST', BANK, '<x/>')).status, 405);
    assert.equal((await call(t, 'not-a-key', 'GET', BANK)).status, 401);
  });

  void it('todoke sandbox op add-payment and pay: the numbers printed; bad flags exit 2 before anything is sent', async () => {
    const port = String(t.sandbox.adminPort);
    const other = await arriveSample(t, key);
    const r = await cli(['sandbox', 'op', 'add-payment', '--arrive-id', other, '--admin-port', port, '--amount', '3000', '--deadline', '20150430', '--name-kana', 'テスト']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^到達番号 ${other} の納付を登録しました: 状況 未納\\n  収納機関番号 \\d{5}  納付番号 \\d{16}  確認番号 \\d{6}\\n  金額 3,000 円  納付期限 20150430\\n  案件の納付状況: 未納（未納 1 件）\\n$`));
    const payNumber = /納付番号 (\d{16})/.exec(r.stdout)![1]!;
    const paid = await cli(['sandbox', 'op', 'pay', '--arrive-id', other, '--admin-port', port, '--pay-number', payNumber, '--json']);
    assert.equal(paid.code, 0, paid.stderr);
    assert.equal((JSON.parse(paid.stdout) as { payStatus: string }).payStatus, '納付済');
    const again = await cli(['sandbox', 'op', 'pay', '--arrive-id', other, '--admin-port', port, '--pay-number', payNumber]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /未納の納付だけです/);
    const before = caseSnapshot(t.dataDir);
    const bad: Array<[string[], RegExp]> = [
      [['add-payment', '--amount', '0', '--deadline', '20150430'], /--amount/],
      [['add-payment', '--amount', '1,000', '--deadline', '20150430'], /--amount/],
      [['add-payment', '--amount', '10000000000', '--deadline', '20150430'], /--amount/],
      [['add-payment', '--deadline', '20150430'], /--amount/],
      [['add-payment', '--amount', '100', '--deadline', '20150431'], /--deadline/],
      [['add-payment', '--amount', '100'], /--deadline/],
      [['add-payment', '--amount', '100', '--deadline', '20150430', '--pay-number', payNumber], /--pay-number は add-payment には/],
      [['pay', '--pay-number', '12'], /16 桁の納付番号/],
      [['pay'], /16 桁の納付番号/],
      [['expire-payment', '--pay-number', payNumber, '--amount', '1'], /--amount は expire-payment には/],
      [['start-exam', '--amount', '1'], /--amount は start-exam には/],
      [['issue-correction', '--name-kana', 'テ'], /--name-kana は issue-correction には/],
    ];
    for (const [args, message] of bad) {
      const b = await cli(['sandbox', 'op', ...args, '--arrive-id', other, '--admin-port', port]);
      assert.equal(b.code, 2, args.join(' '));
      assert.match(b.stderr, message, args.join(' '));
    }
    assert.equal(caseSnapshot(t.dataDir), before);
  });
});

// Unit: the sandbox's 電子納付 pieces on a real database — the payment store (a 納付番号 never issued
// twice, the case's PayStatus / PayWaitCount / PayMessage after every change, a history event carrying
// the 納付, nothing written when a step fails), the operator's parsing of untrusted input, and the
// writers' layout where the recordings say nothing (several entries, characters to escape).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { SandboxError } from '../../src/sandbox/errors.js';
import { OperatorError } from '../../src/sandbox/operator/actions.js';
import { freshPayNumbers, parseAmount, parsePaymentRequest } from '../../src/sandbox/operator/payment-actions.js';
import { sandboxBankList } from '../../src/sandbox/payments/bank-list.js';
import { CaseStore } from '../../src/sandbox/state/case-store.js';
import { openSandboxDatabase } from '../../src/sandbox/state/db.js';
import { HISTORY } from '../../src/sandbox/state/history.js';
import { casePayStatus, PAY_STATUS, PaymentStore, type NewPayment } from '../../src/sandbox/state/payment-store.js';
import type { SqliteDatabase } from '../../src/sandbox/state/sqlite.js';
import { writeBankListBody, writePaymentListBody } from '../../src/sandbox/wire/payment-family.js';

const root = mkdtempSync(join(tmpdir(), 'todoke-sandbox-payments-'));
after(() => rmSync(root, { recursive: true, force: true }));

const ID = '9002026000000001';
const OTHER = '9002026000000002';
let db: SqliteDatabase;
let cases: CaseStore;
let payments: PaymentStore;

function caseRow(id = ID): Record<string, unknown> {
  return db.prepare('SELECT pay_status AS payStatus, pay_wait_count AS payWaitCount, pay_message AS payMessage FROM applications WHERE arrive_id = ?').get(id) as Record<string, unknown>;
}

const numbers = (payNumber: string) => () => ({ payNumber, confirmNumber: '123456', facilityNumber: '12345' });

function add(over: Partial<NewPayment> = {}) {
  return payments.add({ arriveId: ID, numbers: freshPayNumbers, payNameKana: 'テスト', payExpiredDate: '20260131', totalFee: '1000', event: HISTORY.paymentRegistered, at: 1, date: '20260101090000', ...over });
}

beforeEach(() => {
  db?.close();
  db = openSandboxDatabase(mkdtempSync(join(root, 'db-')));
  db.prepare("INSERT INTO users (user_id, registered_at) VALUES ('u1', 0)").run();
  for (const id of [ID, OTHER]) {
    db.prepare(
      `INSERT INTO applications (arrive_id, user_id, send_number, apply_type, folder_name, procedure_id, procedure_name, ministry_name, applicant_name,
        corporation_name, department_name, status, status_at, status_date, arrive_date) VALUES (?, 'u1', NULL, '新規申請', 'f', '900A010200001000', '手続', '省', '氏名', '', '', '審査中', 0, '20260101000000', '20260101000000')`,
    ).run(id);
  }
  cases = new CaseStore(db);
  payments = new PaymentStore(db);
});

void describe('PaymentStore', () => {
  void it('a 納付 moves the case to 未納 with its count and message, and its history event carries the 納付', () => {
    assert.deepEqual(caseRow(), { payStatus: '-', payWaitCount: 0, payMessage: '' });
    const p = add();
    assert.match(p.payNumber, /^\d{16}$/);
    add();
    assert.deepEqual(caseRow(), { payStatus: '未納', payWaitCount: 2, payMessage: '未納の電子納付が2件あります。納付情報を確認し、納付期限までに納付してください。' });
    const last = cases.history(ID).at(-1)!;
    assert.deepEqual([last.operatorType, last.processType, last.applyStatus, last.payStatus, last.totalFee, last.payExpiredDate], ['受信', '納付通知', '審査中', '未納', '1000', '20260131']);
    assert.deepEqual(caseRow(OTHER), { payStatus: '-', payWaitCount: 0, payMessage: '' });
  });

  void it('a 納付番号 already issued anywhere in the sandbox is drawn again; one that never frees up fails and writes nothing', () => {
    add({ numbers: numbers('1111111111111111') });
    const draws = ['1111111111111111', '1111111111111111', '2222222222222222'];
    const p = add({ arriveId: OTHER, numbers: () => ({ payNumber: draws.shift()!, confirmNumber: '000001', facilityNumber: '00001' }) });
    assert.equal(p.payNumber, '2222222222222222');
    const before = JSON.stringify([db.prepare('SELECT * FROM payments').all(), db.prepare('SELECT * FROM apply_history').all(), caseRow(OTHER)]);
    assert.throws(() => add({ arriveId: OTHER, numbers: numbers('1111111111111111') }), (e: unknown) => e instanceof SandboxError && e.code === 'SANDBOX_PAY_NUMBER');
    assert.equal(JSON.stringify([db.prepare('SELECT * FROM payments').all(), db.prepare('SELECT * FROM apply_history').all(), caseRow(OTHER)]), before);
  });

  void it('settle: only a 未納 納付 of that case moves; paid and expired are final', () => {
    const a = add({ numbers: numbers('1000000000000001') });
    add({ numbers: numbers('1000000000000002') });
    assert.equal(payments.settle(OTHER, a.payNumber, PAY_STATUS.paid, '20260102', HISTORY.paymentPaid, 2, '20260102090000'), null);
    const paid = payments.settle(ID, a.payNumber, PAY_STATUS.paid, '20260102', HISTORY.paymentPaid, 2, '20260102090000');
    assert.ok(paid && paid !== 'not-unpaid');
    assert.deepEqual([paid.payStatus, paid.payDate], ['納付済', '20260102']);
    assert.deepEqual(caseRow(), { payStatus: '未納', payWaitCount: 1, payMessage: '未納の電子納付が1件あります。納付情報を確認し、納付期限までに納付してください。' });
    assert.equal(payments.settle(ID, a.payNumber, PAY_STATUS.expired, '', HISTORY.paymentExpired, 3, '20260103090000'), 'not-unpaid');
    payments.settle(ID, '1000000000000002', PAY_STATUS.expired, '', HISTORY.paymentExpired, 3, '20260103090000');
    assert.deepEqual(caseRow(), { payStatus: '納付期限切れ', payWaitCount: 0, payMessage: '' });
    assert.deepEqual(cases.history(ID).map((h) => h.processType), ['納付通知', '納付通知', '納付完了通知', '納付期限切れ通知']);
  });

  void it('casePayStatus: - without 納付, 未納 before 納付期限切れ before 納付済', () => {
    assert.equal(casePayStatus([]), '-');
    assert.equal(casePayStatus(['納付済', '未納', '納付期限切れ']), '未納');
    assert.equal(casePayStatus(['納付済', '納付期限切れ']), '納付期限切れ');
    assert.equal(casePayStatus(['納付済']), '納付済');
  });
});

void describe('operator payment input', () => {
  const refused = (f: () => unknown) => assert.throws(f, (e: unknown) => e instanceof OperatorError && e.code === 'OPERATOR_BAD_ARGUMENT');

  void it('amounts: 1 to 9,999,999,999 as digits or a safe integer; nothing else', () => {
    assert.equal(parseAmount('1'), '1');
    assert.equal(parseAmount(9_999_999_999), '9999999999');
    for (const v of ['0', '', ' 1', '1 ', '01', '1e3', '10000000000', '１', '-1', '1.0', 0, -1, 1.5, 1e10, Number.NaN, Infinity, null, true, [], {}]) refused(() => parseAmount(v));
  });

  void it('requests: unknown keys, wrong types, bad 到達番号 or 納付番号 are refused', () => {
    assert.deepEqual(parsePaymentRequest('add-payment', ID, { amount: '500', deadline: '20280229', nameKana: 'ﾃｽﾄ ﾃｽﾄ' }), { action: 'add-payment', arriveId: ID, amount: '500', deadline: '20280229', nameKana: 'ﾃｽﾄ ﾃｽﾄ' });
    assert.deepEqual(parsePaymentRequest('pay', ID, { payNumber: '0000000000000203' }), { action: 'pay', arriveId: ID, payNumber: '0000000000000203' });
    refused(() => parsePaymentRequest('add-payment', '../x', { amount: '1', deadline: '20260101' }));
    refused(() => parsePaymentRequest('add-payment', ID, { amount: '1', deadline: '20270229' }));
    refused(() => parsePaymentRequest('add-payment', ID, { amount: '1', deadline: 20260101 }));
    refused(() => parsePaymentRequest('add-payment', ID, { amount: '1', deadline: '20260101', nameKana: 'ひらがな' }));
    refused(() => parsePaymentRequest('add-payment', ID, { amount: '1', deadline: '20260101', nameKana: '   ' }));
    refused(() => parsePaymentRequest('add-payment', ID, { amount: '1', deadline: '20260101', __proto__x: 1 }));
    refused(() => parsePaymentRequest('expire-payment', ID, { payNumber: '000000000000020３' }));
    refused(() => parsePaymentRequest('pay', ID, { payNumber: '0000000000000203', amount: '1' }));
  });
});

void describe('payment writers where nothing was recorded', () => {
  void it('several ApplyPay repeat the recorded entry with its empty line; text is escaped', () => {
    const entry = { payNumber: '1', confirmNumber: '2', facilityNumber: '3', payNameKana: 'ア', payExpiredDate: '4', totalFee: '5', payStatus: '未納', payDate: '', payMemo: 'a<b&c', payFlag: '0' };
    const body = writePaymentListBody({ code: '0', message: '' }, { arriveId: ID, procName: 'P&Q', payments: [entry, { ...entry, payNumber: '9' }] });
    assert.ok(body.includes('<ProcName>P&amp;Q</ProcName>\r\n\r\n\r\n\r\n\t<ApplyPay>'));
    assert.ok(body.includes('<PayMemo>a&lt;b&amp;c</PayMemo>'));
    assert.ok(body.includes('\t</ApplyPay>\r\n\r\n\t<ApplyPay>\r\n\t\t<PayNumber>9</PayNumber>'));
    assert.ok(body.endsWith('\t</ApplyPay>\r\n\r\n</ApplData>\r\n\r\n</DataRoot>'));
  });

  void it('a stand-in bank URL with quotes and ampersands stays one escaped Url element', () => {
    const body = writeBankListBody({ code: '0', message: '' }, sandboxBankList('https://127.0.0.1/"x"<y>&z'));
    assert.ok(body.includes('<Url>https://127.0.0.1/&quot;x&quot;&lt;y&gt;&amp;z</Url>'), body);
    assert.equal(body.match(/<Initial Name="/g)!.length, 3);
  });
});

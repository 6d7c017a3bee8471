// Sandbox (Node). The operator's 電子納付 on a case — what the ministry registers and a bank settles
// (REFERENCE §4.19, §6.2): `add-payment` registers a 未納 納付 with fresh Pay-easy numbers,
// `expire-payment` lets its deadline pass (納付期限切れ), and `pay` marks it 納付済 with its PayDate — the
// operator's stand-in for the bank until the stand-in bank site exists. Each change, the case's
// PayStatus / PayWaitCount / PayMessage and a history event go in one transaction (state/payment-store.ts).
import { randomInt } from 'node:crypto';
import type { CaseStore } from '../state/case-store.js';
import { HISTORY } from '../state/history.js';
import { casePayStatus, PAY_STATUS, type PaymentRow, type PaymentStore } from '../state/payment-store.js';
import { jstTimestamp } from '../wire/time.js';
import { OperatorError } from './actions.js';
import { isDeadline } from './notice-actions.js';

export const PAYMENT_ACTIONS = ['add-payment', 'expire-payment', 'pay'] as const;
export type PaymentAction = (typeof PAYMENT_ACTIONS)[number];

export function isPaymentAction(name: string): name is PaymentAction {
  return (PAYMENT_ACTIONS as readonly string[]).includes(name);
}

export type PaymentRequest =
  | { action: 'add-payment'; arriveId: string; amount: string; deadline: string; nameKana?: string }
  | { action: 'expire-payment' | 'pay'; arriveId: string; payNumber: string };

/** What the operator sees after a payment action (JSON on the admin port). */
export interface PaymentView extends PaymentRow {
  /** the case's PayStatus and PayWaitCount after the action, as the lists show them */
  casePayStatus: string;
  payWaitCount: number;
}

/** SEEN (A.30): the 納付手続名 of the recorded 納付 */
export const DEFAULT_PAY_NAME_KANA = 'テツヅキメイ';
/** the largest amount: TotalFee's 10 digits (REFERENCE §4.19 [SIM-CHOICE]: no limit was recorded) */
export const MAX_AMOUNT = 9_999_999_999;
const MAX_NAME_KANA_CHARS = 40;
/** full-width katakana (with ー and the middle dot), half-width katakana and spaces: what a bank's screen shows */
const KANA = /^[\u30A1-\u30FA\u30FC\u30FB\uFF66-\uFF9F\u3000 ]+$/;

const KEYS: Record<PaymentAction, readonly string[]> = {
  'add-payment': ['amount', 'deadline', 'nameKana'],
  'expire-payment': ['payNumber'],
  pay: ['payNumber'],
};

const bad = (message: string) => new OperatorError('OPERATOR_BAD_ARGUMENT', message);

/** An amount in yen: 1 to 9,999,999,999, as digits (a JSON number or string). */
export function parseAmount(value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^[1-9]\d{0,9}$/.test(text) || Number(text) > MAX_AMOUNT) {
    throw bad(`金額（amount）は 1〜${MAX_AMOUNT.toLocaleString('en-US')} 円の整数を、数字だけで指定してください。`);
  }
  return text;
}

function parseNameKana(value: unknown): string {
  if (typeof value !== 'string' || [...value].length > MAX_NAME_KANA_CHARS || !KANA.test(value) || value.trim() === '') {
    throw bad(`納付手続名（nameKana）はカタカナ 1〜${MAX_NAME_KANA_CHARS} 文字で指定してください。`);
  }
  return value;
}

function parsePayNumber(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{16}$/.test(value)) throw bad('納付番号（payNumber）は 16 桁の数字で指定してください。');
  return value;
}

/** A payment request from untrusted input (the admin port's JSON body): unknown keys and malformed values refused. */
export function parsePaymentRequest(action: PaymentAction, arriveId: string, body: Record<string, unknown>): PaymentRequest {
  if (!/^\d{16,18}$/.test(arriveId)) throw bad('到達番号は 16〜18 桁の数字で指定してください。');
  const extra = Object.keys(body).filter((k) => !KEYS[action].includes(k));
  if (extra.length > 0) throw bad(`${action} に指定できない項目があります: ${extra.slice(0, 3).join(', ').slice(0, 80)}（指定できるもの: ${KEYS[action].join(', ')}）`);
  if (action !== 'add-payment') return { action, arriveId, payNumber: parsePayNumber(body.payNumber) };
  if (typeof body.deadline !== 'string' || !isDeadline(body.deadline)) throw bad('納付期限（deadline）は実在する日付を YYYYMMDD で指定してください。');
  const r: PaymentRequest = { action, arriveId, amount: parseAmount(body.amount), deadline: body.deadline };
  if (body.nameKana !== undefined) r.nameKana = parseNameKana(body.nameKana);
  return r;
}

const digits = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join('');

/**
 * [SIM-CHOICE] The three Pay-easy numbers are random (e-Gov's scheme is unknown; the recorded ones are
 * 0000000000000203 / 100001 / 10005); the 納付番号 is unique in the sandbox, so it alone finds a 納付.
 */
export function freshPayNumbers(): { payNumber: string; confirmNumber: string; facilityNumber: string } {
  return { payNumber: digits(16), confirmNumber: digits(6), facilityNumber: digits(5) };
}

export interface PaymentDeps {
  cases: CaseStore;
  payments: PaymentStore;
}

export function performPayment(deps: PaymentDeps, r: PaymentRequest, now: Date): PaymentView {
  const c = deps.cases.find(r.arriveId);
  if (!c) throw new OperatorError('OPERATOR_CASE_NOT_FOUND', `到達番号 ${r.arriveId} の案件はサンドボックスにありません。`);
  const at = now.getTime();
  const date = jstTimestamp(now);
  let row: PaymentRow;
  if (r.action === 'add-payment') {
    if (c.applyType.startsWith('取下げ')) throw new OperatorError('OPERATOR_NOT_ALLOWED', `到達番号 ${c.arriveId} は取下げの案件です。納付は元の申請の案件に登録してください。`);
    row = deps.payments.add({
      arriveId: c.arriveId,
      numbers: freshPayNumbers,
      payNameKana: r.nameKana ?? DEFAULT_PAY_NAME_KANA,
      payExpiredDate: r.deadline,
      totalFee: r.amount,
      event: HISTORY.paymentRegistered,
      at,
      date,
    });
  } else {
    const paid = r.action === 'pay';
    // [SIM-CHOICE] PayDate is the JST day of the payment, like PayExpiredDate (never recorded non-empty)
    const settled = deps.payments.settle(c.arriveId, r.payNumber, paid ? PAY_STATUS.paid : PAY_STATUS.expired, paid ? date.slice(0, 8) : '', paid ? HISTORY.paymentPaid : HISTORY.paymentExpired, at, date);
    if (settled === null) throw new OperatorError('OPERATOR_CASE_NOT_FOUND', `到達番号 ${c.arriveId} に納付番号 ${r.payNumber} の納付はありません。`);
    if (settled === 'not-unpaid') {
      const current = deps.payments.find(c.arriveId, r.payNumber)!;
      throw new OperatorError('OPERATOR_NOT_ALLOWED', `納付番号 ${r.payNumber} の納付は「${current.payStatus}」です。${paid ? '納付' : '期限切れに'}できるのは未納の納付だけです。`);
    }
    row = settled;
  }
  const statuses = deps.payments.list(c.arriveId).map((p) => p.payStatus);
  return { ...row, casePayStatus: casePayStatus(statuses), payWaitCount: statuses.filter((s) => s === PAY_STATUS.unpaid).length };
}

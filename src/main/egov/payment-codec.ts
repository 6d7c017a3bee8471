// Main process. The wire format of 電子納付情報一覧 (REFERENCE §4.19, A.30): ArriveID, ProcName and one
// ApplyPay per 納付. Wire names stay in this file; callers see src/shared/payment.ts. Pure functions,
// no I/O.
//
// An entry is never dropped or "fixed": the filer pays with these numbers at a bank or an ATM, so a
// 納付番号 of the wrong length or an amount that is not digits is shown exactly as e-Gov sent it, with
// what is wrong in `problems`, and the hand-off refuses such an entry later rather than guessing.
// Only an answer that is not a 納付 list at all (no ArriveID, ApplyPay holding text, far too many
// entries) is refused as a whole.
import type { Payment, PaymentList } from '../../shared/payment.js';
import { parseJstTimestamp } from './dates.js';
import { malformedResponse } from './errors.js';
import { arriveIdOf, assertArriveId, element, textOr } from './reference-codec.js';
import { childList, type XmlNode, type XmlValue } from './xml.js';

/** lists that must stay lists when they hold one entry */
export const PAYMENTS_ARRAY_ELEMENTS: readonly string[] = ['ApplyPay'];

/** a case carries a handful of fees; thousands is not a 納付 list */
export const MAX_PAYMENTS = 1000;

/** `payment/{到達番号}` (電子納付情報一覧, GET). */
export function paymentsPath(arriveId: string): string {
  assertArriveId(arriveId);
  return `payment/${arriveId}`;
}

const isDay = (text: string): boolean => /^\d{8}$/.test(text) && parseJstTimestamp(`${text}000000`) !== undefined;
const isTimestamp = (text: string): boolean => /^\d{14}$/.test(text) && parseJstTimestamp(text) !== undefined;

/** What is wrong with a 納付's values, in Japanese; the order is the order of the fields. */
export function paymentProblems(p: Omit<Payment, 'problems'>): string[] {
  const problems: string[] = [];
  const digits = (value: string, length: number, label: string) => {
    if (value === '') problems.push(`${label}がありません`);
    else if (!/^\d+$/.test(value)) problems.push(`${label}が数字ではありません`);
    else if (value.length !== length) problems.push(`${label}が${length}桁ではありません（${value.length}桁）`);
  };
  digits(p.payNumber, 16, '納付番号');
  digits(p.confirmNumber, 6, '確認番号');
  digits(p.facilityNumber, 5, '収納機関番号');
  if (p.deadline === '') problems.push('納付期限がありません');
  else if (!isDay(p.deadline)) problems.push('納付期限が日付（YYYYMMDD）ではありません');
  if (p.totalFee === '') problems.push('金額がありません');
  else if (!/^\d+$/.test(p.totalFee)) problems.push('金額が数字ではありません');
  else if (p.totalFee.length > 10) problems.push('金額の桁数が多すぎます');
  // the format of PayDate was never recorded (§4.19): a day or a moment, either is taken as sent
  if (p.payDate !== '' && !isDay(p.payDate) && !isTimestamp(p.payDate)) problems.push('納付日が日付ではありません');
  return problems;
}

function decodePayment(value: XmlValue): Payment {
  const node = element(value, 'ApplyPay');
  const payment = {
    payNumber: textOr(node, 'PayNumber'),
    confirmNumber: textOr(node, 'ConfirmNumber'),
    facilityNumber: textOr(node, 'FacilityNumber'),
    payNameKana: textOr(node, 'PayNameKana'),
    deadline: textOr(node, 'PayExpiredDate'),
    totalFee: textOr(node, 'TotalFee'),
    status: textOr(node, 'PayStatus'),
    payDate: textOr(node, 'PayDate'),
    memo: textOr(node, 'PayMemo'),
    payFlag: textOr(node, 'PayFlag'),
  };
  return { ...payment, problems: paymentProblems(payment) };
}

/** Two entries with one 納付番号 cannot be told apart at the bank: both are flagged. */
function flagDuplicates(payments: Payment[]): Payment[] {
  const count = new Map<string, number>();
  for (const p of payments) if (p.payNumber !== '') count.set(p.payNumber, (count.get(p.payNumber) ?? 0) + 1);
  return payments.map((p) => ((count.get(p.payNumber) ?? 0) > 1 ? { ...p, problems: [...p.problems, '同じ納付番号の納付がほかにもあります'] } : p));
}

export function decodePaymentList(applData: XmlNode): PaymentList {
  const values = childList(applData, 'ApplyPay');
  if (values.length > MAX_PAYMENTS) throw malformedResponse('納付情報が多すぎます', `more than ${MAX_PAYMENTS} ApplyPay entries`);
  return {
    arriveId: arriveIdOf(applData, 'ArriveID'),
    procedureName: textOr(applData, 'ProcName'),
    payments: flagDuplicates(values.map(decodePayment)),
  };
}

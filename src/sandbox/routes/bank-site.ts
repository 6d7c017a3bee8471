// Sandbox (Node). 電子納付金融機関サイト表示 (REFERENCE §4.20) — NOT e-Gov's interface: its v1 URI,
// method, parameters and HTML were never recorded. [SIM-CHOICE] `POST /shinsei/1/access/bank/site`,
// access key checked like every /access/ call, body `DataRoot/ApplData/{ArriveID, PayNumber,
// FinancialName}`; the answer is `text/html;charset=UTF-8`: an auto-submitting form to the chosen
// bank's Url from 電子納付対応金融機関一覧 with the 納付's numbers as hidden inputs (names SIM-CHOICE:
// HAND_OFF_FIELDS), or an HTML error page (HTTP 400) — HTML on error too, as §4.20 says e-Gov's was.
import type { Route } from '../http/router.js';
import type { SandboxResponse } from '../http/respond.js';
import { SANDBOX_ERRORS } from '../messages.js';
import { errorPage, handOffPage, type HtmlPage } from '../payments/html-page.js';
import type { CaseStore } from '../state/case-store.js';
import { PAY_STATUS, type PaymentRow, type PaymentStore } from '../state/payment-store.js';
import type { BankListAnswer } from '../wire/payment-family.js';
import type { AccessHandler } from './access.js';
import { leaves, readApplData } from './request-xml.js';

/** [SIM-CHOICE] the hidden inputs of the hand-off form: 収納機関番号, 納付番号, 確認番号, 金額, 納付期限 */
export const HAND_OFF_FIELDS = ['facility', 'payNumber', 'confirmNumber', 'amount', 'deadline'] as const;
export type HandOffField = (typeof HAND_OFF_FIELDS)[number];

/** three short values in a small XML document */
export const BANK_SITE_BODY_LIMIT = 16 * 1024;

export interface BankSiteDeps {
  cases: CaseStore;
  payments: PaymentStore;
  bankList: BankListAnswer;
}

export const HTML_CONTENT_TYPE = 'text/html;charset=UTF-8';

export function htmlResponse(p: HtmlPage, extra: ReadonlyArray<readonly [string, string]> = []): SandboxResponse {
  return { status: p.status, body: p.body, contentType: HTML_CONTENT_TYPE, extraHeaders: [['Content-Security-Policy', p.csp], ...extra] };
}

/** The Url the list gives a bank of this exact name (any group), or null. */
export function bankUrlOf(list: BankListAnswer, name: string): string | null {
  const all = [...list.initials.flatMap((i) => i.banks), ...list.shinkin, ...list.creditUnion, ...list.norinchukin, ...list.labour];
  return all.find((b) => b.financialName === name)?.url ?? null;
}

export function handOffFields(p: PaymentRow): Array<[HandOffField, string]> {
  return [
    ['facility', p.facilityNumber],
    ['payNumber', p.payNumber],
    ['confirmNumber', p.confirmNumber],
    ['amount', p.totalFee],
    ['deadline', p.payExpiredDate],
  ];
}

const TITLE = '電子納付を開始できません';
const refused = (message: string) => htmlResponse(errorPage(400, TITLE, message));

/** Why a 納付 can no longer be paid, or null while it is 未納. */
export function notPayable(p: PaymentRow): string | null {
  if (p.payStatus === PAY_STATUS.paid) return `納付番号 ${p.payNumber} の納付は納付済みです（納付日 ${p.payDate}）。二重に納付しないでください。`;
  if (p.payStatus === PAY_STATUS.expired) return `納付番号 ${p.payNumber} の納付は納付期限（${p.payExpiredDate}）を過ぎています。府省に問い合わせてください。`;
  if (p.payStatus !== PAY_STATUS.unpaid) return `納付番号 ${p.payNumber} の納付は「${p.payStatus}」のため納付できません。`;
  return null;
}

function bankSiteHandler(deps: BankSiteDeps): AccessHandler {
  return async ({ req, res, userId }) => {
    const read = await readApplData(req, BANK_SITE_BODY_LIMIT);
    if (!read.ok) {
      if (read.aborted) res.destroy();
      const page = refused(SANDBOX_ERRORS[read.failure.kind].message(read.failure.detail));
      return read.tooLarge ? { ...page, extraHeaders: [...page.extraHeaders!, ['Connection', 'close']] } : page;
    }
    const shape = leaves(read.applData, ['ArriveID', 'PayNumber', 'FinancialName']);
    if (!shape.ok) return refused(SANDBOX_ERRORS[shape.failure.kind].message(shape.failure.detail));
    const { ArriveID: arriveId, PayNumber: payNumber, FinancialName: bankName } = shape.text as Record<string, string>;
    if (!/^\d{16,18}$/.test(arriveId!)) return refused('到達番号は 16〜18 桁の数字で指定してください。');
    if (!/^\d{16}$/.test(payNumber!)) return refused('納付番号は 16 桁の数字で指定してください。');
    const c = deps.cases.ofUser(userId, arriveId!);
    const payment = c ? deps.payments.find(c.arriveId, payNumber!) : null;
    if (!payment) return refused(`到達番号 ${arriveId} に納付番号 ${payNumber} の納付はありません。電子納付情報一覧で納付番号を確認してください。`);
    const url = bankUrlOf(deps.bankList, bankName!);
    if (url === null) return refused(`「${bankName!.slice(0, 60)}」は電子納付対応金融機関一覧にありません。一覧から金融機関を選んでください。`);
    const reason = notPayable(payment);
    if (reason !== null) return refused(reason);
    return htmlResponse(handOffPage(url, handOffFields(payment)));
  };
}

export function bankSiteRoutes(deps: BankSiteDeps): Array<Route<AccessHandler>> {
  return [{ method: 'POST', pattern: '/shinsei/1/access/bank/site', api: '電子納付金融機関サイト表示（サンドボックス独自）', handler: bankSiteHandler(deps) }];
}

// Sandbox (Node). The 電子納付 APIs (REFERENCE §4.18, §4.19): 電子納付対応金融機関一覧, the same for every
// user, and 電子納付情報一覧 of one case of the key's user (another user's case answers exactly like
// an unknown one, as 状況照会 does). 電子納付金融機関サイト表示 (§4.20, SIM-CHOICE) is in bank-site.ts.
import type { Route } from '../http/router.js';
import { failure, type SandboxFailure } from '../messages.js';
import type { CaseStore } from '../state/case-store.js';
import type { PaymentStore } from '../state/payment-store.js';
import { writeBankListBody, writePaymentListBody, type BankListAnswer } from '../wire/payment-family.js';
import type { AccessHandler } from './access.js';
import { echoOf, fail } from './apply.js';

export interface PaymentRouteDeps {
  cases: CaseStore;
  payments: PaymentStore;
  /** the list every user is given */
  bankList: BankListAnswer;
}

const ARRIVE_ID = /^\d{16,18}$/;
const OK = { code: '0', message: '' } as const;

function bankListHandler(deps: PaymentRouteDeps): AccessHandler {
  const body = writeBankListBody(OK, deps.bankList);
  return () => Promise.resolve({ status: 200, body });
}

function paymentListHandler(deps: PaymentRouteDeps): AccessHandler {
  return ({ params, userId }) => {
    const id = params.arriveId!;
    const error = (f: SandboxFailure) => fail(f, (m) => writePaymentListBody({ code: '1', message: m }, { arriveId: echoOf(id), procName: '', payments: [] }));
    if (!ARRIVE_ID.test(id)) return Promise.resolve(error(failure('ARRIVE_ID_INVALID', '到達番号は 16〜18 桁の数字')));
    const c = deps.cases.ofUser(userId, id);
    if (!c) return Promise.resolve(error(failure('CASE_NOT_FOUND')));
    return Promise.resolve({ status: 200, body: writePaymentListBody(OK, { arriveId: id, procName: c.procName, payments: deps.payments.list(id) }) });
  };
}

export function paymentRoutes(deps: PaymentRouteDeps): Array<Route<AccessHandler>> {
  return [
    { method: 'GET', pattern: '/shinsei/1/access/bank', api: '電子納付対応金融機関一覧取得', handler: bankListHandler(deps) },
    { method: 'GET', pattern: '/shinsei/1/access/payment/{arriveId}', api: '電子納付情報一覧取得', handler: paymentListHandler(deps) },
  ];
}

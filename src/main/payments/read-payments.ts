// Main process (core). Reading one case's 電子納付情報一覧 through the session and keeping it. The
// case's PayStatus / PayWaitCount are taken BEFORE e-Gov is asked, so a counter that moves while the
// read is under way (the case sync running beside it) still differs afterwards and the next cycle
// reads again: a payment is never missed for a race, at worst read twice.
//
// A 納付 that e-Gov no longer lists is kept (PaymentStore: marked not listed, shown with a note, out of
// the due list, never handed off) — the filer may hold its numbers on paper, and what e-Gov once asked
// for is part of the case's record.
import type { CasePaymentsView, PaymentList } from '../../shared/payment.js';
import type { EgovPaymentsGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import type { PaymentChanges, PaymentStore } from '../store/payments.js';

export interface ReadPaymentsDeps {
  session: Pick<EgovSession, 'withAccessKey'>;
  gateway: Pick<EgovPaymentsGateway, 'payments'>;
  store: PaymentStore;
}

export interface PaymentsRead {
  view: CasePaymentsView;
  changes: PaymentChanges['changes'];
  unlisted: string[];
}

/** Reads 電子納付情報一覧 of `arriveId` from e-Gov and stores it; returns the case's view and what changed. */
export async function readCasePayments(deps: ReadPaymentsDeps, arriveId: string): Promise<PaymentsRead> {
  const counters = deps.store.caseCounters(arriveId);
  const list: PaymentList = await deps.session.withAccessKey((key) => deps.gateway.payments(key, arriveId));
  // e-Gov answers for the case asked; a list of another case is not this case's record
  const changed = deps.store.replaceCase({ ...list, arriveId }, counters);
  return { view: deps.store.forCase(arriveId), changes: changed.changes, unlisted: changed.unlisted };
}

// Core host (pure). 照合 of a 取下げ whose answer never came (`unknown`): did it reach e-Gov? A 取下げ
// is not in 送信案件一覧 (it is sent on its own, with no 送信番号), so the witness is 状況照会 of the
// case it withdraws (REFERENCE §4.6–4.7): a 取下げ that arrived turns the case to 到達（取下げ処理中）
// and leaves an event in its ApplyHistory (送信 / 取下げ申請 …), which stays after the ministry
// accepted or refused the 取下げ. The answer's own 到達番号 (NewArriveID) is not told there.
//
// The rule leans one way, as the batch's reconcile() does: when in doubt the answer is `ambiguous`
// (the person decides, nothing is resent), never `not-found` (which allows a resend).
import type { CaseEvent, CaseStatus } from '../../shared/case.js';
import { DEFAULT_EARLY_MS, DEFAULT_SETTLE_MS, parseJstTimestamp } from './reconcile.js';

/** REFERENCE §6.1 (SEEN): the status of a case whose 取下げ arrived and waits for the ministry. */
export const WITHDRAWAL_PENDING_STATUS = '到達（取下げ処理中）';

export interface WithdrawalReconcileSubject {
  /** 到達番号 of the case withdrawn */
  arriveId: string;
  /** epoch ms when the attempt started (recorded before the request left) */
  attemptStartedAt: number;
}

export interface WithdrawalReconcileOptions {
  /** now, epoch ms */
  now: number;
  /** how far before the attempt an event may be dated (our clock ahead of e-Gov's); default 10 min */
  earlyMs?: number;
  /** how long after the attempt a `not-found` is trusted; default 5 min */
  settleMs?: number;
}

export type WithdrawalReconcileDecision =
  /** the 取下げ is at e-Gov: the event that shows it (null when only the status does) */
  | { kind: 'arrived'; event: CaseEvent | null; status: string }
  /** nothing of a 取下げ, and the attempt is old enough for that to be trusted */
  | { kind: 'not-found' }
  /** signs of a 取下げ that cannot be tied to this attempt: the person decides */
  | { kind: 'ambiguous'; reason: string }
  /** asked too soon for `not-found` to be trusted: ask again at `retryAt` (epoch ms) */
  | { kind: 'too-early'; retryAt: number };

/** An ApplyHistory event that is a 取下げ: ProcessType 取下げ申請 / 取下げ依頼 (and, inferred, the ministry's 取下げ… replies). */
export function isWithdrawalEvent(e: CaseEvent): boolean {
  return e.processType.includes('取下げ') || e.status === WITHDRAWAL_PENDING_STATUS;
}

export function reconcileWithdrawal(subject: WithdrawalReconcileSubject, status: CaseStatus, options: WithdrawalReconcileOptions): WithdrawalReconcileDecision {
  if (status.arriveId !== subject.arriveId) return { kind: 'ambiguous', reason: `状況照会の答えが別の到達番号（${status.arriveId}）のものでした` };
  const earlyMs = options.earlyMs ?? DEFAULT_EARLY_MS;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const from = subject.attemptStartedAt - earlyMs;
  const withdrawalEvents = status.history.filter(isWithdrawalEvent);
  // an event whose date cannot be read cannot be ruled out by time
  const ours = withdrawalEvents.find((e) => {
    const at = parseJstTimestamp(e.date);
    return at === null || at >= from;
  });
  // the first such event is the 取下げ arriving (送信); the ministry's reply, if any, comes after it
  if (ours) return { kind: 'arrived', event: ours, status: status.status };
  const pending = status.status === WITHDRAWAL_PENDING_STATUS || status.withdrawFlag === '1';
  if (withdrawalEvents.length > 0 || pending) {
    return {
      kind: 'ambiguous',
      reason: pending
        ? `案件の状況は「${status.status}」ですが、この取下げの送信の記録（履歴）が見つかりません`
        : '案件の履歴にある取下げは、この送信より前のものです',
    };
  }
  const settledAt = subject.attemptStartedAt + settleMs;
  if (options.now < settledAt) return { kind: 'too-early', retryAt: settledAt };
  return { kind: 'not-found' };
}

// Core host (pure). 照合 of a 補正 whose answer never came (`unknown`): did it reach e-Gov? Like a 取下げ
// it is sent on its own, with no 送信番号, so 送信案件一覧 cannot tell; the witness is 状況照会 of the
// case it corrects (REFERENCE §4.6, §6.2): a 補正 that arrived leaves an event the applicant sent in
// its ApplyHistory (送信 / 再提出, 部分補正, 補正申請 …, never recorded: any 送信 event that names a
// 補正 or 再提出), and takes the case out of 審査中（補正待ち）.
//
// The event e-Gov writes for a 補正 was never recorded, so what it looks like is INFERRED; a case that
// left 補正待ち since the attempt, or any other event the applicant sent since, is not taken for
// "nothing arrived": it is `ambiguous`.
//
// Also the judge of an HTTP 500 (A.21, SEEN): e-Gov answers a 補正 of a case that is not open to one
// with its generic system error. When 状況照会 right after it shows the case as it was before the
// attempt — same status, nothing new the applicant sent — and that case is neither 補正待ち nor
// re-submittable (ReintroductionFlag 1), e-Gov refused it: `ineligible`. Any other 500 is as unclear
// as a lost answer.
//
// The rule leans one way, as the batch's and the 取下げ's do: when in doubt the answer is `ambiguous`
// (the person decides, nothing is resent), never `not-found` (which allows a resend).
import type { CaseEvent, CaseStatus } from '../../shared/case.js';
import { DEFAULT_EARLY_MS, DEFAULT_SETTLE_MS, parseJstTimestamp } from './reconcile.js';

/** REFERENCE §6.1 (SEEN): the status of a case waiting for the applicant's 補正. */
export const AMENDMENT_WAITING_STATUS = '審査中（補正待ち）';

export interface AmendmentReconcileSubject {
  /** 到達番号 of the case corrected */
  arriveId: string;
  /** epoch ms when the attempt started (recorded before the request left) */
  attemptStartedAt: number;
  /** the case's status as Todoke last saw it before the attempt (null when it never saw one) */
  statusBefore: string | null;
}

export interface AmendmentReconcileOptions {
  /** now, epoch ms */
  now: number;
  /** how far before the attempt an event may be dated (our clock ahead of e-Gov's); default 10 min */
  earlyMs?: number;
  /** how long after the attempt a `not-found` is trusted; default 5 min */
  settleMs?: number;
}

export type AmendmentReconcileDecision =
  /** the 補正 is at e-Gov: the event that shows it */
  | { kind: 'arrived'; event: CaseEvent }
  /** nothing of a 補正, and the attempt is old enough for that to be trusted */
  | { kind: 'not-found' }
  /** signs of a 補正 that cannot be tied to this attempt: the person decides */
  | { kind: 'ambiguous'; reason: string }
  /** asked too soon for `not-found` to be trusted: ask again at `retryAt` (epoch ms) */
  | { kind: 'too-early'; retryAt: number };

/** An ApplyHistory event the applicant sent that is a 補正 (再提出, 部分補正, 補正申請 …), not the ministry's 補正指示. */
export function isAmendmentEvent(e: CaseEvent): boolean {
  return e.operatorType === '送信' && /補正|再提出/.test(e.processType);
}

/** The case as 状況照会 shows it is open to a 補正 (補正待ち, or re-submittable after 手続終了). */
export function isOpenToAmendment(status: CaseStatus): boolean {
  return status.status === AMENDMENT_WAITING_STATUS || status.reintroductionFlag === '1';
}

interface Evidence {
  /** the first 補正 event dated from the attempt on */
  ours: CaseEvent | undefined;
  /** 補正 events dated before the attempt */
  older: number;
  /** other events the applicant sent from the attempt on (not 取下げ): what they are is not known */
  otherSent: number;
}

function evidenceOf(subject: AmendmentReconcileSubject, status: CaseStatus, earlyMs: number): Evidence {
  const from = subject.attemptStartedAt - earlyMs;
  // an event whose date cannot be read cannot be ruled out by time
  const recent = (e: CaseEvent): boolean => {
    const at = parseJstTimestamp(e.date);
    return at === null || at >= from;
  };
  const amendments = status.history.filter(isAmendmentEvent);
  const ours = amendments.find(recent);
  const otherSent = status.history.filter((e) => e.operatorType === '送信' && !isAmendmentEvent(e) && !e.processType.includes('取下げ') && recent(e)).length;
  return { ours, older: amendments.filter((e) => !recent(e)).length, otherSent };
}

export function reconcileAmendment(subject: AmendmentReconcileSubject, status: CaseStatus, options: AmendmentReconcileOptions): AmendmentReconcileDecision {
  if (status.arriveId !== subject.arriveId) return { kind: 'ambiguous', reason: `状況照会の答えが別の到達番号（${status.arriveId}）のものでした` };
  const { ours, older, otherSent } = evidenceOf(subject, status, options.earlyMs ?? DEFAULT_EARLY_MS);
  if (ours) return { kind: 'arrived', event: ours };
  if (older > 0) return { kind: 'ambiguous', reason: '案件の履歴にある補正は、この送信より前のものです' };
  if (otherSent > 0) return { kind: 'ambiguous', reason: 'この送信のあと、案件の履歴に申請者からの送信が記録されていますが、補正かどうか分かりません' };
  if (subject.statusBefore === AMENDMENT_WAITING_STATUS && status.status !== AMENDMENT_WAITING_STATUS) {
    return { kind: 'ambiguous', reason: `案件は「${AMENDMENT_WAITING_STATUS}」から「${status.status}」に変わりましたが、この補正の記録（履歴）が見つかりません` };
  }
  const settledAt = subject.attemptStartedAt + (options.settleMs ?? DEFAULT_SETTLE_MS);
  if (options.now < settledAt) return { kind: 'too-early', retryAt: settledAt };
  return { kind: 'not-found' };
}

export type AmendmentServerErrorVerdict =
  /** the 補正 arrived despite the 500 */
  | { kind: 'arrived'; event: CaseEvent }
  /** no 補正 and the case is not open to one: e-Gov refused it (A.21) */
  | { kind: 'ineligible'; status: string; reintroductionFlag: string }
  /** no 補正 yet, but the case was open to one: as unclear as a lost answer */
  | { kind: 'unclear' };

/** What an HTTP 500 to a 補正 means, judged by 状況照会 of the case asked right after it. */
export function judgeAmendmentServerError(subject: AmendmentReconcileSubject, status: CaseStatus, options: Pick<AmendmentReconcileOptions, 'earlyMs'> = {}): AmendmentServerErrorVerdict {
  if (status.arriveId !== subject.arriveId) return { kind: 'unclear' };
  const { ours, otherSent } = evidenceOf(subject, status, options.earlyMs ?? DEFAULT_EARLY_MS);
  if (ours) return { kind: 'arrived', event: ours };
  const unchanged = subject.statusBefore !== null && status.status === subject.statusBefore && otherSent === 0;
  if (unchanged && !isOpenToAmendment(status)) return { kind: 'ineligible', status: status.status, reintroductionFlag: status.reintroductionFlag };
  return { kind: 'unclear' };
}

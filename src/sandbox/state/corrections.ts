// Sandbox (Node). A 補正 arriving against a case (REFERENCE §4.9–§4.11, §9), in one transaction:
// - 再提出: a new case (its own 到達番号, status 到達, linked to the original by target_arrive_id);
// - 部分補正: no new case (SEEN: NewArriveID empty, the case kept).
// Either way the original's open 補正通知 are completed (CorrectCompletedDate), its CorrectStatus is
// なし again, and it gets a history event. [SIM-CHOICE] the original's status after a 補正: 審査中 when
// it was 審査中（補正待ち）, otherwise unchanged; a used ReintroductionFlag goes back to 0.
import type { CaseRow, CaseStore, NewWithdrawal } from './case-store.js';
import { HISTORY, STATUS } from './history.js';
import type { NoticeStore } from './notice-store.js';

/** When a 補正 is taken (SEEN: 補正待ち, or ReintroductionFlag 1 on a finished case; otherwise the 500 of A.21). */
export function correctable(c: CaseRow): boolean {
  if (c.applyType.startsWith('取下げ') || c.status === STATUS.withdrawing || c.status === STATUS.withdrawn) return false;
  return c.status === STATUS.awaitingCorrection || c.reintroductionFlag === '1';
}

export type CorrectionResult = { ok: true; newArriveId: string } | { ok: false; refusal: 'NOT_FOUND' | 'NOT_CORRECTABLE' };

export function recordCorrection(cases: CaseStore, notices: NoticeStore, w: NewWithdrawal): CorrectionResult {
  return cases.transaction(() => {
    // judged again inside the transaction: two 補正 sent at once cannot both arrive
    const target = cases.ofUser(w.userId, w.targetArriveId);
    if (!target) return { ok: false as const, refusal: 'NOT_FOUND' as const };
    if (!correctable(target)) return { ok: false as const, refusal: 'NOT_CORRECTABLE' as const };
    const newArriveId = w.applyType === '再提出' ? cases.insertLinkedArrival(w) : '';
    notices.completeCorrections(target.arriveId, w.date);
    const status = target.status === STATUS.awaitingCorrection ? STATUS.examining : target.status;
    cases.change(target.arriveId, { status, reintroductionFlag: '0' }, HISTORY.correctionArrived(w.applyType, status), w.at, w.date);
    return { ok: true as const, newArriveId };
  });
}

// Core host. The case sync's step for 取下げ cases. A 取下げ has a 到達番号 of its own but no 送信番号
// (REFERENCE §4.7: it is sent on its own), so 送信案件一覧 — which the sync compares — never lists
// it; the only way to see it move is 状況照会. Asked for the 取下げ cases still open, and for those
// whose original changed in this cycle (the ministry acting on a 取下げ shows on the original first),
// one request each, counted with the cycle's 状況照会 requests. Few: a person withdraws rarely.
import type { CaseSyncEvent, CaseStatus } from '../../shared/case.js';
import type { CaseStore } from '../store/cases.js';

export interface WithdrawalFollowStep {
  cases: Pick<CaseStore, 'get' | 'storeReference'>;
  /** the 取下げ cases to ask about (CaseStore.withdrawalsToFollow) */
  arriveIds: readonly string[];
  /** 状況照会 through the cycle's session */
  ask: (arriveId: string) => Promise<CaseStatus>;
  /** counted before each request */
  counted: () => void;
  referenced: (arriveId: string) => void;
  /** a failed 状況照会: recorded by the cycle (or rethrown when it stops the cycle) */
  failed: (arriveId: string, error: unknown) => void;
  emit: (event: CaseSyncEvent) => void;
}

export async function followWithdrawals(step: WithdrawalFollowStep): Promise<void> {
  for (const arriveId of step.arriveIds) {
    const before = step.cases.get(arriveId);
    if (!before) continue;
    step.counted();
    let added: ReturnType<CaseStore['storeReference']>;
    try {
      added = step.cases.storeReference(await step.ask(arriveId)) ?? [];
    } catch (error) {
      step.failed(arriveId, error);
      continue;
    }
    step.referenced(arriveId);
    const after = step.cases.get(arriveId) ?? before;
    if (!added.length && after.status === before.status) continue;
    step.emit({
      type: 'case.changed',
      arriveId,
      isNew: false,
      changes: after.status !== before.status ? [{ field: 'status', before: before.status, after: after.status }] : [],
      status: after.status,
      newHistory: added,
      referenced: true,
    });
  }
}

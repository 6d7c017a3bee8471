// Main process (core). The 取下げ of a case as the screens see them (CaseWithdrawalView): its outbox
// entry, and the status of the 取下げ case when it is stored. Shared by case.get and case.withdraw*.
import type { CaseWithdrawalView, WithdrawalKindName, WithdrawalState } from '../../shared/case.js';
import type { CaseStore } from '../store/cases.js';
import type { OutboxEntry } from '../store/outbox.js';

/** 手続ID of the 取下げ依頼 package folder (REFERENCE §5.7); every other 取下げ is a 取下げ申請. */
const REQUEST_PROCEDURE = '9990000000000003';

export function withdrawalKindOf(entry: Pick<OutboxEntry, 'folderNames'>): WithdrawalKindName {
  return entry.folderNames[0]?.startsWith(`${REQUEST_PROCEDURE}(`) ? 'request' : 'application';
}

function stateOf(entry: OutboxEntry): WithdrawalState {
  // the store's CHECK keeps a 取下げ out of sent / following; were one there, it arrived
  return entry.state === 'sent' || entry.state === 'following' ? 'done' : entry.state;
}

export function withdrawalView(entry: OutboxEntry, cases: Pick<CaseStore, 'get'> | null): CaseWithdrawalView {
  const stored = entry.newArriveId && cases ? cases.get(entry.newArriveId) : null;
  return {
    entryId: entry.id,
    kind: withdrawalKindOf(entry),
    state: stateOf(entry),
    newArriveId: entry.newArriveId,
    status: stored?.status ?? null,
    createdAt: new Date(entry.createdAt).toISOString(),
    updatedAt: new Date(entry.updatedAt).toISOString(),
    attemptCount: entry.attemptCount,
    failure: entry.failure,
  };
}

// Renderer (pure). What ホーム picks out of the outbox: the sends that wait for the person (a choice
// to make, data to send again), those e-Gov turned down or whose 形式チェック rejected applications in
// the last days, and those still under way — in that order, newest first within each, a few at most.
// A send that is done without errors is not news; an old refusal stops being news after a week (the
// 送信履歴 keeps every send).
import type { BatchView } from '../shared/filing.js';

/** Why a send is on ホーム. */
export type BatchConcern = 'decide' | 'failed' | 'check-errors' | 'under-way';

export interface WatchedBatch {
  batch: BatchView;
  concern: BatchConcern;
}

/** a refused send, or one whose 形式チェック found errors, stays on ホーム this long after it last changed */
export const RECENT_PROBLEM_DAYS = 7;
/** ホーム lists at most this many; the rest are counted */
export const MAX_WATCHED = 5;

const DAY_MS = 86_400_000;
const ORDER: Record<BatchConcern, number> = { decide: 0, failed: 1, 'check-errors': 2, 'under-way': 3 };

/** An unreadable time counts as recent: a send is shown rather than hidden by a bad record. */
function isRecent(batch: BatchView, now: number): boolean {
  const at = Date.parse(batch.updatedAt);
  return Number.isNaN(at) || now - at <= RECENT_PROBLEM_DAYS * DAY_MS;
}

/** Why `batch` belongs on ホーム at `now` (epoch ms), or null when it does not. */
export function concernOf(batch: BatchView, now: number): BatchConcern | null {
  switch (batch.state) {
    case 'ready':
    case 'ready-for-resend':
    case 'ambiguous':
      return 'decide';
    case 'sending':
    case 'sent':
    case 'following':
    case 'unknown':
      return 'under-way';
    case 'failed':
      return isRecent(batch, now) ? 'failed' : null;
    case 'done':
      return (batch.formatCheck?.errorCount ?? 0) > 0 && isRecent(batch, now) ? 'check-errors' : null;
    default:
      // a state this build does not know: shown, so nothing the person should see is hidden
      return 'under-way';
  }
}

/** The sends ホーム shows (at most `max`) and how many more there are. */
export function batchesToWatch(batches: readonly BatchView[], now: number, max = MAX_WATCHED): { shown: WatchedBatch[]; more: number } {
  const watched: WatchedBatch[] = [];
  for (const batch of batches) {
    const concern = concernOf(batch, now);
    if (concern) watched.push({ batch, concern });
  }
  watched.sort((a, b) => ORDER[a.concern] - ORDER[b.concern] || (a.batch.updatedAt < b.batch.updatedAt ? 1 : a.batch.updatedAt > b.batch.updatedAt ? -1 : 0));
  return { shown: watched.slice(0, max), more: Math.max(0, watched.length - max) };
}

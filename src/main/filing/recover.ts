// Core host. What the outbox needs at start, before anything is sent (ARCHITECTURE.md "Data that
// must never be lost"): every entry a crash left `sending` becomes `unknown`, then every `unknown`
// entry is reconciled (照合) against 送信案件一覧 for the days of its attempt. This module only asks;
// it never sends a batch. `ambiguous` entries are left for the user; a `too-early` answer leaves the
// entry `unknown` to be asked again at `retryAt`. A failure to ask (offline) leaves the entry
// `unknown` and is reported per entry: the next start (or the sync) asks again.
import type { EgovGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import type { Outbox, OutboxEntry } from '../store/outbox.js';
import { reconcile, reconcileQuery, type ReconcileDecision, type ReconcileOptions } from '../sync/reconcile.js';

export interface RecoverOptions {
  outbox: Outbox;
  session: Pick<EgovSession, 'withAccessKey'>;
  gateway: Pick<EgovGateway, 'listSends'>;
  now?: () => number;
  /** the time windows of reconcile() (defaults there) */
  windows?: Pick<ReconcileOptions, 'earlyMs' | 'lateMs' | 'settleMs'>;
}

export type RecoveryOutcome =
  | { entryId: string; decision: ReconcileDecision; entry: OutboxEntry }
  /** 送信案件一覧 could not be asked: the entry stays `unknown` */
  | { entryId: string; error: unknown; entry: OutboxEntry };

export interface RecoveryReport {
  /** entries moved from `sending` to `unknown` */
  interrupted: string[];
  outcomes: RecoveryOutcome[];
}

export async function recoverOutbox(options: RecoverOptions): Promise<RecoveryReport> {
  const { outbox, session, gateway } = options;
  const now = options.now ?? Date.now;
  const interrupted = outbox.recoverInterrupted().map((e) => e.id);
  const outcomes: RecoveryOutcome[] = [];
  // a 取下げ is reconciled by 状況照会 of its case (src/main/filing/withdraw.ts), never against 送信案件一覧
  for (const pending of outbox.list(['unknown'], 'batch')) {
    const id = pending.id;
    try {
      const subject = outbox.reconcileSubject(id);
      const query = reconcileQuery(subject.attemptStartedAt, options.windows ?? {});
      const summaries = await session.withAccessKey((key) => gateway.listSends(key, query));
      // `claimed` and `now` are read after the answer: a batch another entry recorded meanwhile is theirs
      const decision = reconcile(subject, summaries, { ...options.windows, claimed: outbox.claimedSendNumbers(id), now: now() });
      outcomes.push({ entryId: id, decision, entry: outbox.applyReconciliation(id, decision) });
    } catch (error) {
      outcomes.push({ entryId: id, error, entry: outbox.get(id) ?? pending });
    }
  }
  return { interrupted, outcomes };
}

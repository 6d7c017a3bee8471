// Main process (core). The background's round of 電子納付情報一覧 reads after a case sync cycle: the
// cases whose PayStatus / PayWaitCount moved since their last read, one at a time, oldest first.
// e-Gov answering about one case (an API error, a malformed list) skips that case only — its read is
// not recorded, so the next round tries it again — while a failure of the way to e-Gov (not logged
// in, unreachable, the key refused) ends the round: every further case would fail the same way.
import { isEgovError } from '../egov/errors.js';
import { readCasePayments, type PaymentsRead, type ReadPaymentsDeps } from './read-payments.js';

export interface CatchUpDeps extends ReadPaymentsDeps {
  /** hears about every read (payment.changed is sent for those that changed something) */
  onRead: (read: PaymentsRead) => void;
  /** true once the app is closing: the round stops between cases */
  stopped: () => boolean;
}

export interface CatchUpRound {
  read: string[];
  /** cases e-Gov answered with an error about that case, with its code */
  skipped: { arriveId: string; code: string }[];
}

/** True for an error that is about the one case asked for, not about reaching e-Gov at all. */
export function isAboutTheCase(e: unknown): boolean {
  return isEgovError(e) && e.delivery === 'answered' && e.code !== 'EGOV_AUTH_FAILED' && e.code !== 'EGOV_SERVER_ERROR';
}

/** One round; throws what ends it (see above). */
export async function readMovedCases(deps: CatchUpDeps): Promise<CatchUpRound> {
  const round: CatchUpRound = { read: [], skipped: [] };
  for (const c of deps.store.casesToRead()) {
    if (deps.stopped()) break;
    try {
      deps.onRead(await readCasePayments(deps, c.arriveId));
      round.read.push(c.arriveId);
    } catch (e) {
      if (!isAboutTheCase(e)) throw e;
      round.skipped.push({ arriveId: c.arriveId, code: (e as { code: string }).code });
    }
  }
  return round;
}

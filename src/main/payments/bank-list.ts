// Main process (core). 電子納付対応金融機関一覧 kept for the day: e-Gov changes it rarely, and a bank
// picker that asked e-Gov at every opening would log in for nothing. "The day" is the JST calendar
// day (e-Gov's FinancialTypeListDate is one); `refresh` asks e-Gov again whatever the day.
import type { BankList, BankListView } from '../../shared/payment.js';
import { PaymentStoreError, type PaymentStore } from '../store/payments.js';
import { jstDate } from './days-left.js';

export interface BankListDeps {
  store: PaymentStore;
  /** 電子納付対応金融機関一覧 from e-Gov, through the session */
  fetch: () => Promise<BankList>;
  now: () => Date;
}

/** True when a list read at `fetchedAt` (ISO 8601) is still today's (JST) at `now`. */
export function isTodays(fetchedAt: string, now: Date): boolean {
  const at = new Date(fetchedAt);
  return !Number.isNaN(at.getTime()) && at.getTime() <= now.getTime() && jstDate(at) === jstDate(now);
}

/** The list kept, or null when there is none or it cannot be read (then e-Gov is asked, and it is replaced). */
function keptList(store: PaymentStore): BankListView | null {
  try {
    return store.banks();
  } catch (e) {
    if (e instanceof PaymentStoreError) return null;
    throw e;
  }
}

/** The list kept today, or a fresh one from e-Gov (kept for the rest of the day). */
export async function bankListOfTheDay(deps: BankListDeps, options: { refresh?: boolean } = {}): Promise<BankListView> {
  const kept = options.refresh ? null : keptList(deps.store);
  if (kept && isTodays(kept.fetchedAt, deps.now())) return kept;
  return deps.store.putBanks(await deps.fetch());
}

// Renderer. The 電子納付 screens' view of the core: the 納付 of each case shown (payment.list, and
// 「納付状況を確認する」 which reads e-Gov again), e-Gov's bank list (payment.banks), the dashboard's
// unpaid 納付 (payment.upcoming), and the hand-off windows by handOffId (payment.handOff's answer and
// the host's payment.window events, merged by hand-off-view.ts). Kept current by payment.changed (a
// view older than the one shown is never put back), case.payment-due and each sync cycle. The core
// keeps the 納付; this store only remembers what it was told.
import { create } from 'zustand';
import type { CaseSyncEvent } from '../../shared/case.js';
import type { ErrorPayload } from '../../shared/errors.js';
import type { BankListView, CasePaymentsView, PaymentChangedEvent, PaymentHandOffView, PaymentsDueView, PaymentWindowEvent } from '../../shared/payment.js';
import { requireCoreApi } from '../api.js';
import { applyHandOff, applyWindowEvent, readWindowEvent, type HandOffWindow } from '../hand-off-view.js';
import type { Loaded } from './cases.js';

export interface CasePayments {
  status: 'loading' | 'ready' | 'error';
  view: CasePaymentsView | null;
  error: ErrorPayload | null;
  /** 「納付状況を確認する」 under way */
  checking: boolean;
  checkError: ErrorPayload | null;
  /** the last check finished (said once, politely) */
  checked: boolean;
}

export type HandOffResult = { ok: true; value: PaymentHandOffView } | { ok: false; error: ErrorPayload };

interface PaymentState {
  /** by 到達番号 */
  cases: Record<string, CasePayments>;
  banks: Loaded<BankListView>;
  due: Loaded<PaymentsDueView>;
  /** by handOffId, oldest first */
  windows: Record<string, HandOffWindow>;
  load(arriveId: string): Promise<void>;
  /** 「納付状況を確認する」: 電子納付情報一覧 read from e-Gov now */
  check(arriveId: string): Promise<void>;
  loadBanks(refresh?: boolean): Promise<void>;
  loadDue(): Promise<void>;
  handOff(arriveId: string, payNumber: string, bankName: string): Promise<HandOffResult>;
  closeWindow(handOffId: string): Promise<{ ok: true } | { ok: false; error: ErrorPayload }>;
  /** a closed window's note put away */
  dismissWindow(handOffId: string): void;
  /** a payment.window event (checked by readWindowEvent; a malformed one is dropped) */
  applyWindowEvent(event: PaymentWindowEvent): void;
  applyChanged(event: PaymentChangedEvent): void;
  applyCaseEvent(event: CaseSyncEvent): void;
  /** a sync cycle ended: the dashboard's list again, soon */
  applySync(): void;
}

/** events of one sync cycle come in a burst: the dashboard's list asked for once after it */
export const REFRESH_DELAY_MS = 250;
/** closed windows kept (to say what happened and offer the check) beyond this many are forgotten, oldest first */
export const MAX_CLOSED_WINDOWS = 20;

/** ISO time as a number for ordering views; a view never read (null) or unreadable is the oldest. */
function fetchedTime(view: CasePaymentsView | null): number {
  if (!view?.fetchedAt) return -Infinity;
  const t = Date.parse(view.fetchedAt);
  return Number.isNaN(t) ? -Infinity : t;
}

/** `next` unless `shown` was read from e-Gov later: an answer or an event that arrives late does not undo a newer one. */
export function newerView(shown: CasePaymentsView | null, next: CasePaymentsView): CasePaymentsView {
  return shown !== null && fetchedTime(shown) > fetchedTime(next) ? shown : next;
}

/** Closed windows beyond MAX_CLOSED_WINDOWS dropped, oldest first; open ones always kept. */
export function pruneWindows(windows: Record<string, HandOffWindow>): Record<string, HandOffWindow> {
  const closed = Object.values(windows).filter((w) => w.closed);
  const over = closed.length - MAX_CLOSED_WINDOWS;
  if (over <= 0) return windows;
  const drop = new Set(closed.slice(0, over).map((w) => w.handOffId));
  return Object.fromEntries(Object.entries(windows).filter(([id]) => !drop.has(id)));
}

/** The windows of one case, oldest first. */
export function windowsOf(windows: Record<string, HandOffWindow>, arriveId: string): HandOffWindow[] {
  return Object.values(windows).filter((w) => w.arriveId === arriveId);
}

let dueTimer: ReturnType<typeof setTimeout> | null = null;
let dueGeneration = 0;

export const usePaymentStore = create<PaymentState>()((set, get) => {
  const patchCase = (arriveId: string, patch: (c: CasePayments | undefined) => CasePayments) => {
    set((s) => ({ cases: { ...s.cases, [arriveId]: patch(s.cases[arriveId]) } }));
  };
  const settleView = (arriveId: string, view: CasePaymentsView) => {
    patchCase(arriveId, (c) => ({
      status: 'ready',
      view: newerView(c?.view ?? null, view),
      error: null,
      checking: c?.checking ?? false,
      checkError: c?.checkError ?? null,
      checked: c?.checked ?? false,
    }));
  };
  const scheduleDue = () => {
    // nothing asked of the core for a dashboard never shown
    if (get().due.status === 'idle') return;
    dueTimer ??= setTimeout(() => {
      dueTimer = null;
      void get().loadDue();
    }, REFRESH_DELAY_MS);
  };

  return {
    cases: {},
    banks: { status: 'idle' },
    due: { status: 'idle' },
    windows: {},

    async load(arriveId) {
      patchCase(arriveId, (c) => (c?.status === 'ready' ? c : { status: 'loading', view: null, error: null, checking: false, checkError: null, checked: false }));
      const result = await requireCoreApi()['payment.list']({ arriveId });
      if (result.ok) settleView(arriveId, result.value);
      else patchCase(arriveId, (c) => (c?.status === 'ready' ? c : { status: 'error', view: null, error: result.error, checking: false, checkError: null, checked: false }));
    },

    async check(arriveId) {
      if (get().cases[arriveId]?.checking) return;
      patchCase(arriveId, (c) => ({ ...(c ?? { status: 'loading', view: null, error: null }), checking: true, checkError: null, checked: false }));
      const result = await requireCoreApi()['payment.list']({ arriveId, refresh: true });
      if (result.ok) settleView(arriveId, result.value);
      patchCase(arriveId, (c) => {
        // a case never loaded whose check failed has nothing to show but the failure
        const base = c?.status === 'ready' || result.ok ? c : { status: 'error' as const, view: null, error: result.error };
        return { ...(base ?? { status: 'loading', view: null, error: null }), checking: false, checkError: result.ok ? null : result.error, checked: result.ok };
      });
      if (result.ok) scheduleDue();
    },

    async loadBanks(refresh = false) {
      if (get().banks.status !== 'ready' || refresh) set({ banks: { status: 'loading' } });
      const result = await requireCoreApi()['payment.banks'](refresh ? { refresh: true } : {});
      set({ banks: result.ok ? { status: 'ready', value: result.value } : { status: 'error', error: result.error } });
    },

    async loadDue() {
      const gen = ++dueGeneration;
      if (get().due.status !== 'ready') set({ due: { status: 'loading' } });
      const result = await requireCoreApi()['payment.upcoming']({});
      // an older answer arriving after a newer one is dropped
      if (gen !== dueGeneration) return;
      if (result.ok) set({ due: { status: 'ready', value: result.value } });
      // a list shown stays shown when asking again fails (the next sync tries again)
      else if (get().due.status !== 'ready') set({ due: { status: 'error', error: result.error } });
    },

    async handOff(arriveId, payNumber, bankName) {
      const result = await requireCoreApi()['payment.handOff']({ arriveId, payNumber, bankName });
      if (result.ok) {
        const view = result.value;
        set((s) => ({ windows: pruneWindows({ ...s.windows, [view.handOffId]: applyHandOff(s.windows[view.handOffId], view) }) }));
      }
      return result;
    },

    async closeWindow(handOffId) {
      const result = await requireCoreApi()['payment.closeWindow']({ handOffId });
      if (!result.ok) return result;
      // not open any more (closed now, or earlier with its event lost): either way it is closed
      set((s) => {
        const w = s.windows[handOffId];
        return w ? { windows: pruneWindows({ ...s.windows, [handOffId]: { ...w, closed: true } }) } : {};
      });
      return { ok: true };
    },

    dismissWindow(handOffId) {
      set((s) => {
        const w = s.windows[handOffId];
        if (!w?.closed) return {};
        return { windows: Object.fromEntries(Object.entries(s.windows).filter(([id]) => id !== handOffId)) };
      });
    },

    applyWindowEvent(payload) {
      // from the host, about a window showing a bank's pages: checked before it is kept
      const event = readWindowEvent(payload);
      if (!event) return;
      set((s) => ({ windows: pruneWindows({ ...s.windows, [event.handOffId]: applyWindowEvent(s.windows[event.handOffId], event) }) }));
    },

    applyChanged(event) {
      // the core's own event, but a view without its list would break the screen: not kept
      if (typeof event.arriveId !== 'string' || event.payments?.arriveId !== event.arriveId || !Array.isArray(event.payments.payments)) return;
      settleView(event.arriveId, event.payments);
      scheduleDue();
    },

    applyCaseEvent(event) {
      if (event.type !== 'case.payment-due') return;
      // the sync saw e-Gov's 納付 counts move: a case shown reads what Todoke keeps now
      if (get().cases[event.arriveId]) void get().load(event.arriveId);
      scheduleDue();
    },

    applySync() {
      scheduleDue();
    },
  };
});

// Main process (Electron). OS notifications for what the case sync found (issue #9): the core's
// `case.changed` events, worded by the same function the in-app notice list uses, shown with
// Electron's Notification; choosing one opens the case (or the case list) in the window.
//
// A sync cycle can bring a hundred events at once: one notification per case would bury the
// desktop. Events are gathered for a short while after the first; one case gets its own
// notification, several get one that counts them and opens the list.
import type { NotificationConstructorOptions } from 'electron';
import type { CaseSyncEvent } from '../../shared/case.js';
import type { TodokeEvent } from '../../shared/contract.js';

export interface CaseNotice {
  title: string;
  body: string;
}

/** The part of Electron's Notification this module uses. */
export interface ShownNotification {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}

export interface CaseNotifierDeps {
  subscribe: (listener: (event: TodokeEvent) => void) => () => void;
  /** `new Notification(options)` */
  createNotification: (options: NotificationConstructorOptions) => ShownNotification;
  /** Notification.isSupported() */
  isSupported: () => boolean;
  /** the wording of one event, or null when it is not worth a notification (the in-app list's own) */
  describe: (event: CaseSyncEvent) => CaseNotice | null;
  /** the summary of several cases: counts them, names the first few */
  summarize: (notices: readonly CaseNotice[], cases: number) => CaseNotice;
  /** shows the case (arriveId) or the case list (null) in the window, bringing it to the front */
  open: (arriveId: string | null) => void;
  /** how long events are gathered after the first; default 2 s */
  gatherMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export const DEFAULT_GATHER_MS = 2000;

/** Starts listening; returns the function that stops (a pending batch is dropped with it). */
export function notifyCaseEvents(deps: CaseNotifierDeps): () => void {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  let pending: Array<{ arriveId: string; notice: CaseNotice }> = [];
  let timer: unknown = null;

  const flush = () => {
    timer = null;
    const batch = pending;
    pending = [];
    if (batch.length === 0 || !deps.isSupported()) return;
    const cases = new Set(batch.map((b) => b.arriveId));
    const single = cases.size === 1;
    const notice = single && batch.length === 1 ? batch[0]!.notice : single ? deps.summarize(batch.map((b) => b.notice), 1) : deps.summarize(batch.map((b) => b.notice), cases.size);
    const shown = deps.createNotification({ title: notice.title, body: notice.body, silent: false });
    const target = single ? batch[0]!.arriveId : null;
    shown.on('click', () => deps.open(target));
    shown.show();
  };

  const unsubscribe = deps.subscribe((event) => {
    if (event.name !== 'case.changed') return;
    const notice = deps.describe(event.payload);
    if (!notice) return;
    pending.push({ arriveId: event.payload.arriveId, notice });
    timer ??= setTimer(flush, deps.gatherMs ?? DEFAULT_GATHER_MS);
  });

  return () => {
    unsubscribe();
    if (timer !== null) clearTimer(timer);
    timer = null;
    pending = [];
  };
}

// Main process (Electron). OS notifications for what the case sync found (issue #9): the core's
// `case.changed` events (and `payment.changed`: a 納付 paid or past its deadline), worded by the same
// functions the in-app notice list uses, shown with
// Electron's Notification; choosing one opens the case (or the case list) in the window.
//
// A sync cycle can bring a hundred events at once: one notification per case would bury the
// desktop. Events are gathered for a short while after the first; one case gets its own
// notification, several get one that counts them and opens the list.
import type { NotificationConstructorOptions } from 'electron';
import type { CaseSyncEvent } from '../../shared/case.js';
import type { CaseNotice } from '../../shared/case-notices.js';
import type { TodokeEvent } from '../../shared/contract.js';
import type { PaymentChangedEvent } from '../../shared/payment.js';

/** What an OS notification shows. */
export interface NotificationText {
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
  /** the finding of one event, or null when it is not worth a notification (the in-app list's caseNoticeOf) */
  describe: (event: CaseSyncEvent) => CaseNotice | null;
  /** the findings of a read of 電子納付情報一覧 (the in-app list's paymentNoticesOf); none when absent */
  describePayments?: (event: PaymentChangedEvent) => CaseNotice[];
  /** the text of one finding */
  word: (notice: CaseNotice) => NotificationText;
  /** the text of several findings (of one case or of `cases` cases): counts them, names the first few */
  summarize: (notices: readonly CaseNotice[], cases: number) => NotificationText;
  /** shows the case (arriveId) or the case list (null) in the window, bringing it to the front */
  open: (arriveId: string | null) => void;
  /** how long events are gathered after the first; default 2 s */
  gatherMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export const DEFAULT_GATHER_MS = 2000;

/**
 * A notification quotes e-Gov's own text (a status no one has seen yet may be any length): cut so
 * the desktop shows a notification, not a page. The case screen has the whole text.
 */
export const MAX_TITLE_CHARS = 100;
export const MAX_BODY_CHARS = 500;

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Starts listening; returns the function that stops (a pending batch is dropped with it). */
export function notifyCaseEvents(deps: CaseNotifierDeps): () => void {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  let pending: CaseNotice[] = [];
  let timer: unknown = null;

  const flush = () => {
    timer = null;
    const batch = pending;
    pending = [];
    if (batch.length === 0 || !deps.isSupported()) return;
    const cases = new Set(batch.map((n) => n.arriveId));
    const text = batch.length === 1 ? deps.word(batch[0]!) : deps.summarize(batch, cases.size);
    const shown = deps.createNotification({ title: clip(text.title, MAX_TITLE_CHARS), body: clip(text.body, MAX_BODY_CHARS), silent: false });
    const target = cases.size === 1 ? batch[0]!.arriveId : null;
    shown.on('click', () => deps.open(target));
    shown.show();
  };

  const unsubscribe = deps.subscribe((event) => {
    const notices =
      event.name === 'case.changed'
        ? [deps.describe(event.payload)].filter((n): n is CaseNotice => n !== null)
        : event.name === 'payment.changed'
          ? (deps.describePayments?.(event.payload) ?? [])
          : [];
    if (notices.length === 0) return;
    pending.push(...notices);
    timer ??= setTimer(flush, deps.gatherMs ?? DEFAULT_GATHER_MS);
  });

  return () => {
    unsubscribe();
    if (timer !== null) clearTimer(timer);
    timer = null;
    pending = [];
  };
}

// Renderer. The 公文書 screen's view of the core: the inbox across cases (notice.inbox) under the
// chosen filter, a page at a time (`after`), and what the core said last about each notice. Kept
// current by notice.changed and by the case sync's case.document / case.comment / case.correction
// (a burst of them gathered into one refresh). The core keeps the notices; this store only
// remembers what it was told.
import { create } from 'zustand';
import type { CaseSyncEvent } from '../../shared/case.js';
import type { NoticeChangedEvent, NoticeKind, NoticePageView, NoticeSummaryView, NoticeUnreadView } from '../../shared/documents.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';

export interface InboxFilter {
  kind?: NoticeKind;
  unreadOnly?: boolean;
  /** part of the 到達番号, title, 氏名, 法人団体名 or 手続名称 */
  text?: string;
}

export interface InboxList {
  status: 'idle' | 'loading' | 'ready' | 'error';
  rows: NoticeSummaryView[];
  total: number;
  unread: number;
  next: string | null;
  loadingMore: boolean;
  error: ErrorPayload | null;
}

/** Notices Todoke keeps that the person has not opened yet, by kind (ホーム's counts). */
export type UnreadCounts = NoticeUnreadView['byKind'];

export type UnreadLoad = { status: 'idle' | 'loading' } | { status: 'ready'; value: UnreadCounts } | { status: 'error'; error: ErrorPayload };

/** The last event about one notice: a screen showing it compares, and asks again only when it moved on. */
export interface NoticeSeen {
  seq: number;
  event: NoticeChangedEvent;
}

interface InboxState {
  filter: InboxFilter;
  list: InboxList;
  /** by notice id */
  seen: Record<number, NoticeSeen>;
  /** by 到達番号: bumped when one of the case's notices changed or the sync found new ones */
  caseRevisions: Record<string, number>;
  /** unread notices by kind: asked for by ホーム, then kept current like the list */
  unread: UnreadLoad;
  loadUnread(): Promise<void>;
  setFilter(filter: InboxFilter): Promise<void>;
  /** the filter the screen opens with, chosen elsewhere (a 要対応 count): loaded when the screen opens */
  presetFilter(filter: InboxFilter): void;
  reload(): Promise<void>;
  /** as the screen opens: the first page again */
  reopen(): Promise<void>;
  loadMore(): Promise<void>;
  applyNoticeEvent(event: NoticeChangedEvent): void;
  applyCaseEvent(event: CaseSyncEvent): void;
}

/** the contract's largest page (MAX_CASE_PAGE) */
export const PAGE_SIZE = 500;
export const FIRST_PAGE_SIZE = 100;
/** a fetch of many notices raises an event for each: one refresh after the burst */
export const REFRESH_DELAY_MS = 250;

const EMPTY: InboxList = { status: 'idle', rows: [], total: 0, unread: 0, next: null, loadingMore: false, error: null };

/** The filter as notice.inbox takes it: `unreadOnly: false` and a blank text are the same as leaving them out. */
export function inboxArgs(filter: InboxFilter): InboxFilter {
  const args: InboxFilter = {};
  if (filter.kind) args.kind = filter.kind;
  if (filter.unreadOnly) args.unreadOnly = true;
  const text = filter.text?.trim();
  if (text) args.text = text;
  return args;
}

/** The case sync events that mean a case has notices Todoke may not list yet. */
export function isNoticeCaseEvent(event: CaseSyncEvent): boolean {
  return event.type === 'case.document' || event.type === 'case.comment' || event.type === 'case.correction';
}

/**
 * Whether a screen showing a notice as `shown` should ask for it again after `event`: only when its
 * stage or verdict moved. Opening a notice marks it read, and the core says so with an event; asking
 * again for that would mark it read again, and so on.
 */
export function eventChangesShown(shown: Pick<NoticeSummaryView, 'stage' | 'verdict'>, event: Pick<NoticeChangedEvent, 'stage' | 'verdict'>): boolean {
  return shown.stage !== event.stage || shown.verdict !== event.verdict;
}

let generation = 0;
let seq = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

export const useInboxStore = create<InboxState>()((set, get) => {
  const loadPage = async (after: string | null, gen: number, limit: number) => {
    const result = await requireCoreApi()['notice.inbox']({ ...inboxArgs(get().filter), limit, ...(after ? { after } : {}) });
    if (gen !== generation) return;
    if (!result.ok) {
      set((s) => ({ list: { ...s.list, status: s.list.rows.length && after ? s.list.status : 'error', loadingMore: false, error: result.error } }));
      return;
    }
    const page: NoticePageView = result.value;
    set((s) => ({
      list: {
        status: 'ready',
        rows: after ? [...s.list.rows, ...page.items] : page.items,
        total: page.total,
        unread: page.unread,
        next: page.next,
        loadingMore: false,
        error: null,
      },
    }));
  };

  const refresh = async () => {
    timer = null;
    if (get().unread.status !== 'idle') void get().loadUnread();
    if (get().list.status === 'idle') return; // the screen was never opened: nothing to keep current
    const gen = ++generation;
    // as many rows as were shown, so a person scrolled down is not sent back to the top
    const limit = Math.min(PAGE_SIZE, Math.max(FIRST_PAGE_SIZE, get().list.rows.length));
    await loadPage(null, gen, limit);
  };
  const schedule = () => {
    timer ??= setTimeout(() => void refresh(), REFRESH_DELAY_MS);
  };

  return {
    filter: {},
    list: EMPTY,
    seen: {},
    caseRevisions: {},
    unread: { status: 'idle' },

    async loadUnread() {
      if (get().unread.status === 'idle') set({ unread: { status: 'loading' } });
      const result = await requireCoreApi()['notice.unread']({});
      set({ unread: result.ok ? { status: 'ready', value: result.value.byKind } : { status: 'error', error: result.error } });
    },

    async setFilter(filter) {
      set({ filter: inboxArgs(filter) });
      await get().reload();
    },

    presetFilter(filter) {
      set({ filter: inboxArgs(filter) });
    },

    async reload() {
      const gen = ++generation;
      set((s) => ({ list: { ...s.list, status: 'loading', loadingMore: false, error: null } }));
      await loadPage(null, gen, FIRST_PAGE_SIZE);
    },

    async reopen() {
      set((s) => ({ list: { ...s.list, rows: s.list.rows.slice(0, FIRST_PAGE_SIZE) } }));
      await get().reload();
    },

    async loadMore() {
      const { list } = get();
      if (list.status !== 'ready' || list.loadingMore || list.next === null) return;
      set({ list: { ...list, loadingMore: true, error: null } });
      await loadPage(list.next, generation, PAGE_SIZE);
    },

    applyNoticeEvent(event) {
      seq += 1;
      set((s) => ({
        seen: { ...s.seen, [event.id]: { seq, event } },
        caseRevisions: { ...s.caseRevisions, [event.arriveId]: (s.caseRevisions[event.arriveId] ?? 0) + 1 },
      }));
      schedule();
    },

    applyCaseEvent(event) {
      if (!isNoticeCaseEvent(event)) return;
      set((s) => ({ caseRevisions: { ...s.caseRevisions, [event.arriveId]: (s.caseRevisions[event.arriveId] ?? 0) + 1 } }));
      schedule();
    },
  };
});

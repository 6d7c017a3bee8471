// Renderer. The 案件 screens' view of the core: the dashboard's counts, the background sync's state,
// and the case list under the chosen filter, loaded a page at a time (`after`) as the person
// scrolls. Kept current by the core's events: case.changed (bursts of them gathered into one
// refresh), sync.status, and batch.changed of a batch that is done (its applications are listed).
// The core keeps the records; this store only remembers what it was told.
import { create } from 'zustand';
import type { CaseCountsView, CaseFilter, CaseSummaryView, CaseSyncEvent, RecentCaseChangeView, SyncStatusView } from '../../shared/case.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';

export type { CaseFilter } from '../../shared/case.js';

export type Loaded<T> = { status: 'idle' | 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: ErrorPayload };

export interface CaseList {
  status: 'idle' | 'loading' | 'ready' | 'error';
  rows: CaseSummaryView[];
  /** cases matching the filter, all pages */
  total: number;
  next: string | null;
  loadingMore: boolean;
  error: ErrorPayload | null;
}

interface CaseStoreState {
  counts: Loaded<CaseCountsView>;
  sync: Loaded<SyncStatusView>;
  /** the newest status changes (ホーム's 最近の変化), kept current once asked for */
  recent: Loaded<RecentCaseChangeView[]>;
  filter: CaseFilter;
  list: CaseList;
  /** bumped per case each time the core says it changed: a shown case fetches itself again */
  revisions: Record<string, number>;
  loadCounts(): Promise<void>;
  loadSync(): Promise<void>;
  loadRecent(): Promise<void>;
  applySync(view: SyncStatusView): void;
  setFilter(filter: CaseFilter): Promise<void>;
  /** the list from its first page again, same filter */
  reload(): Promise<void>;
  /** as the screen opens: the first page again, what was loaded beyond it forgotten (the list starts at the top) */
  reopen(): Promise<void>;
  loadMore(): Promise<void>;
  /** a case.changed event: gathered, then counts and shown rows refreshed once */
  applyCaseEvent(event: CaseSyncEvent): void;
  /** something listed may have changed (a batch arrived): counts and list again, soon */
  invalidate(): void;
}

/** the contract's largest page: fewer round trips through a long list, still small (a few hundred kB) */
export const PAGE_SIZE = 500;
/** the first page is smaller: what fills the screen arrives sooner, the next follows at once */
export const FIRST_PAGE_SIZE = 100;
/** status changes ホーム shows */
export const RECENT_SHOWN = 8;
/** events of one sync cycle come in a burst: one refresh after the burst */
export const REFRESH_DELAY_MS = 250;
/** more changed rows than this are fetched as the list again rather than one by one */
const MAX_ROW_FETCHES = 40;

const EMPTY_LIST: CaseList = { status: 'idle', rows: [], total: 0, next: null, loadingMore: false, error: null };

/** The filter as case.list takes it: empty texts left out. */
export function listArgs(filter: CaseFilter): CaseFilter {
  const args: CaseFilter = {};
  for (const key of ['status', 'procedure', 'applicant', 'from', 'to', 'text'] as const) {
    const v = filter[key]?.trim();
    if (v) args[key] = v;
  }
  if (filter.attention) args.attention = filter.attention;
  return args;
}

// one list load at a time counts: an answer to an older filter is dropped
let generation = 0;
/** cases changed, in order (the newest few): a page asked for before a change may list it as it was */
let changeSeq = 0;
const recentChanges: { seq: number; arriveId: string }[] = [];
const MAX_RECENT = 1000;
let pending = new Set<string>();
let listAgain = false;
let timer: ReturnType<typeof setTimeout> | null = null;

export const useCaseStore = create<CaseStoreState>()((set, get) => {
  const flush = async () => {
    timer = null;
    const ids = pending;
    const whole = listAgain;
    pending = new Set();
    listAgain = false;
    // nothing asked of the core for screens never opened (counting 10,000 cases is not free)
    if (get().counts.status !== 'idle') void get().loadCounts();
    if (get().recent.status !== 'idle') void get().loadRecent();
    const { list } = get();
    if (list.status === 'idle') return;
    const shown = list.rows.filter((r) => ids.has(r.arriveId));
    // under a status or 要対応 filter a changed case may leave the list (or join it): list again
    const { filter } = get();
    const membership = ids.size > 0 && (filter.status !== undefined || filter.attention !== undefined);
    if (whole || membership || shown.length > MAX_ROW_FETCHES) {
      await get().reload();
      return;
    }
    const api = requireCoreApi();
    const fresh = await Promise.all(shown.map((r) => api['case.get']({ arriveId: r.arriveId })));
    const byId = new Map<string, CaseSummaryView>();
    for (const result of fresh) if (result.ok) byId.set(result.value.arriveId, result.value);
    if (byId.size === 0) return;
    set((s) => ({ list: { ...s.list, rows: s.list.rows.map((r) => byId.get(r.arriveId) ?? r) } }));
  };
  const schedule = () => {
    timer ??= setTimeout(() => void flush(), REFRESH_DELAY_MS);
  };

  const loadPage = async (after: string | null, gen: number) => {
    const asked = changeSeq;
    const result = await requireCoreApi()['case.list']({ ...listArgs(get().filter), limit: after ? PAGE_SIZE : FIRST_PAGE_SIZE, ...(after ? { after } : {}) });
    if (gen !== generation) return;
    if (!result.ok) {
      set((s) => ({ list: { ...s.list, status: s.list.rows.length && after ? s.list.status : 'error', loadingMore: false, error: result.error } }));
      return;
    }
    const page = result.value;
    set((s) => ({
      list: {
        status: 'ready',
        rows: after ? [...s.list.rows, ...page.cases] : page.cases,
        total: page.total,
        next: page.next,
        loadingMore: false,
        error: null,
      },
    }));
    if (changeSeq !== asked) {
      for (const c of recentChanges) if (c.seq > asked) pending.add(c.arriveId);
      schedule();
    }
  };

  return {
    counts: { status: 'idle' },
    sync: { status: 'idle' },
    recent: { status: 'idle' },
    filter: {},
    list: EMPTY_LIST,
    revisions: {},

    async loadCounts() {
      if (get().counts.status !== 'ready') set({ counts: { status: 'loading' } });
      const result = await requireCoreApi()['case.counts']({});
      set({ counts: result.ok ? { status: 'ready', value: result.value } : { status: 'error', error: result.error } });
    },

    async loadSync() {
      if (get().sync.status !== 'ready') set({ sync: { status: 'loading' } });
      const result = await requireCoreApi()['sync.status']({});
      set({ sync: result.ok ? { status: 'ready', value: result.value } : { status: 'error', error: result.error } });
    },

    async loadRecent() {
      if (get().recent.status !== 'ready') set({ recent: { status: 'loading' } });
      const result = await requireCoreApi()['case.recent']({ limit: RECENT_SHOWN });
      set({ recent: result.ok ? { status: 'ready', value: result.value.changes } : { status: 'error', error: result.error } });
    },

    applySync(view) {
      set({ sync: { status: 'ready', value: view } });
    },

    async setFilter(filter) {
      set({ filter });
      await get().reload();
    },

    async reload() {
      const gen = ++generation;
      // the rows stay shown (marked busy) while the first page of the new answer loads
      set((s) => ({ list: { ...s.list, status: 'loading', loadingMore: false, error: null } }));
      await loadPage(null, gen);
    },

    async reopen() {
      set((s) => ({ list: { ...s.list, rows: s.list.rows.slice(0, FIRST_PAGE_SIZE) } }));
      await get().reload();
    },

    async loadMore() {
      const { list } = get();
      if (list.status !== 'ready' || list.loadingMore || list.next === null) return;
      set({ list: { ...list, loadingMore: true, error: null } });
      await loadPage(list.next, generation);
    },

    applyCaseEvent(event) {
      set((s) => ({ revisions: { ...s.revisions, [event.arriveId]: (s.revisions[event.arriveId] ?? 0) + 1 } }));
      if (event.type !== 'case.changed') return;
      // a case new to Todoke may belong anywhere in the list (newest 到達番号 first): list again
      if (event.isNew) listAgain = true;
      pending.add(event.arriveId);
      recentChanges.push({ seq: ++changeSeq, arriveId: event.arriveId });
      if (recentChanges.length > MAX_RECENT) recentChanges.shift();
      schedule();
    },

    invalidate() {
      listAgain = true;
      schedule();
    },
  };
});

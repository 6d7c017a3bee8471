// Main process (core). The case operations of the 案件 screens and the dashboard (case.*, sync.*):
// the cases on the profile's database (shared with filing: ./profile-database.ts), the poller that
// keeps them current by itself once the profile is set up, and what it finds as events. Quiet like
// the batch tracker: the background never logs in; sync.now and case.refresh may (the person
// asked). The use cases are src/main/store/cases.ts and src/main/sync; this module only wires them
// to the contract and the events.
//
// A batch that reaches `done` needs nothing here: the outbox stores its arrived applications in the
// transaction that makes it done, so they are listed from that moment, and batch.changed (state
// done, arrivedCount) is the signal for a case list to list again — one event per batch, where
// case.changed would make up a sync finding per application. case.changed means what a sync cycle
// or a 状況照会 found; the sync follows the new cases from its next cycle.
import type {
  CaseWithdrawalView,
  CaseActionCount,
  CaseCountsView,
  CaseDetailView,
  CaseSummaryView,
  CaseSyncEvent,
  SyncCycleView,
  SyncOutcome,
  SyncStatusView,
} from '../../shared/case.js';
import { MAX_SYNC_FAILURES_SHOWN } from '../../shared/case.js';
import { isTodokeError, toErrorPayload } from '../../shared/errors.js';
import { notSetUp } from '../identity/errors.js';
import type { IdentityService } from '../identity/service.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { EgovGateway } from '../session/gateway.js';
import type { EgovSession, SessionState } from '../session/session.js';
import { CaseStore, CaseStoreError, type CaseRecord, type CaseSummary } from '../store/cases.js';
import { casesCsv } from '../export/cases-csv.js';
import { writeNewExport } from '../documents/exports.js';
import { jstStamp } from '../filing/build-batch.js';
import { Outbox } from '../store/outbox.js';
import { SyncSettingsStore } from '../store/sync-settings.js';
import { CasePoller, DEFAULT_POLL_INTERVAL_MS } from '../sync/poller.js';
import { oneAtATime } from '../sync/one-at-a-time.js';
import { CaseSync, type CycleReport } from '../sync/sync-cycle.js';
import type { Handlers } from './dispatch.js';
import type { EventHub } from './events.js';
import type { ProfileDatabase } from './profile-database.js';
import { withdrawalView } from './withdrawal-views.js';

type CasesOperation = 'case.list' | 'case.export' | 'case.recent' | 'case.get' | 'case.counts' | 'case.refresh' | 'sync.status' | 'sync.now' | 'sync.pause' | 'sync.resume' | 'sync.configure';

export interface CasesPace {
  /** between background cycles until the person chooses in 設定; default 15 minutes */
  intervalMs?: number;
  /** the longest wait after failures in a row */
  backoffMaxMs?: number;
  /** before the first background cycle once started; default at once */
  firstDelayMs?: number;
}

export interface CasesDeps {
  profileName: string;
  profiles: ProfileStore;
  identity: IdentityService;
  /** the profile's database, shared with filing (closed by its owner) */
  database: ProfileDatabase;
  events: EventHub;
  /** `<home>`: exports go to its exports folder */
  home: string;
  now: () => Date;
  /** hears about background failures that are bugs */
  onUnexpected: (what: string, error: unknown) => void;
  /** the poller's pace (tests) */
  poll?: CasesPace;
}

export interface Cases {
  readonly handlers: Pick<Handlers, CasesOperation>;
  /** At start: the poller starts when a profile is set up (else at the first need after set-up). Never throws. */
  start(): Promise<void>;
  close(): void;
}

interface Opened {
  cases: CaseStore;
  /** the 取下げ of a case (case.get shows them) */
  outbox: Outbox;
  poller: CasePoller;
  /** the interval and pause the person chose, kept in the database */
  settings: SyncSettingsStore;
}

const MINUTE_MS = 60_000;

const NO_KEY: SessionState = { userId: '', hasKey: false, keyObtainedAt: null, lastAuthenticationDate: null, lastAuthenticatedAt: null };

export function createCases(deps: CasesDeps): Cases {
  /** the default until the stored choice is read as the cases open */
  let intervalMs = deps.poll?.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let opened: Opened | null = null;
  let closed = false;
  /** the person's pause (stored once the cases open; kept here for a poller not started yet) */
  let paused = false;
  let last: SyncCycleView | null = null;

  // The session and the gateway are asked of the identity at every call, as filing does: a
  // certificate update or a new set-up replaces them.
  const session: Pick<EgovSession, 'withAccessKey' | 'snapshot'> = {
    withAccessKey: async (call) => (await deps.identity.session()).withAccessKey(call),
    snapshot: async () => (await deps.identity.session()).snapshot(),
  };
  // the poller's own look before a background turn: a profile gone (forgotten) is "no key", never a throw
  const quietSession: Pick<EgovSession, 'snapshot'> = { snapshot: () => session.snapshot().catch(() => NO_KEY) };
  // one request in flight per endpoint, shared by the poller's cycles and case.refresh
  const gateway: Pick<EgovGateway, 'listSends' | 'caseStatus'> = {
    listSends: oneAtATime(async (key, query) => (await deps.identity.gateway()).listSends(key, query)),
    caseStatus: oneAtATime(async (key, arriveId) => (await deps.identity.gateway()).caseStatus(key, arriveId)),
  };

  function open(): Opened {
    if (closed) throw new Error('cases are closed');
    if (opened) return opened;
    const cases = new CaseStore(deps.database.get());
    const settings = new SyncSettingsStore(deps.database.get());
    const chosen = settings.read();
    if (chosen.intervalMinutes !== null) intervalMs = chosen.intervalMinutes * MINUTE_MS;
    // a pause asked for before the set-up is the person's choice as much as one stored
    if (paused && !chosen.paused) settings.write({ paused: true });
    paused ||= chosen.paused;
    const sync = new CaseSync({ cases, session, gateway });
    const poller = new CasePoller({
      sync,
      session: quietSession,
      intervalMs,
      ...(deps.poll?.backoffMaxMs !== undefined ? { backoffMaxMs: deps.poll.backoffMaxMs } : {}),
      onEvent: (payload) => {
        if (!closed) deps.events.emit({ name: 'case.changed', payload });
      },
      onReport: (report) => {
        if (closed) return;
        last = cycleView(report);
        statusChanged();
      },
      onError: (error) => {
        if (closed) return;
        last = errorCycle(error);
        if (!isTodokeError(error)) deps.onUnexpected('case sync', error);
        statusChanged();
      },
    });
    opened = { cases, outbox: new Outbox(deps.database.get()), poller, settings };
    if (paused) poller.pause();
    poller.start(deps.poll?.firstDelayMs ?? 0);
    return opened;
  }

  /** The cases and the running poller, once the profile is set up (the sync needs a 利用者ID). */
  async function ready(): Promise<Opened> {
    if (!(await deps.profiles.load(deps.profileName))) throw notSetUp(deps.profileName);
    return open();
  }

  /** The cases for reading: null before set-up (nothing to show, and no database made for it). */
  async function readable(): Promise<Opened | null> {
    if (opened) return opened;
    return (await deps.profiles.load(deps.profileName)) ? open() : null;
  }

  function detailOf(o: Opened, record: CaseRecord): CaseDetailView {
    return detailView(record, withdrawalsOf(o, record.arriveId));
  }

  function statusView(): SyncStatusView {
    const state = opened?.poller.state;
    return {
      state: paused ? 'paused' : state?.running ? 'running' : 'idle',
      busy: state?.busy ?? false,
      intervalMs,
      nextAt: state?.nextAt != null ? new Date(state.nextAt).toISOString() : null,
      failuresInARow: state?.failures ?? 0,
      lastCycle: last,
    };
  }

  function statusChanged(): void {
    deps.events.emit({ name: 'sync.status', payload: statusView() });
  }

  // First-run set-up (or a new login) after start: the poller starts without waiting for a restart.
  const unsubscribe = deps.events.subscribe((event) => {
    if (event.name !== 'identity.changed' || event.payload.identity === null || opened || closed) return;
    void readable().catch((e: unknown) => {
      if (!isTodokeError(e)) deps.onUnexpected('starting the case sync', e);
    });
  });

  const handlers: Cases['handlers'] = {
    'case.list': async (args) => {
      const o = await readable();
      if (!o) return { cases: [], next: null, total: 0 };
      const page = o.cases.list(args);
      return { cases: page.cases.map(summaryView), next: page.next, total: o.cases.count(args) };
    },
    'case.export': async (filter) => {
      const o = await ready();
      const all = o.cases.listAll(filter);
      // the name says when it was made, as the person's clock says it: 案件一覧_YYYYMMDD_hhmmss
      const stamp = jstStamp(deps.now());
      const path = await writeNewExport(deps.home, `案件一覧_${stamp.slice(0, 8)}_${stamp.slice(8)}`, 'csv', Buffer.from(casesCsv(all, 'excel'), 'utf8'));
      return { path, count: all.length };
    },
    'case.recent': async ({ limit }) => {
      const o = await readable();
      if (!o) return { changes: [] };
      return { changes: o.cases.recentChanges(limit ?? 10).map((c) => ({ ...c, at: new Date(c.at).toISOString() })) };
    },
    'case.get': async ({ arriveId }) => {
      const o = await readable();
      const record = o?.cases.get(arriveId);
      if (!o || !record) throw caseNotFound(arriveId);
      return detailOf(o, record);
    },
    'case.counts': async () => countsView((await readable())?.cases ?? null),
    'case.refresh': async ({ arriveId }) => {
      const o = await ready();
      const { cases } = o;
      const before = cases.get(arriveId);
      // only a case Todoke tracks: the 状況照会 answer is stored with it
      if (!before) throw caseNotFound(arriveId);
      const status = await session.withAccessKey((key) => gateway.caseStatus(key, arriveId));
      const newHistory = cases.storeReference(status) ?? [];
      const after = cases.get(arriveId) ?? before;
      if (newHistory.length || after.status !== before.status) {
        const event: CaseSyncEvent = {
          type: 'case.changed',
          arriveId,
          isNew: false,
          changes: after.status !== before.status ? [{ field: 'status', before: before.status, after: after.status }] : [],
          status: after.status,
          newHistory,
          referenced: true,
        };
        deps.events.emit({ name: 'case.changed', payload: event });
      }
      return detailOf(o, after);
    },
    'sync.status': async () => {
      await readable();
      return statusView();
    },
    'sync.now': async () => {
      const { poller } = await ready();
      return cycleView(await poller.syncNow());
    },
    'sync.pause': async () => {
      paused = true;
      const o = await readable();
      o?.settings.write({ paused: true });
      o?.poller.pause();
      statusChanged();
      return statusView();
    },
    'sync.resume': async () => {
      paused = false;
      const o = await readable();
      o?.settings.write({ paused: false });
      o?.poller.resume();
      statusChanged();
      return statusView();
    },
    'sync.configure': async ({ intervalMinutes }) => {
      const o = await ready();
      o.settings.write({ intervalMinutes });
      intervalMs = intervalMinutes * MINUTE_MS;
      o.poller.changeInterval(intervalMs);
      statusChanged();
      return statusView();
    },
  };

  return {
    handlers,
    async start() {
      try {
        await readable();
      } catch (e) {
        // a corrupt profile or database …: the cases open again at the next need
        if (!isTodokeError(e)) deps.onUnexpected('starting the case sync', e);
      }
    },
    close() {
      closed = true;
      unsubscribe();
      opened?.poller.stop();
      opened = null;
    },
  };
}

// ---------------------------------------------------------------------------------------------

function caseNotFound(arriveId: string): CaseStoreError {
  return new CaseStoreError(
    'CASE_NOT_FOUND',
    { ja: `到達番号 ${arriveId} の案件は Todoke にありません。案件一覧を開き直してください。`, en: 'no such case' },
    { detail: { arriveId } },
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

export function summaryView(c: CaseSummary): CaseSummaryView {
  const { changeSeq, updatedAt, ...rest } = c;
  void changeSeq;
  return { ...rest, updatedAt: iso(updatedAt) };
}

/** The 取下げ Todoke made of a case, oldest first. */
export function withdrawalsOf(o: { cases: CaseStore; outbox: Outbox }, arriveId: string): CaseWithdrawalView[] {
  return o.outbox.withdrawalsOf(arriveId).map((e) => withdrawalView(e, o.cases));
}

export function detailView(c: CaseRecord, withdrawals: CaseWithdrawalView[] = []): CaseDetailView {
  const { reference, history, observations, ...summary } = c;
  return {
    ...summaryView(summary),
    reference: reference ? { ...reference, referencedAt: iso(reference.referencedAt) } : null,
    history,
    observations: observations.map((o) => ({ ...o, at: iso(o.at) })),
    withdrawals,
  };
}


/** The dashboard's numbers: per status and the 要対応 groups, both counted by the store in SQL. */
export function countsView(cases: Pick<CaseStore, 'countsByStatus' | 'attentionCounts'> | null): CaseCountsView {
  const byStatus = cases?.countsByStatus() ?? [];
  const none = (): CaseActionCount => ({ cases: 0, newestStatusDate: null });
  const attention = cases?.attentionCounts();
  return {
    // every case, 取下げ cases included (the list's per-status counts)
    total: byStatus.reduce((n, s) => n + s.count, 0),
    byStatus,
    correction: attention?.correction ?? none(),
    unreadComments: attention?.['unread-comments'] ?? none(),
    undownloadedDocuments: attention?.['undownloaded-documents'] ?? none(),
    paymentsWaiting: attention?.['payments-waiting'] ?? none(),
  };
}

function outcomeOf(r: CycleReport): SyncOutcome {
  if (r.needsLogin) return 'needs-login';
  if (r.failed) return 'failed';
  return r.failures.length || r.capped.length ? 'partial' : 'ok';
}

export function cycleView(r: CycleReport): SyncCycleView {
  return {
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    outcome: outcomeOf(r),
    trackedCases: r.trackedCases,
    requests: { ...r.requests },
    changed: r.changed.length,
    failureCount: r.failures.length,
    failures: r.failures.slice(0, MAX_SYNC_FAILURES_SHOWN).map((f) => ({
      kind: f.kind,
      arriveId: f.kind === 'list' ? null : f.arriveId,
      code: f.error.code,
      messageJa: f.error.messageJa,
    })),
  };
}

function errorCycle(error: unknown): SyncCycleView {
  const at = new Date().toISOString();
  const payload = toErrorPayload(error);
  return {
    startedAt: at,
    finishedAt: at,
    outcome: 'error',
    trackedCases: 0,
    requests: { list: 0, reference: 0 },
    changed: 0,
    failureCount: 1,
    failures: [{ kind: 'error', arriveId: null, code: payload.code, messageJa: payload.messageJa }],
  };
}

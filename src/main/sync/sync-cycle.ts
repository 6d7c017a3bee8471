// Core host. One case sync cycle, the I/O around the decisions of ./case-sync.ts:
//   1. the tracked cases from the store, their send days planned into the fewest `;date=` calls;
//   2. 送信案件一覧 for each range (a range whose answer looks capped is asked again in halves);
//   3. the listed counters compared with the store: the changed cases stored (one transaction),
//      marked as owing a 状況照会;
//   4. 状況照会 for those only (and for any owed from an earlier cycle), one at a time, each stored
//      in its own transaction; then the case's events.
// Requests per cycle: one per range (one while every send lies within DEFAULT_MAX_SPAN_DAYS) plus one
// per changed case. A failing call is that call's failure: a range that could not be listed leaves
// its cases as stored, a 状況照会 that failed stays owed and is asked at the next cycle; nothing from
// a malformed answer is stored (the codec throws before anything reaches here). Access keys go
// through the one session, which renews a key e-Gov refuses.
import type { CaseSyncEvent } from '../../shared/case.js';
import { toErrorPayload, TodokeError, type ErrorPayload } from '../../shared/errors.js';
import type { SendSummary } from '../../shared/filing.js';
import type { EgovGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import type { CaseStore, ListedApplication } from '../store/cases.js';
import {
  DEFAULT_MAX_SPAN_DAYS,
  caseEvents,
  countersOf,
  decideChanges,
  looksCapped,
  planListCalls,
  sendDayOf,
  splitRange,
  type DayRange,
  type SendDay,
  type StoredCase,
} from './case-sync.js';
import { followWithdrawals } from './withdrawal-follow.js';

export type CaseSyncErrorCode = 'SYNC_NEEDS_LOGIN';

export class CaseSyncError extends TodokeError<CaseSyncErrorCode> {
  constructor(code: CaseSyncErrorCode, messages: { ja: string; en: string }) {
    super(code, messages);
    this.name = 'CaseSyncError';
  }
}

export interface CaseSyncOptions {
  cases: CaseStore;
  session: Pick<EgovSession, 'withAccessKey' | 'snapshot'>;
  gateway: Pick<EgovGateway, 'listSends' | 'caseStatus'>;
  /** days per `;date=` call (see DEFAULT_MAX_SPAN_DAYS) */
  maxSpanDays?: number;
  /** batches one 送信案件一覧 answer may hold, when known (configuration); learnt when an answer looks capped */
  maxSendsPerCall?: number;
  now?: () => number;
}

export interface CycleOptions {
  /**
   * The background's way: never log in. Before every call the session must hold a key; when it has
   * none the cycle stops there (what it stored stays) and says so in `needsLogin`.
   */
  quiet?: boolean;
  /** each case's events, as soon as the case is stored */
  onEvent?: (event: CaseSyncEvent) => void;
}

export type CycleFailure =
  | { kind: 'list'; range: DayRange; error: ErrorPayload }
  | { kind: 'reference'; arriveId: string; error: ErrorPayload }
  | { kind: 'conflict'; arriveId: string; error: ErrorPayload };

export interface CycleReport {
  /** epoch ms */
  startedAt: number;
  finishedAt: number;
  trackedCases: number;
  /** the `;date=` ranges asked, in order (halves included) */
  ranges: DayRange[];
  requests: { list: number; reference: number };
  /** cases the lists showed */
  listed: number;
  /** 到達番号 whose counters changed (or that were new) */
  changed: string[];
  /** 到達番号 whose 状況照会 was stored */
  referenced: string[];
  failures: CycleFailure[];
  /** a single day whose answer still looked capped: the batches it did not list were not checked */
  capped: { range: DayRange; missingSendNumbers: string[] }[];
  events: CaseSyncEvent[];
  /** quiet cycle stopped because the session holds no key */
  needsLogin: boolean;
  /** no range could be listed (nothing was checked): the poller backs off */
  failed: boolean;
}

export class CaseSync {
  readonly #o: CaseSyncOptions;
  readonly #now: () => number;
  #cap: number | undefined;
  /** batches a single-day answer did not list: not taken as a sign of a cap again */
  readonly #unlisted = new Set<string>();
  #running: Promise<CycleReport> | null = null;

  constructor(options: CaseSyncOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#cap = options.maxSendsPerCall;
  }

  /** the cap on batches per answer noticed so far (or configured); undefined while none */
  get noticedCap(): number | undefined {
    return this.#cap;
  }

  /** One cycle; a second call while one runs joins it (one cycle in flight). */
  run(options: CycleOptions = {}): Promise<CycleReport> {
    this.#running ??= this.#cycle(options).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #cycle(options: CycleOptions): Promise<CycleReport> {
    const { cases } = this.#o;
    const report: CycleReport = {
      startedAt: this.#now(),
      finishedAt: 0,
      trackedCases: 0,
      ranges: [],
      requests: { list: 0, reference: 0 },
      listed: 0,
      changed: [],
      referenced: [],
      failures: [],
      capped: [],
      events: [],
      needsLogin: false,
      failed: false,
    };
    const emit = (e: CaseSyncEvent) => {
      report.events.push(e);
      options.onEvent?.(e);
    };
    const call = async <T>(fn: (key: string) => Promise<T>): Promise<T> => {
      if (options.quiet && !(await this.#o.session.snapshot()).hasKey) {
        throw new CaseSyncError('SYNC_NEEDS_LOGIN', { ja: 'ログインしていないため、案件の確認を中断しました。', en: 'no access key: a quiet sync does not log in' });
      }
      return this.#o.session.withAccessKey(fn);
    };
    try {
      const tracked = cases.tracked();
      report.trackedCases = tracked.length;
      // a tracked case is a StoredCase as it is: no copy of every case each cycle
      const stored = new Map<string, StoredCase>(tracked.map((t) => [t.arriveId, t]));
      const sendNumbers = [...new Set(tracked.map((t) => t.sendNumber))];

      // 1–2: the lists
      const listed: ListedApplication[] = [];
      let listedRanges = 0;
      const queue = planListCalls(sendDays(sendNumbers), { maxSpanDays: this.#o.maxSpanDays ?? DEFAULT_MAX_SPAN_DAYS, ...(this.#cap !== undefined ? { maxSendsPerCall: this.#cap } : {}) });
      while (queue.length) {
        const range = queue.shift()!;
        report.ranges.push(range);
        report.requests.list++;
        let sends: SendSummary[];
        try {
          sends = await call((key) => this.#o.gateway.listSends(key, { from: range.from, to: range.to }));
        } catch (error) {
          if (error instanceof CaseSyncError) throw error;
          report.failures.push({ kind: 'list', range, error: toErrorPayload(error) });
          continue;
        }
        const verdict = looksCapped(range, sends, sendNumbers.filter((n) => !this.#unlisted.has(n)));
        if (verdict.capped) {
          if (verdict.cap > 0) this.#cap = Math.min(this.#cap ?? Infinity, verdict.cap);
          const halves = splitRange(range);
          if (halves) {
            // ask the halves next; this answer is kept too (what it listed is current)
            queue.unshift(...halves);
          } else {
            report.capped.push({ range, missingSendNumbers: verdict.missing });
            for (const n of verdict.missing) this.#unlisted.add(n);
          }
        }
        listedRanges++;
        for (const s of sends) for (const application of s.applications) listed.push({ sendNumber: s.sendNumber, application });
      }
      report.failed = report.ranges.length > 0 && listedRanges === 0;

      // 3: what changed, stored at once (a crash after this still owes the 状況照会)
      const decision = decideChanges(stored, listed);
      report.listed = decision.listed;
      for (const c of decision.conflicts) {
        report.failures.push({
          kind: 'conflict',
          arriveId: c.arriveId,
          error: {
            code: 'CASE_CONFLICT',
            message: `arriveId ${c.arriveId} listed under ${c.listedSendNumber}, stored under ${c.storedSendNumber}`,
            messageJa: `到達番号 ${c.arriveId} が、記録と違う送信番号（${c.listedSendNumber}）の申請として一覧に載っています。記録はそのままにしました。`,
          },
        });
      }
      report.changed = decision.changed.map((c) => c.arriveId);
      cases.storeListed(
        decision.changed.map((c) => ({ sendNumber: c.sendNumber, application: c.application })),
        new Set(decision.toReference),
      );

      // 4: 状況照会 for those only
      const diffs = new Map(decision.changed.map((c) => [c.arriveId, c]));
      for (const arriveId of decision.toReference) {
        const diff = diffs.get(arriveId);
        const before = diff ? diff.before : (stored.get(arriveId)?.counters ?? null);
        const after = diff ? countersOf(diff.application) : before;
        let newHistory: ReturnType<CaseStore['storeReference']> = [];
        let referenced = false;
        report.requests.reference++;
        try {
          const status = await call((key) => this.#o.gateway.caseStatus(key, arriveId));
          newHistory = cases.storeReference(status) ?? [];
          referenced = true;
          report.referenced.push(arriveId);
        } catch (error) {
          if (error instanceof CaseSyncError) throw error;
          report.failures.push({ kind: 'reference', arriveId, error: toErrorPayload(error) });
        }
        if (after) for (const e of caseEvents({ arriveId, before, after, newHistory, referenced })) emit(e);
      }

      // 5: 取下げ cases, which no list carries (./withdrawal-follow.ts)
      await followWithdrawals({
        cases,
        arriveIds: cases.withdrawalsToFollow([...report.changed, ...report.referenced]),
        ask: (arriveId) => call((key) => this.#o.gateway.caseStatus(key, arriveId)),
        counted: () => report.requests.reference++,
        referenced: (arriveId) => report.referenced.push(arriveId),
        failed: (arriveId, error) => {
          if (error instanceof CaseSyncError) throw error;
          report.failures.push({ kind: 'reference', arriveId, error: toErrorPayload(error) });
        },
        emit,
      });
    } catch (error) {
      if (!(error instanceof CaseSyncError)) throw error;
      report.needsLogin = true;
    }
    report.finishedAt = this.#now();
    return report;
  }
}

/** The send days of the tracked batches, with how many batches each. */
function sendDays(sendNumbers: readonly string[]): SendDay[] {
  const days = new Map<string, number>();
  for (const n of sendNumbers) days.set(sendDayOf(n), (days.get(sendDayOf(n)) ?? 0) + 1);
  return [...days].map(([day, sends]) => ({ day, sends }));
}

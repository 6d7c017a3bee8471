// Core host. Keeps every sent batch moving to `done` by itself, so the person sees the 形式チェック
// end and the 到達番号 arrive without asking: after a send, 送信案件一覧 is asked after 1, 2, 5 and
// 10 seconds, then every 15 seconds (early answers come quickly, later ones without load); failures
// back off up to 5 minutes. At start, a crash's `sending` entries become `unknown` and every
// `unknown` one is reconciled (./recover.ts) before anything else is followed.
//
// Quiet by design: the background never logs in. While the session holds no access key, a step
// waits for the next turn instead of asking for a PIN nobody expects; the person's own actions
// (a send, 今すぐ確認 → refresh()) log in when needed and the following resumes. A key e-Gov has
// expired is renewed by the session as for any call.
import type { EgovGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import type { Outbox, OutboxEntry } from '../store/outbox.js';
import { isFilingError } from './errors.js';
import { BatchFollower } from './follow-batch.js';
import { recoverOutbox, type RecoveryReport } from './recover.js';

export const FOLLOW_SCHEDULE_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000];
export const FOLLOW_INTERVAL_MS = 15_000;
export const FOLLOW_BACKOFF_MAX_MS = 5 * 60_000;

export interface BatchTrackerOptions {
  outbox: Outbox;
  session: Pick<EgovSession, 'withAccessKey' | 'snapshot'>;
  gateway: Pick<EgovGateway, 'listSends' | 'listArrived'>;
  /** an entry changed (state, WorkStatus, applications) */
  onChange: (entry: OutboxEntry) => void;
  /** a step failed; the tracker tries again later (or stops, for an entry no longer followable) */
  onError?: (entryId: string, error: unknown) => void;
  /** the pauses before the first steps after a send; then intervalMs */
  schedule?: readonly number[];
  intervalMs?: number;
  backoffMaxMs?: number;
}

interface Followed {
  timer: NodeJS.Timeout | null;
  steps: number;
  failures: number;
  running: boolean;
}

export class BatchTracker {
  readonly #o: BatchTrackerOptions;
  readonly #follower: BatchFollower;
  readonly #followed = new Map<string, Followed>();
  readonly #schedule: readonly number[];
  readonly #interval: number;
  readonly #backoffMax: number;
  #closed = false;

  constructor(options: BatchTrackerOptions) {
    this.#o = options;
    this.#follower = new BatchFollower({ outbox: options.outbox, session: options.session, gateway: options.gateway });
    this.#schedule = options.schedule ?? FOLLOW_SCHEDULE_MS;
    this.#interval = options.intervalMs ?? FOLLOW_INTERVAL_MS;
    this.#backoffMax = options.backoffMaxMs ?? FOLLOW_BACKOFF_MAX_MS;
  }

  /** Starts following a sent batch (no-op when it is followed already). */
  follow(entryId: string): void {
    if (this.#closed || this.#followed.has(entryId)) return;
    const followed: Followed = { timer: null, steps: 0, failures: 0, running: false };
    this.#followed.set(entryId, followed);
    this.#plan(entryId, followed, this.#schedule[0] ?? this.#interval);
  }

  /**
   * At start: crash leftovers marked `unknown`, then (when a key is at hand) every `unknown` entry
   * reconciled; then every sent batch followed. Returns the recovery report, or null when
   * reconciliation waits for a login.
   */
  async resume(): Promise<RecoveryReport | null> {
    const interrupted = this.#o.outbox.recoverInterrupted();
    for (const entry of interrupted) this.#o.onChange(entry);
    let report: RecoveryReport | null = null;
    if (this.#o.outbox.list(['unknown'], 'batch').length > 0 && (await this.#hasKey())) report = await this.reconcile();
    for (const entry of this.#o.outbox.list(['sent', 'following'], 'batch')) this.follow(entry.id);
    return report;
  }

  /** Reconciles every `unknown` entry now (may log in); entries found at e-Gov are followed. */
  async reconcile(): Promise<RecoveryReport> {
    const report = await recoverOutbox({ outbox: this.#o.outbox, session: this.#o.session, gateway: this.#o.gateway });
    for (const outcome of report.outcomes) {
      this.#o.onChange(outcome.entry);
      if ('error' in outcome) this.#o.onError?.(outcome.entryId, outcome.error);
      if (outcome.entry.state === 'sent') this.follow(outcome.entryId);
    }
    return report;
  }

  /** One step for a sent batch now, logging in when needed (the person asked); the schedule goes on. */
  async refresh(entryId: string): Promise<OutboxEntry> {
    const entry = await this.#follower.followOnce(entryId);
    this.#o.onChange(entry);
    if (entry.state !== 'done') this.follow(entryId);
    return entry;
  }

  close(): void {
    this.#closed = true;
    for (const f of this.#followed.values()) if (f.timer) clearTimeout(f.timer);
    this.#followed.clear();
  }

  /** entries being followed (tests, diagnostics) */
  get following(): string[] {
    return [...this.#followed.keys()];
  }

  #plan(entryId: string, followed: Followed, ms: number): void {
    if (this.#closed) return;
    followed.timer = setTimeout(() => void this.#step(entryId, followed), ms);
    // following never keeps a process alive on its own (the CLI, tests)
    followed.timer.unref();
  }

  async #step(entryId: string, followed: Followed): Promise<void> {
    followed.timer = null;
    if (this.#closed || followed.running) return;
    followed.running = true;
    try {
      if (!(await this.#hasKey())) {
        this.#plan(entryId, followed, this.#interval);
        return;
      }
      const before = this.#o.outbox.get(entryId);
      const entry = await this.#follower.followOnce(entryId);
      followed.failures = 0;
      followed.steps++;
      if (!before || before.state !== entry.state || before.workStatus !== entry.workStatus) this.#o.onChange(entry);
      if (entry.state === 'done') {
        this.#followed.delete(entryId);
        return;
      }
      this.#plan(entryId, followed, this.#schedule[followed.steps] ?? this.#interval);
    } catch (error) {
      this.#o.onError?.(entryId, error);
      if (isFilingError(error, 'FILING_WRONG_STATE')) {
        this.#followed.delete(entryId);
        return;
      }
      followed.failures++;
      this.#plan(entryId, followed, Math.min(this.#backoffMax, this.#interval * 2 ** (followed.failures - 1)));
    } finally {
      followed.running = false;
    }
  }

  async #hasKey(): Promise<boolean> {
    return (await this.#o.session.snapshot()).hasKey;
  }
}

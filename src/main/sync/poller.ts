// Core host. Keeps the cases current by itself: a sync cycle (./sync-cycle.ts) every `intervalMs`,
// one at a time; after a cycle that could check nothing (e-Gov unreachable, every list refused) or
// that threw, the next waits twice as long each time, up to `backoffMaxMs`, and the interval comes
// back with the first cycle that worked. pause()/resume() for the person (or a metered connection);
// syncNow() for 今すぐ確認.
//
// Quiet like the batch tracker (src/main/filing/batch-tracker.ts): the background never logs in.
// While the session holds no access key a turn is skipped (and said so through onSkip); the cycle
// itself stops at the first call that would need a login. syncNow() may log in: the person asked.
// Timers are injected so tests drive the poller without sleeping.
import type { EgovSession } from '../session/session.js';
import type { CycleOptions, CycleReport } from './sync-cycle.js';

/** Commercial tools poll every one to three hours; a cycle here costs 1 request + changes, so more often is fine. */
export const DEFAULT_POLL_INTERVAL_MS = 15 * 60_000;
export const DEFAULT_POLL_BACKOFF_MAX_MS = 2 * 60 * 60_000;

export interface PollerTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: PollerTimers = {
  set(fn, ms) {
    const t = setTimeout(fn, ms);
    // polling never keeps a process alive on its own (the CLI, tests)
    t.unref();
    return t;
  },
  clear(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

export interface PollerOptions {
  sync: { run(options?: CycleOptions): Promise<CycleReport> };
  session: Pick<EgovSession, 'snapshot'>;
  intervalMs?: number;
  backoffMaxMs?: number;
  timers?: PollerTimers;
  now?: () => number;
  /** every case event, as it comes */
  onEvent?: CycleOptions['onEvent'];
  /** each cycle's report (background and syncNow alike) */
  onReport?: (report: CycleReport) => void;
  /** a cycle threw (a bug, the store unusable); the poller backs off and goes on */
  onError?: (error: unknown) => void;
  /** a background turn did nothing because nobody is logged in */
  onSkip?: (reason: 'no-key') => void;
}

export interface PollerState {
  running: boolean;
  paused: boolean;
  /** a cycle is under way */
  busy: boolean;
  /** epoch ms of the next background cycle; null while paused or stopped */
  nextAt: number | null;
  /** cycles in a row that failed */
  failures: number;
  lastReport: CycleReport | null;
}

export class CasePoller {
  readonly #o: PollerOptions;
  #interval: number;
  #backoffMax: number;
  readonly #backoffMaxOption: number;
  /** epoch ms the last cycle ended (a new interval counts from it) */
  #lastEnd: number | null = null;
  readonly #timers: PollerTimers;
  readonly #now: () => number;
  #timer: unknown = null;
  #nextAt: number | null = null;
  #running = false;
  #paused = false;
  #failures = 0;
  #inFlight: Promise<CycleReport | null> | null = null;
  #lastReport: CycleReport | null = null;

  constructor(options: PollerOptions) {
    this.#o = options;
    this.#interval = positive(options.intervalMs, DEFAULT_POLL_INTERVAL_MS);
    this.#backoffMaxOption = positive(options.backoffMaxMs, DEFAULT_POLL_BACKOFF_MAX_MS);
    this.#backoffMax = Math.max(this.#interval, this.#backoffMaxOption);
    this.#timers = options.timers ?? realTimers;
    this.#now = options.now ?? Date.now;
  }

  /** Starts polling: the first cycle after `firstDelayMs` (default at once). */
  start(firstDelayMs = 0): void {
    if (this.#running) return;
    this.#running = true;
    if (!this.#paused) this.#plan(firstDelayMs);
  }

  /** No background cycle until resume(); a cycle under way finishes. */
  pause(): void {
    this.#paused = true;
    this.#cancel();
  }

  /** Polling again, the next cycle at once. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    if (this.#running) this.#plan(0);
  }

  get intervalMs(): number {
    return this.#interval;
  }

  /**
   * Another interval (設定). The next background cycle is planned again: the new interval after the
   * last cycle ended (at once when that is already past). A poller backing off after failures keeps
   * its wait, and one in a cycle plans with the new interval when the cycle ends.
   */
  changeInterval(ms: number): void {
    if (!(Number.isFinite(ms) && ms > 0)) throw new RangeError(`poll interval must be a positive number of ms, not ${ms}`);
    this.#interval = ms;
    this.#backoffMax = Math.max(this.#interval, this.#backoffMaxOption);
    if (this.#timer === null || this.#failures > 0) return;
    const now = this.#now();
    this.#plan(Math.max(0, (this.#lastEnd ?? now) + ms - now));
  }

  stop(): void {
    this.#running = false;
    this.#cancel();
  }

  /**
   * A cycle now, logging in when needed (the person asked). A cycle under way is waited for first
   * (one in flight), then this one runs: its answer is as of now. The background schedule restarts
   * from here.
   */
  async syncNow(): Promise<CycleReport> {
    while (this.#inFlight) await this.#inFlight.catch(() => null);
    this.#cancel();
    const report = (await this.#track(this.#cycle(false)))!;
    return report;
  }

  get state(): PollerState {
    return { running: this.#running, paused: this.#paused, busy: this.#inFlight !== null, nextAt: this.#nextAt, failures: this.#failures, lastReport: this.#lastReport };
  }

  #plan(ms: number): void {
    this.#cancel();
    if (!this.#running || this.#paused) return;
    this.#nextAt = this.#now() + ms;
    this.#timer = this.#timers.set(() => void this.#tick(), ms);
  }

  #cancel(): void {
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
    this.#nextAt = null;
  }

  async #tick(): Promise<void> {
    this.#timer = null;
    this.#nextAt = null;
    if (!this.#running || this.#paused) return;
    if (this.#inFlight) {
      // a syncNow() is running: it plans the next turn when done
      return;
    }
    if (!(await this.#o.session.snapshot()).hasKey) {
      this.#o.onSkip?.('no-key');
      this.#plan(this.#interval);
      return;
    }
    await this.#track(this.#cycle(true)).catch(() => undefined);
  }

  #track(p: Promise<CycleReport>): Promise<CycleReport | null> {
    const tracked = p
      .then(
        (report) => {
          this.#lastReport = report;
          this.#o.onReport?.(report);
          if (report.failed) this.#failures++;
          else if (!report.needsLogin) this.#failures = 0;
          return report;
        },
        (error: unknown) => {
          this.#failures++;
          this.#o.onError?.(error);
          throw error;
        },
      )
      .finally(() => {
        this.#inFlight = null;
        this.#lastEnd = this.#now();
        this.#plan(this.#failures ? Math.min(this.#backoffMax, this.#interval * 2 ** this.#failures) : this.#interval);
      });
    this.#inFlight = tracked;
    return tracked;
  }

  #cycle(quiet: boolean): Promise<CycleReport> {
    return this.#o.sync.run({ quiet, ...(this.#o.onEvent ? { onEvent: this.#o.onEvent } : {}) });
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

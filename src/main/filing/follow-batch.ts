// Core host. Following a sent batch through e-Gov's asynchronous 形式チェック: 送信案件一覧 by its
// 送信番号 until WorkStatus is empty (処理待ち … recorded as `following`), then 申請案件一覧 and the
// arrived applications stored with their 到達番号 (`done`). One step per followOnce(): the caller
// (CLI `--wait`, later the background sync) sets the pace; followUntilDone() is that loop with an
// injectable clock and sleep, so tests never wait.
import { setTimeout as delay } from 'node:timers/promises';
import type { EgovGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import type { Outbox, OutboxEntry } from '../store/outbox.js';
import { FilingError } from './errors.js';

/** e-Gov's 形式チェック takes seconds to minutes; asking more often than this only adds load. */
export const DEFAULT_FOLLOW_INTERVAL_MS = 15_000;

export interface BatchFollowerOptions {
  outbox: Outbox;
  session: Pick<EgovSession, 'withAccessKey'>;
  gateway: Pick<EgovGateway, 'listSends' | 'listArrived'>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface FollowUntilDoneOptions {
  /** give up (returning the entry still `following`) once this much time has passed */
  maxWaitMs: number;
  intervalMs?: number;
}

export class BatchFollower {
  readonly #outbox: Outbox;
  readonly #session: BatchFollowerOptions['session'];
  readonly #gateway: BatchFollowerOptions['gateway'];
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: BatchFollowerOptions) {
    this.#outbox = options.outbox;
    this.#session = options.session;
    this.#gateway = options.gateway;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
  }

  /**
   * One step for a `sent` / `following` entry: asks 送信案件一覧 once; while WorkStatus is not empty
   * records it (`following`); once empty, asks 申請案件一覧 and records the applications (`done`).
   */
  async followOnce(entryId: string): Promise<OutboxEntry> {
    const entry = this.#outbox.get(entryId);
    if (!entry || (entry.state !== 'sent' && entry.state !== 'following') || entry.sendNumber === null) {
      throw new FilingError(
        'FILING_WRONG_STATE',
        {
          ja: '送信番号が分かっている送信だけ、形式チェックの結果を確認できます。送信箱で送信の状態を確かめてください。',
          en: `entry ${entryId} is ${entry ? entry.state : 'missing'}: only sent/following entries can be followed`,
        },
        { detail: { entryId, state: entry?.state ?? null } },
      );
    }
    const sendNumber = entry.sendNumber;
    const summaries = await this.#session.withAccessKey((key) => this.#gateway.listSends(key, { sendNumber }));
    const summary = summaries.find((s) => s.sendNumber === sendNumber);
    if (!summary) {
      // e-Gov gave this number (or a reconciliation found it): its absence is e-Gov's to explain, and
      // nothing here may guess; the entry stays as it is and is asked again later.
      throw new FilingError(
        'FILING_SEND_NOT_LISTED',
        {
          ja: `送信案件一覧に送信番号 ${sendNumber} が見つかりませんでした。しばらく待ってからもう一度確認してください。続く場合は e-Gov の窓口に問い合わせてください。`,
          en: `送信案件一覧 does not list ${sendNumber}`,
        },
        { detail: { entryId, sendNumber } },
      );
    }
    if (summary.workStatus !== '') return this.#outbox.markProcessing(entryId, summary.workStatus);
    const arrived = await this.#session.withAccessKey((key) => this.#gateway.listArrived(key, sendNumber));
    const errorFile = arrived.errorFileBase64 ?? summary.errorFileBase64;
    return this.#outbox.markCompleted(entryId, arrived.applications, {
      normalCount: summary.normalCount,
      errorCount: summary.errorCount,
      errorFile: errorFile === null ? null : Buffer.from(errorFile, 'base64'),
    });
  }

  /** followOnce() every `intervalMs` until `done`, or until `maxWaitMs` has passed (then the entry is returned as it is). */
  async followUntilDone(entryId: string, options: FollowUntilDoneOptions): Promise<OutboxEntry> {
    const interval = options.intervalMs ?? DEFAULT_FOLLOW_INTERVAL_MS;
    const deadline = this.#now() + options.maxWaitMs;
    for (;;) {
      const entry = await this.followOnce(entryId);
      if (entry.state === 'done') return entry;
      const left = deadline - this.#now();
      if (left <= 0) return entry;
      await this.#sleep(Math.min(interval, left));
    }
  }
}

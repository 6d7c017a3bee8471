// Core host. The background case sync as the person set it: the minutes between cycles (設定) and
// whether they paused it (一時停止 / 再開), kept in the profile's database so a restart keeps both.
// No row until the person chose; no interval while they only paused: the app's default applies.
import { MAX_SYNC_INTERVAL_MINUTES, MIN_SYNC_INTERVAL_MINUTES } from '../../shared/case.js';
import type { SqliteDatabase, Store } from './db.js';

export interface SyncSettings {
  /** null: the app's default */
  intervalMinutes: number | null;
  paused: boolean;
}

const NOTHING_CHOSEN: SyncSettings = { intervalMinutes: null, paused: false };

interface Row {
  interval_minutes: number | null;
  paused: number;
}

export class SyncSettingsStore {
  readonly db: SqliteDatabase;
  readonly #now: () => number;

  constructor(store: Store, options: { now?: () => number } = {}) {
    this.db = store.db;
    this.#now = options.now ?? Date.now;
  }

  /** What the person chose (nothing chosen reads as the defaults). */
  read(): SyncSettings {
    const row = this.db.prepare('SELECT interval_minutes, paused FROM sync_settings WHERE id = 1').get() as Row | undefined;
    return row ? { intervalMinutes: row.interval_minutes, paused: row.paused === 1 } : { ...NOTHING_CHOSEN };
  }

  /** Stores a change; what it does not name stays as stored. An interval outside the range is refused. */
  write(change: Partial<SyncSettings>): SyncSettings {
    const minutes = change.intervalMinutes;
    if (minutes !== undefined && minutes !== null && !(Number.isInteger(minutes) && minutes >= MIN_SYNC_INTERVAL_MINUTES && minutes <= MAX_SYNC_INTERVAL_MINUTES)) {
      throw new RangeError(`an interval of ${minutes} minutes is outside ${MIN_SYNC_INTERVAL_MINUTES}–${MAX_SYNC_INTERVAL_MINUTES}`);
    }
    return this.db
      .transaction(() => {
        const next = { ...this.read(), ...change };
        this.db
          .prepare(
            `INSERT INTO sync_settings (id, interval_minutes, paused, updated_at) VALUES (1, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET interval_minutes = excluded.interval_minutes, paused = excluded.paused, updated_at = excluded.updated_at`,
          )
          .run(next.intervalMinutes, next.paused ? 1 : 0, this.#now());
        return next;
      })
      .immediate();
  }
}

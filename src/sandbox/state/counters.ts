// Sandbox (Node). The global counters behind 送信番号 and 到達番号 (table `counters`). e-Gov's 到達番号
// is one sequence for 一括申請 arrivals, 取下げ and 補正 alike (REFERENCE §2.7, SEEN), so both stores
// draw from here.
import type { SqliteDatabase } from './sqlite.js';

/** The next value of a global counter, wrapping to 0 after `modulo - 1`; call inside a transaction. */
export function nextCounter(db: SqliteDatabase, name: string, modulo: number): number {
  const row = db.prepare('SELECT value FROM counters WHERE name = ?').get(name) as { value: number } | undefined;
  const value = ((row?.value ?? 0) + 1) % modulo;
  db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(name, value);
  return value;
}

/** 到達番号: '900' + the JST year + the next 9-digit value (SEEN: 9002015000243941); call inside a transaction. */
export function nextArriveId(db: SqliteDatabase, jstYear: string): string {
  for (;;) {
    const candidate = `900${jstYear}${String(nextCounter(db, 'arrive', 1_000_000_000)).padStart(9, '0')}`;
    if (db.prepare('SELECT 1 FROM applications WHERE arrive_id = ?').get(candidate) === undefined) return candidate;
  }
}

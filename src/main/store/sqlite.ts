// Core host and sandbox (Node). The slice of better-sqlite3 (12) Todoke uses, typed here because the
// package ships no declarations, and the one way a schema is brought up to date: numbered steps,
// `PRAGMA user_version` the last one applied, each step in its own IMMEDIATE transaction (another
// process migrating at the same moment waits, then finds the step done), a file from a newer
// version refused, never downgraded. The app's store (db.ts) and the sandbox's state use it alike.
import { createRequire } from 'node:module';

export interface Statement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** rows as arrays of the columns in order (true), or as objects (false, the default) */
  raw(toggle?: boolean): Statement;
}

export interface SqliteDatabase {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) & { immediate(...args: A): R };
  close(): void;
  readonly open: boolean;
  readonly inTransaction: boolean;
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The step rebuilds tables other tables refer to (create new, copy, drop old, rename: SQLite's way
   * to change a CHECK). It runs with foreign keys OFF — with them on, dropping the old table would
   * cascade into, or be refused by, every table that refers to it — and commits only when
   * foreign_key_check finds every reference still holding.
   */
  rebuildsTables?: boolean;
}

type DatabaseConstructor = new (path: string, options?: { fileMustExist?: boolean; timeout?: number }) => SqliteDatabase;

const require = createRequire(import.meta.url);

/** Opens (creating) the SQLite file at `path`; a locked database is waited for up to `busyTimeoutMs`. */
export function openSqlite(path: string, busyTimeoutMs = 5000): SqliteDatabase {
  // loaded on first use: a CommonJS native addon, rebuilt for Electron's ABI when packaged
  const Database = require('better-sqlite3') as DatabaseConstructor;
  return new Database(path, { timeout: busyTimeoutMs });
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length ? migrations[migrations.length - 1]!.version : 0;
}

/**
 * Applies the steps above the file's user_version. `newer(current, latest)` makes the error for a
 * file written by a newer version (each caller words it for its own people).
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[], newer: (current: number, latest: number) => Error): void {
  const latest = latestVersion(migrations);
  const refuseNewer = (current: number) => {
    if (current > latest) throw newer(current, latest);
  };
  refuseNewer(db.pragma('user_version', { simple: true }) as number);
  for (const m of migrations) {
    // PRAGMA foreign_keys is a no-op inside a transaction: switched around it
    const keysWereOn = m.rebuildsTables === true && db.pragma('foreign_keys', { simple: true }) === 1;
    if (keysWereOn) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        const current = db.pragma('user_version', { simple: true }) as number;
        refuseNewer(current);
        if (m.version <= current) return;
        db.exec(m.sql);
        if (m.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length) throw new Error(`migration ${m.version} left ${broken.length} broken foreign key reference(s)`);
        }
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } finally {
      if (keysWereOn) db.pragma('foreign_keys = ON');
    }
  }
}

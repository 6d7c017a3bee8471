// Sandbox (Node). The slice of better-sqlite3 the sandbox uses, typed here because the package
// ships no declarations. Loaded through createRequire: it is a CommonJS native addon.
import { createRequire } from 'node:module';

export interface Statement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqliteDatabase {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) & { immediate(...args: A): R };
  close(): void;
  readonly open: boolean;
}

type DatabaseConstructor = new (path: string, options?: { fileMustExist?: boolean; timeout?: number }) => SqliteDatabase;

const require = createRequire(import.meta.url);

export function openSqlite(path: string): SqliteDatabase {
  const Database = require('better-sqlite3') as DatabaseConstructor;
  return new Database(path, { timeout: 5000 });
}

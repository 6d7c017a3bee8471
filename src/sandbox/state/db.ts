// Sandbox (Node). Opens the sandbox's own SQLite file in WAL mode and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxError } from '../errors.js';
import { migrate as applyMigrations } from '../../main/store/sqlite.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { openSqlite, type SqliteDatabase } from './sqlite.js';

export const DATABASE_FILE = 'sandbox.sqlite';

export function openSandboxDatabase(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, DATABASE_FILE);
  let db: SqliteDatabase;
  try {
    db = openSqlite(path);
  } catch (cause) {
    throw new SandboxError(
      'SANDBOX_DATABASE',
      { ja: `サンドボックスのデータベース ${path} を開けません。フォルダーの権限と空き容量を確認してください。`, en: `cannot open ${path}` },
      { cause },
    );
  }
  try {
    // The app and a `todoke --sandbox` command may share one sandbox folder: wait for the other's write.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, migrations, path);
  } catch (e) {
    db.close();
    if (e instanceof SandboxError) throw e;
    throw new SandboxError(
      'SANDBOX_DATABASE',
      { ja: `サンドボックスのデータベース ${path} が壊れているか、SQLite のファイルではありません。別の --data フォルダーを指定するか、このファイルを退避してください。`, en: `unusable database ${path}` },
      { cause: e },
    );
  }
  return db;
}

export function migrate(db: SqliteDatabase, migrations: readonly Migration[], path: string): void {
  applyMigrations(
    db,
    migrations,
    (current, latest) =>
      new SandboxError('SANDBOX_DATABASE_NEWER', {
        ja: `サンドボックスのデータベース ${path} は新しい版の Todoke で作られています（スキーマ ${current}、この版は ${latest} まで）。Todoke を更新するか、別の --data フォルダーを指定してください。`,
        en: `database schema ${current} is newer than this sandbox (${latest})`,
      }),
  );
}

// Core host. The app's SQLite database, one per profile: <home>/profiles/<profile>/todoke.sqlite.
//
// Per profile, because a profile is one 利用者ID at one endpoint: 送信番号 and 到達番号 are numbers of
// that endpoint (the built-in sandbox hands out numbers that may equal real e-Gov ones), so an outbox
// kept per profile can never match a sandbox batch against a real one; and the database moves,
// is quarantined or deleted with the profile folder it belongs to. Rows still carry profile and
// 利用者ID, so an entry read out of context says whom it was sent as.
//
// Pragmas, set on every open (they are per connection, not stored in the file):
// - journal_mode=WAL: readers never block the writer; a crash of the core host loses no commit.
// - synchronous=FULL: in WAL mode NORMAL survives a crash of the process but not a power cut or an
//   OS crash: the last commits may vanish. For the outbox that is the one loss that matters: if the
//   `sending` row is lost after the request left, the entry comes back as `ready` and is sent twice;
//   if the 送信番号 is lost, a batch e-Gov holds is forgotten. FULL fsyncs the WAL at each commit;
//   the outbox commits a handful of times per batch, and bulk writes (a sync's applications) go in
//   one transaction, so the cost is one fsync per transaction.
// - foreign_keys=ON, busy_timeout=5000 (a CLI command and the app may share a home for a moment).
//
// One writer: the core host. Within one process, opening the same database twice shares one
// connection (counted; the last close() closes it), so two use cases never hold two connections
// that could interleave their transactions. Another process (a `todoke` command while the app is
// open) gets its own connection; busy_timeout makes it wait for the lock, and every outbox
// transition is an IMMEDIATE transaction that re-reads the state it moves from, so two processes
// can never both move one entry (src/main/store/outbox.ts).
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TodokeError } from '../../shared/errors.js';
import { isProfileName } from '../profiles/profile.js';
import { MIGRATIONS } from './migrations.js';
import { migrate as applyMigrations, openSqlite, type Migration, type SqliteDatabase } from './sqlite.js';

export type { Migration, SqliteDatabase, Statement } from './sqlite.js';

export const DATABASE_FILE = 'todoke.sqlite';
const BUSY_TIMEOUT_MS = 5000;

export type StoreErrorCode =
  | 'STORE_OPEN_FAILED'
  | 'STORE_NEWER'
  | 'STORE_NOT_WAL'
  | 'STORE_PROFILE_INVALID';

export class StoreError extends TodokeError<StoreErrorCode> {
  constructor(code: StoreErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'StoreError';
  }
}

// ---------------------------------------------------------------------------------------------

/** One use of the database. close() releases this use only; the connection closes with the last. */
export interface Store {
  readonly db: SqliteDatabase;
  /** absolute path of todoke.sqlite */
  readonly path: string;
  /** the profile folder that holds it (large request bodies are kept beside it) */
  readonly dir: string;
  readonly profile: string;
  close(): void;
}

interface Shared {
  db: SqliteDatabase;
  uses: number;
}

const openDatabases = new Map<string, Shared>();

export function storePath(home: string, profile: string): string {
  if (!isProfileName(profile)) {
    throw new StoreError(
      'STORE_PROFILE_INVALID',
      { ja: `プロファイル名「${profile.slice(0, 64)}」は使えません。`, en: 'invalid profile name' },
      { detail: { profile: profile.slice(0, 64) } },
    );
  }
  return join(resolve(home), 'profiles', profile, DATABASE_FILE);
}

/** Opens (or shares) the profile's database, up to date with `migrations`. */
export function openStore(home: string, profile: string, migrations: readonly Migration[] = MIGRATIONS): Store {
  const requested = storePath(home, profile);
  mkdirSync(dirname(requested), { recursive: true, mode: 0o700 });
  // one key per file, however the home was spelt (symlinks, relative paths)
  const path = join(realpathSync(dirname(requested)), DATABASE_FILE);
  let shared = openDatabases.get(path);
  if (shared && shared.db.open) {
    // already open here: bring it up to the schema this caller expects (refuses a newer file the same way)
    migrate(shared.db, migrations, path);
    shared.uses += 1;
  } else {
    shared = { db: openDatabase(path, migrations), uses: 1 };
    openDatabases.set(path, shared);
  }
  const entry = shared;
  let closed = false;
  return {
    db: entry.db,
    path,
    dir: dirname(path),
    profile,
    close() {
      if (closed) return;
      closed = true;
      entry.uses -= 1;
      if (entry.uses > 0) return;
      if (openDatabases.get(path) === entry) openDatabases.delete(path);
      if (entry.db.open) entry.db.close();
    },
  };
}

/** How many uses of the database at `path` are open in this process (0 = closed). For tests. */
export function openUses(path: string): number {
  return openDatabases.get(path)?.uses ?? 0;
}

function openDatabase(path: string, migrations: readonly Migration[]): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    db = openSqlite(path, BUSY_TIMEOUT_MS);
  } catch (cause) {
    throw new StoreError(
      'STORE_OPEN_FAILED',
      { ja: `データベース ${path} を開けません。フォルダーの権限と空き容量を確認してください。`, en: `cannot open ${path}` },
      { cause, detail: { path } },
    );
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') {
      throw new StoreError(
        'STORE_NOT_WAL',
        {
          ja: `データベース ${path} を WAL モードで開けません（${String(mode)}）。ネットワークドライブ上のフォルダーは使えません。ローカルのフォルダーを指定してください。`,
          en: `journal_mode is ${String(mode)}, not wal`,
        },
        { detail: { path, mode: String(mode) } },
      );
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, path);
  } catch (e) {
    db.close();
    if (e instanceof StoreError) throw e;
    throw new StoreError(
      'STORE_OPEN_FAILED',
      {
        ja: `データベース ${path} が壊れているか、SQLite のファイルではありません。このファイルを退避してから開き直してください。`,
        en: `unusable database ${path}`,
      },
      { cause: e, detail: { path } },
    );
  }
  return db;
}

/** Brings the schema up to date (src/main/store/sqlite.ts); a file from a newer Todoke is refused. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[], path: string): void {
  applyMigrations(
    db,
    migrations,
    (current, latest) =>
      new StoreError(
        'STORE_NEWER',
        {
          ja: `データベース ${path} は新しい版の Todoke で作られています（スキーマ ${current}、この版は ${latest} まで）。Todoke を更新してください。`,
          en: `database schema ${current} is newer than this app (${latest})`,
        },
        { detail: { path, schema: current, supported: latest } },
      ),
  );
}

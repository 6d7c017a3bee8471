// Unit: the app database (src/main/store/db.ts): where it lives, its pragmas, numbered
// migrations from empty, re-open, a file from a newer app refused, one connection per process.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DATABASE_FILE, StoreError, migrate, openStore, openUses, storePath } from '../../src/main/store/db.js';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from '../../src/main/store/migrations.js';
import { scratchHome } from '../support/home.js';

const tables = (store: ReturnType<typeof openStore>) =>
  (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

void describe('openStore', () => {
  void it('creates <home>/profiles/<profile>/todoke.sqlite from empty, migrated to the last step', () => {
    const home = scratchHome();
    const store = openStore(home, 'default');
    try {
      assert.equal(store.path, join(home, 'profiles', 'default', DATABASE_FILE));
      assert.ok(existsSync(store.path));
      assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      assert.deepEqual(tables(store), [
        'arrived_applications',
        'bank_lists',
        'case_history',
        'case_observations',
        'notice_files',
        'notices',
        'outbox_entries',
        'outbox_transitions',
        'payment_reads',
        'payments',
        'sync_settings',
      ]);
    } finally {
      store.close();
    }
  });

  void it('runs in WAL mode with synchronous=FULL, foreign keys on and a busy timeout', () => {
    const store = openStore(scratchHome(), 'default');
    try {
      assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(store.db.pragma('synchronous', { simple: true }), 2); // FULL
      assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(store.db.pragma('busy_timeout', { simple: true }), 5000);
    } finally {
      store.close();
    }
  });

  void it('enforces foreign keys: a transition of an entry that does not exist is refused', () => {
    const store = openStore(scratchHome(), 'p1');
    try {
      assert.throws(
        () => store.db.prepare("INSERT INTO outbox_transitions (entry_id, seq, to_state, event, at) VALUES ('x', 1, 'ready', 'recorded', 1)").run(),
        /FOREIGN KEY/,
      );
    } finally {
      store.close();
    }
  });

  void it('keeps rows across a close and re-open; a later step is applied on top', () => {
    const home = scratchHome();
    const first = openStore(home, 'p1');
    first.db.exec('CREATE TABLE scratch (v TEXT)');
    first.db.prepare("INSERT INTO scratch (v) VALUES ('kept')").run();
    first.close();
    assert.equal(openUses(first.path), 0);

    const later: Migration[] = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, name: 'test step', sql: 'CREATE TABLE later (x INTEGER)' }];
    const second = openStore(home, 'p1', later);
    try {
      assert.equal(second.db.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1);
      assert.deepEqual(second.db.prepare('SELECT v FROM scratch').all(), [{ v: 'kept' }]);
      assert.ok(tables(second).includes('later'));
    } finally {
      second.close();
    }
  });

  void it('refuses a database written by a newer app, and leaves it as it was', () => {
    const home = scratchHome();
    const store = openStore(home, 'default');
    store.db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    store.close();
    assert.throws(
      () => openStore(home, 'default'),
      (e: unknown) => e instanceof StoreError && e.code === 'STORE_NEWER' && /新しい版/.test(e.messageJa),
    );
    // not downgraded: open with a migration list that knows the newer step
    const knowing: Migration[] = [];
    for (let v = 1; v <= SCHEMA_VERSION + 5; v++) knowing.push(MIGRATIONS[v - 1] ?? { version: v, name: 'future', sql: 'SELECT 1' });
    const again = openStore(home, 'default', knowing);
    try {
      assert.equal(again.db.pragma('user_version', { simple: true }), SCHEMA_VERSION + 5);
    } finally {
      again.close();
    }
  });

  void it('migrate() refuses newer on an open connection too', () => {
    const store = openStore(scratchHome(), 'default');
    try {
      assert.throws(() => migrate(store.db, [], store.path), { code: 'STORE_NEWER' });
    } finally {
      store.close();
    }
  });

  void it('opening twice in one process shares one connection; the last close closes it', () => {
    const home = scratchHome();
    const a = openStore(home, 'default');
    const b = openStore(join(home, '.', ''), 'default');
    assert.equal(a.db, b.db);
    assert.equal(openUses(a.path), 2);
    a.close();
    a.close(); // idempotent: does not release b's use
    assert.equal(openUses(a.path), 1);
    assert.ok(b.db.open);
    b.close();
    assert.equal(b.db.open, false);
    assert.equal(openUses(a.path), 0);
  });

  void it('keeps profiles apart and refuses a name that is not a profile name', () => {
    const home = scratchHome();
    assert.notEqual(storePath(home, 'a'), storePath(home, 'b'));
    assert.throws(() => openStore(home, '../escape'), { code: 'STORE_PROFILE_INVALID' });
  });

  void it('refuses a file that is not a database with a typed error', async () => {
    const home = scratchHome();
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(home, 'profiles', 'default'), { recursive: true });
    writeFileSync(storePath(home, 'default'), 'not sqlite at all, just text that is long enough to be a header '.repeat(4));
    assert.throws(() => openStore(home, 'default'), { code: 'STORE_OPEN_FAILED' });
  });
});

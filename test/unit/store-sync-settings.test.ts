// Unit: migration 8 and the sync settings (src/main/store/sync-settings.ts): nothing chosen reads as
// the defaults; a change keeps what it does not name; an interval outside 5–1440 minutes is refused
// by the store and, written behind its back, by the table itself.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CaseStore } from '../../src/main/store/cases.js';
import { openStore } from '../../src/main/store/db.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/main/store/migrations.js';
import { SyncSettingsStore } from '../../src/main/store/sync-settings.js';
import { arrivedApplication } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';

void describe('migration 8 on a version-7 database that holds data', () => {
  test('keeps every case and payment row, adds the settings table empty (the defaults apply)', () => {
    const home = scratchHome();
    const v7 = openStore(home, 'p', MIGRATIONS.slice(0, 7));
    new CaseStore(v7, { now: () => 1000 }).storeListed([{ sendNumber: '202601151000000001', application: arrivedApplication('9002026000000001') }], new Set());
    const before = v7.db.prepare('SELECT * FROM arrived_applications ORDER BY rowid').all();
    v7.close();
    const store = openStore(home, 'p');
    try {
      assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      assert.deepEqual(store.db.prepare('SELECT * FROM arrived_applications ORDER BY rowid').all(), before);
      assert.deepEqual(store.db.prepare('SELECT count(*) AS n FROM sync_settings').get(), { n: 0 });
      assert.deepEqual(new SyncSettingsStore(store).read(), { intervalMinutes: null, paused: false });
      assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      store.close();
    }
  });
});

void describe('sync settings', () => {
  test('nothing chosen: the app default and not paused; each change keeps the other setting', () => {
    const store = openStore(scratchHome(), 'p');
    try {
      const settings = new SyncSettingsStore(store, { now: () => 1234 });
      assert.deepEqual(settings.read(), { intervalMinutes: null, paused: false });
      assert.deepEqual(settings.write({ paused: true }), { intervalMinutes: null, paused: true });
      assert.deepEqual(settings.write({ intervalMinutes: 30 }), { intervalMinutes: 30, paused: true });
      assert.deepEqual(settings.write({ paused: false }), { intervalMinutes: 30, paused: false });
      assert.deepEqual(new SyncSettingsStore(store).read(), { intervalMinutes: 30, paused: false });
      assert.deepEqual(store.db.prepare('SELECT updated_at FROM sync_settings').get(), { updated_at: 1234 });
      assert.deepEqual(store.db.prepare('SELECT count(*) AS n FROM sync_settings').get(), { n: 1 });
    } finally {
      store.close();
    }
  });

  test('an interval outside 5–1440 whole minutes is refused and nothing is written', () => {
    const store = openStore(scratchHome(), 'p');
    try {
      const settings = new SyncSettingsStore(store);
      settings.write({ intervalMinutes: 15 });
      for (const bad of [4, 1441, 0, -5, 15.5, Number.NaN, Infinity]) assert.throws(() => settings.write({ intervalMinutes: bad }), RangeError, String(bad));
      assert.deepEqual(settings.read(), { intervalMinutes: 15, paused: false });
      for (const ok of [5, 1440]) assert.equal(settings.write({ intervalMinutes: ok }).intervalMinutes, ok);
    } finally {
      store.close();
    }
  });

  test('the table itself refuses what the store would: another writer cannot store a bad interval or a second row', () => {
    const store = openStore(scratchHome(), 'p');
    try {
      const insert = (sql: string) => () => store.db.exec(sql);
      assert.throws(insert('INSERT INTO sync_settings VALUES (1, 3, 0, 0)'), /CHECK constraint/);
      assert.throws(insert('INSERT INTO sync_settings VALUES (1, 15, 2, 0)'), /CHECK constraint/);
      assert.throws(insert("INSERT INTO sync_settings VALUES (1, 'fifteen', 0, 0)"), /cannot store TEXT value in INTEGER column/);
      assert.throws(insert('INSERT INTO sync_settings VALUES (2, 15, 0, 0)'), /CHECK constraint/);
      store.db.exec('INSERT INTO sync_settings VALUES (1, NULL, 1, 0)');
      assert.deepEqual(new SyncSettingsStore(store).read(), { intervalMinutes: null, paused: true });
    } finally {
      store.close();
    }
  });
});

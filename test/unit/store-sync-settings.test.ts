// Unit: migration 8 and the sync settings (src/main/store/sync-settings.ts): nothing chosen reads as
// the defaults; a change keeps what it does not name; an interval outside 5–1440 minutes is refused
// by the store and, written behind its back, by the table itself.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStore } from '../../src/main/store/db.js';
import { SyncSettingsStore } from '../../src/main/store/sync-settings.js';
import { scratchHome } from '../support/home.js';

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

// Unit: which sends ホーム shows (src/renderer/home-view.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BatchState, BatchView } from '../../src/shared/filing.js';
import { MAX_WATCHED, RECENT_PROBLEM_DAYS, batchesToWatch, concernOf } from '../../src/renderer/home-view.js';

const NOW = Date.parse('2026-11-30T09:00:00Z');
const DAY = 86_400_000;

function batch(id: string, state: BatchState, updatedDaysAgo = 0, extra: Partial<BatchView> = {}): BatchView {
  const at = new Date(NOW - updatedDaysAgo * DAY).toISOString();
  return {
    id,
    state,
    createdAt: at,
    updatedAt: at,
    attemptCount: 1,
    sendNumber: null,
    sendDate: null,
    applicationCount: 2,
    folderNames: ['a', 'b'],
    applicantNames: ['山田'],
    sourceNames: ['a'],
    workStatus: null,
    arrivedCount: 0,
    formatCheck: null,
    failure: null,
    candidates: [],
    ...extra,
  };
}

void describe('home view: the sends on ホーム', () => {
  void test('a send waiting for the person is shown whatever its age', () => {
    for (const state of ['ready', 'ready-for-resend', 'ambiguous'] as const) assert.equal(concernOf(batch('x', state, 400), NOW), 'decide');
  });

  void test('a send under way is shown whatever its age', () => {
    for (const state of ['sending', 'sent', 'following', 'unknown'] as const) assert.equal(concernOf(batch('x', state, 400), NOW), 'under-way');
  });

  void test('a refused send is news for a week, then the history keeps it', () => {
    assert.equal(concernOf(batch('x', 'failed', 1), NOW), 'failed');
    assert.equal(concernOf(batch('x', 'failed', RECENT_PROBLEM_DAYS), NOW), 'failed');
    assert.equal(concernOf(batch('x', 'failed', RECENT_PROBLEM_DAYS + 0.01), NOW), null);
  });

  void test('a done send is news only when its format check rejected applications, for a week', () => {
    const errors = { formatCheck: { normalCount: 1, errorCount: 1, hasErrorReport: true } };
    assert.equal(concernOf(batch('x', 'done', 0, { formatCheck: { normalCount: 2, errorCount: 0, hasErrorReport: false } }), NOW), null);
    assert.equal(concernOf(batch('x', 'done', 0), NOW), null);
    assert.equal(concernOf(batch('x', 'done', 2, errors), NOW), 'check-errors');
    assert.equal(concernOf(batch('x', 'done', 30, errors), NOW), null);
  });

  void test('an unreadable time keeps a problem on screen rather than hiding it', () => {
    assert.equal(concernOf({ ...batch('x', 'failed'), updatedAt: 'not a time' }, NOW), 'failed');
    assert.equal(concernOf({ ...batch('x', 'failed'), updatedAt: '' }, NOW), 'failed');
  });

  void test('a state this build does not know is shown, not dropped', () => {
    assert.equal(concernOf({ ...batch('x', 'done'), state: 'paused-by-egov' as BatchState }, NOW), 'under-way');
  });

  void test('choices first, then refusals, rejected applications, sends under way; newest first within each', () => {
    const list = [
      batch('going-old', 'following', 3),
      batch('failed', 'failed', 1),
      batch('done-ok', 'done', 0),
      batch('decide-old', 'ambiguous', 5),
      batch('errors', 'done', 1, { formatCheck: { normalCount: 0, errorCount: 2, hasErrorReport: true } }),
      batch('going-new', 'sent', 0),
      batch('decide-new', 'ready-for-resend', 0),
    ];
    const { shown, more } = batchesToWatch(list, NOW, 10);
    assert.deepEqual(
      shown.map((w) => w.batch.id),
      ['decide-new', 'decide-old', 'failed', 'errors', 'going-new', 'going-old'],
    );
    assert.equal(more, 0);
  });

  void test('at most a few are shown and the rest counted', () => {
    const list = Array.from({ length: MAX_WATCHED + 3 }, (_, i) => batch(`b${i}`, 'unknown', i));
    const { shown, more } = batchesToWatch(list, NOW);
    assert.equal(shown.length, MAX_WATCHED);
    assert.equal(more, 3);
    assert.deepEqual(batchesToWatch([], NOW), { shown: [], more: 0 });
  });

  void test('a thousand finished sends cost nothing on screen', () => {
    const list = Array.from({ length: 1000 }, (_, i) => batch(`b${i}`, 'done', i % 30));
    assert.deepEqual(batchesToWatch(list, NOW), { shown: [], more: 0 });
  });
});

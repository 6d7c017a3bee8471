// The 案件 screens' store (src/renderer/stores/cases.ts) over a fake core: pages asked for with the
// filter as case.list takes it, a burst of case.changed gathered into one refresh (counts once, each
// shown row that changed fetched once), the list asked for again when a change may move a case in
// or out of it, and a page that was asked for before a change not left showing the case as it was.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { CaseCountsView, CaseDetailView, CasePageView, CaseSummaryView, CaseSyncEvent } from '../../src/shared/case.js';
import { arrivedApplication } from '../support/arrived.js';

interface Call {
  op: string;
  args: Record<string, unknown>;
}

const calls: Call[] = [];
/** the core's cases, newest 到達番号 first; a test changes them as the sandbox's operator would */
let cases: CaseSummaryView[] = [];
/** holds case.list answers until released, for the race test */
let gate: Promise<void> | null = null;

function summary(n: number, status = '到達'): CaseSummaryView {
  return {
    ...arrivedApplication(String(9002026000000000 + n), { status }),
    sendNumber: '202611300900000001',
    entryId: null,
    updatedAt: '2026-11-30T00:00:00.000Z',
    needsReference: false,
    withdrawalOf: null,
    amendmentOf: null,
  };
}

const counts: CaseCountsView = {
  total: 0,
  byStatus: [],
  correction: { cases: 0, newestStatusDate: null },
  unreadComments: { cases: 0, newestStatusDate: null },
  undownloadedDocuments: { cases: 0, newestStatusDate: null },
  paymentsWaiting: { cases: 0, newestStatusDate: null },
};

const api = {
  'case.list': async (args: Record<string, unknown>) => {
    calls.push({ op: 'case.list', args });
    const matching = cases.filter((c) => args.status === undefined || c.status === args.status);
    const start = typeof args.after === 'string' ? matching.findIndex((c) => c.arriveId < (args.after as string)) : 0;
    const limit = args.limit as number;
    const page = start < 0 ? [] : matching.slice(start, start + limit);
    const snapshot = page.map((c) => ({ ...c }));
    if (gate) await gate;
    const value: CasePageView = { cases: snapshot, next: start >= 0 && start + limit < matching.length ? page[page.length - 1]!.arriveId : null, total: matching.length };
    return { ok: true as const, value };
  },
  'case.get': async (args: Record<string, unknown>) => {
    calls.push({ op: 'case.get', args });
    const c = cases.find((x) => x.arriveId === args.arriveId)!;
    const value: CaseDetailView = { ...c, reference: null, history: [], observations: [], withdrawals: [] };
    return { ok: true as const, value };
  },
  'case.counts': async () => {
    calls.push({ op: 'case.counts', args: {} });
    return { ok: true as const, value: counts };
  },
};
(globalThis as unknown as { window: unknown }).window = { todoke: api };

const { useCaseStore, listArgs, FIRST_PAGE_SIZE, PAGE_SIZE, REFRESH_DELAY_MS } = await import('../../src/renderer/stores/cases.js');

const settle = () => new Promise((r) => setTimeout(r, REFRESH_DELAY_MS + 50));
const changed = (n: number, over: Partial<Extract<CaseSyncEvent, { type: 'case.changed' }>> = {}): CaseSyncEvent => ({
  type: 'case.changed',
  arriveId: summary(n).arriveId,
  isNew: false,
  changes: [{ field: 'status', before: '到達', after: '審査中' }],
  status: '審査中',
  newHistory: [],
  referenced: true,
  ...over,
});
const setStatus = (n: number, status: string) => {
  cases = cases.map((c) => (c.arriveId === summary(n).arriveId ? { ...c, status } : c));
};
const ops = (op: string) => calls.filter((c) => c.op === op);

beforeEach(async () => {
  cases = Array.from({ length: 1200 }, (_, i) => summary(1200 - i));
  gate = null;
  await useCaseStore.getState().setFilter({});
  await useCaseStore.getState().loadCounts();
  calls.length = 0;
});

void describe('the case store', () => {
  void it('asks for a small first page, then pages of the largest size after the last row; empty filter texts are not sent', async () => {
    assert.deepEqual(listArgs({ status: ' ', text: ' 山田 ', attention: 'correction' }), { text: '山田', attention: 'correction' });
    const s = useCaseStore.getState();
    assert.equal(s.list.rows.length, FIRST_PAGE_SIZE);
    assert.equal(s.list.total, 1200);
    await s.loadMore();
    const list = useCaseStore.getState().list;
    assert.equal(list.rows.length, FIRST_PAGE_SIZE + PAGE_SIZE);
    assert.deepEqual(ops('case.list')[0]?.args, { limit: PAGE_SIZE, after: summary(1200 - FIRST_PAGE_SIZE + 1).arriveId });
    assert.equal(new Set(list.rows.map((r) => r.arriveId)).size, list.rows.length, 'no row twice');
  });

  void it('a burst of events: the counts asked for once, each shown row that changed fetched once, nothing else listed again', async () => {
    setStatus(1200, '審査中');
    setStatus(1199, '審査中');
    const s = useCaseStore.getState();
    s.applyCaseEvent(changed(1200));
    s.applyCaseEvent({ type: 'case.comment', arriveId: summary(1200).arriveId, commentCount: 1, commentCountNotRead: 1, added: 1 });
    s.applyCaseEvent(changed(1199));
    s.applyCaseEvent(changed(1200));
    // a case not shown (beyond the pages loaded) is not fetched
    s.applyCaseEvent(changed(3));
    await settle();
    assert.equal(ops('case.counts').length, 1);
    assert.deepEqual(ops('case.get').map((c) => c.args.arriveId).sort(), [summary(1199).arriveId, summary(1200).arriveId]);
    assert.equal(ops('case.list').length, 0);
    const rows = useCaseStore.getState().list.rows;
    assert.deepEqual(rows.slice(0, 3).map((r) => r.status), ['審査中', '審査中', '到達']);
    assert.equal(useCaseStore.getState().revisions[summary(1200).arriveId], 3, 'a shown case hears of each event about it');
  });

  void it('under a status filter a change lists again (the case leaves); a case new to Todoke lists again too', async () => {
    await useCaseStore.getState().setFilter({ status: '到達' });
    calls.length = 0;
    setStatus(1200, '審査中');
    useCaseStore.getState().applyCaseEvent(changed(1200));
    await settle();
    assert.deepEqual(ops('case.list').map((c) => c.args), [{ status: '到達', limit: FIRST_PAGE_SIZE }]);
    assert.equal(useCaseStore.getState().list.total, 1199);
    assert.ok(!useCaseStore.getState().list.rows.some((r) => r.arriveId === summary(1200).arriveId));

    await useCaseStore.getState().setFilter({});
    calls.length = 0;
    cases = [summary(1201), ...cases];
    useCaseStore.getState().applyCaseEvent(changed(1201, { isNew: true, changes: [{ field: 'status', before: null, after: '到達' }], status: '到達' }));
    await settle();
    assert.equal(ops('case.list').length, 1);
    assert.equal(useCaseStore.getState().list.rows[0]?.arriveId, summary(1201).arriveId);
  });

  void it('a page asked for before a change and answered after it: the changed row is fetched again', async () => {
    let release = () => undefined as void;
    gate = new Promise<void>((r) => (release = r));
    const reload = useCaseStore.getState().reload();
    await new Promise((r) => setTimeout(r, 10));
    // the page already holds the case as it was; the change and its event come while it travels
    setStatus(1200, '審査中');
    useCaseStore.getState().applyCaseEvent(changed(1200));
    // the refresh runs (and fetches the row) while the page is still on its way
    await settle();
    assert.equal(ops('case.get').length, 1);
    release();
    gate = null;
    await reload;
    await settle();
    assert.equal(useCaseStore.getState().list.rows[0]?.status, '審査中');
  });
});

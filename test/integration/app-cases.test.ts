// Integration: the case operations through the core's one door (createApp().dispatch), as the 案件
// screens and the dashboard call them, against a real in-process sandbox whose operator (the
// ministry) acts over its admin port: a batch sent with batch.send becomes two cases; the operator
// starts examination of one and sync.now tells exactly that case (case.changed) and stores its
// history; a status no one has seen is kept as it came; pause / resume of the background sync;
// the dashboard's counts; bad arguments refused at the door; before set-up.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CaseCountsView, CaseDetailView, CasePageView, CaseSyncEvent, RecentCaseChangeView, SyncCycleView, SyncStatusView } from '../../src/shared/case.js';
import { ARRIVE_ID_PATTERN, type Envelope } from '../../src/shared/contract.js';
import type { BatchDetailView, BatchView } from '../../src/shared/filing.js';
import { createApp, type App } from '../../src/main/app/create-app.js';
import { isArriveId } from '../../src/main/egov/reference-codec.js';
import { openUses, storePath } from '../../src/main/store/db.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { makeBatchFolders } from '../support/application-folders.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const PASSWORD = 'todoke';
/** the background sync's pace here: often, so that pause / resume show; nothing waits on it */
const INTERVAL_MS = 100;

let sandbox: SandboxHandle;
let w: World;

interface World {
  app: App;
  home: string;
  caseEvents: CaseSyncEvent[];
  syncStatuses: SyncStatusView[];
  batchChanges: BatchView[];
}

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-sandbox-'), formatCheckDelayMs: 0, adminPort: 0 });
  const home = scratchHome('todoke-app-cases-');
  const app = createApp({
    host: 'harness',
    version: 'test',
    home,
    sandbox: async () => ({ baseUrl: sandbox.apiBaseUrl, softwareId: sandbox.softwareIds[0] ?? '', caPem: null }),
    follow: { schedule: [50, 100, 200], intervalMs: 200, backoffMaxMs: 400 },
    poll: { intervalMs: INTERVAL_MS, backoffMaxMs: 4 * INTERVAL_MS },
    onUnexpected: (op, e) => {
      throw new Error(`unexpected failure in ${op}: ${String(e)}`);
    },
  });
  w = { app, home, caseEvents: [], syncStatuses: [], batchChanges: [] };
  app.events.subscribe((event) => {
    if (event.name === 'case.changed') w.caseEvents.push(event.payload);
    if (event.name === 'sync.status') w.syncStatuses.push(event.payload);
    if (event.name === 'batch.changed') w.batchChanges.push(event.payload);
    if (event.name === 'credential.request') setImmediate(() => void app.dispatch('credential.answer', { requestId: event.payload.requestId, secret: PASSWORD }));
  });
  await ok('identity.setup', {
    environment: { kind: 'sandbox' },
    signer: { kind: 'file', fileName: 'yamada-taro.p12', dataBase64: readFileSync(join(pki, 'yamada-taro.p12')).toString('base64'), password: PASSWORD },
    userId: `todoke-cases-${process.pid}`,
    mode: 'register',
  });
});

after(async () => {
  w?.app.close();
  await sandbox?.close();
});

async function ok<T>(name: string, args: unknown = {}, app: App = w.app): Promise<T> {
  const result = (await app.dispatch(name, args)) as Envelope<T>;
  if (!result.ok) assert.fail(`${name} failed: ${result.error.code} ${result.error.messageJa}`);
  return result.value;
}

async function fails(name: string, args: unknown = {}, app: App = w.app): Promise<{ code: string; detail?: Record<string, unknown> }> {
  const result = await app.dispatch(name, args);
  assert.equal(result.ok, false, `${name} ${JSON.stringify(args).slice(0, 80)} should fail`);
  return (result as { ok: false; error: { code: string; detail?: Record<string, unknown> } }).error;
}

/** What the ministry does, over the sandbox's admin port. */
async function operator(action: string, arriveId: string, body: Record<string, string> = {}): Promise<void> {
  const r = await fetch(`${sandbox.adminUrl}/admin/v1/cases/${arriveId}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(r.status, 200, await r.text());
}

async function until<T>(find: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  for (;;) {
    const hit = await find();
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const changedIds = (events: CaseSyncEvent[]) => events.filter((e) => e.type === 'case.changed').map((e) => e.arriveId);

let ids: string[] = [];
let entryId = '';

void describe('cases through the core', () => {
  void test('a batch sent through batch.send: once done, case.list shows its two cases (newest first, linked to the batch), in keyset pages', async () => {
    const sent = await ok<BatchView>('batch.send', { jobId: `job-cases-${process.pid}`, paths: makeBatchFolders(join(w.home, 'data')) });
    entryId = sent.id;
    // the outbox stores the cases with `done`: batch.changed(done) is when a list shows them
    await until(() => w.batchChanges.find((b) => b.id === sent.id && b.state === 'done'));
    const detail = await ok<BatchDetailView>('batch.get', { entryId: sent.id });

    const page = await ok<CasePageView>('case.list', {});
    assert.equal(page.total, 2);
    assert.equal(page.next, null);
    ids = page.cases.map((c) => c.arriveId);
    assert.deepEqual(ids, detail.applications.map((a) => a.arriveId).sort().reverse());
    for (const c of page.cases) {
      assert.equal(c.entryId, sent.id);
      assert.equal(c.sendNumber, sent.sendNumber);
      assert.equal(c.needsReference, false);
      assert.match(c.updatedAt, /^\d{4}-\d{2}-\d{2}T/);
      assert.ok(!('changeSeq' in c));
    }
    const first = await ok<CasePageView>('case.list', { limit: 1 });
    assert.deepEqual([first.cases.map((c) => c.arriveId), first.next, first.total], [[ids[0]], ids[0], 2]);
    const second = await ok<CasePageView>('case.list', { limit: 1, after: first.next });
    assert.deepEqual([second.cases.map((c) => c.arriveId), second.next, second.total], [[ids[1]], null, 2]);

    // filing and cases share one use of the profile's database
    assert.equal(openUses(storePath(w.home, 'default')), 1);
  });

  void test('the operator starts examination of one case: sync.now sends case.changed for exactly that case; case.get shows the new status and its history', async () => {
    const [target, other] = [ids[1]!, ids[0]!];
    const baseline = await ok<SyncCycleView>('sync.now');
    assert.equal(baseline.trackedCases, 2);
    assert.equal(baseline.outcome, 'ok');
    const statusBefore = (await ok<CaseDetailView>('case.get', { arriveId: other })).status;
    w.caseEvents.length = 0;

    await operator('start-exam', target);
    const cycle = await ok<SyncCycleView>('sync.now');
    assert.equal(cycle.outcome, 'ok');
    // the background cycle may have found it first: either way, one case.changed, for that case
    assert.deepEqual(changedIds(w.caseEvents), [target]);
    const event = w.caseEvents.find((e) => e.type === 'case.changed')!;
    assert.ok(event.type === 'case.changed');
    assert.equal(event.status, '審査中');
    assert.equal(event.referenced, true);
    assert.deepEqual(event.newHistory.map((h) => h.processType), ['新規申請', '審査開始通知']);

    const c = await ok<CaseDetailView>('case.get', { arriveId: target });
    assert.equal(c.status, '審査中');
    assert.deepEqual(c.history.map((h) => [h.processType, h.status]), [['新規申請', statusBefore], ['審査開始通知', '審査中']]);
    assert.deepEqual(c.observations.map((o) => o.to), [statusBefore, '審査中']);
    assert.equal(c.reference?.examStartDate.length, 14);
    assert.match(c.reference?.referencedAt ?? '', /^\d{4}-\d{2}-\d{2}T/);
    assert.equal((await ok<CaseDetailView>('case.get', { arriveId: other })).status, statusBefore, 'the other case is untouched');
    assert.deepEqual((await ok<CasePageView>('case.list', { status: '審査中' })).cases.map((x) => x.arriveId), [target]);

    const status = await ok<SyncStatusView>('sync.status');
    assert.equal(status.state, 'running');
    assert.equal(status.intervalMs, INTERVAL_MS);
    assert.ok(status.lastCycle);
    assert.ok(w.syncStatuses.some((s) => s.lastCycle?.outcome === 'ok'), 'sync.status events tell each cycle');
  });

  void test('set-status with a string no one has seen: stored and shown exactly as it came (case.get, case.list, case.counts, case.refresh)', async () => {
    const target = ids[1]!;
    const strange = '審査保留（担当官確認中）＜新＞';
    w.caseEvents.length = 0;
    await operator('set-status', target, { status: strange, processType: '保留通知' });
    await ok<SyncCycleView>('sync.now');
    assert.deepEqual(changedIds(w.caseEvents), [target]);
    const c = await ok<CaseDetailView>('case.get', { arriveId: target });
    assert.equal(c.status, strange);
    assert.deepEqual(c.history.at(-1), { ...c.history.at(-1)!, processType: '保留通知', status: strange });
    assert.deepEqual((await ok<CasePageView>('case.list', { status: strange })).cases.map((x) => x.arriveId), [target]);
    assert.deepEqual((await ok<CasePageView>('case.list', { text: '審査保留' })).total, 0, 'the search looks at numbers and names, not statuses');
    assert.deepEqual((await ok<CasePageView>('case.list', { text: target.slice(-6) })).cases.map((x) => x.arriveId), [target]);
    const counts = await ok<CaseCountsView>('case.counts');
    assert.deepEqual(counts.byStatus.find((s) => s.status === strange), { status: strange, count: 1 });

    // 状況照会 now: nothing new, so no event; the same record
    w.caseEvents.length = 0;
    const refreshed = await ok<CaseDetailView>('case.refresh', { arriveId: target });
    assert.equal(refreshed.status, strange);
    assert.deepEqual(refreshed.history, c.history);
    assert.deepEqual(w.caseEvents, []);
  });

  void test('case.refresh asks 状況照会 at once: a change the sync has not seen yet comes with case.changed', async () => {
    const target = ids[0]!;
    w.caseEvents.length = 0;
    await ok<SyncStatusView>('sync.pause');
    await until(async () => !(await ok<SyncStatusView>('sync.status')).busy);
    await operator('finish', target);
    const c = await ok<CaseDetailView>('case.refresh', { arriveId: target });
    assert.equal(c.status, '手続終了');
    assert.equal(c.history.at(-1)?.processType, '手続終了通知');
    const changed = w.caseEvents.filter((e) => e.type === 'case.changed');
    assert.deepEqual(changed.map((e) => e.arriveId), [target]);
    assert.ok(changed[0]!.type === 'case.changed' && changed[0]!.changes.some((x) => x.field === 'status' && x.after === '手続終了'));
    await ok<SyncStatusView>('sync.resume');
  });

  void test('pause / resume: paused, no background cycle runs; resumed, the next cycle comes at once and finds the change', async () => {
    const target = ids[0]!;
    const paused = await ok<SyncStatusView>('sync.pause');
    assert.deepEqual([paused.state, paused.nextAt], ['paused', null]);
    assert.ok(w.syncStatuses.at(-1)?.state === 'paused', 'sync.status event');
    // a cycle under way finishes; then nothing runs
    await until(async () => !(await ok<SyncStatusView>('sync.status')).busy);
    w.caseEvents.length = 0;
    await operator('set-status', target, { status: '補正待ち（テスト）' });
    await new Promise((r) => setTimeout(r, 5 * INTERVAL_MS));
    assert.deepEqual(w.caseEvents, [], 'no background cycle while paused');
    assert.equal((await ok<SyncStatusView>('sync.status')).state, 'paused');

    const resumed = await ok<SyncStatusView>('sync.resume');
    assert.equal(resumed.state, 'running');
    await until(() => w.caseEvents.find((e) => e.type === 'case.changed' && e.arriveId === target));
    assert.equal((await ok<CaseDetailView>('case.get', { arriveId: target })).status, '補正待ち（テスト）');
  });

  void test('case.counts: per status as sent, and what asks for action (none here: the sandbox sends no 補正, コメント, 公文書 or fee)', async () => {
    const counts = await ok<CaseCountsView>('case.counts');
    assert.equal(counts.total, 2);
    assert.deepEqual(
      counts.byStatus.map((s) => s.count).reduce((a, b) => a + b, 0),
      2,
    );
    const none = { cases: 0, newestStatusDate: null };
    assert.deepEqual([counts.correction, counts.unreadComments, counts.undownloadedDocuments, counts.paymentsWaiting], [none, none, none, none]);
  });

  void test('refused at the door: hostile or malformed 到達番号, a bad cursor, a page too large, bad days, unknown keys; an unknown case is CASE_NOT_FOUND', async () => {
    const hostile = ['../../etc/passwd', '１２３４５６７８９０１２３４５６', '123456789012345', '1234567890123456789', '1234567890123456/x', '', 1234567890123456, null];
    for (const arriveId of hostile) {
      if (typeof arriveId === 'string') assert.equal(isArriveId(arriveId) || ARRIVE_ID_PATTERN.test(arriveId), false, arriveId);
      for (const op of ['case.get', 'case.refresh']) assert.equal((await fails(op, { arriveId })).code, 'INVALID_ARGUMENT', `${op} ${String(arriveId)}`);
    }
    // the contract accepts exactly what the client does
    for (const sample of ['2026010100000001', '202601010000000001', '12345678901234567']) assert.equal(ARRIVE_ID_PATTERN.test(sample), isArriveId(sample));
    for (const args of [
      { after: 'not-a-cursor' },
      { after: ids[0]!.slice(0, 10) },
      { limit: 501 },
      { limit: 0 },
      { limit: 1.5 },
      { limit: '10' },
      { from: '2026-01-01' },
      { to: '20261301' },
      { from: '20260132' },
      { status: 'x'.repeat(257) },
      { applicant: '' },
      { text: 'y'.repeat(129) },
      { sort: 'arrive_id; DROP TABLE arrived_applications' },
      { attention: 'everything' },
      { attention: "correction' OR 1=1 --" },
      { attention: ['correction'] },
      { attention: '' },
    ]) {
      assert.equal((await fails('case.list', args)).code, 'INVALID_ARGUMENT', JSON.stringify(args).slice(0, 60));
    }
    for (const op of ['case.counts', 'sync.status', 'sync.now', 'sync.pause', 'sync.resume', 'sync.configure']) assert.equal((await fails(op, { x: 1 })).code, 'INVALID_ARGUMENT', op);
    assert.equal((await fails('case.get', { arriveId: '9999999999999999' })).code, 'CASE_NOT_FOUND');
    assert.equal((await fails('case.refresh', { arriveId: '9999999999999999' })).code, 'CASE_NOT_FOUND', 'nothing asked of e-Gov for a case Todoke does not track');
    // the filters work together with the bounds
    assert.equal((await ok<CasePageView>('case.list', { from: '20000101', to: '20991231', limit: 500 })).total, 2);
    assert.equal((await ok<CasePageView>('case.list', { to: '20000101' })).total, 0);
    assert.ok(entryId);
  });

  void test('case.recent: the status changes the sync and 状況照会 stored, newest first, with the case\'s names; arrivals are not changes', async () => {
    const { changes } = await ok<{ changes: RecentCaseChangeView[] }>('case.recent', {});
    assert.ok(changes.length > 0);
    // by this point the operator moved ids[0] several times: the newest change is its status now
    const now = await ok<CaseDetailView>('case.get', { arriveId: ids[0]! });
    const newest = changes.find((c) => c.arriveId === ids[0]!)!;
    assert.equal(newest.to, now.status);
    assert.ok(newest.from !== newest.to);
    assert.equal(newest.procedureName, now.procedureName);
    assert.ok(changes.every((c, i) => i === 0 || c.at <= changes[i - 1]!.at), 'newest first');
    assert.equal((await ok<{ changes: RecentCaseChangeView[] }>('case.recent', { limit: 1 })).changes.length, 1);
    for (const args of [{ limit: 0 }, { limit: 51 }, { limit: 1.5 }, { limit: '5' }, { x: 1 }]) assert.equal((await fails('case.recent', args)).code, 'INVALID_ARGUMENT', JSON.stringify(args));
  });

  void test('case.export: the cases under a filter as a CSV Excel opens (BOM, 到達番号 as text) in the exports folder; two in one second do not overwrite each other', async () => {
    const all = await ok<{ path: string; count: number }>('case.export', {});
    assert.equal(all.count, 2);
    assert.equal(dirname(all.path), join(w.home, 'exports'));
    assert.match(basename(all.path), /^案件一覧_\d{8}_\d{6}(_\d+)?\.csv$/);
    const text = readFileSync(all.path, 'utf8');
    assert.ok(text.startsWith('\uFEFF"到達番号"'));
    for (const id of ids) assert.ok(text.includes(`="${id}"`), id);
    assert.equal(text.split('\r\n').length, 4);
    const again = await ok<{ path: string; count: number }>('case.export', {});
    assert.notEqual(again.path, all.path);
    // at once, in the same second: each claims its own name
    const together = await Promise.all([ok<{ path: string }>('case.export', {}), ok<{ path: string }>('case.export', {}), ok<{ path: string }>('case.export', {})]);
    assert.equal(new Set([all.path, again.path, ...together.map((t) => t.path)]).size, 5);
    for (const t of together) assert.ok(readFileSync(t.path, 'utf8').startsWith('\uFEFF"到達番号"'));
    const one = await ok<{ path: string; count: number }>('case.export', { text: ids[0]! });
    assert.equal(one.count, 1);
    assert.ok(readFileSync(one.path, 'utf8').includes(`="${ids[0]!}"`));
    assert.equal((await ok<{ count: number }>('case.export', { status: 'どの案件にもない状況' })).count, 0);
    for (const args of [{ after: ids[0]! }, { limit: 10 }, { attention: 'everything' }, { status: '' }, { from: '2026-01-01' }, { path: '/etc/passwd' }, { text: 'y'.repeat(129) }]) {
      assert.equal((await fails('case.export', args)).code, 'INVALID_ARGUMENT', JSON.stringify(args).slice(0, 60));
    }
  });

  void test('sync.configure: the interval chosen in 設定 is kept for the profile; an app started again uses it, and a pause is kept too', async () => {
    const statuses = w.syncStatuses.length;
    const chosen = await ok<SyncStatusView>('sync.configure', { intervalMinutes: 30 });
    assert.equal(chosen.intervalMs, 30 * 60_000);
    assert.equal(w.syncStatuses.at(-1)?.intervalMs, 30 * 60_000, 'said with sync.status');
    assert.ok(w.syncStatuses.length > statuses);
    // the next cycle is planned again from the last one: no sooner than the new interval allows
    if (chosen.nextAt !== null) assert.ok(Date.parse(chosen.nextAt) - Date.now() > 25 * 60_000, chosen.nextAt);
    // another app on the same profile, as after a restart: its own default (100 ms) gives way to the choice
    const again = createApp({ host: 'harness', version: 'test', home: w.home, poll: { intervalMs: INTERVAL_MS } });
    try {
      await again.started;
      assert.equal((await ok<SyncStatusView>('sync.status', {}, again)).intervalMs, 30 * 60_000);
      assert.equal((await ok<SyncStatusView>('sync.pause', {}, again)).state, 'paused');
    } finally {
      again.close();
    }
    const third = createApp({ host: 'harness', version: 'test', home: w.home, poll: { intervalMs: INTERVAL_MS } });
    try {
      await third.started;
      const kept = await ok<SyncStatusView>('sync.status', {}, third);
      assert.deepEqual([kept.state, kept.intervalMs, kept.nextAt], ['paused', 30 * 60_000, null]);
      assert.equal((await ok<SyncStatusView>('sync.resume', {}, third)).state, 'running');
    } finally {
      third.close();
    }
    for (const args of [{ intervalMinutes: 4 }, { intervalMinutes: 1441 }, { intervalMinutes: 15.5 }, { intervalMinutes: '15' }, { intervalMinutes: null }, { intervalMinutes: -15 }, {}, { intervalMinutes: 15, x: 1 }, { intervalMinutes: 1e308 }]) {
      assert.equal((await fails('sync.configure', args)).code, 'INVALID_ARGUMENT', JSON.stringify(args));
    }
    assert.equal((await ok<SyncStatusView>('sync.configure', { intervalMinutes: 5 })).intervalMs, 5 * 60_000);
    assert.equal((await ok<SyncStatusView>('sync.configure', { intervalMinutes: 1440 })).intervalMs, 1440 * 60_000);
  });

  void test('before set-up: empty answers, the sync idle, and what needs e-Gov says to set up first; no database is made', async () => {
    const home = scratchHome();
    const app = createApp({ host: 'harness', version: 'test', home, poll: { intervalMs: INTERVAL_MS } });
    try {
      await app.started;
      assert.deepEqual(await ok('case.list', {}, app), { cases: [], next: null, total: 0 });
      const counts = await ok<CaseCountsView>('case.counts', {}, app);
      assert.deepEqual([counts.total, counts.byStatus, counts.correction], [0, [], { cases: 0, newestStatusDate: null }]);
      const status = await ok<SyncStatusView>('sync.status', {}, app);
      assert.deepEqual([status.state, status.busy, status.nextAt, status.lastCycle], ['idle', false, null, null]);
      assert.equal((await fails('case.get', { arriveId: '2026010100000001' }, app)).code, 'CASE_NOT_FOUND');
      assert.equal((await fails('case.refresh', { arriveId: '2026010100000001' }, app)).code, 'IDENTITY_NOT_SET_UP');
      assert.equal((await fails('sync.now', {}, app)).code, 'IDENTITY_NOT_SET_UP');
      assert.equal((await ok<SyncStatusView>('sync.pause', {}, app)).state, 'paused', 'kept for when the sync starts');
      assert.equal((await ok<SyncStatusView>('sync.resume', {}, app)).state, 'idle');
      assert.equal((await fails('sync.configure', { intervalMinutes: 30 }, app)).code, 'IDENTITY_NOT_SET_UP');
      assert.equal((await fails('case.export', {}, app)).code, 'IDENTITY_NOT_SET_UP');
      assert.deepEqual(await ok('case.recent', {}, app), { changes: [] });
      assert.equal(existsSync(storePath(home, 'default')), false);
    } finally {
      app.close();
    }
  });

  void test('close() stops the sync and releases the database', () => {
    const path = storePath(w.home, 'default');
    w.app.close();
    assert.equal(openUses(path), 0);
  });
});

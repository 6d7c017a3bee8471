// Unit: the case poller (src/main/sync/poller.ts) and one cycle (src/main/sync/sync-cycle.ts) over
// a scripted gateway: requests per cycle, a failing 状況照会 owed to the next cycle, a capped answer
// asked again in halves, the quiet background that never logs in; the poller's interval, backoff
// with a cap, pause/resume, one cycle in flight. Timers are driven by hand: nothing sleeps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseStatus } from '../../src/shared/case.js';
import type { ArrivedApplication, SendQuery, SendSummary } from '../../src/shared/filing.js';
import { EgovError } from '../../src/main/egov/errors.js';
import { openStore } from '../../src/main/store/db.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { CasePoller, type PollerTimers } from '../../src/main/sync/poller.js';
import { CaseSync, type CycleReport } from '../../src/main/sync/sync-cycle.js';
import { arrivedApplication } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';

const app = (arriveId: string, status = '到達'): ArrivedApplication => arrivedApplication(arriveId, { status });

const summary = (sendNumber: string, applications: ArrivedApplication[]): SendSummary => ({
  sendNumber,
  sendDate: sendNumber.slice(0, 14),
  workStatus: '',
  normalCount: applications.length,
  allCount: applications.length,
  errorCount: 0,
  supplementaryMessage: '',
  errorFileBase64: null,
  applications,
});

const serverError = () => new EgovError('EGOV_SERVER_ERROR', { ja: 'サーバーエラー', en: '500' }, { delivery: 'answered', status: 500 });

/** A scripted e-Gov: sends by 送信番号, each with its applications; a cap on batches per answer. */
function world() {
  const sends = new Map<string, ArrivedApplication[]>();
  const calls: string[] = [];
  let cap = Infinity;
  const failing = new Set<string>();
  const gateway = {
    listSends(_key: string, q: SendQuery): Promise<SendSummary[]> {
      if (!('from' in q)) throw new Error('by day only');
      calls.push(`list ${q.from}-${q.to}`);
      const all = [...sends].filter(([n]) => n.slice(0, 8) >= q.from && n.slice(0, 8) <= q.to).sort(([a], [b]) => (a < b ? 1 : -1));
      return Promise.resolve(all.slice(0, cap).map(([n, apps]) => summary(n, apps.map((a) => ({ ...a })))));
    },
    caseStatus(_key: string, arriveId: string): Promise<CaseStatus> {
      calls.push(`ref ${arriveId}`);
      if (failing.has(arriveId)) return Promise.reject(serverError());
      const a = [...sends.values()].flat().find((x) => x.arriveId === arriveId)!;
      return Promise.resolve({
        arriveId,
        procedureName: '手続',
        amendMessage: '',
        commentMessage: '',
        documentMessage: '',
        payMessage: '',
        status: a.status,
        arriveDate: '20260115100000',
        examStartDate: '',
        examEndDate: '',
        procedureEndDate: '',
        withdrawFlag: '0',
        withdrawType: '0',
        reintroductionFlag: '0',
        history: [{ subId: 1, date: '20260115100000', operatorType: '送信', processType: '新規申請', status: '到達', payNumber: '', payStatus: '', totalFee: '', payExpiredDate: '' }],
      });
    },
  };
  let hasKey = true;
  let logins = 0;
  const session = {
    snapshot: () => Promise.resolve({ hasKey } as never),
    withAccessKey: <T>(fn: (k: string) => Promise<T>) => {
      if (!hasKey) {
        logins++;
        hasKey = true;
      }
      return fn('KEY');
    },
  };
  const store = openStore(scratchHome(), 'p');
  const cases = new CaseStore(store);
  return {
    sends,
    calls,
    failing,
    cases,
    store,
    setCap: (n: number) => (cap = n),
    dropKey: () => (hasKey = false),
    logins: () => logins,
    sync: (opts: { maxSpanDays?: number } = {}) => new CaseSync({ cases, session, gateway, ...opts }),
    track: (sendNumber: string, ids: string[]) => {
      sends.set(sendNumber, ids.map((id) => app(id)));
      cases.storeListed(ids.map((id) => ({ sendNumber, application: app(id) })), new Set());
    },
  };
}

void describe('one cycle', () => {
  void it('nothing changed: one 送信案件一覧 call; one change: that case’s 状況照会 only, stored with its events', async () => {
    const w = world();
    w.track('202601151000000001', ['9002026000000001', '9002026000000002']);
    w.track('202601201000000002', ['9002026000000003']);
    const sync = w.sync();
    let r = await sync.run();
    assert.deepEqual(w.calls, ['list 20260115-20260120']);
    assert.deepEqual([r.changed, r.events, r.failures], [[], [], []]);
    w.sends.get('202601151000000001')![1]!.status = '審査中';
    w.calls.length = 0;
    r = await sync.run();
    assert.deepEqual(w.calls, ['list 20260115-20260120', 'ref 9002026000000002']);
    assert.deepEqual(r.requests, { list: 1, reference: 1 });
    assert.deepEqual(r.events.map((e) => [e.type, e.arriveId]), [['case.changed', '9002026000000002']]);
    assert.equal(w.cases.get('9002026000000002')!.status, '審査中');
    assert.equal(w.cases.get('9002026000000002')!.history.length, 1);
    w.store.close();
  });

  void it('a 500 for one case does not fail the cycle: the change is stored and reported, its 状況照会 owed and asked next cycle', async () => {
    const w = world();
    w.track('202601151000000001', ['9002026000000001', '9002026000000002']);
    const sync = w.sync();
    w.sends.get('202601151000000001')![0]!.status = '審査中';
    w.sends.get('202601151000000001')![1]!.status = '手続終了';
    w.failing.add('9002026000000001');
    let r = await sync.run();
    assert.deepEqual(r.referenced, ['9002026000000002']);
    assert.deepEqual(r.failures.map((f) => [f.kind, 'arriveId' in f ? f.arriveId : '', f.error.code]), [['reference', '9002026000000001', 'EGOV_SERVER_ERROR']]);
    assert.equal(r.failed, false);
    assert.deepEqual(r.events.filter((e) => e.type === 'case.changed').map((e) => e.type === 'case.changed' && [e.arriveId, e.referenced]), [['9002026000000001', false], ['9002026000000002', true]]);
    assert.equal(w.cases.get('9002026000000001')!.needsReference, true);
    w.failing.clear();
    w.calls.length = 0;
    r = await sync.run();
    assert.deepEqual(w.calls, ['list 20260115-20260115', 'ref 9002026000000001']);
    assert.deepEqual(r.events.map((e) => e.type === 'case.changed' && [e.arriveId, e.changes.length, e.newHistory.length]), [['9002026000000001', 0, 1]]);
    assert.equal(w.cases.get('9002026000000001')!.needsReference, false);
    w.store.close();
  });

  void it('a malformed or failed list is that range’s failure: nothing stored from it; every range failing marks the cycle failed', async () => {
    const w = world();
    w.track('202601151000000001', ['9002026000000001']);
    const store = w.cases;
    const broken = new CaseSync({
      cases: store,
      session: { snapshot: () => Promise.resolve({ hasKey: true } as never), withAccessKey: (fn) => fn('K') },
      gateway: {
        listSends: () => Promise.reject(new EgovError('EGOV_MALFORMED_RESPONSE', { ja: '読めない', en: 'bad' }, { delivery: 'answered' })),
        caseStatus: () => Promise.reject(new Error('not asked')),
      },
    });
    const r = await broken.run();
    assert.equal(r.failed, true);
    assert.deepEqual(r.failures.map((f) => f.error.code), ['EGOV_MALFORMED_RESPONSE']);
    assert.equal(store.get('9002026000000001')!.status, '到達');
    w.store.close();
  });

  void it('long ranges are chunked by maxSpanDays; a capped answer is asked again in halves and the cap remembered', async () => {
    const w = world();
    w.track('202601011000000001', ['9002026000000001']);
    w.track('202601051000000002', ['9002026000000002']);
    w.track('202601081000000003', ['9002026000000003']);
    w.track('202603011000000004', ['9002026000000004']);
    w.setCap(2);
    const sync = w.sync({ maxSpanDays: 10 });
    w.sends.get('202601011000000001')![0]!.status = '審査中';
    const r = await sync.run();
    assert.deepEqual(w.calls.filter((c) => c.startsWith('list')), ['list 20260101-20260108', 'list 20260101-20260104', 'list 20260105-20260108', 'list 20260301-20260301']);
    assert.deepEqual(r.changed, ['9002026000000001']);
    assert.equal(sync.noticedCap, 2);
    // the next cycle plans under the cap at once
    w.calls.length = 0;
    await sync.run();
    assert.deepEqual(w.calls, ['list 20260101-20260105', 'list 20260108-20260108', 'list 20260301-20260301']);
    w.store.close();
  });

  void it('quiet: stops at the first call when the session holds no key, never logs in; not quiet: logs in', async () => {
    const w = world();
    w.track('202601151000000001', ['9002026000000001']);
    w.dropKey();
    const r = await w.sync().run({ quiet: true });
    assert.equal(r.needsLogin, true);
    assert.deepEqual(w.calls, []);
    assert.equal(w.logins(), 0);
    const r2 = await w.sync().run();
    assert.equal(r2.needsLogin, false);
    assert.equal(w.logins(), 1);
    w.store.close();
  });
});

/** Timers by hand: fire() runs the pending one. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const timers: PollerTimers = {
    set(fn, ms) {
      pending.set(next, { fn, ms });
      return next++;
    },
    clear(h) {
      pending.delete(h as number);
    },
  };
  return {
    timers,
    delays: () => [...pending.values()].map((p) => p.ms),
    async fire() {
      const [id, p] = [...pending][0]!;
      pending.delete(id);
      p.fn();
      // let the cycle and its bookkeeping settle
      for (let i = 0; i < 20; i++) await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const okReport = (over: Partial<CycleReport> = {}): CycleReport => ({
  startedAt: 0,
  finishedAt: 0,
  trackedCases: 0,
  ranges: [],
  requests: { list: 1, reference: 0 },
  listed: 0,
  changed: [],
  referenced: [],
  failures: [],
  capped: [],
  events: [],
  needsLogin: false,
  failed: false,
  ...over,
});

void describe('CasePoller', () => {
  void it('runs at the interval; backs off doubling on failures up to the cap; back to the interval after a success', async () => {
    const t = manualTimers();
    const outcomes: (CycleReport | Error)[] = [okReport(), okReport({ failed: true }), new Error('boom'), okReport({ failed: true }), okReport({ failed: true }), okReport()];
    const quiets: boolean[] = [];
    const errors: unknown[] = [];
    const poller = new CasePoller({
      sync: { run: (o) => (quiets.push(o?.quiet ?? false), Promise.resolve(outcomes.shift()!).then((x) => (x instanceof Error ? Promise.reject(x) : x))) },
      session: { snapshot: () => Promise.resolve({ hasKey: true } as never) },
      intervalMs: 1000,
      backoffMaxMs: 5000,
      timers: t.timers,
      onError: (e) => errors.push(e),
    });
    poller.start();
    assert.deepEqual(t.delays(), [0]);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      await t.fire();
      seen.push(t.delays()[0]!);
    }
    assert.deepEqual(seen, [1000, 2000, 4000, 5000, 5000, 1000]);
    assert.equal(errors.length, 1);
    assert.ok(quiets.every((q) => q));
    poller.stop();
    assert.deepEqual(t.delays(), []);
  });

  void it('skips (and says so) while nobody is logged in; pause stops the schedule, resume runs at once', async () => {
    const t = manualTimers();
    let hasKey = false;
    let runs = 0;
    const skips: string[] = [];
    const poller = new CasePoller({
      sync: { run: () => (runs++, Promise.resolve(okReport())) },
      session: { snapshot: () => Promise.resolve({ hasKey } as never) },
      intervalMs: 1000,
      timers: t.timers,
      onSkip: (r) => skips.push(r),
    });
    poller.start();
    await t.fire();
    assert.deepEqual([runs, skips], [0, ['no-key']]);
    assert.deepEqual(t.delays(), [1000]);
    hasKey = true;
    poller.pause();
    assert.deepEqual(t.delays(), []);
    assert.equal(poller.state.paused, true);
    poller.resume();
    assert.deepEqual(t.delays(), [0]);
    await t.fire();
    assert.equal(runs, 1);
    poller.stop();
  });

  void it('another interval (設定) counts from the end of the last cycle; a poller backing off keeps its wait', async () => {
    const t = manualTimers();
    let clock = 100_000;
    const outcomes: CycleReport[] = [okReport(), okReport({ failed: true }), okReport()];
    const poller = new CasePoller({
      sync: { run: () => Promise.resolve(outcomes.shift() ?? okReport()) },
      session: { snapshot: () => Promise.resolve({ hasKey: true } as never) },
      intervalMs: 60_000,
      backoffMaxMs: 600_000,
      timers: t.timers,
      now: () => clock,
    });
    poller.start();
    await t.fire(); // the first cycle ends at 100 000
    assert.deepEqual(t.delays(), [60_000]);
    clock += 20_000;
    // longer: due 300 000 after the end, 280 000 from now
    poller.changeInterval(300_000);
    assert.deepEqual(t.delays(), [280_000]);
    assert.equal(poller.intervalMs, 300_000);
    assert.equal(poller.state.nextAt, clock + 280_000);
    // shorter than the time already waited: at once
    clock += 50_000;
    poller.changeInterval(30_000);
    assert.deepEqual(t.delays(), [0]);
    await t.fire(); // fails: backs off from the new interval
    assert.deepEqual(t.delays(), [60_000]);
    poller.changeInterval(120_000);
    assert.deepEqual(t.delays(), [60_000], 'a backing-off poller keeps its wait');
    await t.fire(); // works: the new interval
    assert.deepEqual(t.delays(), [120_000]);
    poller.pause();
    poller.changeInterval(45_000);
    assert.deepEqual(t.delays(), [], 'paused: nothing planned');
    poller.resume();
    assert.deepEqual(t.delays(), [0]);
    for (const bad of [0, -1, Number.NaN, Infinity]) assert.throws(() => poller.changeInterval(bad), RangeError);
    assert.equal(poller.intervalMs, 45_000);
    poller.stop();
  });

  void it('syncNow: not quiet (may log in), waits for a cycle in flight: one cycle at a time', async () => {
    const t = manualTimers();
    let active = 0;
    let most = 0;
    const quiets: boolean[] = [];
    let release: () => void = () => undefined;
    const poller = new CasePoller({
      sync: {
        run: async (o) => {
          quiets.push(o?.quiet ?? false);
          active++;
          most = Math.max(most, active);
          await new Promise<void>((r) => (release = r));
          active--;
          return okReport();
        },
      },
      session: { snapshot: () => Promise.resolve({ hasKey: true } as never) },
      timers: t.timers,
    });
    poller.start();
    void t.fire();
    await new Promise((r) => setImmediate(r));
    const now = poller.syncNow();
    await new Promise((r) => setImmediate(r));
    release();
    await new Promise((r) => setImmediate(r));
    release();
    await now;
    assert.equal(most, 1);
    assert.deepEqual(quiets, [true, false]);
    poller.stop();
  });
});

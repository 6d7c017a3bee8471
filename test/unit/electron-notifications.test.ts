// Unit: OS notifications from the case sync's events (src/main/electron/notifications.ts), with
// Electron's Notification and the timer handed in: one case, one notification that opens it; a
// burst over many cases, one that counts them and opens the list; nothing when the OS cannot show
// notifications or the event is not worth one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NotificationConstructorOptions } from 'electron';
import type { CaseSyncEvent } from '../../src/shared/case.js';
import type { TodokeEvent } from '../../src/shared/contract.js';
import { notifyCaseEvents } from '../../src/main/electron/notifications.js';
import { caseNoticeOf, caseNoticesSummary, paymentNoticesOf } from '../../src/shared/case-notices.js';
import { aPayment } from '../support/payment-fixture.js';

function rig(options: { supported?: boolean } = {}) {
  let listener: ((e: TodokeEvent) => void) | null = null;
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const shown: Array<{ options: NotificationConstructorOptions; click: () => void }> = [];
  const opened: Array<string | null> = [];
  const stop = notifyCaseEvents({
    subscribe: (l) => {
      listener = l;
      return () => {
        listener = null;
      };
    },
    createNotification: (o) => {
      const entry: { options: NotificationConstructorOptions; click: () => void } = { options: o, click: () => undefined };
      return {
        on: (_event, l) => {
          entry.click = l;
        },
        show: () => shown.push(entry),
      };
    },
    isSupported: () => options.supported ?? true,
    // the wording the app uses (src/main/electron/main.ts wires the same functions)
    describe: caseNoticeOf,
    describePayments: paymentNoticesOf,
    word: (n) => ({ title: n.titleJa, body: n.messageJa }),
    summarize: (notices, cases) => {
      const s = caseNoticesSummary(notices, cases);
      return { title: s.titleJa, body: s.messageJa };
    },
    open: (arriveId) => opened.push(arriveId),
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => {
      (t as { cleared: boolean }).cleared = true;
    },
  });
  const emit = (payload: CaseSyncEvent) => listener?.({ name: 'case.changed', payload });
  const fire = () => {
    const t = timers.shift();
    assert.ok(t, 'a timer is pending');
    if (!t.cleared) t.fn();
  };
  return { emit, fire, timers, shown, opened, stop, listening: () => listener !== null, other: (e: TodokeEvent) => listener?.(e) };
}

const changed = (arriveId: string, status: string, before = '到達'): CaseSyncEvent => ({
  type: 'case.changed',
  arriveId,
  isNew: false,
  changes: status === before ? [] : [{ field: 'status', before, after: status }],
  status,
  newHistory: [],
  referenced: true,
});
const correction = (arriveId: string): CaseSyncEvent => ({ type: 'case.correction', arriveId, correctStatus: 'あり', before: 'なし' });

void describe('OS notifications of case events', () => {
  void it('one case: one notification after the gathering pause, worded as described; clicking opens that case', () => {
    const r = rig();
    r.emit(changed('900202600000000001', '審査中'));
    assert.equal(r.shown.length, 0, 'nothing before the pause ends');
    assert.equal(r.timers[0]!.ms, 2000);
    r.fire();
    assert.equal(r.shown.length, 1);
    assert.equal(r.shown[0]!.options.title, '状況が変わりました');
    assert.equal(r.shown[0]!.options.body, '到達番号 900202600000000001 の状況が「到達」から「審査中」に変わりました。');
    r.shown[0]!.click();
    assert.deepEqual(r.opened, ['900202600000000001']);
  });

  void it('a 納付 e-Gov now says is paid: one notification that opens its case; a read that changed no status shows nothing', () => {
    const r = rig();
    const arriveId = '900202600000000007';
    const paid = aPayment({ payNumber: '1000000000000007', totalFee: '15000', status: '納付済', payDate: '20261201' });
    const payments = { arriveId, procedureName: '手続', payments: [paid], fetchedAt: '2026-12-01T00:00:00.000Z' };
    r.other({ name: 'payment.changed', payload: { arriveId, payments, changes: [{ payNumber: paid.payNumber, before: null, after: '未納' }], unlisted: [] } });
    assert.equal(r.timers.length, 0, 'a new 納付 is the sync payment-due notice, not this one');
    r.other({ name: 'payment.changed', payload: { arriveId, payments, changes: [{ payNumber: paid.payNumber, before: '未納', after: '納付済' }], unlisted: [] } });
    r.fire();
    assert.equal(r.shown.length, 1);
    assert.equal(r.shown[0]!.options.title, '納付が確認されました');
    assert.equal(r.shown[0]!.options.body, `到達番号 ${arriveId} の ¥15,000（納付番号 1000000000000007） を e-Gov が納付済としました。`);
    r.shown[0]!.click();
    assert.deepEqual(r.opened, [arriveId]);
  });

  void it('several events of one case: one summary that still opens the case', () => {
    const r = rig();
    r.emit(changed('900202600000000001', '審査中（補正待ち）'));
    r.emit(correction('900202600000000001'));
    assert.equal(r.timers.length, 1, 'one pause for the burst');
    r.fire();
    assert.equal(r.shown.length, 1);
    assert.equal(r.shown[0]!.options.title, '到達番号 900202600000000001 に動きがありました');
    r.shown[0]!.click();
    assert.deepEqual(r.opened, ['900202600000000001']);
  });

  void it('a burst over many cases: one notification counting them; clicking opens the list', () => {
    const r = rig();
    for (let i = 0; i < 100; i++) r.emit(changed(`9002026000000${String(i).padStart(5, '0')}`, '審査中'));
    r.fire();
    assert.equal(r.shown.length, 1);
    assert.equal(r.shown[0]!.options.title, '100 件の案件に動きがありました');
    assert.ok(String(r.shown[0]!.options.body).endsWith('ほか 97 件'));
    r.shown[0]!.click();
    assert.deepEqual(r.opened, [null]);
    // the next burst starts a new pause
    r.emit(correction('900202600000000001'));
    r.fire();
    assert.equal(r.shown.length, 2);
  });

  void it('events not worth a notification, other events and an OS without notifications show nothing', () => {
    const r = rig();
    r.emit(changed('900202600000000001', '到達')); // counters moved, the status did not
    r.emit({ ...changed('900202600000000002', '審査中'), isNew: true } as CaseSyncEvent); // a case only now learnt of
    r.other({ name: 'sync.status', payload: {} as never });
    assert.equal(r.timers.length, 0);
    const quiet = rig({ supported: false });
    quiet.emit(correction('900202600000000001'));
    quiet.fire();
    assert.equal(quiet.shown.length, 0);
  });

  void it('stopping unsubscribes and drops a pending burst', () => {
    const r = rig();
    r.emit(correction('900202600000000001'));
    r.stop();
    assert.equal(r.listening(), false);
    assert.equal(r.timers[0]!.cleared, true);
    r.fire();
    assert.equal(r.shown.length, 0);
  });

  void it('a status of any length (e-Gov text, quoted) is cut to a notification size; surrogate pairs are never split', () => {
    const r = rig();
    r.emit(changed('900202600000000001', '𠮷'.repeat(5000)));
    r.fire();
    const body = String(r.shown[0]!.options.body);
    assert.equal([...body].length, 500);
    assert.ok(body.endsWith('…'));
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(body), 'no lone high surrogate');
  });
});

// Unit: migration 7 and the 電子納付 records (src/main/store/payments.ts). A version-6 database that
// holds data comes through with every row; a read of 電子納付情報一覧 replaces a case's 納付 in one
// transaction and says what changed (new, status before → after); e-Gov's order, problems (JSON) and
// unknown statuses are kept as they came; a 納付 no longer listed is kept and marked; the due list
// joins the case and puts the nearest deadline first; the background's query finds exactly the cases
// whose pay counters moved since their last read; the bank list round-trips.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BankList, Payment, PaymentList } from '../../src/shared/payment.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { openStore, type Store } from '../../src/main/store/db.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/main/store/migrations.js';
import { NOT_LISTED, PaymentStore, PaymentStoreError } from '../../src/main/store/payments.js';
import { arrivedApplication } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';
import { aPayment } from '../support/payment-fixture.js';

const A = '9002026000000001';
const B = '9002026000000002';
const C = '9002026000000003';
const SEND = '202601151000000001';

const pay = (n: number, over: Partial<Payment> = {}): Payment => aPayment({ payNumber: String(1000_0000_0000_0000 + n), ...over });

function list(arriveId: string, payments: Payment[], procedureName = '資格取得届'): PaymentList {
  return { arriveId, procedureName, payments };
}

function open(): { store: Store; payments: PaymentStore; cases: CaseStore; clock: { t: number } } {
  const clock = { t: Date.UTC(2026, 2, 1, 3, 0, 0) };
  const store = openStore(scratchHome('todoke-payments-'), 'p');
  return { store, payments: new PaymentStore(store, { now: () => clock.t }), cases: new CaseStore(store, { now: () => clock.t }), clock };
}

const statuses = (s: PaymentStore, arriveId: string) => s.payments(arriveId).map((p) => [p.payNumber, p.status, p.listed]);

void describe('migration 7 on a version-6 database that holds data', () => {
  it('keeps every row and adds the payment tables, empty and checked', () => {
    const home = scratchHome('todoke-payments-');
    const v6 = openStore(home, 'p', MIGRATIONS.slice(0, 6));
    new CaseStore(v6, { now: () => 1000 }).storeListed([{ sendNumber: SEND, application: arrivedApplication(A, { payStatus: '未納', payWaitCount: 1 }) }], new Set());
    const before = v6.db.prepare('SELECT * FROM arrived_applications ORDER BY rowid').all();
    v6.close();
    const store = openStore(home, 'p');
    try {
      assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      assert.deepEqual(store.db.prepare('SELECT * FROM arrived_applications ORDER BY rowid').all(), before);
      for (const t of ['payments', 'payment_reads', 'bank_lists']) assert.deepEqual(store.db.prepare(`SELECT count(*) AS n FROM ${t}`).get(), { n: 0 }, t);
      assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
      const insert = store.db.prepare(
        `INSERT INTO payments (arrive_id, pay_number, occurrence, position, confirm_number, facility_number, pay_name_kana, deadline, total_fee, status,
           pay_date, memo, pay_flag, problems, listed, first_seen_at, updated_at) VALUES (?, 'n', ?, ?, '', '', '', '', '', '', '', '', '', '[]', ?, 1, 1)`,
      );
      assert.throws(() => insert.run(A, 0, -1, 1), /CHECK/);
      assert.throws(() => insert.run(A, -1, 0, 1), /CHECK/);
      assert.throws(() => insert.run(A, 0, 0, 2), /CHECK/);
      insert.run(A, 0, 0, 1);
      assert.throws(() => insert.run(A, 0, 1, 1), /UNIQUE/);
      assert.throws(() => store.db.prepare("INSERT INTO bank_lists (id, list, fetched_at) VALUES (2, '{}', 1)").run(), /CHECK/);
      // the case triggers of migration 6 still work beside the new tables
      new CaseStore(store, { now: () => 3000 }).storeListed([{ sendNumber: SEND, application: arrivedApplication(A, { status: '審査終了' }) }], new Set());
      assert.equal(new CaseStore(store).get(A)!.observations.length, 2);
    } finally {
      store.close();
    }
  });
});

void describe('PaymentStore.replaceCase', () => {
  it('says which 納付 are new, then which changed status, before and after; an identical read changes nothing', () => {
    const { payments } = open();
    const first = payments.replaceCase(list(A, [pay(1), pay(2, { status: '納付期限切れ' })]), null);
    assert.deepEqual(first, {
      changes: [
        { payNumber: pay(1).payNumber, before: null, after: '未納' },
        { payNumber: pay(2).payNumber, before: null, after: '納付期限切れ' },
      ],
      unlisted: [],
    });
    assert.deepEqual(payments.replaceCase(list(A, [pay(1), pay(2, { status: '納付期限切れ' })]), null), { changes: [], unlisted: [] });
    const paid = payments.replaceCase(list(A, [pay(1, { status: '納付済', payDate: '20260302' }), pay(2, { status: '納付期限切れ' })]), null);
    assert.deepEqual(paid.changes, [{ payNumber: pay(1).payNumber, before: '未納', after: '納付済' }]);
    assert.equal(payments.payment(A, pay(1).payNumber)[0]!.payDate, '20260302');
  });

  it('keeps every field as sent: e-Gov order, problems as JSON, an unknown status, hostile text', () => {
    const { payments } = open();
    const odd = pay(3, {
      status: '処理中（未知）',
      totalFee: '12,000',
      deadline: '2099-12-31',
      memo: `"quoted" \\ '; DROP TABLE payments; -- \u0000\u001b ${'長'.repeat(10_000)}`,
      problems: ['金額が数字ではありません', 'Todoke の知らない状況です: "処理中"', '[]{}'],
    });
    payments.replaceCase(list(A, [pay(9), odd, pay(1)]), null);
    const kept = payments.payments(A);
    assert.deepEqual(
      kept.map((p) => p.payNumber),
      [pay(9).payNumber, pay(3).payNumber, pay(1).payNumber],
    );
    assert.deepEqual(kept[1], { ...odd, listed: true });
    // a later read in another order is the order shown
    payments.replaceCase(list(A, [pay(1), pay(9), odd]), null);
    assert.deepEqual(
      payments.payments(A).map((p) => p.payNumber),
      [pay(1).payNumber, pay(9).payNumber, pay(3).payNumber],
    );
    assert.deepEqual(payments.forCase(A).payments[2], odd);
  });

  it('is one transaction: a 納付 that cannot be stored leaves the case as it was, and no read recorded', () => {
    const { payments, clock } = open();
    payments.replaceCase(list(A, [pay(1)]), { payStatus: '未納', payWaitCount: 1 });
    const before = payments.forCase(A);
    clock.t += 60_000;
    const broken = pay(2, { totalFee: null as unknown as string });
    assert.throws(() => payments.replaceCase(list(A, [pay(1, { status: '納付済' }), broken], '別名'), { payStatus: '納付済', payWaitCount: 0 }), /NOT NULL/);
    assert.deepEqual(payments.forCase(A), before);
    assert.deepEqual(statuses(payments, A), [[pay(1).payNumber, '未納', true]]);
  });

  it('keeps a 納付 the next read no longer lists, marked and shown with a note, out of the due list; listed again when it comes back', () => {
    const { payments } = open();
    payments.replaceCase(list(A, [pay(1), pay(2)]), null);
    const gone = payments.replaceCase(list(A, [pay(2)]), null);
    assert.deepEqual(gone, { changes: [], unlisted: [pay(1).payNumber] });
    assert.deepEqual(statuses(payments, A), [
      [pay(2).payNumber, '未納', true],
      [pay(1).payNumber, '未納', false],
    ]);
    const view = payments.forCase(A);
    assert.deepEqual(view.payments[1]!.problems, [NOT_LISTED]);
    assert.deepEqual(view.payments[0]!.problems, []);
    assert.deepEqual(
      payments.unpaid().map((p) => p.payNumber),
      [pay(2).payNumber],
    );
    // an empty answer unlists every one, and says so once
    assert.deepEqual(payments.replaceCase(list(A, []), null), { changes: [], unlisted: [pay(2).payNumber] });
    assert.deepEqual(payments.replaceCase(list(A, []), null), { changes: [], unlisted: [] });
    assert.equal(payments.forCase(A).payments.length, 2);
    assert.deepEqual(payments.replaceCase(list(A, [pay(1)]), null), { changes: [], unlisted: [] });
    assert.equal(payments.payment(A, pay(1).payNumber)[0]!.listed, true);
  });

  it('keeps both entries when e-Gov lists one 納付番号 twice, in order; an empty 納付番号 too', () => {
    const { payments } = open();
    const twice = [pay(1, { totalFee: '100' }), pay(1, { totalFee: '200' }), pay(0, { payNumber: '' }), pay(0, { payNumber: '' })];
    const r = payments.replaceCase(list(A, twice), null);
    assert.equal(r.changes.length, 4);
    assert.deepEqual(
      payments.payment(A, pay(1).payNumber).map((p) => p.totalFee),
      ['100', '200'],
    );
    assert.deepEqual(payments.replaceCase(list(A, twice), null), { changes: [], unlisted: [] });
    assert.deepEqual(payments.replaceCase(list(A, twice.slice(0, 1)), null).unlisted, [pay(1).payNumber, '', '']);
  });

  it('stores a list of 1000 (the codec limit) and reads it back in order', () => {
    const { payments } = open();
    const many = Array.from({ length: 1000 }, (_, i) => pay(i, { memo: 'x'.repeat(500) }));
    assert.equal(payments.replaceCase(list(A, many), null).changes.length, 1000);
    const back = payments.forCase(A).payments;
    assert.equal(back.length, 1000);
    assert.deepEqual(
      back.map((p) => p.payNumber),
      many.map((p) => p.payNumber),
    );
    assert.equal(payments.unpaid().length, 1000);
  });
});

void describe('PaymentStore reads', () => {
  it('forCase before any read: nothing, never fetched; after: the procedure name and the time of the read', () => {
    const { payments, clock } = open();
    assert.deepEqual(payments.forCase(A), { arriveId: A, procedureName: '', payments: [], fetchedAt: null });
    payments.replaceCase(list(A, [], '健康保険資格取得届'), null);
    assert.deepEqual(payments.forCase(A), { arriveId: A, procedureName: '健康保険資格取得届', payments: [], fetchedAt: new Date(clock.t).toISOString() });
  });

  it('unpaid: only 未納 across cases, nearest deadline first, unreadable deadlines last, with the names of tracked cases', () => {
    const { payments, cases } = open();
    cases.storeListed([{ sendNumber: SEND, application: arrivedApplication(A, { applicantName: '山田 花子' }) }], new Set());
    payments.replaceCase(list(A, [pay(1, { deadline: '20260410' }), pay(2, { deadline: '20260301', status: '納付済' }), pay(3, { deadline: '2026年4月1日' })], 'A の手続'), null);
    payments.replaceCase(list(B, [pay(4, { deadline: '20260320' }), pay(5, { deadline: '20260320', status: '納付期限切れ' }), pay(6, { status: '謎' })], ''), null);
    const due = payments.unpaid();
    assert.deepEqual(
      due.map((d) => [d.payNumber, d.arriveId, d.deadline]),
      [
        [pay(4).payNumber, B, '20260320'],
        [pay(1).payNumber, A, '20260410'],
        [pay(3).payNumber, A, '2026年4月1日'],
      ],
    );
    assert.deepEqual([due[1]!.applicantName, due[1]!.procedureName], ['山田 花子', 'A の手続']);
    // a case not tracked (read by number): no applicant, and no procedure name when e-Gov gave none
    assert.deepEqual([due[0]!.applicantName, due[0]!.procedureName], ['', '']);
  });

  it('casesToRead: a case with a fee never read; not again once read with the same counters; again when they move; a no-fee case never', () => {
    const { payments, cases } = open();
    const store = (arriveId: string, payStatus: string, payWaitCount: number) =>
      cases.storeListed([{ sendNumber: SEND, application: arrivedApplication(arriveId, { payStatus, payWaitCount }) }], new Set());
    store(A, '-', 0);
    store(B, '未納', 1);
    store(C, '', 0);
    assert.deepEqual(payments.casesToRead(), [{ arriveId: B, payStatus: '未納', payWaitCount: 1 }]);
    payments.replaceCase(list(B, [pay(1)]), payments.caseCounters(B));
    assert.deepEqual(payments.casesToRead(), []);
    // paid at the bank: the next 送信案件一覧 moves the counters
    store(B, '納付済', 0);
    assert.deepEqual(payments.casesToRead(), [{ arriveId: B, payStatus: '納付済', payWaitCount: 0 }]);
    payments.replaceCase(list(B, [pay(1, { status: '納付済' })]), payments.caseCounters(B));
    assert.deepEqual(payments.casesToRead(), []);
    // a case read before whose counters went back to "no fee" is read again (its 納付 may have gone)
    store(B, '-', 0);
    assert.deepEqual(
      payments.casesToRead().map((c) => c.arriveId),
      [B],
    );
    // counters taken before a read that the sync moved meanwhile: still different, read again
    store(A, '未納', 1);
    const taken = payments.caseCounters(A);
    store(A, '未納', 2);
    payments.replaceCase(list(A, [pay(2), pay(3)]), taken);
    assert.ok(payments.casesToRead().some((c) => c.arriveId === A));
    // a case that is not tracked reads as null counters; a read of it is never the background's to repeat
    assert.equal(payments.caseCounters('9002026999999999'), null);
    payments.replaceCase(list('9002026999999999', [pay(7)]), null);
    assert.ok(!payments.casesToRead().some((c) => c.arriveId === '9002026999999999'));
  });

  it('the bank list: none at first, kept with its time, replaced, an unreadable row refused with a typed error', () => {
    const { payments, store, clock } = open();
    assert.equal(payments.banks(), null);
    const banks: BankList = {
      banks: [{ group: 'bank', initial: 'と', name: 'とどけ銀行', serviceName: null, url: 'https://bank.example/' }],
      skipped: [{ group: 'bank', initial: 'ぎ', name: '擬似', url: 'http://x', reason: 'http です' }],
      listDate: '20150326',
    };
    assert.deepEqual(payments.putBanks(banks), { ...banks, fetchedAt: new Date(clock.t).toISOString() });
    assert.deepEqual(payments.banks(), { ...banks, fetchedAt: new Date(clock.t).toISOString() });
    clock.t += 1000;
    payments.putBanks({ ...banks, banks: [] });
    assert.deepEqual(payments.banks()!.banks, []);
    assert.equal(payments.banks()!.fetchedAt, new Date(clock.t).toISOString());
    for (const bad of ['{truncated', '{}', '[]', 'null', '{"banks":[],"skipped":{},"listDate":""}', '{"banks":[],"skipped":[],"listDate":7}']) {
      store.db.prepare('UPDATE bank_lists SET list = ?').run(bad);
      assert.throws(
        () => payments.banks(),
        (e: unknown) => e instanceof PaymentStoreError && e.code === 'PAYMENT_STORE_INVALID' && /読み直して/.test(e.messageJa),
        bad,
      );
    }
  });
});

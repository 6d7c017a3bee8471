// Unit: the case repository (src/main/store/cases.ts) and migration 3 — a version-2 database that
// holds an outbox entry and its arrived applications is brought up with its data (cursor, observed
// status); 状況照会 and history stored; the "changed since" cursor, whoever writes; the list's
// filters, pages and counts at 10,000 cases on their indexes (query plans, no timing).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseStatus } from '../../src/shared/case.js';
import type { ArrivedApplication } from '../../src/shared/filing.js';
import { openStore, type Store } from '../../src/main/store/db.js';
import { MIGRATIONS } from '../../src/main/store/migrations.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { Outbox } from '../../src/main/store/outbox.js';
import { arrivedApplication as app } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';

const SEND = '202601151000000001';

function insertEntry(store: Store, id: string, sendNumber: string): void {
  store.db
    .prepare(
      `INSERT INTO outbox_entries (id, profile, user_id, kind, state, request_bytes, request_size, request_sha256, source_paths, content_sha256,
         application_count, folder_names, applicant_names, created_at, updated_at, send_number)
       VALUES (?, 'p', 'user1', 'batch', 'done', x'00', 1, ?, '[]', ?, 1, '["f"]', '["n"]', 1, 1, ?)`,
    )
    .run(id, 'a'.repeat(64), 'b'.repeat(64), sendNumber);
}

function insertApplicationV2(store: Store, a: ArrivedApplication, entryId: string | null, sendNumber: string, at: number): void {
  store.db
    .prepare(
      `INSERT INTO arrived_applications (arrive_id, entry_id, send_number, ministry_name, procedure_name, procedure_folder_name, applicant_name,
         corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status, comment_count_not_read, comment_count,
         doc_count_not_download, doc_count, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(a.arriveId, entryId, sendNumber, a.ministryName, a.procedureName, a.procedureFolderName, a.applicantName, a.corporationName, a.departmentName, a.status, a.statusDate, a.payStatus, a.payWaitCount, a.correctStatus, a.commentCountNotRead, a.commentCount, a.docCountNotDownload, a.docCount, at);
}

function reference(arriveId: string, over: Partial<CaseStatus> = {}): CaseStatus {
  return {
    arriveId,
    procedureName: '健康保険・厚生年金保険被保険者資格取得届',
    amendMessage: '',
    commentMessage: '',
    documentMessage: '',
    payMessage: '',
    status: '審査中',
    arriveDate: '20260115100500',
    examStartDate: '20260116090000',
    examEndDate: '',
    procedureEndDate: '',
    withdrawFlag: '0',
    withdrawType: '0',
    reintroductionFlag: '0',
    history: [
      { subId: 1, date: '20260115100500', operatorType: '送信', processType: '新規申請', status: '到達', payNumber: '', payStatus: '', totalFee: '', payExpiredDate: '' },
      { subId: 2, date: '20260116090000', operatorType: '受信', processType: '審査開始通知', status: '審査中', payNumber: '', payStatus: '', totalFee: '', payExpiredDate: '' },
    ],
    ...over,
  };
}

void describe('migration 3 on a version-2 database that holds data', () => {
  void it('keeps every case, links and counters; gives each a cursor in write order and its status as first observed; asks no 状況照会 of them', () => {
    const home = scratchHome();
    const v2 = openStore(home, 'p', MIGRATIONS.slice(0, 2));
    assert.equal(v2.db.pragma('user_version', { simple: true }), 2);
    insertEntry(v2, 'e1', SEND);
    insertApplicationV2(v2, app('9002026000000002', { status: '審査中' }), 'e1', SEND, 1000);
    insertApplicationV2(v2, app('9002026000000001'), 'e1', SEND, 2000);
    insertApplicationV2(v2, app('9002026000000003', { status: '謎の状況' }), null, '202601161000000002', 3000);
    v2.close();

    const store = openStore(home, 'p');
    try {
      assert.equal(store.db.pragma('user_version', { simple: true }), MIGRATIONS.at(-1)!.version);
      const cases = new CaseStore(store);
      const first = cases.get('9002026000000002')!;
      assert.equal(first.entryId, 'e1');
      assert.equal(first.sendNumber, SEND);
      assert.equal(first.status, '審査中');
      assert.equal(first.needsReference, false);
      assert.equal(first.reference, null);
      assert.deepEqual(first.history, []);
      assert.deepEqual(first.observations, [{ at: 1000, from: null, to: '審査中', statusDate: '20260115100500' }]);
      assert.equal(cases.get('9002026000000003')!.status, '謎の状況');
      assert.deepEqual(cases.changedSince(0).cases.map((c) => c.arriveId), ['9002026000000002', '9002026000000001', '9002026000000003']);
      // the outbox still reads its applications
      assert.equal(new Outbox(store).applications('e1').length, 2);
    } finally {
      store.close();
    }
  });
});

void describe('CaseStore', () => {
  function fresh(now = () => 5000) {
    const store = openStore(scratchHome(), 'p');
    insertEntry(store, 'e1', SEND);
    return { store, cases: new CaseStore(store, { now }) };
  }

  void it('storeListed: a new case linked to the outbox entry of its 送信番号; the cursor moves with a change, not with the same values written again', () => {
    const { store, cases } = fresh();
    try {
      cases.storeListed([{ sendNumber: SEND, application: app('9002026000000001') }, { sendNumber: '202601161000000009', application: app('9002026000000002') }], new Set());
      assert.equal(cases.get('9002026000000001')!.entryId, 'e1');
      assert.equal(cases.get('9002026000000002')!.entryId, null);
      const { cursor } = cases.changedSince(0);
      cases.storeListed([{ sendNumber: SEND, application: app('9002026000000001') }], new Set());
      assert.deepEqual(cases.changedSince(cursor).cases, []);
      cases.storeListed([{ sendNumber: SEND, application: app('9002026000000001', { status: '審査中（補正待ち）', correctStatus: 'あり' }) }], new Set(['9002026000000001']));
      const changed = cases.changedSince(cursor);
      assert.deepEqual(changed.cases.map((c) => [c.arriveId, c.status, c.needsReference]), [['9002026000000001', '審査中（補正待ち）', true]]);
      assert.deepEqual(cases.observations('9002026000000001').map((o) => [o.from, o.to]), [[null, '到達'], ['到達', '審査中（補正待ち）']]);
      assert.throws(() => cases.storeListed([{ sendNumber: '202601171000000003', application: app('9002026000000001') }], new Set()), { code: 'CASE_INVALID' });
    } finally {
      store.close();
    }
  });

  void it('recentChanges: the newest status changes across cases with their names, arrivals left out, at most the limit', () => {
    let t = 1000;
    const { store, cases } = fresh(() => t);
    try {
      const [a, b] = ['9002026000000001', '9002026000000002'];
      cases.storeListed([{ sendNumber: SEND, application: app(a, { applicantName: '山田　花子' }) }, { sendNumber: SEND, application: app(b) }], new Set());
      assert.deepEqual(cases.recentChanges(10), [], 'arriving is not a change');
      t = 2000;
      cases.storeListed([{ sendNumber: SEND, application: app(a, { status: '審査中' }) }], new Set());
      t = 3000;
      cases.storeListed([{ sendNumber: SEND, application: app(b, { status: '審査中' }) }], new Set());
      t = 4000;
      cases.storeListed([{ sendNumber: SEND, application: app(a, { status: '手続終了' }) }], new Set());
      const recent = cases.recentChanges(10);
      assert.deepEqual(recent.map((c) => [c.arriveId, c.at, c.from, c.to]), [
        [a, 4000, '審査中', '手続終了'],
        [b, 3000, '到達', '審査中'],
        [a, 2000, '到達', '審査中'],
      ]);
      assert.equal(recent[0]!.applicantName, '山田 太郎', 'the case as it is now');
      assert.ok(recent[0]!.procedureName.length > 0);
      assert.deepEqual(cases.recentChanges(2).map((c) => c.at), [4000, 3000]);
      // a limit out of range is brought into it
      assert.equal(cases.recentChanges(0).length, 1);
      assert.equal(cases.recentChanges(Number.NaN).length, 1);
      assert.equal(cases.recentChanges(1e9).length, 3);
    } finally {
      store.close();
    }
  });

  void it('the outbox storing a batch moves the cursor too (triggers, whoever writes)', () => {
    const { store, cases } = fresh();
    try {
      const outbox = new Outbox(store);
      outbox.storeApplications('e1', [app('9002026000000005')]);
      assert.deepEqual(cases.changedSince(0).cases.map((c) => c.arriveId), ['9002026000000005']);
      const { cursor } = cases.changedSince(0);
      outbox.storeApplications('e1', [app('9002026000000005')]);
      assert.deepEqual(cases.changedSince(cursor).cases, []);
    } finally {
      store.close();
    }
  });

  void it('storeReference: dates, flags and history stored; only new SubIDs returned; the owed 状況照会 cleared; a case not held is not stored', () => {
    let t = 7000;
    const { store, cases } = fresh(() => t);
    try {
      cases.storeListed([{ sendNumber: SEND, application: app('9002026000000001') }], new Set(['9002026000000001']));
      const added = cases.storeReference(reference('9002026000000001'))!;
      assert.deepEqual(added.map((e) => e.subId), [1, 2]);
      t = 8000;
      assert.deepEqual(cases.storeReference(reference('9002026000000001')), []);
      const c = cases.get('9002026000000001')!;
      assert.equal(c.needsReference, false);
      assert.equal(c.status, '審査中');
      assert.deepEqual(c.reference, {
        arriveDate: '20260115100500',
        examStartDate: '20260116090000',
        examEndDate: '',
        procedureEndDate: '',
        amendMessage: '',
        commentMessage: '',
        documentMessage: '',
        payMessage: '',
        withdrawFlag: '0',
        withdrawType: '0',
        reintroductionFlag: '0',
        referencedAt: 8000,
      });
      assert.deepEqual(c.history.map((e) => e.processType), ['新規申請', '審査開始通知']);
      assert.deepEqual(c.observations.map((o) => [o.at, o.to]), [[7000, '到達'], [7000, '審査中']]);
      assert.equal(cases.storeReference(reference('9002026999999999')), null);
    } finally {
      store.close();
    }
  });

  void it('at 10,000 cases: filters, keyset pages, counts by status and the cursor, each on its index', () => {
    const { store, cases } = fresh();
    try {
      const statuses = ['到達', '審査中', '審査終了', '手続終了', '見たことのない状況'];
      const listed: { sendNumber: string; application: ArrivedApplication }[] = [];
      for (let i = 0; i < 10_000; i++) {
        const day = String(1 + (i % 28)).padStart(2, '0');
        listed.push({
          sendNumber: `202601${day}100000${String(i % 100).padStart(4, '0')}`,
          application: app(`9002026${String(i).padStart(9, '0')}`, {
            status: statuses[i % 5]!,
            applicantName: `申請者${i % 50}`,
            procedureName: `手続${i % 7}`,
          }),
        });
      }
      // one 到達番号 per batch: distinct 送信番号 per (day, i % 100)
      store.db.transaction(() => cases.storeListed(listed, new Set()))();
      assert.equal(cases.count(), 10_000);
      assert.deepEqual(cases.countsByStatus().map((r) => r.count), [2000, 2000, 2000, 2000, 2000]);
      assert.equal(cases.count({ status: '見たことのない状況' }), 2000);
      assert.equal(cases.count({ applicant: '申請者7', procedure: '手続3' }), listed.filter((l) => l.application.applicantName === '申請者7' && l.application.procedureName === '手続3').length);
      assert.equal(cases.count({ from: '20260101', to: '20260102' }), listed.filter((l) => l.sendNumber < '20260103').length);
      assert.equal(cases.count({ text: '9002026000001234' }), 1);
      assert.equal(cases.count({ text: '申請者4' }), 2200); // 申請者4, 申請者40…49
      // keyset pages: newest first, no gap, no repeat
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = cases.list({ status: '審査中', limit: 700, ...(after !== undefined ? { after } : {}) });
        seen.push(...page.cases.map((c) => c.arriveId));
        if (page.next === null) break;
        after = page.next;
      }
      assert.equal(seen.length, 2000);
      assert.equal(new Set(seen).size, 2000);
      assert.deepEqual(seen, [...seen].sort().reverse());

      const plan = (sql: string, ...params: unknown[]) =>
        (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      assert.match(plan("SELECT arrive_id FROM arrived_applications WHERE status = ? ORDER BY arrive_id DESC LIMIT 100", '審査中'), /USING (COVERING )?INDEX arrived_applications_by_status/);
      assert.match(plan("SELECT arrive_id FROM arrived_applications WHERE procedure_name = ? ORDER BY arrive_id DESC LIMIT 100", 'x'), /arrived_applications_by_procedure/);
      assert.match(plan("SELECT arrive_id FROM arrived_applications WHERE applicant_name = ? ORDER BY arrive_id DESC LIMIT 100", 'x'), /arrived_applications_by_applicant/);
      assert.match(plan('SELECT arrive_id FROM arrived_applications WHERE change_seq > ? ORDER BY change_seq LIMIT 100', 5), /arrived_applications_by_change/);
      assert.match(plan('SELECT status, count(*) FROM arrived_applications GROUP BY status'), /COVERING INDEX arrived_applications_by_status/);
      assert.doesNotMatch(plan('SELECT arrive_id FROM arrived_applications ORDER BY arrive_id DESC LIMIT 100'), /TEMP B-TREE/);
    } finally {
      store.close();
    }
  });

  void it('the attention filter picks the cases the dashboard counts as needing action, nothing else', () => {
    const { store, cases } = fresh();
    try {
      cases.storeListed(
        [
          app('9002026000000001'),
          app('9002026000000002', { correctStatus: 'あり' }),
          app('9002026000000003', { correctStatus: '' }),
          app('9002026000000004', { commentCountNotRead: 1, commentCount: 1 }),
          app('9002026000000005', { docCountNotDownload: 2, docCount: 2 }),
          app('9002026000000006', { docCount: 1, commentCount: 3 }),
          app('9002026000000007', { payWaitCount: 1, correctStatus: '補正待ち（新）' }),
        ].map((application) => ({ sendNumber: SEND, application })),
        new Set(),
      );
      const ids = (attention: Parameters<CaseStore['list']>[0] & object) => cases.list(attention).cases.map((c) => c.arriveId.slice(-1));
      assert.deepEqual(ids({ attention: 'correction' }), ['7', '2']);
      assert.deepEqual(ids({ attention: 'unread-comments' }), ['4']);
      assert.deepEqual(ids({ attention: 'undownloaded-documents' }), ['5']);
      assert.deepEqual(ids({ attention: 'payments-waiting' }), ['7']);
      assert.equal(cases.count({ attention: 'correction', text: '9002026000000002' }), 1);
    } finally {
      store.close();
    }
  });

  void it('refuses a malformed date filter; a limit is kept within 1–1000', () => {
    const { store, cases } = fresh();
    try {
      assert.throws(() => cases.list({ from: '2026-01-01' }), { code: 'CASE_INVALID' });
      assert.deepEqual(cases.list({ limit: 0 }), { cases: [], next: null });
    } finally {
      store.close();
    }
  });
});

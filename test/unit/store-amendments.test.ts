// Unit: migration 6 and the store's 補正 rules. A version-4 database holding a batch, a delivered 取下げ,
// cases with history and observed statuses — and a table of a later step that refers to the cases
// with ON DELETE CASCADE — is brought up with every row and value (the rebuild runs with foreign keys
// off, so nothing cascades away), the links and triggers working on the new tables. Then the outbox:
// a 補正 names its case and its API; never two open at once (the check and the unique index); one
// delivered or refused leaves room; the arrival stores the 補正 as a case linked to its original
// (a 部分補正 keeps the case); the sync follows 補正 cases by 状況照会 and the lists leave them alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AmendmentReceipt } from '../../src/shared/documents.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { openStore, type Store } from '../../src/main/store/db.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/main/store/migrations.js';
import { Outbox, type NewOutboxEntry } from '../../src/main/store/outbox.js';
import { arrivedApplication as app } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';

const SEND = '202601151000000001';
const A = '9002026000000001';
const B = '9002026000000002';
const W = '9002026000000009';
const N = '9002026000000010';

const amendmentEntry = (target: string, over: Partial<NewOutboxEntry> = {}): NewOutboxEntry => ({
  userId: 'user1',
  kind: 'amendment',
  amendmentKind: 'amendapply',
  targetArriveId: target,
  request: Buffer.from(`<DataRoot>${target}</DataRoot>`),
  sourcePaths: [],
  contentSha256: 'd'.repeat(64),
  applicationCount: 1,
  folderNames: ['900A010200001000(1)'],
  applicantNames: ['ほげ　ほげ'],
  ...over,
});

function receipt(over: Partial<AmendmentReceipt> = {}): AmendmentReceipt {
  return {
    arriveId: A,
    newArriveId: N,
    procedureName: 'ＡＰＩテスト用手続',
    arriveDate: '20260201100000',
    arriveResult: '到達',
    applyType: '補正',
    ministryName: 'デグレ省',
    receptionDesk: '総務省,行政管理局,API',
    applicantName: 'ほげ　ほげ',
    formNames: ['様式', 'テスト添付書類１'],
    fileNames: ['900A01020000100001_01.xml', 'tenpu.txt'],
    orgDistFileSend: '',
    ...over,
  };
}

function withCases(now = () => 5000): { store: Store; outbox: Outbox; cases: CaseStore } {
  const store = openStore(scratchHome(), 'p');
  const cases = new CaseStore(store, { now });
  cases.storeListed([{ sendNumber: SEND, application: app(A) }, { sendNumber: SEND, application: app(B, { procedureFolderName: '900A010002008000(1)' }) }], new Set());
  return { store, outbox: new Outbox(store, { now }), cases };
}

void describe('migration 6 on a version-4 database that holds data', () => {
  it('keeps every row of both rebuilt tables and of the tables that refer to them, links and triggers working after it', () => {
    const home = scratchHome();
    const v4 = openStore(home, 'p', MIGRATIONS.filter((m) => m.version <= 4));
    assert.equal(v4.db.pragma('user_version', { simple: true }), 4);
    const entry = v4.db.prepare(
      `INSERT INTO outbox_entries (id, profile, user_id, kind, state, request_bytes, request_size, request_sha256, source_paths, content_sha256,
         application_count, folder_names, applicant_names, created_at, updated_at, attempt_started_at, attempt_count, send_number, target_arrive_id,
         new_arrive_id, reply)
       VALUES (?, 'p', 'user1', ?, 'done', x'3c413e', 3, ?, '[]', ?, 1, '["x(1)"]', '["山田 太郎"]', 10, 20, 11, 1, ?, ?, ?, ?)`,
    );
    entry.run('e1', 'batch', 'a'.repeat(64), 'b'.repeat(64), SEND, null, null, null);
    entry.run('w1', 'withdrawal', 'c'.repeat(64), 'd'.repeat(64), null, A, W, '{"newArriveId":"9002026000000009"}');
    v4.db.prepare(`INSERT INTO outbox_transitions (entry_id, seq, from_state, to_state, event, at, detail) VALUES ('w1', 1, NULL, 'ready', 'recorded', 10, '{}')`).run();
    const insertCase = v4.db.prepare(
      `INSERT INTO arrived_applications (arrive_id, entry_id, send_number, withdrawal_of, ministry_name, procedure_name, procedure_folder_name,
         applicant_name, corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status, comment_count_not_read,
         comment_count, doc_count_not_download, doc_count, updated_at) VALUES (?, ?, ?, ?, '厚生労働省', '手続', 'x(1)', '山田 太郎', '', '', '到達', '20260115100500', '-', 0, 'なし', 0, 1, 0, 2, 2000)`,
    );
    insertCase.run(A, 'e1', SEND, null);
    insertCase.run(W, 'w1', null, A);
    v4.db
      .prepare(
        `INSERT INTO case_history (arrive_id, sub_id, date, operator_type, process_type, status, pay_number, pay_status, total_fee, pay_expired_date, seen_at)
         VALUES (?, 1, '20260115100500', '送信', '新規申請', '到達', '', '', '', '', 2500)`,
      )
      .run(A);
    // a table a later step (or another branch's migration 5) hangs on a case: it must keep its rows
    v4.db.exec(`CREATE TABLE case_notes (arrive_id TEXT NOT NULL REFERENCES arrived_applications(arrive_id) ON DELETE CASCADE, note TEXT NOT NULL) STRICT`);
    v4.db.prepare(`INSERT INTO case_notes VALUES (?, 'kept')`).run(A);
    const read = (db: Store['db']) => ({
      entries: db.prepare('SELECT * FROM outbox_entries ORDER BY id').all(),
      transitions: db.prepare('SELECT * FROM outbox_transitions ORDER BY entry_id, seq').all(),
      cases: db.prepare('SELECT * FROM arrived_applications ORDER BY arrive_id').all(),
      history: db.prepare('SELECT * FROM case_history ORDER BY arrive_id, sub_id').all(),
      observations: db.prepare('SELECT * FROM case_observations ORDER BY id').all(),
      notes: db.prepare('SELECT * FROM case_notes').all(),
    });
    const before = read(v4.db);
    assert.equal(before.observations.length, 2);
    v4.close();

    const store = openStore(home, 'p');
    try {
      assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are on again after the step');
      const after = read(store.db);
      const strip = (rows: unknown[], extra: string) => rows.map((r) => Object.fromEntries(Object.entries(r as Record<string, unknown>).filter(([k]) => k !== extra)));
      assert.deepEqual(strip(after.entries, 'amendment_kind'), before.entries);
      assert.deepEqual(strip(after.cases, 'amendment_of'), before.cases);
      assert.deepEqual([after.transitions, after.history, after.observations, after.notes], [before.transitions, before.history, before.observations, before.notes]);
      assert.deepEqual(store.db.pragma('foreign_key_check'), []);
      assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
      // the references (old and new) point at the new tables
      assert.throws(() => store.db.prepare("UPDATE arrived_applications SET entry_id = 'nope' WHERE arrive_id = ?").run(A), /FOREIGN KEY/);
      assert.throws(() => store.db.prepare("UPDATE arrived_applications SET amendment_of = '9002026999999999' WHERE arrive_id = ?").run(A), /FOREIGN KEY/);
      assert.throws(() => store.db.prepare('DELETE FROM arrived_applications WHERE arrive_id = ?').run(A), /FOREIGN KEY/);
      // a 取下げ cannot also be a 補正, nor correct itself
      assert.throws(() => store.db.prepare('UPDATE arrived_applications SET amendment_of = ? WHERE arrive_id = ?').run(A, W), /CHECK/);
      assert.throws(() => store.db.prepare('UPDATE arrived_applications SET amendment_of = arrive_id, send_number = NULL WHERE arrive_id = ?').run(A), /CHECK/);
      // the triggers live on the new table
      const cases = new CaseStore(store, { now: () => 3000 });
      const seq = cases.get(A)!.changeSeq;
      cases.storeListed([{ sendNumber: SEND, application: app(A, { status: '審査中' }) }], new Set());
      assert.ok(cases.get(A)!.changeSeq > seq);
      assert.deepEqual(cases.observations(A).map((o) => o.to), ['到達', '審査中']);
    } finally {
      store.close();
    }
  });
});

void describe('the outbox and the cases with 補正', () => {
  it('a 補正 names its case and its API; a batch names neither', async () => {
    const { store, outbox } = withCases();
    try {
      await assert.rejects(outbox.record(amendmentEntry(A, { targetArriveId: undefined })), { code: 'OUTBOX_INVALID' });
      await assert.rejects(outbox.record(amendmentEntry(A, { amendmentKind: undefined })), { code: 'OUTBOX_INVALID' });
      await assert.rejects(outbox.record(amendmentEntry(A, { amendmentKind: 'other' as never })), { code: 'OUTBOX_INVALID' });
      await assert.rejects(outbox.record(amendmentEntry(A, { kind: 'batch', targetArriveId: undefined })), { code: 'OUTBOX_INVALID' });
      const e = await outbox.record(amendmentEntry(A));
      assert.deepEqual([e.kind, e.amendmentKind, e.state, e.targetArriveId, e.newArriveId, e.amendmentReceipt, e.withdrawalReceipt], ['amendment', 'amendapply', 'ready', A, null, null, null]);
      // the same content for another case is not refused as "the same data"
      assert.equal((await outbox.record(amendmentEntry(B))).state, 'ready');
      // nor can a 補正 be made `sent` (a 送信番号 state) behind the store's back
      assert.throws(() => store.db.prepare("UPDATE outbox_entries SET state = 'sent' WHERE id = ?").run(e.id), /CHECK/);
      assert.throws(() => store.db.prepare('UPDATE outbox_entries SET amendment_kind = NULL WHERE id = ?').run(e.id), /CHECK/);
    } finally {
      store.close();
    }
  });

  it('never two open: refused while ready, sending, unknown or ambiguous; done or failed leaves room', async () => {
    const { store, outbox } = withCases();
    try {
      const first = await outbox.record(amendmentEntry(A));
      const refusedAgain = () => assert.rejects(outbox.record(amendmentEntry(A)), (e: { code?: string; detail?: Record<string, unknown> }) => e.code === 'OUTBOX_AMENDMENT_EXISTS' && e.detail?.entryId === first.id);
      await refusedAgain();
      assert.throws(() => outbox.assertNoOpenAmendment(A), { code: 'OUTBOX_AMENDMENT_EXISTS' });
      await outbox.beginAttempt(first.id);
      await refusedAgain();
      outbox.markDeliveryUnknown(first.id, { code: 'EGOV_CONNECTION_RESET', message: 'reset' });
      await refusedAgain();
      outbox.markAmendmentUndecided(first.id, 'どちらとも言えない');
      assert.deepEqual([outbox.get(first.id)!.state, outbox.get(first.id)!.failure?.code], ['ambiguous', 'AMENDMENT_UNDECIDED']);
      await refusedAgain();
      outbox.markAmendmentFound(first.id, { decidedBy: 'person' });
      assert.equal(outbox.get(first.id)!.state, 'done');
      const second = await outbox.record(amendmentEntry(A));
      assert.deepEqual(outbox.amendmentsOf(A).map((e) => e.state), ['done', 'ready']);
      // a replaced one (provably never left) leaves room too
      assert.equal(outbox.markReplaced(second.id).failure?.code, 'AMENDMENT_REPLACED');
      await outbox.record(amendmentEntry(A));
      // the unique index holds against a writer that skips the check
      assert.throws(
        () =>
          store.db
            .prepare(
              `INSERT INTO outbox_entries (id, profile, user_id, kind, state, request_bytes, request_size, request_sha256, source_paths, content_sha256,
                 application_count, folder_names, applicant_names, created_at, updated_at, target_arrive_id, amendment_kind)
               VALUES ('raw', 'p', 'u', 'amendment', 'ready', x'00', 1, ?, '[]', ?, 1, '[]', '[]', 1, 1, ?, 'amendapply')`,
            )
            .run('a'.repeat(64), 'b'.repeat(64), A),
        /UNIQUE constraint failed: outbox_entries\.target_arrive_id/,
      );
      // a 取下げ of the case is a matter of its own
      assert.equal((await outbox.record({ ...amendmentEntry(A), kind: 'withdrawal', amendmentKind: undefined })).kind, 'withdrawal');
      // a 補正 has no 送信番号 to be matched to
      const g = (await outbox.record(amendmentEntry(B))).id;
      await outbox.beginAttempt(g);
      outbox.markDeliveryUnknown(g, { code: 'X', message: 'x' });
      assert.throws(() => outbox.applyReconciliation(g, { kind: 'matched', sendNumber: SEND }), { code: 'OUTBOX_INVALID' });
    } finally {
      store.close();
    }
  });

  it('the arrival: the answer recorded and the 補正 stored as a case linked to its original, followed by 状況照会', async () => {
    const { store, outbox, cases } = withCases(() => 7000);
    try {
      const e = await outbox.record(amendmentEntry(A));
      await outbox.beginAttempt(e.id);
      assert.throws(() => outbox.markAmendmentArrived(e.id, receipt({ arriveId: B }), { folderName: '900A010200001000(1)' }), { code: 'OUTBOX_INVALID' });
      assert.throws(() => outbox.markAmendmentArrived(e.id, receipt({ newArriveId: '' }), { folderName: '900A010200001000(1)' }), { code: 'OUTBOX_INVALID' });
      assert.equal(outbox.get(e.id)!.state, 'sending');
      assert.equal(cases.get(N), null);
      const done = outbox.markAmendmentArrived(e.id, receipt(), { folderName: '900A010200001000(1)' });
      assert.deepEqual([done.state, done.newArriveId, done.sendNumber, done.amendmentReceipt?.newArriveId, done.withdrawalReceipt], ['done', N, null, N, null]);
      const n = cases.get(N)!;
      assert.deepEqual(
        [n.amendmentOf, n.withdrawalOf, n.sendNumber, n.entryId, n.status, n.statusDate, n.procedureFolderName, n.applicantName, n.needsReference],
        [A, null, null, e.id, '到達', '20260201100000', '900A010200001000(1)', 'ほげ　ほげ', true],
      );
      assert.equal(cases.get(A)!.needsReference, true, 'the original owes a 状況照会');
      assert.deepEqual(cases.amendmentCasesOf(A).map((c) => c.arriveId), [N]);
      assert.deepEqual(cases.tracked().map((t) => t.arriveId).sort(), [A, B]);
      assert.deepEqual(cases.withdrawalsToFollow(), [N]);
      assert.deepEqual(cases.withdrawalsToFollow([A]), [N]);
      // a list that shows it under some batch changes neither its link nor its status
      cases.storeListed([{ sendNumber: '202602011000000002', application: app(N, { status: '謎' }) }], new Set());
      assert.deepEqual([cases.get(N)!.amendmentOf, cases.get(N)!.sendNumber, cases.get(N)!.status], [A, null, '到達']);
    } finally {
      store.close();
    }
  });

  it('a 部分補正 keeps its case: no new case, no 到達番号 recorded', async () => {
    const { store, outbox, cases } = withCases();
    try {
      const e = await outbox.record(amendmentEntry(A, { amendmentKind: 'partamend' }));
      await outbox.beginAttempt(e.id);
      const done = outbox.markAmendmentArrived(e.id, receipt({ newArriveId: '' }), { folderName: '900A010200001000(1)' });
      assert.deepEqual([done.state, done.newArriveId, done.amendmentKind], ['done', null, 'partamend']);
      assert.deepEqual(cases.amendmentCasesOf(A), []);
    } finally {
      store.close();
    }
  });
});

// Unit: migration 4 and the store's 取下げ rules. A version-3 database holding a batch, its
// transitions, cases with 状況照会, history and observed statuses is brought up with every row and
// its values (nothing cascaded away by the rebuild), the triggers working on the new table. Then
// the outbox: a 取下げ names its case; never a second one while one is recorded, in flight,
// unsettled or delivered (the check and the unique index); only a refused one or one replaced
// (provably never left) leaves room; the arrival stores the 取下げ as a case linked to its original,
// with no 送信番号; the batch paths (tracked cases, recovery against 送信案件一覧) leave 取下げ alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseStatus, WithdrawalReceipt } from '../../src/shared/case.js';
import { recoverOutbox } from '../../src/main/filing/recover.js';
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

function status(arriveId: string, over: Partial<CaseStatus> = {}): CaseStatus {
  return {
    arriveId,
    procedureName: '取下げ申請書XML管理手続',
    amendMessage: '',
    commentMessage: '',
    documentMessage: '',
    payMessage: '',
    status: '到達',
    arriveDate: '20260120100000',
    examStartDate: '',
    examEndDate: '',
    procedureEndDate: '',
    withdrawFlag: '0',
    withdrawType: '0',
    reintroductionFlag: '0',
    history: [{ subId: 1, date: '20260120100000', operatorType: '送信', processType: '取下げ申請', status: '到達', payNumber: '', payStatus: '', totalFee: '', payExpiredDate: '' }],
    ...over,
  };
}

function receipt(over: Partial<WithdrawalReceipt> = {}): WithdrawalReceipt {
  return {
    arriveId: A,
    newArriveId: W,
    procedureName: '取下げ申請書XML管理手続',
    arriveDate: '20260120100000',
    arriveResult: '到達',
    applyType: '取下げ',
    ministryName: '厚生労働省',
    receptionDesk: '',
    applicantName: '山田　太郎',
    formNames: ['取下げ申請書XML'],
    fileNames: ['torisageshinsei.xml'],
    orgDistFileSend: '',
    ...over,
  };
}

const withdrawalEntry = (target: string, over: Partial<NewOutboxEntry> = {}): NewOutboxEntry => ({
  userId: 'user1',
  kind: 'withdrawal',
  targetArriveId: target,
  request: Buffer.from(`<DataRoot>${target}</DataRoot>`),
  sourcePaths: [],
  contentSha256: 'c'.repeat(64),
  applicationCount: 1,
  folderNames: ['9990000000000008(1)'],
  applicantNames: ['山田　太郎'],
  ...over,
});

function withCases(now = () => 5000): { store: Store; outbox: Outbox; cases: CaseStore } {
  const store = openStore(scratchHome(), 'p');
  const cases = new CaseStore(store, { now });
  cases.storeListed([{ sendNumber: SEND, application: app(A) }, { sendNumber: SEND, application: app(B, { procedureFolderName: '900A010002008000(1)' }) }], new Set());
  return { store, outbox: new Outbox(store, { now }), cases };
}

void describe('migration 4 on a version-3 database that holds data', () => {
  it('keeps every entry, transition, case, 状況照会, history event and observation; the triggers and the links work after it', () => {
    const home = scratchHome();
    const v3 = openStore(home, 'p', MIGRATIONS.slice(0, 3));
    assert.equal(v3.db.pragma('user_version', { simple: true }), 3);
    // a batch recorded and done the v3 way (raw: the v3 code is not here any more)
    v3.db
      .prepare(
        `INSERT INTO outbox_entries (id, profile, user_id, kind, state, request_bytes, request_size, request_sha256, source_paths, content_sha256,
           application_count, folder_names, applicant_names, created_at, updated_at, attempt_started_at, attempt_count, send_number, send_date,
           work_status, format_normal_count, format_error_count, error_file)
         VALUES ('e1', 'p', 'user1', 'batch', 'done', x'3c413e', 3, ?, '["/data/a"]', ?, 2, '["900A010200001000(1)","900A010002008000(1)"]',
           '["山田 太郎","山田 太郎"]', 10, 20, 11, 1, ?, '20260115100000', '', 2, 0, x'00ff')`,
      )
      .run('a'.repeat(64), 'b'.repeat(64), SEND);
    v3.db.prepare(`INSERT INTO outbox_transitions (entry_id, seq, from_state, to_state, event, at, detail) VALUES ('e1', 1, NULL, 'ready', 'recorded', 10, '{}')`).run();
    v3.db.prepare(`INSERT INTO outbox_transitions (entry_id, seq, from_state, to_state, event, at, detail) VALUES ('e1', 2, 'ready', 'done', 'completed', 20, '{"x":1}')`).run();
    // cases, 状況照会 and history written as the v3 code wrote them (raw: that code is not here any more)
    const insertCase = v3.db.prepare(
      `INSERT INTO arrived_applications (arrive_id, entry_id, send_number, ministry_name, procedure_name, procedure_folder_name, applicant_name,
         corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status, comment_count_not_read, comment_count,
         doc_count_not_download, doc_count, updated_at) VALUES (?, 'e1', ?, '厚生労働省', '手続', ?, '山田 太郎', '', '', ?, '20260115100500', '-', 0, 'なし', 0, 1, 0, 2, 2000)`,
    );
    insertCase.run(A, SEND, '900A010200001000(1)', '到達');
    insertCase.run(B, SEND, '900A010002008000(1)', '審査中');
    v3.db.prepare("UPDATE arrived_applications SET status = '審査中（補正待ち）', exam_start_date = '20260116090000', referenced_at = 2500, withdraw_flag = '0' WHERE arrive_id = ?").run(B);
    v3.db
      .prepare(
        `INSERT INTO case_history (arrive_id, sub_id, date, operator_type, process_type, status, pay_number, pay_status, total_fee, pay_expired_date, seen_at)
         VALUES (?, 1, '20260115100500', '送信', '新規申請', '到達', '', '', '', '', 2500)`,
      )
      .run(A);
    const before = {
      entries: v3.db.prepare('SELECT * FROM outbox_entries ORDER BY id').all(),
      transitions: v3.db.prepare('SELECT * FROM outbox_transitions ORDER BY entry_id, seq').all(),
      cases: v3.db.prepare('SELECT * FROM arrived_applications ORDER BY arrive_id').all(),
      history: v3.db.prepare('SELECT * FROM case_history ORDER BY arrive_id, sub_id').all(),
      observations: v3.db.prepare('SELECT * FROM case_observations ORDER BY id').all(),
    };
    assert.equal(before.history.length, 1);
    assert.equal(before.observations.length, 3);
    v3.close();

    const store = openStore(home, 'p');
    try {
      // brought up through every later step too (migration 6 rebuilds the same two tables again)
      assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      const strip = (rows: unknown[], extra: string[]) => rows.map((r) => Object.fromEntries(Object.entries(r as Record<string, unknown>).filter(([k]) => !extra.includes(k))));
      assert.deepEqual(strip(store.db.prepare('SELECT * FROM outbox_entries ORDER BY id').all(), ['target_arrive_id', 'new_arrive_id', 'reply', 'amendment_kind']), before.entries);
      assert.deepEqual(store.db.prepare('SELECT * FROM outbox_transitions ORDER BY entry_id, seq').all(), before.transitions);
      assert.deepEqual(strip(store.db.prepare('SELECT * FROM arrived_applications ORDER BY arrive_id').all(), ['withdrawal_of', 'amendment_of']), before.cases);
      assert.deepEqual(store.db.prepare('SELECT * FROM case_history ORDER BY arrive_id, sub_id').all(), before.history);
      assert.deepEqual(store.db.prepare('SELECT * FROM case_observations ORDER BY id').all(), before.observations);
      assert.deepEqual(store.db.pragma('foreign_key_check'), []);
      assert.deepEqual(store.db.pragma('integrity_check', { simple: true }), 'ok');

      // the links point at the new tables: a case cannot name an entry or an original that does not exist
      assert.throws(() => store.db.prepare("UPDATE arrived_applications SET entry_id = 'nope' WHERE arrive_id = ?").run(A), /FOREIGN KEY/);
      assert.throws(() => store.db.prepare("UPDATE arrived_applications SET withdrawal_of = '9002026999999999' WHERE arrive_id = ?").run(A), /FOREIGN KEY/);
      // a case still needs a 送信番号, unless it is a 取下げ (or a 補正)
      assert.throws(() => store.db.prepare('UPDATE arrived_applications SET send_number = NULL WHERE arrive_id = ?').run(A), /CHECK/);
      // the history goes with its case (cascade), the observations too
      const cases = new CaseStore(store, { now: () => 3000 });
      const seqBefore = cases.get(A)!.changeSeq;
      cases.storeListed([{ sendNumber: SEND, application: app(A, { status: '審査中' }) }], new Set());
      assert.ok(cases.get(A)!.changeSeq > seqBefore, 'the change trigger moves the cursor');
      assert.deepEqual(cases.observations(A).map((o) => [o.from, o.to]), [[null, '到達'], ['到達', '審査中']]);
      assert.equal(new Outbox(store).applications('e1').length, 2);
      assert.equal(new Outbox(store).get('e1')!.formatCheck?.hasErrorFile, true);
    } finally {
      store.close();
    }
  });
});

void describe('the outbox and the cases with 取下げ', () => {
  it('a 取下げ names its case; a batch does not', async () => {
    const { store, outbox } = withCases();
    try {
      await assert.rejects(outbox.record(withdrawalEntry(A, { targetArriveId: undefined })), { code: 'OUTBOX_INVALID' });
      await assert.rejects(outbox.record(withdrawalEntry(A, { targetArriveId: '../x' })), { code: 'OUTBOX_INVALID' });
      await assert.rejects(outbox.record(withdrawalEntry(A, { kind: 'batch' })), { code: 'OUTBOX_INVALID' });
      const e = await outbox.record(withdrawalEntry(A));
      assert.deepEqual([e.kind, e.state, e.targetArriveId, e.newArriveId, e.withdrawalReceipt], ['withdrawal', 'ready', A, null, null]);
      assert.deepEqual(outbox.history(e.id)[0]!.detail, { requestSha256: e.requestSha256, requestSize: e.requestSize, targetArriveId: A });
      // the same bytes for another case are not "the same data" of a batch
      assert.equal((await outbox.record(withdrawalEntry(B))).state, 'ready');
    } finally {
      store.close();
    }
  });

  it('never two: refused while one is ready, sending, unknown, ambiguous or done; a refused (failed) one leaves room', async () => {
    const { store, outbox } = withCases();
    try {
      const first = await outbox.record(withdrawalEntry(A));
      const refusedAgain = async () => assert.rejects(outbox.record(withdrawalEntry(A)), (e: { code?: string; detail?: Record<string, unknown> }) => e.code === 'OUTBOX_WITHDRAWAL_EXISTS' && e.detail?.entryId === first.id);
      await refusedAgain();
      assert.throws(() => outbox.assertNoWithdrawal(A), { code: 'OUTBOX_WITHDRAWAL_EXISTS' });
      await outbox.beginAttempt(first.id);
      await refusedAgain();
      outbox.markDeliveryUnknown(first.id, { code: 'EGOV_CONNECTION_RESET', message: 'reset' });
      await refusedAgain();
      outbox.markWithdrawalUndecided(first.id, 'どちらとも言えない');
      assert.equal(outbox.get(first.id)!.state, 'ambiguous');
      await refusedAgain();
      outbox.markWithdrawalFound(first.id, { decidedBy: 'person' });
      assert.equal(outbox.get(first.id)!.state, 'done');
      await refusedAgain();

      // B: refused by e-Gov → room for another
      const b1 = await outbox.record(withdrawalEntry(B));
      await outbox.beginAttempt(b1.id);
      outbox.markRefused(b1.id, { code: 'EGOV_API_ERROR', message: '受け付けられません' });
      const b2 = await outbox.record(withdrawalEntry(B));
      assert.deepEqual(outbox.withdrawalsOf(B).map((e) => [e.id, e.state]), [[b1.id, 'failed'], [b2.id, 'ready']]);
      // the unique index holds even against a writer that skips the check
      assert.throws(
        () =>
          store.db
            .prepare(
              `INSERT INTO outbox_entries (id, profile, user_id, kind, state, request_bytes, request_size, request_sha256, source_paths, content_sha256,
                 application_count, folder_names, applicant_names, created_at, updated_at, target_arrive_id)
               VALUES ('raw', 'p', 'u', 'withdrawal', 'ready', x'00', 1, ?, '[]', ?, 1, '[]', '[]', 1, 1, ?)`,
            )
            .run('a'.repeat(64), 'b'.repeat(64), B),
        /UNIQUE constraint failed: outbox_entries\.target_arrive_id/,
      );
    } finally {
      store.close();
    }
  });

  it('replaced only when it provably never left (ready, ready-for-resend)', async () => {
    const { store, outbox } = withCases();
    try {
      const e = await outbox.record(withdrawalEntry(A));
      assert.equal(outbox.markReplaced(e.id).state, 'failed');
      assert.equal(outbox.get(e.id)!.failure?.code, 'WITHDRAWAL_REPLACED');
      const f = await outbox.record(withdrawalEntry(A));
      await outbox.beginAttempt(f.id);
      assert.throws(() => outbox.markReplaced(f.id), { code: 'OUTBOX_ILLEGAL_TRANSITION' });
      outbox.markDeliveryUnknown(f.id, { code: 'X', message: 'x' });
      assert.throws(() => outbox.markReplaced(f.id), { code: 'OUTBOX_ILLEGAL_TRANSITION' });
      outbox.applyReconciliation(f.id, { kind: 'not-found' });
      assert.equal(outbox.get(f.id)!.state, 'ready-for-resend');
      assert.equal(outbox.markReplaced(f.id).state, 'failed');
      // a 取下げ has no 送信番号 to be matched to
      const g = await outbox.record(withdrawalEntry(A));
      await outbox.beginAttempt(g.id);
      outbox.markDeliveryUnknown(g.id, { code: 'X', message: 'x' });
      assert.throws(() => outbox.applyReconciliation(g.id, { kind: 'matched', sendNumber: SEND }), { code: 'OUTBOX_INVALID' });
      // nor can it be made `sent` behind the store's back
      assert.throws(() => store.db.prepare("UPDATE outbox_entries SET state = 'sent' WHERE id = ?").run(g.id), /CHECK/);
    } finally {
      store.close();
    }
  });

  it('the arrival: its own 到達番号 and answer recorded, the 取下げ stored as a case linked to its original, in one step', async () => {
    const { store, outbox, cases } = withCases(() => 7000);
    try {
      const e = await outbox.record(withdrawalEntry(A));
      await outbox.beginAttempt(e.id);
      assert.throws(() => outbox.markWithdrawalArrived(e.id, receipt({ arriveId: B }), { folderName: '9990000000000008(1)', corporationName: '', departmentName: '' }), { code: 'OUTBOX_INVALID' });
      assert.equal(outbox.get(e.id)!.state, 'sending');
      assert.equal(cases.get(W), null);
      const done = outbox.markWithdrawalArrived(e.id, receipt(), { folderName: '9990000000000008(1)', corporationName: '株式会社届け', departmentName: '総務部' });
      assert.deepEqual([done.state, done.newArriveId, done.sendNumber, done.withdrawalReceipt?.newArriveId], ['done', W, null, W]);
      const w = cases.get(W)!;
      assert.deepEqual(
        [w.withdrawalOf, w.sendNumber, w.entryId, w.status, w.statusDate, w.procedureName, w.procedureFolderName, w.applicantName, w.corporationName, w.needsReference],
        [A, null, e.id, '到達', '20260120100000', '取下げ申請書XML管理手続', '9990000000000008(1)', '山田　太郎', '株式会社届け', true],
      );
      assert.deepEqual(cases.withdrawalCasesOf(A).map((c) => c.arriveId), [W]);
      assert.equal(cases.get(A)!.withdrawalOf, null);
      // the sync's lists do not carry it; it is followed by 状況照会 while open
      assert.deepEqual(cases.tracked().map((t) => t.arriveId).sort(), [A, B]);
      assert.deepEqual(cases.trackedSendNumbers(), [SEND]);
      assert.deepEqual(cases.withdrawalsToFollow(), [W]);
      cases.storeReference(status(W));
      assert.deepEqual(cases.withdrawalsToFollow(), [W], 'still open: no 手続終了 date');
      cases.storeReference(status(W, { status: '手続終了', procedureEndDate: '20260125100000' }));
      assert.deepEqual(cases.withdrawalsToFollow(), []);
      assert.deepEqual(cases.withdrawalsToFollow([A]), [W], 'asked again when its original changed');
      assert.deepEqual(cases.withdrawalsToFollow([B]), []);
      // a list that did show the 取下げ under some batch changes neither its link nor its status
      cases.storeListed([{ sendNumber: '202601201000000002', application: app(W, { status: '謎' }) }], new Set());
      assert.deepEqual([cases.get(W)!.withdrawalOf, cases.get(W)!.sendNumber, cases.get(W)!.status], [A, null, '手続終了']);
      // the original cannot be removed while its 取下げ names it
      assert.throws(() => store.db.prepare('DELETE FROM arrived_applications WHERE arrive_id = ?').run(A), /FOREIGN KEY/);
    } finally {
      store.close();
    }
  });

  it('the batch recovery (送信案件一覧) leaves an unknown 取下げ alone', async () => {
    const { store, outbox } = withCases();
    try {
      const e = await outbox.record(withdrawalEntry(A));
      await outbox.beginAttempt(e.id);
      outbox.markDeliveryUnknown(e.id, { code: 'X', message: 'x' });
      let listed = 0;
      const report = await recoverOutbox({
        outbox,
        session: { withAccessKey: (call) => call('KEY') },
        gateway: {
          listSends: async () => {
            listed++;
            return [];
          },
        },
        now: () => 10 ** 13,
      });
      assert.deepEqual(report.outcomes, []);
      assert.equal(listed, 0);
      assert.equal(outbox.get(e.id)!.state, 'unknown');
    } finally {
      store.close();
    }
  });
});

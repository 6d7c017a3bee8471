// Unit: the sandbox's notice store (src/sandbox/state/notice-store.ts) and 補正 record
// (state/corrections.ts) on a real database: numbering per case and kind, the case's counters and
// messages, an idempotent 取得完了 that never drives a counter below zero, a notice whose files fail
// leaving nothing behind, and a 補正 judged again inside its transaction.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { CaseStore } from '../../src/sandbox/state/case-store.js';
import { recordCorrection } from '../../src/sandbox/state/corrections.js';
import { openSandboxDatabase } from '../../src/sandbox/state/db.js';
import { HISTORY, STATUS } from '../../src/sandbox/state/history.js';
import { NoticeStore, type NoticeKind } from '../../src/sandbox/state/notice-store.js';
import type { SqliteDatabase } from '../../src/sandbox/state/sqlite.js';

const root = mkdtempSync(join(tmpdir(), 'todoke-sandbox-notices-'));
after(() => rmSync(root, { recursive: true, force: true }));

const ID = '9002026000000001';
let db: SqliteDatabase;
let cases: CaseStore;
let notices: NoticeStore;

function counters(): Record<string, unknown> {
  return db
    .prepare(
      `SELECT status, correct_status AS correctStatus, comment_count AS commentCount, comment_count_not_read AS commentNotRead, doc_count AS docCount,
        doc_count_not_download AS docNotDownload, amend_message AS amend, comment_message AS comment, document_message AS document FROM applications WHERE arrive_id = ?`,
    )
    .get(ID) as Record<string, unknown>;
}

function issue(kind: NoticeKind, at = 1): number {
  return notices.issue({
    arriveId: ID,
    kind,
    docTitle: `${kind} title`,
    files: (n) => [{ name: `${kind}-${n}.xml`, content: Buffer.from(`<${kind}/>`) }],
    ...(kind === 'amend' ? { status: STATUS.awaitingCorrection } : {}),
    event: { amend: HISTORY.correctionRequested, comment: HISTORY.commentIssued(STATUS.arrived), official: HISTORY.documentIssued(STATUS.arrived) }[kind],
    at,
    date: '20260101090000',
  });
}

beforeEach(() => {
  db?.close();
  db = openSandboxDatabase(mkdtempSync(join(root, 'db-')));
  db.prepare("INSERT INTO users (user_id, registered_at) VALUES ('u1', 0)").run();
  db.prepare(
    `INSERT INTO applications (arrive_id, user_id, send_number, apply_type, folder_name, procedure_id, procedure_name, ministry_name, applicant_name,
      corporation_name, department_name, status, status_at, status_date, arrive_date) VALUES (?, 'u1', NULL, '新規申請', 'f', '900A010200001000', '手続', '省', '氏名', '', '', '到達', 0, '20260101000000', '20260101000000')`,
  ).run(ID);
  cases = new CaseStore(db);
  notices = new NoticeStore(db);
});

void describe('NoticeStore', () => {
  void it('numbers notices 1, 2, … per case and kind, and moves the counters and messages of the case', () => {
    assert.deepEqual([issue('official'), issue('official'), issue('comment'), issue('amend'), issue('official')], [1, 2, 1, 1, 3]);
    assert.deepEqual(counters(), {
      status: STATUS.awaitingCorrection,
      correctStatus: 'あり',
      commentCount: 1,
      commentNotRead: 1,
      docCount: 3,
      docNotDownload: 3,
      amend: '補正待ちの補正通知が1件あります。補正情報を確認し、補正を行ってください。',
      comment: '未読のコメント通知が1件あります。コメント通知を確認してください。',
      document: '未取得の公文書が3件あります。公文書を取得してください。',
    });
    assert.deepEqual(notices.fileNames(ID, 'official', 2), ['official-2.xml']);
    assert.deepEqual(
      cases.history(ID).map((h) => h.processType),
      ['公文書発出通知', '公文書発出通知', 'コメント通知', '補正指示通知', '公文書発出通知'],
    );
  });

  void it('取得完了: the first stamps its date and lowers the counter; a repeat answers the first date and changes nothing; unknown is null', () => {
    issue('official');
    issue('comment');
    assert.equal(notices.markDone(ID, 'official', 1, '20260102090000')!.doneDate, '20260102090000');
    assert.equal(notices.markDone(ID, 'official', 1, '20260103090000')!.doneDate, '20260102090000');
    assert.equal(notices.markDone(ID, 'official', 2, '20260103090000'), null);
    assert.equal(notices.markDone(ID, 'comment', 1, '20260103090000')!.doneDate, '20260103090000');
    const c = counters();
    assert.deepEqual([c.docCount, c.docNotDownload, c.commentCount, c.commentNotRead, c.document, c.comment], [1, 0, 1, 0, '', '']);
  });

  void it('a notice whose files cannot be made leaves no notice, no counter and no history behind', () => {
    const before = JSON.stringify([counters(), cases.history(ID)]);
    assert.throws(() =>
      notices.issue({
        arriveId: ID,
        kind: 'official',
        docTitle: 'x',
        files: () => {
          throw new Error('signing raced');
        },
        event: HISTORY.documentIssued(STATUS.arrived),
        at: 1,
        date: '20260101090000',
      }),
    );
    assert.equal(JSON.stringify([counters(), cases.history(ID)]), before);
    assert.deepEqual(notices.list(ID, 'official'), []);
  });
});

void describe('recordCorrection', () => {
  const arrival = (applyType: string) => ({
    userId: 'u1',
    targetArriveId: ID,
    applyType,
    folderName: '900A010200001000(1)',
    procedureId: '900A010200001000',
    procedureName: '手続',
    ministryName: '省',
    applicantName: '氏名',
    corporationName: '',
    departmentName: '',
    at: 5,
    date: '20260105090000',
  });

  void it('a 再提出 makes a linked case; the notice is completed, CorrectStatus なし, status 審査中; a second one is refused', () => {
    issue('amend');
    const r = recordCorrection(cases, notices, arrival('再提出'));
    assert.ok(r.ok && /^9002026\d{9}$/.test(r.newArriveId));
    assert.equal(cases.find(r.newArriveId)!.targetArriveId, ID);
    assert.deepEqual([counters().correctStatus, counters().status, counters().amend], ['なし', STATUS.examining, '']);
    assert.equal(notices.list(ID, 'amend')[0]!.correctCompletedDate, '20260105090000');
    assert.equal(cases.latestWithdrawalOf(ID), null, 'a 補正 is not a 取下げ');
    assert.deepEqual(recordCorrection(cases, notices, arrival('再提出')), { ok: false, refusal: 'NOT_CORRECTABLE' });
  });

  void it('a 部分補正 keeps the case (no new 到達番号); another user or an unknown case is NOT_FOUND', () => {
    issue('amend');
    assert.deepEqual(recordCorrection(cases, notices, arrival('部分補正')), { ok: true, newArriveId: '' });
    assert.equal((db.prepare('SELECT count(*) AS n FROM applications').get() as { n: number }).n, 1);
    assert.deepEqual(recordCorrection(cases, notices, { ...arrival('再提出'), userId: 'u2' }), { ok: false, refusal: 'NOT_FOUND' });
  });
});

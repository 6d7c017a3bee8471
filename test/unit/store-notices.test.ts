// Unit: migration 5 and the notice records (src/main/store/notices.ts). A version-4 database that
// holds data comes through with every row; lists are recorded idempotently and never erase a kept
// ZIP; keeping is one transaction and comes before 取得完了 (refused otherwise); the crash-recovery
// list holds exactly what is kept and not done; the inbox puts unread first, then the newest, in
// stable pages, with the case's 手続名 when the case is tracked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NoticeEntry, NoticeReceipt, RemoteVerification } from '../../src/shared/documents.js';
import type { KeptZip } from '../../src/main/documents/vault.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { openStore, type Store } from '../../src/main/store/db.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/main/store/migrations.js';
import { listedAmend, listedEntry, NoticeStore, NoticeStoreError } from '../../src/main/store/notices.js';
import { arrivedApplication } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';

const A = '9002026000000001';
const B = '9002026000000002';
const SEND = '202601151000000001';

function entry(noticeSubId: number, over: Partial<NoticeEntry> = {}): NoticeEntry {
  return { kind: 'document', noticeSubId, issueDate: `2026012010000${noticeSubId % 10}`, title: `公文書${noticeSubId}`, fileNames: ['0000-API-001.xml', 'スタイルシート1.xsl'], state: '', ...over };
}

function kept(seed: string, over: Partial<KeptZip> = {}): KeptZip {
  return {
    zipSha256: seed.repeat(64).slice(0, 64),
    zipSize: 2000,
    files: [
      { name: '0000-API-001.xml', sha256: 'a'.repeat(64), size: 1426, media: 'xml' },
      { name: 'スタイルシート1.xsl', sha256: 'b'.repeat(64), size: 3578, media: 'xsl' },
    ],
    refusal: null,
    ...over,
  };
}

function receipt(arriveId: string, noticeSubId: number): NoticeReceipt {
  return { arriveId, noticeSubId, procedureName: '手続', title: `公文書${noticeSubId}`, downloadDate: '20260121090000', fileNames: ['0000-API-001.xml'] };
}

function open(now = () => 1000): { store: Store; notices: NoticeStore; clock: { t: number } } {
  const clock = { t: now() };
  const store = openStore(scratchHome('todoke-notices-'), 'p');
  return { store, notices: new NoticeStore(store, { now: () => clock.t }), clock };
}

function rejectsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof NoticeStoreError, String(e));
    assert.equal(e.code, code);
    assert.match(e.messageJa, /。/);
    return true;
  });
}

void describe('migration 5 on a version-4 database that holds data', () => {
  void it('keeps every row of every table and adds the notice tables, empty and checked', () => {
    const home = scratchHome('todoke-notices-');
    const v4 = openStore(home, 'p', MIGRATIONS.slice(0, 4));
    assert.equal(v4.db.pragma('user_version', { simple: true }), 4);
    // rows written as version 4 wrote them (today's CaseStore speaks the latest schema)
    const insertCase = v4.db.prepare(
      `INSERT INTO arrived_applications (arrive_id, send_number, ministry_name, procedure_name, procedure_folder_name, applicant_name, corporation_name,
         department_name, status, status_date, pay_status, pay_wait_count, correct_status, comment_count_not_read, comment_count, doc_count_not_download,
         doc_count, updated_at, needs_reference)
       VALUES (?, ?, 'デグレ省', 'ＡＰＩテスト用手続', '900A010200001000(1)', 'ほげ\u3000ほげ', '', '', ?, '20260115100000', '-', 0, 'なし', 0, 0, 0, 0, 2000, ?)`,
    );
    insertCase.run(A, SEND, '到達', 0);
    insertCase.run(B, SEND, '審査中', 1);
    v4.db
      .prepare(
        `INSERT INTO outbox_entries (id, profile, user_id, kind, state, request_bytes, request_size, request_sha256, source_paths, content_sha256,
           application_count, folder_names, applicant_names, created_at, updated_at)
         VALUES ('e1', 'p', 'user1', 'batch', 'ready', x'3c413e', 3, ?, '[]', ?, 1, '[]', '[]', 10, 20)`,
      )
      .run('a'.repeat(64), 'b'.repeat(64));
    const tables = ['outbox_entries', 'outbox_transitions', 'arrived_applications', 'case_history', 'case_observations'];
    const before = Object.fromEntries(tables.map((t) => [t, v4.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
    assert.equal((before.arrived_applications as unknown[]).length, 2);
    v4.close();

    // through every step (migration 6, 補正, adds a column to two of these tables: left out of the comparison)
    const store = openStore(home, 'p');
    try {
      assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      const later = ['amendment_kind', 'amendment_of'];
      const strip = (rows: unknown[]) => rows.map((r) => Object.fromEntries(Object.entries(r as Record<string, unknown>).filter(([k]) => !later.includes(k))));
      for (const t of tables) assert.deepEqual(strip(store.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()), before[t], t);
      assert.deepEqual(store.db.prepare('SELECT count(*) AS n FROM notices').get(), { n: 0 });
      assert.deepEqual(store.db.pragma('foreign_key_check'), []);
      assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
      // the checks hold: a kept notice needs its hash, a done one must be kept, kinds are closed
      const insert = store.db.prepare(
        `INSERT INTO notices (arrive_id, kind, notice_sub_id, title, issue_date, listed_file_names, first_seen_at, listed_at, zip_sha256, zip_size, kept_at, done_at)
         VALUES (?, ?, 1, 't', 'd', '[]', 1, 1, ?, ?, ?, ?)`,
      );
      assert.throws(() => insert.run(A, 'document', null, null, 5, null), /CHECK/);
      assert.throws(() => insert.run(A, 'document', null, null, null, 5), /CHECK/);
      assert.throws(() => insert.run(A, 'payment', null, null, null, null), /CHECK/);
      assert.throws(() => insert.run(A, 'document', 'short', 1, 5, null), /CHECK/);
      // the cases still work after it: the triggers of migration 3 are untouched
      new CaseStore(store, { now: () => 3000 }).storeListed([{ sendNumber: SEND, application: arrivedApplication(A, { status: '審査終了' }) }], new Set());
      assert.equal(new CaseStore(store).get(A)!.observations.length, 2);
    } finally {
      store.close();
    }
  });
});

void describe('NoticeStore.recordListed', () => {
  void it('inserts what a list says and returns the new ids; the same list again adds nothing', () => {
    const { store, notices, clock } = open();
    try {
      const first = notices.recordListed(A, [entry(1), entry(2, { kind: 'comment', state: '未読' })].map(listedEntry));
      assert.equal(first.length, 2);
      clock.t = 2000;
      assert.deepEqual(notices.recordListed(A, [entry(1), entry(2, { kind: 'comment', state: '未読' })].map(listedEntry)), []);
      const all = notices.forCase(A);
      assert.deepEqual(
        all.map((n) => [n.kind, n.noticeSubId, n.egovState, n.firstSeenAt]),
        [
          ['document', 1, '', 1000],
          ['comment', 2, '未読', 1000],
        ],
      );
      assert.deepEqual(all[0]!.listedFileNames, ['0000-API-001.xml', 'スタイルシート1.xsl']);
    } finally {
      store.close();
    }
  });

  void it('updates the state and 補正 dates as the list says, never erasing a kept ZIP, 完了 or reading', () => {
    const { store, notices } = open();
    try {
      const amend = { noticeSubId: 1, requestedDate: '20260120100000', expiredDate: '20260131', completedDate: '', title: '任意部分補正', zip: new Uint8Array(), fileNames: ['hoseitsuuchi.xml'] };
      const [amendId] = notices.recordListed(A, [listedAmend(amend)]);
      const [docId] = notices.recordListed(A, [listedEntry(entry(1))]);
      notices.recordKept(amendId!, kept('1'));
      notices.recordKept(docId!, kept('2'));
      notices.markDone(docId!, receipt(A, 1));
      notices.markRead(docId!);
      notices.recordListed(A, [listedAmend({ ...amend, completedDate: '20260125120000' })]);
      notices.recordListed(A, [listedEntry(entry(1, { state: '取得済み' }))]);
      const a = notices.get(amendId!)!;
      assert.equal(a.completedDate, '20260125120000');
      assert.equal(a.deadline, '20260131');
      assert.equal(a.issueDate, '20260120100000');
      assert.equal(a.zip?.sha256, '1'.repeat(64));
      const d = notices.get(docId!)!;
      assert.equal(d.egovState, '取得済み');
      assert.equal(d.zip?.sha256, '2'.repeat(64));
      assert.notEqual(d.doneAt, null);
      assert.notEqual(d.readAt, null);
      assert.equal(d.files.length, 2);
    } finally {
      store.close();
    }
  });

  void it('keeps the kinds apart: 公文書 1 and コメント 1 of one case are two notices', () => {
    const { store, notices } = open();
    try {
      notices.recordListed(A, [listedEntry(entry(1)), listedEntry(entry(1, { kind: 'comment' }))]);
      assert.equal(notices.forCase(A).length, 2);
      assert.equal(notices.find(A, 'comment', 1)?.kind, 'comment');
      assert.equal(notices.find(A, 'amend', 1), null);
    } finally {
      store.close();
    }
  });

  void it('refuses a 通知番号 that is not a whole number, storing nothing of that list', () => {
    const { store, notices } = open();
    try {
      rejectsCode(() => notices.recordListed(A, [listedEntry(entry(1)), listedEntry(entry(Number.NaN))]), 'NOTICE_INVALID');
      assert.equal(notices.forCase(A).length, 0, 'the transaction rolled back');
    } finally {
      store.close();
    }
  });
});

void describe('NoticeStore: keeping, then 取得完了', () => {
  void it('moves a notice from toFetch to toComplete to neither', () => {
    const { store, notices, clock } = open();
    try {
      const [id] = notices.recordListed(A, [listedEntry(entry(1))]);
      notices.recordListed(B, [listedEntry(entry(1))]);
      assert.deepEqual(notices.toFetch(A).map((n) => n.id), [id]);
      assert.equal(notices.toFetch().length, 2);
      clock.t = 5000;
      assert.equal(notices.recordKept(id!, kept('c')), true);
      assert.equal(notices.toFetch(A).length, 0);
      assert.deepEqual(notices.toComplete().map((n) => [n.id, n.keptAt, n.doneAt]), [[id, 5000, null]]);
      clock.t = 6000;
      assert.equal(notices.markDone(id!, receipt(A, 1)), true);
      assert.equal(notices.toComplete().length, 0);
      const record = notices.get(id!)!;
      assert.equal(record.doneAt, 6000);
      assert.deepEqual(record.doneReply, receipt(A, 1));
      assert.equal(notices.markDone(id!, receipt(A, 1)), false, 'a second 完了 changes nothing');
    } finally {
      store.close();
    }
  });

  void it('refuses 取得完了 for a notice not kept, for another notice, and for a 補正通知', () => {
    const { store, notices } = open();
    try {
      const [id] = notices.recordListed(A, [listedEntry(entry(1))]);
      rejectsCode(() => notices.markDone(id!, receipt(A, 1)), 'NOTICE_NOT_KEPT');
      notices.recordKept(id!, kept('c'));
      rejectsCode(() => notices.markDone(id!, receipt(A, 2)), 'NOTICE_INVALID');
      rejectsCode(() => notices.markDone(id!, receipt(B, 1)), 'NOTICE_INVALID');
      const [amendId] = notices.recordListed(A, [listedAmend({ noticeSubId: 1, requestedDate: '20260120100000', expiredDate: '', completedDate: '', title: '補正', zip: new Uint8Array(), fileNames: [] })]);
      notices.recordKept(amendId!, kept('d'));
      rejectsCode(() => notices.markDone(amendId!, receipt(A, 1)), 'NOTICE_INVALID');
      rejectsCode(() => notices.markDone(999, receipt(A, 1)), 'NOTICE_NOT_FOUND');
    } finally {
      store.close();
    }
  });

  void it('a 補正通知 is done when kept and never owes 取得完了', () => {
    const { store, notices } = open();
    try {
      const [id] = notices.recordListed(A, [listedAmend({ noticeSubId: 1, requestedDate: '20260120100000', expiredDate: '', completedDate: '', title: '補正', zip: new Uint8Array(), fileNames: [] })]);
      notices.recordKept(id!, kept('e'));
      assert.notEqual(notices.get(id!)!.doneAt, null);
      assert.equal(notices.toComplete().length, 0);
    } finally {
      store.close();
    }
  });

  void it('records a refused ZIP as kept but unreadable, with no files; it still owes 取得完了', () => {
    const { store, notices } = open();
    try {
      const [id] = notices.recordListed(A, [listedEntry(entry(1))]);
      notices.recordKept(id!, kept('f', { files: null, refusal: { code: 'NOTICE_ZIP_UNSAFE_NAME', message: '使えません。' } }));
      const r = notices.get(id!)!;
      assert.deepEqual(r.refusal, { code: 'NOTICE_ZIP_UNSAFE_NAME', message: '使えません。' });
      assert.deepEqual(r.files, []);
      assert.deepEqual(notices.toComplete().map((n) => n.id), [id]);
    } finally {
      store.close();
    }
  });

  void it('keeps the first ZIP when a notice is kept twice (a re-download differs in its timestamps)', () => {
    const { store, notices } = open();
    try {
      const [id] = notices.recordListed(A, [listedEntry(entry(1))]);
      assert.equal(notices.recordKept(id!, kept('1')), true);
      assert.equal(notices.recordKept(id!, kept('2')), false);
      assert.equal(notices.get(id!)!.zip?.sha256, '1'.repeat(64));
      assert.equal(notices.files(id!).length, 2);
    } finally {
      store.close();
    }
  });

  void it('refuses a kept result that is malformed, storing nothing', () => {
    const { store, notices } = open();
    try {
      const [id] = notices.recordListed(A, [listedEntry(entry(1))]);
      rejectsCode(() => notices.recordKept(id!, kept('1', { zipSha256: '../x' })), 'NOTICE_INVALID');
      rejectsCode(() => notices.recordKept(id!, kept('1', { refusal: { code: 'X', message: 'y' } })), 'NOTICE_INVALID');
      rejectsCode(() => notices.recordKept(id!, kept('1', { files: null })), 'NOTICE_INVALID');
      const dup = kept('1');
      dup.files!.push({ ...dup.files![0]! });
      assert.throws(() => notices.recordKept(id!, dup), /UNIQUE|PRIMARY/);
      assert.equal(notices.get(id!)!.keptAt, null, 'the failed transaction left the notice unkept');
      assert.equal(notices.files(id!).length, 0);
      rejectsCode(() => notices.recordKept(999, kept('1')), 'NOTICE_NOT_FOUND');
    } finally {
      store.close();
    }
  });

  void it('records the last error, cleared by the next success; verification as given', () => {
    const { store, notices, clock } = open();
    try {
      const [id] = notices.recordListed(A, [listedEntry(entry(1))]);
      clock.t = 4000;
      notices.recordError(id!, { code: 'EGOV_HTTP', message: '接続できません。' });
      assert.deepEqual(notices.get(id!)!.lastError, { code: 'EGOV_HTTP', message: '接続できません。', at: 4000 });
      notices.recordKept(id!, kept('1'));
      assert.equal(notices.get(id!)!.lastError, null);
      const remote: RemoteVerification = { arriveId: A, errorCount: 0, errors: [], documentFileName: '0000-API-001.xml', attachedFileName: '-', official: null, government: null };
      notices.saveVerification(id!, { valid: false, checks: ['signature'] }, remote);
      const r = notices.get(id!)!;
      assert.deepEqual(r.localVerification, { valid: false, checks: ['signature'] });
      assert.deepEqual(r.remoteVerification, remote);
      assert.equal(r.verifiedAt, 4000);
      notices.saveVerification(id!, null, null);
      assert.equal(notices.get(id!)!.remoteVerification, null);
      rejectsCode(() => notices.recordError(999, { code: 'X', message: 'y' }), 'NOTICE_NOT_FOUND');
    } finally {
      store.close();
    }
  });
});

void describe('NoticeStore: the inbox', () => {
  void it('puts unread first, then the newest issue date, with the tracked case and null for others', () => {
    const { store, notices, clock } = open();
    try {
      new CaseStore(store).storeListed([{ sendNumber: SEND, application: arrivedApplication(A, { applicantName: '山田　花子' }) }], new Set());
      const ids = notices.recordListed(A, [
        listedEntry(entry(1, { issueDate: '20260101000000' })),
        listedEntry(entry(2, { issueDate: '20260301000000' })),
        listedEntry(entry(3, { issueDate: '20260201000000', kind: 'comment' })),
      ]);
      const [other] = notices.recordListed(B, [listedEntry(entry(1, { issueDate: '20260401000000' }))]);
      clock.t = 9000;
      notices.markRead(ids[1]!); // the newest of A, read
      notices.markRead(ids[1]!);
      assert.equal(notices.get(ids[1]!)!.readAt, 9000);
      const page = notices.inbox();
      assert.deepEqual(
        page.items.map((n) => [n.id, n.readAt === null]),
        [
          [other, true],
          [ids[2], true],
          [ids[0], true],
          [ids[1], false],
        ],
      );
      assert.equal(page.next, null);
      assert.equal(page.items[1]!.procedureName, '健康保険・厚生年金保険被保険者資格取得届');
      assert.equal(page.items[1]!.applicantName, '山田　花子');
      assert.equal(page.items[0]!.procedureName, null, 'a case this profile does not track');
      assert.deepEqual(notices.unreadCounts(), { total: 3, byKind: { amend: 0, document: 2, comment: 1 } });
    } finally {
      store.close();
    }
  });

  void it('pages through every notice once, in order, with equal issue dates', () => {
    const { store, notices } = open();
    try {
      const listed = Array.from({ length: 25 }, (_, i) => listedEntry(entry(i + 1, { issueDate: `2026010${i % 3}000000` })));
      const ids = notices.recordListed(A, listed);
      for (const id of ids.slice(0, 7)) notices.markRead(id);
      const whole = notices.inbox({ limit: 1000 }).items.map((n) => n.id);
      const paged: number[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 20; guard++) {
        const page = notices.inbox({ limit: 4, ...(cursor === undefined ? {} : { cursor }) });
        paged.push(...page.items.map((n) => n.id));
        if (page.next === null) break;
        cursor = page.next;
      }
      assert.deepEqual(paged, whole);
      assert.equal(new Set(paged).size, 25);
      const unreadFirst = paged.map((id) => notices.get(id)!.readAt === null);
      assert.deepEqual(unreadFirst, [...Array(18).fill(true), ...Array(7).fill(false)]);
    } finally {
      store.close();
    }
  });

  void it('refuses a cursor that was not made by the inbox', () => {
    const { store, notices } = open();
    try {
      for (const bad of ['x', Buffer.from('[2,"a",1]').toString('base64url'), Buffer.from('[1,"a",1.5]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url'), 'A'.repeat(10_000), Buffer.from(JSON.stringify([1, 'x'.repeat(5000), 1])).toString('base64url')]) {
        rejectsCode(() => notices.inbox({ cursor: bad }), 'NOTICE_INVALID');
      }
    } finally {
      store.close();
    }
  });

  void it('filters by kind, unread and case, pages within the filter, and counts what it shows', () => {
    const { store, notices } = open();
    try {
      notices.recordListed(A, [entry(1), entry(2), entry(1, { kind: 'comment', title: 'コメント1' })].map(listedEntry));
      notices.recordListed(B, [entry(1), entry(2, { kind: 'comment', title: 'コメント2' })].map(listedEntry));
      const first = notices.find(A, 'document', 1)!;
      notices.recordKept(first.id, kept('1'));
      notices.markRead(first.id);
      assert.deepEqual(notices.counts(), { total: 5, unread: 4 });
      assert.deepEqual(notices.counts({ kind: 'document' }), { total: 3, unread: 2 });
      assert.deepEqual(notices.counts({ arriveId: A }), { total: 3, unread: 2 });
      assert.deepEqual(notices.counts({ unreadOnly: true, arriveId: A }), { total: 2, unread: 2 });
      assert.deepEqual(notices.counts({ arriveId: '9002026000000099' }), { total: 0, unread: 0 });
      assert.ok(notices.inbox({ kind: 'comment' }).items.every((n) => n.kind === 'comment'));
      assert.equal(notices.inbox({ kind: 'comment' }).items.length, 2);
      assert.ok(notices.inbox({ unreadOnly: true }).items.every((n) => n.readAt === null));
      assert.equal(notices.inbox({ unreadOnly: true }).items.length, 4);
      const paged: number[] = [];
      let cursor: string | undefined;
      do {
        const page = notices.inbox({ arriveId: A, limit: 1, ...(cursor ? { cursor } : {}) });
        paged.push(...page.items.map((n) => n.id));
        cursor = page.next ?? undefined;
      } while (cursor);
      assert.deepEqual(paged.sort(), notices.forCase(A).map((n) => n.id).sort());
      // the one read is last within its case
      assert.equal(notices.inbox({ arriveId: A }).items.at(-1)?.id, first.id);
    } finally {
      store.close();
    }
  });

  void it('searches the 到達番号, the title and the tracked case\'s names, matched as typed (% and _ are characters)', () => {
    const { store, notices } = open();
    try {
      new CaseStore(store).storeListed([{ sendNumber: SEND, application: arrivedApplication(A, { applicantName: '山田　花子', corporationName: '株式会社届' }) }], new Set());
      notices.recordListed(A, [entry(1, { title: '資格取得確認通知書' }), entry(2, { title: '標準報酬 100%_決定通知書' })].map(listedEntry));
      notices.recordListed(B, [entry(1, { kind: 'comment', title: 'お知らせ' })].map(listedEntry));
      const titles = (text: string) => notices.inbox({ text }).items.map((n) => n.title).sort();
      assert.deepEqual(titles('確認通知'), ['資格取得確認通知書']);
      assert.deepEqual(titles('花子'), ['標準報酬 100%_決定通知書', '資格取得確認通知書'], 'by the case\'s 氏名');
      assert.deepEqual(titles('株式会社届'), ['標準報酬 100%_決定通知書', '資格取得確認通知書'], 'by its 法人団体名');
      assert.deepEqual(titles('被保険者資格取得届'), ['標準報酬 100%_決定通知書', '資格取得確認通知書'], 'by its 手続名称');
      assert.deepEqual(titles(B.slice(-6)), ['お知らせ'], 'by part of the 到達番号 (a case Todoke does not track)');
      assert.deepEqual(titles('%'), ['標準報酬 100%_決定通知書']);
      assert.deepEqual(titles('_'), ['標準報酬 100%_決定通知書']);
      assert.deepEqual(titles("'; DROP TABLE notices; --"), []);
      assert.deepEqual(notices.counts({ text: '花子' }), { total: 2, unread: 2 });
      assert.deepEqual(notices.counts({ text: '花子', kind: 'comment' }), { total: 0, unread: 0 });
      assert.equal(notices.inbox({ text: '' }).items.length, 3, 'an empty text filters nothing');
    } finally {
      store.close();
    }
  });
});

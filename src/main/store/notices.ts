// Core host. The notice records: each 補正通知, 公文書 and コメント a list showed (keyed by 到達番号,
// kind and 通知番号), whether its ZIP is kept in the vault and under which hash, its files by name,
// 取得完了, reading, verification and the last failure. The bytes are in the vault
// (src/main/documents/vault.ts); this file holds what they are.
//
// The order that makes a crash harmless (ARCHITECTURE "Data that must never be lost"): the vault
// writes the ZIP and its files, recordKept() commits, and only then may 取得完了 be sent; markDone()
// refuses a notice that is not kept. A crash between keeping and 取得完了 leaves the notice in
// toComplete(), which the next cycle completes without downloading again; a crash before recordKept()
// leaves it in toFetch(), and the re-download costs no second write of bytes already in the vault.
//
// Writes are IMMEDIATE transactions that re-read the row they change, so a CLI command and the app
// sharing the database can never both keep or complete one notice.
import type { AmendNotice, NoticeEntry, NoticeInboxItem, NoticeKind, NoticeReceipt, NoticeRefusal, NoticeSummary, NoticeUnreadView, RemoteVerification } from '../../shared/documents.js';
import { TodokeError } from '../../shared/errors.js';
import type { KeptFile, KeptZip } from '../documents/vault.js';
import type { SqliteDatabase, Store } from './db.js';

export type NoticeStoreErrorCode =
  /** no notice with that id */
  | 'NOTICE_NOT_FOUND'
  /** 取得完了 recorded for a notice whose ZIP is not kept */
  | 'NOTICE_NOT_KEPT'
  /** an argument that cannot be stored as given (a cursor, a reply for another notice, a bad hash) */
  | 'NOTICE_INVALID';

export class NoticeStoreError extends TodokeError<NoticeStoreErrorCode> {
  constructor(code: NoticeStoreErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'NoticeStoreError';
  }
}

/** One notice as a list said it: 補正通知一覧 (listedAmend) or 公文書・コメント一覧 (listedEntry). */
export interface ListedNotice {
  kind: NoticeKind;
  noticeSubId: number;
  title: string;
  issueDate: string;
  deadline: string;
  completedDate: string;
  fileNames: string[];
  state: string;
}

export function listedAmend(n: AmendNotice): ListedNotice {
  return {
    kind: 'amend',
    noticeSubId: n.noticeSubId,
    title: n.title,
    issueDate: n.requestedDate,
    deadline: n.expiredDate,
    completedDate: n.completedDate,
    fileNames: n.fileNames,
    // 補正通知一覧 sends no state of its own
    state: '',
  };
}

export function listedEntry(e: NoticeEntry): ListedNotice {
  return { kind: e.kind, noticeSubId: e.noticeSubId, title: e.title, issueDate: e.issueDate, deadline: '', completedDate: '', fileNames: e.fileNames, state: e.state };
}

export interface NoticeRecord extends NoticeSummary {
  /** the ZIP in the vault; null until kept */
  zip: { sha256: string; size: number } | null;
  /** the files of the kept ZIP, in name order (none when refused or not kept) */
  files: KeptFile[];
  /** the NoticeReceipt 取得完了 returned */
  doneReply: NoticeReceipt | null;
  /** what the local verifier said, as it was given (JSON) */
  localVerification: unknown;
  remoteVerification: RemoteVerification | null;
}

/** Which notices an inbox shows: one kind, unread only, one case (all when absent). */
export interface InboxFilter {
  kind?: NoticeKind;
  unreadOnly?: boolean;
  arriveId?: string;
  /** part of the 到達番号, the title, or the case's 氏名, 法人団体名 or 手続名称 (matched as it is) */
  text?: string;
}

function filterSql(filter: InboxFilter): { conditions: string[]; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.kind !== undefined) {
    conditions.push('n.kind = ?');
    params.push(filter.kind);
  }
  if (filter.unreadOnly) conditions.push('n.read_at IS NULL');
  if (filter.arriveId !== undefined) {
    conditions.push('n.arrive_id = ?');
    params.push(filter.arriveId);
  }
  if (filter.text !== undefined && filter.text !== '') {
    // instr, not LIKE, as the case list searches: the text is matched as it is (% and _ are characters);
    // the case's names come from the join (a notice of a case Todoke does not track has none)
    conditions.push(
      `(instr(n.arrive_id, ?) > 0 OR instr(n.title, ?) > 0 OR instr(coalesce(a.applicant_name, ''), ?) > 0 OR instr(coalesce(a.corporation_name, ''), ?) > 0 OR instr(coalesce(a.procedure_name, ''), ?) > 0)`,
    );
    params.push(filter.text, filter.text, filter.text, filter.text, filter.text);
  }
  return { conditions, params };
}

export interface InboxRequest extends InboxFilter {
  /** from a previous page's `next` */
  cursor?: string;
  /** 1–1000, default 100 */
  limit?: number;
}

export interface InboxPage {
  items: NoticeInboxItem[];
  /** pass as `cursor` for the next page; null on the last */
  next: string | null;
}

export type UnreadCounts = NoticeUnreadView;

export interface NoticeStoreOptions {
  now?: () => number;
}

interface Row {
  id: number;
  arrive_id: string;
  kind: NoticeKind;
  notice_sub_id: number;
  title: string;
  issue_date: string;
  deadline: string;
  completed_date: string;
  listed_file_names: string;
  egov_state: string;
  first_seen_at: number;
  zip_sha256: string | null;
  zip_size: number | null;
  kept_at: number | null;
  refusal_code: string | null;
  refusal_message: string | null;
  done_at: number | null;
  read_at: number | null;
  verified_at: number | null;
  last_error: string | null;
}

const SUMMARY_COLUMNS = `n.id, n.arrive_id, n.kind, n.notice_sub_id, n.title, n.issue_date, n.deadline, n.completed_date, n.listed_file_names,
  n.egov_state, n.first_seen_at, n.zip_sha256, n.zip_size, n.kept_at, n.refusal_code, n.refusal_message, n.done_at, n.read_at,
  n.verified_at, n.last_error`;

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;
const HASH = /^[0-9a-f]{64}$/;

export class NoticeStore {
  private readonly db: SqliteDatabase;
  private readonly now: () => number;

  constructor(store: Store, options: NoticeStoreOptions = {}) {
    this.db = store.db;
    this.now = options.now ?? Date.now;
  }

  // ------------------------------------------------------------------------------ reading

  get(id: number): NoticeRecord | null {
    const row = this.db.prepare(`SELECT ${SUMMARY_COLUMNS}, n.done_reply, n.local_verification, n.remote_verification FROM notices n WHERE n.id = ?`).get(id) as
      | (Row & { done_reply: string | null; local_verification: string | null; remote_verification: string | null })
      | undefined;
    if (!row) return null;
    return {
      ...toSummary(row),
      zip: row.zip_sha256 === null ? null : { sha256: row.zip_sha256, size: row.zip_size ?? 0 },
      files: this.files(id),
      doneReply: parseJson(row.done_reply) as NoticeReceipt | null,
      localVerification: parseJson(row.local_verification),
      remoteVerification: parseJson(row.remote_verification) as RemoteVerification | null,
    };
  }

  /** The notice of a case with that kind and 通知番号, or null. */
  find(arriveId: string, kind: NoticeKind, noticeSubId: number): NoticeRecord | null {
    const row = this.db.prepare('SELECT id FROM notices WHERE arrive_id = ? AND kind = ? AND notice_sub_id = ?').get(arriveId, kind, noticeSubId) as { id: number } | undefined;
    return row ? this.get(row.id) : null;
  }

  files(id: number): KeptFile[] {
    return this.db.prepare('SELECT name, sha256, size, media FROM notice_files WHERE notice_id = ? ORDER BY name').all(id) as KeptFile[];
  }

  /** Every notice of a case: 補正通知, then 公文書, then コメント, each by 通知番号. */
  forCase(arriveId: string): NoticeSummary[] {
    const rows = this.db
      .prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM notices n WHERE n.arrive_id = ?
         ORDER BY CASE n.kind WHEN 'amend' THEN 0 WHEN 'document' THEN 1 ELSE 2 END, n.notice_sub_id`,
      )
      .all(arriveId) as Row[];
    return rows.map(toSummary);
  }

  /** Listed, ZIP not kept yet: what the next cycle downloads (one case, or all). */
  toFetch(arriveId?: string): NoticeSummary[] {
    const rows = (
      arriveId === undefined
        ? this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM notices n WHERE n.kept_at IS NULL ORDER BY n.arrive_id, n.kind, n.notice_sub_id`).all()
        : this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM notices n WHERE n.kept_at IS NULL AND n.arrive_id = ? ORDER BY n.kind, n.notice_sub_id`).all(arriveId)
    ) as Row[];
    return rows.map(toSummary);
  }

  /** 公文書 and コメント kept but not confirmed done: 取得完了 is owed (after a crash, too). */
  toComplete(): NoticeSummary[] {
    const rows = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM notices n WHERE n.kept_at IS NOT NULL AND n.done_at IS NULL AND n.kind IN ('document', 'comment') ORDER BY n.id`)
      .all() as Row[];
    return rows.map(toSummary);
  }

  /**
   * Notices across cases, unread first, then the newest issue date, a page at a time (keyset: a
   * page is stable while others arrive), with the case's 手続名 and applicant when it is tracked.
   */
  inbox(request: InboxRequest = {}): InboxPage {
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(request.limit ?? DEFAULT_PAGE)));
    const { conditions, params } = filterSql(request);
    if (request.cursor !== undefined) {
      const c = parseCursor(request.cursor);
      conditions.push(`((n.read_at IS NULL) < ? OR ((n.read_at IS NULL) = ? AND (n.issue_date < ? OR (n.issue_date = ? AND n.id < ?))))`);
      params.push(c.unread, c.unread, c.issueDate, c.issueDate, c.id);
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = this.db
      .prepare(
        `SELECT ${SUMMARY_COLUMNS}, a.procedure_name AS case_procedure_name, a.applicant_name AS case_applicant_name
         FROM notices n LEFT JOIN arrived_applications a ON a.arrive_id = n.arrive_id ${where}
         ORDER BY (n.read_at IS NULL) DESC, n.issue_date DESC, n.id DESC LIMIT ?`,
      )
      .all(...params, limit + 1) as (Row & { case_procedure_name: string | null; case_applicant_name: string | null })[];
    const items = rows.slice(0, limit).map((r) => ({ ...toSummary(r), procedureName: r.case_procedure_name, applicantName: r.case_applicant_name }));
    const last = items[items.length - 1];
    return { items, next: rows.length > limit && last ? makeCursor(last) : null };
  }

  /** How many notices match `filter`, and how many of those are unread (the inbox's heading). */
  counts(filter: InboxFilter = {}): { total: number; unread: number } {
    const { conditions, params } = filterSql(filter);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const row = this.db
      .prepare(`SELECT count(*) AS total, sum(CASE WHEN n.read_at IS NULL THEN 1 ELSE 0 END) AS unread FROM notices n LEFT JOIN arrived_applications a ON a.arrive_id = n.arrive_id ${where}`)
      .get(...params) as {
      total: number;
      unread: number | null;
    };
    return { total: row.total, unread: row.unread ?? 0 };
  }

  /** Notices the user has not opened in Todoke, by kind. */
  unreadCounts(): UnreadCounts {
    const rows = this.db.prepare('SELECT kind, count(*) AS n FROM notices WHERE read_at IS NULL GROUP BY kind').all() as { kind: NoticeKind; n: number }[];
    const byKind: Record<NoticeKind, number> = { amend: 0, document: 0, comment: 0 };
    for (const r of rows) byKind[r.kind] = r.n;
    return { total: byKind.amend + byKind.document + byKind.comment, byKind };
  }

  // ------------------------------------------------------------------------------ writing

  /**
   * Stores what a list said of a case's notices, in one transaction: new ones inserted, known ones
   * brought up to the list's text and state. Never touches what was kept, completed or read.
   * Returns the ids of the notices seen for the first time.
   */
  recordListed(arriveId: string, listed: readonly ListedNotice[]): number[] {
    if (!listed.length) return [];
    const at = this.now();
    const existing = this.db.prepare('SELECT id FROM notices WHERE arrive_id = ? AND kind = ? AND notice_sub_id = ?');
    const upsert = this.db.prepare(
      `INSERT INTO notices (arrive_id, kind, notice_sub_id, title, issue_date, deadline, completed_date, listed_file_names, egov_state, first_seen_at, listed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(arrive_id, kind, notice_sub_id) DO UPDATE SET title = excluded.title, issue_date = excluded.issue_date,
         deadline = excluded.deadline, completed_date = excluded.completed_date, listed_file_names = excluded.listed_file_names,
         egov_state = excluded.egov_state, listed_at = excluded.listed_at`,
    );
    return this.db
      .transaction(() => {
        const added: number[] = [];
        for (const n of listed) {
          if (!Number.isSafeInteger(n.noticeSubId) || n.noticeSubId < 0) throw invalid(`一覧の通知番号「${String(n.noticeSubId)}」が正しくありません。`, 'noticeSubId');
          const known = existing.get(arriveId, n.kind, n.noticeSubId) as { id: number } | undefined;
          const result = upsert.run(arriveId, n.kind, n.noticeSubId, n.title, n.issueDate, n.deadline, n.completedDate, JSON.stringify(n.fileNames), n.state, at, at);
          if (!known) added.push(Number(result.lastInsertRowid));
        }
        return added;
      })
      .immediate();
  }

  /**
   * Records that the vault holds the notice's ZIP (and its files, unless refused): call only once
   * Vault.keep() resolved. A 補正通知 is done with it (there is no 取得完了 for one). A notice kept
   * already keeps its first ZIP (e-Gov stamps each download with the time, so a second download
   * differs in bytes, not in content); returns false then.
   */
  recordKept(id: number, kept: KeptZip): boolean {
    if (!HASH.test(kept.zipSha256) || (kept.files ?? []).some((f) => !HASH.test(f.sha256))) throw invalid('保管した ZIP のハッシュが正しくありません。', 'sha256');
    if ((kept.files === null) === (kept.refusal === null)) throw invalid('保管結果にはファイルの一覧か拒否の理由のどちらか一方が必要です。', 'files xor refusal');
    const at = this.now();
    return this.db
      .transaction(() => {
        const row = this.row(id);
        if (row.kept_at !== null) return false;
        this.db
          .prepare(
            `UPDATE notices SET zip_sha256 = ?, zip_size = ?, kept_at = ?, refusal_code = ?, refusal_message = ?, done_at = ?, last_error = NULL
             WHERE id = ?`,
          )
          .run(kept.zipSha256, kept.zipSize, at, kept.refusal?.code ?? null, kept.refusal?.message ?? null, row.kind === 'amend' ? at : null, id);
        const insert = this.db.prepare('INSERT INTO notice_files (notice_id, name, sha256, size, media) VALUES (?, ?, ?, ?, ?)');
        for (const f of kept.files ?? []) insert.run(id, f.name, f.sha256, f.size, f.media);
        return true;
      })
      .immediate();
  }

  /** Records 取得完了 as e-Gov confirmed it. False when it was recorded already (the first stays). */
  markDone(id: number, receipt: NoticeReceipt): boolean {
    const at = this.now();
    return this.db
      .transaction(() => {
        const row = this.row(id);
        if (row.kind === 'amend') throw invalid('補正通知には取得完了がありません（保管した時点で完了です）。', 'amend has no done');
        if (receipt.arriveId !== row.arrive_id || receipt.noticeSubId !== row.notice_sub_id) {
          throw invalid(`取得完了の応答（到達番号 ${receipt.arriveId}、通知番号 ${receipt.noticeSubId}）が、記録する通知（到達番号 ${row.arrive_id}、通知番号 ${row.notice_sub_id}）と一致しません。`, 'receipt of another notice');
        }
        if (row.kept_at === null) {
          throw new NoticeStoreError(
            'NOTICE_NOT_KEPT',
            {
              ja: `到達番号 ${row.arrive_id} の通知 ${row.notice_sub_id} は保管庫にまだ保管されていません。保管する前に取得完了を記録することはできません。`,
              en: `notice ${id} is not kept: 取得完了 must follow the vault`,
            },
            { detail: { id } },
          );
        }
        if (row.done_at !== null) return false;
        this.db.prepare('UPDATE notices SET done_at = ?, done_reply = ?, last_error = NULL WHERE id = ?').run(at, JSON.stringify(receipt), id);
        return true;
      })
      .immediate();
  }

  /** The user opened it. The first time is kept. */
  markRead(id: number): void {
    const at = this.now();
    this.db
      .transaction(() => {
        this.row(id);
        this.db.prepare('UPDATE notices SET read_at = coalesce(read_at, ?) WHERE id = ?').run(at, id);
      })
      .immediate();
  }

  /** The last failure while fetching, keeping or completing it (cleared by the next success). */
  recordError(id: number, error: { code: string; message: string }): void {
    const at = this.now();
    this.db
      .transaction(() => {
        this.row(id);
        this.db.prepare('UPDATE notices SET last_error = ? WHERE id = ?').run(JSON.stringify({ code: error.code, message: error.message, at }), id);
      })
      .immediate();
  }

  /** What the local verifier and 公文書署名検証 said (either may be null: not asked, or unreachable). */
  saveVerification(id: number, local: unknown, remote: RemoteVerification | null): void {
    const at = this.now();
    this.db
      .transaction(() => {
        this.row(id);
        this.db
          .prepare('UPDATE notices SET local_verification = ?, remote_verification = ?, verified_at = ? WHERE id = ?')
          .run(local === null || local === undefined ? null : JSON.stringify(local), remote === null ? null : JSON.stringify(remote), at, id);
      })
      .immediate();
  }

  private row(id: number): Row {
    const row = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM notices n WHERE n.id = ?`).get(id) as Row | undefined;
    if (!row) {
      throw new NoticeStoreError('NOTICE_NOT_FOUND', { ja: `通知（ID ${id}）が見つかりません。一覧を更新してください。`, en: `no notice ${id}` }, { detail: { id } });
    }
    return row;
  }
}

// ---------------------------------------------------------------------------------------------

function toSummary(r: Row): NoticeSummary {
  const refusal: NoticeRefusal | null = r.refusal_code === null ? null : { code: r.refusal_code, message: r.refusal_message ?? '' };
  return {
    id: r.id,
    arriveId: r.arrive_id,
    kind: r.kind,
    noticeSubId: r.notice_sub_id,
    title: r.title,
    issueDate: r.issue_date,
    deadline: r.deadline,
    completedDate: r.completed_date,
    listedFileNames: parseJson(r.listed_file_names) as string[],
    egovState: r.egov_state,
    firstSeenAt: r.first_seen_at,
    keptAt: r.kept_at,
    refusal,
    doneAt: r.done_at,
    readAt: r.read_at,
    verifiedAt: r.verified_at,
    lastError: parseJson(r.last_error) as NoticeSummary['lastError'],
  };
}

function parseJson(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

interface Cursor {
  unread: 0 | 1;
  issueDate: string;
  id: number;
}

function makeCursor(item: NoticeSummary): string {
  return Buffer.from(JSON.stringify([item.readAt === null ? 1 : 0, item.issueDate, item.id]), 'utf8').toString('base64url');
}

function parseCursor(cursor: string): Cursor {
  let value: unknown;
  try {
    value = cursor.length <= 4096 ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 3 || (value[0] !== 0 && value[0] !== 1) || typeof value[1] !== 'string' || !Number.isSafeInteger(value[2])) {
    throw invalid('受信一覧のページ位置が正しくありません。一覧を最初から表示し直してください。', 'bad inbox cursor');
  }
  return { unread: value[0] as 0 | 1, issueDate: value[1] as string, id: value[2] as number };
}

function invalid(ja: string, en: string): NoticeStoreError {
  return new NoticeStoreError('NOTICE_INVALID', { ja, en: `notices: ${en}` });
}

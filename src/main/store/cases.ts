// Core host. The case repository: a case is an arrived application (a row of arrived_applications,
// keyed by 到達番号 and linked to its batch by 送信番号 and, when this computer sent it, to its outbox
// entry), with what 状況照会 said (dates, messages, flags), its ApplyHistory, the statuses Todoke saw
// it take, and a cursor (change_seq) that tells a screen what changed since it last looked. Statuses
// are stored as e-Gov wrote them, an unknown one included: nothing here maps or drops a string.
//
// Writes are IMMEDIATE transactions: a sync's list results in one, each 状況照会 in its own, so a
// crash loses at most the case being written and never leaves one half-updated. The cursor and the
// observed statuses are kept by triggers (migration 3), whoever writes the row.
import { CASE_ATTENTIONS, type CaseActionCount, type CaseAttention, type CaseFilter, type CaseCounters, type CaseEvent, type CaseReferenceView, type CaseStatus } from '../../shared/case.js';
import type { ArrivedApplication } from '../../shared/filing.js';
import { TodokeError } from '../../shared/errors.js';
import { applicationValues, toApplication, type ApplicationRow } from './application-rows.js';
import type { SqliteDatabase, Store } from './db.js';

export type CaseStoreErrorCode = 'CASE_NOT_FOUND' | 'CASE_INVALID';

export class CaseStoreError extends TodokeError<CaseStoreErrorCode> {
  constructor(code: CaseStoreErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'CaseStoreError';
  }
}

/** What 状況照会 said beyond the history, as stored (the view's, with the time in epoch ms). */
export type CaseReference = Omit<CaseReferenceView, 'referencedAt'> & {
  /** epoch ms */
  referencedAt: number;
};

/** A status Todoke saw the case take (from a list or 状況照会), as sent. */
/** A status change Todoke saw, with the case's names (recentChanges). */
export interface RecentCaseChange {
  arriveId: string;
  /** epoch ms Todoke saw it */
  at: number;
  from: string;
  to: string;
  /** JST YYYYMMDDhhmmss StatusDate, as sent */
  statusDate: string;
  procedureName: string;
  applicantName: string;
}

export interface CaseObservation {
  /** epoch ms */
  at: number;
  from: string | null;
  to: string;
  statusDate: string;
}

export interface CaseSummary extends ArrivedApplication {
  /** null for a 取下げ case (sent on its own, not in a batch) */
  sendNumber: string | null;
  /** a 取下げ case: the 到達番号 of the case it withdraws; null for any other */
  withdrawalOf: string | null;
  /** a 補正 case: the 到達番号 of the case it corrects; null for any other */
  amendmentOf: string | null;
  /** the outbox entry that sent it; null for a batch sent elsewhere */
  entryId: string | null;
  /** epoch ms of the last write */
  updatedAt: number;
  /** a 状況照会 owed (the last one failed) */
  needsReference: boolean;
  /** the "changed since" cursor of this row */
  changeSeq: number;
}

export interface CaseRecord extends CaseSummary {
  reference: CaseReference | null;
  /** ApplyHistory, oldest first */
  history: CaseEvent[];
  /** statuses seen, oldest first */
  observations: CaseObservation[];
}

export type { CaseFilter } from '../../shared/case.js';

export interface CasePageRequest extends CaseFilter {
  /** from a previous page's `next`: the cases after it (newest first) */
  after?: string;
  /** 1–1000, default 100 */
  limit?: number;
}

export interface CasePage {
  cases: CaseSummary[];
  /** pass as `after` for the next page; null on the last */
  next: string | null;
}

export interface ChangedCases {
  cases: CaseSummary[];
  /** the cursor to ask with next time */
  cursor: number;
}

/** What the sync needs to compare: one entry per case, small. */
export interface TrackedCase {
  arriveId: string;
  sendNumber: string;
  counters: CaseCounters;
  needsReference: boolean;
}

/** The counters of a case that say a notice waits (CaseStore.withNotices). */
export type CaseNoticeCounters = { arriveId: string } & Pick<CaseCounters, 'correctStatus' | 'commentCountNotRead' | 'commentCount' | 'docCountNotDownload' | 'docCount'>;

/** A case as a 送信案件一覧 answer lists it, with the 送信番号 of the batch it belongs to. */
export interface ListedApplication {
  sendNumber: string;
  application: ArrivedApplication;
}

interface Row extends ApplicationRow {
  entry_id: string | null;
  send_number: string | null;
  withdrawal_of: string | null;
  amendment_of: string | null;
  updated_at: number;
  needs_reference: number;
  change_seq: number;
}

/** tracked()'s columns, in order */
type TrackedRow = [string, string, string, string, string, number, string, number, number, number, number, number];

interface ReferenceRow {
  arrive_date: string | null;
  exam_start_date: string | null;
  exam_end_date: string | null;
  procedure_end_date: string | null;
  amend_message: string | null;
  comment_message: string | null;
  document_message: string | null;
  pay_message: string | null;
  withdraw_flag: string | null;
  withdraw_type: string | null;
  reintroduction_flag: string | null;
  referenced_at: number | null;
}

const SUMMARY_COLUMNS = `arrive_id, entry_id, send_number, withdrawal_of, amendment_of, ministry_name, procedure_name, procedure_folder_name, applicant_name,
  corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status, comment_count_not_read,
  comment_count, doc_count_not_download, doc_count, updated_at, needs_reference, change_seq`;

const REFERENCE_COLUMNS = `arrive_date, exam_start_date, exam_end_date, procedure_end_date, amend_message, comment_message,
  document_message, pay_message, withdraw_flag, withdraw_type, reintroduction_flag, referenced_at`;

export const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

export interface CaseStoreOptions {
  now?: () => number;
}

export class CaseStore {
  private readonly db: SqliteDatabase;
  private readonly now: () => number;

  constructor(store: Store, options: CaseStoreOptions = {}) {
    this.db = store.db;
    this.now = options.now ?? Date.now;
  }

  // ------------------------------------------------------------------------------ reading

  get(arriveId: string): CaseRecord | null {
    const row = this.db.prepare(`SELECT ${SUMMARY_COLUMNS}, ${REFERENCE_COLUMNS} FROM arrived_applications WHERE arrive_id = ?`).get(arriveId) as
      | (Row & ReferenceRow)
      | undefined;
    if (!row) return null;
    return { ...toSummary(row), reference: toReference(row), history: this.history(arriveId), observations: this.observations(arriveId) };
  }

  history(arriveId: string): CaseEvent[] {
    const rows = this.db
      .prepare(
        `SELECT sub_id, date, operator_type, process_type, status, pay_number, pay_status, total_fee, pay_expired_date
         FROM case_history WHERE arrive_id = ? ORDER BY sub_id`,
      )
      .all(arriveId) as {
      sub_id: number;
      date: string;
      operator_type: string;
      process_type: string;
      status: string;
      pay_number: string;
      pay_status: string;
      total_fee: string;
      pay_expired_date: string;
    }[];
    return rows.map((r) => ({
      subId: r.sub_id,
      date: r.date,
      operatorType: r.operator_type,
      processType: r.process_type,
      status: r.status,
      payNumber: r.pay_number,
      payStatus: r.pay_status,
      totalFee: r.total_fee,
      payExpiredDate: r.pay_expired_date,
    }));
  }

  /**
   * The newest status changes Todoke saw, across cases, newest first: what moved since the filer last
   * looked. A case's first status (its arrival) is not a change: a batch of a thousand arriving would
   * fill the list. Read from the end of the table's own order (cheap at any size).
   */
  recentChanges(limit: number): RecentCaseChange[] {
    const rows = this.db
      .prepare(
        `SELECT o.arrive_id, o.at, o.from_status, o.to_status, o.status_date, a.procedure_name, a.applicant_name
         FROM case_observations o JOIN arrived_applications a ON a.arrive_id = o.arrive_id
         WHERE o.from_status IS NOT NULL ORDER BY o.id DESC LIMIT ?`,
      )
      .all(Math.min(MAX_PAGE, Math.max(1, Number.isFinite(limit) ? Math.floor(limit) : 1))) as {
      arrive_id: string;
      at: number;
      from_status: string;
      to_status: string;
      status_date: string;
      procedure_name: string;
      applicant_name: string;
    }[];
    return rows.map((r) => ({ arriveId: r.arrive_id, at: r.at, from: r.from_status, to: r.to_status, statusDate: r.status_date, procedureName: r.procedure_name, applicantName: r.applicant_name }));
  }

  observations(arriveId: string): CaseObservation[] {
    const rows = this.db
      .prepare('SELECT at, from_status, to_status, status_date FROM case_observations WHERE arrive_id = ? ORDER BY id')
      .all(arriveId) as { at: number; from_status: string | null; to_status: string; status_date: string }[];
    return rows.map((r) => ({ at: r.at, from: r.from_status, to: r.to_status, statusDate: r.status_date }));
  }

  /** Cases matching `filter`, newest 到達番号 first, one page at a time (keyset: stable while rows change). */
  list(request: CasePageRequest = {}): CasePage {
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(request.limit ?? DEFAULT_PAGE)));
    const { where, params } = filterSql(request);
    if (request.after !== undefined) {
      where.push('arrive_id < ?');
      params.push(request.after);
    }
    const rows = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM arrived_applications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY arrive_id DESC LIMIT ?`)
      .all(...params, limit + 1) as Row[];
    const more = rows.length > limit;
    const cases = rows.slice(0, limit).map(toSummary);
    return { cases, next: more ? cases[cases.length - 1]!.arriveId : null };
  }

  /** Every case matching `filter`, newest 到達番号 first (read a page at a time, as list() pages). */
  listAll(filter: CaseFilter = {}): CaseSummary[] {
    const all: CaseSummary[] = [];
    let after: string | undefined;
    for (;;) {
      const page = this.list({ ...filter, limit: MAX_PAGE, ...(after !== undefined ? { after } : {}) });
      all.push(...page.cases);
      if (page.next === null) return all;
      after = page.next;
    }
  }

  /** How many cases match `filter`. */
  count(filter: CaseFilter = {}): number {
    const { where, params } = filterSql(filter);
    const row = this.db.prepare(`SELECT count(*) AS n FROM arrived_applications ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`).get(...params) as { n: number };
    return row.n;
  }

  /** Cases per status (as sent), the largest first. */
  countsByStatus(): { status: string; count: number }[] {
    return this.db.prepare('SELECT status, count(*) AS count FROM arrived_applications GROUP BY status ORDER BY count DESC, status').all() as {
      status: string;
      count: number;
    }[];
  }

  /**
   * The dashboard's 要対応 groups, each with how many cases and their newest StatusDate: one pass in
   * SQL under the conditions the list's `attention` filter uses, so a count and its list agree
   * (counting 10,000 cases in JavaScript took the core 65–250 ms after every sync).
   */
  attentionCounts(): Record<CaseAttention, CaseActionCount> {
    const columns = CASE_ATTENTIONS.map((a, i) => `sum(CASE WHEN ${ATTENTION_SQL[a]} THEN 1 ELSE 0 END) AS n${i}, max(CASE WHEN ${ATTENTION_SQL[a]} THEN status_date END) AS d${i}`);
    const row = this.db.prepare(`SELECT ${columns.join(', ')} FROM arrived_applications`).get() as Record<string, number | string | null>;
    return Object.fromEntries(
      CASE_ATTENTIONS.map((a, i) => [a, { cases: Number(row[`n${i}`] ?? 0), newestStatusDate: (row[`d${i}`] as string | null) ?? null }]),
    ) as Record<CaseAttention, CaseActionCount>;
  }

  /**
   * Cases e-Gov says have something for the filer — a 補正 pending, an unread コメント, an undownloaded
   * 公文書 — with the totals that grow when something new is issued (the notice fetch's fingerprint).
   */
  withNotices(): CaseNoticeCounters[] {
    const rows = this.db
      .prepare(
        `SELECT arrive_id, correct_status, comment_count_not_read, comment_count, doc_count_not_download, doc_count FROM arrived_applications
         WHERE ${ATTENTION_SQL.correction} OR ${ATTENTION_SQL['unread-comments']} OR ${ATTENTION_SQL['undownloaded-documents']}`,
      )
      .all() as { arrive_id: string; correct_status: string; comment_count_not_read: number; comment_count: number; doc_count_not_download: number; doc_count: number }[];
    return rows.map((r) => ({
      arriveId: r.arrive_id,
      correctStatus: r.correct_status,
      commentCountNotRead: r.comment_count_not_read,
      commentCount: r.comment_count,
      docCountNotDownload: r.doc_count_not_download,
      docCount: r.doc_count,
    }));
  }

  /** Cases changed after `cursor` (0: all), in the order they changed; `cursor` of the answer for the next call. */
  changedSince(cursor: number, limit = MAX_PAGE): ChangedCases {
    const rows = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM arrived_applications WHERE change_seq > ? ORDER BY change_seq LIMIT ?`)
      .all(cursor, Math.min(MAX_PAGE, Math.max(1, limit))) as Row[];
    const cases = rows.map(toSummary);
    return { cases, cursor: cases.length ? cases[cases.length - 1]!.changeSeq : cursor };
  }

  /**
   * Every case of a batch, as the sync compares them with 送信案件一覧. A 取下げ case has no 送信番号
   * to list it by: withdrawalsToFollow() names those the sync asks 状況照会 of.
   */
  tracked(): TrackedCase[] {
    // read every cycle over every case: rows as arrays, which better-sqlite3 builds faster than objects
    const rows = this.db
      .prepare(
        `SELECT arrive_id, send_number, status, status_date, pay_status, pay_wait_count, correct_status, comment_count_not_read,
           comment_count, doc_count_not_download, doc_count, needs_reference FROM arrived_applications WHERE send_number IS NOT NULL`,
      )
      .raw(true)
      .all() as TrackedRow[];
    return rows.map((r) => ({
      arriveId: r[0],
      sendNumber: r[1],
      counters: {
        status: r[2],
        statusDate: r[3],
        payStatus: r[4],
        payWaitCount: r[5],
        correctStatus: r[6],
        commentCountNotRead: r[7],
        commentCount: r[8],
        docCountNotDownload: r[9],
        docCount: r[10],
      },
      needsReference: r[11] === 1,
    }));
  }

  /** The 送信番号 of every batch with a tracked case. */
  trackedSendNumbers(): string[] {
    return (this.db.prepare('SELECT DISTINCT send_number FROM arrived_applications WHERE send_number IS NOT NULL').all() as { send_number: string }[]).map(
      (r) => r.send_number,
    );
  }

  /**
   * 取下げ and 補正 cases the sync asks 状況照会 of (no list carries them: they have no 送信番号): those
   * still open (no 手続終了 date from 状況照会 yet, or never asked), those owing one, and those whose
   * original is in `changedOriginals` (the ministry acting on a 取下げ shows first on the original's
   * list entry).
   */
  withdrawalsToFollow(changedOriginals: Iterable<string> = []): string[] {
    const open = this.db
      .prepare(
        `SELECT arrive_id FROM arrived_applications WHERE (withdrawal_of IS NOT NULL OR amendment_of IS NOT NULL)
           AND (referenced_at IS NULL OR needs_reference = 1 OR coalesce(procedure_end_date, '') = '') ORDER BY arrive_id`,
      )
      .all() as { arrive_id: string }[];
    const ids = new Set(open.map((r) => r.arrive_id));
    const of = this.db.prepare('SELECT arrive_id FROM arrived_applications WHERE withdrawal_of = ? OR amendment_of = ? ORDER BY arrive_id');
    for (const original of changedOriginals) for (const r of of.all(original, original) as { arrive_id: string }[]) ids.add(r.arrive_id);
    return [...ids];
  }

  /** The 取下げ cases stored for a case, oldest 到達番号 first. */
  withdrawalCasesOf(arriveId: string): CaseSummary[] {
    const rows = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM arrived_applications WHERE withdrawal_of = ? ORDER BY arrive_id`).all(arriveId) as Row[];
    return rows.map(toSummary);
  }

  /** The 補正 cases stored for a case, oldest 到達番号 first. */
  amendmentCasesOf(arriveId: string): CaseSummary[] {
    const rows = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM arrived_applications WHERE amendment_of = ? ORDER BY arrive_id`).all(arriveId) as Row[];
    return rows.map(toSummary);
  }

  /** SubIDs of the stored history of a case. */
  historySubIds(arriveId: string): Set<number> {
    return new Set((this.db.prepare('SELECT sub_id FROM case_history WHERE arrive_id = ?').all(arriveId) as { sub_id: number }[]).map((r) => r.sub_id));
  }

  // ------------------------------------------------------------------------------ writing

  /**
   * Stores what the lists said, in one transaction: new cases inserted (linked to the outbox entry
   * that holds their 送信番号, if any), known ones updated; those in `toReference` marked as owing a
   * 状況照会 until storeReference() clears it.
   */
  storeListed(listed: readonly ListedApplication[], toReference: ReadonlySet<string>): void {
    if (!listed.length && !toReference.size) return;
    const at = this.now();
    const entryOf = this.db.prepare('SELECT id FROM outbox_entries WHERE send_number = ?');
    const upsert = this.db.prepare(
      `INSERT INTO arrived_applications (arrive_id, entry_id, send_number, ministry_name, procedure_name, procedure_folder_name,
         applicant_name, corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status,
         comment_count_not_read, comment_count, doc_count_not_download, doc_count, updated_at, needs_reference)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(arrive_id) DO UPDATE SET
         ministry_name = excluded.ministry_name, procedure_name = excluded.procedure_name,
         procedure_folder_name = excluded.procedure_folder_name, applicant_name = excluded.applicant_name,
         corporation_name = excluded.corporation_name, department_name = excluded.department_name, status = excluded.status,
         status_date = excluded.status_date, pay_status = excluded.pay_status, pay_wait_count = excluded.pay_wait_count,
         correct_status = excluded.correct_status, comment_count_not_read = excluded.comment_count_not_read,
         comment_count = excluded.comment_count, doc_count_not_download = excluded.doc_count_not_download,
         doc_count = excluded.doc_count, updated_at = excluded.updated_at,
         needs_reference = max(needs_reference, excluded.needs_reference)`,
    );
    const owner = this.db.prepare('SELECT send_number, withdrawal_of, amendment_of FROM arrived_applications WHERE arrive_id = ?');
    const flag = this.db.prepare('UPDATE arrived_applications SET needs_reference = 1 WHERE arrive_id = ?');
    this.db
      .transaction(() => {
        const seen = new Set<string>();
        for (const { sendNumber, application: a } of listed) {
          seen.add(a.arriveId);
          const existing = owner.get(a.arriveId) as { send_number: string | null; withdrawal_of: string | null; amendment_of: string | null } | undefined;
          // a 取下げ or 補正 case listed under a batch (never seen: whether e-Gov lists them is not
          // documented) keeps what 状況照会 says of it and its link; the list does not re-file it
          if (existing && (existing.withdrawal_of !== null || existing.amendment_of !== null)) continue;
          if (existing && existing.send_number !== sendNumber) {
            // one 到達番号 listed under another batch than the one it was stored with: e-Gov's
            // numbers are unique, so the answer (or the store) is wrong; keep the store as it is
            throw new CaseStoreError(
              'CASE_INVALID',
              { ja: `到達番号 ${a.arriveId} が、記録と違う送信番号（${sendNumber}）の申請として一覧に載っています。`, en: `arriveId ${a.arriveId} listed under ${sendNumber}, stored under ${existing.send_number}` },
              { detail: { arriveId: a.arriveId, sendNumber, storedSendNumber: existing.send_number } },
            );
          }
          const entry = existing ? null : ((entryOf.get(sendNumber) as { id: string } | undefined)?.id ?? null);
          upsert.run(
            a.arriveId,
            entry,
            sendNumber,
            ...applicationValues(a),
            at,
            toReference.has(a.arriveId) ? 1 : 0,
          );
        }
        for (const id of toReference) if (!seen.has(id)) flag.run(id);
      })
      .immediate();
  }

  /**
   * Stores a 状況照会 answer for a case Todoke holds, in one transaction: the dates, messages and
   * flags, the history events not stored yet, its status (when 状況照会 is the newer word), and
   * clears the owed 状況照会. Returns the events that were new, or null when the case is not held.
   */
  storeReference(status: CaseStatus): CaseEvent[] | null {
    const at = this.now();
    return this.db
      .transaction((): CaseEvent[] | null => {
        const row = this.db.prepare('SELECT status FROM arrived_applications WHERE arrive_id = ?').get(status.arriveId) as { status: string } | undefined;
        if (!row) return null;
        const known = this.historySubIds(status.arriveId);
        const insert = this.db.prepare(
          `INSERT INTO case_history (arrive_id, sub_id, date, operator_type, process_type, status, pay_number, pay_status, total_fee, pay_expired_date, seen_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(arrive_id, sub_id) DO UPDATE SET date = excluded.date, operator_type = excluded.operator_type,
             process_type = excluded.process_type, status = excluded.status, pay_number = excluded.pay_number,
             pay_status = excluded.pay_status, total_fee = excluded.total_fee, pay_expired_date = excluded.pay_expired_date`,
        );
        const added: CaseEvent[] = [];
        for (const e of status.history) {
          insert.run(status.arriveId, e.subId, e.date, e.operatorType, e.processType, e.status, e.payNumber, e.payStatus, e.totalFee, e.payExpiredDate, at);
          if (!known.has(e.subId)) added.push(e);
        }
        this.db
          .prepare(
            `UPDATE arrived_applications SET arrive_date = ?, exam_start_date = ?, exam_end_date = ?, procedure_end_date = ?,
               amend_message = ?, comment_message = ?, document_message = ?, pay_message = ?, withdraw_flag = ?, withdraw_type = ?,
               reintroduction_flag = ?, referenced_at = ?, needs_reference = 0, status = ?, updated_at = ? WHERE arrive_id = ?`,
          )
          .run(
            status.arriveDate,
            status.examStartDate,
            status.examEndDate,
            status.procedureEndDate,
            status.amendMessage,
            status.commentMessage,
            status.documentMessage,
            status.payMessage,
            status.withdrawFlag,
            status.withdrawType,
            status.reintroductionFlag,
            at,
            // 状況照会 was asked after the list: its status is the newer word (they agree but for a
            // change between the two calls, which the next list shows with its StatusDate)
            status.status,
            at,
            status.arriveId,
          );
        return added;
      })
      .immediate();
  }
}

// ---------------------------------------------------------------------------------------------

function filterSql(filter: CaseFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status !== undefined) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.procedure !== undefined) {
    where.push('procedure_name = ?');
    params.push(filter.procedure);
  }
  if (filter.applicant !== undefined) {
    where.push('applicant_name = ?');
    params.push(filter.applicant);
  }
  // the 送信番号 starts with the JST send time: a range of it is a range of send days, on its index
  if (filter.from !== undefined) {
    if (!/^\d{8}$/.test(filter.from)) throw invalid('from is not YYYYMMDD');
    where.push('send_number >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    if (!/^\d{8}$/.test(filter.to)) throw invalid('to is not YYYYMMDD');
    where.push('send_number < ?');
    params.push(`${filter.to}:`); // ':' sorts right after '9': every 送信番号 of that day is below it
  }
  if (filter.text !== undefined && filter.text !== '') {
    // instr, not LIKE: the text is matched as it is (no wildcards to escape); a scan, measured at
    // 10,000 cases in bench/sync.ts
    where.push('(instr(arrive_id, ?) > 0 OR instr(applicant_name, ?) > 0 OR instr(corporation_name, ?) > 0 OR instr(procedure_name, ?) > 0)');
    params.push(filter.text, filter.text, filter.text, filter.text);
  }
  if (filter.attention !== undefined) where.push(ATTENTION_SQL[filter.attention]);
  return { where, params };
}

/** The 要対応 conditions: the list's attention filter and the dashboard's counts (attentionCounts). */
const ATTENTION_SQL: Record<CaseAttention, string> = {
  correction: "correct_status NOT IN ('なし', '')",
  'unread-comments': 'comment_count_not_read > 0',
  'undownloaded-documents': 'doc_count_not_download > 0',
  'payments-waiting': 'pay_wait_count > 0',
};

function toSummary(r: Row): CaseSummary {
  return {
    ...toApplication(r),
    sendNumber: r.send_number,
    withdrawalOf: r.withdrawal_of,
    amendmentOf: r.amendment_of,
    entryId: r.entry_id,
    updatedAt: r.updated_at,
    needsReference: r.needs_reference === 1,
    changeSeq: r.change_seq,
  };
}

function toReference(r: ReferenceRow): CaseReference | null {
  if (r.referenced_at === null) return null;
  return {
    arriveDate: r.arrive_date ?? '',
    examStartDate: r.exam_start_date ?? '',
    examEndDate: r.exam_end_date ?? '',
    procedureEndDate: r.procedure_end_date ?? '',
    amendMessage: r.amend_message ?? '',
    commentMessage: r.comment_message ?? '',
    documentMessage: r.document_message ?? '',
    payMessage: r.pay_message ?? '',
    withdrawFlag: r.withdraw_flag ?? '',
    withdrawType: r.withdraw_type ?? '',
    reintroductionFlag: r.reintroduction_flag ?? '',
    referencedAt: r.referenced_at,
  };
}

function invalid(reason: string): CaseStoreError {
  return new CaseStoreError('CASE_INVALID', { ja: `案件の検索条件が正しくありません（${reason}）。`, en: `cases: ${reason}` });
}

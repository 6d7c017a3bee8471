// Core host. The 電子納付 records: the 納付 of each case as the last 電子納付情報一覧 gave them (text as
// sent, e-Gov's order, problems as JSON), the read itself per case (with the case's PayStatus and
// PayWaitCount as 送信案件一覧 showed them then — the background reads a case again when they move),
// and 電子納付対応金融機関一覧 kept for the day.
//
// Nothing here decides whether a 納付 is paid: the status is e-Gov's word, stored as it came.
// A 納付 that a later read no longer lists is kept, marked `listed = 0` (why: the filer may have
// copied its numbers to pay at an ATM, and a record of what e-Gov once asked for must not vanish
// because one answer left it out); it leaves the due list and cannot be handed off.
//
// Writes are IMMEDIATE transactions that re-read what they replace, so a CLI command and the app
// sharing the database compute their changes against the same rows.
import type { BankList, BankListView, CasePaymentsView, Payment, PaymentDueView, PaymentList } from '../../shared/payment.js';
import { TodokeError } from '../../shared/errors.js';
import type { SqliteDatabase, Store } from './db.js';

export type PaymentStoreErrorCode =
  /** a stored row that cannot be read back (JSON written by something else) */
  'PAYMENT_STORE_INVALID';

export class PaymentStoreError extends TodokeError<PaymentStoreErrorCode> {
  constructor(messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super('PAYMENT_STORE_INVALID', messages, options);
    this.name = 'PaymentStoreError';
  }
}

/** A case's PayStatus and PayWaitCount as 送信案件一覧 showed them (null: the case is not tracked). */
export interface CasePayCounters {
  payStatus: string;
  payWaitCount: number;
}

/** What one read changed: the 納付 new or with another status, and those the read no longer lists. */
export interface PaymentChanges {
  changes: { payNumber: string; before: string | null; after: string }[];
  /** 納付番号 listed before and missing from this read (kept, marked not listed) */
  unlisted: string[];
}

/** A 納付 of a case as kept, with whether the last read still listed it. */
export interface StoredPayment extends Payment {
  listed: boolean;
}

/** An unpaid 納付 joined with its case, for the due list (daysLeft is the use case's). */
export type UnpaidPayment = Omit<PaymentDueView, 'daysLeft'>;

/** A case whose pay counters moved since its 納付 were last read (or that was never read and has some). */
export interface CaseToRead extends CasePayCounters {
  arriveId: string;
}

/** 送信案件一覧's PayStatus of a case without a fee (REFERENCE §4.5, §6.3: SEEN). */
export const NO_FEE = '-';

/** The status of a 納付 that can still be paid (REFERENCE §4.19, as the sandbox writes it). */
export const UNPAID = '未納';

interface PaymentRow {
  pay_number: string;
  confirm_number: string;
  facility_number: string;
  pay_name_kana: string;
  deadline: string;
  total_fee: string;
  status: string;
  pay_date: string;
  memo: string;
  pay_flag: string;
  problems: string;
  listed: number;
}

const PAYMENT_COLUMNS = 'pay_number, confirm_number, facility_number, pay_name_kana, deadline, total_fee, status, pay_date, memo, pay_flag, problems, listed';
const YYYYMMDD_GLOB = "'[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'";

export interface PaymentStoreOptions {
  now?: () => number;
}

export class PaymentStore {
  private readonly db: SqliteDatabase;
  private readonly now: () => number;

  constructor(store: Store, options: PaymentStoreOptions = {}) {
    this.db = store.db;
    this.now = options.now ?? Date.now;
  }

  // ------------------------------------------------------------------------------ reading

  /** The 納付 of a case as kept: the last read's, in e-Gov's order, then those it no longer lists. */
  payments(arriveId: string): StoredPayment[] {
    const rows = this.db.prepare(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE arrive_id = ? ORDER BY listed DESC, position, pay_number, occurrence`).all(arriveId) as PaymentRow[];
    return rows.map(toPayment);
  }

  /** The 納付 of a case with that 納付番号: none, one, or — when e-Gov listed the number twice — several. */
  payment(arriveId: string, payNumber: string): StoredPayment[] {
    const rows = this.db.prepare(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE arrive_id = ? AND pay_number = ? ORDER BY occurrence`).all(arriveId, payNumber) as PaymentRow[];
    return rows.map(toPayment);
  }

  /** The case screen's view: every 納付 kept, the procedure name and when the last read was made. */
  forCase(arriveId: string): CasePaymentsView {
    const read = this.db.prepare('SELECT procedure_name, fetched_at FROM payment_reads WHERE arrive_id = ?').get(arriveId) as { procedure_name: string; fetched_at: number } | undefined;
    return {
      arriveId,
      procedureName: read?.procedure_name ?? '',
      payments: this.payments(arriveId).map(({ listed, ...p }) => (listed ? p : { ...p, problems: [...p.problems, NOT_LISTED] })),
      fetchedAt: read ? new Date(read.fetched_at).toISOString() : null,
    };
  }

  /**
   * Every 未納 the last reads listed, across cases, with the case's names (tracked or not), nearest
   * deadline first; deadlines that are not YYYYMMDD last, as they came.
   */
  unpaid(): UnpaidPayment[] {
    const rows = this.db
      .prepare(
        `SELECT p.arrive_id, p.pay_number, p.total_fee, p.deadline, p.status,
           coalesce(nullif(r.procedure_name, ''), a.procedure_name, '') AS procedure_name, coalesce(a.applicant_name, '') AS applicant_name
         FROM payments p
           LEFT JOIN payment_reads r ON r.arrive_id = p.arrive_id
           LEFT JOIN arrived_applications a ON a.arrive_id = p.arrive_id
         WHERE p.status = ? AND p.listed = 1
         ORDER BY CASE WHEN p.deadline GLOB ${YYYYMMDD_GLOB} THEN 0 ELSE 1 END, p.deadline, p.arrive_id, p.position, p.occurrence`,
      )
      .all(UNPAID) as { arrive_id: string; pay_number: string; total_fee: string; deadline: string; status: string; procedure_name: string; applicant_name: string }[];
    return rows.map((r) => ({
      arriveId: r.arrive_id,
      procedureName: r.procedure_name,
      applicantName: r.applicant_name,
      payNumber: r.pay_number,
      totalFee: r.total_fee,
      deadline: r.deadline,
      status: r.status,
    }));
  }

  /**
   * The tracked cases whose PayStatus or PayWaitCount differ from what they were at their last read,
   * among those with a 納付 at all (PayWaitCount > 0, a PayStatus other than e-Gov's `-` for "no fee"
   * (REFERENCE §4.5, §6.3: SEEN), or an earlier read). Oldest case first.
   */
  casesToRead(): CaseToRead[] {
    const rows = this.db
      .prepare(
        `SELECT a.arrive_id, a.pay_status, a.pay_wait_count FROM arrived_applications a LEFT JOIN payment_reads r ON r.arrive_id = a.arrive_id
         WHERE (a.pay_wait_count > 0 OR a.pay_status NOT IN ('', ?) OR r.arrive_id IS NOT NULL)
           AND (r.arrive_id IS NULL OR r.case_pay_status IS NOT a.pay_status OR r.case_pay_wait_count IS NOT a.pay_wait_count)
         ORDER BY a.rowid`,
      )
      .all(NO_FEE) as { arrive_id: string; pay_status: string; pay_wait_count: number }[];
    return rows.map((r) => ({ arriveId: r.arrive_id, payStatus: r.pay_status, payWaitCount: r.pay_wait_count }));
  }

  /** The case's PayStatus and PayWaitCount now, or null when the case is not tracked. */
  caseCounters(arriveId: string): CasePayCounters | null {
    const row = this.db.prepare('SELECT pay_status, pay_wait_count FROM arrived_applications WHERE arrive_id = ?').get(arriveId) as { pay_status: string; pay_wait_count: number } | undefined;
    return row ? { payStatus: row.pay_status, payWaitCount: row.pay_wait_count } : null;
  }

  /** The bank list kept, or null. */
  banks(): BankListView | null {
    const row = this.db.prepare('SELECT list, fetched_at FROM bank_lists WHERE id = 1').get() as { list: string; fetched_at: number } | undefined;
    if (!row) return null;
    const list = parseJson(row.list, 'bank list') as Partial<BankList> | null;
    // written by putBanks only; a row of another shape (an older Todoke, a hand edit) is read again from e-Gov
    if (typeof list !== 'object' || list === null || !Array.isArray(list.banks) || !Array.isArray(list.skipped) || typeof list.listDate !== 'string') {
      throw unreadable('bank list');
    }
    return { banks: list.banks, skipped: list.skipped, listDate: list.listDate, fetchedAt: new Date(row.fetched_at).toISOString() };
  }

  // ------------------------------------------------------------------------------ writing

  /**
   * Stores what a read of 電子納付情報一覧 said of a case, in one transaction: every listed 納付 brought
   * to the read's text and order, those no longer listed kept and marked so, the read recorded with the
   * case's counters as they were BEFORE the read was asked for (`counters`: a counter that moved while
   * the read was under way then still differs, and the next cycle reads again).
   */
  replaceCase(list: PaymentList, counters: CasePayCounters | null): PaymentChanges {
    const at = this.now();
    const upsert = this.db.prepare(
      `INSERT INTO payments (arrive_id, pay_number, occurrence, position, confirm_number, facility_number, pay_name_kana, deadline, total_fee, status,
         pay_date, memo, pay_flag, problems, listed, first_seen_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
       ON CONFLICT(arrive_id, pay_number, occurrence) DO UPDATE SET position = excluded.position, confirm_number = excluded.confirm_number,
         facility_number = excluded.facility_number, pay_name_kana = excluded.pay_name_kana, deadline = excluded.deadline,
         total_fee = excluded.total_fee, status = excluded.status, pay_date = excluded.pay_date, memo = excluded.memo,
         pay_flag = excluded.pay_flag, problems = excluded.problems, listed = 1, updated_at = excluded.updated_at`,
    );
    return this.db
      .transaction((): PaymentChanges => {
        const rows = this.db.prepare('SELECT pay_number, occurrence, status, listed FROM payments WHERE arrive_id = ? ORDER BY position, occurrence').all(list.arriveId) as {
          pay_number: string;
          occurrence: number;
          status: string;
          listed: number;
        }[];
        const before = new Map(rows.map((r) => [keyOf(r.pay_number, r.occurrence), r]));
        const seen = new Set<string>();
        const occurrences = new Map<string, number>();
        const changes: PaymentChanges['changes'] = [];
        list.payments.forEach((p, position) => {
          // e-Gov may list one 納付番号 twice (the codec flags both): each keeps its own row, in order
          const occurrence = occurrences.get(p.payNumber) ?? 0;
          occurrences.set(p.payNumber, occurrence + 1);
          const key = keyOf(p.payNumber, occurrence);
          seen.add(key);
          const old = before.get(key);
          if (!old) changes.push({ payNumber: p.payNumber, before: null, after: p.status });
          else if (old.status !== p.status) changes.push({ payNumber: p.payNumber, before: old.status, after: p.status });
          upsert.run(
            list.arriveId,
            p.payNumber,
            occurrence,
            position,
            p.confirmNumber,
            p.facilityNumber,
            p.payNameKana,
            p.deadline,
            p.totalFee,
            p.status,
            p.payDate,
            p.memo,
            p.payFlag,
            JSON.stringify(p.problems),
            at,
            at,
          );
        });
        const gone = rows.filter((r) => r.listed === 1 && !seen.has(keyOf(r.pay_number, r.occurrence)));
        const unlist = this.db.prepare('UPDATE payments SET listed = 0, updated_at = ? WHERE arrive_id = ? AND pay_number = ? AND occurrence = ?');
        for (const r of gone) unlist.run(at, list.arriveId, r.pay_number, r.occurrence);
        this.db
          .prepare(
            `INSERT INTO payment_reads (arrive_id, procedure_name, fetched_at, case_pay_status, case_pay_wait_count) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(arrive_id) DO UPDATE SET procedure_name = excluded.procedure_name, fetched_at = excluded.fetched_at,
               case_pay_status = excluded.case_pay_status, case_pay_wait_count = excluded.case_pay_wait_count`,
          )
          .run(list.arriveId, list.procedureName, at, counters?.payStatus ?? null, counters?.payWaitCount ?? null);
        return { changes, unlisted: gone.map((r) => r.pay_number) };
      })
      .immediate();
  }

  /** Keeps 電子納付対応金融機関一覧 as read now (replacing the one before). */
  putBanks(list: BankList): BankListView {
    const at = this.now();
    const kept: BankList = { banks: list.banks, skipped: list.skipped, listDate: list.listDate };
    this.db
      .prepare('INSERT INTO bank_lists (id, list, fetched_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET list = excluded.list, fetched_at = excluded.fetched_at')
      .run(JSON.stringify(kept), at);
    return { ...kept, fetchedAt: new Date(at).toISOString() };
  }
}

/** Shown with a 納付 that the last read of 電子納付情報一覧 no longer listed (kept, never silently dropped). */
export const NOT_LISTED = 'e-Gov の最新の電子納付情報一覧にはこの納付がありません（以前の一覧で示されたものを保存しています）。この納付番号では支払えない可能性があります。';

const keyOf = (payNumber: string, occurrence: number) => `${occurrence}:${payNumber}`;

function toPayment(r: PaymentRow): StoredPayment {
  const problems = parseJson(r.problems, 'problems');
  return {
    payNumber: r.pay_number,
    confirmNumber: r.confirm_number,
    facilityNumber: r.facility_number,
    payNameKana: r.pay_name_kana,
    deadline: r.deadline,
    totalFee: r.total_fee,
    status: r.status,
    payDate: r.pay_date,
    memo: r.memo,
    payFlag: r.pay_flag,
    problems: Array.isArray(problems) ? problems.filter((x): x is string => typeof x === 'string') : [],
    listed: r.listed === 1,
  };
}

function unreadable(what: string, cause?: unknown): PaymentStoreError {
  return new PaymentStoreError({ ja: `保存された電子納付の記録（${what}）が読めません。e-Gov から読み直してください。`, en: `stored ${what} is unreadable` }, cause === undefined ? {} : { cause });
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw unreadable(what, cause);
  }
}

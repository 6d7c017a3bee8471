// Sandbox (Node). SQL for cases after they arrived: what 状況照会 shows (REFERENCE §4.6), the 取下げ
// that arrives against a case (§4.7), and the ministry's side — the operator's actions — each
// event appended to the case's history in the same transaction as the change it records.
import { nextArriveId } from './counters.js';
import { HISTORY, STATUS, type HistoryEntry, type HistoryEvent } from './history.js';
import type { SqliteDatabase } from './sqlite.js';

export interface CaseRow {
  arriveId: string;
  userId: string;
  sendNumber: string | null;
  applyType: string;
  targetArriveId: string | null;
  procedureId: string;
  procName: string;
  ministryName: string;
  applicantName: string;
  status: string;
  statusDate: string;
  arriveDate: string;
  examStartDate: string;
  examEndDate: string;
  procEndDate: string;
  amendMessage: string;
  commentMessage: string;
  documentMessage: string;
  payMessage: string;
  withdrawFlag: string;
  withdrawType: string;
  reintroductionFlag: string;
  statusBeforeWithdrawal: string | null;
}

const CASE_COLUMNS = `arrive_id AS arriveId, user_id AS userId, send_number AS sendNumber, apply_type AS applyType, target_arrive_id AS targetArriveId,
  procedure_id AS procedureId, procedure_name AS procName, ministry_name AS ministryName, applicant_name AS applicantName, status, status_date AS statusDate,
  arrive_date AS arriveDate, exam_start_date AS examStartDate, exam_end_date AS examEndDate, proc_end_date AS procEndDate, amend_message AS amendMessage,
  comment_message AS commentMessage, document_message AS documentMessage, pay_message AS payMessage, withdraw_flag AS withdrawFlag,
  withdraw_type AS withdrawType, reintroduction_flag AS reintroductionFlag, status_before_withdrawal AS statusBeforeWithdrawal`;

/** When a 取下げ is refused for the state of its case (REFERENCE §9: e-Gov answered such refusals with its 500). */
export type WithdrawalRefusal = 'IS_WITHDRAWAL' | 'WITHDRAWAL_PENDING' | 'WITHDRAWN' | 'FINISHED';

export function withdrawalRefusal(c: CaseRow): WithdrawalRefusal | null {
  if (c.applyType !== '新規申請') return 'IS_WITHDRAWAL';
  if (c.status === STATUS.withdrawing) return 'WITHDRAWAL_PENDING';
  if (c.status === STATUS.withdrawn) return 'WITHDRAWN';
  if (c.status === STATUS.finished) return 'FINISHED';
  return null;
}

export interface NewWithdrawal {
  userId: string;
  targetArriveId: string;
  applyType: string;
  folderName: string;
  procedureId: string;
  procedureName: string;
  ministryName: string;
  applicantName: string;
  corporationName: string;
  departmentName: string;
  at: number;
  date: string;
}

/** Columns an event may set besides status (a null leaves the column as it is). */
export interface CaseChange {
  status?: string;
  /** false: the list's StatusDate stays (a 取下げ arriving, REFERENCE §4.7) */
  touchStatusDate?: boolean;
  examStartDate?: string;
  examEndDate?: string;
  procEndDate?: string;
  withdrawFlag?: string;
  reintroductionFlag?: string;
  statusBeforeWithdrawal?: string | null;
}

const CHANGE_COLUMNS: ReadonlyArray<[keyof CaseChange, string]> = [
  ['status', 'status'],
  ['examStartDate', 'exam_start_date'],
  ['examEndDate', 'exam_end_date'],
  ['procEndDate', 'proc_end_date'],
  ['withdrawFlag', 'withdraw_flag'],
  ['reintroductionFlag', 'reintroduction_flag'],
  ['statusBeforeWithdrawal', 'status_before_withdrawal'],
];

export class CaseStore {
  constructor(private readonly db: SqliteDatabase) {}

  transaction<R>(fn: () => R): R {
    return this.db.transaction(fn).immediate();
  }

  /** Any user's case (the operator's view), or null. */
  find(arriveId: string): CaseRow | null {
    return (this.db.prepare(`SELECT ${CASE_COLUMNS} FROM applications WHERE arrive_id = ?`).get(arriveId) as CaseRow | undefined) ?? null;
  }

  /** This user's case, or null (another user's case is not told apart from an unknown one). */
  ofUser(userId: string, arriveId: string): CaseRow | null {
    const c = this.find(arriveId);
    return c && c.userId === userId ? c : null;
  }

  history(arriveId: string): HistoryEntry[] {
    return HISTORY.of(this.db, arriveId);
  }

  /** 到達番号s of every user's cases, in a status or all, in the order they arrived, at most `limit`. */
  select(status: string | null, limit: number): string[] {
    const rows = (
      status === null
        ? this.db.prepare('SELECT arrive_id AS id FROM applications ORDER BY arrive_id LIMIT ?').all(limit)
        : this.db.prepare('SELECT arrive_id AS id FROM applications WHERE status = ? ORDER BY arrive_id LIMIT ?').all(status, limit)
    ) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /** The newest 取下げ sent against a case, or null (a 補正's new case names its original too: not a 取下げ). */
  latestWithdrawalOf(arriveId: string): CaseRow | null {
    const row = this.db
      .prepare(`SELECT ${CASE_COLUMNS} FROM applications WHERE target_arrive_id = ? AND apply_type IN ('取下げ申請', '取下げ依頼') ORDER BY arrive_id DESC LIMIT 1`)
      .get(arriveId) as
      | CaseRow
      | undefined;
    return row ?? null;
  }

  /**
   * Records a 取下げ that passed its checks: a new case with its own 到達番号, and the case it
   * withdraws marked 到達（取下げ処理中）. Re-judges the target inside the transaction, so two
   * 取下げ sent at once cannot both arrive.
   */
  insertWithdrawal(w: NewWithdrawal): { ok: true; newArriveId: string } | { ok: false; refusal: WithdrawalRefusal | 'NOT_FOUND' } {
    return this.transaction(() => {
      const target = this.ofUser(w.userId, w.targetArriveId);
      if (!target) return { ok: false as const, refusal: 'NOT_FOUND' as const };
      const refusal = withdrawalRefusal(target);
      if (refusal) return { ok: false as const, refusal };
      const newArriveId = this.insertLinkedArrival(w);
      this.change(w.targetArriveId, { status: STATUS.withdrawing, touchStatusDate: false, withdrawFlag: '1', statusBeforeWithdrawal: target.status }, HISTORY.withdrawalArrived(w.applyType), w.at, w.date);
      return { ok: true as const, newArriveId };
    });
  }

  /**
   * A case that arrived on its own against another (a 取下げ, a 補正's 再提出): its own 到達番号 from
   * the global sequence, no 送信 (so no list shows it), status 到達 and its arrival event; call
   * inside a transaction.
   */
  insertLinkedArrival(w: NewWithdrawal): string {
    const newArriveId = nextArriveId(this.db, w.date.slice(0, 4));
    this.db
      .prepare(
        `INSERT INTO applications (arrive_id, user_id, send_number, apply_type, target_arrive_id, folder_name, procedure_id, procedure_name, ministry_name,
          applicant_name, corporation_name, department_name, status, status_at, status_date, arrive_date) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(newArriveId, w.userId, w.applyType, w.targetArriveId, w.folderName, w.procedureId, w.procedureName, w.ministryName, w.applicantName, w.corporationName, w.departmentName, STATUS.arrived, w.at, w.date, w.date);
    HISTORY.append(this.db, newArriveId, { at: w.at, date: w.date, ...HISTORY.arrival(w.applyType) });
    return newArriveId;
  }

  /** Applies one change and records its event; call inside a transaction. */
  change(arriveId: string, change: CaseChange, event: HistoryEvent | null, at: number, date: string): void {
    const sets: string[] = [];
    const values: Array<string | number | null> = [];
    for (const [key, column] of CHANGE_COLUMNS) {
      const value = change[key];
      if (value === undefined || typeof value === 'boolean') continue;
      sets.push(`${column} = ?`);
      values.push(value);
    }
    if (change.status !== undefined && change.touchStatusDate !== false) {
      sets.push('status_at = ?', 'status_date = ?');
      values.push(at, date);
    }
    if (sets.length > 0) this.db.prepare(`UPDATE applications SET ${sets.join(', ')} WHERE arrive_id = ?`).run(...values, arriveId);
    if (event) HISTORY.append(this.db, arriveId, { at, date, ...event });
  }
}

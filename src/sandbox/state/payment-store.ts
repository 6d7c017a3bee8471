// Sandbox (Node). SQL for the 納付 of a case (REFERENCE §4.19) and what they move on the case's own
// row (§4.5, §4.6): PayStatus and PayWaitCount, which 送信案件一覧 / 申請案件一覧 read, and PayMessage,
// which 状況照会 reads — each written in the same transaction as the 納付 and its history event, so
// every list shows the change at once.
import { SandboxError } from '../errors.js';
import { HISTORY, type HistoryEvent } from './history.js';
import type { SqliteDatabase } from './sqlite.js';

/** [SIM-CHOICE] only 納付期限切れ was recorded (A.30); 未納 and 納付済 follow REFERENCE §4.19's "e.g.". */
export const PAY_STATUS = { unpaid: '未納', paid: '納付済', expired: '納付期限切れ' } as const;

/** SEEN (A.30): the memo of a registered 納付, unchanged after its deadline passed. */
export const PAY_MEMO = '納付登録が完了しましたので、納付して下さい。';

export interface PaymentRow {
  arriveId: string;
  payNumber: string;
  confirmNumber: string;
  facilityNumber: string;
  payNameKana: string;
  payExpiredDate: string;
  totalFee: string;
  payStatus: string;
  payDate: string;
  payMemo: string;
  payFlag: string;
}

export interface NewPayment {
  arriveId: string;
  /** proposes the three numbers; called again when its 納付番号 is taken */
  numbers: () => { payNumber: string; confirmNumber: string; facilityNumber: string };
  payNameKana: string;
  payExpiredDate: string;
  totalFee: string;
  event: (caseStatus: string) => HistoryEvent;
  at: number;
  date: string;
}

const COLUMNS = `arrive_id AS arriveId, pay_number AS payNumber, confirm_number AS confirmNumber, facility_number AS facilityNumber,
  pay_name_kana AS payNameKana, pay_expired_date AS payExpiredDate, total_fee AS totalFee, pay_status AS payStatus, pay_date AS payDate,
  pay_memo AS payMemo, pay_flag AS payFlag`;

/** tries at a fresh 納付番号 before giving up (10^16 numbers: a second try is already unlikely) */
const MAX_NUMBER_TRIES = 20;

/**
 * [SIM-CHOICE] PayMessage was never recorded non-empty (REFERENCE §4.6): a text in the pattern of
 * AmendMessage, empty when nothing is left to pay.
 */
export const PAY_MESSAGE = (n: number): string => (n > 0 ? `未納の電子納付が${n}件あります。納付情報を確認し、納付期限までに納付してください。` : '');

/**
 * [SIM-CHOICE] The case's PayStatus in the lists: `-` without 納付 (SEEN), 未納 while one is unpaid,
 * else 納付期限切れ if one expired (SEEN as a case's PayStatus), else 納付済.
 */
export function casePayStatus(statuses: readonly string[]): string {
  if (statuses.length === 0) return '-';
  if (statuses.includes(PAY_STATUS.unpaid)) return PAY_STATUS.unpaid;
  if (statuses.includes(PAY_STATUS.expired)) return PAY_STATUS.expired;
  return PAY_STATUS.paid;
}

export class PaymentStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Registers a 未納 納付, the case's counters and message, and its history event, in one transaction. */
  add(p: NewPayment): PaymentRow {
    return this.db
      .transaction(() => {
        const taken = this.db.prepare('SELECT 1 FROM payments WHERE pay_number = ?');
        let numbers = p.numbers();
        for (let i = 1; taken.get(numbers.payNumber) !== undefined; i++) {
          if (i >= MAX_NUMBER_TRIES) {
            throw new SandboxError('SANDBOX_PAY_NUMBER', {
              ja: `未使用の納付番号を ${MAX_NUMBER_TRIES} 回続けて引けませんでした。もう一度登録してください。`,
              en: `no unused pay number after ${MAX_NUMBER_TRIES} draws`,
            });
          }
          numbers = p.numbers();
        }
        const { next } = this.db.prepare('SELECT coalesce(max(position), 0) + 1 AS next FROM payments WHERE arrive_id = ?').get(p.arriveId) as { next: number };
        this.db
          .prepare(
            `INSERT INTO payments (arrive_id, position, pay_number, confirm_number, facility_number, pay_name_kana, pay_expired_date, total_fee, pay_status, pay_memo, registered_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(p.arriveId, next, numbers.payNumber, numbers.confirmNumber, numbers.facilityNumber, p.payNameKana, p.payExpiredDate, p.totalFee, PAY_STATUS.unpaid, PAY_MEMO, p.at);
        const row = this.find(p.arriveId, numbers.payNumber)!;
        this.afterChange(row, p.event, p.at, p.date);
        return row;
      })
      .immediate();
  }

  /**
   * Moves a 未納 納付 to `status` (納付期限切れ, or 納付済 with its PayDate) with the case's counters and
   * a history event. Null: no such 納付 on the case; 'not-unpaid': it is no longer 未納 (nothing changed).
   */
  settle(arriveId: string, payNumber: string, status: typeof PAY_STATUS.paid | typeof PAY_STATUS.expired, payDate: string, event: (caseStatus: string) => HistoryEvent, at: number, date: string): PaymentRow | 'not-unpaid' | null {
    return this.db
      .transaction(() => {
        const row = this.find(arriveId, payNumber);
        if (!row) return null;
        if (row.payStatus !== PAY_STATUS.unpaid) return 'not-unpaid' as const;
        this.db.prepare('UPDATE payments SET pay_status = ?, pay_date = ? WHERE arrive_id = ? AND pay_number = ?').run(status, payDate, arriveId, payNumber);
        const updated = this.find(arriveId, payNumber)!;
        this.afterChange(updated, event, at, date);
        return updated;
      })
      .immediate();
  }

  list(arriveId: string): PaymentRow[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM payments WHERE arrive_id = ? ORDER BY position`).all(arriveId) as PaymentRow[];
  }

  find(arriveId: string, payNumber: string): PaymentRow | null {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM payments WHERE arrive_id = ? AND pay_number = ?`).get(arriveId, payNumber) as PaymentRow | undefined) ?? null;
  }

  /** The 納付 with this 納付番号 (unique in the sandbox, whichever case holds it), or null. */
  byPayNumber(payNumber: string): PaymentRow | null {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM payments WHERE pay_number = ?`).get(payNumber) as PaymentRow | undefined) ?? null;
  }

  /** The case's PayStatus, PayWaitCount and PayMessage from its 納付, then the event; inside the caller's transaction. */
  private afterChange(row: PaymentRow, event: (caseStatus: string) => HistoryEvent, at: number, date: string): void {
    const statuses = this.list(row.arriveId).map((p) => p.payStatus);
    const waiting = statuses.filter((s) => s === PAY_STATUS.unpaid).length;
    this.db
      .prepare('UPDATE applications SET pay_status = ?, pay_wait_count = ?, pay_message = ? WHERE arrive_id = ?')
      .run(casePayStatus(statuses), waiting, PAY_MESSAGE(waiting), row.arriveId);
    const { status } = this.db.prepare('SELECT status FROM applications WHERE arrive_id = ?').get(row.arriveId) as { status: string };
    HISTORY.append(this.db, row.arriveId, {
      at,
      date,
      ...event(status),
      pay: { payNumber: row.payNumber, payStatus: row.payStatus, totalFee: row.totalFee, payExpiredDate: row.payExpiredDate },
    });
  }
}

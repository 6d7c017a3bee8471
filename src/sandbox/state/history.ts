// Sandbox (Node). The 状況照会 ApplyHistory of a case (REFERENCE §4.6, §6.2): one row per event, in
// order, numbered 1, 2, … per 到達番号. The events and their wording: SEEN where the recordings show
// them (送信/新規申請/到達, 受信/審査開始通知/審査中, 受信/補正指示通知/…, 受信/手続終了通知/手続終了);
// every other ProcessType is a [SIM-CHOICE] listed in src/sandbox/README.md.
import type { SqliteDatabase } from './sqlite.js';

export interface HistoryEvent {
  /** 送信 (the applicant did it) or 受信 (the ministry did) */
  operatorType: string;
  processType: string;
  /** the case's status after the event */
  applyStatus: string;
}

export interface HistoryEntry extends HistoryEvent {
  subId: number;
  regDate: string;
  payNumber: string;
  payStatus: string;
  totalFee: string;
  payExpiredDate: string;
}

/** The 納付 an event is about: the ApplyHistory's PayNumber, PayStatus, TotalFee, PayExpiredDate (REFERENCE §4.6). */
export interface HistoryPayment {
  payNumber: string;
  payStatus: string;
  totalFee: string;
  payExpiredDate: string;
}

export const STATUS = {
  arrived: '到達',
  withdrawing: '到達（取下げ処理中）',
  examining: '審査中',
  examined: '審査終了',
  finished: '手続終了',
  awaitingCorrection: '審査中（補正待ち）',
  /** [SIM-CHOICE] e-Gov's text for a withdrawn case was never recorded (REFERENCE §6.1) */
  withdrawn: '取下げ済',
} as const;

const received = (processType: string, applyStatus: string): HistoryEvent => ({ operatorType: '受信', processType, applyStatus });

export const HISTORY = {
  /** an application (新規申請) or a 取下げ (取下げ申請 / 取下げ依頼) arrived */
  arrival: (applyType: string): HistoryEvent => ({ operatorType: '送信', processType: applyType, applyStatus: STATUS.arrived }),
  /** the case a 取下げ was sent for (its status, not its StatusDate, changes: REFERENCE §4.7) */
  withdrawalArrived: (applyType: string): HistoryEvent => ({ operatorType: '送信', processType: applyType, applyStatus: STATUS.withdrawing }),
  examStarted: received('審査開始通知', STATUS.examining),
  /** [SIM-CHOICE] ProcessType by analogy with 審査開始通知 / 手続終了通知 */
  examFinished: received('審査終了通知', STATUS.examined),
  finished: received('手続終了通知', STATUS.finished),
  /** [SIM-CHOICE] an operator's status of its own choosing */
  statusSet: (status: string, processType = '状況変更通知'): HistoryEvent => received(processType, status),
  /** [SIM-CHOICE] */
  withdrawalAccepted: received('取下げ受理通知', STATUS.withdrawn),
  /** SEEN (A.14): the ministry asks for a 補正 */
  correctionRequested: received('補正指示通知', STATUS.awaitingCorrection),
  /** [SIM-CHOICE] ProcessType of a コメント (never recorded); the status stays */
  commentIssued: (status: string): HistoryEvent => received('コメント通知', status),
  /** [SIM-CHOICE] ProcessType of a 公文書 (never recorded); the status stays */
  documentIssued: (status: string): HistoryEvent => received('公文書発出通知', status),
  /** [SIM-CHOICE] the case a 補正 was sent for: 送信/{再提出|部分補正}/its status after */
  correctionArrived: (applyType: string, status: string): HistoryEvent => ({ operatorType: '送信', processType: applyType, applyStatus: status }),
  /** [SIM-CHOICE] a 納付 registered, expired or paid (ProcessTypes never recorded); the status stays */
  paymentRegistered: (status: string): HistoryEvent => received('納付通知', status),
  paymentExpired: (status: string): HistoryEvent => received('納付期限切れ通知', status),
  paymentPaid: (status: string): HistoryEvent => received('納付完了通知', status),
  /** [SIM-CHOICE] the case goes back to the status it had */
  withdrawalRefused: (status: string): HistoryEvent => received('取下げ却下通知', status),

  append(db: SqliteDatabase, arriveId: string, e: HistoryEvent & { at: number; date: string; pay?: HistoryPayment }): void {
    const row = db.prepare('SELECT coalesce(max(sub_id), 0) + 1 AS next FROM apply_history WHERE arrive_id = ?').get(arriveId) as { next: number };
    db.prepare(
      `INSERT INTO apply_history (arrive_id, sub_id, reg_at, reg_date, operator_type, process_type, apply_status, pay_number, pay_status, total_fee, pay_expired_date)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      arriveId,
      row.next,
      e.at,
      e.date,
      e.operatorType,
      e.processType,
      e.applyStatus,
      e.pay?.payNumber ?? '',
      e.pay?.payStatus ?? '',
      e.pay?.totalFee ?? '',
      e.pay?.payExpiredDate ?? '',
    );
  },

  of(db: SqliteDatabase, arriveId: string): HistoryEntry[] {
    return db
      .prepare(
        `SELECT sub_id AS subId, reg_date AS regDate, operator_type AS operatorType, process_type AS processType, apply_status AS applyStatus,
          pay_number AS payNumber, pay_status AS payStatus, total_fee AS totalFee, pay_expired_date AS payExpiredDate
         FROM apply_history WHERE arrive_id = ? ORDER BY sub_id`,
      )
      .all(arriveId) as HistoryEntry[];
  },
};

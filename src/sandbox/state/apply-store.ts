// Sandbox (Node). SQL for 一括申請: sends (送信), their arrived applications, and the global
// counters behind 送信番号 and 到達番号. Times are epoch milliseconds of the sandbox clock beside
// the JST YYYYMMDDhhmmss strings the wire shows.
import type { ApplyEntry, PackageEntry } from '../wire/apply-family.js';
import { nextArriveId, nextCounter } from './counters.js';
import { HISTORY } from './history.js';
import type { SqliteDatabase } from './sqlite.js';

export const WORK_STATUS_PENDING = '処理待ち';
export const STATUS_ARRIVED = '到達';

export interface NewSend {
  sendNumber: string;
  userId: string;
  softwareId: string;
  sentAt: number;
  sendDate: string;
  fileName: string;
  allCount: number;
  zip: Buffer;
}

export interface PendingSend {
  sendNumber: string;
  sentAt: number;
  zip: Buffer;
}

export interface NewApplication {
  arriveYear: string;
  folderName: string;
  procedureId: string;
  procedureName: string;
  ministryName: string;
  applicantName: string;
  corporationName: string;
  departmentName: string;
}

interface SendRow {
  sendNumber: string;
  sendDate: string;
  workStatus: string;
  normalCount: number;
  allCount: number;
  errorCount: number;
  errorHtml: string | null;
}

const SEND_COLUMNS =
  'send_number AS sendNumber, send_date AS sendDate, work_status AS workStatus, normal_count AS normalCount, all_count AS allCount, error_count AS errorCount, error_html AS errorHtml';

// read as arrays (better-sqlite3 builds them faster than named objects, and a busy user's
// 送信案件一覧 reads tens of thousands of rows), in the order of ApplyRow
const APPLY_COLUMNS = `arrive_id, ministry_name, procedure_name, folder_name, applicant_name, corporation_name, department_name, status, status_date,
  pay_status, pay_wait_count, correct_status, comment_count_not_read, comment_count, doc_count_not_download, doc_count`;

type ApplyRow = [string, string, string, string, string, string, string, string, string, string, number, string, number, number, number, number];

function applyEntry(r: ApplyRow): ApplyEntry {
  return {
    arriveId: r[0],
    ministryName: r[1],
    procName: r[2],
    procFolderName: r[3],
    applicantName: r[4],
    corporationName: r[5],
    departmentName: r[6],
    status: r[7],
    statusDate: r[8],
    payStatus: r[9],
    payWaitCount: r[10],
    correctStatus: r[11],
    commentCountNotRead: r[12],
    commentCount: r[13],
    docCountNotDownload: r[14],
    docCount: r[15],
  };
}

/** [SIM-CHOICE] ErrorFile carries the report as base64 of its UTF-8 bytes, on one line. */
export function errorFileOf(html: string | null): string {
  return html === null ? '' : Buffer.from(html, 'utf8').toString('base64');
}

export class ApplyStore {
  constructor(private readonly db: SqliteDatabase) {}

  transaction<R>(fn: () => R): R {
    return this.db.transaction(fn).immediate();
  }

  /** 送信番号 = the JST second of sending + the next 4-digit counter value (skipping any in use). */
  nextSendNumber(sendDate: string): string {
    for (;;) {
      const candidate = sendDate + String(nextCounter(this.db, 'send', 10_000)).padStart(4, '0');
      if (this.db.prepare('SELECT 1 FROM sends WHERE send_number = ?').get(candidate) === undefined) return candidate;
    }
  }

  insertSend(s: NewSend): void {
    this.db
      .prepare(
        'INSERT INTO sends (send_number, user_id, software_id, sent_at, send_date, file_name, all_count, work_status, zip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(s.sendNumber, s.userId, s.softwareId, s.sentAt, s.sendDate, s.fileName, s.allCount, WORK_STATUS_PENDING, s.zip);
  }

  pendingSends(): PendingSend[] {
    return this.db
      .prepare('SELECT send_number AS sendNumber, sent_at AS sentAt, zip FROM sends WHERE work_status <> ? AND zip IS NOT NULL ORDER BY sent_at, send_number')
      .all('') as PendingSend[];
  }

  pendingSend(sendNumber: string): PendingSend | null {
    const row = this.db
      .prepare("SELECT send_number AS sendNumber, sent_at AS sentAt, zip FROM sends WHERE send_number = ? AND work_status <> '' AND zip IS NOT NULL")
      .get(sendNumber) as PendingSend | undefined;
    return row ?? null;
  }

  /**
   * Records the 形式チェック's outcome of a send still pending (false when another run already did):
   * one 到達番号 per arrived application ('900' + JST year + the next 9-digit counter value),
   * and its arrival event in the history (送信 / 新規申請 / 到達).
   */
  finishSend(sendNumber: string, arrived: readonly NewApplication[], errorCount: number, errorHtml: string | null, at: number, statusDate: string): boolean {
    return this.transaction(() => {
      const updated = this.db
        .prepare("UPDATE sends SET work_status = '', normal_count = ?, error_count = ?, error_html = ?, zip = NULL, checked_at = ? WHERE send_number = ? AND work_status <> ''")
        .run(arrived.length, errorCount, errorHtml, at, sendNumber);
      if (updated.changes !== 1) return false;
      const owner = this.db.prepare('SELECT user_id AS userId FROM sends WHERE send_number = ?').get(sendNumber) as { userId: string };
      const insert = this.db.prepare(
        `INSERT INTO applications (arrive_id, user_id, send_number, apply_type, folder_name, procedure_id, procedure_name, ministry_name, applicant_name,
          corporation_name, department_name, status, status_at, status_date, arrive_date) VALUES (?, ?, ?, '新規申請', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const a of arrived) {
        const arriveId = nextArriveId(this.db, a.arriveYear);
        insert.run(arriveId, owner.userId, sendNumber, a.folderName, a.procedureId, a.procedureName, a.ministryName, a.applicantName, a.corporationName, a.departmentName, STATUS_ARRIVED, at, statusDate, statusDate);
        HISTORY.append(this.db, arriveId, { at, date: statusDate, ...HISTORY.arrival('新規申請') });
      }
      return true;
    });
  }

  private applies(sendNumber: string): ApplyEntry[] {
    const rows = this.db.prepare(`SELECT ${APPLY_COLUMNS} FROM applications WHERE send_number = ? ORDER BY arrive_id DESC`).raw(true).all(sendNumber) as ApplyRow[];
    return rows.map(applyEntry);
  }

  private toPackage(row: SendRow): PackageEntry {
    return {
      sendNumber: row.sendNumber,
      sendDate: row.sendDate,
      workStatus: row.workStatus,
      normalCount: row.normalCount,
      allCount: row.allCount,
      supplementaryMessage: '',
      errorCount: row.errorCount,
      errorFile: errorFileOf(row.errorHtml),
      applies: this.applies(row.sendNumber),
    };
  }

  /** One send of this user, or null. */
  send(userId: string, sendNumber: string): PackageEntry | null {
    const row = this.db.prepare(`SELECT ${SEND_COLUMNS} FROM sends WHERE user_id = ? AND send_number = ?`).get(userId, sendNumber) as SendRow | undefined;
    return row ? this.toPackage(row) : null;
  }

  /** This user's sends of JST days from..to (YYYYMMDD, inclusive), newest first, at most `limit`. */
  sendsBetween(userId: string, from: string, to: string, limit: number): PackageEntry[] {
    const rows = this.db
      .prepare(`SELECT ${SEND_COLUMNS} FROM sends WHERE user_id = ? AND send_date BETWEEN ? AND ? ORDER BY sent_at DESC, send_number DESC LIMIT ?`)
      .all(userId, `${from}000000`, `${to}235959`, limit) as SendRow[];
    return rows.map((r) => this.toPackage(r));
  }
}

// Sandbox (Node). SQL for the notices the ministry sends on a case — 補正通知, コメント, 公文書
// (REFERENCE §4.8, §4.12–§4.17) — and the counters of the case they move (§6.3): CorrectStatus,
// CommentCount / CommentCountNotRead, DocCount / DocCountNotDownload, which the list APIs read from
// the case's own row, so a notice shows in 送信案件一覧 / 申請案件一覧 the moment it is issued.
import { HISTORY, type HistoryEvent } from './history.js';
import type { SqliteDatabase } from './sqlite.js';

export type NoticeKind = 'amend' | 'comment' | 'official';

export interface NoticeFile {
  name: string;
  content: Buffer;
}

export interface NoticeRow {
  arriveId: string;
  kind: NoticeKind;
  noticeSubId: number;
  issueDate: string;
  docTitle: string;
  correctExpiredDate: string;
  correctCompletedDate: string;
  doneDate: string;
}

export interface NewNotice {
  arriveId: string;
  kind: NoticeKind;
  docTitle: string;
  correctExpiredDate?: string;
  /** the files, in ZIP order, given the notice's number (a 公文書 carries it in its name) */
  files: (noticeSubId: number) => NoticeFile[];
  /** a 補正通知 also moves the case to 審査中（補正待ち） */
  status?: string;
  event: HistoryEvent;
  at: number;
  date: string;
}

const NOTICE_COLUMNS = `arrive_id AS arriveId, kind, notice_sub_id AS noticeSubId, issue_date AS issueDate, doc_title AS docTitle,
  correct_expired_date AS correctExpiredDate, correct_completed_date AS correctCompletedDate, done_date AS doneDate`;

/** What issuing a notice of a kind does to the case's row (REFERENCE §6.3). */
const ON_ISSUE: Record<NoticeKind, string> = {
  amend: "correct_status = 'あり'",
  comment: 'comment_count = comment_count + 1, comment_count_not_read = comment_count_not_read + 1',
  official: 'doc_count = doc_count + 1, doc_count_not_download = doc_count_not_download + 1',
};

/** What the first 取得完了 does: one fewer unread / not downloaded (never below 0). */
const ON_DONE: Record<'comment' | 'official', string> = {
  comment: 'comment_count_not_read = max(comment_count_not_read - 1, 0)',
  official: 'doc_count_not_download = max(doc_count_not_download - 1, 0)',
};

/**
 * The 状況照会 message items, recomputed after every change of their counter and empty at 0.
 * AmendMessage is e-Gov's wording (SEEN, A.14); CommentMessage and DocumentMessage were never recorded
 * non-empty — [SIM-CHOICE] texts in the same pattern.
 */
export const NOTICE_MESSAGES = {
  amend: (n: number) => (n > 0 ? `補正待ちの補正通知が${n}件あります。補正情報を確認し、補正を行ってください。` : ''),
  comment: (n: number) => (n > 0 ? `未読のコメント通知が${n}件あります。コメント通知を確認してください。` : ''),
  official: (n: number) => (n > 0 ? `未取得の公文書が${n}件あります。公文書を取得してください。` : ''),
} as const;

const REFRESH_MESSAGE: Record<NoticeKind, string> = {
  amend: "SELECT count(*) AS n FROM notices WHERE arrive_id = ? AND kind = 'amend' AND correct_completed_date = ''",
  comment: 'SELECT comment_count_not_read AS n FROM applications WHERE arrive_id = ?',
  official: 'SELECT doc_count_not_download AS n FROM applications WHERE arrive_id = ?',
};

const MESSAGE_COLUMN: Record<NoticeKind, string> = { amend: 'amend_message', comment: 'comment_message', official: 'document_message' };

export class NoticeStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Records a notice, its files, the case's counters and message, and its history event, in one transaction; returns its 通知番号. */
  issue(n: NewNotice): number {
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT coalesce(max(notice_sub_id), 0) + 1 AS next FROM notices WHERE arrive_id = ? AND kind = ?').get(n.arriveId, n.kind) as {
          next: number;
        };
        const subId = row.next;
        this.db
          .prepare('INSERT INTO notices (arrive_id, kind, notice_sub_id, issued_at, issue_date, doc_title, correct_expired_date) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(n.arriveId, n.kind, subId, n.at, n.date, n.docTitle, n.correctExpiredDate ?? '');
        const insertFile = this.db.prepare('INSERT INTO notice_files (arrive_id, kind, notice_sub_id, position, name, content) VALUES (?, ?, ?, ?, ?, ?)');
        n.files(subId).forEach((f, i) => insertFile.run(n.arriveId, n.kind, subId, i, f.name, f.content));
        this.db.prepare(`UPDATE applications SET ${ON_ISSUE[n.kind]} WHERE arrive_id = ?`).run(n.arriveId);
        this.refreshMessage(n.arriveId, n.kind);
        if (n.status !== undefined) {
          this.db.prepare('UPDATE applications SET status = ?, status_at = ?, status_date = ? WHERE arrive_id = ?').run(n.status, n.at, n.date, n.arriveId);
        }
        HISTORY.append(this.db, n.arriveId, { at: n.at, date: n.date, ...n.event });
        return subId;
      })
      .immediate();
  }

  list(arriveId: string, kind: NoticeKind): NoticeRow[] {
    return this.db.prepare(`SELECT ${NOTICE_COLUMNS} FROM notices WHERE arrive_id = ? AND kind = ? ORDER BY notice_sub_id`).all(arriveId, kind) as NoticeRow[];
  }

  find(arriveId: string, kind: NoticeKind, noticeSubId: number): NoticeRow | null {
    const row = this.db.prepare(`SELECT ${NOTICE_COLUMNS} FROM notices WHERE arrive_id = ? AND kind = ? AND notice_sub_id = ?`).get(arriveId, kind, noticeSubId);
    return (row as NoticeRow | undefined) ?? null;
  }

  files(arriveId: string, kind: NoticeKind, noticeSubId: number): NoticeFile[] {
    return this.db
      .prepare('SELECT name, content FROM notice_files WHERE arrive_id = ? AND kind = ? AND notice_sub_id = ? ORDER BY position')
      .all(arriveId, kind, noticeSubId) as NoticeFile[];
  }

  /** Names only, for the lists (the contents can be large). */
  fileNames(arriveId: string, kind: NoticeKind, noticeSubId: number): string[] {
    const rows = this.db.prepare('SELECT name FROM notice_files WHERE arrive_id = ? AND kind = ? AND notice_sub_id = ? ORDER BY position').all(arriveId, kind, noticeSubId) as Array<{
      name: string;
    }>;
    return rows.map((r) => r.name);
  }

  /**
   * 取得完了 of a コメント or 公文書: the first one stamps the date and lowers the case's counter;
   * a repeated one changes nothing and answers the first date ([SIM-CHOICE]: idempotent). Null: no such notice.
   */
  markDone(arriveId: string, kind: 'comment' | 'official', noticeSubId: number, date: string): NoticeRow | null {
    return this.db
      .transaction(() => {
        const n = this.find(arriveId, kind, noticeSubId);
        if (!n) return null;
        if (n.doneDate !== '') return n;
        this.db.prepare('UPDATE notices SET done_date = ? WHERE arrive_id = ? AND kind = ? AND notice_sub_id = ?').run(date, arriveId, kind, noticeSubId);
        this.db.prepare(`UPDATE applications SET ${ON_DONE[kind]} WHERE arrive_id = ?`).run(arriveId);
        this.refreshMessage(arriveId, kind);
        return { ...n, doneDate: date };
      })
      .immediate();
  }

  /** A 補正 arrived: every open 補正通知 of the case completed at `date`, CorrectStatus back to なし; call inside a transaction. */
  completeCorrections(arriveId: string, date: string): void {
    this.db.prepare("UPDATE notices SET correct_completed_date = ? WHERE arrive_id = ? AND kind = 'amend' AND correct_completed_date = ''").run(date, arriveId);
    this.db.prepare("UPDATE applications SET correct_status = 'なし' WHERE arrive_id = ?").run(arriveId);
    this.refreshMessage(arriveId, 'amend');
  }

  private refreshMessage(arriveId: string, kind: NoticeKind): void {
    const { n } = this.db.prepare(REFRESH_MESSAGE[kind]).get(arriveId) as { n: number };
    this.db.prepare(`UPDATE applications SET ${MESSAGE_COLUMN[kind]} = ? WHERE arrive_id = ?`).run(NOTICE_MESSAGES[kind](n), arriveId);
  }
}

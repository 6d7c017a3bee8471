// Sandbox (Node). The sandbox database's schema, one numbered step per change. A step is never
// edited once released; a new one is appended. PRAGMA user_version records the last step applied.

import type { Migration } from '../../main/store/sqlite.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'identity: users, certificate bindings, access keys',
    sql: `
      CREATE TABLE users (
        user_id TEXT PRIMARY KEY,
        registered_at INTEGER NOT NULL,
        -- epoch ms of the latest successful authentication (login, append, update, delete); NULL = never
        last_authenticated_at INTEGER
      ) STRICT;

      CREATE TABLE certificate_bindings (
        user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        -- SHA-256 of the certificate's DER, lowercase hex
        fingerprint TEXT NOT NULL,
        der BLOB NOT NULL,
        subject TEXT NOT NULL,
        serial_number TEXT NOT NULL,
        not_after TEXT NOT NULL,
        bound_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, fingerprint)
      ) STRICT;

      CREATE TABLE access_keys (
        -- SHA-256 of the key exactly as issued, lowercase hex; the key itself is never stored
        key_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX access_keys_by_user ON access_keys(user_id);
    `,
  },
  {
    version: 2,
    name: 'apply: sends (一括申請), their applications, number counters',
    sql: `
      -- the global counters of 送信番号 (last 4 digits) and 到達番号 (last 9 digits)
      CREATE TABLE counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sends (
        -- 送信番号: JST YYYYMMDDhhmmss of the sending + a 4-digit counter
        send_number TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        software_id TEXT NOT NULL,
        -- epoch ms of the sandbox clock, and the same as JST YYYYMMDDhhmmss (SendDate)
        sent_at INTEGER NOT NULL,
        send_date TEXT NOT NULL,
        file_name TEXT NOT NULL,
        -- application folders found (SendApplyCount, AllCount), then the 形式チェック's outcome
        all_count INTEGER NOT NULL,
        normal_count INTEGER NOT NULL DEFAULT 0,
        error_count INTEGER NOT NULL DEFAULT 0,
        -- '処理待ち' until the 形式チェック ran, then ''
        work_status TEXT NOT NULL,
        -- the ErrorFile report (HTML), NULL when every application arrived
        error_html TEXT,
        -- the 申請データ ZIP, kept only until the 形式チェック ran
        zip BLOB,
        checked_at INTEGER
      ) STRICT;

      CREATE INDEX sends_by_user_date ON sends(user_id, send_date);
      CREATE INDEX sends_pending ON sends(work_status) WHERE work_status <> '';

      CREATE TABLE applications (
        -- 到達番号: '900' + JST year + a 9-digit counter
        arrive_id TEXT PRIMARY KEY,
        send_number TEXT NOT NULL REFERENCES sends(send_number) ON DELETE CASCADE,
        folder_name TEXT NOT NULL,
        procedure_id TEXT NOT NULL,
        procedure_name TEXT NOT NULL,
        ministry_name TEXT NOT NULL,
        -- kousei 申請者情報: 氏名, 法人団体名, 部門名
        applicant_name TEXT NOT NULL,
        corporation_name TEXT NOT NULL,
        department_name TEXT NOT NULL,
        status TEXT NOT NULL,
        status_at INTEGER NOT NULL,
        status_date TEXT NOT NULL,
        pay_status TEXT NOT NULL DEFAULT '-',
        pay_wait_count INTEGER NOT NULL DEFAULT 0,
        correct_status TEXT NOT NULL DEFAULT 'なし',
        comment_count_not_read INTEGER NOT NULL DEFAULT 0,
        comment_count INTEGER NOT NULL DEFAULT 0,
        doc_count_not_download INTEGER NOT NULL DEFAULT 0,
        doc_count INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE INDEX applications_by_send ON applications(send_number);
    `,
  },
  {
    version: 3,
    name: 'cases: owner, kind, 状況照会 dates and flags, history (ApplyHistory), 取下げ',
    // SQLite cannot drop NOT NULL from send_number (a 取下げ arrives without a 送信), so the table is
    // rebuilt; nothing references it yet. Every application already there gets its arrival event.
    sql: `
      CREATE TABLE applications_v3 (
        arrive_id TEXT PRIMARY KEY,
        -- whose case it is (状況照会 and 取下げ act for this user only)
        user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
        -- the 一括申請 it arrived in; NULL for a 取下げ, which is sent on its own
        send_number TEXT REFERENCES sends(send_number) ON DELETE CASCADE,
        -- kousei 申請種別: 新規申請, 取下げ申請, 取下げ依頼
        apply_type TEXT NOT NULL,
        -- for a 取下げ: the 到達番号 it withdraws
        target_arrive_id TEXT,
        folder_name TEXT NOT NULL,
        procedure_id TEXT NOT NULL,
        procedure_name TEXT NOT NULL,
        ministry_name TEXT NOT NULL,
        applicant_name TEXT NOT NULL,
        corporation_name TEXT NOT NULL,
        department_name TEXT NOT NULL,
        status TEXT NOT NULL,
        status_at INTEGER NOT NULL,
        status_date TEXT NOT NULL,
        pay_status TEXT NOT NULL DEFAULT '-',
        pay_wait_count INTEGER NOT NULL DEFAULT 0,
        correct_status TEXT NOT NULL DEFAULT 'なし',
        comment_count_not_read INTEGER NOT NULL DEFAULT 0,
        comment_count INTEGER NOT NULL DEFAULT 0,
        doc_count_not_download INTEGER NOT NULL DEFAULT 0,
        doc_count INTEGER NOT NULL DEFAULT 0,
        -- 状況照会: JST YYYYMMDDhhmmss, '' until reached
        arrive_date TEXT NOT NULL,
        exam_start_date TEXT NOT NULL DEFAULT '',
        exam_end_date TEXT NOT NULL DEFAULT '',
        proc_end_date TEXT NOT NULL DEFAULT '',
        amend_message TEXT NOT NULL DEFAULT '',
        comment_message TEXT NOT NULL DEFAULT '',
        document_message TEXT NOT NULL DEFAULT '',
        pay_message TEXT NOT NULL DEFAULT '',
        withdraw_flag TEXT NOT NULL DEFAULT '0',
        withdraw_type TEXT NOT NULL DEFAULT '0',
        reintroduction_flag TEXT NOT NULL DEFAULT '0',
        -- the status a case had when a 取下げ arrived, restored if the ministry refuses the 取下げ
        status_before_withdrawal TEXT
      ) STRICT;

      INSERT INTO applications_v3 (arrive_id, user_id, send_number, apply_type, folder_name, procedure_id, procedure_name, ministry_name,
        applicant_name, corporation_name, department_name, status, status_at, status_date, pay_status, pay_wait_count, correct_status,
        comment_count_not_read, comment_count, doc_count_not_download, doc_count, arrive_date)
      SELECT a.arrive_id, s.user_id, a.send_number, '新規申請', a.folder_name, a.procedure_id, a.procedure_name, a.ministry_name,
        a.applicant_name, a.corporation_name, a.department_name, a.status, a.status_at, a.status_date, a.pay_status, a.pay_wait_count,
        a.correct_status, a.comment_count_not_read, a.comment_count, a.doc_count_not_download, a.doc_count, a.status_date
      FROM applications a JOIN sends s ON s.send_number = a.send_number;

      DROP TABLE applications;
      ALTER TABLE applications_v3 RENAME TO applications;
      CREATE INDEX applications_by_send ON applications(send_number);
      CREATE INDEX applications_by_user ON applications(user_id);
      CREATE INDEX applications_by_target ON applications(target_arrive_id) WHERE target_arrive_id IS NOT NULL;

      -- 状況照会 ApplyHistory: one row per event, sub_id 1, 2, … per case
      CREATE TABLE apply_history (
        arrive_id TEXT NOT NULL REFERENCES applications(arrive_id) ON DELETE CASCADE,
        sub_id INTEGER NOT NULL,
        reg_at INTEGER NOT NULL,
        reg_date TEXT NOT NULL,
        -- 送信 (by the applicant) or 受信 (from the ministry)
        operator_type TEXT NOT NULL,
        process_type TEXT NOT NULL,
        apply_status TEXT NOT NULL,
        pay_number TEXT NOT NULL DEFAULT '',
        pay_status TEXT NOT NULL DEFAULT '',
        total_fee TEXT NOT NULL DEFAULT '',
        pay_expired_date TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (arrive_id, sub_id)
      ) STRICT;

      INSERT INTO apply_history (arrive_id, sub_id, reg_at, reg_date, operator_type, process_type, apply_status)
      SELECT arrive_id, 1, status_at, status_date, '送信', '新規申請', '到達' FROM applications;
    `,
  },
  {
    version: 4,
    name: 'notices: 補正通知, コメント, 公文書 and their files; 補正 cases linked to the case they correct',
    sql: `
      -- one notice the ministry (the operator) issued on a case; numbered 1, 2, … per case and kind
      -- ([SIM-CHOICE] REFERENCE §2.7 leaves open whether the kinds share one sequence)
      CREATE TABLE notices (
        arrive_id TEXT NOT NULL REFERENCES applications(arrive_id) ON DELETE CASCADE,
        -- amend: 補正通知, comment: コメント, official: 公文書
        kind TEXT NOT NULL CHECK (kind IN ('amend', 'comment', 'official')),
        notice_sub_id INTEGER NOT NULL,
        issued_at INTEGER NOT NULL,
        -- IssueDate / CorrectRequestedDate, JST YYYYMMDDhhmmss
        issue_date TEXT NOT NULL,
        doc_title TEXT NOT NULL,
        -- 補正通知: CorrectExpiredDate (YYYYMMDD, or '' without a deadline) and CorrectCompletedDate
        correct_expired_date TEXT NOT NULL DEFAULT '',
        correct_completed_date TEXT NOT NULL DEFAULT '',
        -- 公文書 / コメント: the DownloadDate of the first 取得完了, '' until then (Reading 既読 / DownloadStatus 取得済)
        done_date TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (arrive_id, kind, notice_sub_id)
      ) STRICT;

      -- the files of a notice in ZIP order; the ZIP itself is built on every GET (entry time = request time)
      CREATE TABLE notice_files (
        arrive_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        notice_sub_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        content BLOB NOT NULL,
        PRIMARY KEY (arrive_id, kind, notice_sub_id, position),
        FOREIGN KEY (arrive_id, kind, notice_sub_id) REFERENCES notices(arrive_id, kind, notice_sub_id) ON DELETE CASCADE
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: 'payments: the 納付 the operator registers on a case',
    sql: `
      -- one 納付 (電子納付情報一覧 ApplyPay), in the order the operator registered them
      CREATE TABLE payments (
        arrive_id TEXT NOT NULL REFERENCES applications(arrive_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        -- 納付番号, 16 digits, unique in the sandbox (a bank is told only this and the two below)
        pay_number TEXT NOT NULL UNIQUE,
        -- 確認番号, 6 digits
        confirm_number TEXT NOT NULL,
        -- 収納機関番号, 5 digits
        facility_number TEXT NOT NULL,
        pay_name_kana TEXT NOT NULL,
        -- 納付期限, JST YYYYMMDD
        pay_expired_date TEXT NOT NULL,
        -- the amount in yen, digits
        total_fee TEXT NOT NULL,
        -- 未納, 納付済 or 納付期限切れ
        pay_status TEXT NOT NULL,
        -- 納付日, JST YYYYMMDD once paid
        pay_date TEXT NOT NULL DEFAULT '',
        pay_memo TEXT NOT NULL,
        pay_flag TEXT NOT NULL DEFAULT '0',
        registered_at INTEGER NOT NULL,
        PRIMARY KEY (arrive_id, position)
      ) STRICT;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

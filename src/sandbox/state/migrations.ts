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
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

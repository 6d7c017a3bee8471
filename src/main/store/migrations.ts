// Core host. The app database's schema, one numbered step per change. A step is never edited once
// released; a new one is appended. PRAGMA user_version records the last step applied; a database
// whose user_version is above the last step here was written by a newer Todoke and is refused
// (src/main/store/db.ts), never downgraded.

import type { Migration } from './sqlite.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'outbox: entries, their transitions, arrived applications',
    sql: `
      CREATE TABLE outbox_entries (
        id TEXT PRIMARY KEY,
        -- the profile (folder name) and the 利用者ID the entry is sent as
        profile TEXT NOT NULL,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('batch', 'withdrawal', 'amendment')),
        state TEXT NOT NULL CHECK (state IN
          ('ready', 'sending', 'sent', 'following', 'done', 'unknown', 'ready-for-resend', 'ambiguous', 'failed')),
        -- the exact request body: inline, or in a file beside the database (path relative to its folder)
        request_bytes BLOB,
        request_path TEXT,
        request_size INTEGER NOT NULL CHECK (request_size >= 0),
        -- SHA-256 of the request body, lowercase hex
        request_sha256 TEXT NOT NULL CHECK (length(request_sha256) = 64),
        -- JSON array of the paths of the application data the request was built from
        source_paths TEXT NOT NULL,
        -- SHA-256 of the application data: the same data sent again has the same hash
        content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
        application_count INTEGER NOT NULL CHECK (application_count >= 0),
        -- JSON arrays, one item per application folder in the ZIP (for reconciliation)
        folder_names TEXT NOT NULL,
        applicant_names TEXT NOT NULL,
        -- epoch ms
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        attempt_started_at INTEGER,
        attempt_count INTEGER NOT NULL DEFAULT 0,
        -- 送信番号 and the rest of the 202 answer, once known; one entry per 送信番号
        send_number TEXT UNIQUE,
        send_date TEXT,
        send_apply_count INTEGER,
        send_error_count INTEGER,
        work_status TEXT,
        failure_code TEXT,
        failure_message TEXT,
        -- JSON array of 送信番号 when state = 'ambiguous'
        candidates TEXT,
        CHECK ((request_bytes IS NULL) <> (request_path IS NULL)),
        CHECK (state NOT IN ('sent', 'following', 'done') OR send_number IS NOT NULL)
      ) STRICT;

      CREATE INDEX outbox_entries_by_state ON outbox_entries(state);
      CREATE INDEX outbox_entries_by_content ON outbox_entries(content_sha256);

      -- every state change, in order: what happened to an entry, for support and for the user
      CREATE TABLE outbox_transitions (
        entry_id TEXT NOT NULL REFERENCES outbox_entries(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        event TEXT NOT NULL,
        at INTEGER NOT NULL,
        detail TEXT,
        PRIMARY KEY (entry_id, seq)
      ) STRICT;

      -- one arrived application (= one case), as 送信案件一覧 / 申請案件一覧 list it
      CREATE TABLE arrived_applications (
        arrive_id TEXT PRIMARY KEY,
        -- NULL for a batch this computer did not send (listed by a later sync)
        entry_id TEXT REFERENCES outbox_entries(id) ON DELETE RESTRICT,
        send_number TEXT NOT NULL,
        ministry_name TEXT NOT NULL,
        procedure_name TEXT NOT NULL,
        procedure_folder_name TEXT NOT NULL,
        applicant_name TEXT NOT NULL,
        corporation_name TEXT NOT NULL,
        department_name TEXT NOT NULL,
        status TEXT NOT NULL,
        status_date TEXT NOT NULL,
        pay_status TEXT NOT NULL,
        pay_wait_count INTEGER NOT NULL,
        correct_status TEXT NOT NULL,
        comment_count_not_read INTEGER NOT NULL,
        comment_count INTEGER NOT NULL,
        doc_count_not_download INTEGER NOT NULL,
        doc_count INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX arrived_applications_by_send ON arrived_applications(send_number);
      CREATE INDEX arrived_applications_by_entry ON arrived_applications(entry_id);
    `,
  },
  {
    version: 2,
    name: 'outbox: the result of the 形式チェック (counts and the ErrorFile report)',
    sql: `
      -- NULL until 送信案件一覧 shows the batch done (WorkStatus empty)
      ALTER TABLE outbox_entries ADD COLUMN format_normal_count INTEGER;
      ALTER TABLE outbox_entries ADD COLUMN format_error_count INTEGER;
      -- the ErrorFile bytes as e-Gov sent them (decoded from base64), NULL when it sent none
      ALTER TABLE outbox_entries ADD COLUMN error_file BLOB;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

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
  {
    version: 3,
    name: 'cases: 状況照会 of each arrived application, its history, the statuses observed, a change cursor',
    // A case is a row of arrived_applications (one per 到達番号, linked to its batch by send_number and,
    // when this computer sent it, entry_id). This step adds what 状況照会 says, the ApplyHistory, the
    // status changes Todoke saw, and a cursor for "what changed since". The cursor and the observed
    // statuses are kept by triggers, so that every writer (the outbox storing a batch's applications,
    // the sync) keeps them right without knowing about them.
    sql: `
      -- 状況照会 (REFERENCE §4.6), as sent; NULL until Todoke asked it for this case
      ALTER TABLE arrived_applications ADD COLUMN arrive_date TEXT;
      ALTER TABLE arrived_applications ADD COLUMN exam_start_date TEXT;
      ALTER TABLE arrived_applications ADD COLUMN exam_end_date TEXT;
      ALTER TABLE arrived_applications ADD COLUMN procedure_end_date TEXT;
      ALTER TABLE arrived_applications ADD COLUMN amend_message TEXT;
      ALTER TABLE arrived_applications ADD COLUMN comment_message TEXT;
      ALTER TABLE arrived_applications ADD COLUMN document_message TEXT;
      ALTER TABLE arrived_applications ADD COLUMN pay_message TEXT;
      ALTER TABLE arrived_applications ADD COLUMN withdraw_flag TEXT;
      ALTER TABLE arrived_applications ADD COLUMN withdraw_type TEXT;
      ALTER TABLE arrived_applications ADD COLUMN reintroduction_flag TEXT;
      -- epoch ms of the last 状況照会 answer stored
      ALTER TABLE arrived_applications ADD COLUMN referenced_at INTEGER;
      -- 1: the list showed a change whose 状況照会 has not been stored yet (asked again at the next sync)
      ALTER TABLE arrived_applications ADD COLUMN needs_reference INTEGER NOT NULL DEFAULT 0 CHECK (needs_reference IN (0, 1));
      -- the "changed since" cursor: raised to above every other row's at each change of the row
      ALTER TABLE arrived_applications ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;

      -- cases already stored: the cursor in the order they were written; their history is asked for
      -- when they next change (asking 状況照会 for thousands of unchanged cases at once would be the
      -- very load the sync avoids)
      UPDATE arrived_applications SET change_seq = rowid;

      CREATE INDEX arrived_applications_by_change ON arrived_applications(change_seq);
      -- the case list's filters, each in 到達番号 order (newest first) for keyset pages
      CREATE INDEX arrived_applications_by_status ON arrived_applications(status, arrive_id);
      CREATE INDEX arrived_applications_by_procedure ON arrived_applications(procedure_name, arrive_id);
      CREATE INDEX arrived_applications_by_applicant ON arrived_applications(applicant_name, arrive_id);
      CREATE INDEX arrived_applications_needing_reference ON arrived_applications(needs_reference) WHERE needs_reference = 1;

      -- 状況照会 ApplyHistory, one row per event (SubID), as sent
      CREATE TABLE case_history (
        arrive_id TEXT NOT NULL REFERENCES arrived_applications(arrive_id) ON DELETE CASCADE,
        sub_id INTEGER NOT NULL,
        date TEXT NOT NULL,
        operator_type TEXT NOT NULL,
        process_type TEXT NOT NULL,
        status TEXT NOT NULL,
        pay_number TEXT NOT NULL,
        pay_status TEXT NOT NULL,
        total_fee TEXT NOT NULL,
        pay_expired_date TEXT NOT NULL,
        -- epoch ms when Todoke first stored the event
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (arrive_id, sub_id)
      ) STRICT;

      -- every status Todoke saw a case take, with when it saw it (the status as sent, never mapped)
      CREATE TABLE case_observations (
        id INTEGER PRIMARY KEY,
        arrive_id TEXT NOT NULL REFERENCES arrived_applications(arrive_id) ON DELETE CASCADE,
        -- epoch ms (the writer's clock: updated_at of the row)
        at INTEGER NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        status_date TEXT NOT NULL
      ) STRICT;
      CREATE INDEX case_observations_by_case ON case_observations(arrive_id, id);

      INSERT INTO case_observations (arrive_id, at, from_status, to_status, status_date)
      SELECT arrive_id, updated_at, NULL, status, status_date FROM arrived_applications ORDER BY rowid;

      CREATE TRIGGER arrived_applications_inserted AFTER INSERT ON arrived_applications
      BEGIN
        UPDATE arrived_applications SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM arrived_applications)
          WHERE arrive_id = NEW.arrive_id;
        INSERT INTO case_observations (arrive_id, at, from_status, to_status, status_date)
          VALUES (NEW.arrive_id, NEW.updated_at, NULL, NEW.status, NEW.status_date);
      END;

      -- what a screen shows moved (the outbox rewrites rows with the same values: not a change)
      CREATE TRIGGER arrived_applications_changed AFTER UPDATE ON arrived_applications
      WHEN OLD.change_seq = NEW.change_seq AND (
        OLD.status IS NOT NEW.status OR OLD.status_date IS NOT NEW.status_date OR OLD.pay_status IS NOT NEW.pay_status
        OR OLD.pay_wait_count IS NOT NEW.pay_wait_count OR OLD.correct_status IS NOT NEW.correct_status
        OR OLD.comment_count_not_read IS NOT NEW.comment_count_not_read OR OLD.comment_count IS NOT NEW.comment_count
        OR OLD.doc_count_not_download IS NOT NEW.doc_count_not_download OR OLD.doc_count IS NOT NEW.doc_count
        OR OLD.referenced_at IS NOT NEW.referenced_at OR OLD.entry_id IS NOT NEW.entry_id)
      BEGIN
        UPDATE arrived_applications SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM arrived_applications)
          WHERE arrive_id = NEW.arrive_id;
      END;

      CREATE TRIGGER arrived_applications_status_observed AFTER UPDATE OF status ON arrived_applications
      WHEN OLD.status IS NOT NEW.status
      BEGIN
        INSERT INTO case_observations (arrive_id, at, from_status, to_status, status_date)
          VALUES (NEW.arrive_id, NEW.updated_at, OLD.status, NEW.status, NEW.status_date);
      END;
    `,
  },
  {
    version: 4,
    name: 'withdrawals: a 取下げ is an outbox entry naming its case, and a case of its own linked to the case it withdraws',
    // SQLite can neither drop NOT NULL (a 取下げ case has no 送信番号: it is not sent in a batch) nor
    // change a CHECK (a delivered 取下げ has a 到達番号, not a 送信番号), so both tables are rebuilt.
    // Their children are rebuilt with them, children first: with foreign_keys=ON (set before any
    // migration, and a no-op inside the migration's transaction) a DROP of a parent deletes its rows
    // first, and the ON DELETE CASCADE would take the history and the observed statuses with it.
    // Every row is copied with its values, change_seq and ids included; the triggers of migration 3
    // are made again on the new table. ALTER TABLE … RENAME rewrites the REFERENCES of the other
    // new tables to the final names.
    sql: `
      CREATE TABLE outbox_entries_v4 (
        id TEXT PRIMARY KEY,
        profile TEXT NOT NULL,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('batch', 'withdrawal', 'amendment')),
        state TEXT NOT NULL CHECK (state IN
          ('ready', 'sending', 'sent', 'following', 'done', 'unknown', 'ready-for-resend', 'ambiguous', 'failed')),
        request_bytes BLOB,
        request_path TEXT,
        request_size INTEGER NOT NULL CHECK (request_size >= 0),
        request_sha256 TEXT NOT NULL CHECK (length(request_sha256) = 64),
        source_paths TEXT NOT NULL,
        content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
        application_count INTEGER NOT NULL CHECK (application_count >= 0),
        folder_names TEXT NOT NULL,
        applicant_names TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        attempt_started_at INTEGER,
        attempt_count INTEGER NOT NULL DEFAULT 0,
        send_number TEXT UNIQUE,
        send_date TEXT,
        send_apply_count INTEGER,
        send_error_count INTEGER,
        work_status TEXT,
        failure_code TEXT,
        failure_message TEXT,
        candidates TEXT,
        format_normal_count INTEGER,
        format_error_count INTEGER,
        error_file BLOB,
        -- 取下げ (and later 補正): the 到達番号 of the case it acts on
        target_arrive_id TEXT,
        -- 取下げ: the 到達番号 e-Gov gave the 取下げ itself (NewArriveID); NULL while not known, and when
        -- a reconciliation found the 取下げ at e-Gov without its number (状況照会 does not carry it)
        new_arrive_id TEXT UNIQUE,
        -- 取下げ: e-Gov's answer (WithdrawalReceipt as JSON), when it came
        reply TEXT,
        CHECK ((request_bytes IS NULL) <> (request_path IS NULL)),
        -- a batch is sent, followed and done under its 送信番号; a 取下げ has none
        CHECK (kind = 'withdrawal' OR state NOT IN ('sent', 'following', 'done') OR send_number IS NOT NULL),
        CHECK (kind <> 'withdrawal' OR (target_arrive_id IS NOT NULL AND send_number IS NULL AND state NOT IN ('sent', 'following')))
      ) STRICT;
      INSERT INTO outbox_entries_v4 (id, profile, user_id, kind, state, request_bytes, request_path, request_size, request_sha256, source_paths,
        content_sha256, application_count, folder_names, applicant_names, created_at, updated_at, attempt_started_at, attempt_count, send_number,
        send_date, send_apply_count, send_error_count, work_status, failure_code, failure_message, candidates, format_normal_count,
        format_error_count, error_file)
      SELECT id, profile, user_id, kind, state, request_bytes, request_path, request_size, request_sha256, source_paths,
        content_sha256, application_count, folder_names, applicant_names, created_at, updated_at, attempt_started_at, attempt_count, send_number,
        send_date, send_apply_count, send_error_count, work_status, failure_code, failure_message, candidates, format_normal_count,
        format_error_count, error_file
      FROM outbox_entries ORDER BY rowid;

      CREATE TABLE outbox_transitions_v4 (
        entry_id TEXT NOT NULL REFERENCES outbox_entries_v4(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        event TEXT NOT NULL,
        at INTEGER NOT NULL,
        detail TEXT,
        PRIMARY KEY (entry_id, seq)
      ) STRICT;
      INSERT INTO outbox_transitions_v4 SELECT entry_id, seq, from_state, to_state, event, at, detail FROM outbox_transitions;

      CREATE TABLE arrived_applications_v4 (
        arrive_id TEXT PRIMARY KEY,
        entry_id TEXT REFERENCES outbox_entries_v4(id) ON DELETE RESTRICT,
        -- NULL for a 取下げ case (withdrawal_of is set instead)
        send_number TEXT,
        -- a 取下げ case: the 到達番号 of the case it withdraws
        withdrawal_of TEXT REFERENCES arrived_applications_v4(arrive_id) ON DELETE RESTRICT,
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
        updated_at INTEGER NOT NULL,
        arrive_date TEXT,
        exam_start_date TEXT,
        exam_end_date TEXT,
        procedure_end_date TEXT,
        amend_message TEXT,
        comment_message TEXT,
        document_message TEXT,
        pay_message TEXT,
        withdraw_flag TEXT,
        withdraw_type TEXT,
        reintroduction_flag TEXT,
        referenced_at INTEGER,
        needs_reference INTEGER NOT NULL DEFAULT 0 CHECK (needs_reference IN (0, 1)),
        change_seq INTEGER NOT NULL DEFAULT 0,
        CHECK (send_number IS NOT NULL OR withdrawal_of IS NOT NULL),
        CHECK (withdrawal_of IS NULL OR withdrawal_of <> arrive_id)
      ) STRICT;
      INSERT INTO arrived_applications_v4 (arrive_id, entry_id, send_number, ministry_name, procedure_name, procedure_folder_name, applicant_name,
        corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status, comment_count_not_read, comment_count,
        doc_count_not_download, doc_count, updated_at, arrive_date, exam_start_date, exam_end_date, procedure_end_date, amend_message,
        comment_message, document_message, pay_message, withdraw_flag, withdraw_type, reintroduction_flag, referenced_at, needs_reference, change_seq)
      SELECT arrive_id, entry_id, send_number, ministry_name, procedure_name, procedure_folder_name, applicant_name,
        corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status, comment_count_not_read, comment_count,
        doc_count_not_download, doc_count, updated_at, arrive_date, exam_start_date, exam_end_date, procedure_end_date, amend_message,
        comment_message, document_message, pay_message, withdraw_flag, withdraw_type, reintroduction_flag, referenced_at, needs_reference, change_seq
      FROM arrived_applications ORDER BY rowid;

      CREATE TABLE case_history_v4 (
        arrive_id TEXT NOT NULL REFERENCES arrived_applications_v4(arrive_id) ON DELETE CASCADE,
        sub_id INTEGER NOT NULL,
        date TEXT NOT NULL,
        operator_type TEXT NOT NULL,
        process_type TEXT NOT NULL,
        status TEXT NOT NULL,
        pay_number TEXT NOT NULL,
        pay_status TEXT NOT NULL,
        total_fee TEXT NOT NULL,
        pay_expired_date TEXT NOT NULL,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (arrive_id, sub_id)
      ) STRICT;
      INSERT INTO case_history_v4 SELECT arrive_id, sub_id, date, operator_type, process_type, status, pay_number, pay_status, total_fee,
        pay_expired_date, seen_at FROM case_history;

      CREATE TABLE case_observations_v4 (
        id INTEGER PRIMARY KEY,
        arrive_id TEXT NOT NULL REFERENCES arrived_applications_v4(arrive_id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        status_date TEXT NOT NULL
      ) STRICT;
      INSERT INTO case_observations_v4 SELECT id, arrive_id, at, from_status, to_status, status_date FROM case_observations;

      DROP TABLE case_observations;
      DROP TABLE case_history;
      DROP TABLE arrived_applications;
      DROP TABLE outbox_transitions;
      DROP TABLE outbox_entries;
      ALTER TABLE outbox_entries_v4 RENAME TO outbox_entries;
      ALTER TABLE outbox_transitions_v4 RENAME TO outbox_transitions;
      ALTER TABLE arrived_applications_v4 RENAME TO arrived_applications;
      ALTER TABLE case_history_v4 RENAME TO case_history;
      ALTER TABLE case_observations_v4 RENAME TO case_observations;

      CREATE INDEX outbox_entries_by_state ON outbox_entries(state);
      CREATE INDEX outbox_entries_by_content ON outbox_entries(content_sha256);
      -- never two 取下げ of one case at once: only a refused one (failed) leaves room for another
      CREATE UNIQUE INDEX outbox_one_withdrawal_per_case ON outbox_entries(target_arrive_id)
        WHERE kind = 'withdrawal' AND state <> 'failed';
      CREATE INDEX arrived_applications_by_send ON arrived_applications(send_number);
      CREATE INDEX arrived_applications_by_entry ON arrived_applications(entry_id);
      CREATE INDEX arrived_applications_by_change ON arrived_applications(change_seq);
      CREATE INDEX arrived_applications_by_status ON arrived_applications(status, arrive_id);
      CREATE INDEX arrived_applications_by_procedure ON arrived_applications(procedure_name, arrive_id);
      CREATE INDEX arrived_applications_by_applicant ON arrived_applications(applicant_name, arrive_id);
      CREATE INDEX arrived_applications_needing_reference ON arrived_applications(needs_reference) WHERE needs_reference = 1;
      CREATE INDEX arrived_applications_by_withdrawal_of ON arrived_applications(withdrawal_of) WHERE withdrawal_of IS NOT NULL;
      CREATE INDEX case_observations_by_case ON case_observations(arrive_id, id);

      CREATE TRIGGER arrived_applications_inserted AFTER INSERT ON arrived_applications
      BEGIN
        UPDATE arrived_applications SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM arrived_applications)
          WHERE arrive_id = NEW.arrive_id;
        INSERT INTO case_observations (arrive_id, at, from_status, to_status, status_date)
          VALUES (NEW.arrive_id, NEW.updated_at, NULL, NEW.status, NEW.status_date);
      END;

      CREATE TRIGGER arrived_applications_changed AFTER UPDATE ON arrived_applications
      WHEN OLD.change_seq = NEW.change_seq AND (
        OLD.status IS NOT NEW.status OR OLD.status_date IS NOT NEW.status_date OR OLD.pay_status IS NOT NEW.pay_status
        OR OLD.pay_wait_count IS NOT NEW.pay_wait_count OR OLD.correct_status IS NOT NEW.correct_status
        OR OLD.comment_count_not_read IS NOT NEW.comment_count_not_read OR OLD.comment_count IS NOT NEW.comment_count
        OR OLD.doc_count_not_download IS NOT NEW.doc_count_not_download OR OLD.doc_count IS NOT NEW.doc_count
        OR OLD.referenced_at IS NOT NEW.referenced_at OR OLD.entry_id IS NOT NEW.entry_id)
      BEGIN
        UPDATE arrived_applications SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM arrived_applications)
          WHERE arrive_id = NEW.arrive_id;
      END;

      CREATE TRIGGER arrived_applications_status_observed AFTER UPDATE OF status ON arrived_applications
      WHEN OLD.status IS NOT NEW.status
      BEGIN
        INSERT INTO case_observations (arrive_id, at, from_status, to_status, status_date)
          VALUES (NEW.arrive_id, NEW.updated_at, OLD.status, NEW.status, NEW.status_date);
      END;
    `,
  },
  {
    version: 5,
    name: 'notices: 補正通知, 公文書 and コメント as listed, their ZIPs kept in the vault, 取得完了, reading, verification',
    // A notice is keyed by (到達番号, kind, 通知番号) as e-Gov lists it. No foreign key to the case:
    // a notice may be listed for a case this profile does not track (a CLI command naming any
    // 到達番号), and no change to the cases may ever take a kept document with it. Text as sent;
    // e-Gov's dates are JST text. kept_at is written only once the vault holds the ZIP and its
    // files (src/main/documents/vault.ts), and 取得完了 is only sent for a kept notice: the rows
    // kept but not done are what the next cycle completes after a crash.
    sql: `
      CREATE TABLE notices (
        id INTEGER PRIMARY KEY,
        arrive_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('amend', 'document', 'comment')),
        notice_sub_id INTEGER NOT NULL,
        title TEXT NOT NULL,
        -- 公文書 / コメント: IssueDate; 補正通知: CorrectRequestedDate (JST YYYYMMDDhhmmss)
        issue_date TEXT NOT NULL,
        -- 補正通知: CorrectExpiredDate ('' when none, and for the other kinds)
        deadline TEXT NOT NULL DEFAULT '',
        -- 補正通知: CorrectCompletedDate ('' until completed, and for the other kinds)
        completed_date TEXT NOT NULL DEFAULT '',
        -- JSON array of the file names the list gave
        listed_file_names TEXT NOT NULL,
        -- the entry's read / download state as the list sent it ('' when absent)
        egov_state TEXT NOT NULL DEFAULT '',
        -- epoch ms
        first_seen_at INTEGER NOT NULL,
        listed_at INTEGER NOT NULL,
        -- the ZIP in the vault (SHA-256 lowercase hex, bytes), once kept
        zip_sha256 TEXT CHECK (zip_sha256 IS NULL OR length(zip_sha256) = 64),
        zip_size INTEGER CHECK (zip_size IS NULL OR zip_size >= 0),
        kept_at INTEGER,
        -- the ZIP is kept but its entries were refused (NoticeZipError code and message)
        refusal_code TEXT,
        refusal_message TEXT,
        -- 取得完了 confirmed by e-Gov (補正通知 have no 完了 API: done when kept)
        done_at INTEGER,
        -- JSON of the NoticeReceipt 取得完了 returned
        done_reply TEXT,
        -- the user opened it in Todoke
        read_at INTEGER,
        -- JSON of what the local verifier and 公文書署名検証 said
        local_verification TEXT,
        remote_verification TEXT,
        verified_at INTEGER,
        -- JSON {code, message, at} of the last failure while fetching, keeping or completing
        last_error TEXT,
        UNIQUE (arrive_id, kind, notice_sub_id),
        CHECK ((zip_sha256 IS NULL) = (kept_at IS NULL) AND (zip_size IS NULL) = (kept_at IS NULL)),
        CHECK ((refusal_code IS NULL) = (refusal_message IS NULL)),
        CHECK (refusal_code IS NULL OR kept_at IS NOT NULL),
        CHECK (done_at IS NULL OR kept_at IS NOT NULL)
      ) STRICT;

      CREATE INDEX notices_to_fetch ON notices(arrive_id) WHERE kept_at IS NULL;
      CREATE INDEX notices_to_complete ON notices(id) WHERE kept_at IS NOT NULL AND done_at IS NULL AND kind IN ('document', 'comment');
      -- the inbox order: unread first, then the newest issue date
      CREATE INDEX notices_inbox ON notices((read_at IS NULL), issue_date, id);

      -- the files of a kept ZIP, by name; their bytes are in the vault under sha256
      CREATE TABLE notice_files (
        notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE RESTRICT,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        size INTEGER NOT NULL CHECK (size >= 0),
        media TEXT NOT NULL CHECK (media IN ('xml', 'xsl', 'pdf', 'other')),
        PRIMARY KEY (notice_id, name)
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: '補正: an outbox entry naming the case it corrects, and the new case linked to it (amendment_of)',
    // The CHECKs of migration 4 allow a delivered entry without 送信番号 only for a 取下げ, and a case
    // without 送信番号 only when it is a 取下げ: a 補正 is both (sent on its own, REFERENCE §4.11), so the
    // two tables are rebuilt once more. Unlike migration 4 this step runs with foreign keys OFF
    // (Migration.rebuildsTables): the tables that refer to these two — the history, the observed
    // statuses, and whatever later steps hang on a case — are left where they are, their rows untouched,
    // and foreign_key_check proves every reference still holds before the step commits. The triggers of
    // migration 3 go with the old table and are made again on the new one.
    rebuildsTables: true,
    sql: `
      CREATE TABLE outbox_entries_v6 (
        id TEXT PRIMARY KEY,
        profile TEXT NOT NULL,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('batch', 'withdrawal', 'amendment')),
        state TEXT NOT NULL CHECK (state IN
          ('ready', 'sending', 'sent', 'following', 'done', 'unknown', 'ready-for-resend', 'ambiguous', 'failed')),
        request_bytes BLOB,
        request_path TEXT,
        request_size INTEGER NOT NULL CHECK (request_size >= 0),
        request_sha256 TEXT NOT NULL CHECK (length(request_sha256) = 64),
        source_paths TEXT NOT NULL,
        content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
        application_count INTEGER NOT NULL CHECK (application_count >= 0),
        folder_names TEXT NOT NULL,
        applicant_names TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        attempt_started_at INTEGER,
        attempt_count INTEGER NOT NULL DEFAULT 0,
        send_number TEXT UNIQUE,
        send_date TEXT,
        send_apply_count INTEGER,
        send_error_count INTEGER,
        work_status TEXT,
        failure_code TEXT,
        failure_message TEXT,
        candidates TEXT,
        format_normal_count INTEGER,
        format_error_count INTEGER,
        error_file BLOB,
        -- 取下げ and 補正: the 到達番号 of the case acted on
        target_arrive_id TEXT,
        -- 取下げ and 補正: the 到達番号 e-Gov gave the request itself (NewArriveID); NULL while not known,
        -- for a 部分補正 (which keeps the case) and after a reconciliation that found it without its number
        new_arrive_id TEXT UNIQUE,
        -- 取下げ and 補正: e-Gov's answer (the receipt as JSON), when it came
        reply TEXT,
        -- 補正: the API that carries it (補正申請, or the abolished 再提出 / 部分補正)
        amendment_kind TEXT CHECK (amendment_kind IS NULL OR amendment_kind IN ('amendapply', 'reamend', 'partamend')),
        CHECK ((request_bytes IS NULL) <> (request_path IS NULL)),
        -- a batch is sent, followed and done under its 送信番号; a 取下げ or 補正 has none
        CHECK (kind <> 'batch' OR state NOT IN ('sent', 'following', 'done') OR send_number IS NOT NULL),
        CHECK (kind = 'batch' OR (target_arrive_id IS NOT NULL AND send_number IS NULL AND state NOT IN ('sent', 'following'))),
        CHECK ((kind = 'amendment') = (amendment_kind IS NOT NULL))
      ) STRICT;
      INSERT INTO outbox_entries_v6 (id, profile, user_id, kind, state, request_bytes, request_path, request_size, request_sha256, source_paths,
        content_sha256, application_count, folder_names, applicant_names, created_at, updated_at, attempt_started_at, attempt_count, send_number,
        send_date, send_apply_count, send_error_count, work_status, failure_code, failure_message, candidates, format_normal_count,
        format_error_count, error_file, target_arrive_id, new_arrive_id, reply)
      SELECT id, profile, user_id, kind, state, request_bytes, request_path, request_size, request_sha256, source_paths,
        content_sha256, application_count, folder_names, applicant_names, created_at, updated_at, attempt_started_at, attempt_count, send_number,
        send_date, send_apply_count, send_error_count, work_status, failure_code, failure_message, candidates, format_normal_count,
        format_error_count, error_file, target_arrive_id, new_arrive_id, reply
      FROM outbox_entries ORDER BY rowid;

      CREATE TABLE arrived_applications_v6 (
        arrive_id TEXT PRIMARY KEY,
        entry_id TEXT REFERENCES outbox_entries(id) ON DELETE RESTRICT,
        -- NULL for a 取下げ or 補正 case (withdrawal_of / amendment_of is set instead)
        send_number TEXT,
        withdrawal_of TEXT REFERENCES arrived_applications(arrive_id) ON DELETE RESTRICT,
        -- a 補正 case: the 到達番号 of the case it corrects
        amendment_of TEXT REFERENCES arrived_applications(arrive_id) ON DELETE RESTRICT,
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
        updated_at INTEGER NOT NULL,
        arrive_date TEXT,
        exam_start_date TEXT,
        exam_end_date TEXT,
        procedure_end_date TEXT,
        amend_message TEXT,
        comment_message TEXT,
        document_message TEXT,
        pay_message TEXT,
        withdraw_flag TEXT,
        withdraw_type TEXT,
        reintroduction_flag TEXT,
        referenced_at INTEGER,
        needs_reference INTEGER NOT NULL DEFAULT 0 CHECK (needs_reference IN (0, 1)),
        change_seq INTEGER NOT NULL DEFAULT 0,
        CHECK (send_number IS NOT NULL OR withdrawal_of IS NOT NULL OR amendment_of IS NOT NULL),
        CHECK (withdrawal_of IS NULL OR withdrawal_of <> arrive_id),
        CHECK (amendment_of IS NULL OR amendment_of <> arrive_id),
        CHECK (withdrawal_of IS NULL OR amendment_of IS NULL)
      ) STRICT;
      INSERT INTO arrived_applications_v6 (arrive_id, entry_id, send_number, withdrawal_of, ministry_name, procedure_name, procedure_folder_name,
        applicant_name, corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status, comment_count_not_read,
        comment_count, doc_count_not_download, doc_count, updated_at, arrive_date, exam_start_date, exam_end_date, procedure_end_date, amend_message,
        comment_message, document_message, pay_message, withdraw_flag, withdraw_type, reintroduction_flag, referenced_at, needs_reference, change_seq)
      SELECT arrive_id, entry_id, send_number, withdrawal_of, ministry_name, procedure_name, procedure_folder_name,
        applicant_name, corporation_name, department_name, status, status_date, pay_status, pay_wait_count, correct_status, comment_count_not_read,
        comment_count, doc_count_not_download, doc_count, updated_at, arrive_date, exam_start_date, exam_end_date, procedure_end_date, amend_message,
        comment_message, document_message, pay_message, withdraw_flag, withdraw_type, reintroduction_flag, referenced_at, needs_reference, change_seq
      FROM arrived_applications ORDER BY rowid;

      -- foreign keys are off: no cascade, no restrict; the references by name find the new tables
      DROP TABLE arrived_applications;
      DROP TABLE outbox_entries;
      ALTER TABLE outbox_entries_v6 RENAME TO outbox_entries;
      ALTER TABLE arrived_applications_v6 RENAME TO arrived_applications;

      CREATE INDEX outbox_entries_by_state ON outbox_entries(state);
      CREATE INDEX outbox_entries_by_content ON outbox_entries(content_sha256);
      CREATE UNIQUE INDEX outbox_one_withdrawal_per_case ON outbox_entries(target_arrive_id)
        WHERE kind = 'withdrawal' AND state <> 'failed';
      -- never two 補正 of one case at once: one settled (done) or refused (failed) leaves room for the next
      CREATE UNIQUE INDEX outbox_one_open_amendment_per_case ON outbox_entries(target_arrive_id)
        WHERE kind = 'amendment' AND state NOT IN ('failed', 'done');
      CREATE INDEX arrived_applications_by_send ON arrived_applications(send_number);
      CREATE INDEX arrived_applications_by_entry ON arrived_applications(entry_id);
      CREATE INDEX arrived_applications_by_change ON arrived_applications(change_seq);
      CREATE INDEX arrived_applications_by_status ON arrived_applications(status, arrive_id);
      CREATE INDEX arrived_applications_by_procedure ON arrived_applications(procedure_name, arrive_id);
      CREATE INDEX arrived_applications_by_applicant ON arrived_applications(applicant_name, arrive_id);
      CREATE INDEX arrived_applications_needing_reference ON arrived_applications(needs_reference) WHERE needs_reference = 1;
      CREATE INDEX arrived_applications_by_withdrawal_of ON arrived_applications(withdrawal_of) WHERE withdrawal_of IS NOT NULL;
      CREATE INDEX arrived_applications_by_amendment_of ON arrived_applications(amendment_of) WHERE amendment_of IS NOT NULL;

      CREATE TRIGGER arrived_applications_inserted AFTER INSERT ON arrived_applications
      BEGIN
        UPDATE arrived_applications SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM arrived_applications)
          WHERE arrive_id = NEW.arrive_id;
        INSERT INTO case_observations (arrive_id, at, from_status, to_status, status_date)
          VALUES (NEW.arrive_id, NEW.updated_at, NULL, NEW.status, NEW.status_date);
      END;

      CREATE TRIGGER arrived_applications_changed AFTER UPDATE ON arrived_applications
      WHEN OLD.change_seq = NEW.change_seq AND (
        OLD.status IS NOT NEW.status OR OLD.status_date IS NOT NEW.status_date OR OLD.pay_status IS NOT NEW.pay_status
        OR OLD.pay_wait_count IS NOT NEW.pay_wait_count OR OLD.correct_status IS NOT NEW.correct_status
        OR OLD.comment_count_not_read IS NOT NEW.comment_count_not_read OR OLD.comment_count IS NOT NEW.comment_count
        OR OLD.doc_count_not_download IS NOT NEW.doc_count_not_download OR OLD.doc_count IS NOT NEW.doc_count
        OR OLD.referenced_at IS NOT NEW.referenced_at OR OLD.entry_id IS NOT NEW.entry_id)
      BEGIN
        UPDATE arrived_applications SET change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM arrived_applications)
          WHERE arrive_id = NEW.arrive_id;
      END;

      CREATE TRIGGER arrived_applications_status_observed AFTER UPDATE OF status ON arrived_applications
      WHEN OLD.status IS NOT NEW.status
      BEGIN
        INSERT INTO case_observations (arrive_id, at, from_status, to_status, status_date)
          VALUES (NEW.arrive_id, NEW.updated_at, OLD.status, NEW.status, NEW.status_date);
      END;
    `,
  },
  {
    version: 7,
    name: '電子納付: the 納付 of each case as the last 電子納付情報一覧 gave them, the read itself, the bank list of the day',
    // Like the notices, no foreign key to the case: `todoke payments` may read any 到達番号, and no
    // change to the cases may take a 納付 with it. Text as sent (dates JST YYYYMMDD, amounts digits,
    // PayStatus never mapped). payment_reads keeps the case's PayStatus / PayWaitCount as 送信案件一覧
    // showed them when the read was made: the background reads a case again when they differ.
    sql: `
      CREATE TABLE payments (
        arrive_id TEXT NOT NULL,
        -- as sent: may be malformed or empty (flagged in problems), and may repeat within one list
        pay_number TEXT NOT NULL,
        -- which of the entries with this 納付番号 in e-Gov's order (0 unless e-Gov listed one number twice)
        occurrence INTEGER NOT NULL CHECK (occurrence >= 0),
        -- e-Gov's order within the last read (0-based); a 納付 missing from the last read keeps its last position
        position INTEGER NOT NULL CHECK (position >= 0),
        confirm_number TEXT NOT NULL,
        facility_number TEXT NOT NULL,
        pay_name_kana TEXT NOT NULL,
        deadline TEXT NOT NULL,
        total_fee TEXT NOT NULL,
        status TEXT NOT NULL,
        pay_date TEXT NOT NULL,
        memo TEXT NOT NULL,
        pay_flag TEXT NOT NULL,
        -- JSON array of Japanese texts (what looks wrong in the entry as it came)
        problems TEXT NOT NULL,
        -- 1 while the last read listed it; 0 once a read no longer does (kept, see src/main/payments/read-payments.ts)
        listed INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1)),
        -- epoch ms
        first_seen_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (arrive_id, pay_number, occurrence)
      ) STRICT;

      -- the due list: unpaid, nearest deadline first
      CREATE INDEX payments_by_status ON payments(status, deadline);

      CREATE TABLE payment_reads (
        arrive_id TEXT PRIMARY KEY,
        procedure_name TEXT NOT NULL,
        -- epoch ms
        fetched_at INTEGER NOT NULL,
        -- the case's PayStatus / PayWaitCount in 送信案件一覧 when the read was made (NULL: the case was not tracked)
        case_pay_status TEXT,
        case_pay_wait_count INTEGER
      ) STRICT;

      -- 電子納付対応金融機関一覧, one row: kept for the day
      CREATE TABLE bank_lists (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        list TEXT NOT NULL,
        fetched_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 8,
    name: 'the background case sync as the person set it',
    sql: `
      -- one row, written by 設定 (sync.configure) and by 一時停止 / 再開; none until the person chose
      CREATE TABLE sync_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        -- minutes between background cycles; NULL: the app's default (the person only paused)
        interval_minutes INTEGER CHECK (interval_minutes IS NULL OR interval_minutes BETWEEN 5 AND 1440),
        paused INTEGER NOT NULL CHECK (paused IN (0, 1)),
        -- epoch ms
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

// Unit: the sandbox database written by the version before 状況照会 (schema 2, with a user, a send
// and its arrived applications) opened by this version: every case keeps its values, gains its
// owner and kind, and its arrival as the first ApplyHistory event; nothing is lost.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openSandboxDatabase } from '../../src/sandbox/state/db.js';
import { MIGRATIONS } from '../../src/sandbox/state/migrations.js';
import { scratchHome } from '../support/home.js';

void describe('sandbox migration 3 on a schema-2 database with data', () => {
  void test('cases keep their values and gain owner, kind and their arrival event', () => {
    const dir = scratchHome('todoke-sandbox-mig-');
    const old = openSandboxDatabase(dir, MIGRATIONS.filter((m) => m.version <= 2));
    old.prepare('INSERT INTO users (user_id, registered_at) VALUES (?, ?)').run('todoke0001', 1);
    old
      .prepare(
        `INSERT INTO sends (send_number, user_id, software_id, sent_at, send_date, file_name, all_count, normal_count, work_status)
         VALUES ('202611301000000001', 'todoke0001', 'sw', 1000, '20261130100000', 'apply.zip', 2, 2, '')`,
      )
      .run();
    const app = old.prepare(
      `INSERT INTO applications (arrive_id, send_number, folder_name, procedure_id, procedure_name, ministry_name, applicant_name,
         corporation_name, department_name, status, status_at, status_date, comment_count)
       VALUES (?, '202611301000000001', ?, '900A010200001000', '手続', 'デグレ省', 'ほげほげ', '', '', ?, 2000, '20261130100005', ?)`,
    );
    app.run('9002026000000001', '900A010200001000(1)', '到達', 0);
    app.run('9002026000000002', '900A010200001000(2)', '審査中', 3);
    old.close();

    const db = openSandboxDatabase(dir);
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.at(-1)!.version);
    const rows = db.prepare('SELECT arrive_id, user_id, send_number, apply_type, status, comment_count, arrive_date FROM applications ORDER BY arrive_id').all();
    assert.deepEqual(rows, [
      { arrive_id: '9002026000000001', user_id: 'todoke0001', send_number: '202611301000000001', apply_type: '新規申請', status: '到達', comment_count: 0, arrive_date: '20261130100005' },
      { arrive_id: '9002026000000002', user_id: 'todoke0001', send_number: '202611301000000001', apply_type: '新規申請', status: '審査中', comment_count: 3, arrive_date: '20261130100005' },
    ]);
    const history = db.prepare('SELECT arrive_id, sub_id, operator_type, process_type, apply_status FROM apply_history ORDER BY arrive_id').all();
    assert.deepEqual(history, [
      { arrive_id: '9002026000000001', sub_id: 1, operator_type: '送信', process_type: '新規申請', apply_status: '到達' },
      { arrive_id: '9002026000000002', sub_id: 1, operator_type: '送信', process_type: '新規申請', apply_status: '到達' },
    ]);
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    db.close();
  });
});

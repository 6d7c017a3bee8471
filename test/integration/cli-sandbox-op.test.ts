// Integration (Node): `todoke sandbox op …` against a running sandbox's admin port, in-process:
// actions and their output, --json, and the errors a person meets — no sandbox on the port,
// something else on it, an unknown 到達番号 or action, bad flags, a bad scenario file — with the
// exit codes of the other commands (0 done, 1 refused by the sandbox, 2 usage / not reachable).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runSandbox } from '../../src/sandbox/run.js';
import { cli } from '../support/cli.js';
import { closedPort, startFaultServer } from '../support/fault-server.js';
import { startTestSandbox, tempDataDir, removeDir, type TestSandbox } from './sandbox-support.js';
import { arriveSample, egovCertificates, userWithKey } from './sandbox-withdrawal-support.js';

void describe('todoke sandbox op', () => {
  let t: TestSandbox;
  let id = '';
  let port = '';
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, adminPort: 0, at: '2015-04-28T10:00:00+09:00' });
    id = await arriveSample(t, await userWithKey(t, 'cliop01'));
    port = String(t.sandbox.adminPort);
  });
  after(() => t.close());

  void it('start-exam and set-status with a new text: exit 0, the case and its history shown; --json gives the case', async () => {
    const r = await cli(['sandbox', 'op', 'start-exam', '--arrive-id', id, '--admin-port', port]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`到達番号 ${id}（新規申請）: 審査中`));
    assert.match(r.stdout, /2\. 20150428100000 受信 審査開始通知 → 審査中/);
    const j = await cli(['sandbox', 'op', 'set-status', '--status', '府省で確認中', '--arrive-id', id, '--admin-port', port, '--json']);
    assert.equal(j.code, 0, j.stderr);
    const c = JSON.parse(j.stdout) as { status: string; history: unknown[] };
    assert.equal(c.status, '府省で確認中');
    assert.equal(c.history.length, 3);
    const show = await cli(['sandbox', 'op', 'show', '--arrive-id', id, '--admin-port', port]);
    assert.equal(show.code, 0);
    assert.match(show.stdout, /府省で確認中/);
    assert.doesNotMatch(show.stdout, /納付:|通知:/, 'nothing to list yet');
  });

  void it('show lists the 納付 and the notices of the case', async () => {
    const id = await arriveSample(t, await userWithKey(t, 'cliop02'));
    const fee = await cli(['sandbox', 'op', 'add-payment', '--amount', '4500', '--deadline', '20150531', '--arrive-id', id, '--admin-port', port, '--json']);
    assert.equal(fee.code, 0, fee.stderr);
    const { payNumber } = JSON.parse(fee.stdout) as { payNumber: string };
    const comment = await cli(['sandbox', 'op', 'issue-comment', '--title', '確認', '--arrive-id', id, '--admin-port', port]);
    assert.equal(comment.code, 0, comment.stderr);
    const show = await cli(['sandbox', 'op', 'show', '--arrive-id', id, '--admin-port', port]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`納付:\\n  納付番号 ${payNumber}  確認番号 \\d{6}  収納機関番号 \\d{5}  4500 円  期限 20150531  未納`));
    assert.match(show.stdout, /通知:\n {2}コメント 1 {2}\d{14} {2}確認/);
  });

  void it('refusals by the sandbox exit 1 with its Japanese message', async () => {
    const r = await cli(['sandbox', 'op', 'finish', '--arrive-id', '9002015999999999', '--admin-port', port]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^エラー \[SANDBOX_OP_REFUSED\]: 到達番号 9002015999999999 の案件はサンドボックスにありません。/);
    const w = await cli(['sandbox', 'op', 'accept-withdrawal', '--arrive-id', id, '--admin-port', port, '--json']);
    assert.equal(w.code, 1);
    assert.equal((JSON.parse(w.stdout) as { error: { code: string } }).error.code, 'SANDBOX_OP_REFUSED');
  });

  void it('bad command lines exit 2 before anything is sent', async () => {
    const bad: Array<[string[], RegExp]> = [
      [['sandbox', 'op'], /操作を指定してください/],
      [['sandbox', 'op', 'approve', '--arrive-id', id, '--admin-port', port], /不明な操作「approve」/],
      [['sandbox', 'op', 'finish', '--arrive-id', id], /--admin-port で/],
      [['sandbox', 'op', 'finish', '--arrive-id', id, '--admin-port', 'abc'], /1〜65535/],
      [['sandbox', 'op', 'finish', '--arrive-id', id, '--admin-port', '70000'], /1〜65535/],
      [['sandbox', 'op', 'finish', '--arrive-id', '../../x', '--admin-port', port], /到達番号「\.\.\/\.\.\/x」が正しくありません/],
      [['sandbox', 'op', 'finish', '--admin-port', port], /--arrive-id で/],
      [['sandbox', 'op', 'set-status', '--arrive-id', id, '--admin-port', port], /--status で/],
      [['sandbox', 'op', 'finish', '--status', 'x', '--arrive-id', id, '--admin-port', port], /set-status にだけ/],
      [['sandbox', 'op', 'finish', '--arrive-id', id, '--admin-port', port, '--bogus'], /不明なオプション/],
      [['sandbox', 'op', 'finish', 'extra', '--arrive-id', id, '--admin-port', port], /余分な引数/],
    ];
    for (const [argv, message] of bad) {
      const r = await cli(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, message, argv.join(' '));
    }
    assert.equal(t.sandbox.caseOf(id)!.history.length, 3);
  });

  void it('no sandbox on the port, or another server there: exit 2 with what to check', async () => {
    const r = await cli(['sandbox', 'op', 'finish', '--arrive-id', id, '--admin-port', String(await closedPort())]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /SANDBOX_OP_UNREACHABLE.*接続できません。todoke sandbox --admin-port/);
    const other = await startFaultServer({ handler: () => ({ kind: 'respond', status: 200, body: '{"hello":1}' }) });
    try {
      const o = await cli(['sandbox', 'op', 'finish', '--arrive-id', id, '--admin-port', String(other.port)]);
      assert.equal(o.code, 2, o.stderr);
      assert.match(o.stderr, /SANDBOX_OP_NOT_SANDBOX/);
    } finally {
      await other.close();
    }
  });

  void it('op scenario: a good file runs; a bad one is refused by the sandbox (1); a huge or missing one never leaves (2)', async () => {
    const dir = tempDataDir();
    try {
      const good = join(dir, 'good.json');
      writeFileSync(good, JSON.stringify({ version: 1, steps: [{ action: 'finish', arriveId: id }] }));
      const r = await cli(['sandbox', 'op', 'scenario', '--file', good, '--admin-port', port]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /1 手順、1 件の操作、失敗 0 件/);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{"version":1,"steps":[{"action":"nope","arriveId":"1"}]}');
      const b = await cli(['sandbox', 'op', 'scenario', '--file', bad, '--admin-port', port]);
      assert.equal(b.code, 1);
      assert.match(b.stderr, /steps\[0\]/);
      const huge = join(dir, 'huge.json');
      writeFileSync(huge, Buffer.alloc(1024 * 1024 + 1, 0x20));
      assert.equal((await cli(['sandbox', 'op', 'scenario', '--file', huge, '--admin-port', port])).code, 2);
      assert.equal((await cli(['sandbox', 'op', 'scenario', '--file', join(dir, 'none.json'), '--admin-port', port])).code, 2);
    } finally {
      removeDir(dir);
    }
  });
});

void describe('todoke sandbox --admin-port / --scenario', () => {
  void it('a bad scenario file stops the start with exit 2 and a clear message; a good one runs after the start', async () => {
    const dir = tempDataDir();
    try {
      const out: string[] = [];
      const err: string[] = [];
      const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), env: {}, cwd: dir };
      writeFileSync(join(dir, 'bad.json'), '{"version":1,"steps":[{"action":"finish","arriveId":"9002015000000001","x":1}]}');
      assert.equal(await runSandbox(['--data', join(dir, 'data'), '--port', '0', '--scenario', 'bad.json'], io), 2);
      assert.match(err.join(''), /エラー \[SCENARIO_INVALID\]: steps\[0\] に不明な項目「x」/);
      writeFileSync(join(dir, 'bytes.json'), Buffer.from([0xff, 0xfe, 0x00]));
      assert.equal(await runSandbox(['--data', join(dir, 'data'), '--port', '0', '--scenario', 'bytes.json'], io), 2);
      assert.match(err.join(''), /UTF-8 のテキストではありません/);

      writeFileSync(join(dir, 'good.json'), JSON.stringify({ version: 1, steps: [{ action: 'finish', select: { limit: 10 } }] }));
      const stop = new AbortController();
      const running = runSandbox(['--data', join(dir, 'data'), '--port', '0', '--admin-port', '0', '--scenario', 'good.json'], io, { signal: stop.signal });
      for (let i = 0; i < 500 && !out.join('').includes('シナリオを実行しました'); i++) await new Promise((r) => setTimeout(r, 10));
      stop.abort();
      assert.equal(await running, 0);
      assert.match(out.join(''), /管理ポート（府省側の操作）: http:\/\/127\.0\.0\.1:\d+/);
      assert.match(out.join(''), /シナリオを実行しました: 1 手順、0 件の操作、失敗 0 件/);
    } finally {
      removeDir(dir);
    }
  });
});

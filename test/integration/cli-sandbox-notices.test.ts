// Integration (Node): `todoke sandbox op issue-correction | issue-comment | issue-document` against a
// running sandbox's admin port, in-process: the notices issued and shown, --json, the admin port's
// own checks of the JSON body, and bad command lines (malformed deadline, unknown or misplaced flag,
// missing --arrive-id) refused with exit 2 before anything is sent.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { cli } from '../support/cli.js';
import { startTestSandbox, type TestSandbox } from './sandbox-support.js';
import { arriveSample, caseSnapshot, egovCertificates, userWithKey } from './sandbox-withdrawal-support.js';

function adminPost(port: number, path: string, body: string): Promise<{ status: number; json: { error?: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers: { 'Content-Type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as never }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

void describe('todoke sandbox op: notices', () => {
  let t: TestSandbox;
  let id = '';
  let port = '';
  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, adminPort: 0, at: '2015-04-28T10:00:00+09:00' });
    id = await arriveSample(t, await userWithKey(t, 'clinotice01'));
    port = String(t.sandbox.adminPort);
  });
  after(() => t.close());

  void it('issue-correction with title, text and deadline: exit 0, the notice described; the case 審査中（補正待ち）', async () => {
    const r = await cli(['sandbox', 'op', 'issue-correction', '--arrive-id', id, '--admin-port', port, '--title', '記載誤りの補正', '--text', '一行目\n二行目', '--deadline', '20150515']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `到達番号 ${id} に補正通知 1「記載誤りの補正」を発行しました（hoseitsuuchi.xml, 999000000000000010.xsl）。状況: 審査中（補正待ち）\n`);
    assert.equal(t.sandbox.caseOf(id)!.status, '審査中（補正待ち）');
  });

  void it('issue-comment and issue-document --pdf --json: the notices as JSON, numbered per kind from 1', async () => {
    const c = await cli(['sandbox', 'op', 'issue-comment', '--arrive-id', id, '--admin-port', port, '--json']);
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(JSON.parse(c.stdout), { arriveId: id, kind: 'comment', noticeSubId: 1, docTitle: 'コメント（メッセージ）', files: ['commenttsuuchi.xml', '999000000000000002.xsl'], status: '審査中（補正待ち）' });
    const d = await cli(['sandbox', 'op', 'issue-document', '--arrive-id', id, '--admin-port', port, '--pdf', '--title', '許可書', '--json']);
    assert.equal(d.code, 0, d.stderr);
    const doc = JSON.parse(d.stdout) as { noticeSubId: number; files: string[]; docTitle: string };
    assert.deepEqual([doc.noticeSubId, doc.docTitle, doc.files], [1, '許可書', ['0000-SBX-001.xml', '0000-SBX-001.pdf', 'スタイルシート1.xsl']]);
    const tampered = await cli(['sandbox', 'op', 'issue-document', '--arrive-id', id, '--admin-port', port, '--tamper', '--unknown-ca', '--json']);
    assert.equal(tampered.code, 0, tampered.stderr);
    assert.equal((JSON.parse(tampered.stdout) as { noticeSubId: number }).noticeSubId, 2);
  });

  void it('the sandbox refuses an unknown case (exit 1) and a correction on a finished case (exit 1)', async () => {
    const r = await cli(['sandbox', 'op', 'issue-comment', '--arrive-id', '9002015999999999', '--admin-port', port]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /到達番号 9002015999999999 の案件はサンドボックスにありません/);
    t.sandbox.operate({ action: 'finish', arriveId: id });
    const f = await cli(['sandbox', 'op', 'issue-correction', '--arrive-id', id, '--admin-port', port]);
    assert.equal(f.code, 1);
    assert.match(f.stderr, /補正通知を出せません/);
  });

  void it('bad command lines exit 2 before anything is sent', async () => {
    const before = caseSnapshot(t.dataDir);
    const bad: Array<[string[], RegExp]> = [
      [['sandbox', 'op', 'issue-correction', '--arrive-id', id, '--admin-port', port, '--deadline', '20150231'], /実在する日付を YYYYMMDD/],
      [['sandbox', 'op', 'issue-correction', '--arrive-id', id, '--admin-port', port, '--deadline', '2015-05-15'], /実在する日付を YYYYMMDD/],
      [['sandbox', 'op', 'issue-correction', '--arrive-id', id, '--admin-port', port, '--deadline', '9'.repeat(5000)], /補正期限「9{20}」/],
      [['sandbox', 'op', 'issue-comment', '--arrive-id', id, '--admin-port', port, '--deadline', '20150515'], /--deadline は issue-comment には指定できません/],
      [['sandbox', 'op', 'issue-correction', '--arrive-id', id, '--admin-port', port, '--pdf'], /--pdf は issue-correction には指定できません/],
      [['sandbox', 'op', 'start-exam', '--arrive-id', id, '--admin-port', port, '--title', 'x'], /--title は start-exam には指定できません/],
      [['sandbox', 'op', 'issue-document', '--arrive-id', id, '--admin-port', port, '--expired-signer', '--unknown-ca'], /同時に指定できません/],
      [['sandbox', 'op', 'issue-document', '--admin-port', port], /--arrive-id で/],
      [['sandbox', 'op', 'issue-document', '--arrive-id', id, '--admin-port', port, '--sign-with', 'x'], /--sign-with|不明|unknown/i],
    ];
    for (const [args, message] of bad) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
    assert.equal(caseSnapshot(t.dataDir), before);
  });

  void it('the admin port checks the body itself: unknown keys, wrong types, control characters, huge text', async () => {
    const p = Number(port);
    const path = `/admin/v1/cases/${id}/issue-document`;
    const cases: Array<[string, RegExp]> = [
      ['{"deadline":"20150515"}', /issue-document に指定できない項目があります: deadline/],
      ['{"pdf":"yes"}', /pdf は true か false/],
      ['{"title":"改行\\nあり"}', /表題（title）/],
      ['{"text":"NUL\\u0000"}', /本文（text）/],
      [JSON.stringify({ text: 'あ'.repeat(4001) }), /本文（text）は 1〜4000 文字/],
      ['{"text":"   "}', /本文（text）/],
      ['{"expiredSigner":true,"unknownCa":true}', /同時に指定できません/],
    ];
    for (const [body, message] of cases) {
      const r = await adminPost(p, path, body);
      assert.equal(r.status, 400, body.slice(0, 60));
      assert.match(r.json.error!.message, message, body.slice(0, 60));
    }
    const deadline = await adminPost(p, `/admin/v1/cases/${id}/issue-correction`, '{"deadline":"20151301"}');
    assert.equal(deadline.status, 400);
  });
});

// Integration: `todoke notices`, `todoke doc get|done|verify|show` and `todoke comment get|done` on a
// saved profile against a real in-process sandbox whose operator issues a 公文書 (with a PDF), a
// tampered 公文書, a コメント and a 補正通知 on a case Todoke filed. Proves the one rule that matters —
// 取得完了 is never sent for something not kept in this PC's vault, and `get` never sends it — by
// counting the sandbox's requests; --out writes the vault's bytes and never overwrites other files
// without --force; verify's exit code says valid only when both verifications do; bad command lines
// exit 2 having sent nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { Vault } from '../../src/main/documents/vault.js';
import { makeBatchFolders } from '../support/application-folders.js';
import { cli } from '../support/cli.js';
import { startFaultServer, type FaultAction, type FaultServer, type RecordedRequest } from '../support/fault-server.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';
import { rawRequest } from './sandbox-support.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const SOFTWARE_ID = 'TODOKESANDBOX1';
const DOC_DONE = 'PUT /shinsei/1/access/officialdocument ';
const COMMENT_DONE = 'PUT /shinsei/1/access/comment ';

let sandbox: SandboxHandle;
let proxy: FaultServer;
/** when set, answers a request instead of the sandbox (null: forwarded) */
let fault: ((req: RecordedRequest) => FaultAction | null) | null = null;
let home: string;
let arriveId = '';
const requests: string[] = [];

const count = (prefix: string) => requests.filter((l) => l.startsWith(prefix)).length;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function todoke(argv: string[]) {
  return cli(argv, { env: { TODOKE_HOME: home, PW: 'todoke' } });
}

async function ok(argv: string[]) {
  const r = await todoke(argv);
  assert.equal(r.code, 0, `todoke ${argv.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r;
}

async function fails(argv: string[], exit: number, code: string, ja?: RegExp) {
  const r = await todoke(argv);
  const what = `todoke ${argv.join(' ')}\n${r.stdout}\n${r.stderr}`;
  assert.equal(r.code, exit, what);
  assert.match(r.stderr, new RegExp(`エラー \\[${code}\\]: `), what);
  if (ja) assert.match(r.stderr, ja, what);
  return r;
}

interface NoticeJson {
  kind: string;
  noticeSubId: number;
  title: string;
  issueDate: string;
  deadline: string;
  egovState: string;
  stage: string;
  verdict: string | null;
  remoteOk: boolean | null;
  fileNames: string[];
}

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-cli-nt-sandbox-'), formatCheckDelayMs: 0, log: (line) => requests.push(line) });
  // the profile talks to the sandbox through a proxy that can break one answer
  proxy = await startFaultServer();
  proxy.handle(async (req) => {
    const broken = fault?.(req);
    if (broken) return broken;
    const headers: Record<string, string> = {};
    for (const name of ['x-egovapi-softwareid', 'x-egovapi-accesskey', 'content-type']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const res = await rawRequest(sandbox.url, req.url, { method: req.method, headers, ...(req.body.length ? { body: req.body } : {}) });
    return { kind: 'respond', status: res.status, body: res.body };
  });
  home = scratchHome('todoke-cli-nt-');
  // the profile's endpoint is not the built-in sandbox: its 官職 test CA is trusted as a filer trusts GPKI's, from <home>/official-ca
  mkdirSync(join(home, 'official-ca'));
  copyFileSync(join(pki, 'kanshoku-ca.cert.pem'), join(home, 'official-ca', 'kanshoku-ca.cert.pem'));
  await ok(['register', '--user-id', `cli-nt-${process.pid}`, '--endpoint', proxy.baseUrl, '--software-id', SOFTWARE_ID, '--p12', join(pki, 'yamada-taro.p12'), '--password-env', 'PW']);
  const applied = JSON.parse((await ok(['apply', ...makeBatchFolders(join(home, 'data')), '--wait', '--password-env', 'PW', '--json'])).stdout) as { applications: { arriveId: string }[] };
  arriveId = applied.applications[0]!.arriveId;
  await sandbox.issueNotice({ action: 'issue-document', arriveId, title: '雇用保険被保険者資格取得確認通知書', text: '資格の取得を確認しました。', pdf: true });
  await sandbox.issueNotice({ action: 'issue-document', arriveId, title: '改ざんされた公文書', tamper: true });
  await sandbox.issueNotice({ action: 'issue-document', arriveId, title: '届くまでに壊れる公文書' });
  await sandbox.issueNotice({ action: 'issue-comment', arriveId, text: '添付書類を確認しています。' });
  await sandbox.issueNotice({ action: 'issue-correction', arriveId, text: '氏名のフリガナを修正してください。', deadline: '20991231' });
});

after(async () => {
  await proxy?.close();
  await sandbox?.close();
});

void describe('todoke notices, doc, comment', () => {
  it('bad command lines exit 2 and send nothing', async () => {
    const sent = requests.length;
    const bad: Array<[string[], RegExp]> = [
      [['doc', 'get', arriveId, 'abc'], /通知番号ではありません/],
      [['doc', 'get', arriveId, '0'], /通知番号ではありません/],
      [['doc', 'get', arriveId, '-1'], /通知番号ではありません|不明なオプション/],
      [['doc', 'get', arriveId, '01'], /通知番号ではありません/],
      [['doc', 'get', arriveId, '+1'], /通知番号ではありません/],
      [['doc', 'get', arriveId, ' 1'], /通知番号ではありません/],
      [['doc', 'get', arriveId, '10000'], /通知番号ではありません/],
      [['doc', 'get', arriveId, '9'.repeat(5000)], /通知番号ではありません/],
      [['doc', 'done', arriveId], /到達番号と通知番号を 1 つずつ/],
      [['doc', 'verify', arriveId, '1', '2'], /余分な引数があります: 2/],
      [['doc', 'show', arriveId, '1', '--pdf'], /不明なオプション --pdf/],
      [['doc', 'get', '../../etc', '1'], /到達番号ではありません/],
      [['doc', 'get', arriveId, '1', '--force'], /--force は --out と一緒に/],
      [['doc', 'get', arriveId, '1', '--out', ''], /--out には書き出すフォルダー/],
      [['doc', 'show', arriveId, '1', '--force'], /--force は --html と一緒に/],
      [['doc', 'fetch', arriveId, '1'], /get \/ done \/ verify \/ show/],
      [['doc'], /get \/ done \/ verify \/ show/],
      [['comment', 'verify', arriveId, '1'], /get か done/],
      [['comment', 'get', arriveId, '1\n'], /通知番号ではありません/],
      [['notices'], /到達番号を 1 つ指定/],
      [['notices', arriveId, '1'], /到達番号を 1 つ指定/],
      [['notices', '12345'], /到達番号ではありません/],
    ];
    for (const [argv, message] of bad) await fails(argv, 2, 'CLI_USAGE', message);
    await fails(['notices', arriveId, '--profile', 'nobody'], 2, 'IDENTITY_NOT_SET_UP', /プロファイル「nobody」はまだ設定されていません/);
    await fails(['doc', 'done', arriveId, '1', '--profile', 'nobody'], 2, 'IDENTITY_NOT_SET_UP');
    const j = await todoke(['doc', 'get', arriveId, '01', '--json']);
    assert.equal(j.code, 2);
    assert.equal((JSON.parse(j.stdout) as { error: { code: string } }).error.code, 'CLI_USAGE');
    assert.equal(requests.length, sent, 'nothing reached the sandbox');
  });

  it('doc done before doc get is refused (exit 1) and sends nothing', async () => {
    const sent = requests.length;
    await fails(['doc', 'done', arriveId, '1'], 1, 'NOTICE_NOT_KEPT', new RegExp(`保管庫にないため、取得完了を送りません。先に todoke doc get ${arriveId} 1 で取得してください`));
    await fails(['comment', 'done', arriveId, '1'], 1, 'NOTICE_NOT_KEPT', /todoke comment get/);
    assert.equal(requests.length, sent);
  });

  it('notices lists all three kinds; keeps the 補正通知 that came inline; downloads and completes nothing', async () => {
    const r = await ok(['notices', arriveId]);
    assert.match(r.stdout, new RegExp(`通知: 到達番号 ${arriveId}.*全 5 件（新しく 5 件）`));
    assert.match(r.stdout, /補正通知 1 +「任意部分補正」 .*期限 2099-12-31 .*Todoke: 保管済み・取得完了/);
    assert.match(r.stdout, /公文書 1 +「雇用保険被保険者資格取得確認通知書」 .*e-Gov: 未取得 .*Todoke: 一覧のみ（未取得） .*署名 未検証/);
    assert.match(r.stdout, /公文書 2 +「改ざんされた公文書」/);
    assert.match(r.stdout, /コメント 1 +「コメント（メッセージ）」 .*e-Gov: 未読 .*Todoke: 一覧のみ（未取得）/);
    assert.match(r.stdout, /取得完了は done で別に送ります/);
    assert.equal(count('GET /shinsei/1/access/officialdocument/'), 0);
    assert.equal(count('GET /shinsei/1/access/comment/'), 0);
    assert.equal(count(DOC_DONE) + count(COMMENT_DONE), 0);
    const j = JSON.parse((await ok(['notices', arriveId, '--json'])).stdout) as { arriveId: string; newlyListed: number; notices: NoticeJson[] };
    assert.equal(j.newlyListed, 0);
    assert.deepEqual(
      j.notices.map((n) => [n.kind, n.noticeSubId, n.stage, n.verdict]),
      [
        ['amend', 1, 'done', null],
        ['document', 1, 'listed', null],
        ['document', 2, 'listed', null],
        ['document', 3, 'listed', null],
        ['comment', 1, 'listed', null],
      ],
    );
    assert.equal(j.notices[0]!.deadline, '20991231');
    assert.deepEqual(j.notices[1]!.fileNames.length, 3);
    assert.match(j.notices[1]!.issueDate, /^\d{14}$/);
  });

  it('doc get keeps it, verifies it, writes --out byte-equal to the vault, and does not send 取得完了', async () => {
    const out = join(home, 'out', 'doc1');
    const r = await ok(['doc', 'get', arriveId, '1', '--out', out]);
    assert.match(r.stdout, /公文書 1「雇用保険被保険者資格取得確認通知書」.*を取得して保管しました。/);
    assert.match(r.stdout, /判定: 有効/);
    assert.match(r.stdout, new RegExp(`取得完了はまだ送っていません。内容を確かめたら todoke doc done ${arriveId} 1 で送ってください。`));
    assert.equal(count(DOC_DONE), 0);
    assert.equal(count('GET /shinsei/1/access/officialdocument/'), 1);
    const vault = new Vault(join(home, 'profiles', 'default', 'vault'));
    const j = JSON.parse((await ok(['doc', 'get', arriveId, '1', '--out', out, '--json'])).stdout) as {
      downloaded: boolean;
      completed: boolean;
      files: { name: string; sha256: string; media: string }[];
      verification: { verdict: string };
      out: { dir: string; files: { name: string; path: string; state: string }[] };
    };
    assert.equal(j.downloaded, false, 'kept already: not downloaded again');
    assert.equal(count('GET /shinsei/1/access/officialdocument/'), 1);
    assert.equal(j.completed, false);
    assert.equal(j.verification.verdict, 'valid');
    assert.deepEqual(j.files.map((f) => f.media).sort(), ['pdf', 'xml', 'xsl']);
    assert.deepEqual(j.out.files.map((f) => f.state), ['unchanged', 'unchanged', 'unchanged']);
    assert.deepEqual(readdirSync(out).sort(), j.files.map((f) => f.name).sort());
    for (const f of j.files) {
      const written = readFileSync(join(out, f.name));
      assert.equal(sha256(written), f.sha256);
      assert.ok(written.equals(await vault.readFile(f.sha256)), f.name);
    }
    assert.equal(count(DOC_DONE), 0);
  });

  it('--out onto a different file fails without --force and leaves everything; --force replaces; a file as --out fails', async () => {
    const out = join(home, 'out', 'doc1');
    const xml = readdirSync(out).find((n) => n.endsWith('.xml'))!;
    const pdf = readdirSync(out).find((n) => n.endsWith('.pdf'))!;
    const original = readFileSync(join(out, xml));
    writeFileSync(join(out, xml), 'someone else');
    writeFileSync(join(out, pdf), readFileSync(join(out, pdf)));
    await fails(['doc', 'get', arriveId, '1', '--out', out], 1, 'NOTICE_OUT_EXISTS', /内容の違うファイルがすでにあるため、何も書き込みませんでした.*--force/);
    assert.equal(readFileSync(join(out, xml), 'utf8'), 'someone else');
    const forced = await ok(['doc', 'get', arriveId, '1', '--out', out, '--force']);
    assert.match(forced.stdout, new RegExp(`${xml.replace('.', '\\.')}（置き換えました）`));
    assert.ok(readFileSync(join(out, xml)).equals(original));
    const file = join(home, 'out', 'a-file');
    writeFileSync(file, 'x');
    await fails(['doc', 'get', arriveId, '1', '--out', file], 2, 'NOTICE_OUT_NOT_A_FOLDER', /フォルダーではありません/);
    await fails(['doc', 'get', arriveId, '1', '--out', join(file, 'below')], 2, 'NOTICE_OUT_NOT_A_FOLDER');
    mkdirSync(join(home, 'out', 'dirs', xml), { recursive: true });
    await fails(['doc', 'get', arriveId, '1', '--out', join(home, 'out', 'dirs'), '--force'], 1, 'NOTICE_OUT_EXISTS', /ファイルではないもの/);
    assert.equal(count(DOC_DONE), 0);
  });

  it('doc done after get sends 取得完了 once; a second time sends nothing', async () => {
    const r = await ok(['doc', 'done', arriveId, '1']);
    assert.match(r.stdout, /公文書 1「雇用保険被保険者資格取得確認通知書」.*の取得完了を送りました（e-Gov の記録 \d{4}-/);
    assert.equal(count(DOC_DONE), 1);
    const again = JSON.parse((await ok(['doc', 'done', arriveId, '1', '--json'])).stdout) as { sent: boolean; notice: NoticeJson; receipt: { noticeSubId: number } };
    assert.deepEqual([again.sent, again.notice.stage, again.receipt.noticeSubId], [false, 'done', 1]);
    assert.equal(count(DOC_DONE), 1);
    const listed = JSON.parse((await ok(['notices', arriveId, '--json'])).stdout) as { notices: NoticeJson[] };
    assert.equal(listed.notices.find((n) => n.kind === 'document' && n.noticeSubId === 1)!.egovState, '取得済');
  });

  it('doc verify: exit 0 for the good one with both checks shown; exit 1 for the tampered one, saying why', async () => {
    const good = await ok(['doc', 'verify', arriveId, '1']);
    assert.match(good.stdout, /Todoke による検証:\n {2}判定: 有効/);
    assert.match(good.stdout, /✓ 署名値/);
    assert.match(good.stdout, /e-Gov の公文書署名検証:\n {2}判定: 正常/);
    assert.match(good.stdout, /署名検証結果: 正常です。/);
    assert.match(good.stdout, /結果: 有効/);
    await ok(['doc', 'get', arriveId, '2']);
    const bad = await todoke(['doc', 'verify', arriveId, '2']);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /判定: 無効/);
    assert.match(bad.stdout, /✗ 参照/);
    assert.match(bad.stdout, /結果: 有効と確認できませんでした（Todoke: 無効/);
    const j = await todoke(['doc', 'verify', arriveId, '2', '--json']);
    assert.equal(j.code, 1);
    const v = JSON.parse(j.stdout) as { ok: boolean; local: { verdict: string; checks: { ok: boolean | null }[] }; remote: { ok: boolean } | null };
    assert.equal(v.ok, false);
    assert.equal(v.local.verdict, 'invalid');
    assert.ok(v.local.checks.some((c) => c.ok === false));
    const jg = JSON.parse((await ok(['doc', 'verify', arriveId, '1', '--json'])).stdout) as { ok: boolean; remote: { ok: boolean; result: { errorCount: number } } };
    assert.deepEqual([jg.ok, jg.remote.ok, jg.remote.result.errorCount], [true, true, 0]);
    assert.equal(count(DOC_DONE), 1, 'verify sends no 取得完了');
    await fails(['doc', 'verify', arriveId, '3'], 1, 'NOTICE_NOT_KEPT', /検証できません/);
    await fails(['doc', 'show', arriveId, '4'], 1, 'NOTICE_NOT_KEPT', /表示できません/);
  });

  it('doc show prints the text, files and verdicts; --html writes the sanitised page', async () => {
    const html = join(home, 'out', 'doc1.html');
    const r = await ok(['doc', 'show', arriveId, '1', '--html', html]);
    assert.match(r.stdout, /本文:\n[\s\S]*資格の取得を確認しました。/);
    assert.match(r.stdout, /ファイル:\n(?: {2}.*\n)* {2}0000-SBX-001\.xml {2}\d+ バイト {2}xml {2}sha256:[0-9a-f]{64}\n/);
    assert.match(r.stdout, /表示用の HTML を書き出しました: .*（新しく作りました/);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /資格の取得を確認しました。/);
    assert.doesNotMatch(page, /<script/i);
    writeFileSync(html, 'mine');
    await fails(['doc', 'show', arriveId, '1', '--html', html], 1, 'NOTICE_OUT_EXISTS');
    assert.equal(readFileSync(html, 'utf8'), 'mine');
    const j = JSON.parse((await ok(['doc', 'show', arriveId, '1', '--html', html, '--force', '--json'])).stdout) as {
      text: string;
      verification: { local: { verdict: string }; remote: { ok: boolean } };
      html: { state: string };
    };
    assert.deepEqual([j.verification.local.verdict, j.verification.remote.ok, j.html.state], ['valid', true, 'replaced']);
    assert.match(j.text, /資格の取得を確認しました。/);
  });

  it('comment get prints its text and writes --out; comment done sends コメント通知取得完了 once', async () => {
    const out = join(home, 'out', 'comment1');
    const r = await ok(['comment', 'get', arriveId, '1', '--out', out]);
    assert.match(r.stdout, /コメント 1「コメント（メッセージ）」.*を取得して保管しました。/);
    assert.match(r.stdout, /本文:\n[\s\S]*添付書類を確認しています。/);
    assert.match(r.stdout, /取得完了はまだ送っていません。.*todoke comment done/);
    assert.deepEqual(readdirSync(out).sort(), ['999000000000000002.xsl', 'commenttsuuchi.xml']);
    assert.equal(count(COMMENT_DONE), 0);
    const j = JSON.parse((await ok(['comment', 'done', arriveId, '1', '--json'])).stdout) as { sent: boolean; notice: NoticeJson };
    assert.deepEqual([j.sent, j.notice.stage], [true, 'done']);
    assert.equal(count(COMMENT_DONE), 1);
    const listed = JSON.parse((await ok(['notices', arriveId, '--json'])).stdout) as { notices: NoticeJson[] };
    assert.equal(listed.notices.find((n) => n.kind === 'comment')!.egovState, '既読');
  });

  it('a number e-Gov does not list is refused after one look at the list (exit 1); nothing downloaded or completed', async () => {
    const before = [count('GET /shinsei/1/access/officialdocument/'), count(DOC_DONE)];
    await fails(['doc', 'get', arriveId, '9999'], 1, 'NOTICE_NOT_FOUND', new RegExp(`公文書 9999 は e-Gov の一覧にありません。todoke notices ${arriveId}`));
    await fails(['comment', 'get', arriveId, '2', '--json'], 1, 'NOTICE_NOT_FOUND');
    assert.deepEqual([count('GET /shinsei/1/access/officialdocument/'), count(DOC_DONE)], before);
  });

  it('a 公文書取得 answer cut short, malformed or lost keeps nothing: the failure is recorded, 取得完了 still refused; the next get works', async () => {
    const path = `/shinsei/1/access/officialdocument/${arriveId}/3`;
    const whole = await rawRequest(sandbox.url, path, { headers: { 'x-egovapi-softwareid': SOFTWARE_ID } });
    const breaks: FaultAction[] = [
      { kind: 'reset-mid-response', status: 200, partialBody: whole.body.toString('utf8').slice(0, 200), declaredLength: 100_000 },
      { kind: 'respond', status: 200, body: '<?xml version="1.0"?><DataRoot><ApplData><ArriveID>' },
      { kind: 'respond', status: 200, body: `<?xml version="1.0" encoding="UTF-8"?><DataRoot><!DOCTYPE x [<!ENTITY a "${'a'.repeat(1000)}">]>&a;</DataRoot>` },
      { kind: 'drop' },
    ];
    for (const action of breaks) {
      fault = (req) => (req.method === 'GET' && req.url === path ? action : null);
      const r = await todoke(['doc', 'get', arriveId, '3', '--out', join(home, 'out', 'doc3')]);
      assert.notEqual(r.code, 0, `${action.kind}: ${r.stdout}`);
      assert.match(r.stderr, /エラー \[EGOV_[A-Z_]+\]: /, action.kind);
    }
    fault = null;
    const listed = JSON.parse((await ok(['notices', arriveId, '--json'])).stdout) as { notices: (NoticeJson & { lastError: { code: string } | null })[] };
    const doc3 = listed.notices.find((n) => n.kind === 'document' && n.noticeSubId === 3)!;
    assert.equal(doc3.stage, 'listed');
    assert.match(doc3.lastError!.code, /^EGOV_/);
    const before = count(DOC_DONE);
    await fails(['doc', 'done', arriveId, '3'], 1, 'NOTICE_NOT_KEPT');
    assert.equal(count(DOC_DONE), before);
    const r = await ok(['doc', 'get', arriveId, '3', '--out', join(home, 'out', 'doc3')]);
    assert.match(r.stdout, /を取得して保管しました/);
    assert.equal(readdirSync(join(home, 'out', 'doc3')).length, 2);
  });
});

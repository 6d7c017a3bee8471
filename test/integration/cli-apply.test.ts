// Integration: the filing commands of `todoke` (apply, outbox, sends, arrived) on a saved profile
// against a real sandbox whose 形式チェック runs at once (formatCheckDelayMs 0; the profile points
// at it with --endpoint, as the built-in sandbox has no such setting), with the bundled training
// certificate and two application folders built from the fixture samples, as filing-send does.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { jstDay } from '../../src/main/sync/reconcile.js';
import { openStore } from '../../src/main/store/db.js';
import { Outbox } from '../../src/main/store/outbox.js';
import { cli } from '../support/cli.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';
import { rawRequest } from './sandbox-support.js';
import { makeBatchFolders } from '../support/application-folders.js';

const taroP12 = join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12');
const SOFTWARE_ID = 'TODOKESANDBOX1';
const SEND_NUMBER = /^\d{18}$/;

let sandbox: SandboxHandle;
let home: string;
let folders: string[];


function todoke(argv: string[], options: { home?: string; env?: Record<string, string>; secrets?: (string | null)[] } = {}) {
  return cli(argv, { env: { TODOKE_HOME: options.home ?? home, PW: 'todoke', ...options.env }, ...(options.secrets ? { secrets: options.secrets } : {}) });
}

async function ok(argv: string[]) {
  const r = await todoke(argv);
  assert.equal(r.code, 0, `todoke ${argv.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r;
}

async function okJson<T = Record<string, unknown>>(argv: string[]): Promise<T> {
  return JSON.parse((await ok([...argv, '--json'])).stdout) as T;
}

async function fails(argv: string[], exit: number, code: string, ja?: RegExp, options: { home?: string } = {}) {
  const r = await todoke(argv, options);
  const what = `todoke ${argv.join(' ')}\n${r.stdout}\n${r.stderr}`;
  assert.equal(r.code, exit, what);
  assert.match(r.stderr, new RegExp(`エラー \\[${code}\\]: `), what);
  if (ja) assert.match(r.stderr, ja, what);
  return r;
}

interface AppJson {
  arriveId: string;
  procedureName: string;
  folder: string;
  status: string;
}
interface ApplyJson {
  sendNumber: string;
  sendApplyCount: number;
  resumed: boolean;
  waited: boolean;
  done?: boolean;
  applications?: AppJson[];
  entry: { id: string; state: string; folders: string[] };
}
interface EntryJson {
  id: string;
  state: string;
  sendNumber: string | null;
  folders: string[];
  applications: AppJson[];
}
interface SendJson {
  sendNumber: string;
  workStatus: string;
  done: boolean;
  allCount: number;
  normalCount: number;
  errorCount: number;
  applications: AppJson[];
}

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-cli-apply-sandbox-'), formatCheckDelayMs: 0 });
  home = scratchHome('todoke-cli-apply-');
  folders = makeBatchFolders(join(home, 'data'));
  await ok(['register', '--user-id', `cli-apply-${process.pid}`, '--endpoint', sandbox.apiBaseUrl, '--software-id', SOFTWARE_ID, '--p12', taroP12, '--password-env', 'PW']);
});

let proxy: FaultServer | undefined;

after(async () => {
  await proxy?.close();
  await sandbox?.close();
});

/** A proxy in front of the sandbox that forwards every request; for the 一括申請 it drops the connection once the sandbox has answered. */
async function droppingProxy(): Promise<FaultServer> {
  const server = await startFaultServer();
  server.handle(async (req) => {
    const headers: Record<string, string> = {};
    for (const name of ['x-egovapi-softwareid', 'x-egovapi-accesskey', 'content-type']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const res = await rawRequest(sandbox.url, req.url, { method: req.method, headers, ...(req.body.length ? { body: req.body } : {}) });
    if (req.method === 'POST' && req.url === '/shinsei/1/access/apply') return { kind: 'drop' };
    return { kind: 'respond', status: res.status, body: res.body };
  });
  return server;
}

void describe('todoke apply / outbox / sends / arrived on a saved profile', () => {
  let first = '';
  let second = '';

  it('apply --wait: the 送信番号 at once, then both 到達番号 once the 形式チェック is done; the folders untouched', async () => {
    const before = folders.map((f) => readFileSync(join(f, 'kousei.xml')));
    const r = await ok(['apply', ...folders, '--wait', '--password-env', 'PW']);
    const m = /送信しました。送信番号 (\d{18})（[^、]+、申請 2 件）/.exec(r.stdout);
    assert.ok(m, r.stdout);
    first = m[1]!;
    assert.match(r.stdout, /形式チェックが終わりました。到達した申請 2 件（送信 2 件）/);
    const arriveIds = r.stdout.match(/^\s+\d{16}\s/gm) ?? [];
    assert.equal(arriveIds.length, 2, r.stdout);
    assert.match(r.stdout, /900A010200001000\(1\)/);
    assert.match(r.stdout, /900A010002008000\(1\)/);
    assert.match(r.stdout, /到達/);
    folders.forEach((f, i) => assert.ok(readFileSync(join(f, 'kousei.xml')).equals(before[i]!), 'signed in memory only'));
  });

  it('the same folders again: exit 1 naming the earlier 送信番号, nothing recorded; --json gives the error object', async () => {
    const r = await fails(['apply', ...folders, '--password-env', 'PW'], 1, 'FILING_SAME_DATA_SENT', new RegExp(`送信番号 ${first}.*--resend-of ${first} を付けて実行すると再送信します`));
    assert.equal(r.stdout, '');
    const j = await todoke(['apply', ...folders, '--password-env', 'PW', '--json']);
    assert.equal(j.code, 1);
    const body = JSON.parse(j.stdout) as { error: { code: string; messageJa: string } };
    assert.equal(body.error.code, 'FILING_SAME_DATA_SENT');
    assert.ok(body.error.messageJa.includes(first));
    const list = await okJson<{ entries: EntryJson[] }>(['outbox']);
    assert.equal(list.entries.length, 1, 'nothing recorded');
  });

  it('with --resend-of the earlier 送信番号: accepted (--wait --json parses, both applications)', async () => {
    const r = await okJson<ApplyJson>(['apply', ...folders, '--resend-of', first, '--wait', '--password-env', 'PW']);
    assert.match(r.sendNumber, SEND_NUMBER);
    assert.notEqual(r.sendNumber, first);
    second = r.sendNumber;
    assert.equal(r.sendApplyCount, 2);
    assert.equal(r.resumed, false);
    assert.equal(r.waited, true);
    assert.equal(r.done, true);
    assert.equal(r.entry.state, 'done');
    assert.equal(r.applications?.length, 2);
    for (const a of r.applications ?? []) assert.match(a.arriveId, /^\d{16}$/);
    assert.deepEqual(r.applications?.map((a) => a.folder).sort(), ['900A010002008000(1)', '900A010200001000(1)']);
  });

  it('outbox: both entries, newest first, with their 送信番号 and applications (text and --json)', async () => {
    const j = await okJson<{ reconciled: unknown[]; entries: EntryJson[] }>(['outbox']);
    assert.deepEqual(j.reconciled, []);
    assert.deepEqual(
      j.entries.map((e) => [e.sendNumber, e.state]),
      [
        [second, 'done'],
        [first, 'done'],
      ],
    );
    for (const e of j.entries) assert.equal(e.applications.length, 2);
    const t = await ok(['outbox']);
    assert.match(t.stdout, /送信箱（プロファイル「default」、新しい順、2 件）/);
    assert.ok(t.stdout.indexOf(second) < t.stdout.indexOf(first), t.stdout);
    assert.match(t.stdout, /形式チェック完了/);
  });

  it('sends --id, sends --from --to and arrived print what the sandbox holds', async () => {
    const byId = await okJson<{ sends: SendJson[] }>(['sends', '--id', first]);
    assert.equal(byId.sends.length, 1);
    const s = byId.sends[0]!;
    assert.equal(s.sendNumber, first);
    assert.equal(s.done, true);
    assert.equal(s.workStatus, '');
    assert.equal(s.allCount, 2);
    assert.equal(s.normalCount, 2);
    assert.equal(s.errorCount, 0);
    assert.equal(s.applications.length, 2);

    const text = await ok(['sends', '--id', first]);
    assert.match(text.stdout, new RegExp(`送信番号 ${first} .* 形式チェック 完了`));
    assert.match(text.stdout, /申請 2 件（正常 2 件、エラー 0 件）/);

    const day = jstDay(Date.now());
    const byDay = await okJson<{ sends: SendJson[] }>(['sends', '--from', day, '--to', day]);
    assert.deepEqual(byDay.sends.map((x) => x.sendNumber).sort(), [first, second].sort());

    const arrived = await okJson<{ sendNumber: string; errorCount: number; applications: AppJson[] }>(['arrived', second]);
    assert.equal(arrived.sendNumber, second);
    assert.equal(arrived.errorCount, 0);
    assert.equal(arrived.applications.length, 2);
    const arrivedText = await ok(['arrived', second]);
    assert.match(arrivedText.stdout, new RegExp(`申請案件一覧: 送信番号 ${second}（到達 2 件、エラー 0 件）`));
    for (const a of arrived.applications) assert.ok(arrivedText.stdout.includes(a.arriveId));
  });

  it('apply without --wait: the 送信番号 and where to look; data with errors is refused with the check report (exit 1)', async () => {
    const other = makeBatchFolders(join(home, 'data2'));
    // another applicant's data: its own content hash, so not the same data
    rmSync(other[0]!, { recursive: true });
    const r = await ok(['apply', other[1]!, '--password-env', 'PW']);
    assert.match(r.stdout, /送信番号 \d{18}（[^、]+、申請 1 件）/);
    assert.match(r.stdout, /todoke sends --id \d{18}/);

    const broken = makeBatchFolders(join(home, 'data3'));
    rmSync(join(broken[1]!, '900A01000200800001_01.xml'));
    const bad = await todoke(['apply', ...broken, '--password-env', 'PW']);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stdout, /エラー/);
    assert.match(bad.stderr, /エラー \[FILING_CHECK_FAILED\]/);
    const badJson = await todoke(['apply', ...broken, '--password-env', 'PW', '--json']);
    assert.equal(badJson.code, 1);
    assert.equal((JSON.parse(badJson.stdout) as { ok: boolean }).ok, false);
    assert.equal((await okJson<{ entries: unknown[] }>(['outbox'])).entries.length, 3, 'nothing recorded for the broken data');
  });

  it('bad flags exit 2: a malformed 送信番号, --from after --to, a missing --to, no query, a missing argument', async () => {
    await fails(['sends', '--id', '12345'], 2, 'CLI_USAGE', /送信番号ではありません/);
    await fails(['sends', '--from', '20260110', '--to', '20260101'], 2, 'CLI_USAGE', /--from（20260110）が --to（20260101）より後/);
    await fails(['sends', '--from', '20260101'], 2, 'CLI_USAGE', /--from YYYYMMDD と --to YYYYMMDD の両方/);
    await fails(['sends', '--from', '20260230', '--to', '20260301'], 2, 'CLI_USAGE', /実在する日付/);
    await fails(['sends'], 2, 'CLI_USAGE');
    await fails(['sends', '--id', first, '--from', '20260101', '--to', '20260101'], 2, 'CLI_USAGE');
    await fails(['arrived', 'abc'], 2, 'CLI_USAGE', /送信番号ではありません/);
    await fails(['arrived'], 2, 'CLI_USAGE');
    await fails(['apply', ...folders, '--resend-of', '2026'], 2, 'CLI_USAGE', /--resend-of/);
    await fails(['apply'], 2, 'CLI_USAGE');
    await fails(['outbox', 'extra'], 2, 'CLI_USAGE');
    const j = await todoke(['sends', '--id', 'x', '--json']);
    assert.equal(j.code, 2);
    assert.equal((JSON.parse(j.stdout) as { error: { code: string } }).error.code, 'CLI_USAGE');
  });

  it('a profile that is not set up: exit 2 naming register / login', async () => {
    const empty = scratchHome('todoke-cli-apply-empty-');
    await fails(['outbox'], 2, 'IDENTITY_NOT_SET_UP', /todoke register/, { home: empty });
    await fails(['sends', '--id', first], 2, 'IDENTITY_NOT_SET_UP', undefined, { home: empty });
    await fails(['apply', ...folders], 2, 'IDENTITY_NOT_SET_UP', undefined, { home: empty });
  });

  it('a delivery that is not known: exit 1 saying todoke outbox reconciles it; outbox then records the real 送信番号 without sending again', async () => {
    proxy = await droppingProxy();
    const other = scratchHome('todoke-cli-apply-proxy-');
    const data = makeBatchFolders(join(other, 'data'));
    const run = (argv: string[]) => todoke(argv, { home: other });
    const reg = await run(['register', '--user-id', `cli-apply-proxy-${process.pid}`, '--endpoint', proxy.baseUrl, '--software-id', SOFTWARE_ID, '--p12', taroP12, '--password-env', 'PW']);
    assert.equal(reg.code, 0, reg.stderr);
    const r = await fails(['apply', ...data, '--password-env', 'PW'], 1, 'FILING_DELIVERY_UNKNOWN', /届いたかどうか分かりません.*todoke outbox を実行すると/, { home: other });
    assert.equal(r.stdout, '');
    // the same data is not sent while its fate is unknown
    await fails(['apply', ...data, '--password-env', 'PW'], 1, 'FILING_SAME_DATA_IN_FLIGHT', /todoke outbox/, { home: other });
    const posts = () => proxy!.requests.filter((q) => q.method === 'POST' && q.url === '/shinsei/1/access/apply').length;
    assert.equal(posts(), 1);

    const list = await run(['outbox', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const j = JSON.parse(list.stdout) as { reconciled: { decision: { kind: string; sendNumber?: string } }[]; entries: EntryJson[] };
    assert.equal(j.reconciled.length, 1);
    assert.equal(j.reconciled[0]?.decision.kind, 'matched');
    const matched = j.reconciled[0]?.decision.sendNumber ?? '';
    assert.match(matched, SEND_NUMBER);
    assert.deepEqual(
      j.entries.map((e) => [e.state, e.sendNumber]),
      [['sent', matched]],
    );
    assert.equal(posts(), 1, 'reconciling never sends');
    const text = await run(['outbox']);
    assert.match(text.stdout, new RegExp(`送信番号 ${matched}  送信済み（形式チェック待ち）`));
  });

  it('a send that never left (connection refused): exit 2, kept `ready`; the same apply later sends the recorded request', async () => {
    const relay = await startFaultServer();
    relay.handle(async (req) => {
      const headers: Record<string, string> = {};
      for (const name of ['x-egovapi-softwareid', 'x-egovapi-accesskey', 'content-type']) {
        const v = req.headers[name];
        if (typeof v === 'string') headers[name] = v;
      }
      const res = await rawRequest(sandbox.url, req.url, { method: req.method, headers, ...(req.body.length ? { body: req.body } : {}) });
      return { kind: 'respond', status: res.status, body: res.body };
    });
    const other = scratchHome('todoke-cli-apply-refused-');
    const data = makeBatchFolders(join(other, 'data'));
    const run = (argv: string[]) => todoke(argv, { home: other });
    const reg = await run(['register', '--user-id', `cli-apply-ref-${process.pid}`, '--endpoint', relay.baseUrl, '--software-id', SOFTWARE_ID, '--p12', taroP12, '--password-env', 'PW']);
    assert.equal(reg.code, 0, reg.stderr);
    await relay.close();
    await fails(['apply', ...data, '--password-env', 'PW'], 2, 'FILING_NOT_SENT', /届いていません.*同じコマンドをもう一度/, { home: other });
    const kept = JSON.parse((await run(['outbox', '--json'])).stdout) as { entries: EntryJson[] };
    assert.deepEqual(
      kept.entries.map((e) => [e.state, e.sendNumber]),
      [['ready', null]],
    );
    // the endpoint is reachable again (here: the profile now names the sandbox itself)
    const profilePath = join(other, 'profiles', 'default', 'profile.json');
    const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as { environment: { baseUrl: string } };
    profile.environment.baseUrl = sandbox.apiBaseUrl;
    writeFileSync(profilePath, JSON.stringify(profile));
    const again = await run(['apply', ...data, '--password-env', 'PW', '--json']);
    assert.equal(again.code, 0, again.stderr);
    const sent = JSON.parse(again.stdout) as ApplyJson;
    assert.equal(sent.resumed, true);
    assert.equal(sent.entry.id, kept.entries[0]?.id);
    assert.match(sent.sendNumber, SEND_NUMBER);
    assert.match(again.stderr, /送信箱に残っていた未送信の同じ申請データを送信しました/);
  });
  it('outbox decide: an entry waiting for a decision takes the person\'s choice (--mine 送信番号, or --none), nothing else', async () => {
    const other = scratchHome('todoke-cli-apply-decide-');
    const reg = await todoke(['register', '--user-id', `cli-apply-dec-${process.pid}`, '--endpoint', sandbox.apiBaseUrl, '--software-id', SOFTWARE_ID, '--p12', taroP12, '--password-env', 'PW'], { home: other });
    assert.equal(reg.code, 0, reg.stderr);
    // two entries left `ambiguous` by a reconciliation that found two batches fitting each
    const store = openStore(other, 'default');
    const outbox = new Outbox(store);
    const ambiguous = async (n: number) => {
      const e = await outbox.record({ userId: 'u', kind: 'batch', request: Buffer.from(`request ${n}`), sourcePaths: [], contentSha256: String(n).repeat(64).slice(0, 64), applicationCount: 1, folderNames: ['900A010200001000(1)'], applicantNames: [''] });
      await outbox.beginAttempt(e.id);
      outbox.markDeliveryUnknown(e.id, { code: 'X', message: 'reset' });
      return outbox.applyReconciliation(e.id, { kind: 'ambiguous', candidates: ['202611301000000001', '202611301000000002'] }).id;
    };
    const first = await ambiguous(1);
    const second = await ambiguous(2);
    store.close();
    const run = (argv: string[]) => todoke(argv, { home: other });
    const listed = await run(['outbox']);
    assert.match(listed.stdout, new RegExp(`todoke outbox decide ${first} --mine 送信番号`));

    for (const [argv, pattern] of [
      [['outbox', 'decide'], /送信の ID/],
      [['outbox', 'decide', 'not-an-id', '--none'], /送信の ID/],
      [['outbox', 'decide', first], /判断を一つだけ/],
      [['outbox', 'decide', first, '--none', '--mine', '202611301000000001'], /判断を一つだけ/],
      [['outbox', 'decide', first, '--mine', '12345'], /送信番号ではありません/],
      [['outbox', 'decide', first, '--mine', '202611301000000003'], /候補ではありません/],
      [['outbox', 'decide', '00000000-0000-4000-8000-000000000000', '--none'], /ありません/],
    ] as const) {
      const r = await run([...argv]);
      assert.equal(r.code, 2, `${argv.join(' ')}\n${r.stderr}`);
      assert.match(r.stderr, pattern, argv.join(' '));
    }
    const mine = JSON.parse((await run(['outbox', 'decide', first, '--mine', '202611301000000002', '--json'])).stdout) as EntryJson;
    assert.deepEqual([mine.state, mine.sendNumber], ['sent', '202611301000000002']);
    const none = await run(['outbox', 'decide', second, '--none']);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /どの候補でもないと記録しました/);
    const again = await run(['outbox', 'decide', second, '--none']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /判断待ちではありません/);
  });
});

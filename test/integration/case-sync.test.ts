// Integration: case sync and its commands (todoke sync / status / cases) on a saved profile against
// a real sandbox, through a forwarding proxy that counts requests and injects faults. The operator
// changes cases (start-exam, set-status with a string no one has seen); cases are seeded straight
// into the sandbox's state (test/support/case-seed.ts) and into the profile's store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { openStore } from '../../src/main/store/db.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { cli } from '../support/cli.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';
import { seedAppCases, seedSandboxCases, startSandboxProxy, type SandboxProxy, type SeededSend } from '../support/case-seed.js';
import { join } from 'node:path';

const taroP12 = join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12');
const USER = `case-sync-${process.pid}`;

let dataDir: string;
let sandbox: SandboxHandle;
let proxy: SandboxProxy;
let home: string;
let seeded: SeededSend[];
let ids: string[];

const start = () => startSandbox({ dataDir, formatCheckDelayMs: 0, adminPort: 0 });

function todoke(argv: string[]) {
  return cli(argv, { env: { TODOKE_HOME: home, PW: 'todoke' } });
}

interface SyncJson {
  trackedCases: number;
  requests: { list: number; reference: number };
  changed: string[];
  referenced: string[];
  events: { type: string; arriveId: string; status?: string; referenced?: boolean; newHistory?: { processType: string }[] }[];
  failures: { kind: string; arriveId?: string; error: { code: string } }[];
  failed: boolean;
}

async function sync(expectExit = 0): Promise<SyncJson> {
  const r = await todoke(['sync', '--json', '--password-env', 'PW']);
  assert.equal(r.code, expectExit, `${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout) as SyncJson;
}

/** e-Gov requests the proxy saw from `from` on (logins apart) */
const accessCalls = (from: number) => proxy.requests.slice(from).filter((r) => r.url.includes('/access/')).map((r) => r.url.replace('/shinsei/1/access/', ''));

before(async () => {
  dataDir = scratchHome('todoke-case-sync-sandbox-');
  sandbox = await start();
  proxy = await startSandboxProxy(sandbox.url);
  home = scratchHome('todoke-case-sync-');
  const r = await todoke(['register', '--user-id', USER, '--endpoint', proxy.baseUrl, '--software-id', 'TODOKESANDBOX1', '--p12', taroP12, '--password-env', 'PW']);
  assert.equal(r.code, 0, r.stderr);
  seeded = seedSandboxCases(dataDir, USER, { sends: 3, perSend: 4 });
  seedAppCases(home, 'default', seeded);
  ids = seeded.flatMap((s) => s.applications.map((a) => a.arriveId)).sort();
});

after(async () => {
  await proxy?.close();
  await sandbox?.close();
});

void describe('todoke sync against the sandbox', () => {
  void it('nothing changed: one 送信案件一覧 call for 12 cases, no 状況照会', async () => {
    const from = proxy.requests.length;
    const r = await sync();
    assert.equal(r.trackedCases, 12);
    assert.deepEqual(r.requests, { list: 1, reference: 0 });
    assert.deepEqual([r.changed, r.events, r.failures], [[], [], []]);
    assert.equal(accessCalls(from).length, 1);
    assert.match(accessCalls(from)[0]!, /^apply;date=\d{8}-\d{8}$/);
  });

  void it('start-exam (the operator, over its port): the next cycle asks 状況照会 for that case only and stores its history', async () => {
    const target = ids[4]!;
    const op = await cli(['sandbox', 'op', 'start-exam', '--arrive-id', target, '--admin-port', String(sandbox.adminPort)]);
    assert.equal(op.code, 0, op.stderr);
    const from = proxy.requests.length;
    const r = await sync();
    assert.deepEqual(r.requests, { list: 1, reference: 1 });
    assert.deepEqual(accessCalls(from).slice(1), [`reference/${target}`]);
    assert.deepEqual(r.changed, [target]);
    const changed = r.events.find((e) => e.type === 'case.changed')!;
    assert.equal(changed.arriveId, target);
    assert.equal(changed.status, '審査中');
    assert.deepEqual(changed.newHistory!.map((h) => h.processType), ['新規申請', '審査開始通知']);
    const store = openStore(home, 'default');
    try {
      const c = new CaseStore(store).get(target)!;
      assert.equal(c.status, '審査中');
      assert.equal(c.reference?.examStartDate.length, 14);
      assert.deepEqual(c.observations.map((o) => o.to), ['到達', '審査中']);
    } finally {
      store.close();
    }
    // and the next cycle is quiet again
    assert.deepEqual((await sync()).requests, { list: 1, reference: 0 });
  });

  void it('set-status with a string never seen: stored and printed exactly as it came (sync, cases, status)', async () => {
    const target = ids[0]!;
    const strange = '審査保留（担当官確認中）＜新＞';
    sandbox.operate({ action: 'set-status', arriveId: target, status: strange, processType: '保留通知' });
    const r = await sync();
    assert.equal(r.events.find((e) => e.type === 'case.changed')!.status, strange);
    const text = await todoke(['cases', '--status', strange]);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.stdout.includes(`${target}  ${strange}`), text.stdout);
    const json = JSON.parse((await todoke(['cases', '--json'])).stdout) as { countsByStatus: { status: string; count: number }[]; total: number };
    assert.equal(json.total, 12);
    assert.deepEqual(json.countsByStatus.find((c) => c.status === strange), { status: strange, count: 1 });
    const status = await todoke(['status', target, '--password-env', 'PW']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`状況\\s+${strange.replace(/[（）＜＞]/g, '.')}`));
    assert.match(status.stdout, /保留通知/);
    assert.match(status.stdout, /保存しました/);
  });

  void it('a 500 for one case: the cycle goes on (exit 1, the failure named); the case is asked again next cycle and stored', async () => {
    const [a, b] = [ids[1]!, ids[2]!];
    sandbox.operate({ action: 'start-exam', arriveId: a });
    sandbox.operate({ action: 'start-exam', arriveId: b });
    proxy.hook = async (req, forward) => (req.url.endsWith(`/reference/${a}`) ? { kind: 'respond', status: 500, body: 'Internal Server Error' } : forward());
    try {
      const r = await sync(1);
      assert.deepEqual(r.referenced, [b].filter((x) => r.changed.includes(x)));
      assert.deepEqual(r.failures.map((f) => [f.kind, f.arriveId]), [['reference', a]]);
      assert.equal(r.events.find((e) => e.type === 'case.changed' && e.arriveId === a)!.referenced, false);
    } finally {
      proxy.hook = null;
    }
    const r2 = await sync();
    assert.deepEqual(r2.requests, { list: 1, reference: 1 });
    assert.deepEqual(r2.referenced, [a]);
    const store = openStore(home, 'default');
    try {
      const c = new CaseStore(store).get(a)!;
      assert.equal(c.needsReference, false);
      assert.deepEqual(c.history.map((h) => h.processType), ['新規申請', '審査開始通知']);
    } finally {
      store.close();
    }
  });

  void it('the sandbox restarted mid-sync: the calls it missed fail, nothing is lost, the next cycle completes them', async () => {
    const [a, b] = [ids[5]!, ids[6]!];
    sandbox.operate({ action: 'finish', arriveId: a });
    sandbox.operate({ action: 'finish', arriveId: b });
    let restarted: Promise<void> | null = null;
    proxy.hook = async (req, forward) => {
      if (req.url.includes('/reference/') && !restarted) {
        // down between the list and the 状況照会
        restarted = sandbox.close();
        await restarted;
      }
      return forward();
    };
    try {
      const r = await sync(1);
      assert.deepEqual(r.changed.sort(), [a, b].sort());
      assert.equal(r.failures.length, 2);
      assert.ok(r.failures.every((f) => f.kind === 'reference'));
    } finally {
      proxy.hook = null;
    }
    sandbox = await start();
    proxy.target = sandbox.url;
    const r2 = await sync();
    assert.deepEqual(r2.referenced.sort(), [a, b].sort());
    const store = openStore(home, 'default');
    try {
      const cases = new CaseStore(store);
      assert.equal(cases.count(), 12);
      for (const id of [a, b]) assert.equal(cases.get(id)!.status, '手続終了');
    } finally {
      store.close();
    }
  });

  void it('an access key refused mid-cycle: the session logs in again once and the cycle completes', async () => {
    const target = ids[7]!;
    sandbox.operate({ action: 'start-exam', arriveId: target });
    let refused = 0;
    proxy.hook = async (req, forward) => {
      if (req.url.includes('/reference/') && refused === 0) {
        refused++;
        return forward({ headers: { 'x-egovapi-accesskey': 'expired-key' } });
      }
      return forward();
    };
    const from = proxy.requests.length;
    try {
      const r = await sync();
      assert.deepEqual(r.referenced, [target]);
      assert.deepEqual(r.failures, []);
    } finally {
      proxy.hook = null;
    }
    const urls = proxy.requests.slice(from).map((q) => q.url);
    assert.equal(urls.filter((u) => u.endsWith('/authentication/login')).length, 1);
    assert.equal(urls.filter((u) => u.endsWith(`/reference/${target}`)).length, 2);
  });

  void it('sync --watch: a first cycle, then waits; SIGINT ends it cleanly', async () => {
    const listeners = process.listenerCount('SIGINT');
    const running = todoke(['sync', '--watch', '--interval', '600', '--password-env', 'PW']);
    while (process.listenerCount('SIGINT') === listeners) await new Promise((r) => setTimeout(r, 20));
    process.emit('SIGINT');
    const r = await running;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /600 秒ごとに確認します/);
    assert.match(r.stdout, /案件 12 件を確認しました/);
    assert.match(r.stdout, /終了しました/);
    assert.equal(process.listenerCount('SIGINT'), listeners);
  });
});

void describe('todoke status / sync / cases: bad input', () => {
  const fails = async (argv: string[], code: string, ja?: RegExp) => {
    const r = await todoke(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, new RegExp(`エラー \\[${code}\\]`));
    if (ja) assert.match(r.stderr, ja);
    return r;
  };

  void it('a hostile 到達番号 never reaches a request: path tricks, control and bidi characters shown harmlessly', async () => {
    const from = proxy.requests.length;
    for (const bad of ['../../authentication/login', '9002026000000001;x=1', '9002026000000001/', '１２３４５６７８９０１２３４５６', '9002026000000001\u202e\u001b[31m', '']) {
      const r = await fails(['status', bad], 'CLI_USAGE', /到達番号ではありません/);
      assert.ok(!r.stderr.includes('\u001b') && !r.stderr.includes('\u202e'), r.stderr);
    }
    assert.equal(proxy.requests.length, from);
    await fails(['status'], 'CLI_USAGE', /到達番号を 1 つ/);
    await fails(['status', ids[0]!, ids[1]!], 'CLI_USAGE');
  });

  void it('bad flags: unknown, --interval without --watch or too short, --limit out of range, a bad date, --from after --to', async () => {
    await fails(['sync', '--bogus'], 'CLI_USAGE', /不明なオプション --bogus/);
    await fails(['sync', '--interval', '60'], 'CLI_USAGE', /--watch と一緒に/);
    await fails(['sync', '--watch', '--interval', '1'], 'CLI_USAGE', /10 以上/);
    await fails(['cases', '--limit', '0'], 'CLI_USAGE', /--limit/);
    await fails(['cases', '--limit', 'many'], 'CLI_USAGE', /--limit/);
    await fails(['cases', '--from', '20260231'], 'CLI_USAGE', /実在する日付/);
    await fails(['cases', '--from', '20260102', '--to', '20260101'], 'CLI_USAGE', /より後/);
    await fails(['cases', '--status', 'a\nb'], 'CLI_USAGE', /制御文字/);
    await fails(['cases', 'extra'], 'CLI_USAGE', /余分な引数/);
    await fails(['cases', '--csv', '--json'], 'CLI_USAGE', /どちらか一方/);
    await fails(['cases', '--csv', '--limit', '5'], 'CLI_USAGE', /--limit とは一緒に/);
  });

  void it('--json errors go to stdout as JSON; a profile that is not set up is refused', async () => {
    const r = await todoke(['status', 'nope', '--json']);
    assert.equal(r.code, 2);
    assert.equal((JSON.parse(r.stdout) as { error: { code: string } }).error.code, 'CLI_USAGE');
    const none = await todoke(['cases', '--profile', 'nobody']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /IDENTITY_NOT_SET_UP/);
  });

  void it('cases: filters and search from the store, no network', async () => {
    const from = proxy.requests.length;
    const r = await todoke(['cases', '--search', ids[3]!.slice(-6), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { cases: { arriveId: string }[]; total: number };
    assert.deepEqual(json.cases.map((c) => c.arriveId), [ids[3]]);
    const byApplicant = JSON.parse((await todoke(['cases', '--applicant', seeded[1]!.applications[0]!.applicantName, '--json'])).stdout) as { total: number };
    assert.equal(byApplicant.total, 1);
    // every matching case as CSV, for other tools: a header line, one line per case, the numbers as they are
    const csv = await todoke(['cases', '--csv']);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.split('\n');
    assert.equal(lines.length, 12 + 2);
    assert.ok(lines[0]!.startsWith('"到達番号","送信番号",'));
    assert.ok(!csv.stdout.startsWith('\uFEFF') && !csv.stdout.includes('\r') && !csv.stdout.includes('="'));
    for (const id of ids) assert.ok(lines.some((l) => l.startsWith(`${id},`)), id);
    const one = await todoke(['cases', '--csv', '--search', ids[3]!.slice(-6)]);
    assert.deepEqual(one.stdout.split('\n').slice(1, -1).map((l) => l.split(',')[0]), [ids[3]]);
    assert.equal(proxy.requests.length, from);
  });
});

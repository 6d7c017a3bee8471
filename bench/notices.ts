// Benchmarks (Node). 公文書 through download → vault → 取得完了 against the sandbox over HTTP (issue
// #10 item 9): the operator issues 1,000 signed 公文書 (10 on each of 100 cases) and 100 (10 on each of
// 10 cases) to two 利用者ID; a fresh child process run as the core host runs
// (`node <CORE_HOST_V8_FLAGS> --import tsx bench/notices.ts --child PROFILE`) fetches every case with
// NoticeFetcher — 公文書・コメント一覧, 公文書取得, the vault's durable writes, the SQLite records, Todoke's
// own signature check, 公文書取得完了, then e-Gov's 公文書署名検証 — and reports its wall time and its
// peak RSS (process.resourceUsage().maxRSS). The sandbox stays in this process, so the child's memory is
// the client's alone.
//
// Figures: documents per second at 1,000, and peak RSS at 100 and at 1,000 (the vault streams nothing
// through memory twice: the difference is what 900 more documents cost). No target is set by the issue.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSandbox, type SandboxHandle } from '../src/sandbox/server.js';
import { CORE_HOST_V8_FLAGS } from '../src/main/core-host/v8-flags.js';
import { officialAnchors } from '../src/main/documents/anchors.js';
import { NoticeFetcher } from '../src/main/documents/notice-fetch.js';
import { Vault } from '../src/main/documents/vault.js';
import { withFiling } from '../src/main/cli/filing-context.js';
import type { CliIo } from '../src/main/cli/io.js';
import { openStore } from '../src/main/store/db.js';
import { NoticeStore } from '../src/main/store/notices.js';
import { ProfileStore } from '../src/main/profiles/profile-store.js';
import { cli } from '../test/support/cli.js';
import { seedAppCases, seedSandboxCases } from '../test/support/case-seed.js';
import { scratchHome } from '../test/support/home.js';
import { repoRoot } from '../test/support/paths.js';
import { figure } from './report.js';

const PKI = join(repoRoot, 'assets', 'sandbox-pki');
const TARO = join(PKI, 'yamada-taro.p12');
const PER_CASE = 10;

function io(home: string): CliIo {
  return {
    stdout: () => undefined,
    stderr: () => undefined,
    env: { TODOKE_HOME: home, PW: 'todoke' },
    cwd: repoRoot,
    promptSecret: () => Promise.resolve(null),
    now: () => new Date(),
  };
}

interface ChildResult {
  documents: number;
  ms: number;
  maxRssMb: number;
  valid: number;
}

/** In the child: fetch every case of the profile, as the app's background fetch does. */
async function child(home: string, profile: string, arriveIds: string[]): Promise<ChildResult> {
  return withFiling(io(home), { profile, 'password-env': 'PW' }, async (ctx) => {
    const store = openStore(ctx.home, ctx.profileName);
    try {
      const notices = new NoticeStore(store);
      const anchors = (await officialAnchors({ home: ctx.home, sandboxPkiDir: PKI })).certificates;
      const fetcher = new NoticeFetcher({
        gateway: ctx.gateway,
        session: ctx.session,
        vault: new Vault(join(new ProfileStore(ctx.home).dir(ctx.profileName), 'vault')),
        notices,
        anchors: async () => anchors,
      });
      // log in before the clock starts: the figure is the fetch, not the 利用者認証
      await ctx.session.withAccessKey(async () => undefined);
      const start = performance.now();
      let documents = 0;
      for (const arriveId of arriveIds) {
        const report = await fetcher.fetchCase(arriveId, { amend: false });
        if (report.failed.length) throw new Error(`fetch of ${arriveId} failed: ${JSON.stringify(report.failed[0])}`);
        documents += report.completed;
      }
      const ms = performance.now() - start;
      const valid = notices.inbox({ limit: 1000, kind: 'document' }).items.filter((n) => (n as { verifiedAt: number | null }).verifiedAt !== null).length;
      return { documents, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, valid };
    } finally {
      store.close();
    }
  });
}

async function setUp(sandbox: SandboxHandle, home: string, profile: string, cases: number): Promise<string[]> {
  const userId = `bench-notices-${profile}-${process.pid}`;
  const r = await cli(['register', '--profile', profile, '--user-id', userId, '--endpoint', sandbox.apiBaseUrl, '--software-id', 'TODOKESANDBOX1', '--p12', TARO, '--password-env', 'PW'], {
    env: { TODOKE_HOME: home, PW: 'todoke' },
  });
  if (r.code !== 0) throw new Error(`register failed: ${r.stderr}`);
  const seeded = seedSandboxCases(sandbox.dataDir, userId, { sends: 1, perSend: cases });
  seedAppCases(home, profile, seeded);
  const arriveIds = seeded.flatMap((s) => s.applications.map((a) => a.arriveId));
  for (const arriveId of arriveIds) {
    for (let i = 0; i < PER_CASE; i++) await sandbox.issueNotice({ action: 'issue-document', arriveId, title: `公文書${i + 1}`, text: 'ベンチマーク用の公文書です。' });
  }
  return arriveIds;
}

async function runChild(home: string, profile: string, arriveIds: string[]): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...CORE_HOST_V8_FLAGS, '--import', 'tsx', fileURLToPath(import.meta.url), '--child', home, profile, arriveIds.join(',')],
    { cwd: repoRoot, maxBuffer: 1024 * 1024, env: { ...process.env, TODOKE_TEST: '1' } },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}

export async function noticesBench(): Promise<boolean> {
  const sandbox = await startSandbox({ dataDir: scratchHome('todoke-bench-notices-sandbox-'), formatCheckDelayMs: 0 });
  const home = scratchHome('todoke-bench-notices-');
  try {
    const small = await setUp(sandbox, home, 'small', 10);
    const large = await setUp(sandbox, home, 'large', 100);
    const s = await runChild(home, 'small', small);
    const l = await runChild(home, 'large', large);
    if (s.documents !== small.length * PER_CASE || l.documents !== large.length * PER_CASE) {
      throw new Error(`documents fetched: ${s.documents} and ${l.documents}, expected ${small.length * PER_CASE} and ${large.length * PER_CASE}`);
    }
    figure('notices-fetch-1000-documents', l.ms / 1000, 's');
    figure('notices-fetch-rate-1000', l.documents / (l.ms / 1000), 'documents/s');
    figure('notices-fetch-rate-100', s.documents / (s.ms / 1000), 'documents/s');
    figure('notices-fetch-peak-rss-100', s.maxRssMb, 'MB');
    figure('notices-fetch-peak-rss-1000', l.maxRssMb, 'MB');
    figure('notices-fetch-verified-1000', l.valid, 'documents');
    return true;
  } finally {
    await sandbox.close();
  }
}

if (process.argv[2] === '--child') {
  const [home, profile, ids] = process.argv.slice(3) as [string, string, string];
  console.log(JSON.stringify(await child(home, profile, ids.split(','))));
} else if (process.argv[2] === '--alone') {
  process.exitCode = (await noticesBench()) ? 0 : 1;
}

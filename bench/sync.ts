// Benchmarks (Node). One case sync cycle (src/main/sync/sync-cycle.ts) against the sandbox, over
// HTTP, with 10,000 tracked cases and with 100 (two 利用者ID in one sandbox, each with its own
// profile and store), the cases seeded straight into the sandbox's state and the profile's store
// (test/support/case-seed.ts). The operator then changes 10 and 100 cases.
//
// Figures: requests per cycle (counted by the sandbox's request log) with 0, 10 and 100 changed —
// target ≤ 2 + changed; the wall time of the 0-change cycle at 10,000 vs at 100 cases (medians over
// rounds, same run) — target ≤ 2×; and the case list's queries at 10,000 cases (page by status,
// counts by status, text search, changed since), as figures.
//
// The floor under the cycle's time, as figures: the cycle's own 送信案件一覧 call made bare (the same
// request through the same HTTP client, the answer's bytes received and not read) at 10,000 and at
// 100 cases. One `;date=` answer holds every case of the days it covers, so that call alone grows
// with the cases tracked, whatever a client does with the answer; `sync-cycle-0-changed-10000-own`
// is the rest of the cycle (reading the answer, loading and comparing the store).
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../src/sandbox/server.js';
import { withFiling } from '../src/main/cli/filing-context.js';
import type { CliIo } from '../src/main/cli/io.js';
import { openStore } from '../src/main/store/db.js';
import { CaseStore } from '../src/main/store/cases.js';
import { CaseSync, type CycleReport } from '../src/main/sync/sync-cycle.js';
import type { DayRange } from '../src/main/sync/case-sync.js';
import { EgovClient } from '../src/main/egov/http.js';
import { sendsPath } from '../src/main/egov/apply-codec.js';
import { cli } from '../test/support/cli.js';
import { seedAppCases, seedSandboxCases } from '../test/support/case-seed.js';
import { scratchHome } from '../test/support/home.js';
import { repoRoot } from '../test/support/paths.js';
import { figure, round, target } from './report.js';
import { median } from './stats.js';

const TARO = join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12');
const ROUNDS = 7;

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

async function setUpProfile(sandbox: SandboxHandle, home: string, profile: string, userId: string, sends: number, perSend: number): Promise<string[]> {
  const r = await cli(['register', '--profile', profile, '--user-id', userId, '--endpoint', sandbox.apiBaseUrl, '--software-id', 'TODOKESANDBOX1', '--p12', TARO, '--password-env', 'PW'], {
    env: { TODOKE_HOME: home, PW: 'todoke' },
  });
  if (r.code !== 0) throw new Error(`register failed: ${r.stderr}`);
  const seeded = seedSandboxCases(sandbox.dataDir, userId, { sends, perSend });
  seedAppCases(home, profile, seeded);
  return seeded.flatMap((s) => s.applications.map((a) => a.arriveId));
}

export async function syncBench(): Promise<boolean> {
  const dataDir = scratchHome('todoke-bench-sync-sandbox-');
  const home = scratchHome('todoke-bench-sync-');
  let accessRequests = 0;
  const sandbox = await startSandbox({
    dataDir,
    formatCheckDelayMs: 0,
    log: (line) => {
      if (line.includes('/shinsei/1/access/')) accessRequests++;
    },
  });
  try {
    const large = await setUpProfile(sandbox, home, 'large', `bench-sync-large-${process.pid}`, 100, 100);
    await setUpProfile(sandbox, home, 'small', `bench-sync-small-${process.pid}`, 1, 100);

    const cycle = (profile: string) =>
      withFiling(io(home), { profile, 'password-env': 'PW' }, async (ctx) => {
        const store = openStore(ctx.home, ctx.profileName);
        try {
          const sync = new CaseSync({ cases: new CaseStore(store), session: ctx.session, gateway: ctx.gateway });
          // one cycle to log in and warm up, then the timed ones
          await sync.run();
          const times: number[] = [];
          const counts: number[] = [];
          let last: CycleReport | null = null;
          for (let i = 0; i < ROUNDS; i++) {
            const before = accessRequests;
            const start = performance.now();
            last = await sync.run();
            times.push(performance.now() - start);
            counts.push(accessRequests - before);
          }
          return { ms: median(times), requests: Math.max(...counts), report: last! };
        } finally {
          store.close();
        }
      });

    // the cycle's list call alone: same path, same client code, the body received and dropped
    const bareListCall = (profile: string, range: DayRange) =>
      withFiling(io(home), { profile, 'password-env': 'PW' }, async (ctx) => {
        const client = new EgovClient({ baseUrl: sandbox.apiBaseUrl, softwareId: 'TODOKESANDBOX1' });
        const get = () => ctx.session.withAccessKey((key) => client.callReading({ method: 'GET', path: `access/${sendsPath(range)}`, accessKey: key }, (status, body) => ({ status, bytes: body.length })));
        const first = await get();
        if (first.status !== 200) throw new Error(`bare list call answered HTTP ${first.status}`);
        const times: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const start = performance.now();
          await get();
          times.push(performance.now() - start);
        }
        return { ms: median(times), bytes: first.bytes };
      });

    const changedCycle = (profile: string, arriveIds: readonly string[]) =>
      withFiling(io(home), { profile, 'password-env': 'PW' }, async (ctx) => {
        const store = openStore(ctx.home, ctx.profileName);
        try {
          const sync = new CaseSync({ cases: new CaseStore(store), session: ctx.session, gateway: ctx.gateway });
          await sync.run();
          for (const arriveId of arriveIds) sandbox.operate({ action: 'start-exam', arriveId });
          const before = accessRequests;
          const start = performance.now();
          const report = await sync.run();
          const ms = performance.now() - start;
          return { requests: accessRequests - before, ms, report };
        } finally {
          store.close();
        }
      });

    const zeroLarge = await cycle('large');
    const zeroSmall = await cycle('small');
    figure('sync-cycle-0-changed-10000-requests', zeroLarge.requests, 'requests');
    figure('sync-cycle-0-changed-10000', zeroLarge.ms, 'ms');
    figure('sync-cycle-0-changed-100', zeroSmall.ms, 'ms');
    if (zeroLarge.report.ranges.length !== 1 || zeroSmall.report.ranges.length !== 1) throw new Error('the seeded cases were expected in one `;date=` range');
    const bareLarge = await bareListCall('large', zeroLarge.report.ranges[0]!);
    const bareSmall = await bareListCall('small', zeroSmall.report.ranges[0]!);
    figure('sync-list-answer-bytes-10000', bareLarge.bytes, 'bytes');
    figure('sync-list-call-bare-10000', bareLarge.ms, 'ms');
    figure('sync-list-call-bare-100', bareSmall.ms, 'ms');
    figure('sync-list-call-bare-10000-vs-100', bareLarge.ms / bareSmall.ms, 'x');
    figure('sync-cycle-0-changed-10000-own', Math.max(0, zeroLarge.ms - bareLarge.ms), 'ms');
    let pass = target('sync-requests-0-changed', zeroLarge.requests <= 2, `${zeroLarge.requests}`, '≤ 2');

    const ten = await changedCycle('large', large.slice(0, 10));
    figure('sync-cycle-10-changed-10000-requests', ten.requests, 'requests');
    figure('sync-cycle-10-changed-10000', ten.ms, 'ms');
    pass = target('sync-requests-10-changed', ten.requests <= 12 && ten.report.referenced.length === 10, `${ten.requests}`, '≤ 12') && pass;

    const hundred = await changedCycle('large', large.slice(10, 110));
    figure('sync-cycle-100-changed-10000-requests', hundred.requests, 'requests');
    figure('sync-cycle-100-changed-10000', hundred.ms, 'ms');
    pass = target('sync-requests-100-changed', hundred.requests <= 102 && hundred.report.referenced.length === 100, `${hundred.requests}`, '≤ 102') && pass;

    const ratio = zeroLarge.ms / zeroSmall.ms;
    figure('sync-cycle-0-changed-10000-vs-100', ratio, 'x');
    pass = target('sync-cycle-time-10000-vs-100', ratio <= 2, `${round(ratio)}x`, '≤ 2x') && pass;

    // the case list's queries at 10,000 cases (figures; their plans are pinned in test/unit/store-cases.test.ts)
    const store = openStore(home, 'large');
    try {
      const cases = new CaseStore(store);
      const time = (op: () => unknown) => {
        const t: number[] = [];
        for (let i = 0; i < 20; i++) {
          const s = performance.now();
          op();
          t.push(performance.now() - s);
        }
        return median(t);
      };
      figure('cases-10000-page-by-status', time(() => cases.list({ status: '審査中', limit: 100 })), 'ms');
      figure('cases-10000-counts-by-status', time(() => cases.countsByStatus()), 'ms');
      figure('cases-10000-attention-counts', time(() => cases.attentionCounts()), 'ms');
      figure('cases-10000-text-search', time(() => cases.list({ text: '申請者 42-', limit: 100 })), 'ms');
      figure('cases-10000-changed-since', time(() => cases.changedSince(9_900)), 'ms');
      figure('cases-10000-tracked-load', time(() => cases.tracked()), 'ms');
    } finally {
      store.close();
    }
    return pass;
  } finally {
    await sandbox.close();
  }
}

// run alone: node --import tsx bench/sync.ts --alone
if (process.argv.includes('--alone')) process.exitCode = (await syncBench()) ? 0 : 1;

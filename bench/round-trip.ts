// Benchmarks (Node). UI round trips while a 1,000-application batch is read, checked, signed and
// packed (issue #8 item 8): an `app.info` call through the web harness every 10 ms, p99 of the
// round trip. What runs where:
//
//   core-host case — this process: the harness (startHarness) in front of a CoreSupervisor, as
//     `npm run harness` runs it. Child 1: the core host, started by the same forkCoreHost +
//     CoreSupervisor machinery, from bench/core-host-with-work.ts (serves the contract like
//     src/main/core-host/entry.ts, and runs the batch work in the same process when told to —
//     the contract has no filing operation yet). Child 2: the page (bench/ui-client.ts), speaking
//     the harness's WebSocket protocol. So every app.info goes page → harness → core host, and
//     waits behind whatever the core host is doing.
//   in-process case — this process: the harness, the core (createApp) and the batch work, all on
//     one event loop. Child: the same page.
//
// The page is its own process in both cases, so its 10 ms clock never stops while the work blocks
// an event loop, and a stalled call is measured from when it was really sent.
// Target: p99 ≤ 50 ms in the core-host case. This one is an absolute time, set by the issue (a UI
// that answers within 50 ms feels immediate), not a ratio; the in-process figure is printed beside it.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/main/app/create-app.js';
import { forkCoreHost } from '../src/main/core-host/fork.js';
import { CoreSupervisor, type CoreEndpoint, type CoreProcess } from '../src/main/core-host/supervisor.js';
import { packageVersion, startHarness } from '../test/harness/server.js';
import type { BenchDoneMessage } from './core-host-with-work.js';
import { checkSignPack, generateApplications, openBenchSigner } from './filing-work.js';
import { figure, round, target } from './report.js';
import { percentile } from './stats.js';
import type { ClientSamples } from './ui-client.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const APPLICATIONS = 1000;
const WARM_UP_MS = 500;
const TARGET_P99_MS = 50;

interface RoundTrips {
  p50: number;
  p99: number;
  max: number;
  count: number;
  skipped: number;
  failed: number;
  workMs: number;
}

function waitFor<T>(child: ChildProcess, t: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { t?: string }) => {
      if (m.t !== t) return;
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`ui-client exited (${code}) before '${t}'`)));
  });
}

/** Starts the harness over `app`, the page against it, and runs `work` between begin and end. */
async function measure(app: CoreEndpoint, rendererDir: string, work: () => Promise<void>): Promise<RoundTrips> {
  const harness = await startHarness({ app, rendererDir });
  const client = fork(join(here, 'ui-client.ts'), [harness.url], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    await waitFor(client, 'open');
    await new Promise((r) => setTimeout(r, WARM_UP_MS));
    client.send({ t: 'begin' });
    const start = performance.now();
    await work();
    const workMs = performance.now() - start;
    const samplesReady = waitFor<{ samples: ClientSamples }>(client, 'samples');
    client.send({ t: 'end' });
    const { samples } = await samplesReady;
    const l = samples.latencies;
    return { p50: percentile(l, 50), p99: percentile(l, 99), max: Math.max(...l), count: l.length, skipped: samples.skipped, failed: samples.failed, workMs };
  } finally {
    client.kill();
    await harness.close();
  }
}

async function coreHostCase(batchDir: string, rendererDir: string, home: string): Promise<RoundTrips> {
  let core: CoreProcess | null = null;
  const spawn = forkCoreHost({ entry: join(here, 'core-host-with-work.ts'), execArgv: ['--import', 'tsx'] });
  const supervisor = new CoreSupervisor({
    spawn: () => (core = spawn()),
    config: () => ({ host: 'harness', version: packageVersion(), home, sandbox: false, secrets: { kind: 'file' } }),
    // our `{ bench: 'done' }` answer is not a core message: the supervisor refuses it, and says so
    log: (line) => (line.includes('refused a malformed message from the core') ? undefined : console.error(line)),
  });
  supervisor.start();
  try {
    await supervisor.whenRunning();
    return await measure(supervisor, rendererDir, async () => {
      const process = core;
      if (!process) throw new Error('the core host is not running');
      const done = new Promise<BenchDoneMessage>((resolve) =>
        process.onMessage((m) => {
          if ((m as { bench?: string }).bench === 'done') resolve(m as BenchDoneMessage);
        }),
      );
      process.send({ bench: 'work', dir: batchDir });
      const outcome = await done;
      if (outcome.error || outcome.applications !== APPLICATIONS) throw new Error(`the core host's batch failed: ${outcome.error ?? `${outcome.applications} applications`}`);
    });
  } finally {
    await supervisor.close();
  }
}

async function inProcessCase(batchDir: string, rendererDir: string, home: string): Promise<RoundTrips> {
  const app = createApp({ host: 'harness', version: packageVersion(), home });
  const signer = openBenchSigner();
  try {
    return await measure(app, rendererDir, async () => {
      const outcome = await checkSignPack(batchDir, signer);
      if (outcome.applications !== APPLICATIONS) throw new Error(`in-process batch packed ${outcome.applications} applications`);
    });
  } finally {
    await signer.close();
  }
}

export async function roundTripBench(): Promise<boolean> {
  const root = mkdtempSync(join(tmpdir(), 'todoke-bench-round-trip-'));
  try {
    const batchDir = join(root, 'batch');
    generateApplications(batchDir, APPLICATIONS);
    // Only the WebSocket is used: a one-line page stands in for the built renderer.
    const rendererDir = join(root, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>bench</title><script type="module"></script>');

    const hosted = await coreHostCase(batchDir, rendererDir, mkdtempSync(join(root, 'home-core-')));
    const inProcess = await inProcessCase(batchDir, rendererDir, mkdtempSync(join(root, 'home-in-process-')));
    for (const [name, r] of [
      ['core-host', hosted],
      ['in-process', inProcess],
    ] as const) {
      figure(`ui-round-trip-p99-${name}`, r.p99, 'ms');
      figure(`ui-round-trip-p50-${name}`, r.p50, 'ms');
      figure(`ui-round-trip-max-${name}`, r.max, 'ms');
      figure(`ui-round-trip-calls-${name}`, r.count, 'calls');
      // ticks not sent because 30 calls were already waiting: the p99 above leaves them out, so it flatters a stalled core
      figure(`ui-round-trip-skipped-${name}`, r.skipped, 'ticks');
      figure(`ui-round-trip-failed-${name}`, r.failed, 'calls');
      figure(`ui-round-trip-work-${name}`, r.workMs, 'ms');
    }
    return target('ui-round-trip-p99', hosted.p99 <= TARGET_P99_MS && hosted.failed === 0, `${round(hosted.p99)} ms p99 through the core host (in-process: ${round(inProcess.p99)} ms)`, `≤ ${TARGET_P99_MS} ms`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// Integration (issue #8 "Bad input and faults"): the core host SIGKILLed at each step of a 一括申請
// through the outbox. A child process (this same file, run with FILING_CRASH_CHILD set) runs the
// real use case — EgovSession, EgovV1Gateway, BatchSender, BatchFollower over HTTP — against a
// sandbox the parent started in-process, through a proxy (test/support/fault-server.ts) the parent
// controls, and is SIGKILLed at a precise moment:
//   1. `sending` committed, before the request leaves (the child says so from inside sendBatch);
//   2. the request left and reached the sandbox, which answered 202; the proxy holds that answer;
//   3. the 202 recorded (`sent`), before anything else;
//   4. while following: `following` recorded, the 形式チェック done, 申請案件一覧 held by the proxy.
// Then the parent, as the next start would, runs recoverOutbox and the BatchFollower on the same
// home, and checks for each: exactly one batch at the sandbox, the entry ends `done` with the
// sandbox's real 送信番号 (never lost), the 一括申請 reached the proxy once (never sent twice), and
// both applications arrived with their 到達番号.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import type { SendSummary } from '../../src/shared/filing.js';
import { checkApplicationDataInSteps } from '../../src/main/application/check.js';
import { readApplicationFolders } from '../../src/main/application/read-folders.js';
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import { EgovClient } from '../../src/main/egov/http.js';
import { isFilingError } from '../../src/main/filing/errors.js';
import { BatchFollower } from '../../src/main/filing/follow-batch.js';
import { recoverOutbox } from '../../src/main/filing/recover.js';
import { BatchSender, type SendBatchInput } from '../../src/main/filing/send-batch.js';
import { EgovSession } from '../../src/main/session/session.js';
import { openPkcs12 } from '../../src/main/signing/file-signer.js';
import { openStore, type Store } from '../../src/main/store/db.js';
import { Outbox, type OutboxEntry } from '../../src/main/store/outbox.js';
import { jstDay } from '../../src/main/sync/reconcile.js';
import { startFaultServer, type FaultServer, type RecordedRequest } from '../support/fault-server.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';
import { item, rawRequest, SOFTWARE_ID, startTestSandbox, type RawResponse, type TestSandbox } from './sandbox-support.js';
import { makeBatchFolders } from '../support/application-folders.js';

const USER_ID = 'todoke0001';
const p12 = readFileSync(join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12'));
const openYamada = () => openPkcs12(p12, 'todoke');

const APPLY = '/shinsei/1/access/apply';
const isApplyPost = (r: RecordedRequest) => r.method === 'POST' && r.url === APPLY;
/** 申請案件一覧 of one batch: GET access/apply/{送信番号} */
const isArrivedList = (r: RecordedRequest) => r.method === 'GET' && r.url.startsWith(`${APPLY}/`);


async function batchInput(folders: string[]): Promise<Pick<SendBatchInput, 'data' | 'report'>> {
  const data = await readApplicationFolders(folders);
  const report = await checkApplicationDataInSteps(data);
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  return { data, report };
}

const client = (baseUrl: string) => new EgovClient({ baseUrl, softwareId: SOFTWARE_ID, timeoutMs: 60_000 });

// ---------------------------------------------------------------------------------------------
// The child: the core host that is killed

type Step = 'before-request' | 'request-left' | 'accepted' | 'following';

/** Keeps the child alive until the parent's SIGKILL, whatever it is waiting for. */
function waitForKill(): Promise<never> {
  setInterval(() => undefined, 1000);
  return new Promise<never>(() => undefined);
}

async function crashChild(home: string): Promise<void> {
  const step = process.env.FILING_CRASH_STEP as Step;
  const folders = JSON.parse(process.env.FILING_CRASH_FOLDERS ?? '[]') as string[];
  const baseUrl = process.env.FILING_CRASH_BASE_URL ?? '';
  // the parent's sandbox clock, which does not move while the child runs
  const at = Number(process.env.FILING_CRASH_NOW);
  const say = (line: string) => process.stdout.write(`${line}\n`);

  const store = openStore(home, 'default');
  const outbox = new Outbox(store, { now: () => at });
  const gateway = new EgovV1Gateway(client(baseUrl));
  const session = new EgovSession({ gateway, userId: USER_ID, signerProvider: async () => openYamada(), now: () => new Date(at) });
  const sender = new BatchSender({
    outbox,
    session,
    gateway: {
      prepareBatch: (b) => gateway.prepareBatch(b),
      isCredentialRefusal: (e) => gateway.isCredentialRefusal(e),
      sendBatch: async (key, body) => {
        if (step === 'before-request') {
          // beginAttempt has committed `sending` and the session has its key; not one byte of the
          // 一括申請 has been written yet
          say(`sending ${outbox.list(['sending'])[0]?.id ?? ''}`);
          await waitForKill();
        }
        return gateway.sendBatch(key, body);
      },
    },
    defaultSigner: async () => openYamada(),
    now: () => new Date(at),
  });
  const { entry } = await sender.send(await batchInput(folders));
  // only 'accepted' and 'following' get here: the 202 is recorded (markAccepted has committed)
  say(`sent ${entry.id} ${entry.sendNumber ?? ''}`);
  if (step === 'accepted') await waitForKill();

  // real sleeps: the parent runs the 形式チェック while the child keeps asking
  const follower = new BatchFollower({ outbox, session, gateway, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
  const following = await follower.followOnce(entry.id);
  say(`${following.state} ${entry.id}`);
  await follower.followUntilDone(entry.id, { maxWaitMs: 120_000, intervalMs: 20 });
  say(`done ${entry.id}`);
  await waitForKill();
}

// ---------------------------------------------------------------------------------------------
// The parent

interface Rig {
  t: TestSandbox;
  home: string;
  folders: string[];
  /** the parent's own session and gateway, straight to the sandbox (not through the proxy) */
  gateway: EgovV1Gateway;
  session: EgovSession;
  proxy: HoldingProxy;
  /** every batch the sandbox lists for the test user on the sandbox's day */
  sandboxSends(): Promise<SendSummary[]>;
}

interface HoldingProxy {
  server: FaultServer;
  baseUrl: string;
  /** resolves when the held request has arrived (and, if forwarded, been answered by the sandbox) */
  held: Promise<{ request: RecordedRequest; answer: RawResponse | null }>;
  /** 一括申請 requests that reached the proxy (from the child and the parent alike) */
  applyPosts(): number;
}

const cleanups: Array<() => Promise<void> | void> = [];
void afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * A proxy in front of the sandbox that forwards every request; the first one `hold.match` picks is
 * forwarded (when `hold.forward`) or not, and then never answered: the held answer never reaches
 * the child, which is killed while waiting for it.
 */
async function holdingProxy(t: TestSandbox, hold?: { match: (r: RecordedRequest) => boolean; forward: boolean }): Promise<HoldingProxy> {
  const server = await startFaultServer();
  cleanups.push(() => server.close());
  let holding = false;
  let release!: (v: { request: RecordedRequest; answer: RawResponse | null }) => void;
  const held = new Promise<{ request: RecordedRequest; answer: RawResponse | null }>((resolve) => (release = resolve));
  const forward = (req: RecordedRequest): Promise<RawResponse> => {
    const headers: Record<string, string> = {};
    for (const name of ['x-egovapi-softwareid', 'x-egovapi-accesskey', 'content-type']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    return rawRequest(t.sandbox.url, req.url, { method: req.method, headers, ...(req.body.length ? { body: req.body } : {}) });
  };
  server.handle(async (req) => {
    if (hold && !holding && hold.match(req)) {
      holding = true;
      const answer = hold.forward ? await forward(req) : null;
      release({ request: req, answer });
      return { kind: 'hang' };
    }
    const res = await forward(req);
    return { kind: 'respond', status: res.status, body: res.body };
  });
  return { server, baseUrl: server.baseUrl, held, applyPosts: () => server.requests.filter(isApplyPost).length };
}

async function rig(hold?: { match: (r: RecordedRequest) => boolean; forward: boolean }): Promise<Rig> {
  // the 形式チェック runs only when a test says so
  const t = await startTestSandbox({ formatCheckDelayMs: 600_000 });
  cleanups.push(() => t.close());
  const gateway = new EgovV1Gateway(client(t.sandbox.apiBaseUrl));
  await gateway.register(openYamada(), USER_ID);
  const session = new EgovSession({ gateway, userId: USER_ID, signerProvider: async () => openYamada(), now: () => t.now() });
  const home = scratchHome('todoke-filing-crash-');
  const folders = makeBatchFolders(join(home, 'data'));
  const proxy = await holdingProxy(t, hold);
  return {
    t,
    home,
    folders,
    gateway,
    session,
    proxy,
    sandboxSends: async () => {
      const day = jstDay(t.now().getTime());
      return session.withAccessKey((k) => gateway.listSends(k, { from: day, to: day }));
    },
  };
}

interface Child {
  proc: ChildProcess;
  /** resolves with the first stdout line starting with `prefix ` (its words after the prefix) */
  line(prefix: string): Promise<string[]>;
  /** rejects when the child exits before it is killed */
  exitedEarly: Promise<never>;
  stderr(): string;
  /** SIGKILL now; resolves once the child is gone, asserting it died of the signal */
  kill(): Promise<void>;
}

function spawnChild(r: Rig, step: Step): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: {
      ...process.env,
      FILING_CRASH_CHILD: r.home,
      FILING_CRASH_STEP: step,
      FILING_CRASH_FOLDERS: JSON.stringify(r.folders),
      FILING_CRASH_BASE_URL: r.proxy.baseUrl,
      FILING_CRASH_NOW: String(r.t.now().getTime()),
      NODE_TEST_CONTEXT: undefined,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines: string[] = [];
  const waiters: Array<{ prefix: string; resolve: (words: string[]) => void }> = [];
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of waiters.splice(0)) {
      if (l.startsWith(`${w.prefix} `)) w.resolve(l.split(' ').slice(1));
      else waiters.push(w);
    }
  });
  const exited = once(proc, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let killed = false;
  const exitedEarly = exited.then(([code, signal]) => {
    if (!killed) throw new Error(`the child exited by itself (${String(code)} ${String(signal)}): ${stderr}`);
    return new Promise<never>(() => undefined);
  });
  exitedEarly.catch(() => undefined);
  const timer = setTimeout(() => proc.kill('SIGKILL'), 90_000);
  cleanups.push(() => {
    clearTimeout(timer);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  return {
    proc,
    line: (prefix) => {
      const seen = lines.find((l) => l.startsWith(`${prefix} `));
      if (seen) return Promise.resolve(seen.split(' ').slice(1));
      return new Promise((resolve) => waiters.push({ prefix, resolve }));
    },
    exitedEarly,
    stderr: () => stderr,
    kill: async () => {
      killed = true;
      proc.kill('SIGKILL');
      const [, signal] = await exited;
      clearTimeout(timer);
      assert.equal(signal, 'SIGKILL', stderr);
    },
  };
}

/** The next start on the same home: store, outbox and use case with the sandbox's clock, straight to the sandbox. */
function reopen(r: Rig): { store: Store; outbox: Outbox; sender: BatchSender; senderViaProxy: BatchSender; follower: BatchFollower; recover: () => ReturnType<typeof recoverOutbox> } {
  const store = openStore(r.home, 'default');
  cleanups.push(() => store.close());
  const outbox = new Outbox(store, { now: () => r.t.now().getTime() });
  const common = { outbox, session: r.session, defaultSigner: async () => openYamada(), now: () => r.t.now() };
  const viaProxy = new EgovV1Gateway(client(r.proxy.baseUrl));
  return {
    store,
    outbox,
    sender: new BatchSender({ ...common, gateway: r.gateway }),
    // a resend goes through the proxy too, so that the proxy counts every 一括申請 of the data
    senderViaProxy: new BatchSender({
      ...common,
      gateway: { prepareBatch: (b) => r.gateway.prepareBatch(b), isCredentialRefusal: (e) => r.gateway.isCredentialRefusal(e), sendBatch: (k, body) => viaProxy.sendBatch(k, body) },
    }),
    follower: new BatchFollower({ outbox, session: r.session, gateway: r.gateway, now: () => r.t.now().getTime(), sleep: async () => undefined }),
    recover: () => recoverOutbox({ outbox, session: r.session, gateway: r.gateway, now: () => r.t.now().getTime() }),
  };
}

/** What must hold after every crash once recovery and following are over. */
async function assertOnceAndComplete(r: Rig, outbox: Outbox, sender: BatchSender, entry: OutboxEntry): Promise<void> {
  const sends = await r.sandboxSends();
  assert.equal(sends.length, 1, 'exactly one batch at the sandbox');
  assert.equal(r.proxy.applyPosts(), 1, 'the 一括申請 was sent once');
  const final = outbox.get(entry.id)!;
  assert.equal(final.state, 'done');
  assert.equal(final.sendNumber, sends[0]!.sendNumber, "the sandbox's 送信番号 is recorded");
  const apps = outbox.applications(entry.id);
  assert.equal(apps.length, 2, 'both applications arrived');
  for (const a of apps) assert.match(a.arriveId, /^\d{16}$/);
  assert.deepEqual(apps.map((a) => a.procedureFolderName).sort(), ['900A010002008000(1)', '900A010200001000(1)']);
  assert.deepEqual(outbox.list().map((e) => e.id), [entry.id], 'one entry for the data');
  // the data is now known as sent under that number: recording it again is refused naming it
  await assert.rejects(
    async () => sender.record(await batchInput(r.folders)),
    (e: unknown) => isFilingError(e, 'FILING_SAME_DATA_SENT') && e.messageJa.includes(sends[0]!.sendNumber),
  );
}

if (process.env.FILING_CRASH_CHILD) {
  await crashChild(process.env.FILING_CRASH_CHILD);
} else {
  void describe('一括申請: the core host SIGKILLed at each outbox step, then recovered on the same home', () => {
    void it('1. killed at `sending` before the request left: nothing at the sandbox → too-early, then not-found → ready-for-resend → sent once', async () => {
      const r = await rig();
      const child = spawnChild(r, 'before-request');
      const [id] = await Promise.race([child.line('sending'), child.exitedEarly]);
      assert.ok(id, child.stderr());
      await child.kill();
      assert.equal(r.proxy.applyPosts(), 0, 'the 一括申請 never left the child');
      assert.equal((await r.sandboxSends()).length, 0);

      const h = reopen(r);
      const killed = h.outbox.get(id)!;
      assert.equal(killed.state, 'sending');
      const attemptAt = killed.attemptStartedAt!;
      // asked at once, "nothing found" is not trusted yet: the entry stays `unknown`, nothing sent
      const early = await h.recover();
      assert.deepEqual(early.interrupted, [id]);
      assert.equal((early.outcomes[0] as { decision: { kind: string } }).decision.kind, 'too-early');
      assert.equal(h.outbox.get(id)?.state, 'unknown');
      await assert.rejects(async () => h.sender.record(await batchInput(r.folders)), (e: unknown) => isFilingError(e, 'FILING_SAME_DATA_IN_FLIGHT'));
      // the window passes (the sandbox's clock, which is the outbox's)
      r.t.setClock(new Date(attemptAt + 6 * 60_000));
      const later = await h.recover();
      assert.deepEqual(later.interrupted, []);
      assert.equal((later.outcomes[0] as { decision: { kind: string } }).decision.kind, 'not-found');
      assert.equal(h.outbox.get(id)?.state, 'ready-for-resend');

      const { entry, receipt } = await h.senderViaProxy.sendRecorded(id);
      assert.equal(entry.state, 'sent');
      assert.equal(entry.attemptCount, 2);
      assert.equal(entry.sendNumber, receipt.sendNumber);
      assert.deepEqual(await h.outbox.requestBytes(id), Buffer.from(r.proxy.server.requests.find(isApplyPost)!.body), 'the recorded bytes went out');
      assert.equal((await h.follower.followOnce(id)).state, 'following');
      await r.t.sandbox.runFormatChecks();
      assert.equal((await h.follower.followOnce(id)).state, 'done');
      await assertOnceAndComplete(r, h.outbox, h.sender, entry);
    });

    void it('2. killed after the request left, before the answer: `unknown`, matched to the real 送信番号, never resent', async () => {
      const r = await rig({ match: isApplyPost, forward: true });
      const child = spawnChild(r, 'request-left');
      // the proxy has forwarded the 一括申請 and the sandbox answered 202: the child waits for that answer
      const { answer } = await Promise.race([r.proxy.held, child.exitedEarly]);
      await child.kill();
      assert.equal(answer?.status, 202, answer?.text);
      const realNumber = item(answer.text, 'SendNumber');
      assert.match(realNumber ?? '', /^\d{18}$/);

      const h = reopen(r);
      const [killed] = h.outbox.list();
      assert.equal(killed?.state, 'sending');
      assert.equal(killed.sendNumber, null, 'the child never learnt its 送信番号');
      const report = await h.recover();
      assert.deepEqual(report.interrupted, [killed.id]);
      assert.equal(report.outcomes.length, 1);
      const outcome = report.outcomes[0]!;
      assert.ok('decision' in outcome, String((outcome as { error?: unknown }).error));
      assert.deepEqual(outcome.decision, { kind: 'matched', sendNumber: realNumber });
      assert.equal(outcome.entry.state, 'sent');
      assert.equal(outcome.entry.sendNumber, realNumber);
      // a second start finds nothing to do
      assert.deepEqual(await h.recover(), { interrupted: [], outcomes: [] });

      assert.equal((await h.follower.followOnce(killed.id)).state, 'following');
      await r.t.sandbox.runFormatChecks();
      assert.equal((await h.follower.followOnce(killed.id)).state, 'done');
      await assertOnceAndComplete(r, h.outbox, h.sender, killed);
    });

    void it('3. killed right after the 202 was recorded: `sent` stays, recovery leaves it alone, following completes, no resend', async () => {
      const r = await rig();
      const child = spawnChild(r, 'accepted');
      const [id, sendNumber] = await Promise.race([child.line('sent'), child.exitedEarly]);
      await child.kill();
      assert.ok(id && sendNumber, child.stderr());

      const h = reopen(r);
      const killed = h.outbox.get(id)!;
      assert.equal(killed.state, 'sent');
      assert.equal(killed.sendNumber, sendNumber);
      assert.deepEqual(await h.recover(), { interrupted: [], outcomes: [] });
      assert.equal(h.outbox.get(id)?.state, 'sent');

      assert.equal((await h.follower.followOnce(id)).state, 'following');
      await r.t.sandbox.runFormatChecks();
      assert.equal((await h.follower.followOnce(id)).state, 'done');
      await assertOnceAndComplete(r, h.outbox, h.sender, killed);
      assert.equal(h.outbox.get(id)?.sendNumber, sendNumber);
    });

    void it('4. killed while following (形式チェック done, 申請案件一覧 in flight): `following` stays, following completes, no resend', async () => {
      const r = await rig({ match: isArrivedList, forward: true });
      const child = spawnChild(r, 'following');
      const [id, sendNumber] = await Promise.race([child.line('sent'), child.exitedEarly]);
      assert.deepEqual(await Promise.race([child.line('following'), child.exitedEarly]), [id]);
      // the child keeps asking 送信案件一覧; once the check has run it asks 申請案件一覧, which the proxy holds
      await r.t.sandbox.runFormatChecks();
      const { request } = await Promise.race([r.proxy.held, child.exitedEarly]);
      await child.kill();
      assert.equal(request.url, `${APPLY}/${sendNumber}`);

      const h = reopen(r);
      const killed = h.outbox.get(id!)!;
      assert.equal(killed.state, 'following');
      assert.equal(killed.sendNumber, sendNumber);
      assert.equal(h.outbox.applications(id!).length, 0, 'the arrived applications were not stored yet');
      assert.deepEqual(await h.recover(), { interrupted: [], outcomes: [] });

      assert.equal((await h.follower.followOnce(id!)).state, 'done');
      await assertOnceAndComplete(r, h.outbox, h.sender, killed);
      assert.equal(h.outbox.get(id!)?.sendNumber, sendNumber);
    });
  });
}

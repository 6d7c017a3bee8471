// Integration: the 一括申請 use case (src/main/filing) against a real in-process sandbox: two
// application folders built from the fixture samples, signed in memory with 山田 太郎's training
// certificate, recorded in the outbox, sent, followed through the 形式チェック to their 到達番号.
// Then what must never happen does not: the same data is refused without the earlier 送信番号;
// a connection dropped after the request reached e-Gov ends `unknown` and is reconciled to the
// sandbox's real 送信番号 without a second send; a refused connection leaves the entry `ready`;
// a 4xx ends `failed`; a core host SIGKILLed at `sending` recovers to `ready-for-resend`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { checkApplicationDataInSteps } from '../../src/main/application/check.js';
import { readApplicationFolders } from '../../src/main/application/read-folders.js';
import { authFailed, serverError } from '../../src/main/egov/errors.js';
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import { EgovClient } from '../../src/main/egov/http.js';
import { isFilingError } from '../../src/main/filing/errors.js';
import { BatchFollower } from '../../src/main/filing/follow-batch.js';
import { recoverOutbox } from '../../src/main/filing/recover.js';
import { BatchSender, type SendBatchInput } from '../../src/main/filing/send-batch.js';
import { EgovSession } from '../../src/main/session/session.js';
import { openPkcs12 } from '../../src/main/signing/file-signer.js';
import { openStore, type Store } from '../../src/main/store/db.js';
import { Outbox } from '../../src/main/store/outbox.js';
import { jstDay } from '../../src/main/sync/reconcile.js';
import { closedPort, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { scratchHome } from '../support/home.js';
import { egovDir, repoRoot } from '../support/paths.js';
import { rawRequest, SOFTWARE_ID, startTestSandbox, type TestSandbox } from './sandbox-support.js';
import { makeBatchFolders } from '../support/application-folders.js';

const USER_ID = 'todoke0001';
const p12 = readFileSync(join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12'));
const openYamada = () => openPkcs12(p12, 'todoke');


async function batchInput(folders: string[]): Promise<Pick<SendBatchInput, 'data' | 'report'>> {
  const data = await readApplicationFolders(folders);
  const report = await checkApplicationDataInSteps(data);
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  return { data, report };
}

interface World {
  t: TestSandbox;
  store: Store;
  outbox: Outbox;
  gateway: EgovV1Gateway;
  session: EgovSession;
  sender: BatchSender;
  follower: BatchFollower;
  folders: string[];
  /** a BatchSender whose sendBatch goes elsewhere (a proxy), the rest as `sender` */
  senderVia(baseUrl: string): BatchSender;
  /** how many batches the sandbox holds for the test user today */
  sandboxBatches(): Promise<number>;
  close(): Promise<void>;
}

const worlds: World[] = [];
const servers: FaultServer[] = [];
void afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const w of worlds.splice(0)) await w.close();
});

async function world(sandboxOptions: { maxApplications?: number; home?: string } = {}): Promise<World> {
  // a clock the test owns, shared by the sandbox (SendDate, 送信番号) and the outbox (attempt time)
  const t = await startTestSandbox({ formatCheckDelayMs: 600_000, ...(sandboxOptions.maxApplications ? { maxApplications: sandboxOptions.maxApplications } : {}) });
  const home = sandboxOptions.home ?? scratchHome('todoke-filing-');
  const store = openStore(home, 'default');
  const outbox = new Outbox(store, { now: () => t.now().getTime() });
  const client = (baseUrl: string) => new EgovClient({ baseUrl, softwareId: SOFTWARE_ID, timeoutMs: 5000 });
  const gateway = new EgovV1Gateway(client(t.sandbox.apiBaseUrl));
  const signer = openYamada();
  await gateway.register(signer, USER_ID);
  const session = new EgovSession({ gateway, userId: USER_ID, signerProvider: async () => openYamada() });
  const common = { outbox, session, defaultSigner: async () => openYamada(), now: () => t.now() };
  const sender = new BatchSender({ ...common, gateway });
  const follower = new BatchFollower({ outbox, session, gateway, now: () => t.now().getTime(), sleep: async () => undefined });
  const folders = makeBatchFolders(join(home, 'data'));
  const w: World = {
    t,
    store,
    outbox,
    gateway,
    session,
    sender,
    follower,
    folders,
    senderVia: (baseUrl) => {
      const other = new EgovV1Gateway(client(baseUrl));
      return new BatchSender({ ...common, gateway: { prepareBatch: (b) => gateway.prepareBatch(b), isCredentialRefusal: (e) => gateway.isCredentialRefusal(e), sendBatch: (k, body) => other.sendBatch(k, body) } });
    },
    sandboxBatches: async () => {
      const day = jstDay(t.now().getTime());
      return (await session.withAccessKey((k) => gateway.listSends(k, { from: day, to: day }))).length;
    },
    close: async () => {
      store.close();
      await t.close();
    },
  };
  worlds.push(w);
  return w;
}

/** A proxy in front of the sandbox that forwards every request; for the 一括申請 it drops the connection once the sandbox has answered. */
async function droppingProxy(t: TestSandbox): Promise<FaultServer> {
  const server = await startFaultServer();
  servers.push(server);
  server.handle(async (req) => {
    const headers: Record<string, string> = {};
    for (const name of ['x-egovapi-softwareid', 'x-egovapi-accesskey', 'content-type']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const res = await rawRequest(t.sandbox.url, req.url, { method: req.method, headers, ...(req.body.length ? { body: req.body } : {}) });
    if (req.method === 'POST' && req.url === '/shinsei/1/access/apply') return { kind: 'drop' };
    return { kind: 'respond', status: res.status, body: res.body };
  });
  return server;
}

const applyPosts = (server: FaultServer) => server.requests.filter((r) => r.method === 'POST' && r.url === '/shinsei/1/access/apply').length;

const childHome = process.env.FILING_CRASH_CHILD;

/** The crash child: records and begins the attempt of a real batch, says so, then hangs in sendBatch until SIGKILLed. */
async function crashChild(home: string): Promise<void> {
  const store = openStore(home, 'default');
  const outbox = new Outbox(store);
  const gateway = new EgovV1Gateway(new EgovClient({ baseUrl: 'http://127.0.0.1:9/shinsei/1/', softwareId: SOFTWARE_ID }));
  const sender = new BatchSender({
    outbox,
    session: { userId: USER_ID, withAccessKey: (call) => call('KEY') },
    gateway: {
      prepareBatch: (b) => gateway.prepareBatch(b),
      isCredentialRefusal: () => false,
      sendBatch: () => {
        // beginAttempt has committed `sending`; the request would leave now
        const [entry] = outbox.list(['sending']);
        process.stdout.write(`sending ${entry?.id ?? ''}\n`);
        // a pending promise alone does not keep Node running: a timer does, until the parent's SIGKILL
        setInterval(() => undefined, 1000);
        return new Promise(() => undefined);
      },
    },
    defaultSigner: async () => openYamada(),
  });
  const folders = JSON.parse(process.env.FILING_CRASH_FOLDERS ?? '[]') as string[];
  await sender.send(await batchInput(folders));
}

if (childHome) {
  await crashChild(childHome);
} else {
  void describe('一括申請 through the outbox against the sandbox', () => {
    void it('tells each signature and the packing as they happen; a cancel before recording leaves nothing, a cancel after sends anyway', async () => {
      const w = await world();
      const input = await batchInput(w.folders);
      const steps: string[] = [];
      const controller = new AbortController();
      await assert.rejects(
        w.sender.send({
          ...input,
          signal: controller.signal,
          onProgress: (p) => {
            steps.push(p.step === 'sign' ? `sign ${p.done}/${p.total}` : p.step);
            if (p.step === 'sign' && p.done === 1) controller.abort();
          },
        }),
        (e: unknown) => isFilingError(e, 'FILING_CANCELLED'),
      );
      assert.deepEqual(steps, ['sign 0/2', 'sign 1/2']);
      assert.equal(w.outbox.list().length, 0, 'nothing recorded');
      assert.equal(await w.sandboxBatches(), 0, 'nothing sent');

      const done: string[] = [];
      const { entry } = await w.sender.send({ ...input, onProgress: (p) => done.push(p.step === 'sign' ? `sign ${p.done}/${p.total}` : p.step) });
      assert.deepEqual(done, ['sign 0/2', 'sign 1/2', 'pack', 'send']);
      assert.equal(entry.state, 'sent');
      assert.equal(await w.sandboxBatches(), 1);
    });

    void it('sends two applications: 送信番号 stored, followed through the 形式チェック, both 到達番号 stored; the folders untouched', async () => {
      const w = await world();
      const before = w.folders.map((f) => readFileSync(join(f, 'kousei.xml')));
      const input = await batchInput(w.folders);
      const { entry, receipt } = await w.sender.send(input);
      assert.equal(entry.state, 'sent');
      assert.match(receipt.sendNumber, /^\d{18}$/);
      assert.equal(entry.sendNumber, receipt.sendNumber);
      assert.equal(receipt.sendApplyCount, 2);
      assert.deepEqual(entry.folderNames, ['900A010200001000(1)', '900A010002008000(1)'], 'in the order the folders were given');
      assert.equal(entry.applicantNames.length, 2);
      assert.ok(entry.applicantNames.includes('ほげ　ほげ'));
      assert.deepEqual(entry.sourcePaths, w.folders);
      // signing happened in memory: the filer's kousei.xml files are byte for byte as before
      w.folders.forEach((f, i) => assert.ok(readFileSync(join(f, 'kousei.xml')).equals(before[i]!)));

      // the 形式チェック has not run yet: WorkStatus 処理待ち → following
      const pending = await w.follower.followOnce(entry.id);
      assert.equal(pending.state, 'following');
      assert.ok(pending.workStatus);
      assert.equal(await w.t.sandbox.runFormatChecks(), 1);
      const done = await w.follower.followUntilDone(entry.id, { maxWaitMs: 1000 });
      assert.equal(done.state, 'done');
      const apps = w.outbox.applications(entry.id);
      assert.equal(apps.length, 2, 'both applications arrived (the sandbox verified both signatures)');
      assert.deepEqual(done.formatCheck, { normalCount: 2, errorCount: 0, hasErrorFile: false });
      assert.equal(w.outbox.errorFile(entry.id), null);
      for (const a of apps) assert.match(a.arriveId, /^\d{16}$/);
      assert.deepEqual(apps.map((a) => a.procedureFolderName).sort(), ['900A010002008000(1)', '900A010200001000(1)']);
      assert.equal(await w.sandboxBatches(), 1);

      // the recorded bytes are what went out, and their kousei.xml verify against the training CA
      const recorded = await w.outbox.requestBytes(entry.id);
      assert.equal(recorded.byteLength, entry.requestSize);
      assert.match(recorded.toString('utf8'), /<FileName>apply\.zip<\/FileName>/);
    });

    void it('an application the 形式チェック refuses: the counts and the ErrorFile report are kept with the batch', async () => {
      const w = await world();
      // a 再提出 kousei.xml passes the local check (it is well-formed and complete) but e-Gov takes only 新規申請 in a 一括申請
      copyFileSync(join(egovDir, 'samples', '900A010200001000_base_kousei.xml'), join(w.folders[0]!, 'kousei.xml'));
      const { entry } = await w.sender.send(await batchInput(w.folders));
      assert.equal(await w.t.sandbox.runFormatChecks(), 1);
      const done = await w.follower.followUntilDone(entry.id, { maxWaitMs: 1000 });
      assert.equal(done.state, 'done');
      assert.deepEqual(done.formatCheck, { normalCount: 1, errorCount: 1, hasErrorFile: true });
      assert.equal(w.outbox.applications(entry.id).length, 1);
      const report = w.outbox.errorFile(entry.id)?.toString('utf8') ?? '';
      assert.match(report, /<html/i);
      assert.match(report, /900A010200001000\(1\)/);
      assert.match(report, /新規申請/);
    });

    void it('the same data again: refused naming the earlier 送信番号 (even though re-signed), accepted once that number is confirmed', async () => {
      const w = await world();
      const first = await w.sender.send(await batchInput(w.folders));
      w.t.setClock(new Date(w.t.now().getTime() + 60_000));
      const again = await batchInput(w.folders);
      // refused before the signer is even opened: nobody is asked for a PIN for a batch that goes nowhere
      let opened = 0;
      const counting = new BatchSender({
        outbox: w.outbox,
        session: w.session,
        gateway: w.gateway,
        defaultSigner: async () => {
          opened++;
          return openYamada();
        },
      });
      await assert.rejects(
        () => counting.send(again),
        (e: unknown) => isFilingError(e, 'FILING_SAME_DATA_SENT'),
      );
      assert.equal(opened, 0, 'no signer opened for data sent before');
      await assert.rejects(
        () => w.sender.send(again),
        (e: unknown) => {
          assert.ok(isFilingError(e, 'FILING_SAME_DATA_SENT'), String(e));
          assert.ok(e.messageJa.includes(first.receipt.sendNumber), e.messageJa);
          assert.deepEqual(e.detail?.earlierSendNumbers, [first.receipt.sendNumber]);
          return true;
        },
      );
      assert.equal(w.outbox.list().length, 1, 'nothing recorded');
      assert.equal(await w.sandboxBatches(), 1, 'nothing sent');
      // a 社労士's other certificate would give other signed bytes: the content hash is the same
      const second = await w.sender.send({ ...again, signer: openYamada(), confirmedEarlierSends: [first.receipt.sendNumber] });
      assert.equal(second.entry.state, 'sent');
      assert.notEqual(second.receipt.sendNumber, first.receipt.sendNumber);
      assert.equal(second.entry.contentSha256, first.entry.contentSha256);
      assert.notEqual(second.entry.requestSha256, first.entry.requestSha256, 'signed anew');
      assert.equal(await w.sandboxBatches(), 2);
    });

    void it('a dropped connection after the sandbox took the batch: `unknown`, then reconciled to the real 送信番号; never sent twice', async () => {
      const w = await world();
      const proxy = await droppingProxy(w.t);
      const sender = w.senderVia(proxy.baseUrl);
      await assert.rejects(
        async () => sender.send(await batchInput(w.folders)),
        (e: unknown) => {
          assert.ok(isFilingError(e, 'FILING_DELIVERY_UNKNOWN'), String(e));
          assert.match(e.messageJa, /届いたかどうか分かりません/);
          assert.match(e.messageJa, /再送信しません/);
          return true;
        },
      );
      const [entry] = w.outbox.list();
      assert.equal(entry?.state, 'unknown');
      // the same data cannot be recorded while its fate is unknown
      await assert.rejects(async () => w.sender.send(await batchInput(w.folders)), (e: unknown) => isFilingError(e, 'FILING_SAME_DATA_IN_FLIGHT'));

      const report = await recoverOutbox({ outbox: w.outbox, session: w.session, gateway: w.gateway, now: () => w.t.now().getTime() });
      assert.deepEqual(report.interrupted, []);
      assert.equal(report.outcomes.length, 1);
      const outcome = report.outcomes[0]!;
      assert.ok('decision' in outcome, String((outcome as { error?: unknown }).error));
      assert.equal(outcome.decision.kind, 'matched');
      const [real] = await w.session.withAccessKey((k) => w.gateway.listSends(k, { from: jstDay(w.t.now().getTime()), to: jstDay(w.t.now().getTime()) }));
      assert.equal(outcome.entry.state, 'sent');
      assert.equal(outcome.entry.sendNumber, real?.sendNumber);
      assert.equal(applyPosts(proxy), 1, 'one 一括申請 reached the proxy');
      assert.equal(await w.sandboxBatches(), 1, 'one batch at the sandbox');

      await w.t.sandbox.runFormatChecks();
      const done = await w.follower.followOnce(entry.id);
      assert.equal(done.state, 'done');
      assert.equal(w.outbox.applications(entry.id).length, 2);
    });

    void it('a refused connection (nothing sent): `ready` again, then sent from the recorded bytes', async () => {
      const w = await world();
      const port = await closedPort();
      const sender = w.senderVia(`http://127.0.0.1:${port}/shinsei/1/`);
      await assert.rejects(
        async () => sender.send(await batchInput(w.folders)),
        (e: unknown) => {
          assert.ok(isFilingError(e, 'FILING_NOT_SENT'), String(e));
          assert.match(e.messageJa, /届いていません/);
          return true;
        },
      );
      const [entry] = w.outbox.list();
      assert.equal(entry?.state, 'ready');
      assert.equal(entry?.failure?.code, 'EGOV_CONNECTION_FAILED');
      assert.equal(await w.sandboxBatches(), 0);
      const { entry: sent } = await w.sender.sendRecorded(entry.id);
      assert.equal(sent.state, 'sent');
      assert.equal(sent.attemptCount, 2);
      assert.equal(await w.sandboxBatches(), 1);
    });

    void it('a 4xx from the sandbox (too many applications): `failed` with its message; the data may be recorded again', async () => {
      const w = await world({ maxApplications: 1 });
      await assert.rejects(
        async () => w.sender.send(await batchInput(w.folders)),
        (e: unknown) => {
          assert.ok(isFilingError(e, 'FILING_REFUSED'), String(e));
          assert.match(e.messageJa, /受け付けませんでした（HTTP 4\d\d/);
          return true;
        },
      );
      const [entry] = w.outbox.list();
      assert.equal(entry?.state, 'failed');
      assert.equal(entry?.failure?.code, 'EGOV_API_ERROR');
      assert.equal(await w.sandboxBatches(), 0);
      await w.sender.record(await batchInput(w.folders));
      assert.equal(w.outbox.list(['ready']).length, 1);
    });

    void it('refuses data whose check report has errors before signing or recording anything', async () => {
      const w = await world();
      rmSync(join(w.folders[1]!, '900A01000200800001_01.xml'));
      const data = await readApplicationFolders(w.folders);
      const report = await checkApplicationDataInSteps(data);
      assert.ok(report.problems.some((p) => p.code === 'FORM_MISSING' && p.severity === 'error'));
      await assert.rejects(
        () => w.sender.send({ data, report }),
        (e: unknown) => isFilingError(e, 'FILING_CHECK_FAILED') && /送信しません/.test(e.messageJa),
      );
      assert.equal(w.outbox.list().length, 0);
      assert.equal(await w.sandboxBatches(), 0);
    });

    void it('a core host SIGKILLed at `sending`: recovery finds nothing at e-Gov → `ready-for-resend`, then sent once', async () => {
      const home = scratchHome('todoke-filing-crash-');
      const folders = makeBatchFolders(join(home, 'data'));
      const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
        env: { ...process.env, FILING_CRASH_CHILD: home, FILING_CRASH_FOLDERS: JSON.stringify(folders), NODE_TEST_CONTEXT: undefined },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = once(proc, 'exit');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
      let id = '';
      for await (const line of createInterface({ input: proc.stdout })) {
        if (line.startsWith('sending ')) {
          id = line.slice('sending '.length);
          proc.kill('SIGKILL');
          break;
        }
      }
      const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      clearTimeout(timer);
      assert.ok(id, `the child never reached sending: ${stderr}`);
      assert.equal(signal, 'SIGKILL');

      const w = await world({ home });
      assert.equal(w.outbox.get(id)?.state, 'sending');
      const attemptAt = w.outbox.get(id)!.attemptStartedAt!;
      // asked at once, "nothing found" is not trusted yet: the entry stays `unknown`
      const early = await recoverOutbox({ outbox: w.outbox, session: w.session, gateway: w.gateway, now: () => attemptAt + 1000 });
      assert.deepEqual(early.interrupted, [id]);
      assert.equal((early.outcomes[0] as { decision: { kind: string } }).decision.kind, 'too-early');
      assert.equal(w.outbox.get(id)?.state, 'unknown');
      const later = await recoverOutbox({ outbox: w.outbox, session: w.session, gateway: w.gateway, now: () => attemptAt + 6 * 60_000 });
      assert.equal((later.outcomes[0] as { decision: { kind: string } }).decision.kind, 'not-found');
      assert.equal(w.outbox.get(id)?.state, 'ready-for-resend');
      const { entry } = await w.sender.sendRecorded(id);
      assert.equal(entry.state, 'sent');
      assert.equal(await w.sandboxBatches(), 1);
    });
  });

  void describe('how a failure is recorded (scripted session and gateway, no network)', () => {
    async function scripted(withAccessKey: (call: (key: string) => Promise<unknown>) => Promise<unknown>, sendBatch: () => Promise<never>) {
      const home = scratchHome('todoke-filing-map-');
      const store = openStore(home, 'default');
      const outbox = new Outbox(store);
      const gateway = new EgovV1Gateway(new EgovClient({ baseUrl: 'http://127.0.0.1:9/shinsei/1/', softwareId: SOFTWARE_ID }));
      const sender = new BatchSender({
        outbox,
        session: { userId: USER_ID, withAccessKey: withAccessKey as EgovSession['withAccessKey'] },
        gateway: { prepareBatch: (b) => gateway.prepareBatch(b), isCredentialRefusal: (e) => gateway.isCredentialRefusal(e), sendBatch },
        defaultSigner: async () => openYamada(),
      });
      const error = await sender.send(await batchInput(makeBatchFolders(join(home, 'data')))).then(
        () => assert.fail('sent'),
        (e: unknown) => e,
      );
      const [entry] = outbox.list();
      store.close();
      return { error, entry };
    }

    void it('a 5xx answer is not a refusal: `unknown` (e-Gov may hold the batch)', async () => {
      const { error, entry } = await scripted((call) => call('KEY'), () => Promise.reject(serverError(503)));
      assert.ok(isFilingError(error, 'FILING_DELIVERY_UNKNOWN'), String(error));
      assert.equal(entry?.state, 'unknown');
    });

    void it('a login that fails before the batch is handed over: `ready` (nothing left)', async () => {
      const loginFailed = authFailed(400, 'login refused');
      const { error, entry } = await scripted(() => Promise.reject(loginFailed), () => assert.fail('sendBatch must not run'));
      assert.ok(isFilingError(error, 'FILING_NOT_SENT'), String(error));
      assert.equal(entry?.state, 'ready');
    });

    void it('an error that is not an EgovError (a bug) while sending: `unknown`, never `ready`', async () => {
      const { error, entry } = await scripted((call) => call('KEY'), () => Promise.reject(new TypeError('boom')));
      assert.ok(isFilingError(error, 'FILING_DELIVERY_UNKNOWN'), String(error));
      assert.equal(entry?.state, 'unknown');
    });
  });
}

// Integration: 一括申請 through the core's one door (createApp().dispatch), as the 申請 and 送信履歴
// screens call it, against a real in-process sandbox: progress events, the password prompt, the
// batch followed by itself to its 到達番号 (batch.changed), the same data refused until its
// 送信番号 is confirmed, cancellation up to the moment of sending, the ErrorFile report, and bad
// arguments refused at the door.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Envelope } from '../../src/shared/contract.js';
import type { CredentialRequest } from '../../src/shared/domain.js';
import type { BatchDetailView, BatchProgress, BatchView } from '../../src/shared/filing.js';
import { createApp, type App } from '../../src/main/app/create-app.js';
import { checkApplicationDataInSteps } from '../../src/main/application/check.js';
import { readApplicationFolders } from '../../src/main/application/read-folders.js';
import { BatchSender } from '../../src/main/filing/send-batch.js';
import { openPkcs12 } from '../../src/main/signing/file-signer.js';
import { openStore } from '../../src/main/store/db.js';
import { Outbox } from '../../src/main/store/outbox.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { makeBatchFolders } from '../support/application-folders.js';
import { scratchHome } from '../support/home.js';
import { egovDir, repoRoot } from '../support/paths.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const PASSWORD = 'todoke';

let sandbox: SandboxHandle;
before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-sandbox-'), formatCheckDelayMs: 150 });
});
after(async () => {
  await sandbox?.close();
});

interface World {
  app: App;
  home: string;
  folders: string[];
  progress: BatchProgress[];
  changes: BatchView[];
  prompts: CredentialRequest[];
  /** what the next prompts are answered with; null cancels, undefined leaves it open */
  answers: Array<string | null | undefined>;
  close(): void;
}

let ids = 0;

async function world(): Promise<World> {
  const home = scratchHome('todoke-app-filing-');
  const app = createApp({
    host: 'harness',
    version: 'test',
    home,
    sandbox: async () => ({ baseUrl: sandbox.apiBaseUrl, softwareId: sandbox.softwareIds[0] ?? '', caPem: null }),
    follow: { schedule: [50, 100, 200], intervalMs: 200, backoffMaxMs: 400 },
    onUnexpected: (op, e) => {
      throw new Error(`unexpected failure in ${op}: ${String(e)}`);
    },
  });
  const w: World = { app, home, folders: makeBatchFolders(join(home, 'data')), progress: [], changes: [], prompts: [], answers: [], close: () => app.close() };
  app.events.subscribe((event) => {
    if (event.name === 'batch.progress') w.progress.push(event.payload);
    if (event.name === 'batch.changed') w.changes.push(event.payload);
    if (event.name !== 'credential.request') return;
    w.prompts.push(event.payload);
    const answer = w.answers.length ? w.answers.shift() : PASSWORD;
    if (answer === undefined) return;
    setImmediate(() => {
      void app.dispatch('credential.answer', answer === null ? { requestId: event.payload.requestId, cancel: true } : { requestId: event.payload.requestId, secret: answer });
    });
  });
  const p12 = readFileSync(join(pki, 'yamada-taro.p12')).toString('base64');
  await ok(w, 'identity.setup', {
    environment: { kind: 'sandbox' },
    signer: { kind: 'file', fileName: 'yamada-taro.p12', dataBase64: p12, password: PASSWORD },
    userId: `todoke-filing-${process.pid}-${++ids}`,
    mode: 'register',
  });
  worlds.push(w);
  return w;
}

const worlds: World[] = [];
after(() => {
  for (const w of worlds) w.close();
});

async function ok<T>(w: World, name: string, args: unknown = {}): Promise<T> {
  const result = (await w.app.dispatch(name, args)) as Envelope<T>;
  if (!result.ok) assert.fail(`${name} failed: ${result.error.code} ${result.error.messageJa}`);
  return result.value;
}

async function fails(w: World, name: string, args: unknown = {}): Promise<{ code: string; messageJa: string; detail?: Record<string, unknown> }> {
  const result = await w.app.dispatch(name, args);
  assert.equal(result.ok, false, `${name} should fail`);
  return (result as { ok: false; error: { code: string; messageJa: string; detail?: Record<string, unknown> } }).error;
}

let jobs = 0;
const jobId = () => `job-${process.pid}-${++jobs}`;

/** Resolves with the first batch.changed of `entryId` that satisfies `done`. */
async function changeOf(w: World, entryId: string, done: (v: BatchView) => boolean): Promise<BatchView> {
  for (;;) {
    const hit = w.changes.find((v) => v.id === entryId && done(v));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 20));
  }
}

void describe('一括申請 through the core', () => {
  void test('sends two applications: progress check → sign 0/2, 1/2 → pack → send; the password asked once for signing; both arrive by themselves', async () => {
    const w = await world();
    w.prompts.length = 0;
    const id = jobId();
    const sent = await ok<BatchView & { resumed: boolean }>(w, 'batch.send', { jobId: id, paths: w.folders });
    assert.equal(sent.state, 'sent');
    assert.equal(sent.resumed, false);
    assert.match(sent.sendNumber ?? '', /^\d{18}$/);
    assert.equal(sent.applicationCount, 2);
    assert.deepEqual(sent.sourceNames, ['900A010200001000(1)', '900A010002008000(1)']);
    assert.deepEqual(
      w.progress.filter((p) => p.jobId === id).map((p) => (p.step === 'sign' ? `sign ${p.done}/${p.total}` : p.step)),
      ['check', 'sign 0/2', 'sign 1/2', 'pack', 'send'],
    );
    assert.deepEqual(
      w.prompts.map((p) => [p.kind, p.purpose]),
      [['password', 'sign.kousei']],
      'the file password for signing; the login key from set-up is reused',
    );

    const done = await changeOf(w, sent.id, (v) => v.state === 'done');
    assert.equal(done.arrivedCount, 2);
    assert.deepEqual(done.formatCheck, { normalCount: 2, errorCount: 0, hasErrorReport: false });
    const detail = await ok<BatchDetailView>(w, 'batch.get', { entryId: sent.id });
    assert.equal(detail.applications.length, 2);
    for (const a of detail.applications) assert.match(a.arriveId, /^\d{16}$/);
    assert.deepEqual(
      detail.history.map((h) => h.to),
      ['ready', 'sending', 'sent', ...detail.history.slice(3, -1).map(() => 'following'), 'done'],
    );
    const list = await ok<BatchView[]>(w, 'batch.list');
    assert.deepEqual(
      list.map((b) => [b.id, b.state, b.arrivedCount]),
      [[sent.id, 'done', 2]],
    );

    // the same folders again: refused, naming the earlier 送信番号; nothing signed, nothing sent
    w.prompts.length = 0;
    const again = await fails(w, 'batch.send', { jobId: jobId(), paths: w.folders });
    assert.equal(again.code, 'FILING_SAME_DATA_SENT');
    assert.deepEqual(again.detail?.earlierSendNumbers, [sent.sendNumber]);
    assert.match(again.messageJa, new RegExp(sent.sendNumber!));
    assert.equal(w.prompts.length, 0, 'refused before the password is asked');
    // confirmed by its number: sent as a new batch
    const resent = await ok<BatchView>(w, 'batch.send', { jobId: jobId(), paths: w.folders, confirmedEarlierSends: [sent.sendNumber] });
    assert.notEqual(resent.sendNumber, sent.sendNumber);
    assert.deepEqual(
      (await ok<BatchView[]>(w, 'batch.list')).map((b) => b.id),
      [resent.id, sent.id],
      'newest first',
    );
  });

  void test('cancel: while the password is asked the send can be cancelled; nothing is recorded or sent; after `send` it cannot', async () => {
    const w = await world();
    const id = jobId();
    w.answers.push(undefined); // the prompt stays open
    const sending = w.app.dispatch('batch.send', { jobId: id, paths: w.folders });
    while (w.prompts.filter((p) => p.purpose === 'sign.kousei').length === 0) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(await ok(w, 'batch.cancel', { jobId: id }), { cancelled: true });
    // the person then types the password: the signature is not made, nothing recorded
    const prompt = w.prompts.at(-1)!;
    await ok(w, 'credential.answer', { requestId: prompt.requestId, secret: PASSWORD });
    const result = (await sending) as Envelope<unknown>;
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'FILING_CANCELLED');
    assert.deepEqual(await ok(w, 'batch.list'), []);
    assert.deepEqual(await ok(w, 'batch.cancel', { jobId: id }), { cancelled: false }, 'the job is over');

    // cancelling the prompt itself stops the send the same way (the PIN dialog's own cancel)
    w.answers.push(null);
    const cancelledPrompt = await fails(w, 'batch.send', { jobId: jobId(), paths: w.folders });
    assert.equal(cancelledPrompt.code, 'CREDENTIAL_CANCELLED');
    assert.deepEqual(await ok(w, 'batch.list'), []);

    // once the request is being sent, cancel answers false and the batch is sent
    const late = jobId();
    let tried: Promise<Envelope<unknown>> | null = null;
    const unsubscribe = w.app.events.subscribe((e) => {
      if (e.name === 'batch.progress' && e.payload.jobId === late && e.payload.step === 'send') tried = w.app.dispatch('batch.cancel', { jobId: late });
    });
    const sent = await ok<BatchView>(w, 'batch.send', { jobId: late, paths: w.folders });
    unsubscribe();
    assert.equal(sent.state, 'sent');
    assert.deepEqual(((await tried!) as { value: unknown }).value, { cancelled: false });
  });

  void test('an application the 形式チェック refuses: counts and the ErrorFile HTML (decoded) for the 送信履歴 frame', async () => {
    const w = await world();
    copyFileSync(join(egovDir, 'samples', '900A010200001000_base_kousei.xml'), join(w.folders[0]!, 'kousei.xml'));
    const sent = await ok<BatchView>(w, 'batch.send', { jobId: jobId(), paths: w.folders });
    const done = await changeOf(w, sent.id, (v) => v.state === 'done');
    assert.deepEqual(done.formatCheck, { normalCount: 1, errorCount: 1, hasErrorReport: true });
    assert.equal(done.arrivedCount, 1);
    const report = await ok<{ html: string; truncated: boolean }>(w, 'batch.errorReport', { entryId: sent.id });
    assert.equal(report.truncated, false);
    assert.match(report.html, /900A010200001000\(1\)/);
    assert.match(report.html, /新規申請/);
    const none = await ok<BatchView[]>(w, 'batch.list');
    assert.equal(none.length, 1);
  });

  void test('refused at the door: data with check errors, bad ids, a 送信番号 that is not one, a job id used twice', async () => {
    const w = await world();
    // a 申請書 missing: the check refuses before any signature or prompt
    const broken = makeBatchFolders(join(w.home, 'broken'));
    copyFileSync(join(egovDir, 'samples', 'tenpu.txt'), join(broken[1]!, 'extra.txt'));
    const { rmSync } = await import('node:fs');
    rmSync(join(broken[0]!, '900A01020000100001_01.xml'));
    w.prompts.length = 0;
    assert.equal((await fails(w, 'batch.send', { jobId: jobId(), paths: broken })).code, 'FILING_CHECK_FAILED');
    assert.equal(w.prompts.length, 0, 'nothing signed, so nothing asked');

    for (const args of [
      { jobId: 'short', paths: w.folders },
      { jobId: 'a/b/c/d/e/f/g', paths: w.folders },
      { jobId: jobId(), paths: ['relative/path'] },
      { jobId: jobId(), paths: [] },
      { jobId: jobId(), paths: w.folders, confirmedEarlierSends: ['12345'] },
      { jobId: jobId(), paths: w.folders, confirmedEarlierSends: ['2026010110000000０1'] },
      { jobId: jobId(), paths: Array.from({ length: 101 }, () => w.folders[0]) },
    ]) {
      assert.equal((await fails(w, 'batch.send', args)).code, 'INVALID_ARGUMENT', JSON.stringify(args).slice(0, 80));
    }
    for (const op of ['batch.get', 'batch.errorReport', 'batch.refresh', 'batch.resend']) {
      assert.equal((await fails(w, op, { entryId: '../../etc/passwd' })).code, 'INVALID_ARGUMENT');
      assert.equal((await fails(w, op, { entryId: '00000000-0000-4000-8000-000000000000' })).code, 'FILING_NOT_FOUND', op);
    }
    assert.equal((await fails(w, 'batch.settle', { entryId: '00000000-0000-4000-8000-000000000000', decision: { kind: 'maybe' } })).code, 'INVALID_ARGUMENT');

    // two sends under one job id: the second is refused while the first runs
    const id = jobId();
    w.answers.push(undefined);
    const first = w.app.dispatch('batch.send', { jobId: id, paths: w.folders });
    while (!w.prompts.some((p) => p.purpose === 'sign.kousei')) await new Promise((r) => setTimeout(r, 10));
    assert.equal((await fails(w, 'batch.send', { jobId: id, paths: w.folders })).code, 'INVALID_ARGUMENT');
    await ok(w, 'batch.cancel', { jobId: id });
    const prompt = w.prompts.filter((p) => p.purpose === 'sign.kousei').at(-1)!;
    await ok(w, 'credential.answer', { requestId: prompt.requestId, cancel: true });
    assert.equal(((await first) as { ok: boolean }).ok, false);
  });

  void test('a crash left a batch `sending`: the next start marks it unknown and reconciles it (nothing at e-Gov → 再送信可); batch.resend sends it once', async () => {
    const w = await world();
    // what a core killed mid-send leaves: the request recorded, the attempt begun an hour ago, no answer
    const store = openStore(w.home, 'default');
    const outbox = new Outbox(store, { now: () => Date.now() - 3_600_000 });
    const sender = new BatchSender({ outbox, session: await w.app.identity.session(), gateway: await w.app.identity.gateway(), defaultSigner: async () => openPkcs12(readFileSync(join(pki, 'yamada-taro.p12')), PASSWORD) });
    const data = await readApplicationFolders(w.folders);
    const entry = await sender.record({ data, report: await checkApplicationDataInSteps(data) });
    await outbox.beginAttempt(entry.id);
    store.close();
    w.close();

    const again = createApp({
      host: 'harness',
      version: 'test',
      home: w.home,
      sandbox: async () => ({ baseUrl: sandbox.apiBaseUrl, softwareId: sandbox.softwareIds[0] ?? '', caPem: null }),
      follow: { schedule: [50], intervalMs: 100 },
    });
    const changes: BatchView[] = [];
    again.events.subscribe((e) => e.name === 'batch.changed' && changes.push(e.payload));
    worlds.push({ close: () => again.close() } as World);
    await again.started;
    assert.deepEqual(
      changes.map((c) => c.state),
      ['unknown', 'ready-for-resend'],
      'the access key kept from the first run let the reconciliation ask 送信案件一覧 without a prompt',
    );
    const resent = (await again.dispatch('batch.resend', { entryId: entry.id })) as Envelope<BatchView>;
    assert.ok(resent.ok);
    assert.equal(resent.value.state, 'sent');
    assert.equal(resent.value.attemptCount, 2);
    const twice = (await again.dispatch('batch.resend', { entryId: entry.id })) as Envelope<BatchView>;
    assert.equal(!twice.ok && twice.error.code, 'OUTBOX_ILLEGAL_TRANSITION', 'a sent batch is never sent again');
  });

  void test('before set-up: the list is empty and sending says to set up first', async () => {
    const app = createApp({ host: 'harness', version: 'test', home: scratchHome() });
    worlds.push({ close: () => app.close() } as World);
    assert.deepEqual(await app.dispatch('batch.list', {}), { ok: true, value: [] });
    const folders = makeBatchFolders(join(scratchHome(), 'data'));
    const result = (await app.dispatch('batch.send', { jobId: jobId(), paths: folders })) as Envelope<unknown>;
    assert.equal(!result.ok && result.error.code, 'IDENTITY_NOT_SET_UP');
  });
});

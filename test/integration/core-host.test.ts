// The core in a process of its own (src/main/core-host): the web harness's way of running it
// (child_process.fork of the entry Electron starts with utilityProcess). A core that dies mid-call
// fails that call with a typed error and comes back; a core that cannot start is not retried in a
// loop; a PKCS#11 driver that aborts inside C_Sign takes down the core host only, and the host says so.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Envelope, TodokeEvent } from '../../src/shared/contract.js';
import type { CoreStatus, CredentialRequest } from '../../src/shared/domain.js';
import type { ErrorPayload } from '../../src/shared/errors.js';
import { forkCoreHost } from '../../src/main/core-host/fork.js';
import { CoreSupervisor, type SupervisorOptions } from '../../src/main/core-host/supervisor.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { scratchHome } from '../support/home.js';
import { buildCrashModule, crashModuleEnv } from '../support/pkcs11-crash.js';
import { createSoftHsmToken, sandboxTokenUser, type SoftHsmToken } from '../support/softhsm.js';

const PKI = join(import.meta.dirname, '..', '..', 'assets', 'sandbox-pki');
const TOKEN_PIN = '246810';

let sandbox: SandboxHandle;
const supervisors: CoreSupervisor[] = [];

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-core-host-sandbox-') });
});
after(async () => {
  for (const s of supervisors) await s.close();
  await sandbox.close();
});

interface Rig {
  core: CoreSupervisor;
  home: string;
  events: TodokeEvent[];
  spawned: () => number;
  logs: string[];
}

function startCore(options: { env?: NodeJS.ProcessEnv; entry?: string; supervisor?: Partial<SupervisorOptions> } = {}): Rig {
  const home = scratchHome('todoke-core-host-');
  let spawned = 0;
  const fork = forkCoreHost({ ...(options.entry ? { entry: options.entry } : {}), ...(options.env ? { env: options.env } : {}), onStderr: () => undefined });
  const logs: string[] = [];
  const core = new CoreSupervisor({
    spawn: () => {
      spawned += 1;
      return fork();
    },
    config: () => ({ host: 'harness', version: 'test', home, sandbox: true, secrets: { kind: 'file' }, trainingCertificatesDir: PKI }),
    services: { sandboxEndpoint: async () => ({ baseUrl: sandbox.apiBaseUrl, softwareId: sandbox.softwareIds[0] ?? '', caPem: null }) },
    log: (line) => logs.push(line),
    ...options.supervisor,
  });
  supervisors.push(core);
  const events: TodokeEvent[] = [];
  core.events.subscribe((e) => events.push(e));
  core.start();
  return { core, home, events, spawned: () => spawned, logs };
}

async function ok<T>(core: CoreSupervisor, op: string, args: unknown = {}): Promise<T> {
  const reply = await core.dispatch(op, args);
  if (!reply.ok) assert.fail(`${op} failed: ${reply.error.code} ${reply.error.message}`);
  return reply.value as T;
}

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function credentialRequests(rig: Rig): CredentialRequest[] {
  return rig.events.filter((e): e is Extract<TodokeEvent, { name: 'credential.request' }> => e.name === 'credential.request').map((e) => e.payload);
}

let userCounter = 0;
const newUserId = () => `corehost${process.pid}x${++userCounter}`;

void describe('the core host process', () => {
  void test('serves the contract as the in-process core does, validating arguments there', async () => {
    const rig = startCore();
    assert.deepEqual(await ok(rig.core, 'app.info'), { version: 'test', platform: process.platform, host: 'harness' });
    const bad = await rig.core.dispatch('app.info', { extra: 1 });
    assert.equal(bad.ok, false);
    assert.equal((bad as { error: ErrorPayload }).error.code, 'INVALID_ARGUMENT');
    const unknown = await rig.core.dispatch('no.such.operation', {});
    assert.equal((unknown as { error: ErrorPayload }).error.code, 'UNKNOWN_OPERATION');
    assert.equal((await ok<CoreStatus>(rig.core, 'core.status')).state, 'running');
  });

  void test('killed during a login that waits for a password: the call fails with CORE_CRASHED, the prompt is withdrawn, the next login works, the profile is intact', async () => {
    const rig = startCore();
    const userId = newUserId();
    const file = readFileSync(join(PKI, 'yamada-taro.p12')).toString('base64');
    await ok(rig.core, 'identity.setup', { environment: { kind: 'sandbox' }, signer: { kind: 'file', fileName: 'yamada-taro.p12', dataBase64: file, password: 'todoke' }, userId, mode: 'register' });
    const profileBefore = readFileSync(join(rig.home, 'profiles', 'default', 'profile.json'), 'utf8');

    const login = rig.core.dispatch('identity.login', {});
    const request = await until('a password request', () => credentialRequests(rig).at(-1));
    const pid = rig.core.pid;
    assert.ok(pid);
    process.kill(pid, 'SIGKILL');
    const failed = await login;
    assert.equal(failed.ok, false);
    const error = (failed as { error: ErrorPayload }).error;
    assert.equal(error.code, 'CORE_CRASHED');
    assert.match(error.messageJa, /異常終了/);
    assert.ok(rig.events.some((e) => e.name === 'credential.withdrawn' && e.payload.requestId === request.requestId), 'the dead prompt is withdrawn');
    assert.ok(rig.events.some((e) => e.name === 'app.notice' && e.payload.code === 'CORE_CRASHED'));

    // the next operation waits for the new process and works
    const again = rig.core.dispatch('identity.login', {});
    const second = await until('a second password request', () => credentialRequests(rig).find((r) => r.requestId !== request.requestId));
    assert.deepEqual(await ok(rig.core, 'credential.answer', { requestId: second.requestId, secret: 'todoke' }), { accepted: true });
    const view = (await again) as Envelope<{ userId: string }>;
    assert.ok(view.ok);
    assert.equal(view.value.userId, userId);
    const status = await ok<CoreStatus>(rig.core, 'core.status');
    assert.equal(status.state, 'running');
    assert.equal(status.restarts, 1);
    const profileAfter = JSON.parse(readFileSync(join(rig.home, 'profiles', 'default', 'profile.json'), 'utf8')) as { userId: string; certificatePem: string };
    assert.equal(profileAfter.userId, userId);
    assert.equal(profileAfter.certificatePem, (JSON.parse(profileBefore) as { certificatePem: string }).certificatePem);
    assert.ok(existsSync(join(rig.home, 'profiles', 'default', 'secrets.json')), 'the access key is kept');
  });

  void test('a core that keeps dying is restarted after a growing pause', async () => {
    // a clock that stands still: the pauses read from nextStartAt are exactly the ones chosen
    const T0 = Date.parse('2026-11-30T00:00:00Z');
    const rig = startCore({ supervisor: { backoffMs: 300, maxBackoffMs: 500, healthyAfterMs: 60_000, now: () => T0 } });
    await ok(rig.core, 'app.info');
    const pauses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const pid = rig.core.pid;
      assert.ok(pid);
      process.kill(pid, 'SIGKILL');
      const restarting = await until('restarting', () =>
        rig.events.find((e): e is Extract<TodokeEvent, { name: 'core.status' }> => e.name === 'core.status' && e.payload.restarts === i + 1 && e.payload.nextStartAt !== null),
      );
      pauses.push(Date.parse(restarting.payload.nextStartAt ?? '') - T0);
      await ok(rig.core, 'app.info');
    }
    assert.equal(rig.spawned(), 4);
    assert.deepEqual(pauses, [0, 300, 500], 'at once, then a pause that doubles up to the most');
  });

  void test('an entry that does not exist: failed with a reason, no restart loop, calls refused until a retry', async () => {
    const rig = startCore({ entry: join(scratchHome(), 'no-such-entry.js') });
    const status = await until('failed', () => (rig.core.status.state === 'failed' ? rig.core.status : null));
    assert.equal(status.problem?.code, 'CORE_START_FAILED');
    assert.match(status.problem?.messageJa ?? '', /再試行/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(rig.spawned(), 1, 'not retried by itself');
    const refused = await rig.core.dispatch('app.info', {});
    assert.equal((refused as { error: ErrorPayload }).error.code, 'CORE_UNAVAILABLE');
    const retried = await ok<CoreStatus>(rig.core, 'core.restart');
    assert.equal(retried.state, 'starting');
    await until('failed again', () => rig.core.status.state === 'failed');
    assert.equal(rig.spawned(), 2);
  });

  void test('an entry that crashes while starting: failed, not looped', async () => {
    const dir = scratchHome();
    const entry = join(dir, 'crash-at-start.mjs');
    writeFileSync(entry, "throw new Error('broken install');\n");
    const rig = startCore({ entry });
    await until('failed', () => rig.core.status.state === 'failed');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(rig.spawned(), 1);
    assert.ok(rig.logs.some((l) => /stopped while starting \(exit code 1\)/.test(l)));
  });

  void test('an entry that never says it is ready is stopped after the start timeout', async () => {
    const dir = scratchHome();
    const entry = join(dir, 'silent.mjs');
    writeFileSync(entry, 'process.on("message", () => {}); setInterval(() => {}, 1000);\n');
    const rig = startCore({ entry, supervisor: { startTimeoutMs: 400 } });
    const status = await until('failed', () => (rig.core.status.state === 'failed' ? rig.core.status : null));
    assert.match(status.problem?.message ?? '', /did not become ready in time/);
  });

  void test('a core host answering with messages that are not ours: refused and logged without their content', async () => {
    const dir = scratchHome();
    const entry = join(dir, 'chatty.mjs');
    writeFileSync(
      entry,
      [
        'process.on("message", (m) => {',
        '  if (m.t !== "init") { process.send({ t: "result", id: m.id, reply: { ok: true, value: "fine" } }); return; }',
        '  process.send({ t: "event", event: { name: "no.such.event", payload: { pin: "SECRET-1234" } } });',
        '  process.send({ t: "result", id: "x", reply: { ok: true, value: "SECRET-1234" } });',
        '  process.send("SECRET-1234");',
        '  process.send({ t: "ready" });',
        '});',
      ].join('\n'),
    );
    const rig = startCore({ entry });
    assert.equal(await ok(rig.core, 'app.info'), 'fine');
    assert.equal(rig.logs.filter((l) => l.includes('refused a malformed message')).length, 3);
    assert.ok(rig.logs.every((l) => !l.includes('SECRET')), 'content is never logged');
    assert.ok(!rig.events.some((e) => (e.name as string) === 'no.such.event'));
  });
});

void describe('a PKCS#11 driver that aborts inside C_Sign', () => {
  let token: SoftHsmToken;
  let modulePath: string;
  before(() => {
    modulePath = buildCrashModule();
    token = createSoftHsmToken({ label: 'Crash Card', pin: TOKEN_PIN, objects: [sandboxTokenUser()] });
  });
  after(() => token.cleanup());

  void test('kills only the core host; the host reports the driver, and the core works again', async () => {
    const rig = startCore({ env: { ...process.env, ...crashModuleEnv(token) } });
    // listing needs no signature: the module loads and forwards
    const tokens = await ok<Array<{ serial: string }>>(rig.core, 'pkcs11.tokens', { modulePath });
    assert.ok(tokens.some((t) => t.serial === token.serial));

    const setup = rig.core.dispatch('identity.setup', {
      environment: { kind: 'sandbox' },
      signer: { kind: 'pkcs11', modulePath, tokenSerial: token.serial, certId: '01' },
      userId: newUserId(),
      mode: 'register',
    });
    const pin = await until('a PIN request', () => credentialRequests(rig).at(-1));
    // the answer's own call may be the one in flight when the driver aborts: its reply is not the point here
    void rig.core.dispatch('credential.answer', { requestId: pin.requestId, secret: TOKEN_PIN });
    const reply = await setup;
    assert.equal(reply.ok, false);
    const error = (reply as { error: ErrorPayload }).error;
    assert.equal(error.code, 'PKCS11_DRIVER_CRASHED');
    assert.match(error.messageJa, /^IC カードのドライバーが異常終了しました/);
    assert.match(error.message, /C_Sign/);
    const notice = rig.events.find((e) => e.name === 'app.notice' && e.payload.code === 'PKCS11_DRIVER_CRASHED');
    assert.ok(notice, 'the window is told');
    // this test process (the host) is alive, and the restarted core answers
    assert.deepEqual(await ok(rig.core, 'identity.status'), { identity: null, sandboxAvailable: true });
    assert.equal(rig.core.status.restarts, 1);
  });
});

// The sandbox as a long-lived program: state that survives a restart (users, certificates, access
// keys with their expiry, last authentication), the bundled Todoke Sandbox Test CA as the default
// trust anchor, HTTPS with a CA made once per data folder, and the two ways to run it
// (`todoke sandbox`, `npm run sandbox`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openPkcs12 } from '../../src/main/signing/file-signer.js';
import { sandboxCommand } from '../../src/main/cli/commands/sandbox.js';
import { SCHEMA_VERSION } from '../../src/sandbox/state/migrations.js';
import { openSqlite } from '../../src/sandbox/state/sqlite.js';
import { recordedDir, repoRoot } from '../support/paths.js';
import { item, PATHS, post, rawRequest, removeDir, signedBody, SOFTWARE_ID, startTestSandbox, tempDataDir } from './sandbox-support.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const yamada = openPkcs12(readFileSync(join(pki, 'yamada-taro.p12')), 'todoke');
const yamadaRenewed = openPkcs12(readFileSync(join(pki, 'yamada-taro-renewed.p12')), 'todoke');
const suzuki = openPkcs12(readFileSync(join(pki, 'suzuki-hanako.p12')), 'todoke');

const dirs: string[] = [];
function dataDir(): string {
  const d = tempDataDir();
  dirs.push(d);
  return d;
}
after(() => dirs.forEach(removeDir));

void describe('sandbox restart', () => {
  void it('keeps users, certificates, access keys (and their expiry) and the last authentication across a restart', async () => {
    const dir = dataDir();
    let t = await startTestSandbox({ dataDir: dir, keyTtlSeconds: 7200, at: '2026-05-01T09:00:00+09:00' });
    assert.equal((await post(t, PATHS.register, await signedBody(yamada, 'yamada01'))).status, 201);
    const first = await post(t, PATHS.login, await signedBody(yamada, 'yamada01'));
    assert.equal(first.status, 200, first.text);
    const key = item(first.text, 'AccessKey')!;
    await t.close();

    t = await startTestSandbox({ dataDir: dir, keyTtlSeconds: 7200, at: '2026-05-01T10:00:00+09:00' });
    assert.equal(t.sandbox.resolveAccessKey(key), 'yamada01');
    const again = await post(t, PATHS.register, await signedBody(yamada, 'yamada01'));
    assert.equal(again.status, 400);
    assert.equal(item(again.text, 'Message'), '該当する利用者IDと証明書の情報は、既に登録されています。');
    const second = await post(t, PATHS.login, await signedBody(yamada, 'yamada01'));
    assert.equal(item(second.text, 'LastAuthenticationDate'), '20260501090000');
    const update = await post(t, PATHS.update, await signedBody(yamadaRenewed, 'yamada01', { name: 'X509Certificate', base64: yamada.certificate.raw.toString('base64') }));
    assert.equal(update.status, 200, update.text);
    await t.close();

    // the key was issued for 7200 s at 09:00; a restart with a shorter TTL does not shorten it
    t = await startTestSandbox({ dataDir: dir, keyTtlSeconds: 60, at: '2026-05-01T10:59:59+09:00' });
    assert.equal(t.sandbox.resolveAccessKey(key), 'yamada01');
    t.setClock('2026-05-01T11:00:00+09:00');
    assert.equal(t.sandbox.resolveAccessKey(key), null);
    const third = await post(t, PATHS.login, await signedBody(yamadaRenewed, 'yamada01'));
    assert.equal(item(third.text, 'LastAuthenticationDate'), '20260501100000');
    assert.equal((await post(t, PATHS.login, await signedBody(yamada, 'yamada01'))).status, 400, 'the replaced certificate stays replaced');
    await t.close();
  });

  void it('trusts the bundled Todoke Sandbox Test CA by default, and only what it is told besides', async () => {
    const t = await startTestSandbox({ at: '2026-05-02T09:00:00+09:00' });
    try {
      assert.equal(t.sandbox.trustAnchors.length, 1);
      assert.match(t.sandbox.trustAnchors[0]!.subject, /Todoke サンドボックス テスト認証局/);
      assert.equal((await post(t, PATHS.register, await signedBody(suzuki, 'suzuki01'))).status, 201);
      // the recorded e-Gov request, at its own time: validly signed, but not by a CA this sandbox trusts
      t.setClock('2015-04-28T11:45:07+09:00');
      const egov = await post(t, PATHS.register, readFileSync(join(recordedDir, 'register', 'request.xml')));
      assert.equal(egov.status, 400);
      assert.match(item(egov.text, 'Message')!, /信頼する認証局/);
    } finally {
      await t.close();
    }
  });

  void it('runs its database in WAL mode at the latest migration and never writes an access key in clear', async () => {
    const dir = dataDir();
    const t = await startTestSandbox({ dataDir: dir });
    await post(t, PATHS.register, await signedBody(suzuki, 'suzuki02'));
    const key = item((await post(t, PATHS.login, await signedBody(suzuki, 'suzuki02'))).text, 'AccessKey')!;
    const db = openSqlite(join(dir, 'sandbox.sqlite'));
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    } finally {
      db.close();
    }
    await t.close();
    const files = readdirSync(dir).filter((f) => f.startsWith('sandbox.sqlite'));
    assert.ok(files.includes('sandbox.sqlite'));
    for (const f of files) {
      const bytes = readFileSync(join(dir, f)).toString('latin1');
      assert.ok(!bytes.includes(key.slice(0, 64)), `${f} holds the key`);
    }
  });
});

void describe('sandbox over HTTPS', () => {
  void it('makes a CA and server certificate at first start, serves with them, and keeps the CA across restarts', async () => {
    const dir = dataDir();
    let t = await startTestSandbox({ dataDir: dir, https: true });
    assert.ok(t.sandbox.url.startsWith('https://127.0.0.1:'));
    const ca = t.sandbox.tlsCaPem!;
    assert.match(ca, /BEGIN CERTIFICATE/);
    assert.equal(readFileSync(t.sandbox.tlsCaPath!, 'utf8'), ca);
    const res = await post(t, PATHS.register, await signedBody(suzuki, 'suzuki03'));
    assert.equal(res.status, 201);
    await assert.rejects(
      rawRequest(t.sandbox.url, PATHS.register, { body: 'x', headers: { 'x-eGovAPI-SoftwareID': SOFTWARE_ID } }),
      (e: NodeJS.ErrnoException) => /SELF_SIGNED|UNABLE_TO_VERIFY|unable to verify/i.test(`${e.code} ${e.message}`),
    );
    await t.close();
    t = await startTestSandbox({ dataDir: dir, https: true });
    assert.equal(t.sandbox.tlsCaPem, ca);
    assert.equal((await post(t, PATHS.login, await signedBody(suzuki, 'suzuki03'))).status, 200);
    await t.close();
  });
});

function captureIo() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: (s: string) => (out.stdout += s),
    stderr: (s: string) => (out.stderr += s),
    env: {} as Record<string, string | undefined>,
    cwd: repoRoot,
    promptSecret: async () => null,
    now: () => new Date(),
  };
  return { io, out };
}

async function waitFor(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !predicate(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(predicate(), 'timed out');
}

void describe('todoke sandbox', () => {
  void it('runs until aborted, with flags and <data>/sandbox.json (flags win), printing where it listens', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'sandbox.json'), JSON.stringify({ 'software-id': ['FROMCONFIG01'], 'key-ttl': 120, clock: '2026-05-03T09:00:00+09:00' }));
    const { io, out } = captureIo();
    const stop = new AbortController();
    const running = sandboxCommand(['--port', '0', '--data', dir, '--clock', '2026-05-04T09:00:00+09:00'], io, { signal: stop.signal });
    await waitFor(() => out.stdout.includes('/shinsei/1/'));
    const base = /(http:\/\/127\.0\.0\.1:\d+)\/shinsei\/1\//.exec(out.stdout)![1]!;
    assert.match(out.stdout, /FROMCONFIG01/);
    assert.match(out.stdout, /2026-05-04T00:00:00\.000Z/);
    const reg = await rawRequest(base, PATHS.register, { body: await signedBody(suzuki, 'cli01'), headers: { 'x-eGovAPI-SoftwareID': 'FROMCONFIG01' } });
    assert.equal(reg.status, 201, reg.text);
    assert.equal(reg.headers.date, 'Mon, 04 May 2026 00:00:00 GMT');
    stop.abort();
    assert.equal(await running, 0);
    assert.match(out.stdout, /POST \/shinsei\/1\/authentication\/user 201/);
    assert.match(out.stdout, /終了しました/);
  });

  void it('refuses bad flags and a bad sandbox.json with exit code 2 and a Japanese message', async () => {
    for (const args of [['--port', 'x'], ['--nope'], ['--clock', '2015-04-28'], ['--key-ttl', '0'], ['--trust', '/nonexistent/ca.pem', '--port', '0']]) {
      const { io, out } = captureIo();
      assert.equal(await sandboxCommand([...args, '--data', dataDir()], io), 2, args.join(' '));
      assert.match(out.stderr, /^エラー \[SANDBOX_/);
    }
    const dir = dataDir();
    writeFileSync(join(dir, 'sandbox.json'), '{"prot": 1}');
    const { io, out } = captureIo();
    assert.equal(await sandboxCommand(['--data', dir], io), 2);
    assert.match(out.stderr, /不明な設定項目 "prot"/);
  });

  void it('tls-ca prints the CA certificate HTTPS clients must trust, the same one the server then uses', async () => {
    const dir = dataDir();
    const { io, out } = captureIo();
    assert.equal(await sandboxCommand(['tls-ca', '--data', dir], io), 0);
    assert.match(out.stdout, /^-----BEGIN CERTIFICATE-----/);
    const t = await startTestSandbox({ dataDir: dir, https: true });
    try {
      assert.equal(t.sandbox.tlsCaPem, out.stdout);
    } finally {
      await t.close();
    }
  });

  void it('npm run sandbox (src/sandbox/main.ts) serves and stops cleanly on SIGTERM', async () => {
    const dir = dataDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'sandbox', 'main.ts'), '--port', '0', '--data', dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => stdout.includes('/shinsei/1/') || child.exitCode !== null);
      const base = /(http:\/\/127\.0\.0\.1:\d+)\/shinsei\/1\//.exec(stdout)?.[1];
      assert.ok(base, `${stdout}\n${stderr}`);
      const res = await rawRequest(base, '/shinsei/1/access/bank', { method: 'GET', headers: { 'x-eGovAPI-SoftwareID': SOFTWARE_ID } });
      assert.equal(res.status, 401);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr);
    assert.match(stdout, /終了しました/);
  });
});

// Integration: the identity operations of the contract, through the core's dispatcher (the same
// door Electron IPC and the harness use), against a real sandbox, a real SoftHSM2 token and the
// bundled test certificates. PINs and passwords arrive as answers to credential.request events.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Envelope } from '../../src/shared/contract.js';
import type { CredentialRequest, IdentityStatus, IdentityView } from '../../src/shared/domain.js';
import { createApp, type App, type AppDeps } from '../../src/main/app/create-app.js';
import { SealedSecretStore } from '../../src/main/profiles/secret-store.js';
import { openStore } from '../../src/main/store/db.js';
import { isStoreEntry } from '../../src/main/store/files.js';
import { aesStringCipher } from '../support/aes-cipher.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';
import { createSoftHsmToken, type SoftHsmToken, sandboxTokenUser } from '../support/softhsm.js';
import { startFaultServer } from '../support/fault-server.js';
import { isRegisteredButLoginFailed } from '../../src/shared/errors.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const file = (name: string) => ({ fileName: name, dataBase64: readFileSync(join(pki, name)).toString('base64') });
const PASSWORD = 'todoke';
const TOKEN_PIN = '246810';

let sandbox: SandboxHandle;
let token: SoftHsmToken;

before(async () => {
  token = createSoftHsmToken({
    label: 'Todoke IC',
    pin: TOKEN_PIN,
    objects: [sandboxTokenUser()],
  });
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-sandbox-') });
});

after(async () => {
  await sandbox?.close();
  token?.cleanup();
});

/** An answer that never comes: the prompt is left open. */
const IGNORE = '\u0000ignore';

interface Harnessed {
  app: App;
  home: string;
  requests: CredentialRequest[];
  /** answers for the next prompts, in order; null cancels */
  answers: Array<string | null>;
  events: string[];
}

function makeApp(options: { home?: string; sandbox?: boolean; secrets?: AppDeps['secrets']; credentialTimeoutMs?: number } = {}): Harnessed {
  const home = options.home ?? scratchHome();
  const app = createApp({
    host: 'harness',
    version: 'test',
    home,
    ...(options.credentialTimeoutMs !== undefined ? { credentialTimeoutMs: options.credentialTimeoutMs } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    trainingCertificatesDir: pki,
    ...(options.sandbox === false ? {} : { sandbox: async () => ({ baseUrl: sandbox.apiBaseUrl, softwareId: sandbox.softwareIds[0] ?? '', caPem: null }) }),
    onUnexpected: (op, e) => {
      throw new Error(`unexpected failure in ${op}: ${String(e)}`);
    },
  });
  const h: Harnessed = { app, home, requests: [], answers: [], events: [] };
  app.events.subscribe((event) => {
    h.events.push(event.name);
    if (event.name !== 'credential.request') return;
    h.requests.push(event.payload);
    const answer = h.answers.shift();
    if (answer === IGNORE) return; // nobody at the screen
    // answered asynchronously, as a window would
    setImmediate(() => {
      void app.dispatch('credential.answer', answer === null || answer === undefined ? { requestId: event.payload.requestId, cancel: true } : { requestId: event.payload.requestId, secret: answer });
    });
  });
  return h;
}

async function ok<T>(h: Harnessed, name: string, args: unknown = {}): Promise<T> {
  const result = (await h.app.dispatch(name, args)) as Envelope<T>;
  if (!result.ok) assert.fail(`${name} failed: ${result.error.code} ${result.error.messageJa}`);
  return result.value;
}

async function fails(h: Harnessed, name: string, args: unknown = {}): Promise<{ code: string; messageJa: string }> {
  const result = await h.app.dispatch(name, args);
  assert.equal(result.ok, false, `${name} should fail`);
  return (result as { ok: false; error: { code: string; messageJa: string } }).error;
}

let ids = 0;
const newUserId = () => `todoke-it-${process.pid}-${++ids}`;

function setupWithFile(userId: string, name = 'yamada-taro.p12', mode: 'register' | 'login' = 'register') {
  return { environment: { kind: 'sandbox' }, signer: { kind: 'file', ...file(name), password: PASSWORD }, userId, mode };
}

void describe('identity through the core (certificate file)', () => {
  void test('status before set-up: no identity, sandbox available', async () => {
    const h = makeApp();
    const status = await ok<IdentityStatus>(h, 'identity.status');
    assert.deepEqual(status, { identity: null, sandboxAvailable: true });
    assert.equal((await fails(h, 'identity.login')).code, 'IDENTITY_NOT_SET_UP');
  });

  void test('register + login, profile on disk without secrets, key kept owner-only and honoured by the sandbox', async () => {
    const h = makeApp();
    const userId = newUserId();
    const view = await ok<IdentityView>(h, 'identity.setup', setupWithFile(userId));
    assert.equal(view.userId, userId);
    assert.equal(view.environment.kind, 'sandbox');
    assert.equal(view.environment.baseUrl, sandbox.apiBaseUrl);
    assert.deepEqual(view.signer, { kind: 'file', fileName: 'yamada-taro.p12' });
    assert.match(view.certificate.certificate.commonName, /山田/);
    assert.equal(view.key.held, true);
    assert.equal(view.key.persisted, true);
    assert.ok(view.lastAuthentication);
    assert.equal(h.requests.length, 0, 'the password typed in the form is used; no prompt');

    const profileDir = join(h.home, 'profiles', 'default');
    const profileText = readFileSync(join(profileDir, 'profile.json'), 'utf8');
    assert.doesNotMatch(profileText, /todoke"|password|accessKey/i);
    assert.equal(statSync(profileDir).mode & 0o777, 0o700);
    assert.equal(statSync(join(profileDir, 'profile.json')).mode & 0o777, 0o600);
    const secrets = JSON.parse(readFileSync(join(profileDir, 'secrets.json'), 'utf8')) as { accessKey: string };
    assert.equal(statSync(join(profileDir, 'secrets.json')).mode & 0o777, 0o600);
    const stored = JSON.parse(secrets.accessKey) as { accessKey: string };
    assert.equal(sandbox.resolveAccessKey(stored.accessKey), userId);
    // the chosen file is kept as a copy, owner-only
    const copies = readdirSync(join(profileDir, 'certificates'));
    assert.equal(copies.length, 1);
    assert.equal(statSync(join(profileDir, 'certificates', copies[0] ?? '')).mode & 0o777, 0o600);

    // a new core on the same home (the app restarted) sees the identity and the stored key
    const again = makeApp({ home: h.home });
    const status = await ok<IdentityStatus>(again, 'identity.status');
    assert.equal(status.identity?.userId, userId);
    assert.equal(status.identity?.key.held, true);
    assert.equal(status.identity?.key.persisted, true);
  });

  void test('login asks for the file password; a wrong one is asked again with BAD_PASSWORD, cancel stops', async () => {
    const h = makeApp();
    const userId = newUserId();
    await ok(h, 'identity.setup', setupWithFile(userId));
    const before = readFileSync(join(h.home, 'profiles', 'default', 'profile.json'), 'utf8');
    h.answers.push('wrong', PASSWORD);
    const loginStarted = Date.now();
    const view = await ok<IdentityView>(h, 'identity.login');
    // when THIS app logged in, not e-Gov's previous authentication
    assert.ok(Date.parse(view.lastAuthentication?.loggedInAt ?? '') >= loginStarted);
    assert.equal(h.requests.length, 2);
    assert.deepEqual(
      h.requests.map((r) => [r.kind, r.subject, r.attempt, r.previousError, r.purpose]),
      [
        ['password', 'yamada-taro.p12', 1, null, 'login'],
        ['password', 'yamada-taro.p12', 2, 'BAD_PASSWORD', 'login'],
      ],
    );
    assert.notEqual(view.lastAuthentication?.lastAuthenticationDate, '', 'the second login reports the first one');
    assert.ok(h.events.includes('identity.changed'));
    assert.equal(h.app.credentials.pending, 0);

    h.answers.push(null);
    const cancelled = await fails(h, 'identity.login');
    assert.equal(cancelled.code, 'CREDENTIAL_CANCELLED');
    assert.match(cancelled.messageJa, /取り消され/);
    assert.ok(existsSync(join(h.home, 'profiles', 'default', 'profile.json')));
    assert.notEqual(before, '', 'profile still there after a cancelled login');
  });

  void test('registering an ID that exists shows the sandbox message and keeps no profile', async () => {
    const h = makeApp();
    const userId = newUserId();
    await ok(h, 'identity.setup', setupWithFile(userId));
    const other = makeApp();
    const error = await fails(other, 'identity.setup', setupWithFile(userId));
    assert.equal(error.code, 'EGOV_API_ERROR');
    assert.match(error.messageJa, /既に登録されています/);
    assert.equal((await ok<IdentityStatus>(other, 'identity.status')).identity, null);
    assert.equal(existsSync(join(other.home, 'profiles', 'default', 'certificates')) ? readdirSync(join(other.home, 'profiles', 'default', 'certificates')).length : 0, 0);
  });

  void test('logging in with an existing ID (mode login) on a second computer', async () => {
    const first = makeApp();
    const userId = newUserId();
    await ok(first, 'identity.setup', setupWithFile(userId));
    const second = makeApp();
    const view = await ok<IdentityView>(second, 'identity.setup', setupWithFile(userId, 'yamada-taro.p12', 'login'));
    assert.equal(view.userId, userId);
    assert.equal(view.key.held, true);
    const unknown = await fails(makeApp(), 'identity.setup', setupWithFile(newUserId(), 'yamada-taro.p12', 'login'));
    assert.match(unknown.code, /^EGOV_/);
  });

  void test('a wrong password in the set-up form fails before anything is sent', async () => {
    const h = makeApp();
    const error = await fails(h, 'identity.setup', { ...setupWithFile(newUserId()), signer: { kind: 'file', ...file('yamada-taro.p12'), password: 'nope' } });
    assert.equal(error.code, 'BAD_PASSWORD');
    assert.equal((await ok<IdentityStatus>(h, 'identity.status')).identity, null);
  });

  void test('certificate add, delete, update, then login with the new certificate', async () => {
    const h = makeApp();
    const userId = newUserId();
    await ok(h, 'identity.setup', setupWithFile(userId));

    h.answers.push(PASSWORD);
    const added = await ok<{ certificate: { certificate: { commonName: string } } }>(h, 'identity.certificate.add', { certificate: file('suzuki-hanako.cert.pem') });
    assert.match(added.certificate.certificate.commonName, /鈴木/);
    assert.equal(h.requests.at(-1)?.purpose, 'certificate.add');

    // the second certificate can log in now: a second computer using it
    const suzuki = await ok<IdentityView>(makeApp(), 'identity.setup', setupWithFile(userId, 'suzuki-hanako.p12', 'login'));
    assert.equal(suzuki.userId, userId);

    h.answers.push(PASSWORD);
    await ok(h, 'identity.certificate.delete', { certificate: { ...file('suzuki-hanako.p12'), password: PASSWORD } });
    const refused = await fails(makeApp(), 'identity.setup', setupWithFile(userId, 'suzuki-hanako.p12', 'login'));
    assert.match(refused.code, /^EGOV_/);

    const own = await fails(h, 'identity.certificate.delete', { certificate: file('yamada-taro.cert.pem') });
    assert.equal(own.code, 'CERTIFICATE_NOT_ACCEPTED');

    const updated = await ok<{ identity: IdentityView; certificate: { certificate: { fingerprintSha256: string } } }>(h, 'identity.certificate.update', {
      signer: { kind: 'file', ...file('yamada-taro-renewed.p12'), password: PASSWORD },
    });
    const renewed = new X509Certificate(readFileSync(join(pki, 'yamada-taro-renewed.cert.pem')));
    assert.equal(updated.identity.certificate.certificate.fingerprintSha256, updated.certificate.certificate.fingerprintSha256);
    assert.equal(updated.identity.signer.kind === 'file' && updated.identity.signer.fileName, 'yamada-taro-renewed.p12');
    assert.equal(updated.identity.certificate.certificate.serialNumber, renewed.serialNumber);
    // only the renewed file's copy is left
    assert.equal(readdirSync(join(h.home, 'profiles', 'default', 'certificates')).length, 1);

    h.answers.push(PASSWORD);
    const after = await ok<IdentityView>(h, 'identity.login');
    assert.equal(h.requests.at(-1)?.subject, 'yamada-taro-renewed.p12');
    assert.equal(after.key.held, true);
    // the old certificate no longer logs in
    const old = await fails(makeApp(), 'identity.setup', setupWithFile(userId, 'yamada-taro.p12', 'login'));
    assert.match(old.code, /^EGOV_/);
  });

  void test('without a safe secret store the key is held for this run only, and still used', async () => {
    const plaintextOnly: AppDeps['secrets'] = (dir) => new SealedSecretStore(dir, { ...aesStringCipher(), isEncryptionAvailable: () => true, backend: () => 'basic_text' });
    const h = makeApp({ secrets: plaintextOnly });
    const view = await ok<IdentityView>(h, 'identity.setup', setupWithFile(newUserId()));
    assert.deepEqual([view.key.held, view.key.persisted], [true, false]);
    assert.deepEqual([(await ok<IdentityStatus>(h, 'identity.status')).identity?.key.held], [true]);
    h.answers.push(PASSWORD);
    const again = await ok<IdentityView>(h, 'identity.login');
    assert.deepEqual([again.key.held, again.key.persisted], [true, false]);
    assert.deepEqual(readdirSync(join(h.home, 'profiles', 'default')).filter((n) => n.startsWith('secrets')), []);
    // the next run starts without a key
    const restarted = await ok<IdentityStatus>(makeApp({ home: h.home, secrets: plaintextOnly }), 'identity.status');
    assert.equal(restarted.identity?.key.held, false);
  });

  void test('a certificate file replaced in place: the login that succeeds with it updates the certificate shown', async () => {
    const h = makeApp();
    const userId = newUserId();
    await ok(h, 'identity.setup', setupWithFile(userId));
    // another computer adds 鈴木's certificate to the ID; then this computer's file is replaced by 鈴木's
    const other = makeApp();
    await ok(other, 'identity.setup', setupWithFile(userId, 'yamada-taro.p12', 'login'));
    other.answers.push(PASSWORD);
    await ok(other, 'identity.certificate.add', { certificate: file('suzuki-hanako.cert.pem') });
    const dir = join(h.home, 'profiles', 'default', 'certificates');
    const [copy] = readdirSync(dir);
    writeFileSync(join(dir, copy ?? ''), readFileSync(join(pki, 'suzuki-hanako.p12')));
    h.answers.push(PASSWORD);
    const view = await ok<IdentityView>(h, 'identity.login');
    assert.match(view.certificate.certificate.commonName, /鈴木/);
  });

  void test('a certificate update as the first call of a run keeps the stored key', async () => {
    const h = makeApp();
    await ok(h, 'identity.setup', setupWithFile(newUserId()));
    const fresh = makeApp({ home: h.home });
    const updated = await ok<{ identity: IdentityView }>(fresh, 'identity.certificate.update', { signer: { kind: 'file', ...file('yamada-taro-renewed.p12'), password: PASSWORD } });
    assert.equal(updated.identity.key.held, true);
    assert.equal(updated.identity.key.persisted, true);
  });

  void test('forget removes the profile, its copies and secrets; e-Gov keeps the ID', async () => {
    const h = makeApp();
    const userId = newUserId();
    await ok(h, 'identity.setup', setupWithFile(userId));
    const status = await ok<IdentityStatus>(h, 'identity.forget');
    assert.equal(status.identity, null);
    // what is left is the store alone (src/main/store/files.ts), kept on purpose: the record of what was sent
    const left = existsSync(join(h.home, 'profiles', 'default')) ? readdirSync(join(h.home, 'profiles', 'default')) : [];
    assert.deepEqual(left.filter((name) => !isStoreEntry(name)), [], 'profile.json, certificate copies and secrets are gone');
    await ok(h, 'identity.setup', setupWithFile(userId, 'yamada-taro.p12', 'login'));
  });

  void test('forget keeps the store: the outbox (what was sent) survives the 利用者ID being forgotten and set up again', async () => {
    const h = makeApp();
    const userId = newUserId();
    await ok(h, 'identity.setup', setupWithFile(userId));
    const dir = join(h.home, 'profiles', 'default');
    openStore(h.home, 'default').close();
    mkdirSync(join(dir, 'outbox'));
    writeFileSync(join(dir, 'outbox', 'kept.request'), 'bytes');
    await ok(h, 'identity.forget');
    // the database, its WAL files (the app keeps it open) and the request files: nothing of the identity
    assert.ok(readdirSync(dir).every(isStoreEntry), readdirSync(dir).join(', '));
    assert.ok(readdirSync(dir).includes('todoke.sqlite') && readdirSync(dir).includes('outbox'));
    await ok(h, 'identity.setup', setupWithFile(userId, 'yamada-taro.p12', 'login'));
    assert.ok(existsSync(join(dir, 'profile.json')));
    assert.equal(readFileSync(join(dir, 'outbox', 'kept.request'), 'utf8'), 'bytes');
  });
});

void describe('training certificates', () => {
  void test('offered with the sandbox: they open with their published password and register', async () => {
    const h = makeApp();
    const list = await ok<Array<{ fileName: string; commonName: string; role: string; dataBase64: string; password: string }>>(h, 'sandbox.trainingCertificates');
    assert.deepEqual(
      list.map((c) => [c.fileName, c.commonName, c.role]),
      [
        ['yamada-taro.p12', '山田 太郎', 'first'],
        ['yamada-taro-renewed.p12', '山田 太郎', 'renewal'],
        ['suzuki-hanako.p12', '鈴木 花子', 'second'],
      ],
    );
    const first = list[0];
    assert.ok(first);
    const view = await ok<IdentityView>(h, 'identity.setup', {
      environment: { kind: 'sandbox' },
      signer: { kind: 'file', fileName: first.fileName, dataBase64: first.dataBase64, password: first.password },
      userId: newUserId(),
      mode: 'register',
    });
    assert.equal(view.key.held, true);
  });

  void test('not offered without a sandbox, nor from a folder without them', async () => {
    assert.deepEqual(await ok(makeApp({ sandbox: false }), 'sandbox.trainingCertificates'), []);
    const empty = createApp({ host: 'harness', version: 'test', home: scratchHome(), trainingCertificatesDir: scratchHome(), sandbox: async () => ({ baseUrl: sandbox.apiBaseUrl, softwareId: 'x', caPem: null }) });
    const result = await empty.dispatch('sandbox.trainingCertificates', {});
    assert.deepEqual(result, { ok: true, value: [] });
  });
});

void describe('identity through the core (IC card / token)', () => {
  void test('tokens and certificates are listed without a PIN', async () => {
    const h = makeApp();
    const tokens = await ok<Array<{ label: string; serial: string; pinLocked: boolean }>>(h, 'pkcs11.tokens', { modulePath: token.modulePath });
    const mine = tokens.find((t) => t.serial === token.serial);
    assert.equal(mine?.label, 'Todoke IC');
    assert.equal(mine?.pinLocked, false);
    const certs = await ok<Array<{ id: string; description: { certificate: { commonName: string }; source: string } }>>(h, 'pkcs11.certificates', {
      modulePath: token.modulePath,
      tokenSerial: token.serial,
    });
    assert.equal(certs.length, 1);
    assert.equal(certs[0]?.id, '01');
    assert.match(certs[0]?.description.certificate.commonName ?? '', /佐藤/);
    assert.equal(certs[0]?.description.source, 'pkcs11');
    assert.equal(h.requests.length, 0);
  });

  void test('register with the token: one wrong PIN, then the right one; the PIN is asked again at the next login', async () => {
    const h = makeApp();
    const userId = newUserId();
    h.answers.push('000000', TOKEN_PIN);
    const view = await ok<IdentityView>(h, 'identity.setup', { environment: { kind: 'sandbox' }, signer: { kind: 'pkcs11', modulePath: token.modulePath, tokenSerial: token.serial, certId: '01' }, userId, mode: 'register' });
    assert.deepEqual(view.signer, { kind: 'pkcs11', modulePath: token.modulePath, tokenLabel: 'Todoke IC', tokenSerial: token.serial, certId: '01' });
    assert.equal(view.certificate.source, 'pkcs11');
    assert.deepEqual(
      h.requests.map((r) => [r.kind, r.subject, r.attempt, r.previousError]),
      [
        ['pin', 'Todoke IC', 1, null],
        ['pin', 'Todoke IC', 2, 'PIN_INCORRECT'],
      ],
      'one PIN for register and login together',
    );
    const profileText = readFileSync(join(h.home, 'profiles', 'default', 'profile.json'), 'utf8');
    assert.ok(!profileText.includes(TOKEN_PIN));
    h.answers.push(TOKEN_PIN);
    await ok(h, 'identity.login');
    assert.equal(h.requests.length, 3);
  });

  void test('a PIN prompt nobody answers ends the login with CREDENTIAL_TIMEOUT, and the card was not tried', async () => {
    const h = makeApp({ credentialTimeoutMs: 300 });
    h.answers.push(TOKEN_PIN);
    await ok(h, 'identity.setup', { environment: { kind: 'sandbox' }, signer: { kind: 'pkcs11', modulePath: token.modulePath, tokenSerial: token.serial, certId: '01' }, userId: newUserId(), mode: 'register' });
    h.answers.push(IGNORE);
    const error = await fails(h, 'identity.login');
    assert.equal(error.code, 'CREDENTIAL_TIMEOUT');
    assert.match(error.messageJa, /PINの入力を 1 分間待ちましたが/);
    assert.ok(h.events.includes('credential.withdrawn'));
    h.answers.push(TOKEN_PIN);
    await ok(h, 'identity.login');
  });

  void test('bad module paths are refused before anything is loaded', async () => {
    const h = makeApp();
    for (const modulePath of ['libsofthsm2.so', '/etc/passwd', '/nonexistent/libx.so', '/tmp/a\u0000b.so']) {
      const error = await fails(h, 'pkcs11.tokens', { modulePath });
      assert.equal(error.code, 'INVALID_ARGUMENT', modulePath);
      assert.match(error.messageJa, /PKCS#11|モジュール|値が正しくありません/);
    }
    const notALibrary = join(h.home, 'fake.so');
    writeFileSync(notALibrary, 'not a library');
    const error = await fails(h, 'pkcs11.tokens', { modulePath: notALibrary });
    assert.match(error.code, /^PKCS11_|MODULE/);
  });
});

void describe('identity: hostile and broken input', () => {
  void test('malformed set-up arguments are refused by the contract', async () => {
    const h = makeApp();
    const base = setupWithFile(newUserId());
    const cases: unknown[] = [
      { ...base, userId: 'has space' },
      { ...base, userId: 'x'.repeat(65) },
      { ...base, userId: '利用者' },
      { ...base, mode: 'delete' },
      { ...base, environment: { kind: 'elsewhere' } },
      { ...base, environment: { kind: 'custom', baseUrl: 'https://x/', softwareId: 'a b' } },
      { ...base, signer: { kind: 'file', fileName: 'a.p12', dataBase64: '!!!', password: '' } },
      { ...base, signer: { kind: 'pkcs11', modulePath: '/x.so', tokenSerial: 's', certId: 'XYZ' } },
      { ...base, extra: 1 },
      JSON.parse(`{"__proto__": {"polluted": true}, "userId": "a"}`),
    ];
    for (const args of cases) {
      const error = await fails(h, 'identity.setup', args);
      assert.equal(error.code, 'INVALID_ARGUMENT', JSON.stringify(args).slice(0, 120));
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  void test('a custom endpoint that refuses connections: a typed Japanese error, no profile', async () => {
    const h = makeApp();
    const error = await fails(h, 'identity.setup', {
      ...setupWithFile(newUserId()),
      environment: { kind: 'custom', baseUrl: 'http://127.0.0.1:9/shinsei/1/', softwareId: 'TODOKESANDBOX1' },
    });
    assert.equal(error.code, 'EGOV_CONNECTION_FAILED');
    assert.equal((await ok<IdentityStatus>(h, 'identity.status')).identity, null);
    // refused by the endpoint rule before the certificate is even copied, in the form's words
    const fresh = makeApp();
    const insecure = await fails(fresh, 'identity.setup', { ...setupWithFile(newUserId()), environment: { kind: 'custom', baseUrl: 'http://example.jp/shinsei/1/', softwareId: 'X' } });
    assert.equal(insecure.code, 'INVALID_ARGUMENT');
    assert.match(insecure.messageJa, /http:\/\/ は、この PC 内の検証用サーバー.*https:\/\/ で始めてください/);
    assert.equal(existsSync(join(fresh.home, 'profiles')), false);
  });

  void test('no sandbox on this host: set-up with the sandbox fails clearly', async () => {
    const h = makeApp({ sandbox: false });
    assert.equal((await ok<IdentityStatus>(h, 'identity.status')).sandboxAvailable, false);
    assert.equal((await fails(h, 'identity.setup', setupWithFile(newUserId()))).code, 'SANDBOX_UNAVAILABLE');
  });

  void test('a corrupt or tampered profile.json gives PROFILE_CORRUPT, not a crash', async () => {
    const h = makeApp();
    await ok(h, 'identity.setup', setupWithFile(newUserId()));
    const path = join(h.home, 'profiles', 'default', 'profile.json');
    const good = readFileSync(path, 'utf8');
    for (const bad of ['{', '[]', JSON.stringify({ ...JSON.parse(good), userId: 'a b' }), JSON.stringify({ ...JSON.parse(good), signer: { kind: 'shell', cmd: 'rm' } }), 'x'.repeat(300 * 1024), '']) {
      writeFileSync(path, bad);
      const error = await fails(makeApp({ home: h.home }), 'identity.status');
      assert.equal(error.code, 'PROFILE_CORRUPT');
      assert.match(error.messageJa, /壊れている/);
    }
    writeFileSync(path, good);
    chmodSync(path, 0o600);
    assert.ok((await ok<IdentityStatus>(makeApp({ home: h.home }), 'identity.status')).identity);
  });

  void test('forgetting a corrupt profile sets it aside (nothing lost) and lets a new set-up start', async () => {
    const h = makeApp();
    await ok(h, 'identity.setup', setupWithFile(newUserId()));
    const path = join(h.home, 'profiles', 'default', 'profile.json');
    writeFileSync(path, '{"version": 1, "userId": ');
    const fresh = makeApp({ home: h.home });
    assert.equal((await fails(fresh, 'identity.status')).code, 'PROFILE_CORRUPT');
    const status = await ok<IdentityStatus>(fresh, 'identity.forget');
    assert.equal(status.identity, null);
    const aside = readdirSync(join(h.home, 'profiles')).filter((n) => n.startsWith('default.corrupt-'));
    assert.equal(aside.length, 1);
    const kept = join(h.home, 'profiles', aside[0] ?? '');
    assert.equal(readFileSync(join(kept, 'profile.json'), 'utf8'), '{"version": 1, "userId": ');
    const keptSecrets = join(kept, 'secrets.json');
    assert.equal(existsSync(keptSecrets) && readFileSync(keptSecrets, 'utf8').includes('accessKey'), false, 'no working key is left in the set-aside folder');
    await ok(fresh, 'identity.setup', setupWithFile(newUserId()));
  });

  void test('a corrupt secrets file only costs a new login', async () => {
    const h = makeApp();
    await ok(h, 'identity.setup', setupWithFile(newUserId()));
    writeFileSync(join(h.home, 'profiles', 'default', 'secrets.json'), '{"accessKey": "not json');
    const again = makeApp({ home: h.home });
    const status = await ok<IdentityStatus>(again, 'identity.status');
    assert.equal(status.identity?.key.held, false);
    again.answers.push(PASSWORD);
    const view = await ok<IdentityView>(again, 'identity.login');
    assert.equal(view.key.held, true);
  });

  void test('certificate files for add / delete: garbage, cut off, locked or too big are refused before anything is sent', async () => {
    const h = makeApp();
    await ok(h, 'identity.setup', setupWithFile(newUserId()));
    const pem = readFileSync(join(pki, 'suzuki-hanako.cert.pem'), 'utf8');
    const p12 = readFileSync(join(pki, 'suzuki-hanako.p12'));
    const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64');
    const cases: Array<[unknown, string]> = [
      [{ fileName: 'x.pem', dataBase64: b64('not a certificate at all') }, 'CERT_FORMAT'],
      [{ fileName: 'cut.pem', dataBase64: b64(pem.slice(0, Math.floor(pem.length / 2))) }, 'CERT_FORMAT'],
      [{ fileName: 'cut.p12', dataBase64: b64(p12.subarray(0, p12.length >> 1)), password: PASSWORD }, 'CERT_FORMAT'],
      [{ fileName: 'suzuki.p12', dataBase64: b64(p12) }, 'PASSWORD_REQUIRED'],
      [{ fileName: 'suzuki.p12', dataBase64: b64(p12), password: 'wrong' }, 'BAD_PASSWORD'],
      [{ fileName: 'huge.pem', dataBase64: b64(Buffer.alloc(1024 * 1024 + 1, 0x41)) }, 'INVALID_ARGUMENT'],
    ];
    for (const [certificate, code] of cases) {
      for (const op of ['identity.certificate.add', 'identity.certificate.delete']) {
        const error = await fails(h, op, { certificate });
        assert.equal(error.code, code, `${op} ${(certificate as { fileName: string }).fileName}`);
        assert.notEqual(error.messageJa, '');
      }
    }
    assert.equal(h.requests.length, 0, 'no signature was asked for');
    assert.equal((await ok<IdentityStatus>(h, 'identity.status')).identity?.key.held, true, 'nothing lost');
  });

  void test('a custom endpoint with a CA that is not a certificate: a clear error, no profile', async () => {
    const h = makeApp();
    const error = await fails(h, 'identity.setup', {
      ...setupWithFile(newUserId()),
      environment: { kind: 'custom', baseUrl: sandbox.apiBaseUrl, softwareId: 'TODOKESANDBOX1', caPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' },
    });
    assert.equal(error.code, 'EGOV_CONFIG_INVALID');
    assert.match(error.messageJa, /認証局の証明書を読み込めません/);
    assert.equal((await ok<IdentityStatus>(h, 'identity.status')).identity, null);
  });

  void test('a damaged training certificate is left out; the others are still offered', async () => {
    const dir = scratchHome('todoke-training-');
    for (const name of ['yamada-taro.p12', 'suzuki-hanako.p12']) writeFileSync(join(dir, name), readFileSync(join(pki, name)));
    writeFileSync(join(dir, 'yamada-taro-renewed.p12'), readFileSync(join(pki, 'yamada-taro-renewed.p12')).subarray(0, 100));
    const app = createApp({ host: 'harness', version: 'test', home: scratchHome(), trainingCertificatesDir: dir, sandbox: async () => ({ baseUrl: sandbox.apiBaseUrl, softwareId: 'x', caPem: null }) });
    const result = (await app.dispatch('sandbox.trainingCertificates', {})) as Envelope<Array<{ fileName: string }>>;
    assert.ok(result.ok);
    assert.deepEqual(
      result.value.map((c) => c.fileName),
      ['yamada-taro.p12', 'suzuki-hanako.p12'],
    );
  });

  void test('an unknown or stale credential answer is not accepted', async () => {
    const h = makeApp();
    assert.deepEqual(await ok(h, 'credential.answer', { requestId: 'nope', secret: 'x' }), { accepted: false });
    assert.equal((await fails(h, 'credential.answer', { requestId: '../../x', secret: 'x' })).code, 'INVALID_ARGUMENT');
    assert.equal((await fails(h, 'credential.answer', { requestId: 'a', secret: 'x'.repeat(5000) })).code, 'INVALID_ARGUMENT');
  });
});


void describe('registered, but the login after it failed', () => {
  void test('a typed result of the core: the cause\'s code, detail.registered, the profile kept, and a login is what is left', async () => {
    // registration reaches the sandbox; the login after it meets a server error
    const proxy = await startFaultServer({
      handler: async (request) => {
        if (!request.url.endsWith('/authentication/user')) return { kind: 'respond', status: 503 };
        const answer = await fetch(new URL('authentication/user', sandbox.apiBaseUrl), {
          method: 'POST',
          headers: { 'x-eGovAPI-SoftwareID': sandbox.softwareIds[0] ?? '', 'Content-Type': 'text/xml; charset=UTF-8' },
          body: request.body.toString('utf8'),
        });
        return { kind: 'respond', status: answer.status, body: Buffer.from(await answer.arrayBuffer()), headers: { 'Content-Type': 'text/xml; charset=UTF-8' } };
      },
    });
    try {
      const h = makeApp();
      const userId = newUserId();
      const result = await h.app.dispatch('identity.setup', {
        environment: { kind: 'custom', baseUrl: proxy.baseUrl, softwareId: sandbox.softwareIds[0] ?? '' },
        signer: { kind: 'file', ...file('yamada-taro.p12'), password: PASSWORD },
        userId,
        mode: 'register',
      });
      assert.equal(result.ok, false);
      const error = (result as { ok: false; error: { code: string; messageJa: string; detail?: Record<string, unknown> } }).error;
      assert.equal(error.code, 'EGOV_SERVER_ERROR');
      assert.equal(isRegisteredButLoginFailed(error), true);
      assert.equal(error.detail?.userId, userId);
      assert.match(error.messageJa, /は e-Gov に登録し、この PC に保存しましたが、続くログイン（利用者認証）に失敗しました: .*もう一度登録する必要はありません/);
      const status = await ok<IdentityStatus>(h, 'identity.status');
      assert.equal(status.identity?.userId, userId);
      // a set-up that only logs in never carries the mark
      const login = await makeApp().app.dispatch('identity.setup', {
        environment: { kind: 'custom', baseUrl: proxy.baseUrl, softwareId: sandbox.softwareIds[0] ?? '' },
        signer: { kind: 'file', ...file('yamada-taro.p12'), password: PASSWORD },
        userId,
        mode: 'login',
      });
      assert.equal(login.ok, false);
      assert.equal(isRegisteredButLoginFailed((login as { ok: false; error: { detail?: Record<string, unknown> } }).error), false);
    } finally {
      await proxy.close();
    }
  });
});

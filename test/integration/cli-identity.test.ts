// Integration: the identity commands of `todoke` (register, login, whoami, cert add / delete /
// update, profile forget) against a real sandbox, a real SoftHSM2 token and the bundled test
// certificates, with $TODOKE_HOME in a temp folder. Mostly in-process (runCli with captured
// output and scripted prompts), once as a real process through bin/todoke.mjs.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { cli, cliProcess } from '../support/cli.js';
import { startFaultServer } from '../support/fault-server.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';
import { createSoftHsmToken, type SoftHsmToken, sandboxTokenUser } from '../support/softhsm.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const taroP12 = join(pki, 'yamada-taro.p12');
const taroCert = join(pki, 'yamada-taro.cert.pem');
const renewedP12 = join(pki, 'yamada-taro-renewed.p12');
const renewedCert = join(pki, 'yamada-taro-renewed.cert.pem');
const suzukiP12 = join(pki, 'suzuki-hanako.p12');
const suzukiCert = join(pki, 'suzuki-hanako.cert.pem');
const PASSWORD = 'todoke';
const TOKEN_PIN = '731946';
const SOFTWARE_ID = 'TODOKESANDBOX1';

let sandbox: SandboxHandle;
let token: SoftHsmToken;

before(async () => {
  token = createSoftHsmToken({
    label: 'CLI IC',
    pin: TOKEN_PIN,
    objects: [sandboxTokenUser()],
  });
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-cli-sandbox-') });
});

after(async () => {
  await sandbox?.close();
  token?.cleanup();
});

let ids = 0;
const newUserId = () => `cli-it-${process.pid}-${++ids}`;
const endpoint = () => ['--endpoint', sandbox.apiBaseUrl, '--software-id', SOFTWARE_ID];
const profileDir = (home: string, name = 'default') => join(home, 'profiles', name);
const profileText = (home: string) => readFileSync(join(profileDir(home), 'profile.json'), 'utf8');

interface RunOptions {
  env?: Record<string, string>;
  secrets?: (string | null)[];
}

function todoke(home: string, argv: string[], options: RunOptions = {}) {
  return cli(argv, { env: { TODOKE_HOME: home, PW: PASSWORD, ...options.env }, ...(options.secrets ? { secrets: options.secrets } : {}) });
}

async function ok(home: string, argv: string[], options: RunOptions = {}) {
  const r = await todoke(home, argv, options);
  assert.equal(r.code, 0, `todoke ${argv.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r;
}

async function okJson<T = Record<string, unknown>>(home: string, argv: string[], options: RunOptions = {}): Promise<T> {
  return JSON.parse((await ok(home, [...argv, '--json'], options)).stdout) as T;
}

/** A failing run: the exit code, `エラー [CODE]:` on stderr, and the code and Japanese message. */
async function fails(home: string, argv: string[], expected: { exit: number; code: string; ja?: RegExp }, options: RunOptions = {}) {
  const r = await todoke(home, argv, options);
  const what = `todoke ${argv.join(' ')}\n${r.stdout}\n${r.stderr}`;
  assert.equal(r.code, expected.exit, what);
  assert.match(r.stderr, new RegExp(`^エラー \\[${expected.code}\\]: `), what);
  if (expected.ja) assert.match(r.stderr, expected.ja, what);
  return r;
}

async function register(home: string, userId: string, p12 = taroP12, extra: string[] = []) {
  return ok(home, ['register', '--user-id', userId, ...endpoint(), '--p12', p12, '--password-env', 'PW', ...extra]);
}

void describe('todoke register / login / whoami with a certificate file', () => {
  it('register, whoami, login: JSON shapes, the key kept 0600 and never shown unless --show-key', async () => {
    const home = scratchHome();
    const userId = newUserId();
    const reg = await okJson(home, ['register', '--user-id', userId, ...endpoint(), '--p12', taroP12, '--password-env', 'PW']);
    assert.equal(reg.userId, userId);
    assert.equal(reg.registered, true);
    assert.equal(reg.keyObtained, true);
    assert.equal(reg.lastAuthenticationDate, '');
    assert.equal('accessKey' in reg, false);

    // the profile: no password, no key; the key beside it, owner-only
    const text = profileText(home);
    assert.doesNotMatch(text, /"todoke"|password|accessKey/i);
    assert.equal(statSync(profileDir(home)).mode & 0o777, 0o700);
    assert.equal(statSync(join(profileDir(home), 'profile.json')).mode & 0o777, 0o600);
    assert.equal(statSync(join(profileDir(home), 'secrets.json')).mode & 0o777, 0o600);
    const profile = JSON.parse(text) as { signer: { kind: string; path: string; displayName: string }; environment: { baseUrl: string } };
    assert.deepEqual(profile.signer, { kind: 'file', path: taroP12, displayName: 'yamada-taro.p12' });
    assert.equal(profile.environment.baseUrl, sandbox.apiBaseUrl);

    const human = await ok(home, ['whoami']);
    assert.match(human.stdout, new RegExp(`利用者ID\\s+${userId}`));
    assert.match(human.stdout, /山田 太郎/);
    assert.match(human.stdout, new RegExp(sandbox.apiBaseUrl.replace(/[.]/g, '\\.')));
    assert.match(human.stdout, /ソフトウェアID TODOKESANDBOX1/);
    assert.match(human.stdout, /アクセスキー\s+あり（1 分以内に取得/);
    assert.match(human.stdout, /前回の認証\s+なし/);

    const who = await okJson<{
      profile: string;
      environment: { kind: string; baseUrl: string; softwareId: string };
      userId: string;
      certificate: { subject: string; issuer: string; notBefore: string; notAfter: string; warnings: unknown[] };
      lastAuthentication: { lastAuthenticationDate: string; loggedInAt: string };
      key: { held: boolean; obtainedAt: string; ageSeconds: number };
    }>(home, ['whoami']);
    assert.equal(who.profile, 'default');
    assert.deepEqual([who.environment.kind, who.environment.baseUrl, who.environment.softwareId], ['custom', sandbox.apiBaseUrl, SOFTWARE_ID]);
    assert.equal(who.userId, userId);
    assert.match(who.certificate.subject, /CN=山田 太郎/);
    assert.match(who.certificate.issuer, /Todoke/);
    assert.ok(who.certificate.notBefore < who.certificate.notAfter);
    assert.deepEqual(who.certificate.warnings, []);
    assert.equal(who.lastAuthentication.lastAuthenticationDate, '');
    assert.equal(who.key.held, true);
    assert.equal(typeof who.key.ageSeconds, 'number');
    assert.equal(who.lastAuthentication.loggedInAt, who.key.obtainedAt);

    // a key age as people read it
    const later = await cli(['whoami'], { env: { TODOKE_HOME: home }, now: new Date(Date.parse(who.key.obtainedAt) + (2 * 3600 + 5 * 60 + 7) * 1000) });
    assert.match(later.stdout, /2 時間 5 分前に取得/);
    // the certificate warnings of signing/warnings.ts: 30 days before notAfter, and after it
    const notAfter = Date.parse(who.certificate.notAfter);
    const soon = await cli(['whoami', '--json'], { env: { TODOKE_HOME: home }, now: new Date(notAfter - 10 * 86_400_000) });
    assert.deepEqual((JSON.parse(soon.stdout) as { certificate: { warnings: { code: string }[] } }).certificate.warnings.map((w) => w.code), ['CERT_EXPIRES_SOON']);
    const expired = await cli(['whoami'], { env: { TODOKE_HOME: home }, now: new Date(notAfter + 86_400_000) });
    assert.equal(expired.code, 0);
    assert.match(expired.stdout, /警告: この証明書は .* に有効期限が切れています/);

    const login = await okJson(home, ['login', '--password-env', 'PW']);
    assert.equal(login.userId, userId);
    assert.equal(login.keyObtained, true);
    assert.match(String(login.lastAuthenticationDate), /^\d{14}$/, 'the previous authentication, as e-Gov sent it');
    assert.equal('accessKey' in login, false);
    const stored = (JSON.parse(JSON.parse(readFileSync(join(profileDir(home), 'secrets.json'), 'utf8')).accessKey as string) as { accessKey: string }).accessKey;
    assert.equal(sandbox.resolveAccessKey(stored), userId);

    const shown = await ok(home, ['login', '--password-env', 'PW', '--json', '--show-key']);
    const key = (JSON.parse(shown.stdout) as { accessKey: string }).accessKey;
    assert.equal(sandbox.resolveAccessKey(key), userId);
    // without --show-key the key appears nowhere
    for (const r of [await ok(home, ['login', '--password-env', 'PW']), await ok(home, ['whoami']), await ok(home, ['whoami', '--json'])]) {
      const current = (JSON.parse(JSON.parse(readFileSync(join(profileDir(home), 'secrets.json'), 'utf8')).accessKey as string) as { accessKey: string }).accessKey;
      assert.ok(!r.stdout.includes(current) && !r.stderr.includes(current));
    }
    assert.doesNotMatch(profileText(home), /accessKey/);
  });

  it('login asks for the password on the terminal; a wrong one is asked again; none available stops with a hint', async () => {
    const home = scratchHome();
    await register(home, newUserId());
    const typed = await ok(home, ['login'], { secrets: ['wrong', PASSWORD] });
    assert.equal(typed.prompts.length, 2);
    assert.match(typed.prompts[0] as string, /「yamada-taro\.p12」のパスワード.*利用者認証/);
    assert.match(typed.prompts[1] as string, /^パスワードが違います。/);

    // no terminal (the prompt answers null) and no variable: a clear error, not a hang
    await fails(home, ['login'], { exit: 2, code: 'CREDENTIAL_MISSING', ja: /--password-env/ });
    // an environment password is tried once, never retried, never printed
    const wrong = await fails(home, ['login', '--password-env', 'BAD'], { exit: 2, code: 'BAD_PASSWORD', ja: /環境変数 BAD のパスワード/ }, { env: { BAD: 'not-the-password-9876' } });
    assert.equal(wrong.prompts.length, 0);
    assert.doesNotMatch(wrong.stdout + wrong.stderr, /not-the-password-9876/);
    await fails(home, ['login', '--pin-env', 'PW'], { exit: 2, code: 'CLI_USAGE', ja: /--password-env/ });
    // the secret typed where the variable's name goes is not echoed back
    const typo = await fails(home, ['login', '--password-env', 'p@ss w0rd!'], { exit: 2, code: 'CLI_USAGE', ja: /環境変数の「名前」/ });
    assert.doesNotMatch(typo.stdout + typo.stderr, /p@ss w0rd!/);
  });

  it('login --user-id <endpoint> <signer> sets up a second computer with an existing ID', async () => {
    const first = scratchHome();
    const userId = newUserId();
    await register(first, userId);
    const second = scratchHome();
    const r = await okJson(second, ['login', '--user-id', userId, ...endpoint(), '--p12', taroP12, '--password-env', 'PW']);
    assert.equal(r.userId, userId);
    assert.equal('registered' in r, false);
    assert.equal(r.keyObtained, true);
    assert.ok(existsSync(join(profileDir(second), 'profile.json')));
    // once set up, the flags are not taken again
    await fails(second, ['login', '--user-id', userId, ...endpoint(), '--p12', taroP12, '--password-env', 'PW'], { exit: 2, code: 'PROFILE_EXISTS', ja: /todoke login だけ/ });
    await fails(second, ['register', '--user-id', newUserId(), ...endpoint(), '--p12', taroP12, '--password-env', 'PW'], { exit: 2, code: 'PROFILE_EXISTS' });
    // an ID e-Gov does not know: refused by the server (exit 1), nothing kept
    const third = scratchHome();
    await fails(third, ['login', '--user-id', newUserId(), ...endpoint(), '--p12', taroP12, '--password-env', 'PW'], { exit: 1, code: 'EGOV_API_ERROR', ja: /登録されていません/ });
    assert.equal(existsSync(join(third, 'profiles')), false);
  });

  it('--endpoint takes the host alone or the whole base, as the app does, and keeps the base', async () => {
    const home = scratchHome();
    const host = sandbox.apiBaseUrl.replace(/shinsei\/1\/$/, '');
    const reg = await okJson<{ environment: { baseUrl: string } }>(home, ['register', '--user-id', newUserId(), '--endpoint', ` ${host} `, '--software-id', SOFTWARE_ID, '--p12', taroP12, '--password-env', 'PW']);
    assert.equal(reg.environment.baseUrl, sandbox.apiBaseUrl);
    assert.equal((JSON.parse(profileText(home)) as { environment: { baseUrl: string } }).environment.baseUrl, sandbox.apiBaseUrl);
  });

  it('a second profile with --profile; Basic auth kept in secrets.json, not in profile.json', async () => {
    const home = scratchHome();
    await register(home, newUserId());
    const userId = newUserId();
    await ok(home, ['register', '--profile', 'office-2', '--user-id', userId, ...endpoint(), '--basic-auth-user', 'egov', '--basic-auth-password-env', 'BA', '--p12', taroP12, '--password-env', 'PW'], {
      env: { BA: 'basic-secret-5150' },
    });
    const who = await okJson<{ userId: string; environment: { basicAuthUser: string } }>(home, ['whoami', '--profile', 'office-2']);
    assert.equal(who.userId, userId);
    assert.equal(who.environment.basicAuthUser, 'egov');
    const text = readFileSync(join(profileDir(home, 'office-2'), 'profile.json'), 'utf8');
    assert.doesNotMatch(text, /basic-secret-5150/);
    assert.match(readFileSync(join(profileDir(home, 'office-2'), 'secrets.json'), 'utf8'), /basic-secret-5150/);
    await ok(home, ['login', '--profile', 'office-2', '--password-env', 'PW']);
  });
});

void describe('todoke register / login with an IC card (SoftHSM2)', () => {
  const tokenFlags = () => ['--pkcs11-module', token.modulePath, '--token', 'CLI IC'];

  it('register and login with the PIN from --pin-env; the profile names the token by label and serial', async () => {
    const home = scratchHome();
    const userId = newUserId();
    const reg = await ok(home, ['register', '--user-id', userId, ...endpoint(), ...tokenFlags(), '--pin-env', 'PIN'], { env: { PIN: TOKEN_PIN } });
    assert.equal(reg.prompts.length, 0);
    const profile = JSON.parse(profileText(home)) as { signer: unknown };
    assert.deepEqual(profile.signer, { kind: 'pkcs11', modulePath: token.modulePath, tokenLabel: 'CLI IC', tokenSerial: token.serial, certId: '' });
    assert.doesNotMatch(profileText(home), new RegExp(TOKEN_PIN));

    const login = await okJson(home, ['login', '--pin-env', 'PIN'], { env: { PIN: TOKEN_PIN } });
    assert.equal(login.userId, userId);
    const who = await ok(home, ['whoami']);
    assert.match(who.stdout, /IC カード「CLI IC」/);
    assert.match(who.stdout, /佐藤/);

    // a wrong PIN from the environment: one try, a clear message, no retry, the PIN never shown
    const wrong = await fails(home, ['login', '--pin-env', 'PIN'], { exit: 2, code: 'PIN_INCORRECT', ja: /環境変数 PIN の PIN は受け付けられませんでした（PIN が違います）。.*再試行はしていません/ }, { env: { PIN: '000111' } });
    assert.equal(wrong.prompts.length, 0);
    assert.doesNotMatch(wrong.stdout + wrong.stderr, /000111|731946/);
    const wrongJson = await todoke(home, ['login', '--pin-env', 'PIN', '--json'], { env: { PIN: '000111' } });
    assert.equal((JSON.parse(wrongJson.stdout) as { error: { code: string } }).error.code, 'PIN_INCORRECT');

    // typed on the terminal: a wrong PIN is asked again, with the reason
    const typed = await ok(home, ['login'], { secrets: ['000111', TOKEN_PIN] });
    assert.equal(typed.prompts.length, 2);
    assert.match(typed.prompts[0] as string, /IC カード「CLI IC」の PIN を入力してください（利用者認証/);
    assert.match(typed.prompts[1] as string, /^PIN が違います。/);
    await fails(home, ['login'], { exit: 2, code: 'CREDENTIAL_MISSING', ja: /--pin-env/ });
    await fails(home, ['login', '--password-env', 'PW'], { exit: 2, code: 'CLI_USAGE', ja: /--pin-env/ });
  });

  it('token flags are checked before anything is sent', async () => {
    const home = scratchHome();
    const base = ['register', '--user-id', newUserId(), ...endpoint()];
    await fails(home, [...base, '--pkcs11-module', token.modulePath], { exit: 2, code: 'CLI_USAGE', ja: /--token/ });
    await fails(home, [...base, '--pkcs11-module', '/nonexistent/libx.so', '--token', 'CLI IC'], { exit: 2, code: 'CLI_USAGE', ja: /見つかりません/ });
    await fails(home, [...base, ...tokenFlags(), '--cert-id', 'xyz'], { exit: 2, code: 'CLI_USAGE', ja: /16 進数/ });
    await fails(home, [...base, '--pkcs11-module', token.modulePath, '--token', 'No Such Card', '--pin-env', 'PW'], { exit: 2, code: 'PKCS11_TOKEN_NOT_FOUND' });
    await fails(home, [...base, ...tokenFlags(), '--password-env', 'PW'], { exit: 2, code: 'CLI_USAGE', ja: /--pin-env/ });
    assert.equal(existsSync(join(home, 'profiles')), false);
  });
});

void describe('todoke cert add / delete / update', () => {
  it('add a certificate (it logs in elsewhere), delete it (it no longer does), update the registered one', async () => {
    const home = scratchHome();
    const userId = newUserId();
    await register(home, userId);

    const added = await okJson<{ action: string; certificate: { subject: string } }>(home, ['cert', 'add', suzukiCert, '--password-env', 'PW']);
    assert.equal(added.action, 'add');
    assert.match(added.certificate.subject, /鈴木 花子/);
    // suzuki logs in with the same ID from a second TODOKE_HOME
    const suzuki = scratchHome();
    await ok(suzuki, ['login', '--user-id', userId, ...endpoint(), '--p12', suzukiP12, '--password-env', 'PW']);

    // delete, naming it by its .p12 (password from --file-password-env); the profile's signer password by prompt
    const deleted = await ok(home, ['cert', 'delete', suzukiP12, '--file-password-env', 'PW'], { secrets: [PASSWORD] });
    assert.match(deleted.stdout, /証明書を削除しました/);
    assert.match(deleted.prompts[0] as string, /証明書の削除/);
    await fails(suzuki, ['login', '--password-env', 'PW'], { exit: 1, code: 'EGOV_API_ERROR' });

    // the certificate this profile signs with cannot be deleted
    await fails(home, ['cert', 'delete', taroCert, '--password-env', 'PW'], { exit: 2, code: 'CERTIFICATE_NOT_ACCEPTED' });

    // update: --old must be the registered certificate; a wrong one is refused before sending
    const before = profileText(home);
    await fails(home, ['cert', 'update', '--old', suzukiCert, '--p12', renewedP12, '--password-env', 'PW'], { exit: 2, code: 'CERTIFICATE_MISMATCH', ja: /何も送信していません/ });
    assert.equal(profileText(home), before);
    const updated = await okJson<{ action: string; profileUpdated: boolean; certificate: { subject: string }; oldCertificate: { subject: string } }>(home, [
      'cert',
      'update',
      '--old',
      taroCert,
      '--p12',
      renewedP12,
      '--password-env',
      'PW',
    ]);
    assert.equal(updated.action, 'update');
    assert.equal(updated.profileUpdated, true);
    const renewed = new X509Certificate(readFileSync(renewedCert));
    const profile = JSON.parse(profileText(home)) as { signer: { path: string } };
    assert.equal(profile.signer.path, renewedP12);

    // login now signs with the renewed file
    const login = await ok(home, ['login'], { secrets: [PASSWORD] });
    assert.match(login.prompts[0] as string, /yamada-taro-renewed\.p12/);
    const who = await okJson<{ certificate: { serialNumber: string } }>(home, ['whoami']);
    assert.equal(who.certificate.serialNumber, renewed.serialNumber.toUpperCase());
    // and the old certificate no longer logs in
    await fails(scratchHome(), ['login', '--user-id', userId, ...endpoint(), '--p12', taroP12, '--password-env', 'PW'], { exit: 1, code: 'EGOV_API_ERROR' });
  });

  it('cert update without a profile: --user-id and the endpoint on the command line, no profile kept', async () => {
    const first = scratchHome();
    const userId = newUserId();
    await register(first, userId);
    const elsewhere = scratchHome();
    const r = await okJson<{ profile: string | null; userId: string; profileUpdated: boolean }>(elsewhere, [
      'cert',
      'update',
      '--old',
      taroCert,
      '--user-id',
      userId,
      ...endpoint(),
      '--p12',
      renewedP12,
      '--password-env',
      'PW',
    ]);
    assert.deepEqual([r.profile, r.userId, r.profileUpdated], [null, userId, false]);
    assert.equal(existsSync(join(elsewhere, 'profiles')), false);
    await ok(scratchHome(), ['login', '--user-id', userId, ...endpoint(), '--p12', renewedP12, '--password-env', 'PW']);
    // with a profile, the ID and endpoint are not given again
    await fails(first, ['cert', 'update', '--old', taroCert, '--user-id', userId, ...endpoint(), '--p12', renewedP12, '--password-env', 'PW'], { exit: 2, code: 'PROFILE_EXISTS' });
  });

  it('FILE missing, not a certificate, over 1 MiB, a truncated PEM, a .p12 without its password: exit 2, nothing sent', async () => {
    const home = scratchHome();
    await register(home, newUserId());
    const before = profileText(home);
    const notCert = join(home, 'note.pem');
    writeFileSync(notCert, 'hello, this is not a certificate\n');
    const huge = join(home, 'huge.pem');
    writeFileSync(huge, '');
    truncateSync(huge, 1024 * 1024 + 1);
    const cut = join(home, 'cut.pem');
    writeFileSync(cut, readFileSync(suzukiCert, 'utf8').slice(0, 300));
    const badDer = join(home, 'bad.cer');
    writeFileSync(badDer, Buffer.from([0x30, 0x82, 0x05, 0x00, 0x01, 0x02]));
    const cases: [string, string, RegExp][] = [
      [join(home, 'missing.pem'), 'CERT_FILE_UNREADABLE', /見つかりません/],
      [notCert, 'CERT_FORMAT', /PEM 形式または DER 形式/],
      [huge, 'CERT_FORMAT', /大きすぎます（上限 1 MiB）/],
      [cut, 'CERT_FORMAT', /読み取れませんでした/],
      [badDer, 'CERT_FORMAT', /読み取れませんでした/],
      [home, 'CERT_FILE_UNREADABLE', /読み込めませんでした/],
    ];
    for (const [file, code, ja] of cases) {
      const r = await fails(home, ['cert', 'add', file, '--password-env', 'PW'], { exit: 2, code, ja });
      assert.equal(r.prompts.length, 0);
    }
    await fails(home, ['cert', 'add', suzukiP12, '--password-env', 'PW'], { exit: 2, code: 'CREDENTIAL_MISSING', ja: /--file-password-env/ });
    await fails(home, ['cert', 'add', suzukiP12, '--file-password-env', 'BAD', '--password-env', 'PW'], { exit: 2, code: 'BAD_PASSWORD' }, { env: { BAD: 'nope' } });
    await fails(home, ['cert', 'add'], { exit: 2, code: 'CLI_USAGE', ja: /証明書ファイル/ });
    await fails(home, ['cert', 'add', suzukiCert, taroCert], { exit: 2, code: 'CLI_USAGE', ja: /余分な引数/ });
    await fails(home, ['cert', 'frob'], { exit: 2, code: 'CLI_USAGE', ja: /add/ });
    assert.equal(profileText(home), before);
  });
});

void describe('todoke --sandbox (the built-in sandbox in $TODOKE_HOME/sandbox)', () => {
  it('register, whoami and login, in-process and as a process; the sandbox keeps its state between runs', async () => {
    const home = scratchHome();
    const userId = newUserId();
    const reg = await okJson<{ environment: { kind: string; dataDir: string } }>(home, ['register', '--user-id', userId, '--sandbox', '--p12', taroP12, '--password-env', 'PW']);
    assert.deepEqual(reg.environment.kind, 'sandbox');
    assert.equal(reg.environment.dataDir, join(home, 'sandbox'));
    assert.ok(existsSync(join(home, 'sandbox')));
    const who = await ok(home, ['whoami']);
    assert.match(who.stdout, /組み込みの検証用サンドボックス/);
    // a new run starts the sandbox again from the same folder: the ID is still registered there
    const again = await okJson(home, ['login', '--password-env', 'PW']);
    assert.match(String(again.lastAuthenticationDate), /^\d{14}$/);
    // as a real process: it must exit (the sandbox is stopped at the end of the command)
    const p = cliProcess(['login', '--password-env', 'PW', '--json'], { TODOKE_HOME: home, PW: PASSWORD });
    assert.equal(p.code, 0, p.stderr);
    assert.equal((JSON.parse(p.stdout) as { userId: string }).userId, userId);
    const w = cliProcess(['whoami', '--json'], { TODOKE_HOME: home });
    assert.equal(w.code, 0, w.stderr);
    assert.equal((JSON.parse(w.stdout) as { key: { held: boolean } }).key.held, true);
    // the same ID again in a second home sharing nothing: the built-in sandbox of that home does not know it
    await fails(scratchHome(), ['login', '--user-id', userId, '--sandbox', '--p12', taroP12, '--password-env', 'PW'], { exit: 1, code: 'EGOV_API_ERROR' });
  });
});

void describe('todoke identity commands: bad input', () => {
  const bad: [string, string[], { code: string; ja: RegExp }][] = [
    ['an unknown flag', ['register', '--user-id', 'a', '--sandbox', '--p12', taroP12, '--bogus'], { code: 'CLI_USAGE', ja: /不明なオプション --bogus/ }],
    ['a flag of another command', ['whoami', '--old', 'x.pem'], { code: 'CLI_USAGE', ja: /--old は todoke whoami では使えません/ }],
    ['a flag without its value', ['register', '--sandbox', '--p12', taroP12, '--user-id'], { code: 'CLI_USAGE', ja: /--user-id の後に値/ }],
    ['no --user-id', ['register', '--sandbox', '--p12', taroP12], { code: 'CLI_USAGE', ja: /--user-id に利用者ID/ }],
    ['a user ID with a space', ['register', '--user-id', 'a b', '--sandbox', '--p12', taroP12], { code: 'CLI_USAGE', ja: /利用者ID「a b」は使えません/ }],
    ['a user ID of 65 characters', ['register', '--user-id', 'x'.repeat(65), '--sandbox', '--p12', taroP12], { code: 'CLI_USAGE', ja: /64 文字以内/ }],
    ['a non-ASCII user ID', ['register', '--user-id', '利用者', '--sandbox', '--p12', taroP12], { code: 'CLI_USAGE', ja: /半角の英数字/ }],
    ['--endpoint that is not a URL', ['register', '--user-id', 'a', '--endpoint', 'not a url', '--software-id', SOFTWARE_ID, '--p12', taroP12], { code: 'CLI_USAGE', ja: /--endpoint: 接続先 URL の形式が正しくありません/ }],
    ['http to a remote host', ['register', '--user-id', 'a', '--endpoint', 'http://example.jp/shinsei/1/', '--software-id', SOFTWARE_ID, '--p12', taroP12], { code: 'CLI_USAGE', ja: /http:\/\/ は、この PC 内の検証用サーバー/ }],
    ['--endpoint naming one API', ['register', '--user-id', 'a', '--endpoint', 'https://example.jp/shinsei/1/authentication/login', '--software-id', SOFTWARE_ID, '--p12', taroP12], { code: 'CLI_USAGE', ja: /パスは \/shinsei\/1\/ だけ/ }],
    ['--endpoint without a scheme', ['register', '--user-id', 'a', '--endpoint', 'example.jp/shinsei/1/', '--software-id', SOFTWARE_ID, '--p12', taroP12], { code: 'CLI_USAGE', ja: /https:\/\/ で始めてください/ }],
    ['--endpoint with a password in it', ['register', '--user-id', 'a', '--endpoint', 'https://u:p@example.jp/shinsei/1/', '--software-id', SOFTWARE_ID, '--p12', taroP12], { code: 'CLI_USAGE', ja: /ID やパスワードを含めないでください.*--basic-auth-user/ }],
    ['--endpoint without --software-id', ['register', '--user-id', 'a', '--endpoint', 'https://example.jp/shinsei/1/', '--p12', taroP12], { code: 'CLI_USAGE', ja: /--software-id/ }],
    ['--software-id without --endpoint', ['register', '--user-id', 'a', '--software-id', SOFTWARE_ID, '--p12', taroP12], { code: 'CLI_USAGE', ja: /--endpoint URL と一緒に/ }],
    ['no endpoint', ['register', '--user-id', 'a', '--p12', taroP12], { code: 'CLI_USAGE', ja: /接続先を指定してください/ }],
    ['--sandbox and --endpoint', ['register', '--user-id', 'a', '--sandbox', '--endpoint', 'https://example.jp/shinsei/1/', '--p12', taroP12], { code: 'CLI_USAGE', ja: /どちらか一方/ }],
    ['--ca that is not a certificate', ['register', '--user-id', 'a', '--endpoint', 'https://example.jp/shinsei/1/', '--software-id', SOFTWARE_ID, '--ca', join(repoRoot, 'package.json'), '--p12', taroP12], { code: 'CERT_FORMAT', ja: /証明書ファイルを読み取れません/ }],
    ['no signer', ['register', '--user-id', 'a', '--sandbox'], { code: 'CLI_USAGE', ja: /署名に使う証明書を指定してください/ }],
    ['two signers', ['register', '--user-id', 'a', '--sandbox', '--p12', taroP12, '--key', taroP12, '--cert', taroCert], { code: 'CLI_USAGE', ja: /1 種類だけ/ }],
    ['an unset --password-env', ['register', '--user-id', 'a', '--sandbox', '--p12', taroP12, '--password-env', 'NOPE'], { code: 'CLI_USAGE', ja: /環境変数 NOPE が設定されていません/ }],
    ['a missing certificate file', ['register', '--user-id', 'a', '--sandbox', '--p12', '/nonexistent/x.p12', '--password-env', 'PW'], { code: 'CERT_FILE_UNREADABLE', ja: /開けませんでした/ }],
    ['a bad profile name', ['whoami', '--profile', '../x'], { code: 'PROFILE_NAME_INVALID', ja: /プロファイル名/ }],
    ['login without a profile', ['login', '--password-env', 'PW'], { code: 'IDENTITY_NOT_SET_UP', ja: /todoke register/ }],
    ['whoami without a profile', ['whoami'], { code: 'IDENTITY_NOT_SET_UP', ja: /まだ設定されていません/ }],
    ['cert add without a profile', ['cert', 'add', suzukiCert], { code: 'IDENTITY_NOT_SET_UP', ja: /todoke register/ }],
    ['cert delete without a profile', ['cert', 'delete', suzukiCert], { code: 'IDENTITY_NOT_SET_UP', ja: /todoke register/ }],
    ['cert update without a profile or --user-id', ['cert', 'update', '--old', taroCert, '--p12', renewedP12, '--password-env', 'PW'], { code: 'IDENTITY_NOT_SET_UP', ja: /--user-id 利用者ID と接続先/ }],
    ['cert update --user-id without an endpoint', ['cert', 'update', '--old', taroCert, '--user-id', 'a', '--p12', renewedP12], { code: 'CLI_USAGE', ja: /接続先を指定してください/ }],
    ['cert update without --old', ['cert', 'update', '--p12', renewedP12], { code: 'CLI_USAGE', ja: /--old/ }],
    [
      'an endpoint refusing connections',
      ['register', '--user-id', 'a', '--endpoint', 'http://127.0.0.1:9/shinsei/1/', '--software-id', SOFTWARE_ID, '--p12', taroP12, '--password-env', 'PW'],
      { code: 'EGOV_CONNECTION_FAILED', ja: /接続できませんでした/ },
    ],
  ];
  for (const [name, argv, expected] of bad) {
    it(`exit 2 on ${name}, nothing written`, async () => {
      const home = scratchHome();
      await fails(home, argv, { exit: 2, ...expected });
      assert.equal(existsSync(join(home, 'profiles')), false);
    });
  }

  it('--json: the error as one JSON object on stdout, the line on stderr', async () => {
    const home = scratchHome();
    const r = await fails(home, ['whoami', '--json'], { exit: 2, code: 'IDENTITY_NOT_SET_UP' });
    const out = JSON.parse(r.stdout) as { error: { code: string; message: string; messageJa: string } };
    assert.equal(out.error.code, 'IDENTITY_NOT_SET_UP');
    assert.match(out.error.messageJa, /todoke register/);
    assert.equal(typeof out.error.message, 'string');
    const usage = await fails(home, ['register', '--json', '--bogus'], { exit: 2, code: 'CLI_USAGE' });
    assert.equal((JSON.parse(usage.stdout) as { error: { code: string } }).error.code, 'CLI_USAGE');
    assert.doesNotMatch(usage.stderr, /使い方:/, 'no help text in JSON mode');
  });

  it('a duplicate registration: the sandbox message, exit 1, no profile in the second home', async () => {
    const userId = newUserId();
    await register(scratchHome(), userId);
    const home = scratchHome();
    const r = await fails(home, ['register', '--user-id', userId, ...endpoint(), '--p12', taroP12, '--password-env', 'PW', '--json'], { exit: 1, code: 'EGOV_API_ERROR', ja: /既に登録されています/ });
    assert.match((JSON.parse(r.stdout) as { error: { messageJa: string } }).error.messageJa, /既に登録されています/);
    assert.equal(existsSync(join(home, 'profiles')), false);
    // another certificate for a taken ID
    await fails(home, ['register', '--user-id', userId, ...endpoint(), '--p12', suzukiP12, '--password-env', 'PW'], { exit: 1, code: 'EGOV_API_ERROR', ja: /別の証明書で既に登録されています/ });
    assert.equal(existsSync(join(home, 'profiles')), false);
  });

  it('registered, but the login after it failed: the profile is kept and the message says to run todoke login', async () => {
    // registration goes through to the sandbox; the login after it meets a server error
    const proxy = await startFaultServer({
      handler: async (request) => {
        if (!request.url.endsWith('/authentication/user')) return { kind: 'respond', status: 503 };
        const answer = await fetch(new URL('authentication/user', sandbox.apiBaseUrl), {
          method: 'POST',
          headers: { 'x-eGovAPI-SoftwareID': SOFTWARE_ID, 'Content-Type': 'text/xml; charset=UTF-8' },
          body: request.body.toString('utf8'),
        });
        return { kind: 'respond', status: answer.status, body: Buffer.from(await answer.arrayBuffer()), headers: { 'Content-Type': 'text/xml; charset=UTF-8' } };
      },
    });
    try {
      const home = scratchHome();
      const userId = newUserId();
      const r = await fails(home, ['register', '--user-id', userId, '--endpoint', proxy.baseUrl, '--software-id', SOFTWARE_ID, '--p12', taroP12, '--password-env', 'PW'], {
        exit: 2,
        code: 'EGOV_SERVER_ERROR',
        ja: /利用者ID .* は登録され、プロファイル「default」に保存しましたが、続くログイン（利用者認証）に失敗しました: .*todoke login でログインしてください/,
      });
      assert.equal(r.stdout, '');
      const who = await okJson<{ userId: string; key: { held: boolean }; lastAuthentication: unknown }>(home, ['whoami']);
      assert.deepEqual([who.userId, who.key.held, who.lastAuthentication], [userId, false, null]);
      assert.match((await ok(home, ['whoami'])).stdout, /アクセスキー\s+なし（todoke login で取得します）/);
      assert.equal(proxy.requests.length, 2);
    } finally {
      await proxy.close();
    }
  });

  it('a corrupt profile.json: a typed error that says what to do; profile forget is the way out', async () => {
    const home = scratchHome();
    await register(home, newUserId());
    const path = join(profileDir(home), 'profile.json');
    const good = readFileSync(path, 'utf8');
    for (const text of ['{', '[]', JSON.stringify({ ...JSON.parse(good), userId: 'a b' }), '']) {
      writeFileSync(path, text);
      const r = await fails(home, ['whoami'], { exit: 2, code: 'PROFILE_CORRUPT', ja: /壊れている/ });
      assert.match(r.stderr, /ヒント: todoke profile forget/);
      await fails(home, ['login', '--password-env', 'PW'], { exit: 2, code: 'PROFILE_CORRUPT' });
      await fails(home, ['cert', 'add', suzukiCert, '--password-env', 'PW'], { exit: 2, code: 'PROFILE_CORRUPT' });
      assert.equal(readFileSync(path, 'utf8'), text, 'a corrupt profile is never silently replaced');
    }
    const forgot = (await okJson(home, ['profile', 'forget'])) as { profile: string; forgotten: boolean; setAside: string };
    assert.deepEqual({ ...forgot, setAside: undefined }, { profile: 'default', forgotten: true, setAside: undefined });
    // set aside, not deleted: the damaged file is still there to look at
    assert.match(forgot.setAside, /profiles[/\\]default\.corrupt-/);
    assert.equal(readFileSync(join(forgot.setAside, 'profile.json'), 'utf8'), '');
    assert.equal(existsSync(profileDir(home)), false);
    await fails(home, ['whoami'], { exit: 2, code: 'IDENTITY_NOT_SET_UP' });
    assert.match((await ok(home, ['profile', 'forget'])).stdout, /ありませんでした/);
  });

  it('the help lists the identity commands and their exit codes', async () => {
    const r = await cli(['help']);
    assert.equal(r.code, 0);
    for (const text of ['todoke register', 'todoke login', 'todoke whoami', 'todoke cert add', 'todoke cert update --old', 'todoke cert delete', 'todoke profile forget', '--sandbox', 'e-Gov が要求を受け付けなかった']) {
      assert.ok(r.stdout.includes(text), text);
    }
  });
});

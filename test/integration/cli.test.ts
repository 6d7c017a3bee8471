import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cli, cliProcess } from '../support/cli.js';
import { createSoftHsmToken, sandboxTokenUser } from '../support/softhsm.js';
import { egovCertsDir, recordedDir, repoRoot } from '../support/paths.js';

const ee01Key = join(egovCertsDir, 'e-GovEE01_sha2.pem');
const ee01Cert = join(egovCertsDir, 'e-GovEE01_sha2.cer');
const taroP12 = join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12');
const registerRequest = join(recordedDir, 'register', 'request.xml');
const officialDocument = join(recordedDir, 'officialdocument-verify', '1', 'response-filedata-1', '0000-API-002.xml');
const work = mkdtempSync(join(tmpdir(), 'todoke-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('todoke sign request', () => {
  it('reproduces the recorded register request byte for byte (golden vector)', async () => {
    const r = await cli(['sign', 'request', '--user-id', '150428114507', '--signature-id', '20150428114507', '--key', ee01Key, '--cert', ee01Cert, '--password-env', 'PW'], { env: { PW: 'hoge' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(registerRequest, 'utf8'));
    assert.match(r.stderr, /警告/); // the 2014 certificate has expired: a warning, still signed
  });

  it('signs with a PKCS#12 file and a default JST Signature Id; the result verifies', async () => {
    const r = await cli(['sign', 'request', '--user-id', 'taro01', '--kind', 'login', '--p12', taroP12, '--password-env', 'PW'], { env: { PW: 'todoke' }, now: new Date('2026-11-27T03:04:05Z') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Id="20261127120405"/);
    const file = join(work, 'login.xml');
    writeFileSync(file, r.stdout);
    const v = await cli(['verify', file, '--json']);
    assert.equal(v.code, 0);
    assert.equal(JSON.parse(v.stdout).valid, true);
  });

  it('signs with a PKCS#11 token: a wrong PIN typed first, then the right one', async () => {
    const token = createSoftHsmToken({
      label: 'CliToken',
      pin: '1234',
      objects: [sandboxTokenUser('k')],
    });
    try {
      const base = ['sign', 'request', '--user-id', 'sato01', '--pkcs11-module', token.modulePath, '--token', 'CliToken'];
      const typed = await cli(base, { secrets: ['9999', '1234'] });
      assert.equal(typed.code, 0, typed.stderr);
      assert.equal(typed.prompts.length, 2);
      assert.match(typed.prompts[1] as string, /PIN が違います/);
      const wrongEnv = await cli([...base, '--pin-env', 'PIN'], { env: { PIN: '0000' } });
      assert.equal(wrongEnv.code, 2);
      assert.match(wrongEnv.stderr, /^エラー \[PIN_INCORRECT\]: 環境変数 PIN の PIN は受け付けられませんでした（PIN が違います）。IC カードのロックを避けるため、再試行はしていません/);
      assert.doesNotMatch(wrongEnv.stderr, /0000/);
      assert.equal(wrongEnv.prompts.length, 0);
      // no terminal to ask on and no variable: a clear error, not a hang
      const none = await cli(base);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /^エラー \[CREDENTIAL_MISSING\]: IC カード「CliToken」の PIN が入力されなかった.*--pin-env/);
      // the same flag checks as the identity commands
      const password = await cli([...base, '--password-env', 'PW'], { env: { PW: '1234' } });
      assert.equal(password.code, 2);
      assert.match(password.stderr, /\[CLI_USAGE\].*--pin-env/);
    } finally {
      token.cleanup();
    }
  });

  it('asks for a file password on the terminal like the identity commands; an environment password is tried once', async () => {
    const base = ['sign', 'request', '--user-id', 'taro01', '--p12', taroP12];
    const typed = await cli(base, { secrets: ['wrong', 'todoke'] });
    assert.equal(typed.code, 0, typed.stderr);
    assert.equal(typed.prompts.length, 2);
    assert.match(typed.prompts[0] as string, /証明書ファイル「yamada-taro\.p12」のパスワードを入力してください（利用者ID登録/);
    assert.match(typed.prompts[1] as string, /^パスワードが違います。/);
    const login = await cli([...base, '--kind', 'login'], { secrets: ['todoke'] });
    assert.match(login.prompts[0] as string, /（利用者認証/);

    const none = await cli(base);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^エラー \[CREDENTIAL_MISSING\]: .*--password-env/);
    const wrong = await cli([...base, '--password-env', 'PW'], { env: { PW: 'not-it-4321' } });
    assert.equal(wrong.code, 2);
    assert.equal(wrong.prompts.length, 0);
    assert.match(wrong.stderr, /^エラー \[BAD_PASSWORD\]: 環境変数 PW のパスワードでは/);
    assert.doesNotMatch(wrong.stderr, /not-it-4321/);
    const pinEnv = await cli([...base, '--pin-env', 'PW'], { env: { PW: 'todoke' } });
    assert.equal(pinEnv.code, 2);
    assert.match(pinEnv.stderr, /\[CLI_USAGE\].*--password-env/);
  });

  const usage: [string, string[], Record<string, string>?][] = [
    ['no user id', ['sign', 'request', '--p12', taroP12]],
    ['a user id with a space', ['sign', 'request', '--user-id', 'a b', '--p12', taroP12]],
    ['an unknown --kind', ['sign', 'request', '--user-id', 'a', '--kind', 'delete', '--p12', taroP12]],
    ['no signer', ['sign', 'request', '--user-id', 'a']],
    ['two signers', ['sign', 'request', '--user-id', 'a', '--p12', taroP12, '--key', ee01Key, '--cert', ee01Cert]],
    ['an unknown flag', ['sign', 'request', '--user-id', 'a', '--p12', taroP12, '--bogus']],
    ['an unset password variable', ['sign', 'request', '--user-id', 'a', '--p12', taroP12, '--password-env', 'NOPE']],
    ['a wrong password', ['sign', 'request', '--user-id', 'a', '--p12', taroP12, '--password-env', 'PW'], { PW: 'wrong' }],
    ['a missing certificate file', ['sign', 'request', '--user-id', 'a', '--p12', join(work, 'none.p12'), '--password-env', 'PW'], { PW: 'x' }],
    ['a missing PKCS#11 module', ['sign', 'request', '--user-id', 'a', '--pkcs11-module', '/nonexistent/lib.so', '--token', 'T', '--pin-env', 'PW'], { PW: '1' }],
    ['an unknown command', ['frobnicate']],
    ['no command', []],
  ];
  for (const [name, argv, env] of usage) {
    it(`exits 2 on ${name}`, async () => {
      const r = await cli(argv, { env: env ?? {} });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr + r.stdout, /エラー|使い方/);
    });
  }
});

describe('todoke sign kousei', () => {
  it('signs a folder in place after a backup; the result verifies; a changed 申請書 makes it invalid (exit 1)', async () => {
    const dir = join(work, 'app');
    cpSync(join(recordedDir, 'apply', 'request-filedata-1', '900A010200001000(1)'), dir, { recursive: true });
    const before = readFileSync(join(dir, 'kousei.xml'));
    const r = await cli(['sign', 'kousei', dir, '--p12', taroP12, '--password-env', 'PW', '--json'], { env: { PW: 'todoke' } });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { backup: string; references: string[] };
    assert.ok(readFileSync(out.backup).equals(before));
    assert.equal(readdirSync(dir).filter((n) => n.startsWith('kousei.xml.bak-')).length, 1);
    const v = await cli(['verify', join(dir, 'kousei.xml'), '--json', '--trust', join(repoRoot, 'assets/sandbox-pki/sandbox-ca.cert.pem')]);
    assert.equal(v.code, 0, v.stdout);
    const report = JSON.parse(v.stdout);
    assert.equal(report.valid, true);
    assert.equal(report.chain.trusted, true);
    assert.match(report.signer, /山田 太郎/);
    writeFileSync(join(dir, '900A01020000100001_01.xml'), Buffer.concat([readFileSync(join(dir, '900A01020000100001_01.xml')), Buffer.from(' ')]));
    const tampered = await cli(['verify', join(dir, 'kousei.xml')]);
    assert.equal(tampered.code, 1);
    assert.match(tampered.stdout, /署名: 無効/);
  });

  it('asks for the password with the task named', async () => {
    const dir = join(work, 'app-typed');
    cpSync(join(recordedDir, 'apply', 'request-filedata-1', '900A010200001000(1)'), dir, { recursive: true });
    const r = await cli(['sign', 'kousei', dir, '--p12', taroP12], { secrets: ['todoke'] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.prompts.length, 1);
    assert.match(r.prompts[0] as string, /「yamada-taro\.p12」のパスワードを入力してください（申請データへの署名/);
  });
});

describe('todoke verify', () => {
  it('a recorded request: valid, expired now, valid and trusted at the recording time', async () => {
    const now = await cli(['verify', registerRequest, '--json']);
    assert.equal(now.code, 0);
    const j = JSON.parse(now.stdout);
    for (const key of ['valid', 'signer', 'issuer', 'notBefore', 'notAfter', 'references']) assert.ok(key in j, key);
    assert.equal(j.valid, true);
    assert.equal(j.validity.state, 'expired');
    assert.equal(j.chain.trusted, null);
    const then = JSON.parse((await cli(['verify', registerRequest, '--json', '--at', '2015-04-28T11:45:07+09:00', '--trust', ee01Cert])).stdout);
    assert.equal(then.validity.state, 'valid');
    assert.equal(then.chain.trusted, true);
  });

  it('the recorded official document verifies; a changed one does not (exit 1)', async () => {
    const r = await cli(['verify', officialDocument]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /公文書/);
    const file = join(work, 'doc.xml');
    writeFileSync(file, readFileSync(officialDocument, 'utf8').replace('特になし', '特にあり'));
    assert.equal((await cli(['verify', file])).code, 1);
  });

  it('does not follow a symlink out of the document folder: the file is not read, the signature is not valid (exit 1)', async () => {
    const dir = join(work, 'app-link');
    cpSync(join(recordedDir, 'apply', 'request-filedata-1', '900A010200001000(1)'), dir, { recursive: true });
    const signed = await cli(['sign', 'kousei', dir, '--p12', taroP12, '--password-env', 'PW'], { env: { PW: 'todoke' } });
    assert.equal(signed.code, 0, signed.stderr);
    // the very same bytes, moved out of the folder and linked back: only the link's target is wrong
    const name = '900A01020000100001_01.xml';
    const outside = join(work, `outside-${name}`);
    renameSync(join(dir, name), outside);
    symlinkSync(outside, join(dir, name));
    const r = await cli(['verify', join(dir, 'kousei.xml')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /署名: 無効/);
    assert.match(r.stdout, new RegExp(`ファイル「${name}」は文書のフォルダーの外を指すシンボリックリンクのため、読んでいません`));
    const json = JSON.parse((await cli(['verify', join(dir, 'kousei.xml'), '--json'])).stdout) as { valid: boolean; problems: string[] };
    assert.equal(json.valid, false);
    assert.ok(json.problems.some((p) => p.includes('シンボリックリンク')));
    // a link that stays inside the folder is followed as before
    rmSync(join(dir, name));
    renameSync(outside, join(dir, 'real.xml'));
    symlinkSync('real.xml', join(dir, name));
    const inside = await cli(['verify', join(dir, 'kousei.xml')]);
    assert.equal(inside.code, 0, inside.stdout + inside.stderr);
  });

  for (const [name, argv] of [
    ['a missing file', ['verify', join(work, 'nothing.xml')]],
    ['a bad --at', ['verify', registerRequest, '--at', 'yesterday']],
    ['an unknown --profile', ['verify', registerRequest, '--profile', 'pdf']],
    ['two files', ['verify', registerRequest, registerRequest]],
  ] as const) {
    it(`exits 2 on ${name}`, async () => assert.equal((await cli([...argv])).code, 2));
  }

  it('exits 2 on a file over the size limit, without reading it', async () => {
    const file = join(work, 'huge.xml');
    writeFileSync(file, '');
    truncateSync(file, 11 * 1024 * 1024);
    const r = await cli(['verify', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /大きすぎます/);
  });

  it('exits 2 with a typed error on XML that is not a signed document, a DOCTYPE, or truncated', async () => {
    for (const [n, text] of [
      ['plain.xml', '<DataRoot/>'],
      ['doctype.xml', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
      ['cut.xml', readFileSync(registerRequest, 'utf8').slice(0, 300)],
    ] as const) {
      const file = join(work, n);
      writeFileSync(file, text);
      const r = await cli(['verify', file]);
      assert.equal(r.code, 2, n);
      assert.match(r.stderr, /エラー \[/);
    }
  });
});

describe('the todoke command as a process', () => {
  it('prints its version and verifies through bin/todoke.mjs', () => {
    assert.match(cliProcess(['--version']).stdout, /^\d+\.\d+\.\d+/);
    const r = cliProcess(['verify', registerRequest, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).valid, true);
  });
});


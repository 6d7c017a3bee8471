// Settings of the sandbox: flags, <data>/sandbox.json, defaults, and every malformed, hostile,
// huge or truncated form of them refused with a typed error and a Japanese message. Also the
// trust files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isTodokeError } from '../../src/shared/errors.js';
import { DEFAULT_CLI_PORT, DEFAULT_KEY_TTL_SECONDS, DEFAULT_SOFTWARE_ID, parseSandboxArgs, readConfigFile, settingsToOptions } from '../../src/sandbox/config.js';
import { BUNDLED_CA_FILE, loadTrustAnchors, readTrustFile } from '../../src/sandbox/trust-anchors.js';
import { egovCertsDir } from '../support/paths.js';

const root = mkdtempSync(join(tmpdir(), 'todoke-sandbox-config-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A data folder that does not exist (so holds no sandbox.json). */
function dir(): string {
  return join(root, `absent-${++n}`);
}
function dataDirWith(config: string): string {
  const d = mkdtempSync(join(root, 'data-'));
  writeFileSync(join(d, 'sandbox.json'), config);
  return d;
}
const ctx = { cwd: '/work/somewhere', defaultDataDir: '/home/u/.config/todoke/sandbox' };

function throwsCode(fn: () => unknown, code: string, ja?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isTodokeError(e, code), String(e));
    if (ja) assert.match((e as { messageJa: string }).messageJa, ja);
    return true;
  });
}

void describe('parseSandboxArgs', () => {
  void it('defaults', () => {
    const s = parseSandboxArgs([], { cwd: root, defaultDataDir: join(root, 'none') });
    assert.deepEqual(s, {
      dataDir: join(root, 'none'),
      host: '127.0.0.1',
      port: DEFAULT_CLI_PORT,
      softwareIds: [DEFAULT_SOFTWARE_ID],
      trust: [],
      clock: null,
      keyTtlSeconds: DEFAULT_KEY_TTL_SECONDS,
      https: false,
    });
    assert.equal(DEFAULT_SOFTWARE_ID, 'TODOKESANDBOX1');
    assert.equal(DEFAULT_KEY_TTL_SECONDS, 86400);
  });

  void it('flags: repeatable software IDs and trust files (relative to cwd), clock with a zone, TTL, HTTPS', () => {
    const s = parseSandboxArgs(
      ['--port', '0', '--host', '0.0.0.0', '--data', 'rel/data', '--software-id', 'A1', '--software-id', 'B2', '--trust', 'ca.pem', '--trust', '/abs/x.cer', '--clock', '2015-04-28T11:45:07+09:00', '--key-ttl', '60', '--https'],
      { ...ctx, cwd: root },
    );
    assert.equal(s.dataDir, join(root, 'rel/data'));
    assert.equal(s.port, 0);
    assert.equal(s.host, '0.0.0.0');
    assert.deepEqual(s.softwareIds, ['A1', 'B2']);
    assert.deepEqual(s.trust, [join(root, 'ca.pem'), '/abs/x.cer']);
    assert.equal(s.clock?.toISOString(), '2015-04-28T02:45:07.000Z');
    assert.equal(s.keyTtlSeconds, 60);
    assert.equal(s.https, true);
    assert.deepEqual(settingsToOptions(s).clock, s.clock);
  });

  void it('sandbox.json fills what flags leave out; flags win key by key; trust paths in it are relative to the data folder', () => {
    const d = dataDirWith(JSON.stringify({ port: 9999, 'software-id': 'FILEID', trust: ['ca.pem'], clock: '2020-01-01T00:00:00Z', 'key-ttl': 5, https: true, host: 'localhost' }));
    const fromFile = parseSandboxArgs(['--data', d], ctx);
    assert.equal(fromFile.port, 9999);
    assert.deepEqual(fromFile.softwareIds, ['FILEID']);
    assert.deepEqual(fromFile.trust, [join(d, 'ca.pem')]);
    assert.equal(fromFile.clock?.toISOString(), '2020-01-01T00:00:00.000Z');
    assert.equal(fromFile.keyTtlSeconds, 5);
    assert.equal(fromFile.https, true);
    assert.equal(fromFile.host, 'localhost');
    const overridden = parseSandboxArgs(['--data', d, '--port', '1', '--software-id', 'FLAGID', '--key-ttl', '7'], ctx);
    assert.equal(overridden.port, 1);
    assert.deepEqual(overridden.softwareIds, ['FLAGID']);
    assert.equal(overridden.keyTtlSeconds, 7);
    assert.deepEqual(overridden.trust, [join(d, 'ca.pem')]);
  });

  void it('the 形式チェック delay and the 送信案件一覧 cap: flags, sandbox.json, and what the server is given', () => {
    const s = parseSandboxArgs(['--format-check-delay', '0', '--max-list-records', '50', '--data', dir()], ctx);
    assert.equal(s.formatCheckDelaySeconds, 0);
    assert.equal(s.maxListRecords, 50);
    const options = settingsToOptions(s);
    assert.equal(options.formatCheckDelayMs, 0);
    assert.equal(options.maxListRecords, 50);
    const d = dataDirWith(JSON.stringify({ 'format-check-delay': 10, 'max-list-records': 7 }));
    const fromFile = parseSandboxArgs(['--data', d], ctx);
    assert.equal(settingsToOptions(fromFile).formatCheckDelayMs, 10_000);
    assert.equal(fromFile.maxListRecords, 7);
    assert.equal(parseSandboxArgs(['--data', d, '--format-check-delay', '2'], ctx).formatCheckDelaySeconds, 2, 'the flag wins');
    for (const bad of [{ 'format-check-delay': -3 }, { 'format-check-delay': 99999 }, { 'max-list-records': 0 }, { 'max-list-records': 1.5 }]) {
      throwsCode(() => parseSandboxArgs(['--data', dataDirWith(JSON.stringify(bad))], ctx), 'SANDBOX_CONFIG');
    }
  });

  void it('--standin-bank: a flag only, passed to the server as standInBank; absent by default; not a sandbox.json key', () => {
    const on = parseSandboxArgs(['--standin-bank', '--data', dir()], ctx);
    assert.equal(on.standInBank, true);
    assert.equal(settingsToOptions(on).standInBank, true);
    assert.equal(settingsToOptions(parseSandboxArgs(['--data', dir()], ctx)).standInBank, undefined);
    throwsCode(() => parseSandboxArgs(['--standin-bank=yes', '--data', dir()], ctx), 'SANDBOX_CONFIG');
    throwsCode(() => parseSandboxArgs(['--data', dataDirWith(JSON.stringify({ 'standin-bank': true }))], ctx), 'SANDBOX_CONFIG');
  });

  void it('refuses malformed flag values', () => {
    for (const args of [
      ['--port', '-1'],
      ['--port', '65536'],
      ['--port', '80x'],
      ['--port', ''],
      ['--key-ttl', '0'],
      ['--key-ttl', '1.5'],
      ['--key-ttl', '99999999999'],
      ['--clock', '2015-04-28'],
      ['--clock', '2015-04-28T11:45:07'],
      ['--clock', 'yesterday'],
      ['--clock', '2015-13-45T99:00:00Z'],
      ['--software-id', 'has space'],
      ['--software-id', ''],
      ['--software-id', 'x'.repeat(129)],
      ['--host', 'a b'],
      ['--unknown'],
      ['positional'],
      ['--port'],
      ['--format-check-delay', '-1'],
      ['--format-check-delay', '1.5'],
      ['--format-check-delay', '3601'],
      ['--format-check-delay', ''],
      ['--max-list-records', '0'],
      ['--max-list-records', '100001'],
      ['--max-list-records', 'many'],
    ]) {
      throwsCode(() => parseSandboxArgs([...args, '--data', dir()], ctx), 'SANDBOX_CONFIG');
    }
  });

  void it('refuses a malformed, truncated, hostile or huge sandbox.json', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"port": 80', /JSON として読めません/],
      ['', /JSON として読めません/],
      ['[1,2]', /JSON オブジェクト/],
      ['null', /JSON オブジェクト/],
      ['{"prot": 1}', /不明な設定項目 "prot"/],
      ['{"__proto__": {"https": true}}', /不明な設定項目 "__proto__"/],
      ['{"https": "yes"}', /true か false/],
      ['{"trust": [1]}', /文字列/],
      ['{"software-id": ["ok", "not ok"]}', /ソフトウェアID/],
      ['{"port": 1e9}', /ポート番号/],
      ['{"clock": 0}', /ISO-8601/],
      [`{"port": 1, "pad": "${'x'.repeat(70_000)}"}`, /大きすぎます/],
    ];
    for (const [text, ja] of cases) {
      const d = dataDirWith(text);
      throwsCode(() => parseSandboxArgs(['--data', d], ctx), 'SANDBOX_CONFIG', ja);
    }
    assert.deepEqual(readConfigFile(join(root, 'no-such-dir')), {});
  });
});

void describe('trust files', () => {
  void it('reads PEM (with Bag Attributes) and DER, several PEM blocks in one file', () => {
    assert.equal(readTrustFile(join(egovCertsDir, 'e-GovEE01_sha2.cer')).length, 1);
    const bundle = join(root, 'bundle.pem');
    const pem = readTrustFile(BUNDLED_CA_FILE)[0]!.toString();
    writeFileSync(bundle, `junk before\n${pem}\n${pem}`);
    assert.equal(readTrustFile(bundle).length, 2);
    const der = join(root, 'ca.der');
    writeFileSync(der, readTrustFile(BUNDLED_CA_FILE)[0]!.raw);
    assert.equal(readTrustFile(der)[0]!.subject, readTrustFile(BUNDLED_CA_FILE)[0]!.subject);
  });

  void it('the bundled anchor is the Todoke Sandbox Test CA, added before the extra ones', () => {
    const anchors = loadTrustAnchors([join(egovCertsDir, 'e-GovEE02_sha2.cer')], true);
    assert.equal(anchors.length, 2);
    assert.match(anchors[0]!.subject, /CN=Todoke サンドボックス テスト認証局/);
    assert.ok(anchors[0]!.ca);
    assert.match(anchors[1]!.subject, /Jiro Madoguchi/);
    assert.equal(loadTrustAnchors([], false).length, 0);
  });

  void it('refuses a missing, empty, truncated, non-certificate or huge file', () => {
    const pem = readTrustFile(BUNDLED_CA_FILE)[0]!.toString();
    const files: Array<[string, string | Buffer]> = [
      ['empty.pem', ''],
      ['truncated.pem', pem.slice(0, pem.length / 2)],
      ['garbage-inside.pem', '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n'],
      ['key.pem', '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n'],
      ['random.der', Buffer.from([0x30, 0x82, 0x01, 0x00, 1, 2, 3])],
      ['huge.pem', Buffer.alloc(1024 * 1024 + 1, 0x41)],
    ];
    for (const [name, content] of files) {
      const p = join(root, name);
      writeFileSync(p, content);
      throwsCode(() => readTrustFile(p), 'SANDBOX_TRUST_FILE');
    }
    throwsCode(() => readTrustFile(join(root, 'missing.pem')), 'SANDBOX_TRUST_FILE', /読めません/);
  });
});

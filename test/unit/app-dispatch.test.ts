// The core's single door (src/main/app): every operation through `dispatch`, and every way a
// hostile or broken renderer can knock on it. Nothing here may throw; everything comes back as an
// envelope with a typed error and a Japanese message.
import assert from 'node:assert/strict';
import { scratchHome } from '../support/home.js';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp, type AppDeps } from '../../src/main/app/create-app.js';
import type { Envelope } from '../../src/shared/contract.js';
import { MAX_CERTIFICATE_FILE_BYTES } from '../../src/shared/contract.js';
import type { CertificateDescription } from '../../src/shared/domain.js';
import type { ErrorPayload } from '../../src/shared/errors.js';
import { egovCertsDir, egovKeyPassphrase } from '../support/paths.js';

const pemPath = join(egovCertsDir, 'e-GovEE01_sha2.cer');
const pem = readFileSync(pemPath);
const cert = new X509Certificate(pem);
const der = cert.raw;
const notBefore = new Date(cert.validFrom);
const notAfter = new Date(cert.validTo);
const DAY = 24 * 60 * 60 * 1000;
const P12_PASSWORD = 'パスワード-todoke';

let scratch: string;
let p12: Buffer;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'todoke-app-'));
  const out = join(scratch, 'egov.p12');
  // Written by OpenSSL, as filers' files are; a Japanese password exercises the UTF-16/UTF-8 rules.
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', join(egovCertsDir, 'e-GovEE01_sha2.pem'), '-in', pemPath, '-passin', `pass:${egovKeyPassphrase}`, '-passout', `pass:${P12_PASSWORD}`, '-out', out]);
  p12 = readFileSync(out);
});

after(() => rmSync(scratch, { recursive: true, force: true }));

function app(deps: Partial<AppDeps> = {}) {
  const unexpected: unknown[] = [];
  const core = createApp({ host: 'harness', home: scratchHome(), version: '9.8.7', platform: 'linux', now: () => new Date(notBefore.getTime() + 100 * DAY), onUnexpected: (_op, e) => unexpected.push(e), ...deps });
  return { core, unexpected };
}

function ok<T>(envelope: Envelope<unknown>): T {
  assert.ok(envelope.ok, `expected success, got ${JSON.stringify(envelope)}`);
  return envelope.value as T;
}

function failed(envelope: Envelope<unknown>, code: string): ErrorPayload {
  assert.equal(envelope.ok, false, `expected ${code}, got ${JSON.stringify(envelope)}`);
  if (envelope.ok) throw new Error('unreachable');
  assert.equal(envelope.error.code, code, envelope.error.message);
  assert.match(envelope.error.messageJa, /[ぁ-んァ-ン一-龯]/, 'a Japanese message');
  assert.ok(envelope.error.message.length > 0, 'an English message');
  return envelope.error;
}

function describeArgs(fileName: string, bytes: Buffer, password?: string) {
  return { fileName, dataBase64: bytes.toString('base64'), ...(password === undefined ? {} : { password }) };
}

void describe('app.info', () => {
  void it('tells the version, platform and host', async () => {
    const { core } = app();
    assert.deepEqual(ok(await core.dispatch('app.info', {})), { version: '9.8.7', platform: 'linux', host: 'harness' });
  });
  void it('defaults the platform to this process', async () => {
    const core = createApp({ host: 'electron', home: scratchHome(), version: '1.0.0' });
    assert.deepEqual(ok(await core.dispatch('app.info', {})), { version: '1.0.0', platform: process.platform, host: 'electron' });
  });
  void it('refuses arguments it does not take', async () => {
    const { core } = app();
    failed(await core.dispatch('app.info', { verbose: true }), 'INVALID_ARGUMENT');
    failed(await core.dispatch('app.info', undefined), 'INVALID_ARGUMENT');
  });
});

void describe('certificate.describe', () => {
  void it('reads a PEM certificate with bag attributes, and warns that it has expired', async () => {
    const { core } = app({ now: () => new Date('2026-01-01T00:00:00Z') });
    const d = ok<CertificateDescription>(await core.dispatch('certificate.describe', describeArgs('e-GovEE01_sha2.cer', pem)));
    assert.equal(d.source, 'pem');
    assert.equal(d.certificate.commonName, 'Ichiro Madoguchi');
    assert.equal(d.certificate.issuer, 'C=JP, O=DemoMin1, OU=CA1');
    assert.equal(d.certificate.serialNumber, '5475CF7D');
    assert.equal(d.certificate.notAfter, '2019-11-27T14:59:59.000Z');
    assert.equal(d.certificate.fingerprintSha256, cert.fingerprint256);
    assert.deepEqual(d.warnings.map((w) => w.code), ['CERT_EXPIRED']);
    assert.match(d.warnings[0]!.messageJa, /有効期限が切れています/);
    assert.deepEqual(Object.keys(d.warnings[0]!).sort(), ['code', 'message', 'messageJa'], 'only the promised fields cross');
  });

  void it('reads a DER certificate, and warns by the injected clock', async () => {
    const cases: [Date, string[]][] = [
      [new Date(notBefore.getTime() - DAY), ['CERT_NOT_YET_VALID']],
      [new Date(notBefore.getTime() + 100 * DAY), []],
      [new Date(notAfter.getTime() - 10 * DAY), ['CERT_EXPIRES_SOON']],
      [new Date(notAfter.getTime() + 1000), ['CERT_EXPIRED']],
    ];
    for (const [now, codes] of cases) {
      const { core } = app({ now: () => now });
      const d = ok<CertificateDescription>(await core.dispatch('certificate.describe', describeArgs('cert.der', der)));
      assert.equal(d.source, 'der');
      assert.deepEqual(d.warnings.map((w) => w.code), codes, now.toISOString());
    }
  });

  void it('opens a PKCS#12 file with its password, and only with it', async () => {
    const { core } = app();
    const d = ok<CertificateDescription>(await core.dispatch('certificate.describe', describeArgs('mine.P12', p12, P12_PASSWORD)));
    assert.equal(d.source, 'pkcs12');
    assert.equal(d.certificate.fingerprintSha256, cert.fingerprint256);

    const wrong = failed(await core.dispatch('certificate.describe', describeArgs('mine.pfx', p12, 'wrong-secret')), 'BAD_PASSWORD');
    assert.ok(!JSON.stringify(wrong).includes('wrong-secret'), 'the password never appears in an error');
    const missing = failed(await core.dispatch('certificate.describe', describeArgs('mine.p12', p12)), 'PASSWORD_REQUIRED');
    assert.match(missing.messageJa, /パスワードを入力してください/);
  });

  void it('closes the PKCS#12 signer it opened, also when describing fails', async () => {
    let closed = 0;
    const signer = { kind: 'pkcs12' as const, certificate: cert, sign: async () => Buffer.alloc(0), close: async () => void closed++ };
    const { core } = app({ certificates: { openPkcs12: () => signer } });
    ok(await core.dispatch('certificate.describe', describeArgs('a.p12', p12, 'x')));
    assert.equal(closed, 1);
    const broken = app({ certificates: { openPkcs12: () => signer, warnings: () => { throw new Error('boom'); } } });
    failed(await broken.core.dispatch('certificate.describe', describeArgs('a.p12', p12, 'x')), 'INTERNAL');
    assert.equal(closed, 2);
    assert.equal(broken.unexpected.length, 1, 'a bug is reported as unexpected');
  });

  void it('explains in Japanese that garbage, truncated or empty-looking files are not certificates', async () => {
    const { core } = app();
    const inputs: [string, Buffer][] = [
      ['garbage.cer', Buffer.from('これは証明書ではありません')],
      ['truncated.der', der.subarray(0, der.length - 20)],
      ['truncated.pem', pem.subarray(0, pem.length - 200)],
      ['broken-block.pem', Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')],
      ['zero.der', Buffer.from([0x30])],
    ];
    for (const [name, bytes] of inputs) {
      const error = failed(await core.dispatch('certificate.describe', describeArgs(name, bytes)), 'CERT_FORMAT');
      assert.match(error.messageJa, /証明書/, name);
    }
    failed(await core.dispatch('certificate.describe', describeArgs('garbage.p12', Buffer.from('not pkcs12 at all'), 'x')), 'CERT_FORMAT');
    failed(await core.dispatch('certificate.describe', describeArgs('truncated.p12', p12.subarray(0, 200), P12_PASSWORD)), 'CERT_FORMAT');
  });
});

void describe('dispatch refuses what is not in the contract', () => {
  void it('unknown operation names, including Object.prototype members and non-strings', async () => {
    const { core, unexpected } = app();
    for (const name of ['nope', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'app', 'app.info ', 'APP.INFO', 42, null, undefined, {}, ['app.info']]) {
      const error = failed(await core.dispatch(name, {}), 'UNKNOWN_OPERATION');
      assert.ok(error.messageJa.length < 200);
    }
    const long = failed(await core.dispatch(`x${'\u202e'.repeat(10)}${'y'.repeat(5000)}`, {}), 'UNKNOWN_OPERATION');
    assert.ok(long.messageJa.length < 300, 'a hostile name is shortened');
    assert.ok(!long.messageJa.includes('\u202e'), 'and stripped of control characters');
    assert.equal(unexpected.length, 0);
  });

  void it('arguments of the wrong shape or type', async () => {
    const { core } = app();
    const valid = describeArgs('a.cer', pem);
    const bad: [unknown, string][] = [
      [null, 'args'],
      ['a.cer', 'args'],
      [[valid.fileName, valid.dataBase64], 'args'],
      [new Map(Object.entries(valid)), 'args'],
      [{ ...valid, fileName: 5 }, 'args.fileName'],
      [{ ...valid, fileName: '' }, 'args.fileName'],
      [{ ...valid, fileName: 'a'.repeat(256) }, 'args.fileName'],
      [{ ...valid, password: 1234 }, 'args.password'],
      [{ ...valid, password: 'p'.repeat(1025) }, 'args.password'],
      [{ fileName: 'a.cer' }, 'args.dataBase64'],
      [{ ...valid, dataBase64: '' }, 'args.dataBase64'],
      [{ ...valid, dataBase64: '@@@@' }, 'args.dataBase64'],
      [{ ...valid, dataBase64: `${valid.dataBase64.slice(0, 40)}\n${valid.dataBase64.slice(40)}` }, 'args.dataBase64'],
      [{ ...valid, dataBase64: Array.from(pem) }, 'args.dataBase64'],
      [{ ...valid, extra: true }, 'args.extra'],
    ];
    for (const [args, path] of bad) {
      const error = failed(await core.dispatch('certificate.describe', args), 'INVALID_ARGUMENT');
      assert.equal(error.detail?.path, path, JSON.stringify(error));
    }
  });

  void it('prototype-pollution keys, without polluting anything', async () => {
    const { core } = app();
    const valid = describeArgs('a.cer', pem);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const hostile = JSON.parse(`{"fileName":"a.cer","dataBase64":"${valid.dataBase64}","${key}":{"polluted":true,"prototype":{"polluted":true}}}`) as unknown;
      const error = failed(await core.dispatch('certificate.describe', hostile), 'INVALID_ARGUMENT');
      assert.equal(error.detail?.reason, 'unknownKey');
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  });

  void it('files over 1 MiB before decoding them, and says so in Japanese', async () => {
    const { core } = app();
    const tooBig = describeArgs('big.cer', Buffer.alloc(MAX_CERTIFICATE_FILE_BYTES + 1, 0x41));
    const error = failed(await core.dispatch('certificate.describe', tooBig), 'INVALID_ARGUMENT');
    assert.equal(error.detail?.reason, 'tooLarge');
    assert.match(error.messageJa, /大きすぎます/);
    const huge = { fileName: 'huge.cer', dataBase64: 'A'.repeat(64 * 1024 * 1024) };
    assert.equal(failed(await core.dispatch('certificate.describe', huge), 'INVALID_ARGUMENT').detail?.reason, 'tooLarge');
    // Exactly the limit passes the contract, and is then judged by its content.
    failed(await core.dispatch('certificate.describe', describeArgs('max.cer', Buffer.alloc(MAX_CERTIFICATE_FILE_BYTES, 0x41))), 'CERT_FORMAT');
  });

  void it('never throws, even when a handler does', async () => {
    const { core, unexpected } = app({ certificates: { openPkcs12: () => { throw new TypeError('bug'); } } });
    const error = failed(await core.dispatch('certificate.describe', describeArgs('a.p12', p12, 'x')), 'INTERNAL');
    assert.match(error.message, /bug/);
    assert.equal(unexpected.length, 1);
  });
});

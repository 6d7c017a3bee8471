// The test PKI itself, checked with OpenSSL as the independent reader: the certificates and
// PKCS#12 files other tests rely on are what they claim to be.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { issueCertificate, makeCa, makePkcs12, selfSigned, testRsaKey } from '../../support/pki.js';

const dir = mkdtempSync(join(tmpdir(), 'todoke-pki-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[], env: Record<string, string> = {}): string {
  return execFileSync('openssl', args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const ca = makeCa({ commonName: 'テスト認証局', notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2060-01-01T00:00:00Z') });
const ee = issueCertificate(ca, {
  subject: { C: 'JP', O: '株式会社テスト', OU: '人事部', CN: '山田 太郎' },
  notBefore: new Date('2025-04-01T00:00:00Z'),
  notAfter: new Date('2027-03-31T14:59:59Z'),
});

void test('names are UTF8String (country PrintableString) and the chain verifies with OpenSSL', () => {
  const caPath = file('ca.pem', ca.certPem);
  const eePath = file('ee.pem', ee.certPem);
  const subject = openssl(['x509', '-in', eePath, '-noout', '-subject', '-nameopt', 'utf8,show_type,sep_comma_plus']);
  assert.match(subject, /C=PRINTABLESTRING:JP/);
  assert.match(subject, /O=UTF8STRING:株式会社テスト/);
  assert.match(subject, /OU=UTF8STRING:人事部/);
  assert.match(subject, /CN=UTF8STRING:山田 太郎/);
  assert.match(openssl(['verify', '-CAfile', caPath, eePath]), /OK/);
  assert.equal(ee.certificate.checkIssued(ca.certificate), true);
  assert.equal(ee.certificate.verify(ca.certificate.publicKey), true);
});

void test('validity, CA flag, key usage and key identifiers', () => {
  assert.equal(new Date(ee.certificate.validFrom).toISOString(), '2025-04-01T00:00:00.000Z');
  assert.equal(new Date(ee.certificate.validTo).toISOString(), '2027-03-31T14:59:59.000Z');
  // after 2049 the time is a GeneralizedTime
  assert.equal(new Date(ca.certificate.validTo).toISOString(), '2060-01-01T00:00:00.000Z');
  assert.equal(ca.certificate.ca, true);
  assert.equal(ee.certificate.ca, false);
  const text = openssl(['x509', '-in', file('ee2.pem', ee.certPem), '-noout', '-text']);
  assert.match(text, /Digital Signature, Non Repudiation/);
  assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  const caText = openssl(['x509', '-in', file('ca2.pem', ca.certPem), '-noout', '-text']);
  const caSki = /Subject Key Identifier: *\n *([0-9A-F:]+)/.exec(caText)?.[1];
  assert.ok(caSki);
  assert.ok(text.includes(caSki), 'the end entity names its issuer key');
  const self = selfSigned({ subject: { CN: 'self' } });
  assert.equal(self.certificate.subject, self.certificate.issuer);
  assert.equal(self.certificate.verify(self.certificate.publicKey), true);
  assert.equal(self.certificate.ca, false);
});

void test('keys are cached per name, and distinct per name', () => {
  assert.equal(testRsaKey('cache-a'), testRsaKey('cache-a'));
  assert.notEqual(testRsaKey('cache-a'), testRsaKey('cache-b'));
});

void test('makePkcs12 styles are what OpenSSL says they are', () => {
  const info = (p12: Buffer, legacy = false): string => {
    // OpenSSL writes the -info lines to stderr
    const r = spawnSync('openssl', ['pkcs12', '-in', file('info.p12', p12), '-info', '-noout', '-passin', 'env:P', ...(legacy ? ['-legacy'] : [])], {
      encoding: 'utf8',
      env: { ...process.env, P: 'パス' },
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout + r.stderr;
  };
  const modern = info(makePkcs12(ee.key, ee.certificate, 'パス', { chain: [ca.certificate] }));
  assert.match(modern, /MAC: sha256/);
  assert.match(modern, /PBES2, PBKDF2, AES-256-CBC/);
  const legacy = info(makePkcs12(ee.key, ee.certificate, 'パス', { legacy: true }), true);
  assert.match(legacy, /MAC: sha1/);
  assert.match(legacy, /pbeWithSHA1And40BitRC2-CBC/);
  const windowsP12 = makePkcs12(ee.key, ee.certificate, 'パス', { style: 'windows' });
  assert.equal(windowsP12.subarray(0, 2).toString('hex'), '3080', 'indefinite-length BER');
  const windows = info(windowsP12);
  assert.match(windows, /MAC: sha1/);
  assert.match(windows, /pbeWithSHA1And3-KeyTripleDES-CBC/);
  assert.doesNotMatch(windows, /RC2/);
  const noKey = info(makePkcs12(null, ee.certificate, 'パス', { noKey: true }));
  assert.doesNotMatch(noKey, /Keybag/);
});

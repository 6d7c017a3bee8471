// Certificate-file signers (PKCS#12 from OpenSSL 3 / -legacy / Windows-style BER, PEM pairs, the
// e-Gov encrypted test keys, the bundled sandbox credentials) and certificate warnings.
import assert from 'node:assert/strict';
import { createSign, verify, type X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import forge from 'node-forge';
import { MAX_CERTIFICATE_FILE_BYTES } from '../../../src/shared/contract.js';
import { parseCertificate } from '../../../src/main/signing/certificate.js';
import { SigningError } from '../../../src/main/signing/errors.js';
import { type CertificateFileSigner, openCertificateFile, openPemKeyAndCertificate, openPkcs12 } from '../../../src/main/signing/file-signer.js';
import { certificateWarnings } from '../../../src/main/signing/warnings.js';
import { egovCertsDir, egovKeyPassphrase, repoRoot } from '../../support/paths.js';
import { encryptedKeyPem, issueCertificate, makeCa, makePkcs12, selfSigned, testEcKey, type Pkcs12Style } from '../../support/pki.js';

const DAY = 24 * 60 * 60 * 1000;
const ca = makeCa({ commonName: 'Todoke テスト認証局' });
const yamada = issueCertificate(ca, { subject: { C: 'JP', O: '株式会社トドケ', CN: '山田 太郎' } });
const other = issueCertificate(ca, { subject: { C: 'JP', CN: '鈴木 花子' } });
const DATA = Buffer.from('<申請書 Id="ApplData"><氏名>山田 太郎</氏名></申請書>', 'utf8');

const tempDir = mkdtempSync(join(tmpdir(), 'todoke-file-signer-'));
after(() => rmSync(tempDir, { recursive: true, force: true }));

function expectCode(fn: () => unknown, code: string): SigningError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  return checkError(caught, code);
}

async function expectCodeAsync(promise: Promise<unknown>, code: string): Promise<SigningError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  return checkError(caught, code);
}

function checkError(caught: unknown, code: string): SigningError {
  assert.ok(caught instanceof SigningError, `expected SigningError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.messageJa, /[\u3040-\u30ff\u4e00-\u9fff]/, 'a Japanese message');
  return caught;
}

async function assertSignsFor(signer: CertificateFileSigner, cert: X509Certificate): Promise<void> {
  assert.equal(signer.certificate.fingerprint256, cert.fingerprint256);
  const signature = await signer.sign(DATA);
  assert.equal(signature.length, 256);
  assert.ok(verify('sha256', DATA, cert.publicKey, signature), 'signature verifies with the certificate');
  assert.ok(!verify('sha256', Buffer.from('tampered'), cert.publicKey, signature));
}

function writeTemp(name: string, content: string | Buffer): string {
  const path = join(tempDir, name);
  writeFileSync(path, content);
  return path;
}

void describe('openPkcs12', () => {
  const styles: Pkcs12Style[] = ['openssl3', 'legacy', 'windows'];

  for (const style of styles) {
    void test(`${style}: opens with the password, signs, exposes the chain`, async () => {
      const p12 = makePkcs12(yamada.key, yamada.certificate, 'todoke-pass', { style, chain: [ca.certificate] });
      const signer = openPkcs12(p12, 'todoke-pass');
      assert.equal(signer.kind, 'pkcs12');
      await assertSignsFor(signer, yamada.certificate);
      assert.deepEqual(
        signer.chain.map((c) => c.fingerprint256),
        [ca.certificate.fingerprint256],
      );
    });

    void test(`${style}: a Japanese password works as OpenSSL writes it`, async () => {
      const p12 = makePkcs12(yamada.key, yamada.certificate, '山田のパスワード', { style });
      await assertSignsFor(openPkcs12(p12, '山田のパスワード'), yamada.certificate);
      expectCode(() => openPkcs12(p12, '山田のパスワート'), 'BAD_PASSWORD');
    });

    void test(`${style}: an empty password works`, async () => {
      const p12 = makePkcs12(yamada.key, yamada.certificate, '', { style });
      await assertSignsFor(openPkcs12(p12, ''), yamada.certificate);
      expectCode(() => openPkcs12(p12, 'x'), 'BAD_PASSWORD');
    });

    void test(`${style}: a wrong password is BAD_PASSWORD and the password is not echoed`, () => {
      const p12 = makePkcs12(yamada.key, yamada.certificate, 'right-one', { style });
      const error = expectCode(() => openPkcs12(p12, 'wrong-one'), 'BAD_PASSWORD');
      assert.ok(!JSON.stringify(error.toPayload()).includes('wrong-one'));
      assert.ok(!error.message.includes('wrong-one') && !error.messageJa.includes('wrong-one'));
    });
  }

  void test('a file without a MAC opens with the right password and says BAD_PASSWORD otherwise', async () => {
    const p12 = makePkcs12(yamada.key, yamada.certificate, 'no-mac', { noMac: true });
    await assertSignsFor(openPkcs12(p12, 'no-mac'), yamada.certificate);
    expectCode(() => openPkcs12(p12, 'other'), 'BAD_PASSWORD');
  });

  void test('with several certificates in the bag, the one matching the key is chosen wherever it is', async () => {
    // forge writes the bags in the order given, so the CA comes before the end-entity certificate
    const asn = forge.pkcs12.toPkcs12Asn1(
      forge.pki.privateKeyFromPem(yamada.keyPem),
      [forge.pki.certificateFromPem(ca.certPem), forge.pki.certificateFromPem(other.certPem), forge.pki.certificateFromPem(yamada.certPem)],
      'forge-pass',
      { algorithm: 'aes256' },
    );
    const p12 = Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
    const signer = openPkcs12(p12, 'forge-pass');
    await assertSignsFor(signer, yamada.certificate);
    assert.deepEqual(
      signer.chain.map((c) => c.fingerprint256),
      [ca.certificate.fingerprint256, other.certificate.fingerprint256],
    );
  });

  void test('a PKCS#12 with certificates only is KEY_FORMAT', () => {
    const p12 = makePkcs12(null, yamada.certificate, 'pw', { noKey: true });
    expectCode(() => openPkcs12(p12, 'pw'), 'KEY_FORMAT');
  });

  void test('an EC key is KEY_UNSUPPORTED', () => {
    const ec = issueCertificate(ca, { subject: { CN: 'EC 利用者' }, key: testEcKey() });
    const p12 = makePkcs12(ec.key, ec.certificate, 'pw');
    const error = expectCode(() => openPkcs12(p12, 'pw'), 'KEY_UNSUPPORTED');
    assert.equal(error.detail?.keyType, 'ec');
  });

  void test('a key whose certificate is not in the bag is KEY_CERT_MISMATCH', () => {
    const asn = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(yamada.keyPem), [forge.pki.certificateFromPem(other.certPem)], 'pw', { algorithm: 'aes256' });
    expectCode(() => openPkcs12(Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary'), 'pw'), 'KEY_CERT_MISMATCH');
  });

  void test('truncated files are CERT_FORMAT', () => {
    const p12 = makePkcs12(yamada.key, yamada.certificate, 'pw');
    for (const length of [1, 4, Math.floor(p12.length / 2), p12.length - 1]) {
      expectCode(() => openPkcs12(p12.subarray(0, length), 'pw'), 'CERT_FORMAT');
    }
  });

  void test('garbage, text, a bare certificate and trailing junk are CERT_FORMAT', () => {
    const p12 = makePkcs12(yamada.key, yamada.certificate, 'pw');
    const inputs = [
      Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251)),
      Buffer.from('これは証明書ではありません。\n'.repeat(20)),
      yamada.certDer,
      Buffer.concat([p12, Buffer.from('junk')]),
      Buffer.from('3003020103', 'hex'), // PFX of version 3 and nothing else
    ];
    for (const input of inputs) expectCode(() => openPkcs12(input, 'pw'), 'CERT_FORMAT');
  });

  void test('an empty file is CERT_FORMAT', () => {
    expectCode(() => openPkcs12(Buffer.alloc(0), 'pw'), 'CERT_FORMAT');
  });

  void test('a huge input is refused before parsing', () => {
    const error = expectCode(() => openPkcs12(Buffer.alloc(MAX_CERTIFICATE_FILE_BYTES + 1, 0x30), 'pw'), 'CERT_FORMAT');
    assert.equal(error.detail?.limit, MAX_CERTIFICATE_FILE_BYTES);
  });

  void test('hostile nesting depth is CERT_FORMAT, not a stack overflow', () => {
    const deep = Buffer.concat([Buffer.from('3080'.repeat(20000), 'hex'), Buffer.alloc(40000)]);
    expectCode(() => openPkcs12(deep, 'pw'), 'CERT_FORMAT');
  });

  void test('a hostile MAC iteration count is refused instead of hashing for hours', () => {
    const p12 = makePkcs12(yamada.key, yamada.certificate, 'pw');
    const pfx = forge.asn1.fromDer(p12.toString('binary'));
    const macData = (pfx.value as forge.asn1.Asn1[])[2]!;
    (macData.value as forge.asn1.Asn1[])[2]!.value = '\x7f\xff\xff\xff';
    const hostile = Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary');
    expectCode(() => openPkcs12(hostile, 'pw'), 'CERT_FORMAT');
  });

  void test('an expired certificate still signs (warnings are not errors)', async () => {
    const expired = issueCertificate(ca, { subject: { CN: '期限切れ 太郎' }, notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 10 * DAY) });
    const signer = openPkcs12(makePkcs12(expired.key, expired.certificate, 'pw'), 'pw');
    await assertSignsFor(signer, expired.certificate);
    assert.deepEqual(
      certificateWarnings(signer.certificate, new Date()).map((w) => w.code),
      ['CERT_EXPIRED'],
    );
  });

  void test('signatures are the standard RSASSA-PKCS1-v1_5/SHA-256 ones, and close() stops signing', async () => {
    const signer = openPkcs12(makePkcs12(yamada.key, yamada.certificate, 'pw'), 'pw');
    assert.deepEqual(await signer.sign(DATA), createSign('sha256').update(DATA).sign(yamada.key));
    await signer.close();
    await signer.close();
    await expectCodeAsync(signer.sign(DATA), 'SIGNER_CLOSED');
  });
});

void describe('openPemKeyAndCertificate', () => {
  const forms: [string, () => { key: string | Buffer; pass?: string }][] = [
    ['PKCS#8 PEM', () => ({ key: yamada.keyPem })],
    ['PKCS#1 PEM', () => ({ key: yamada.key.export({ type: 'pkcs1', format: 'pem' }).toString() })],
    ['PKCS#1 legacy encrypted (DES-EDE3-CBC)', () => ({ key: encryptedKeyPem(yamada.key, 'パス1234', 'pkcs1-des3'), pass: 'パス1234' })],
    ['encrypted PKCS#8 (AES-256)', () => ({ key: encryptedKeyPem(yamada.key, 'pass5678', 'pkcs8-aes'), pass: 'pass5678' })],
    ['PKCS#8 DER', () => ({ key: yamada.key.export({ type: 'pkcs8', format: 'der' }) })],
    ['PKCS#1 DER', () => ({ key: yamada.key.export({ type: 'pkcs1', format: 'der' }) })],
    ['PEM with Bag Attributes text in front', () => ({ key: `Bag Attributes\n    localKeyID: 01 00 00 00\nKey Attributes\n    X509v3 Key Usage: 10\n${yamada.keyPem}` })],
  ];
  for (const [name, make] of forms) {
    void test(`${name} key with PEM and DER certificates`, async () => {
      const { key, pass } = make();
      for (const cert of [Buffer.from(yamada.certPem), yamada.certDer]) {
        const signer = openPemKeyAndCertificate(Buffer.from(key), cert, pass);
        assert.equal(signer.kind, 'pem');
        await assertSignsFor(signer, yamada.certificate);
      }
    });
  }

  void test('the encrypted e-Gov test key opens with "hoge" and signs', async () => {
    const key = readFileSync(join(egovCertsDir, 'e-GovEE01_sha2.pem'));
    const cert = readFileSync(join(egovCertsDir, 'e-GovEE01_sha2.cer'));
    assert.match(key.toString('latin1'), /^Bag Attributes/);
    const signer = openPemKeyAndCertificate(key, cert, egovKeyPassphrase);
    assert.match(signer.certificate.subject, /CN=Ichiro Madoguchi/);
    await assertSignsFor(signer, signer.certificate);
    expectCode(() => openPemKeyAndCertificate(key, cert, 'fuga'), 'BAD_PASSWORD');
    expectCode(() => openPemKeyAndCertificate(key, cert), 'BAD_PASSWORD');
    // an expired certificate: a warning, yet it signed above
    assert.deepEqual(
      certificateWarnings(signer.certificate, new Date('2026-01-01')).map((w) => w.code),
      ['CERT_EXPIRED'],
    );
  });

  void test('a wrong or missing passphrase on an encrypted PKCS#8 key is BAD_PASSWORD', () => {
    const key = Buffer.from(encryptedKeyPem(yamada.key, 'secret-1', 'pkcs8-aes'));
    expectCode(() => openPemKeyAndCertificate(key, Buffer.from(yamada.certPem), 'secret-2'), 'BAD_PASSWORD');
    expectCode(() => openPemKeyAndCertificate(key, Buffer.from(yamada.certPem)), 'BAD_PASSWORD');
    expectCode(() => openPemKeyAndCertificate(key, Buffer.from(yamada.certPem), ''), 'BAD_PASSWORD');
  });

  void test('a key that does not match the certificate is KEY_CERT_MISMATCH', () => {
    expectCode(() => openPemKeyAndCertificate(Buffer.from(other.keyPem), Buffer.from(yamada.certPem)), 'KEY_CERT_MISMATCH');
  });

  void test('the matching certificate is found in a chain file, the rest is the chain', async () => {
    const chainFile = Buffer.from(ca.certPem + other.certPem + yamada.certPem);
    const signer = openPemKeyAndCertificate(Buffer.from(yamada.keyPem), chainFile);
    await assertSignsFor(signer, yamada.certificate);
    assert.equal(signer.chain.length, 2);
  });

  void test('an EC key is KEY_UNSUPPORTED', () => {
    const ecKey = testEcKey();
    const ec = selfSigned({ subject: { CN: 'EC' }, key: ecKey });
    expectCode(() => openPemKeyAndCertificate(Buffer.from(ec.keyPem), ec.certDer), 'KEY_UNSUPPORTED');
  });

  void test('broken keys are KEY_FORMAT, broken certificates CERT_FORMAT', () => {
    const cert = Buffer.from(yamada.certPem);
    const truncatedPem = yamada.keyPem.slice(0, 200) + yamada.keyPem.slice(-26);
    for (const key of [Buffer.from('not a key at all'), Buffer.from(truncatedPem), Buffer.from([0x30, 0x82, 0xff])]) {
      expectCode(() => openPemKeyAndCertificate(key, cert), 'KEY_FORMAT');
    }
    expectCode(() => openPemKeyAndCertificate(Buffer.from(yamada.keyPem), Buffer.from('garbage')), 'CERT_FORMAT');
    expectCode(() => openPemKeyAndCertificate(Buffer.from(yamada.keyPem), Buffer.alloc(0)), 'CERT_FORMAT');
    expectCode(() => openPemKeyAndCertificate(Buffer.from(yamada.keyPem), yamada.certDer.subarray(0, 100)), 'CERT_FORMAT');
  });
});

void describe('openCertificateFile', () => {
  void test('picks PKCS#12 or PEM by content', async () => {
    const p12Path = writeTemp('yamada.pfx', makePkcs12(yamada.key, yamada.certificate, 'pw', { style: 'windows' }));
    await assertSignsFor(await openCertificateFile(p12Path, 'pw'), yamada.certificate);

    const combined = writeTemp('combined.pem', yamada.keyPem + yamada.certPem);
    await assertSignsFor(await openCertificateFile(combined, ''), yamada.certificate);

    const keyOnly = writeTemp('key-only.pem', encryptedKeyPem(yamada.key, 'kp', 'pkcs1-des3'));
    const cerPath = writeTemp('yamada.cer', yamada.certDer);
    await assertSignsFor(await openCertificateFile(keyOnly, 'kp', { certificatePath: cerPath }), yamada.certificate);
  });

  void test('a certificate alone is KEY_FORMAT (it cannot sign)', async () => {
    await expectCodeAsync(openCertificateFile(writeTemp('only.cer', yamada.certDer), ''), 'KEY_FORMAT');
    await expectCodeAsync(openCertificateFile(writeTemp('only.pem', yamada.certPem), ''), 'KEY_FORMAT');
  });

  void test('missing files and directories are CERT_FILE_UNREADABLE, naming the path', async () => {
    const missing = join(tempDir, 'does-not-exist.p12');
    const error = await expectCodeAsync(openCertificateFile(missing, 'pw'), 'CERT_FILE_UNREADABLE');
    assert.ok(error.messageJa.includes(missing));
    const dir = join(tempDir, 'a-directory.p12');
    mkdirSync(dir);
    await expectCodeAsync(openCertificateFile(dir, 'pw'), 'CERT_FILE_UNREADABLE');
    await expectCodeAsync(openCertificateFile(writeTemp('key.pem', yamada.keyPem), '', { certificatePath: missing }), 'CERT_FILE_UNREADABLE');
  });

  void test('empty and huge files are CERT_FORMAT', async () => {
    await expectCodeAsync(openCertificateFile(writeTemp('empty.p12', Buffer.alloc(0)), 'pw'), 'CERT_FORMAT');
    const huge = writeTemp('huge.p12', Buffer.alloc(0));
    truncateSync(huge, 64 * 1024 * 1024); // sparse: big on paper, no disk used
    const error = await expectCodeAsync(openCertificateFile(huge, 'pw'), 'CERT_FORMAT');
    assert.equal(error.detail?.size, 64 * 1024 * 1024);
  });

  void test('a wrong password through the file path is BAD_PASSWORD', async () => {
    await expectCodeAsync(openCertificateFile(writeTemp('pw.p12', makePkcs12(yamada.key, yamada.certificate, 'pw')), 'nope'), 'BAD_PASSWORD');
  });
});

void describe('bundled sandbox credentials (assets/sandbox-pki)', () => {
  const dir = join(repoRoot, 'assets', 'sandbox-pki');
  const sandboxCa = readFileSync(join(dir, 'sandbox-ca.cert.pem'));
  const inService = new Date('2030-06-01T00:00:00Z');

  for (const [file, name] of [
    ['yamada-taro.p12', '山田 太郎'],
    ['yamada-taro-renewed.p12', '山田 太郎'],
    ['suzuki-hanako.p12', '鈴木 花子'],
  ] as const) {
    void test(`${file} opens with "todoke", is issued by the sandbox CA and signs`, async () => {
      const signer = await openCertificateFile(join(dir, file), 'todoke');
      assert.match(signer.certificate.subject, new RegExp(`CN=${name}`));
      assert.match(signer.certificate.subject, /O=Todoke Sandbox/);
      assert.ok(signer.certificate.checkIssued(parseCertificate(sandboxCa)));
      assert.deepEqual(signer.chain.map((c) => c.subject), [parseCertificate(sandboxCa).subject]);
      assert.equal(new Date(signer.certificate.validFrom).toISOString(), '2025-01-01T00:00:00.000Z');
      assert.equal(new Date(signer.certificate.validTo).toISOString(), '2045-12-31T23:59:59.000Z');
      assert.deepEqual(certificateWarnings(signer.certificate, inService), []);
      await assertSignsFor(signer, signer.certificate);
    });
  }

  void test('the renewal certificate has the same subject and a new key', async () => {
    const first = await openCertificateFile(join(dir, 'yamada-taro.p12'), 'todoke');
    const renewed = await openCertificateFile(join(dir, 'yamada-taro-renewed.p12'), 'todoke');
    assert.equal(first.certificate.subject, renewed.certificate.subject);
    assert.notEqual(
      first.certificate.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'),
      renewed.certificate.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'),
    );
  });

  for (const [base, issuer, cn] of [
    ['token-user', 'sandbox-ca', '佐藤 健'],
    ['kanshoku-01', 'kanshoku-ca', 'Todoke Sandbox 官職 01'],
    ['sandbox-ca', 'sandbox-ca', 'Todoke サンドボックス テスト認証局'],
    ['kanshoku-ca', 'kanshoku-ca', 'Todoke Sandbox 官職認証局'],
  ] as const) {
    void test(`${base} key + certificate open and verify against ${issuer}`, async () => {
      const signer = openPemKeyAndCertificate(readFileSync(join(dir, `${base}.key.pem`)), readFileSync(join(dir, `${base}.cert.pem`)));
      assert.match(signer.certificate.subject, new RegExp(`CN=${cn}`));
      assert.ok(signer.certificate.checkIssued(parseCertificate(readFileSync(join(dir, `${issuer}.cert.pem`)))));
      await assertSignsFor(signer, signer.certificate);
    });
  }

  void test('the README says these are test-only credentials', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    assert.match(readme, /TEST ONLY/);
    assert.match(readme, /make-sandbox-pki\.ts/);
  });
});

void describe('certificateWarnings', () => {
  const now = new Date('2030-06-15T03:00:00Z');
  const at = (notBefore: Date, notAfter: Date): X509Certificate => issueCertificate(ca, { subject: { CN: '期間 テスト' }, notBefore, notAfter }).certificate;

  void test('a certificate in the middle of its validity has no warnings', () => {
    assert.deepEqual(certificateWarnings(at(new Date('2029-01-01Z'), new Date('2032-01-01Z')), now), []);
  });

  void test('expired', () => {
    const [warning, ...rest] = certificateWarnings(at(new Date('2028-01-01Z'), new Date('2030-03-31T14:59:59Z')), now);
    assert.equal(rest.length, 0);
    assert.equal(warning?.code, 'CERT_EXPIRED');
    assert.match(warning!.messageJa, /2030年3月31日/);
    assert.match(warning!.messageJa, /有効期限が切れています/);
  });

  void test('not yet valid', () => {
    const [warning] = certificateWarnings(at(new Date('2030-07-01Z'), new Date('2033-01-01Z')), now);
    assert.equal(warning?.code, 'CERT_NOT_YET_VALID');
    assert.match(warning!.messageJa, /まだ有効になっていません/);
    assert.equal(warning!.at, '2030-07-01T00:00:00.000Z');
  });

  void test('expires within 30 days, counting days left', () => {
    const [warning] = certificateWarnings(at(new Date('2029-01-01Z'), new Date(now.getTime() + 20 * DAY)), now);
    assert.equal(warning?.code, 'CERT_EXPIRES_SOON');
    assert.equal(warning!.daysLeft, 20);
    assert.match(warning!.messageJa, /あと 20 日/);
    assert.equal(certificateWarnings(at(new Date('2029-01-01Z'), new Date(now.getTime() + 30 * DAY)), now)[0]?.code, 'CERT_EXPIRES_SOON');
    assert.deepEqual(certificateWarnings(at(new Date('2029-01-01Z'), new Date(now.getTime() + 31 * DAY)), now), []);
  });
});

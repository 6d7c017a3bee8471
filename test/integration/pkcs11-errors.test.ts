// The pure PKCS#11 pieces, with the real pkcs11js constants and error classes: CKR -> SigningError
// mapping, token flags -> PIN requests and warnings, mechanism and token/certificate choice, and
// the DigestInfo used for cards that only offer raw CKM_RSA_PKCS.
//
// SoftHSM 2.6.1 never returns CKR_PIN_LOCKED, CKR_PIN_LEN_RANGE, CKR_TOKEN_NOT_PRESENT or
// CKR_DEVICE_REMOVED (measured: wrong PINs of any length give CKR_PIN_INCORRECT forever, and a
// deleted token gives CKR_OBJECT_HANDLE_INVALID / CKR_GENERAL_ERROR), so those are covered here.
import assert from 'node:assert/strict';
import { constants, createSign, publicDecrypt } from 'node:crypto';
import { describe, test } from 'node:test';
import pkcs11js from 'pkcs11js';
import { SigningError } from '../../src/main/signing/errors.js';
import { ckrName, mapPkcs11Error } from '../../src/main/signing/pkcs11/errors.js';
import { chooseMechanism, SHA256_DIGEST_INFO_PREFIX, sha256DigestInfo, signInput } from '../../src/main/signing/pkcs11/mechanism.js';
import { chooseCertificate, type TokenCertificateObject } from '../../src/main/signing/pkcs11/objects.js';
import { pinRequest, pinRetryMessage, pinWarning, tokenFlags } from '../../src/main/signing/pkcs11/pin.js';
import { selectToken, type TokenInfo } from '../../src/main/signing/pkcs11/tokens.js';
import { issueCertificate, makeCa } from '../support/pki.js';

const pkcs11Error = (name: string, method = 'C_Login'): Error =>
  new pkcs11js.Pkcs11Error(name, (pkcs11js as unknown as Record<string, number>)[name], method);

void describe('mapPkcs11Error', () => {
  const context = { operation: 'login' as const, modulePath: '/usr/lib/opensc-pkcs11.so', tokenLabel: '山田のカード' };
  const table: [string, string][] = [
    ['CKR_PIN_INCORRECT', 'PIN_INCORRECT'],
    ['CKR_PIN_INVALID', 'PIN_INCORRECT'],
    ['CKR_PIN_LEN_RANGE', 'PIN_LEN_RANGE'],
    ['CKR_PIN_LOCKED', 'PIN_LOCKED'],
    ['CKR_TOKEN_NOT_PRESENT', 'PKCS11_TOKEN_REMOVED'],
    ['CKR_DEVICE_REMOVED', 'PKCS11_TOKEN_REMOVED'],
    ['CKR_SESSION_HANDLE_INVALID', 'PKCS11_TOKEN_REMOVED'],
    ['CKR_SESSION_CLOSED', 'PKCS11_TOKEN_REMOVED'],
    ['CKR_TOKEN_NOT_RECOGNIZED', 'PKCS11_TOKEN_REMOVED'],
    ['CKR_OBJECT_HANDLE_INVALID', 'PKCS11_TOKEN_REMOVED'],
    ['CKR_KEY_HANDLE_INVALID', 'PKCS11_TOKEN_REMOVED'],
    ['CKR_MECHANISM_INVALID', 'PKCS11_NO_MECHANISM'],
    ['CKR_KEY_FUNCTION_NOT_PERMITTED', 'PKCS11_NO_KEY'],
    ['CKR_PIN_EXPIRED', 'PKCS11_FAILURE'],
    ['CKR_FUNCTION_FAILED', 'PKCS11_FAILURE'],
    ['CKR_DEVICE_ERROR', 'PKCS11_FAILURE'],
  ];
  for (const [ckr, code] of table) {
    void test(`${ckr} -> ${code}`, () => {
      const error = mapPkcs11Error(pkcs11Error(ckr), context);
      assert.ok(error instanceof SigningError);
      assert.equal(error.code, code);
      assert.equal(error.detail?.ckr, ckr);
      assert.equal(error.detail?.operation, 'login');
      assert.match(error.messageJa, /[\u3040-\u30ff\u4e00-\u9fff]/);
      assert.ok(!error.messageJa.includes('undefined'));
    });
  }

  void test('the real pkcs11js message shape ("CKR_X:code") and a bare numeric code are understood', () => {
    assert.equal(ckrName(new pkcs11js.Pkcs11Error('CKR_PIN_LOCKED:164')), 'CKR_PIN_LOCKED');
    assert.equal(ckrName({ code: pkcs11js.CKR_PIN_LEN_RANGE }), 'CKR_PIN_LEN_RANGE');
    assert.equal(ckrName({ code: pkcs11js.CKR_DEVICE_REMOVED, message: '' }), 'CKR_DEVICE_REMOVED');
    assert.equal(ckrName(new Error('libfoo.so: cannot open shared object file')), null);
    assert.equal(ckrName('CKR_PIN_LOCKED'), null);
    assert.equal(mapPkcs11Error({ code: pkcs11js.CKR_TOKEN_NOT_PRESENT }, context).code, 'PKCS11_TOKEN_REMOVED');
  });

  void test('anything during load or initialize is PKCS11_MODULE_LOAD naming the library', () => {
    const path = '/opt/card/lib/cardos-pkcs11.so';
    for (const [e, operation] of [
      [new pkcs11js.NativeError(`${path}: cannot open shared object file: No such file or directory`), 'load'],
      [pkcs11Error('CKR_GENERAL_ERROR', 'C_Initialize'), 'initialize'],
    ] as const) {
      const error = mapPkcs11Error(e, { operation, modulePath: path });
      assert.equal(error.code, 'PKCS11_MODULE_LOAD');
      assert.ok(error.messageJa.includes(path));
      assert.ok(error.message.includes(path));
    }
  });

  void test('non-PKCS#11 errors become PKCS11_FAILURE; SigningErrors pass through untouched', () => {
    assert.equal(mapPkcs11Error(new TypeError('bad argument'), context).code, 'PKCS11_FAILURE');
    const original = new SigningError('PIN_CANCELLED', { ja: '取り消し', en: 'cancelled' });
    assert.equal(mapPkcs11Error(original, context), original);
  });

  void test('the detail holds the context names only', () => {
    const error = mapPkcs11Error(pkcs11Error('CKR_PIN_INCORRECT'), context);
    assert.deepEqual(error.detail, { operation: 'login', ckr: 'CKR_PIN_INCORRECT', modulePath: context.modulePath, tokenLabel: '山田のカード' });
  });
});

void describe('token flags, PIN requests and warnings', () => {
  void test('CKF_USER_PIN_* flags become the PinRequest flags', () => {
    const base = pkcs11js.CKF_LOGIN_REQUIRED | pkcs11js.CKF_USER_PIN_INITIALIZED | pkcs11js.CKF_TOKEN_INITIALIZED | pkcs11js.CKF_RNG;
    const token = { label: 'Card', serial: 'ABC123' };
    const low = tokenFlags(base | pkcs11js.CKF_USER_PIN_COUNT_LOW);
    assert.deepEqual(pinRequest(token, low, 2, 'PIN_INCORRECT'), {
      tokenLabel: 'Card',
      tokenSerial: 'ABC123',
      attempt: 2,
      previousError: 'PIN_INCORRECT',
      pinCountLow: true,
      pinFinalTry: false,
    });
    const final = tokenFlags(base | pkcs11js.CKF_USER_PIN_COUNT_LOW | pkcs11js.CKF_USER_PIN_FINAL_TRY);
    assert.equal(pinRequest(token, final, 3).pinFinalTry, true);
    assert.equal('previousError' in pinRequest(token, final, 1), false);
    const locked = tokenFlags(base | pkcs11js.CKF_USER_PIN_LOCKED);
    assert.equal(locked.pinLocked, true);
    assert.deepEqual(tokenFlags(base), {
      loginRequired: true,
      userPinInitialized: true,
      pinCountLow: false,
      pinFinalTry: false,
      pinLocked: false,
      tokenInitialized: true,
    });
    // what SoftHSM 2.6.1 reports for a fresh token (measured: 0x42d) and after a wrong PIN (0x1042d)
    assert.equal(tokenFlags(0x42d).pinCountLow, false);
    assert.equal(tokenFlags(0x1042d).pinCountLow, true);
    assert.equal(tokenFlags(0).tokenInitialized, false);
  });

  void test('pinWarning gives the most serious warning first, and none for a healthy card', () => {
    assert.equal(pinWarning({ pinCountLow: false, pinFinalTry: false }), null);
    assert.equal(pinWarning({ pinCountLow: true, pinFinalTry: false }), 'PIN の残り入力回数が少なくなっています。PIN を確かめてから入力してください。');
    assert.equal(pinWarning({ pinCountLow: true, pinFinalTry: true }), '次に間違えると IC カードがロックされます。PIN を確かめてから入力してください。');
    assert.match(pinWarning({ pinCountLow: true, pinFinalTry: true, pinLocked: true }) ?? '', /ロックされています/);
    assert.match(pinWarning(tokenFlags(pkcs11js.CKF_USER_PIN_FINAL_TRY)) ?? '', /次に間違えると/);
    assert.match(pinRetryMessage('PIN_INCORRECT') ?? '', /PIN が違います/);
    assert.match(pinRetryMessage('PIN_LEN_RANGE') ?? '', /桁数/);
    assert.equal(pinRetryMessage(undefined), null);
  });
});

void describe('mechanisms and DigestInfo', () => {
  void test('auto prefers on-card hashing, falls back to raw RSA, refuses when neither', () => {
    assert.equal(chooseMechanism([pkcs11js.CKM_RSA_PKCS, pkcs11js.CKM_SHA256_RSA_PKCS], 'auto', 'Card'), 'CKM_SHA256_RSA_PKCS');
    assert.equal(chooseMechanism([pkcs11js.CKM_RSA_PKCS, pkcs11js.CKM_SHA1_RSA_PKCS], 'auto', 'Card'), 'CKM_RSA_PKCS');
    assert.equal(chooseMechanism([pkcs11js.CKM_RSA_PKCS, pkcs11js.CKM_SHA256_RSA_PKCS], 'CKM_RSA_PKCS', 'Card'), 'CKM_RSA_PKCS');
    assert.throws(() => chooseMechanism([pkcs11js.CKM_ECDSA, pkcs11js.CKM_SHA1_RSA_PKCS], 'auto', 'Card'), (e: unknown) => e instanceof SigningError && e.code === 'PKCS11_NO_MECHANISM');
    assert.throws(() => chooseMechanism([pkcs11js.CKM_RSA_PKCS], 'CKM_SHA256_RSA_PKCS', 'Card'), (e: unknown) => e instanceof SigningError && e.code === 'PKCS11_NO_MECHANISM');
  });

  void test('the DigestInfo is exactly what an RSASSA-PKCS1-v1_5/SHA-256 signature wraps', () => {
    const ca = makeCa({ commonName: 'Digest CA' });
    const ee = issueCertificate(ca, { subject: { CN: 'Digest' } });
    const data = Buffer.from('署名対象', 'utf8');
    const signature = createSign('sha256').update(data).sign(ee.key);
    const recovered = publicDecrypt({ key: ee.certificate.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    assert.deepEqual(recovered, sha256DigestInfo(data));
    assert.equal(SHA256_DIGEST_INFO_PREFIX.toString('hex'), '3031300d060960864801650304020105000420');
    assert.equal(sha256DigestInfo(data).length, 19 + 32);
    assert.deepEqual(signInput('CKM_SHA256_RSA_PKCS', data), data);
    assert.deepEqual(signInput('CKM_RSA_PKCS', data), sha256DigestInfo(data));
  });
});

void describe('selectToken and chooseCertificate', () => {
  const flags = tokenFlags(pkcs11js.CKF_TOKEN_INITIALIZED | pkcs11js.CKF_LOGIN_REQUIRED | pkcs11js.CKF_USER_PIN_INITIALIZED);
  const tok = (label: string, serial: string, initialized = true): TokenInfo => ({
    slotId: '0100000000000000',
    label,
    serial,
    manufacturer: 'm',
    model: 'x',
    flags: initialized ? flags : tokenFlags(0),
  });
  const tokens = [tok('A', '1'), tok('B', '2'), tok('B', '3'), tok('', '', false)];

  void test('by label, by serial, by both; ambiguous and missing ones are typed errors', () => {
    assert.equal(selectToken(tokens, { label: 'A' }).serial, '1');
    assert.equal(selectToken(tokens, { label: ' A ' }).serial, '1');
    assert.equal(selectToken(tokens, { serial: '3' }).serial, '3');
    assert.equal(selectToken(tokens, { label: 'B', serial: '2' }).serial, '2');
    assert.throws(() => selectToken(tokens, { label: 'B' }), (e: unknown) => e instanceof SigningError && e.code === 'PKCS11_TOKEN_AMBIGUOUS');
    assert.throws(() => selectToken(tokens, { label: 'A', serial: '2' }), (e: unknown) => e instanceof SigningError && e.code === 'PKCS11_TOKEN_NOT_FOUND');
    assert.throws(() => selectToken(tokens, { label: '' }), (e: unknown) => e instanceof SigningError && e.code === 'PKCS11_TOKEN_NOT_FOUND', 'uninitialized tokens never match');
    assert.throws(() => selectToken(tokens, {}), (e: unknown) => e instanceof SigningError && e.code === 'PKCS11_TOKEN_AMBIGUOUS');
    assert.equal(selectToken([tok('Only', '9'), tok('', '', false)], {}).serial, '9');
    assert.throws(() => selectToken([], {}), (e: unknown) => e instanceof SigningError && e.code === 'PKCS11_TOKEN_NOT_FOUND');
  });

  void test('certificates: by id (any case, with colons), the only end entity, or the only one with a key', () => {
    const ca = makeCa({ commonName: 'Choose CA' });
    const a = issueCertificate(ca, { subject: { CN: 'A' } }).certificate;
    const b = issueCertificate(ca, { subject: { CN: 'B' } }).certificate;
    const obj = (id: string, certificate: typeof a, hasKeyObject: boolean): TokenCertificateObject => ({ id, label: id, certificate, hasKeyObject });
    const isCode = (code: string) => (e: unknown) => e instanceof SigningError && e.code === code;

    assert.equal(chooseCertificate([obj('0a', a, true), obj('0b', b, true)], '0A', 'T').id, '0a');
    assert.equal(chooseCertificate([obj('0a0b', a, true), obj('0b', b, true)], '0a:0b', 'T').id, '0a0b');
    assert.equal(chooseCertificate([obj('ca', ca.certificate, false), obj('01', a, true)], undefined, 'T').id, '01');
    assert.equal(chooseCertificate([obj('01', a, false), obj('02', b, true)], undefined, 'T').id, '02');
    assert.equal(chooseCertificate([obj('01', a, false)], undefined, 'T').id, '01');
    assert.throws(() => chooseCertificate([obj('01', a, true), obj('02', b, true)], undefined, 'T'), isCode('PKCS11_CERT_AMBIGUOUS'));
    assert.throws(() => chooseCertificate([obj('01', a, false), obj('02', b, false)], undefined, 'T'), isCode('PKCS11_CERT_AMBIGUOUS'));
    assert.throws(() => chooseCertificate([obj('01', a, true), obj('01', b, true)], '01', 'T'), isCode('PKCS11_CERT_AMBIGUOUS'));
    assert.throws(() => chooseCertificate([], undefined, 'T'), isCode('PKCS11_NO_CERTIFICATE'));
    assert.throws(() => chooseCertificate([obj('01', a, true)], '02', 'T'), isCode('PKCS11_NO_CERTIFICATE'));
  });
});

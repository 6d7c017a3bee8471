// The five signed identity APIs without the network: the ApplData each request carries, the signed
// bodies (which must verify), argument checks, and the decoding of each response's ApplData.
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { jstTimestamp } from '../../src/shared/jst.js';
import {
  appendCertificateRequest,
  deleteCertificateRequest,
  loginRequest,
  registerUserRequest,
  updateCertificateRequest,
} from '../../src/main/egov/authentication.js';
import {
  appendCertificateApplData,
  assertUserId,
  decodeCertificateChange,
  decodeLogin,
  decodeRegister,
  deleteCertificateApplData,
  updateCertificateApplData,
  userIdApplData,
} from '../../src/main/egov/authentication-codec.js';
import { parseJstTimestamp } from '../../src/main/egov/dates.js';
import { isEgovError } from '../../src/main/egov/errors.js';
import { parseEgovDocument, parseXmlDocument, type XmlNode } from '../../src/main/egov/xml.js';
import { KeyObjectSigner } from '../../src/main/signing/signer.js';
import { verifySignedXml } from '../../src/main/signing/xml/index.js';
import { egovCertsDir, egovKeyPassphrase } from '../support/paths.js';

function pemBlock(file: string, label: string): string {
  const text = readFileSync(join(egovCertsDir, file), 'latin1');
  const m = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).exec(text);
  assert.ok(m, `${label} in ${file}`);
  return m[0];
}
function egovCert(name: string): X509Certificate {
  return new X509Certificate(pemBlock(`${name}.cer`, 'CERTIFICATE'));
}
function egovSigner(name: string): KeyObjectSigner {
  const key = createPrivateKey({ key: pemBlock(`${name}.pem`, 'RSA PRIVATE KEY'), passphrase: egovKeyPassphrase });
  return new KeyObjectSigner('pem', key, egovCert(name));
}

const ee01 = egovSigner('e-GovEE01_sha2');
const ee02 = egovCert('e-GovEE02_sha2');

function applDataOf(body: string): XmlNode {
  const { root } = parseXmlDocument(body);
  return root.ApplData as XmlNode;
}

function invalidArgument(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => isEgovError(e, 'EGOV_INVALID_ARGUMENT') && /入力内容を確認してください/.test(e.messageJa));
}

void describe('ApplData of the identity requests', () => {
  void it('carries the user ID, escaped', () => {
    assert.equal(userIdApplData('150428114507'), '<UserID>150428114507</UserID>');
    assert.equal(userIdApplData('a&b<c>'), '<UserID>a&amp;b&lt;c&gt;</UserID>');
  });

  void it('carries certificates as one line of base64 DER under the element each API names', () => {
    const b64 = ee02.raw.toString('base64');
    assert.doesNotMatch(b64, /\s/);
    assert.equal(appendCertificateApplData('u', ee02), `<UserID>u</UserID><AddX509Certificate>${b64}</AddX509Certificate>`);
    assert.equal(updateCertificateApplData('u', ee02), `<UserID>u</UserID><X509Certificate>${b64}</X509Certificate>`);
    assert.equal(deleteCertificateApplData('u', ee02), `<UserID>u</UserID><DelX509Certificate>${b64}</DelX509Certificate>`);
  });

  void it('refuses user IDs that are empty, too long, have spaces, control or non-ASCII characters', () => {
    for (const bad of ['', ' ', 'a b', 'a\tb', 'abc\n', 'a\u0000b', '利用者', 'ｕｓｅｒ', 'x'.repeat(65)]) {
      invalidArgument(() => assertUserId(bad));
      invalidArgument(() => userIdApplData(bad));
    }
    assert.doesNotThrow(() => assertUserId('x'.repeat(64)));
    assert.doesNotThrow(() => assertUserId('SmartHR001'));
  });
});

void describe('signed request bodies', () => {
  const at = new Date('2015-04-28T02:45:07Z');

  void it('register and login: POST to their paths, signature Id from the caller, verifies as a request signature', async () => {
    for (const [build, path] of [
      [registerUserRequest, 'authentication/user'],
      [loginRequest, 'authentication/login'],
    ] as const) {
      const req = await build(ee01, { userId: 'todoke01', signatureId: '20150428114507' });
      assert.equal(req.method, 'POST');
      assert.equal(req.path, path);
      assert.ok(req.body!.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<DataRoot><ApplData Id="ApplData"><UserID>todoke01</UserID></ApplData><Signature '));
      assert.match(req.body!, /<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#" Id="20150428114507">/);
      const report = await verifySignedXml(Buffer.from(req.body!), { profile: 'request', at });
      assert.equal(report.valid, true, report.problems.join('\n'));
      assert.equal(report.signer.fingerprintSha256, ee01.certificate.fingerprint256);
    }
  });

  void it('defaults the signature Id to the current JST time', async () => {
    const before = jstTimestamp(new Date());
    const req = await loginRequest(ee01, { userId: 'todoke01' });
    const after = jstTimestamp(new Date());
    const id = /<Signature [^>]*Id="(\d{14})"/.exec(req.body!)?.[1];
    assert.ok(id && id >= before && id <= after, `${id} within ${before}..${after}`);
  });

  void it('append, update and delete carry their certificate and are signed by the given signer', async () => {
    const ee041 = egovCert('e-GovEE04-1_sha2');
    const ee042 = egovSigner('e-GovEE04-2_sha2');
    const cases = [
      { req: await appendCertificateRequest(ee01, { userId: 'u1', certificate: ee02, signatureId: '1' }), path: 'authentication/certificate/append', element: 'AddX509Certificate', cert: ee02, signer: ee01 },
      { req: await updateCertificateRequest(ee042, { userId: 'u1', oldCertificate: ee041, signatureId: '2' }), path: 'authentication/certificate/update', element: 'X509Certificate', cert: ee041, signer: ee042 },
      { req: await deleteCertificateRequest(ee01, { userId: 'u1', certificate: ee02, signatureId: '3' }), path: 'authentication/certificate/delete', element: 'DelX509Certificate', cert: ee02, signer: ee01 },
    ];
    for (const c of cases) {
      assert.equal(c.req.path, c.path);
      const applData = applDataOf(c.req.body!);
      assert.deepEqual(Object.keys(applData).filter((k) => !k.startsWith('@_')), ['UserID', c.element]);
      assert.equal(applData[c.element], c.cert.raw.toString('base64'));
      const report = await verifySignedXml(Buffer.from(c.req.body!), { profile: 'request', at: new Date('2014-12-01T00:00:00Z') });
      assert.equal(report.valid, true, report.problems.join('\n'));
      assert.equal(report.signer.fingerprintSha256, c.signer.certificate.fingerprint256);
    }
  });

  void it('update: the body names the OLD certificate while the NEW one signs', async () => {
    const oldCert = egovCert('e-GovEE04-1_sha2');
    const newSigner = egovSigner('e-GovEE04-2_sha2');
    const body = (await updateCertificateRequest(newSigner, { userId: 'u1', oldCertificate: oldCert, signatureId: '1' })).body!;
    const keyInfoCert = /<KeyInfo><X509Data><X509Certificate>([^<]+)</.exec(body)?.[1];
    assert.equal(keyInfoCert, newSigner.certificate.raw.toString('base64'));
    assert.equal(applDataOf(body).X509Certificate, oldCert.raw.toString('base64'));
    assert.notEqual(keyInfoCert, applDataOf(body).X509Certificate);
  });

  void it('refuses appending the signing certificate itself, and updating to the same certificate', async () => {
    await assert.rejects(appendCertificateRequest(ee01, { userId: 'u1', certificate: ee01.certificate }), (e: unknown) => isEgovError(e, 'EGOV_INVALID_ARGUMENT'));
    await assert.rejects(updateCertificateRequest(ee01, { userId: 'u1', oldCertificate: ee01.certificate }), (e: unknown) => isEgovError(e, 'EGOV_INVALID_ARGUMENT'));
  });

  void it('refuses a bad user ID before asking the signer for anything', async () => {
    let signed = 0;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const counting = new KeyObjectSigner('pem', privateKey, ee01.certificate);
    const original = counting.sign.bind(counting);
    counting.sign = async (data) => {
      signed++;
      return original(data);
    };
    await assert.rejects(loginRequest(counting, { userId: 'has space' }), (e: unknown) => isEgovError(e, 'EGOV_INVALID_ARGUMENT'));
    assert.equal(signed, 0);
  });

  void it('refuses a signature Id that is not attribute-safe (the signing layer checks it)', async () => {
    await assert.rejects(loginRequest(ee01, { userId: 'u1', signatureId: 'a"b' }));
  });
});

function applData(inner: string): XmlNode {
  return parseEgovDocument(`<DataRoot><Result><Code>0</Code><Message></Message></Result><ApplData>${inner}</ApplData></DataRoot>`).applData!;
}

void describe('decoding the identity responses', () => {
  const key = 'A'.repeat(200) + '+/=' + 'b'.repeat(53);

  void it('register: the echoed user ID', () => {
    assert.deepEqual(decodeRegister(applData('<UserID>150428114508</UserID>')), { userId: '150428114508' });
  });

  void it('login: key, previous authentication as text and as a Date (JST)', () => {
    const r = decodeLogin(applData(`<UserID>u1</UserID><AccessKey>${key}</AccessKey><LastAuthenticationDate>20150428114459</LastAuthenticationDate>`));
    assert.equal(r.accessKey, key);
    assert.equal(r.lastAuthenticationDate, '20150428114459');
    assert.equal(r.lastAuthenticatedAt?.toISOString(), '2015-04-28T02:44:59.000Z');
  });

  void it('login: strips every whitespace from a key wrapped the 2020 way (leading newline, 76-char lines)', () => {
    const wrapped = '\n' + key.replace(/.{76}/g, '$&\n') + '\n';
    const crlf = '\r\n' + key.replace(/.{76}/g, '$&\r\n');
    for (const form of [wrapped, crlf, `  ${key}\t`]) {
      assert.equal(decodeLogin(applData(`<UserID>u1</UserID><AccessKey>${form}</AccessKey><LastAuthenticationDate></LastAuthenticationDate>`)).accessKey, key);
    }
  });

  void it('login: an empty previous authentication stays empty and has no Date', () => {
    const r = decodeLogin(applData(`<UserID>u1</UserID><AccessKey>${key}</AccessKey><LastAuthenticationDate></LastAuthenticationDate>`));
    assert.equal(r.lastAuthenticationDate, '');
    assert.equal('lastAuthenticatedAt' in r, false);
  });

  void it('login: refuses a missing, empty, non-ASCII, header-breaking or absurdly long key', () => {
    for (const inner of [
      '<UserID>u1</UserID>',
      '<UserID>u1</UserID><AccessKey></AccessKey>',
      '<UserID>u1</UserID><AccessKey> \n </AccessKey>',
      '<UserID>u1</UserID><AccessKey>キー</AccessKey>',
      '<UserID>u1</UserID><AccessKey>abc&#x1F600;def</AccessKey>',
      '<UserID>u1</UserID><AccessKey>abc\u00a0def</AccessKey>',
      `<UserID>u1</UserID><AccessKey>${'A'.repeat(5000)}</AccessKey>`,
      `<UserID>u1</UserID><AccessKey>${key}</AccessKey><AccessKey>${key}</AccessKey>`,
      `<AccessKey>${key}</AccessKey>`,
    ]) {
      assert.throws(() => decodeLogin(applData(inner)), (e: unknown) => isEgovError(e, 'EGOV_MALFORMED_RESPONSE'), inner.slice(0, 60));
    }
  });

  void it('certificate changes: user ID and previous authentication; an odd or missing date never fails the call', () => {
    assert.deepEqual(decodeCertificateChange(applData('<UserID>u</UserID><LastAuthenticationDate>20150428114513</LastAuthenticationDate>')), {
      userId: 'u',
      lastAuthenticationDate: '20150428114513',
      lastAuthenticatedAt: new Date('2015-04-28T02:45:13Z'),
    });
    assert.deepEqual(decodeCertificateChange(applData('<UserID>u</UserID>')), { userId: 'u', lastAuthenticationDate: '' });
    assert.deepEqual(decodeCertificateChange(applData('<UserID>u</UserID><LastAuthenticationDate>2015-04-28</LastAuthenticationDate>')), { userId: 'u', lastAuthenticationDate: '2015-04-28' });
    assert.throws(() => decodeCertificateChange(applData('<LastAuthenticationDate/>')), (e: unknown) => isEgovError(e, 'EGOV_MALFORMED_RESPONSE'));
  });
});

void describe('parseJstTimestamp', () => {
  void it('reads YYYYMMDDhhmmss as JST', () => {
    assert.equal(parseJstTimestamp('20150428114459')?.toISOString(), '2015-04-28T02:44:59.000Z');
    assert.equal(parseJstTimestamp('20150101000000')?.toISOString(), '2014-12-31T15:00:00.000Z');
    assert.equal(parseJstTimestamp('20240229235959')?.toISOString(), '2024-02-29T14:59:59.000Z');
  });

  void it('is the inverse of jstTimestamp', () => {
    const t = new Date('2023-07-01T12:34:56Z');
    assert.equal(parseJstTimestamp(jstTimestamp(t))?.getTime(), t.getTime());
  });

  void it('refuses impossible or ill-formed values', () => {
    for (const bad of ['', '2015042811445', '201504281144599', '2015-04-28 11:44', '20150231000000', '20151301000000', '20150428240000', '20150428116000', '20150428115960', '20230229000000', '２０１５０４２８１１４４５９', ' 20150428114459']) {
      assert.equal(parseJstTimestamp(bad), undefined, bad);
    }
  });
});

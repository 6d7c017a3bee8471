// Contract tests against real traffic (test/fixtures/egov-v1/recorded, recorded-history): the client's
// decoders read every recorded response of the five identity APIs to the recorded values, and the
// request bodies it builds equal the recorded ones — byte for byte where the recording allows.
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  appendCertificateRequest,
  deleteCertificateRequest,
  loginRequest,
  registerUserRequest,
  updateCertificateRequest,
} from '../../src/main/egov/authentication.js';
import { decodeCertificateChange, decodeLogin, decodeRegister } from '../../src/main/egov/authentication-codec.js';
import { isEgovError } from '../../src/main/egov/errors.js';
import { interpretResponse } from '../../src/main/egov/reply.js';
import { KeyObjectSigner } from '../../src/main/signing/signer.js';
import { signRequestBody } from '../../src/main/signing/xml/index.js';
import { egovCertsDir, egovDir, egovKeyPassphrase, recordedDir } from '../support/paths.js';

// The recorder replaced the real 10-character test user ID by this placeholder, which is not
// well-formed XML; any real ID of that length restores the document.
const PLACEHOLDER = '<EGOV-TEST-USER-ID>';
const SUBSTITUTE_ID = 'egovtest01';

interface Recording {
  dir: string;
  status: number;
  path: string;
  response: Buffer;
  request: string | null;
}

function recording(dir: string): Recording {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { status: number; path: string };
  let request: string | null = null;
  try {
    request = readFileSync(join(dir, 'request.xml'), 'utf8');
  } catch {
    request = null;
  }
  return { dir, status: meta.status, path: meta.path, response: readFileSync(join(dir, 'response.xml')), request };
}

function substitute(bytes: Buffer | string): string {
  return bytes.toString().replaceAll(PLACEHOLDER, SUBSTITUTE_ID);
}

function pemBlock(file: string, label: string): string {
  const m = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).exec(readFileSync(join(egovCertsDir, file), 'latin1'));
  assert.ok(m);
  return m[0];
}
const cert = (name: string): X509Certificate => new X509Certificate(pemBlock(`${name}.cer`, 'CERTIFICATE'));
const signer = (name: string): KeyObjectSigner =>
  new KeyObjectSigner('pem', createPrivateKey({ key: pemBlock(`${name}.pem`, 'RSA PRIVATE KEY'), passphrase: egovKeyPassphrase }), cert(name));

const ee01 = signer('e-GovEE01_sha2');

void describe('recorded responses decode to the recorded values', () => {
  const decodeFor = (path: string) => {
    if (path === '/shinsei/1/authentication/user') return decodeRegister;
    if (path === '/shinsei/1/authentication/login') return decodeLogin;
    if (path.startsWith('/shinsei/1/authentication/certificate/')) return decodeCertificateChange;
    throw new Error(`unexpected path ${path}`);
  };

  const expected: Array<{ dir: string; status: number; path: string; value: Record<string, unknown> }> = [
    { dir: 'register', status: 201, path: '/shinsei/1/authentication/user', value: { userId: '150428114507' } },
    {
      dir: 'login',
      status: 200,
      path: '/shinsei/1/authentication/login',
      value: {
        userId: SUBSTITUTE_ID,
        accessKey:
          '+PUhqh/v+e4hlTKizhZFtZLCXi+EuT1yoSJZ+s+Ts0c9KhRFroGhvxlDPqHWAmUN08Lfa2SZZ6Cchecp6yw8dRNP6myaJClofITZfClNaSQZ1FwDenR7u0tZ+1Q0c9w+RqET7jrbmMEl6AihFAmbfjYVyJCwN8cwfz2/S+0EbLR9itx09vx1FJ0ZeVrwRPYfdfbpDQNSxQpN57m8VZDGtu4oOVdYDH6GMB0Ak7oPBzyNhF6jUISxtmh08H5As7DD',
        lastAuthenticationDate: '20150428114459',
        lastAuthenticatedAt: new Date('2015-04-28T02:44:59Z'),
      },
    },
    { dir: 'certificate-append/1', status: 201, path: '/shinsei/1/authentication/user', value: { userId: '150428114508' } },
    { dir: 'certificate-append/2', status: 200, path: '/shinsei/1/authentication/certificate/append', value: { userId: '150428114508', lastAuthenticationDate: '' } },
    {
      dir: 'certificate-update',
      status: 200,
      path: '/shinsei/1/authentication/certificate/update',
      value: { userId: 'mytkufuinc', lastAuthenticationDate: '20150424131831', lastAuthenticatedAt: new Date('2015-04-24T04:18:31Z') },
    },
    { dir: 'certificate-delete/1', status: 201, path: '/shinsei/1/authentication/user', value: { userId: '150428114512' } },
    { dir: 'certificate-delete/2', status: 200, path: '/shinsei/1/authentication/certificate/append', value: { userId: '150428114512', lastAuthenticationDate: '' } },
    {
      dir: 'certificate-delete/3',
      status: 200,
      path: '/shinsei/1/authentication/certificate/delete',
      value: { userId: '150428114512', lastAuthenticationDate: '20150428114513', lastAuthenticatedAt: new Date('2015-04-28T02:45:13Z') },
    },
  ];

  for (const e of expected) {
    void it(`${e.dir}: HTTP ${e.status} ${e.path}`, () => {
      const rec = recording(join(recordedDir, e.dir));
      assert.equal(rec.status, e.status);
      assert.equal(rec.path, e.path);
      const reply = interpretResponse(rec.status, Buffer.from(substitute(rec.response), 'utf8'));
      assert.equal(reply.status, e.status);
      assert.equal(reply.message, '');
      const decoded = decodeFor(rec.path)(reply.applData);
      if (rec.path.endsWith('/login')) assert.equal(decodeLogin(reply.applData).accessKey.length, 256);
      assert.deepEqual(decoded, e.value);
    });
  }

  void it('the login response is not XML until the placeholder is replaced (so the test above really substitutes)', () => {
    const rec = recording(join(recordedDir, 'login'));
    assert.throws(() => interpretResponse(rec.status, rec.response), (e: unknown) => isEgovError(e, 'EGOV_MALFORMED_RESPONSE'));
  });

  void it('recorded-history/register-already-registered-400: Code 1 with the message verbatim, body without XML declaration', () => {
    const rec = recording(join(egovDir, 'recorded-history', 'register-already-registered-400'));
    assert.equal(rec.status, 400);
    assert.ok(rec.response.toString().startsWith('<DataRoot>'));
    assert.throws(
      () => interpretResponse(rec.status, rec.response),
      (e: unknown) => {
        assert.ok(isEgovError(e, 'EGOV_API_ERROR'));
        assert.equal(e.status, 400);
        assert.equal(e.serverMessage, '該当する利用者IDと証明書の情報は、既に登録されています。');
        assert.equal(e.delivery, 'answered');
        assert.ok(e.messageJa.includes('該当する利用者IDと証明書の情報は、既に登録されています。'));
        return true;
      },
    );
  });
});

void describe('request bodies equal the recorded ones', () => {
  // register-shaped requests signed with e-GovEE01 are golden vectors: PKCS#1 v1.5 is deterministic
  for (const [dir, userId, signatureId] of [
    ['register', '150428114507', '20150428114507'],
    ['certificate-append/1', '150428114508', '20150428114508'],
    ['certificate-delete/1', '150428114512', '20150428114512'],
  ] as const) {
    void it(`${dir}: 利用者ID登録 for ${userId} is byte for byte the recorded body`, async () => {
      const rec = recording(join(recordedDir, dir));
      const req = await registerUserRequest(ee01, { userId, signatureId });
      assert.equal(`/shinsei/1/${req.path}`, rec.path);
      assert.equal(req.body, rec.request);
    });
  }

  /** The recorded body with its signature values masked and whitespace removed from base64 values. */
  function comparable(body: string): string {
    return substitute(body)
      .replace(/<DigestValue>[^<]*<\/DigestValue>/g, '<DigestValue>…</DigestValue>')
      .replace(/<SignatureValue>[^<]*<\/SignatureValue>/g, '<SignatureValue>…</SignatureValue>')
      .replace(/(<(AddX509Certificate|X509Certificate|DelX509Certificate)>)([^<]*)(<\/\2>)/g, (_m, open: string, _n, b64: string, close: string) => open + b64.replace(/\s+/g, '') + close);
  }

  void it('login: same document as recorded apart from the signature values (the recorded one was signed over the real, unknown user ID)', async () => {
    const rec = recording(join(recordedDir, 'login'));
    const req = await loginRequest(ee01, { userId: SUBSTITUTE_ID, signatureId: '20150428114507' });
    assert.equal(`/shinsei/1/${req.path}`, rec.path);
    assert.equal(comparable(req.body!), comparable(rec.request!));
    assert.notEqual(req.body, substitute(rec.request!));
  });

  // kiji sent these certificates as base64 wrapped at 60 characters with LFs (which e-Gov accepted and
  // which are part of the signed bytes); Todoke sends one line. So: same document apart from that
  // wrapping and the signature values it changes — and re-signing the recorded ApplData itself gives
  // the recorded bytes exactly, which shows the wrapping is the only difference.
  const certificateCases = [
    {
      dir: 'certificate-append/2',
      build: () => appendCertificateRequest(ee01, { userId: '150428114508', certificate: cert('e-GovEE02_sha2'), signatureId: '20150428114509' }),
      signer: ee01,
      signatureId: '20150428114509',
    },
    {
      dir: 'certificate-delete/3',
      build: () => deleteCertificateRequest(ee01, { userId: '150428114512', certificate: cert('e-GovEE02_sha2'), signatureId: '20150428114513' }),
      signer: ee01,
      signatureId: '20150428114513',
    },
    {
      dir: 'certificate-update',
      build: () => updateCertificateRequest(signer('e-GovEE04-2_sha2'), { userId: SUBSTITUTE_ID, oldCertificate: cert('e-GovEE04-1_sha2'), signatureId: '20150428114510' }),
      signer: null,
      signatureId: '20150428114510',
    },
  ];

  for (const c of certificateCases) {
    void it(`${c.dir}: same ApplData structure, certificate and signer as recorded; only the LF wrapping differs`, async () => {
      const rec = recording(join(recordedDir, c.dir));
      const req = await c.build();
      assert.equal(`/shinsei/1/${req.path}`, rec.path);
      assert.match(rec.request!, /[A-Za-z0-9+/=]{60}\n/, 'the recording has wrapped base64');
      assert.doesNotMatch(req.body!, /[A-Za-z0-9+/=]\n[A-Za-z0-9+/=]/, 'Todoke does not wrap');
      assert.equal(comparable(req.body!), comparable(rec.request!));
      if (c.signer) {
        const inner = /<ApplData Id="ApplData">([\s\S]*)<\/ApplData>/.exec(rec.request!)?.[1];
        assert.ok(inner);
        assert.equal(await signRequestBody(inner, c.signer, { signatureId: c.signatureId }), rec.request);
      }
    });
  }
});

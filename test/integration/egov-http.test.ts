// The e-Gov transport over real loopback sockets: headers on every request, unescaped matrix paths,
// Basic authentication, chunked bodies, the five identity APIs end to end, and configuration checks.
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appendCertificate, deleteCertificate, login, registerUser, updateCertificate } from '../../src/main/egov/authentication.js';
import { isEgovError } from '../../src/main/egov/errors.js';
import { EgovClient, type EgovClientOptions } from '../../src/main/egov/http.js';
import { checkEndpoint } from '../../src/shared/endpoint.js';
import { KeyObjectSigner } from '../../src/main/signing/signer.js';
import { verifySignedXml } from '../../src/main/signing/xml/index.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { egovCertsDir, egovDir, egovKeyPassphrase, recordedDir } from '../support/paths.js';

const SOFTWARE_ID = 'TODOKE000001';

function pemBlock(file: string, label: string): string {
  const m = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).exec(readFileSync(join(egovCertsDir, file), 'latin1'));
  assert.ok(m);
  return m[0];
}
const cert = (name: string): X509Certificate => new X509Certificate(pemBlock(`${name}.cer`, 'CERTIFICATE'));
const signer = (name: string): KeyObjectSigner =>
  new KeyObjectSigner('pem', createPrivateKey({ key: pemBlock(`${name}.pem`, 'RSA PRIVATE KEY'), passphrase: egovKeyPassphrase }), cert(name));
const recorded = (dir: string): Buffer => readFileSync(join(recordedDir, dir, 'response.xml'));

let server: FaultServer;
const client = (extra: Partial<EgovClientOptions> = {}): EgovClient => new EgovClient({ baseUrl: server.baseUrl, softwareId: SOFTWARE_ID, ...extra });

void before(async () => {
  server = await startFaultServer();
});
void after(async () => {
  await server.close();
});

void describe('request headers and paths', () => {
  void it('sends the software ID on every request, the access key only when given, XML bodies with their length', async () => {
    server.handle(() => ({ kind: 'respond', status: 200, body: recorded('register') }));
    const c = client();
    await c.call({ method: 'POST', path: 'authentication/user', body: '<DataRoot>あ</DataRoot>' });
    await c.call({ method: 'GET', path: 'access/reference/9002015000243941', accessKey: 'KEY+/=' });
    const [post, get] = server.requests.slice(-2);
    assert.ok(post && get);
    assert.equal(post.headers['x-egovapi-softwareid'], SOFTWARE_ID);
    assert.equal(post.headers['x-egovapi-accesskey'], undefined);
    assert.equal(post.headers['content-type'], 'text/xml; charset=UTF-8');
    assert.equal(post.headers['content-length'], String(Buffer.byteLength('<DataRoot>あ</DataRoot>')));
    assert.equal(post.body.toString('utf8'), '<DataRoot>あ</DataRoot>');
    assert.equal(post.headers.authorization, undefined);
    assert.equal(get.method, 'GET');
    assert.equal(get.headers['x-egovapi-softwareid'], SOFTWARE_ID);
    assert.equal(get.headers['x-egovapi-accesskey'], 'KEY+/=');
    assert.equal(get.body.length, 0);
    assert.equal(get.headers['content-type'], undefined);
  });

  void it('sends matrix parameters unescaped under the base path', async () => {
    server.handle(() => ({ kind: 'respond', status: 200, body: recorded('register') }));
    await client().call({ method: 'GET', path: 'access/apply;id=201504281145005643', accessKey: 'k' });
    await client().call({ method: 'GET', path: 'access/apply;date=20150301-20150310', accessKey: 'k' });
    assert.deepEqual(server.requests.slice(-2).map((r) => r.url), ['/shinsei/1/access/apply;id=201504281145005643', '/shinsei/1/access/apply;date=20150301-20150310']);
  });

  void it('accepts a base URL without the trailing slash', async () => {
    server.handle(() => ({ kind: 'respond', status: 200, body: recorded('register') }));
    await client({ baseUrl: server.baseUrl.replace(/\/$/, '') }).call({ method: 'GET', path: 'access/bank', accessKey: 'k' });
    assert.equal(server.requests.at(-1)?.url, '/shinsei/1/access/bank');
  });

  void it('sends HTTP Basic authentication when configured (UTF-8 password)', async () => {
    server.handle(() => ({ kind: 'respond', status: 200, body: recorded('register') }));
    await client({ basicAuth: { username: 'kensho', password: 'pä:ss' } }).call({ method: 'GET', path: 'access/bank', accessKey: 'k' });
    const auth = server.requests.at(-1)?.headers.authorization;
    assert.equal(auth, `Basic ${Buffer.from('kensho:pä:ss', 'utf8').toString('base64')}`);
  });

  void it('reads a chunked (no Content-Length) body', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => `\t\t<Apply><ArriveID>${9002015000000000 + i}</ArriveID></Apply>\r\n`).join('');
    const body = `<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n\t<Result>\r\n\t\t<Code>0</Code>\r\n\t\t<Message></Message>\r\n\t</Result>\r\n\t<ApplData>\r\n${items}\t</ApplData>\r\n</DataRoot>`;
    server.handle(() => ({ kind: 'respond', status: 200, body, chunked: true }));
    const reply = await client().call({ method: 'GET', path: 'access/apply;date=20150301-20150310', accessKey: 'k', arrayElements: ['Apply'] });
    const list = reply.applData.Apply as Array<{ ArriveID: string }>;
    assert.equal(list.length, 3000);
    assert.equal(list[2999]?.ArriveID, '9002015000002999');
  });
});

void describe('identity APIs end to end (answers are the recorded e-Gov bodies)', () => {
  const ee01 = signer('e-GovEE01_sha2');

  void it('registerUser: posts a verifiable signed body and reads the 201', async () => {
    server.handle(() => ({ kind: 'respond', status: 201, body: recorded('register') }));
    const result = await registerUser(client(), ee01, { userId: '150428114507', signatureId: '20150428114507' });
    assert.deepEqual(result, { userId: '150428114507' });
    const req = server.requests.at(-1)!;
    assert.equal(req.url, '/shinsei/1/authentication/user');
    assert.equal(req.body.toString(), readFileSync(join(recordedDir, 'register', 'request.xml'), 'utf8'));
  });

  void it('registerUser: the recorded 400 "already registered" becomes EGOV_API_ERROR with the message verbatim', async () => {
    server.handle(() => ({ kind: 'respond', status: 400, body: readFileSync(join(egovDir, 'recorded-history', 'register-already-registered-400', 'response.xml')) }));
    await assert.rejects(registerUser(client(), ee01, { userId: 'SmartHR001' }), (e: unknown) => {
      assert.ok(isEgovError(e, 'EGOV_API_ERROR'));
      assert.equal(e.serverMessage, '該当する利用者IDと証明書の情報は、既に登録されています。');
      assert.equal(e.status, 400);
      return true;
    });
  });

  void it('login: reads the key and the previous authentication', async () => {
    server.handle(() => ({ kind: 'respond', status: 200, body: recorded('login').toString().replaceAll('<EGOV-TEST-USER-ID>', 'todoke0001') }));
    const result = await login(client(), ee01, { userId: 'todoke0001' });
    assert.equal(result.userId, 'todoke0001');
    assert.equal(result.accessKey.length, 256);
    assert.equal(result.lastAuthenticationDate, '20150428114459');
    const report = await verifySignedXml(server.requests.at(-1)!.body, { profile: 'request', at: new Date('2015-04-28T00:00:00Z') });
    assert.equal(report.valid, true);
  });

  void it('appendCertificate, updateCertificate, deleteCertificate: right paths, right signers, recorded answers decoded', async () => {
    server.handle((req) => {
      if (req.url.endsWith('/append')) return { kind: 'respond', status: 200, body: recorded('certificate-append/2') };
      if (req.url.endsWith('/update')) return { kind: 'respond', status: 200, body: recorded('certificate-update') };
      return { kind: 'respond', status: 200, body: recorded('certificate-delete/3') };
    });
    const c = client();
    const appended = await appendCertificate(c, ee01, { userId: '150428114508', certificate: cert('e-GovEE02_sha2') });
    assert.deepEqual(appended, { userId: '150428114508', lastAuthenticationDate: '' });
    const newSigner = signer('e-GovEE04-2_sha2');
    const updated = await updateCertificate(c, newSigner, { userId: 'mytkufuinc', oldCertificate: cert('e-GovEE04-1_sha2') });
    assert.equal(updated.lastAuthenticationDate, '20150424131831');
    const deleted = await deleteCertificate(c, ee01, { userId: '150428114512', certificate: cert('e-GovEE02_sha2') });
    assert.equal(deleted.lastAuthenticatedAt?.toISOString(), '2015-04-28T02:45:13.000Z');
    const [a, u, d] = server.requests.slice(-3);
    assert.deepEqual([a?.url, u?.url, d?.url], ['/shinsei/1/authentication/certificate/append', '/shinsei/1/authentication/certificate/update', '/shinsei/1/authentication/certificate/delete']);
    const updateReport = await verifySignedXml(u!.body, { profile: 'request', at: new Date('2015-04-24T00:00:00Z') });
    assert.equal(updateReport.signer.fingerprintSha256, newSigner.certificate.fingerprint256);
    assert.equal(updateReport.valid, true);
  });
});

void describe('configuration is checked before anything is sent', () => {
  const configError = (options: Partial<EgovClientOptions>): void => {
    assert.throws(
      () => new EgovClient({ baseUrl: 'https://api.example.jp/shinsei/1/', softwareId: SOFTWARE_ID, ...options }),
      (e: unknown) => isEgovError(e, 'EGOV_CONFIG_INVALID') && /設定/.test(e.messageJa),
    );
  };

  void it('refuses unusable base URLs, in the words of the endpoint rule', () => {
    for (const baseUrl of ['', 'api.example.jp/shinsei/1/', 'ftp://api.example.jp/', 'http://api.example.jp/shinsei/1/', 'http://10.0.0.1/shinsei/1/', 'https://user:pw@api.example.jp/shinsei/1/', 'https://api.example.jp/shinsei/1/?x=1', 'https://api.example.jp/shinsei/1/#f', 'https://api.example.jp/other/']) {
      const check = checkEndpoint(baseUrl);
      assert.ok(!check.ok, baseUrl);
      assert.throws(
        () => new EgovClient({ baseUrl, softwareId: SOFTWARE_ID }),
        (e: unknown) => isEgovError(e, 'EGOV_CONFIG_INVALID') && e.delivery === 'not-sent' && e.messageJa === check.messageJa && e.message === check.message,
        baseUrl,
      );
    }
  });

  void it('takes the host alone as the base https://{host}/shinsei/1/', () => {
    assert.equal(new EgovClient({ baseUrl: 'https://API.example.jp', softwareId: SOFTWARE_ID }).baseUrl.href, 'https://api.example.jp/shinsei/1/');
  });

  void it('allows plain http only to loopback', () => {
    for (const baseUrl of ['http://127.0.0.1:8080/shinsei/1/', 'http://localhost/shinsei/1/', 'http://[::1]:9/shinsei/1/']) {
      assert.doesNotThrow(() => new EgovClient({ baseUrl, softwareId: SOFTWARE_ID }));
    }
  });

  void it('refuses a software ID, Basic credentials, CA or limits that cannot work', () => {
    for (const softwareId of ['', 'has space', 'ソフト', 'a\r\nX-Evil: 1', 'x'.repeat(129)]) configError({ softwareId });
    configError({ basicAuth: { username: 'a:b', password: 'p' } });
    configError({ basicAuth: { username: '', password: 'p' } });
    configError({ basicAuth: { username: 'a', password: 'p\r\nX: y' } });
    configError({ extraCaCertificates: ['-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----'] });
    for (const v of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      configError({ timeoutMs: v });
      configError({ connectTimeoutMs: v });
      configError({ maxResponseBytes: v });
    }
  });

  void it('refuses unsafe API paths and header-breaking access keys without sending', async () => {
    const before = server.requests.length;
    const c = client();
    for (const path of ['', '/access/bank', '../admin', 'access/../admin', 'access//bank', 'access/bank?x=1', 'access/bank#x', 'access/b a', 'access/%2e%2e', 'access/bank/', 'access/あ', 'access/bank\r\nX: y']) {
      await assert.rejects(c.send({ method: 'GET', path }), (e: unknown) => isEgovError(e, 'EGOV_INVALID_ARGUMENT'), path);
    }
    for (const accessKey of ['', 'a b', 'a\r\nX-Evil: 1', 'キー']) {
      await assert.rejects(c.send({ method: 'GET', path: 'access/bank', accessKey }), (e: unknown) => isEgovError(e, 'EGOV_INVALID_ARGUMENT'));
    }
    assert.equal(server.requests.length, before);
  });
});

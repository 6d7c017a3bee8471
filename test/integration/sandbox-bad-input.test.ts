// Hostile, malformed, truncated and oversized requests against the sandbox. Each gets a clear
// error answer in the serialiser family of its URI, changes no state, and the server keeps
// serving (a good request follows every bad one). Also the leniency e-Gov showed: any
// Content-Type, base64 with line breaks, a BOM.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KeyObjectSigner } from '../../src/main/signing/signer.js';
import { signRequestBody } from '../../src/main/signing/xml/index.js';
import { issueCertificate } from '../../src/sandbox/pki/issue.js';
import { openSqlite } from '../../src/sandbox/state/sqlite.js';
import { item, PATHS, post, rawRequest, signedBody, SOFTWARE_ID, startTestSandbox, tableSnapshot, testCa, testUser, type RawResponse, type TestSandbox } from './sandbox-support.js';

const ca = testCa();
const good = testUser(ca, 'Good Filer');
const other = testUser(ca, 'Other Filer');
const untrustedCa = testCa('Untrusted CA');
const stranger = testUser(untrustedCa, 'Stranger');
const expired = testUser(ca, 'Expired Filer', { notBefore: '2020-01-01T00:00:00Z', notAfter: '2025-12-31T00:00:00Z' });
const notYet = testUser(ca, 'Future Filer', { notBefore: '2027-01-01T00:00:00Z', notAfter: '2030-01-01T00:00:00Z' });
const AUTH_ITEMS_REGISTER = ['UserID'];

function assertAuthenticationError(res: RawResponse, status: number, message: RegExp, items: string[] = AUTH_ITEMS_REGISTER): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers['content-type'], 'text/xml;charset=UTF-8');
  assert.equal(res.headers['content-length'], String(res.body.length));
  assert.ok(res.text.startsWith('<DataRoot>\n<Result>\n<Code>1</Code>\n<Message>'), res.text);
  assert.ok(!res.text.includes('\r'));
  assert.ok(res.text.endsWith('</ApplData>\n</DataRoot>\n'));
  assert.match(item(res.text, 'Message') ?? '', message);
  const applData = res.text.slice(res.text.indexOf('<ApplData>\n') + 11, res.text.indexOf('</ApplData>'));
  assert.deepEqual(applData.split('\n').filter(Boolean).map((l) => /^<([A-Za-z]+)>/.exec(l)![1]), items);
}

function assertAccessError(res: RawResponse, status: number, message: RegExp): void {
  assert.equal(res.status, status, res.text);
  assert.ok(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n'), res.text);
  assert.ok(res.text.endsWith('</ApplData>\r\n\r\n</DataRoot>'));
  assert.ok(!/[^\r]\n/.test(res.text), 'CRLF only');
  assert.match(item(res.text, 'Message') ?? '', message);
}

void describe('sandbox bad input', () => {
  let t: TestSandbox;
  let goodCount = 0;

  before(async () => {
    t = await startTestSandbox({ trust: [ca.certificate], bundledTrust: false, at: '2026-06-01T09:00:00+09:00' });
    assert.equal((await post(t, PATHS.register, await signedBody(good.signer, 'good01'))).status, 201);
  });
  after(() => t.close());

  /** Sends the bad request, checks nothing changed, then proves the server still serves. */
  async function refused(send: () => Promise<RawResponse>): Promise<RawResponse> {
    const before = tableSnapshot(t.dataDir);
    const res = await send();
    assert.equal(tableSnapshot(t.dataDir), before, 'state changed');
    goodCount += 1;
    const next = await post(t, PATHS.login, await signedBody(good.signer, 'good01'));
    assert.equal(next.status, 200, `server did not serve a good request after the bad one: ${next.text}`);
    return res;
  }

  const xml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<DataRoot><ApplData Id="ApplData">${inner}</ApplData></DataRoot>\n`;

  void it('malformed XML', async () => {
    for (const body of ['<DataRoot><ApplData Id="ApplData"><UserID>x</UserID></ApplData>', '<DataRoot><UserID>x</DataRoot>', 'not xml at all', '<a/><b/>', '<DataRoot>&undefined;</DataRoot>']) {
      assertAuthenticationError(await refused(() => post(t, PATHS.register, body)), 400, /正しい XML ではありません/);
    }
  });

  void it('a truncated signed request', async () => {
    const full = await signedBody(good.signer, 'good02');
    for (const cut of [full.length - 20, Math.floor(full.length / 2), 60]) {
      const res = await refused(() => post(t, PATHS.register, full.slice(0, cut)));
      assertAuthenticationError(res, 400, /正しい XML ではありません/);
    }
  });

  void it('a DOCTYPE, an entity bomb and an external entity', async () => {
    const doctype = '<?xml version="1.0"?><!DOCTYPE DataRoot [<!ELEMENT DataRoot ANY>]><DataRoot/>';
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
      ']><DataRoot><ApplData Id="ApplData"><UserID>&lol9;</UserID></ApplData></DataRoot>';
    const xxe = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><DataRoot><ApplData Id="ApplData"><UserID>&x;</UserID></ApplData></DataRoot>';
    for (const body of [doctype, bomb, xxe]) {
      const res = await refused(() => post(t, PATHS.login, body));
      assertAuthenticationError(res, 400, /文書型宣言（DOCTYPE）/, ['UserID', 'AccessKey', 'LastAuthenticationDate']);
      assert.ok(!res.text.includes('root:'));
    }
  });

  void it('a body over 1 MiB, with Content-Length and chunked: 413, the upload is not kept', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 0x41);
    const declared = await refused(() => post(t, PATHS.register, big));
    assertAuthenticationError(declared, 413, /大きすぎます/);
    assert.equal(declared.headers.connection, 'close');
    const chunked = await refused(
      () =>
        new Promise<RawResponse>((resolve, reject) => {
          // several writes without Content-Length: Node sends Transfer-Encoding: chunked
          const url = new URL(PATHS.register, t.sandbox.url);
          void import('node:http').then(({ request }) => {
            const req = request(url, { method: 'POST', headers: { 'x-eGovAPI-SoftwareID': SOFTWARE_ID } }, (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => {
                const body = Buffer.concat(chunks);
                resolve({ status: res.statusCode ?? 0, headerPairs: [], headers: res.headers, body, text: body.toString('utf8') });
              });
            });
            req.on('error', reject);
            for (let i = 0; i < 3; i++) req.write(Buffer.alloc(512 * 1024, 0x42));
            req.end();
          });
        }),
    );
    assertAuthenticationError(chunked, 413, /大きすぎます/);
    // exactly at the limit is read (and then refused as XML, not as size)
    const atLimit = await refused(() => post(t, PATHS.register, Buffer.alloc(1024 * 1024, 0x20)));
    assertAuthenticationError(atLimit, 400, /正しい XML ではありません/);
  });

  void it('an empty body', async () => {
    assertAuthenticationError(await refused(() => post(t, PATHS.register, '')), 400, /送信データがありません/);
  });

  void it('a bad signature: content changed after signing, a tampered SignatureValue, no Signature at all', async () => {
    const signed = await signedBody(good.signer, 'good03');
    const changed = signed.replace('<UserID>good03</UserID>', '<UserID>evil03</UserID>');
    const res = await refused(() => post(t, PATHS.register, changed));
    assertAuthenticationError(res, 400, /電子署名の検証に失敗しました/);
    assert.equal(item(res.text, 'UserID'), 'evil03');
    const sigValue = /<SignatureValue>([^<]+)<\/SignatureValue>/.exec(signed)![1]!;
    const flipped = signed.replace(sigValue, (sigValue[0] === 'A' ? 'B' : 'A') + sigValue.slice(1));
    assertAuthenticationError(await refused(() => post(t, PATHS.register, flipped)), 400, /電子署名の検証に失敗しました/);
    assertAuthenticationError(await refused(() => post(t, PATHS.register, xml('<UserID>good03</UserID>'))), 400, /電子署名がありません/);
  });

  void it('signature wrapping: a second ApplData, or an element beside the Signature', async () => {
    const signed = await signedBody(good.signer, 'good01');
    const twoApplData = signed.replace('<DataRoot>', '<DataRoot><ApplData><UserID>victim</UserID></ApplData>');
    assertAuthenticationError(await refused(() => post(t, PATHS.login, twoApplData)), 400, /送信データの項目が正しくありません/, ['UserID', 'AccessKey', 'LastAuthenticationDate']);
    const beside = signed.replace('</DataRoot>', '<ApplData2/></DataRoot>');
    assertAuthenticationError(await refused(() => post(t, PATHS.login, beside)), 400, /電子署名の形式が正しくありません/, ['UserID', 'AccessKey', 'LastAuthenticationDate']);
    const innerId = signed.replace('<UserID>good01</UserID>', '<UserID Id="ApplData">good01</UserID>');
    const res = await refused(() => post(t, PATHS.login, innerId));
    assert.equal(res.status, 400);
  });

  void it('a certificate from an untrusted CA, a self-issued one, an expired one and a not yet valid one at the sandbox clock', async () => {
    assertAuthenticationError(await refused(async () => post(t, PATHS.register, await signedBody(stranger.signer, 'stranger01'))), 400, /信頼する認証局のものではありません/);
    const selfIssued = issueCertificate({ subject: { commonName: 'Self Signed Filer' }, ca: false, notBefore: new Date('2025-01-01'), notAfter: new Date('2030-01-01') });
    const selfSigner = new KeyObjectSigner('pem', selfIssued.privateKey, selfIssued.certificate);
    assertAuthenticationError(await refused(async () => post(t, PATHS.register, await signedBody(selfSigner, 'self01'))), 400, /信頼する認証局のものではありません/);
    assertAuthenticationError(await refused(async () => post(t, PATHS.register, await signedBody(expired.signer, 'expired01'))), 400, /有効期間外です。.*（有効期限切れ/);
    assertAuthenticationError(await refused(async () => post(t, PATHS.register, await signedBody(notYet.signer, 'future01'))), 400, /有効期間外です。.*（有効期間前/);
  });

  void it('a missing or unknown software ID', async () => {
    const body = await signedBody(other.signer, 'other01');
    assertAuthenticationError(await refused(() => post(t, PATHS.register, body, {})), 401, /指定されていません/);
    assertAuthenticationError(await refused(() => post(t, PATHS.register, body, { 'x-eGovAPI-SoftwareID': 'SOMETHINGELSE' })), 401, /登録されていません/);
    assertAuthenticationError(await refused(() => post(t, PATHS.register, body, { 'x-eGovAPI-SoftwareID': SOFTWARE_ID.toLowerCase() })), 401, /登録されていません/);
  });

  void it('a UserID that is empty, too long, has a space or non-ASCII characters (a long one is not echoed)', async () => {
    for (const [userId, echo] of [
      ['', ''],
      ['x'.repeat(65), ''],
      ['a b', 'a b'],
      ['利用者', '利用者'],
      [' good01', ' good01'],
    ] as const) {
      const res = await refused(async () => post(t, PATHS.register, await signedBody(other.signer, userId)));
      assertAuthenticationError(res, 400, /利用者IDが正しくありません/);
      assert.equal(item(res.text, 'UserID'), echo.replace('&', '&amp;'));
    }
    const huge = await refused(() => post(t, PATHS.register, xml(`<UserID>${'y'.repeat(900_000)}</UserID>`)));
    assertAuthenticationError(huge, 400, /利用者IDが正しくありません/);
    assert.ok(huge.body.length < 2000);
    assert.equal((await post(t, PATHS.register, await signedBody(other.signer, 'x'.repeat(64)))).status, 201);
  });

  void it('echoed values are XML-escaped', async () => {
    const res = await refused(() => post(t, PATHS.register, xml('<UserID>a&amp;b&lt;c&gt;"\'</UserID>')));
    assert.equal(item(res.text, 'UserID'), 'a&amp;b&lt;c&gt;&quot;&apos;');
    assert.match(res.text, /<UserID>a&amp;b&lt;c&gt;&quot;&apos;<\/UserID>/);
  });

  void it('a wrong HTTP method: 405 with Allow: POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const res = await refused(() => rawRequest(t.sandbox.url, PATHS.login, { method, headers: { 'x-eGovAPI-SoftwareID': SOFTWARE_ID } }));
      assertAuthenticationError(res, 405, /HTTP メソッドでは呼び出せません/, ['UserID', 'AccessKey', 'LastAuthenticationDate']);
      assert.equal(res.headers.allow, 'POST');
    }
  });

  void it('unknown URIs: 404 in the family of the sub-tree', async () => {
    const body = await signedBody(good.signer, 'good01');
    for (const path of ['/shinsei/1/authentication/users', '/shinsei/1/authentication/user/', '/shinsei/1/authentication/certificate', '/shinsei/1/authentication/login;x=1']) {
      assertAuthenticationError(await refused(() => post(t, path, body)), 404, /API はありません/, []);
    }
    for (const path of ['/', '/shinsei/1/', '/shinsei/2/authentication/user', '/favicon.ico']) {
      assertAccessError(await refused(() => rawRequest(t.sandbox.url, path, { method: 'GET' })), 404, /API はありません/);
    }
    assertAccessError(await refused(() => rawRequest(t.sandbox.url, '/shinsei/1/access/bank', { method: 'GET' })), 401, /ソフトウェアID/);
    assertAccessError(
      await refused(() => rawRequest(t.sandbox.url, '/shinsei/1/access/bank', { method: 'GET', headers: { 'x-eGovAPI-SoftwareID': SOFTWARE_ID } })),
      401,
      /アクセスキー/,
    );
  });

  void it('bytes that are not UTF-8, and a declared encoding other than UTF-8', async () => {
    const sjis = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="Shift_JIS"?>\n<DataRoot><ApplData Id="ApplData"><UserID>'), Buffer.from([0x97, 0x98]), Buffer.from('</UserID></ApplData></DataRoot>')]);
    assertAuthenticationError(await refused(() => post(t, PATHS.register, sjis)), 400, /正しい XML ではありません/);
    const declared = (await signedBody(good.signer, 'good01')).replace('encoding="UTF-8"', 'encoding="Shift_JIS"');
    assertAuthenticationError(await refused(() => post(t, PATHS.login, declared)), 400, /正しい XML ではありません/, ['UserID', 'AccessKey', 'LastAuthenticationDate']);
  });

  void it('deeply nested XML', async () => {
    const deep = xml(`<UserID>x</UserID>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`);
    assertAuthenticationError(await refused(() => post(t, PATHS.register, deep)), 400, /正しい XML ではありません/);
  });

  void it('items that do not belong to the API, duplicated or missing', async () => {
    const cases: Array<[string, string, string[]]> = [
      [PATHS.register, '<UserID>good05</UserID><Extra>1</Extra>', ['UserID']],
      [PATHS.register, `<UserID>good05</UserID><AddX509Certificate>${other.base64}</AddX509Certificate>`, ['UserID']],
      [PATHS.register, '<UserID>good05</UserID><UserID>good06</UserID>', ['UserID']],
      [PATHS.append, '<UserID>good01</UserID>', ['UserID', 'LastAuthenticationDate']],
      [PATHS.append, `<UserID>good01</UserID><DelX509Certificate>${other.base64}</DelX509Certificate>`, ['UserID', 'LastAuthenticationDate']],
      [PATHS.update, `<UserID>good01</UserID><X509Certificate><b>${other.base64}</b></X509Certificate>`, ['UserID', 'LastAuthenticationDate']],
      [PATHS.register, 'text<UserID>good05</UserID>', ['UserID']],
    ];
    for (const [path, inner] of cases) {
      const body = await signRequestBody(inner, good.signer, { signatureId: 'shape' });
      const res = await refused(() => post(t, path, body));
      assertAuthenticationError(res, 400, /送信データの項目が正しくありません/, cases.find((c) => c[1] === inner)![2]);
    }
  });

  void it('a certificate item that is not base64, not a certificate, or has bytes after the certificate', async () => {
    const der = other.issued.certificate.raw;
    for (const value of ['!!!notbase64!!!', Buffer.from('not a certificate').toString('base64'), Buffer.concat([der, Buffer.from([0, 0])]).toString('base64'), '']) {
      const body = await signedBody(good.signer, 'good01', { name: 'AddX509Certificate', base64: value });
      const res = await refused(() => post(t, PATHS.append, body));
      assertAuthenticationError(res, 400, /X\.509 証明書（base64 の DER）として読み取れません/, ['UserID', 'LastAuthenticationDate']);
    }
  });

  void it('HTTP-level garbage and a client that hangs up mid-body', async () => {
    await refused(
      () =>
        new Promise<RawResponse>((resolve) => {
          const socket = connect(t.sandbox.port, '127.0.0.1', () => socket.write('GARBAGE\r\n\r\n'));
          let data = '';
          socket.on('data', (c) => (data += c.toString('latin1')));
          socket.on('close', () => {
            assert.match(data, /^HTTP\/1\.1 400/);
            resolve({ status: 400, headerPairs: [], headers: {}, body: Buffer.alloc(0), text: data });
          });
        }),
    );
    await refused(
      () =>
        new Promise<RawResponse>((resolve) => {
          const socket = connect(t.sandbox.port, '127.0.0.1', () => {
            socket.write(`POST ${PATHS.register} HTTP/1.1\r\nHost: x\r\nx-eGovAPI-SoftwareID: ${SOFTWARE_ID}\r\nContent-Length: 5000\r\n\r\n<DataRoot>`);
            setImmediate(() => socket.destroy());
          });
          socket.on('close', () => resolve({ status: 0, headerPairs: [], headers: {}, body: Buffer.alloc(0), text: '' }));
        }),
    );
  });

  void it('accepts what e-Gov accepted: any Content-Type, base64 with LF or CRLF line breaks, no XML declaration, a BOM', async () => {
    const wrapped = other.base64.replace(/(.{60})/g, '$1\n') + '\n';
    const withCrlf = other.base64.replace(/(.{76})/g, '$1\r\n');
    const res1 = await post(t, PATHS.append, await signedBody(good.signer, 'good01', { name: 'AddX509Certificate', base64: wrapped }), {
      'x-eGovAPI-SoftwareID': SOFTWARE_ID,
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    assert.equal(res1.status, 200, res1.text);
    const res2 = await post(t, PATHS.delete, await signedBody(good.signer, 'good01', { name: 'DelX509Certificate', base64: withCrlf }), {
      'x-eGovAPI-SoftwareID': SOFTWARE_ID,
      'Content-Type': 'image/png',
    });
    assert.equal(res2.status, 200, res2.text);
    const plain = (await signedBody(good.signer, 'good01')).replace('<?xml version="1.0" encoding="UTF-8"?>\n', '');
    assert.equal((await post(t, PATHS.login, plain)).status, 200);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(await signedBody(good.signer, 'good01'))]);
    assert.equal((await post(t, PATHS.login, bom)).status, 200);
    assert.ok(goodCount > 20);
  });
});

void describe('sandbox internal failure', () => {
  void it('answers 500 with e-Gov system-error text in the family of the URI when its own database fails, and keeps serving', async () => {
    const t = await startTestSandbox({ trust: [ca.certificate], bundledTrust: false, at: '2026-06-01T09:00:00+09:00' });
    try {
      assert.equal((await post(t, PATHS.register, await signedBody(good.signer, 'good01'))).status, 201);
      // a real fault, not a stub: the table the login writes to disappears under the running server
      const db = openSqlite(join(t.dataDir, 'sandbox.sqlite'));
      db.exec('DROP TABLE access_keys');
      db.close();
      const res = await post(t, PATHS.login, await signedBody(good.signer, 'good01'));
      assertAuthenticationError(res, 500, /^システムでエラーが発生したため処理が中断されました。電子政府利用支援センターまでご連絡ください。$/, ['UserID', 'AccessKey', 'LastAuthenticationDate']);
      const access = await rawRequest(t.sandbox.url, '/shinsei/1/access/bank', { method: 'GET', headers: { 'x-eGovAPI-SoftwareID': SOFTWARE_ID, 'x-eGovAPI-AccessKey': 'k' } });
      assertAccessError(access, 500, /^システムでエラーが発生したため/);
      // the transaction of the failed login left no trace
      assert.equal(item((await post(t, PATHS.append, await signedBody(good.signer, 'good01', { name: 'AddX509Certificate', base64: other.base64 }))).text, 'LastAuthenticationDate'), '');
    } finally {
      await t.close();
    }
  });
});

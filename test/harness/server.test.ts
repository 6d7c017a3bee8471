// The web harness server, from the outside: what it serves, whom it refuses, and the WebSocket
// protocol that carries the contract. Uses a tiny renderer folder so it needs no Vite build.
import assert from 'node:assert/strict';
import { scratchHome } from '../support/home.js';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { createApp } from '../../src/main/app/create-app.js';
import { MAX_CERTIFICATE_FILE_BYTES } from '../../src/shared/contract.js';
import { injectBridge, parseRequest, startHarness, type Harness } from './server.js';
import { unsafeRelativePath } from './upload.js';
import { uploadParts } from './upload-body.js';

let dir: string;
let harness: Harness;
let token: string;
let staging: string;

/** Small limits, so "too large" costs little to send. */
const LIMITS = { maxFileBytes: 64 * 1024, maxTotalBytes: 96 * 1024, maxFiles: 10, maxManifestBytes: 4096 };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'todoke-harness-'));
  staging = join(dir, 'staging');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>t</title><script type="module" src="./app.js"></script></head><body></body></html>');
  writeFileSync(join(dir, 'app.js'), 'export {};');
  harness = await startHarness({
    rendererDir: dir,
    app: createApp({ host: 'harness', home: scratchHome(), version: '1.0.0', platform: 'linux' }),
    stagingDir: staging,
    uploadLimits: LIMITS,
  });
  token = new URL(harness.url).hash.replace('#token=', '');
});

after(async () => {
  await harness.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(path, harness.origin);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(options: { token?: string; origin?: string | null; path?: string } = {}): Promise<WebSocket> {
  const url = `${harness.origin.replace('http:', 'ws:')}${options.path ?? '/__harness/ws'}?token=${encodeURIComponent(options.token ?? token)}`;
  const origin = options.origin === undefined ? harness.origin : options.origin;
  const ws = new WebSocket(url, origin === null ? {} : { origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as Record<string, unknown>)));
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
}

void describe('harness HTTP', () => {
  void it('listens on loopback and gives a URL with a long random token in the fragment', () => {
    assert.match(harness.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
  });

  void it('serves index.html with the bridge script before the app, under a CSP that allows only its own WebSocket', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    assert.ok(res.body.indexOf('__harness/bridge.js') < res.body.indexOf('./app.js'));
    const csp = String(res.headers['content-security-policy']);
    assert.ok(csp.includes(`connect-src 'self' ${harness.origin.replace('http:', 'ws:')}`), csp);
    assert.ok(csp.includes("script-src 'self'"));
    const bridge = await get('/__harness/bridge.js');
    assert.equal(bridge.status, 200);
    assert.match(String(bridge.headers['content-type']), /^text\/javascript/);
    assert.match(bridge.body, /todoke/);
  });

  void it('answers only to its own Host name (DNS rebinding), only GET/HEAD, and only files of the renderer', async () => {
    assert.equal((await get('/', { host: 'evil.example:80' })).status, 421);
    assert.equal((await get('/', { host: 'localhost' })).status, 421);
    assert.equal((await get('/', {}, 'POST')).status, 405);
    assert.equal((await get('/', {}, 'HEAD')).status, 200);
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/nope.js', '/.env']) assert.equal((await get(path)).status, 404, path);
  });

  void it('serves notice pages only with the page token, only for a plain id, and opens frame-src to them alone', async () => {
    const csp = String((await get('/')).headers['content-security-policy']);
    assert.ok(csp.split('; ').includes(`frame-src blob: ${harness.origin}/doc/notice/`), csp);
    for (const path of ['/doc/notice/1', '/doc/notice/1?token=x', `/doc/notice/1?token=${token}x`]) assert.equal((await get(path)).status, 403, path);
    for (const rest of ['0', '01', 'x', '1/2', '..%2f..%2fpackage.json', '']) assert.equal((await get(`/doc/notice/${rest}?token=${token}`)).status, 404, rest);
    // no profile here, so no notice: the core's refusal is a plain 404 with nothing of its message
    const missing = await get(`/doc/notice/1?token=${token}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body, 'Not found');
    assert.equal((await get(`/doc/notice/1?token=${token}`, {}, 'POST')).status, 405);
  });
});

void describe('harness WebSocket', () => {
  void it('refuses a wrong, missing or differently sized token, a foreign or missing Origin, and other paths', async () => {
    const refusals = [
      connect({ token: 'x' }),
      connect({ token: '' }),
      connect({ token: `${token}x` }),
      connect({ token: token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }),
      connect({ origin: 'http://evil.example' }),
      connect({ origin: 'http://localhost' }),
      connect({ origin: null }),
      connect({ path: '/ws' }),
    ];
    for (const attempt of refusals) await assert.rejects(attempt, /refused 403/);
  });

  void it('carries {id, op, args} to the core and {id, ok, value | error} back', async () => {
    const ws = await connect();
    ws.send(JSON.stringify({ id: 1, op: 'app.info', args: {} }));
    assert.deepEqual(await nextMessage(ws), { id: 1, ok: true, value: { version: '1.0.0', platform: 'linux', host: 'harness' } });
    ws.send(JSON.stringify({ id: 2, op: 'certificate.describe', args: { fileName: 'x.cer', dataBase64: 'AAAA' } }));
    const answer = await nextMessage(ws);
    assert.equal(answer.id, 2);
    assert.equal(answer.ok, false);
    assert.equal((answer.error as { code: string }).code, 'CERT_FORMAT');
    ws.send(JSON.stringify({ id: 3, op: '__proto__', args: {} }));
    assert.equal(((await nextMessage(ws)).error as { code: string }).code, 'UNKNOWN_OPERATION');
    ws.close();
  });

  void it('sends core events to every open page', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    const got = Promise.all([nextMessage(a!), nextMessage(b!)]);
    const event = { name: 'app.notice' as const, payload: { level: 'info' as const, code: 'HELLO', message: 'hello', messageJa: 'こんにちは' } };
    harness.app.events.emit(event);
    assert.deepEqual(await got, [{ event }, { event }]);
    a!.close();
    b!.close();
  });

  void it('closes the connection on malformed frames (policy violation)', async () => {
    for (const frame of ['not json', '[]', 'null', '{"id":1,"op":"app.info"}', '{"id":"1","op":"app.info","args":{}}', '{"id":-1,"op":"app.info","args":{}}', '{"id":1,"op":"app.info","args":{},"x":1}', `{"id":1,"op":"${'a'.repeat(101)}","args":{}}`]) {
      const ws = await connect();
      const code = closed(ws);
      ws.send(frame);
      assert.equal(await code, 1008, frame);
    }
    const ws = await connect();
    const code = closed(ws);
    ws.send(Buffer.from('{}'), { binary: true });
    assert.equal(await code, 1008, 'binary frame');
  });

  void it('closes the connection when a frame exceeds the largest possible request', async () => {
    const ws = await connect();
    const code = closed(ws);
    ws.send(JSON.stringify({ id: 1, op: 'certificate.describe', args: { fileName: 'a', dataBase64: 'A'.repeat(MAX_CERTIFICATE_FILE_BYTES * 2) } }));
    assert.equal(await code, 1009);
  });
});

interface UploadFile {
  path: string;
  bytes: Buffer;
}

/** The body client.ts sends, built by the same uploadParts. */
async function uploadBody(files: UploadFile[]): Promise<Buffer> {
  const parts = uploadParts(files.map((f) => ({ name: f.path.split('/').pop() ?? '', webkitRelativePath: f.path, size: f.bytes.length, bytes: f.bytes })));
  const [header, manifest, ...rest] = parts;
  return Buffer.concat([header, manifest, ...rest.map((f) => f.bytes)]);
}

function manifestBody(manifest: unknown, tail = Buffer.alloc(0)): Buffer {
  const json = Buffer.from(JSON.stringify(manifest));
  const header = Buffer.alloc(4);
  header.writeUInt32BE(json.length, 0);
  return Buffer.concat([header, json, tail]);
}

function upload(body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL('/__harness/upload', harness.origin),
      {
        method: 'POST',
        headers: { origin: harness.origin, 'x-todoke-token': token, 'content-type': 'application/octet-stream', 'content-length': String(body.length), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    // the server may answer and close before reading a refused body
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? resolve({ status: -1, body: e.code }) : reject(e)));
    req.end(body);
  });
}

function stages(): string[] {
  return existsSync(staging) ? readdirSync(staging) : [];
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(condition());
}

void describe('harness upload (files by path)', () => {
  void it('stages a chosen folder under <staging>/<random id>/ and answers one path per thing chosen', async () => {
    const before = stages().length;
    const res = await upload(
      await uploadBody([
        { path: 'batch/900A010200001000(1)/kousei.xml', bytes: Buffer.from('<a/>') },
        { path: 'batch/900A010200001000(1)/申請書.xml', bytes: Buffer.from('<b/>') },
        { path: 'batch/900A010200001000(2)/empty.txt', bytes: Buffer.alloc(0) },
      ]),
    );
    assert.equal(res.status, 200, res.body);
    const { paths } = JSON.parse(res.body) as { paths: string[] };
    assert.equal(paths.length, 1);
    assert.ok(paths[0]!.startsWith(`${staging}/`), paths[0]);
    assert.match(paths[0]!.slice(staging.length), /^\/[0-9a-f]{24}\/batch$/);
    assert.equal(readFileSync(join(paths[0]!, '900A010200001000(1)', '申請書.xml'), 'utf8'), '<b/>');
    assert.equal(lstatSync(join(paths[0]!, '900A010200001000(2)', 'empty.txt')).size, 0);
    assert.equal(stages().length, before + 1);

    const zip = await upload(await uploadBody([{ path: 'bulk.zip', bytes: Buffer.from('PK') }, { path: 'other.zip', bytes: Buffer.from('PK') }]));
    assert.equal(zip.status, 200);
    assert.deepEqual((JSON.parse(zip.body) as { paths: string[] }).paths.map((p) => p.split('/').pop()), ['bulk.zip', 'other.zip']);
  });

  void it('refuses a wrong or missing token, a foreign or missing Origin, a foreign Host, other methods and types', async () => {
    const body = await uploadBody([{ path: 'a.zip', bytes: Buffer.from('PK') }]);
    const before = stages().length;
    assert.equal((await upload(body, { 'x-todoke-token': 'x' })).status, 403);
    assert.equal((await upload(body, { 'x-todoke-token': `${token}x` })).status, 403);
    assert.equal((await upload(body, { 'x-todoke-token': '' })).status, 403);
    assert.equal((await upload(body, { origin: 'http://evil.example' })).status, 403);
    assert.equal((await upload(body, { origin: 'null' })).status, 403);
    assert.equal((await upload(body, { host: 'evil.example' })).status, 421);
    assert.equal((await upload(body, { 'content-type': 'text/plain' })).status, 415);
    assert.equal((await upload(body, { 'content-type': 'multipart/form-data; boundary=x' })).status, 415);
    assert.equal((await get('/__harness/upload')).status, 405);
    // the token in the query string (as the WebSocket takes it) is not enough
    assert.equal((await get(`/__harness/upload?token=${token}`, { origin: harness.origin, 'content-type': 'application/octet-stream' }, 'POST')).status, 403);
    assert.equal(stages().length, before, 'nothing staged');
  });

  void it('refuses malformed bodies and manifests', async () => {
    const before = stages().length;
    const file = Buffer.from('x');
    const cases: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['not JSON', Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from('{x}')])],
      ['array', manifestBody([])],
      ['no files', manifestBody({ files: [] })],
      ['extra key', manifestBody({ files: [{ path: 'a', size: 1 }], more: 1 }, file)],
      ['entry extra key', manifestBody({ files: [{ path: 'a', size: 1, mode: 511 }] }, file)],
      ['size not a number', manifestBody({ files: [{ path: 'a', size: '1' }] }, file)],
      ['negative size', manifestBody({ files: [{ path: 'a', size: -1 }] })],
      ['fractional size', manifestBody({ files: [{ path: 'a', size: 0.5 }] }, file)],
      ['manifest longer than body', Buffer.concat([Buffer.from([0, 0, 0, 200]), Buffer.from('{"files":[]}')])],
      ['more bytes than declared', manifestBody({ files: [{ path: 'a', size: 1 }] }, Buffer.from('xy'))],
      ['fewer bytes than declared', manifestBody({ files: [{ path: 'a', size: 2 }] }, file)],
      ['same path twice', manifestBody({ files: [{ path: 'a', size: 1 }, { path: 'a', size: 1 }] }, Buffer.from('xy'))],
      ['same path in other case', manifestBody({ files: [{ path: 'A/b', size: 1 }, { path: 'a/b', size: 1 }] }, Buffer.from('xy'))],
      ['file and folder', manifestBody({ files: [{ path: 'a', size: 1 }, { path: 'a/b', size: 1 }] }, Buffer.from('xy'))],
    ];
    for (const [name, body] of cases) assert.equal((await upload(body)).status, 400, name);
    assert.equal(stages().length, before, 'nothing staged');
  });

  void it('refuses hostile relative paths before writing anything', async () => {
    const before = stages().length;
    const hostile = ['../escape.xml', 'a/../../escape.xml', 'a/./b', '/etc/passwd', 'a\\..\\b', 'a//b', 'a/', '', 'C:/x', 'c:x', 'a\u0000b', 'a\nb', 'a\u202eb', 'a\u007fb', '.', '..', 'x'.repeat(256), Array(10).fill('d').join('/')];
    for (const path of hostile) {
      assert.equal((await upload(manifestBody({ files: [{ path, size: 1 }] }, Buffer.from('x')))).status, 400, JSON.stringify(path));
    }
    assert.equal(stages().length, before, 'nothing staged');
    assert.ok(!existsSync(join(dir, 'escape.xml')));
    // Japanese names, spaces and parentheses are ordinary
    for (const path of ['申請書 (1).xml', '900A010200001000(1)/添付 書類.pdf']) assert.equal(unsafeRelativePath(path), null, path);
  });

  void it('refuses too large files, uploads, manifests and too many files with 413', async () => {
    const before = stages().length;
    assert.equal((await upload(manifestBody({ files: [{ path: 'a', size: LIMITS.maxFileBytes + 1 }] }, Buffer.alloc(LIMITS.maxFileBytes + 1)))).status, 413);
    const big = Buffer.alloc(LIMITS.maxFileBytes);
    assert.equal((await upload(manifestBody({ files: [{ path: 'a', size: big.length }, { path: 'b', size: big.length }] }, Buffer.concat([big, big])))).status, 413);
    const many = Array.from({ length: LIMITS.maxFiles + 1 }, (_, i) => ({ path: `f${i}`, size: 0 }));
    assert.equal((await upload(manifestBody({ files: many }))).status, 413);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(LIMITS.maxManifestBytes + 1, 0);
    assert.equal((await upload(Buffer.concat([header, Buffer.alloc(LIMITS.maxManifestBytes + 1, 0x20)]))).status, 413);
    // a content-length beyond any upload is refused before the body is read
    const huge = await upload(Buffer.from('x'), { 'content-length': String(10 * 1024 * 1024 * 1024) });
    assert.ok(huge.status === 413 || huge.status === -1, String(huge.status));
    assert.equal(stages().length, before, 'nothing staged');
  });

  void it('leaves nothing behind when the body is cut short, and keeps serving', async () => {
    const before = stages().length;
    const content = Buffer.alloc(32 * 1024, 0x61);
    const body = manifestBody({ files: [{ path: 'batch/a.xml', size: content.length }, { path: 'batch/b.xml', size: content.length }] }, Buffer.concat([content, content]));
    const { port } = new URL(harness.origin);
    const socket = tcpConnect(Number(port), '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(
      `POST /__harness/upload HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${harness.origin}\r\nx-todoke-token: ${token}\r\ncontent-type: application/octet-stream\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.subarray(0, body.length - 1000));
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    await until(() => stages().length === before);
    const res = await upload(await uploadBody([{ path: 'ok.zip', bytes: Buffer.from('PK') }]));
    assert.equal(res.status, 200);
  });

  void it('removes what it staged when it closes', async () => {
    const other = await startHarness({ rendererDir: dir, app: createApp({ host: 'harness', home: scratchHome(), version: '1.0.0' }), stagingDir: join(dir, 'staging-2') });
    const otherToken = new URL(other.url).hash.replace('#token=', '');
    const body = await uploadBody([{ path: 'a.zip', bytes: Buffer.from('PK') }]);
    const res = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('/__harness/upload', other.origin), { method: 'POST', headers: { origin: other.origin, 'x-todoke-token': otherToken, 'content-type': 'application/octet-stream', 'content-length': String(body.length) } }, (r) => {
        r.resume();
        r.on('end', () => resolve(r.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
    assert.equal(res, 200);
    assert.equal(readdirSync(join(dir, 'staging-2')).length, 1);
    await other.close();
    assert.equal(readdirSync(join(dir, 'staging-2')).length, 0);
  });
});

void describe('harness helpers', () => {
  void it('parseRequest accepts exactly {id, op, args}', () => {
    assert.deepEqual(parseRequest('{"id":0,"op":"a.b","args":null}'), { id: 0, op: 'a.b', args: null });
    assert.equal(parseRequest('{"id":1.5,"op":"a","args":{}}'), null);
    assert.equal(parseRequest('{"__proto__":{},"op":"a","args":{}}'), null);
  });
  void it('injectBridge puts the script before the first script, or at the end of head', () => {
    assert.match(injectBridge('<head><script src="a.js"></script></head>'), /bridge\.js"><\/script>\s*<script src="a\.js">/);
    assert.match(injectBridge('<head><title>x</title></head>'), /bridge\.js"><\/script>\s*<\/head>/);
  });
});

// The web harness server, from the outside: what it serves, whom it refuses, and the WebSocket
// protocol that carries the contract. Uses a tiny renderer folder so it needs no Vite build.
import assert from 'node:assert/strict';
import { scratchHome } from '../support/home.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { createApp } from '../../src/main/app/create-app.js';
import { MAX_CERTIFICATE_FILE_BYTES } from '../../src/shared/contract.js';
import { injectBridge, parseRequest, startHarness, type Harness } from './server.js';

let dir: string;
let harness: Harness;
let token: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'todoke-harness-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>t</title><script type="module" src="./app.js"></script></head><body></body></html>');
  writeFileSync(join(dir, 'app.js'), 'export {};');
  harness = await startHarness({ rendererDir: dir, app: createApp({ host: 'harness', home: scratchHome(), version: '1.0.0', platform: 'linux' }) });
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

// Harness (Node). The web host of the core: serves the built renderer to a normal browser on
// loopback and carries the contract over a WebSocket, dispatching through the same core as the
// Electron IPC binding. Guarded like the desktop app: only 127.0.0.1, only its own Host and
// Origin, and a random per-run token that the page reads from its URL fragment. Files the person
// chooses reach the core by path: the page uploads them into a staging folder (upload.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_CA_PEM_LENGTH, MAX_CERTIFICATE_FILE_BYTES } from '../../src/shared/contract.js';
import { base64LengthFor } from '../../src/shared/schema.js';
import { createApp } from '../../src/main/app/create-app.js';
import type { CoreEndpoint } from '../../src/main/core-host/supervisor.js';
import { HARNESS_NOTICE_PAGE_PREFIX, noticeIdOfPath, noticePageHeaders } from '../../src/shared/notice-page.js';
import { contentSecurityPolicy, contentTypeFor, rendererHeaders, resolveRendererFile } from '../../src/main/electron/policy.js';
import { receiveUpload, UPLOAD_LIMITS, UPLOAD_PATH, UPLOAD_TOKEN_HEADER, UploadRefused, type UploadLimits } from './upload.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultRendererDir = join(repoRoot, 'build', 'renderer');

const BRIDGE_PATH = '/__harness/bridge.js';
const SOCKET_PATH = '/__harness/ws';
/** The largest call (identity.setup: a certificate file in base64 and a CA certificate) plus room for the rest. */
const MAX_MESSAGE_BYTES = base64LengthFor(MAX_CERTIFICATE_FILE_BYTES) + MAX_CA_PEM_LENGTH + 64 * 1024;
/** How many operations one page may have in flight; more is a runaway page, not a person. */
const MAX_IN_FLIGHT = 32;
/** Uploads received at the same time; a person chooses one thing at a time. */
const MAX_UPLOADS_IN_FLIGHT = 2;

export interface HarnessOptions {
  /** 0 or absent: a free port chosen by the system */
  port?: number;
  /**
   * the core to serve: a CoreSupervisor over the core host process (as `npm run harness` and the
   * E2E specs do), or an in-process app; defaults to a fresh in-process createApp({ host: 'harness' })
   */
  app?: CoreEndpoint;
  rendererDir?: string;
  /**
   * where uploaded files are staged (`<home>/staging` of the core); defaults to the staging folder
   * of the in-process app's home, or a temporary folder when `app` is given
   */
  stagingDir?: string;
  /** smaller upload limits (tests) */
  uploadLimits?: Partial<UploadLimits>;
}

export interface Harness {
  /** the page to open, token included */
  url: string;
  origin: string;
  app: CoreEndpoint;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const rendererDir = options.rendererDir ?? defaultRendererDir;
  const indexFile = join(rendererDir, 'index.html');
  if (!existsSync(indexFile)) {
    throw new Error(`the renderer is not built (${indexFile} is missing): run \`npx vite build\` first`);
  }
  let app: CoreEndpoint;
  let stagingDir: string;
  if (options.app) {
    app = options.app;
    stagingDir = options.stagingDir ?? join(mkdtempSync(join(tmpdir(), 'todoke-staging-')), 'staging');
  } else {
    const home = mkdtempSync(join(tmpdir(), 'todoke-harness-'));
    app = createApp({ host: 'harness', version: packageVersion(), home });
    stagingDir = options.stagingDir ?? join(home, 'staging');
  }
  const uploadLimits: UploadLimits = { ...UPLOAD_LIMITS, ...options.uploadLimits };
  /** stage folders made during this run, removed at close */
  const stages = new Set<string>();
  let uploadsInFlight = 0;
  const bridgeScript = await bundleBridge();
  const token = randomBytes(32).toString('base64url');

  let origin = '';
  let host = '';
  let csp = '';

  const server = createServer((req, res) => {
    serveFile(req, res).catch(() => send(res, 500, 'Internal error'));
  });

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A DNS-rebinding page reaches us with its own Host name: answer only to our own.
    if (req.headers.host !== host) return send(res, 421, 'Misdirected request');
    if (new URL(req.url ?? '/', origin).pathname === UPLOAD_PATH) return serveUpload(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    const { pathname, searchParams } = new URL(req.url ?? '/', origin);
    if (pathname.startsWith(HARNESS_NOTICE_PAGE_PREFIX)) return serveNoticePage(req, res, pathname.slice(HARNESS_NOTICE_PAGE_PREFIX.length), searchParams.get('token') ?? '');
    if (pathname === BRIDGE_PATH) return reply(res, req, rendererHeaders('text/javascript; charset=utf-8', csp), bridgeScript);
    const file = resolveRendererFile(rendererDir, pathname);
    if (file === null) return send(res, 404, 'Not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return send(res, 404, 'Not found');
    }
    const headers = rendererHeaders(contentTypeFor(file) ?? 'application/octet-stream', csp);
    if (file === resolve(indexFile)) return reply(res, req, headers, injectBridge(body.toString('utf8')));
    return reply(res, req, headers, body);
  }

  /** A kept notice's rendered page, as Electron's todoke-doc: scheme serves it (src/shared/notice-page.ts). */
  async function serveNoticePage(req: IncomingMessage, res: ServerResponse, rest: string, given: string): Promise<void> {
    // the user's documents: only for the page that holds this run's token (a frame sends no header)
    if (!sameSecret(given, token)) return refuse(res, 403, 'Forbidden');
    const id = noticeIdOfPath(rest);
    if (id === null) return send(res, 404, 'Not found');
    const answer = await app.dispatch('notice.page', { id });
    if (!answer.ok) return send(res, 404, 'Not found');
    return reply(res, req, noticePageHeaders(), Buffer.from((answer.value as { html: string }).html, 'utf8'));
  }

  async function serveUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return refuse(res, 405, 'Method not allowed');
    // The page's own fetch always sends its Origin with a POST; the token is in a header, so a
    // foreign page cannot even send it without a CORS preflight, which is never answered.
    if (req.headers.origin !== origin || !sameSecret(String(req.headers[UPLOAD_TOKEN_HEADER] ?? ''), token)) return refuse(res, 403, 'Forbidden');
    if (req.headers['content-type'] !== 'application/octet-stream') return refuse(res, 415, 'Unsupported media type');
    if (uploadsInFlight >= MAX_UPLOADS_IN_FLIGHT) return refuse(res, 429, 'Too many uploads');
    uploadsInFlight++;
    try {
      const { stageDir, paths } = await receiveUpload(req, stagingDir, uploadLimits);
      stages.add(stageDir);
      const body = Buffer.from(JSON.stringify({ paths }));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(body);
    } catch (e) {
      if (e instanceof UploadRefused) return refuse(res, e.status, e.message);
      return refuse(res, 400, 'Upload failed');
    } finally {
      uploadsInFlight--;
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!upgradeAllowed(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, app));
  });

  function upgradeAllowed(req: IncomingMessage): boolean {
    if (req.headers.host !== host || req.headers.origin !== origin) return false;
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== SOCKET_PATH) return false;
    return sameSecret(url.searchParams.get('token') ?? '', token);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
  csp = contentSecurityPolicy({ connectSrc: [`ws://${host}`], frameSrc: [`http://${host}${HARNESS_NOTICE_PAGE_PREFIX}`] });

  return {
    url: `${origin}/#token=${token}`,
    origin,
    app,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await Promise.all([...stages].map((stage) => rm(stage, { recursive: true, force: true })));
    },
  };
}

/** One page's connection: `{id, op, args}` in, `{id, ok, value | error}` out, events as `{event}`. */
function serveSocket(ws: WebSocket, app: CoreEndpoint): void {
  let inFlight = 0;
  const unsubscribe = app.events.subscribe((event) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event }));
  });
  ws.on('close', unsubscribe);
  // Protocol errors (an oversize frame, bad UTF-8) close the socket with the right code; without a
  // listener they would also be thrown as an uncaught exception and stop the harness.
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    const request = isBinary ? null : parseRequest(data.toString());
    // Our own page never sends anything else: a malformed frame means something else is talking.
    if (request === null) return ws.close(1008, 'malformed request');
    if (inFlight >= MAX_IN_FLIGHT) return ws.close(1008, 'too many requests in flight');
    inFlight++;
    void app.dispatch(request.op, request.args).then((envelope) => {
      inFlight--;
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: request.id, ...envelope }));
    });
  });
}

export function parseRequest(text: string): { id: number; op: string; args: unknown } | null {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  const { id, op, args } = message as Record<string, unknown>;
  const keys = Object.keys(message);
  if (keys.length !== 3 || !keys.every((k) => k === 'id' || k === 'op' || k === 'args')) return null;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return null;
  if (typeof op !== 'string' || op.length > 100) return null;
  return { id, op, args };
}

/** The bridge script goes before the app's module script, so `window.todoke` exists when the app boots. */
export function injectBridge(html: string): string {
  const tag = `<script src=".${BRIDGE_PATH}"></script>\n    `;
  const at = html.search(/<script\b/i);
  if (at >= 0) return html.slice(0, at) + tag + html.slice(at);
  return html.replace(/<\/head>/i, `${tag}</head>`);
}

let bridgeBundle: Promise<string> | null = null;

export function bundleBridge(): Promise<string> {
  bridgeBundle ??= build({
    entryPoints: [join(repoRoot, 'test', 'harness', 'client.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  }).then((r) => {
    const [out] = r.outputFiles;
    if (!out) throw new Error('esbuild produced no bridge bundle');
    return out.text;
  });
  return bridgeBundle;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(res: ServerResponse, req: IncomingMessage, headers: Record<string, string>, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/** Refuses an upload without reading the rest of its body, and closes the connection. */
function refuse(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', connection: 'close' });
  res.end(text);
}

function send(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

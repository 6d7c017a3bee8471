// Test support (Node). A tiny local HTTP(S) server on 127.0.0.1 that answers with scripted good and
// bad responses, so the e-Gov client's transport and error handling meet real sockets. It is test
// infrastructure, not a stand-in for e-Gov: every byte it sends is chosen by the test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  /** path and query as received (matrix parameters included) */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type FaultAction =
  /** a normal answer; `chunked` sends it without Content-Length */
  | { kind: 'respond'; status: number; body?: string | Buffer; headers?: Record<string, string>; chunked?: boolean }
  /** headers promising `declaredLength` bytes, part of the body, then the connection is destroyed */
  | { kind: 'reset-mid-response'; status: number; partialBody: string; declaredLength: number }
  /** reads the request and closes the connection without answering */
  | { kind: 'drop' }
  /** reads the request and never answers */
  | { kind: 'hang' }
  /** sends the headers, then never sends the body */
  | { kind: 'stall-body'; status: number; declaredLength: number };

export type FaultHandler = (request: RecordedRequest, index: number) => FaultAction | Promise<FaultAction>;

export interface FaultServer {
  /** e.g. `http://127.0.0.1:41234/shinsei/1/` */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** replaces the handler for the following requests */
  handle(handler: FaultHandler): void;
  close(): Promise<void>;
}

export interface FaultServerOptions {
  /** serve https with this key and certificate chain (PEM) */
  tls?: { key: string; cert: string };
  handler?: FaultHandler;
}

export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const requests: RecordedRequest[] = [];
  let handler: FaultHandler = options.handler ?? (() => ({ kind: 'respond', status: 500, body: 'no handler' }));
  const sockets = new Set<Socket>();

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      Promise.resolve(handler(recorded, requests.length - 1))
        .then((action) => perform(action, res))
        .catch(() => res.destroy());
    });
  };

  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, onRequest) : http.createServer(onRequest);
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // failed handshakes (the client refusing our certificate) are expected in TLS tests
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/shinsei/1/`,
    port,
    requests,
    handle(next) {
      handler = next;
    },
    async close() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function perform(action: FaultAction, res: ServerResponse): void {
  switch (action.kind) {
    case 'respond': {
      const body = action.body === undefined ? Buffer.alloc(0) : Buffer.from(action.body);
      const headers: Record<string, string> = { 'Content-Type': 'text/xml;charset=UTF-8', ...action.headers };
      if (!action.chunked) headers['Content-Length'] = String(body.length);
      res.writeHead(action.status, headers);
      if (action.chunked) {
        // several writes so that Node really frames the body as chunks
        for (let i = 0; i < body.length; i += 4096) res.write(body.subarray(i, i + 4096));
        res.end();
      } else {
        res.end(body);
      }
      return;
    }
    case 'reset-mid-response':
      res.writeHead(action.status, { 'Content-Type': 'text/xml;charset=UTF-8', 'Content-Length': String(action.declaredLength) });
      res.write(action.partialBody, () => {
        // give the bytes a moment to leave before the reset
        setTimeout(() => res.socket?.destroy(), 20);
      });
      return;
    case 'drop':
      res.socket?.destroy();
      return;
    case 'hang':
      return;
    case 'stall-body':
      res.writeHead(action.status, { 'Content-Type': 'text/xml;charset=UTF-8', 'Content-Length': String(action.declaredLength) });
      res.flushHeaders();
      return;
  }
}

/** A TCP port that accepts connections and never says a word (a TLS handshake that never ends). */
export async function startSilentTcpServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 with nothing listening (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestTlsPki {
  /** the CA that signed both server certificates */
  caCert: string;
  serverKey: string;
  /** valid for IP 127.0.0.1 */
  serverCert: string;
  /** signed by the same CA, but for DNS name wrong.example only */
  wrongNameKey: string;
  wrongNameCert: string;
}

/** A throwaway CA and server certificates made with the openssl CLI (P-256 keys: fast). */
export function makeTestTlsPki(): TestTlsPki {
  const dir = mkdtempSync(join(tmpdir(), 'todoke-fault-pki-'));
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const leaf = (name: string, san: string): void => {
    run('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-sha256', '-extfile', `${name}.ext`);
  };
  try {
    run(
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2',
      '-subj', '/CN=Todoke Fault Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    );
    leaf('server', 'IP:127.0.0.1');
    leaf('wrong', 'DNS:wrong.example');
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    return { caCert: read('ca.crt'), serverKey: read('server.key'), serverCert: read('server.crt'), wrongNameKey: read('wrong.key'), wrongNameCert: read('wrong.crt') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

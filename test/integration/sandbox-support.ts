// Test support (Node) for the sandbox tests: a sandbox in a temporary data folder with a clock the
// test moves, raw HTTP exchanges (status, headers in wire order, body bytes), signed requests made
// with the client's request signer, and a read-only look at the sandbox's tables.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyObjectSigner } from '../../src/main/signing/signer.js';
import { signRequestBody } from '../../src/main/signing/xml/index.js';
import type { StartSandboxOptions, SandboxHandle } from '../../src/sandbox/server.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { issueCertificate, type IssuedCertificate } from '../../src/sandbox/pki/issue.js';
import { openSqlite } from '../../src/sandbox/state/sqlite.js';
import { DATABASE_FILE } from '../../src/sandbox/state/db.js';
import { escapeXmlText } from '../../src/sandbox/wire/xml-text.js';
import { egovDir } from '../support/paths.js';

export const SOFTWARE_ID = 'TODOKESANDBOX1';
export const PATHS = {
  register: '/shinsei/1/authentication/user',
  login: '/shinsei/1/authentication/login',
  append: '/shinsei/1/authentication/certificate/append',
  update: '/shinsei/1/authentication/certificate/update',
  delete: '/shinsei/1/authentication/certificate/delete',
} as const;

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'todoke-sandbox-test-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface TestSandbox {
  sandbox: SandboxHandle;
  dataDir: string;
  setClock(at: Date | string): void;
  now(): Date;
  close(): Promise<void>;
}

/** A sandbox on a free port whose clock only moves when the test says so. */
export async function startTestSandbox(
  options: Omit<StartSandboxOptions, 'dataDir' | 'clock'> & { dataDir?: string; at?: Date | string; keepData?: boolean } = {},
): Promise<TestSandbox> {
  const dataDir = options.dataDir ?? tempDataDir();
  let clock = new Date(options.at ?? '2026-01-15T10:00:00+09:00');
  const { keepData, at: _at, ...rest } = options;
  const sandbox = await startSandbox({ ...rest, dataDir, clock: () => clock });
  return {
    sandbox,
    dataDir,
    setClock: (at) => {
      clock = new Date(at);
    },
    now: () => new Date(clock),
    close: async () => {
      await sandbox.close();
      if (!keepData && !options.dataDir) removeDir(dataDir);
    },
  };
}

export interface RawResponse {
  status: number;
  /** header names and values exactly in the order they came */
  headerPairs: Array<[string, string]>;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export function rawRequest(
  baseUrl: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string; ca?: string } = {},
): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: init.method ?? 'POST', headers: init.headers ?? {}, ...(init.ca ? { ca: init.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const pairs: Array<[string, string]> = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headerPairs: pairs, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** POST with the default software ID (override or drop it with headers). */
export function post(t: TestSandbox | SandboxHandle, path: string, body: Buffer | string, headers: Record<string, string> = { 'x-eGovAPI-SoftwareID': SOFTWARE_ID }): Promise<RawResponse> {
  const handle = 'sandbox' in t ? t.sandbox : t;
  return rawRequest(handle.url, path, { body, headers, ...(handle.tlsCaPem ? { ca: handle.tlsCaPem } : {}) });
}

export interface TestUser {
  signer: KeyObjectSigner;
  issued: IssuedCertificate;
  /** base64 DER, for AddX509Certificate / X509Certificate / DelX509Certificate */
  base64: string;
}

export function testCa(name = 'Todoke Test Sandbox CA'): IssuedCertificate {
  return issueCertificate({
    subject: { commonName: name, organization: 'Todoke Test', country: 'JP' },
    ca: true,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
  });
}

export function testUser(ca: IssuedCertificate, commonName: string, validity: { notBefore?: string; notAfter?: string } = {}): TestUser {
  const issued = issueCertificate({
    subject: { commonName, organization: 'Todoke Test', country: 'JP' },
    issuer: ca,
    ca: false,
    notBefore: new Date(validity.notBefore ?? '2025-01-01T00:00:00Z'),
    notAfter: new Date(validity.notAfter ?? '2030-01-01T00:00:00Z'),
  });
  return { signer: new KeyObjectSigner('pem', issued.privateKey, issued.certificate), issued, base64: issued.certificate.raw.toString('base64') };
}

let signatureCounter = 0;

/** A signed request body as the client writes it: ApplData with UserID and, optionally, one certificate item. */
export function signedBody(signer: KeyObjectSigner, userId: string, item?: { name: string; base64: string }): Promise<string> {
  const inner = `<UserID>${escapeXmlText(userId)}</UserID>${item ? `<${item.name}>${item.base64}</${item.name}>` : ''}`;
  signatureCounter += 1;
  return signRequestBody(inner, signer, { signatureId: `T${String(signatureCounter).padStart(6, '0')}` });
}

/** The e-Gov recordings (egov-v1/recorded and recorded-history). */
export function recorded(relative: string): { request: Buffer; response: Buffer; meta: RecordedMeta } {
  const dir = join(egovDir, relative);
  return {
    request: readFileSync(join(dir, 'request.xml')),
    response: readFileSync(join(dir, 'response.xml')),
    meta: JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as RecordedMeta,
  };
}

export interface RecordedMeta {
  method: string;
  path: string;
  status: number;
  response_headers: Record<string, string[]>;
  recorded_at: string;
}

/** Every row of the sandbox's tables, read through a second connection (WAL lets it read beside the server). */
export function tableSnapshot(dataDir: string): string {
  const db = openSqlite(join(dataDir, DATABASE_FILE));
  try {
    const tables = ['users', 'certificate_bindings', 'access_keys'];
    return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()));
  } finally {
    db.close();
  }
}

export function countRows(dataDir: string, table: 'users' | 'certificate_bindings' | 'access_keys'): number {
  const db = openSqlite(join(dataDir, DATABASE_FILE));
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** ApplData/<name> of a response body. */
export function item(body: string, name: string): string | null {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(body);
  return m ? m[1]! : null;
}

// Main process. The HTTP(S) transport to e-Gov's v1 API (REFERENCE §2): one fresh connection per
// call, TLS always verified, a deadline for connecting and one for the whole exchange, a cap on the
// response size, the software ID on every request, and every failure as a typed EgovError.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { Socket } from 'node:net';
import { SOFTWARE_ID_PATTERN } from '../../shared/contract.js';
import { checkEndpoint } from '../../shared/endpoint.js';
import { PRINTABLE_ASCII } from '../../shared/text.js';
import {
  configInvalid,
  connectionFailed,
  connectionReset,
  EgovError,
  invalidArgument,
  responseTooLarge,
  timedOut,
  tlsFailed,
} from './errors.js';
import { interpretResponse, type EgovReply } from './reply.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT';

export interface EgovClientOptions {
  /**
   * `https://{host}/shinsei/1/`, or the host alone (plain http only to a loopback address, for a
   * local sandbox); checked and normalised by checkEndpoint (src/shared/endpoint.ts)
   */
  baseUrl: string;
  /** ソフトウェアID, sent as x-eGovAPI-SoftwareID on every request */
  softwareId: string;
  /** HTTP Basic authentication, as e-Gov's verification environment required */
  basicAuth?: { username: string; password: string };
  /** PEM certificates to trust in addition to Node's bundled roots (a sandbox's own CA) */
  extraCaCertificates?: readonly string[];
  /** DNS + TCP + TLS handshake; default 30 s */
  connectTimeoutMs?: number;
  /** the whole exchange, from the first byte sent to the last byte received; default 60 s */
  timeoutMs?: number;
  /** default 64 MiB */
  maxResponseBytes?: number;
  userAgent?: string;
}

export interface EgovRequest {
  method: HttpMethod;
  /** below the base URL, e.g. `authentication/login` or `access/apply;id=201504281145005643` */
  path: string;
  /** an XML document (UTF-8) */
  body?: string;
  /** x-eGovAPI-AccessKey; only /access/ calls carry one */
  accessKey?: string;
  /** element names to read as lists even when they occur once */
  arrayElements?: readonly string[];
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const DEFAULT_USER_AGENT = 'Todoke/0.1';

// the path grammar of REFERENCE §1/§2.2: segments of letters, digits and . _ - plus ;id= / ;date= matrix parameters
const SAFE_PATH = /^[A-Za-z0-9._-]+(?:[;=][A-Za-z0-9._-]+)*(?:\/[A-Za-z0-9._-]+(?:[;=][A-Za-z0-9._-]+)*)*$/;

const TLS_ERROR_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

/** What callers of the API need of a client: one call. Sessions and use cases depend on this only. */
export type EgovCaller = Pick<EgovClient, 'call' | 'callReading'>;

/** Reads one API's answer from the HTTP status and body bytes, throwing what interpretResponse would. */
export type ReplyReader<T> = (status: number, body: Buffer) => T;

export class EgovClient {
  readonly baseUrl: URL;
  readonly host: string;
  readonly #softwareId: string;
  readonly #authorization: string | undefined;
  readonly #ca: string[] | undefined;
  readonly #connectTimeoutMs: number;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #userAgent: string;

  constructor(options: EgovClientOptions) {
    this.baseUrl = parseBaseUrl(options.baseUrl);
    this.host = this.baseUrl.host;
    if (!SOFTWARE_ID_PATTERN.test(options.softwareId)) {
      throw configInvalid('ソフトウェアIDが空か、使えない文字を含んでいます', 'software ID is empty or not printable ASCII');
    }
    this.#softwareId = options.softwareId;
    this.#authorization = options.basicAuth ? basicAuthorization(options.basicAuth) : undefined;
    this.#ca = options.extraCaCertificates?.length ? [...rootCertificates, ...options.extraCaCertificates.map(checkedCa)] : undefined;
    this.#connectTimeoutMs = positive(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, ['接続のタイムアウト', 'connectTimeoutMs']);
    this.#timeoutMs = positive(options.timeoutMs, DEFAULT_TIMEOUT_MS, ['応答のタイムアウト', 'timeoutMs']);
    this.#maxResponseBytes = positive(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, ['応答サイズの上限', 'maxResponseBytes']);
    this.#userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  }

  /** Sends the request and reads the reply: Code 0 comes back, everything else is thrown as an EgovError. */
  async call(request: EgovRequest): Promise<EgovReply> {
    const raw = await this.send(request);
    return interpretResponse(raw.status, raw.body, { arrayElements: request.arrayElements ?? [] });
  }

  /**
   * Like call, with the answer read by `read` instead of interpretResponse + the general XML tree:
   * for an answer read often and large enough that a reader made for it pays (送信案件一覧).
   */
  async callReading<T>(request: EgovRequest, read: ReplyReader<T>): Promise<T> {
    const raw = await this.send(request);
    return read(raw.status, raw.body);
  }

  /** The transport alone: whatever status the server answered, with the body bytes. */
  async send(request: EgovRequest): Promise<RawResponse> {
    const url = this.urlFor(request.path);
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const headers: Record<string, string> = {
      'User-Agent': this.#userAgent,
      Accept: 'text/xml, application/xml',
      'Accept-Encoding': 'identity',
      'x-eGovAPI-SoftwareID': this.#softwareId,
    };
    if (request.accessKey !== undefined) {
      if (!PRINTABLE_ASCII.test(request.accessKey)) throw invalidArgument('アクセスキーに使えない文字が含まれています', 'access key is not printable ASCII');
      headers['x-eGovAPI-AccessKey'] = request.accessKey;
    }
    if (this.#authorization) headers.Authorization = this.#authorization;
    if (body) {
      headers['Content-Type'] = 'text/xml; charset=UTF-8';
      headers['Content-Length'] = String(body.length);
    }
    return this.#exchange(url, request.method, headers, body);
  }

  urlFor(path: string): URL {
    if (!SAFE_PATH.test(path) || path.split(/[/;=]/).some((s) => s === '.' || s === '..')) {
      throw invalidArgument('e-Gov の API のパスが正しくありません', `unsafe API path ${JSON.stringify(path.slice(0, 80))}`);
    }
    // concatenated, not resolved: matrix parameters must go out unescaped (REFERENCE §2.2)
    const url = new URL(this.baseUrl.href);
    url.pathname = this.baseUrl.pathname + path;
    return url;
  }

  #exchange(url: URL, method: HttpMethod, headers: Record<string, string>, body: Buffer | undefined): Promise<RawResponse> {
    const isHttps = url.protocol === 'https:';
    const host = this.host;
    const maxBytes = this.#maxResponseBytes;
    return new Promise<RawResponse>((resolve, reject) => {
      let settled = false;
      let connected = false;
      let responseStarted = false;
      const timers: NodeJS.Timeout[] = [];
      const finish = (err: EgovError | null, value?: RawResponse): void => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        if (err) {
          req.destroy();
          reject(err);
        } else {
          resolve(value!);
        }
      };
      const options: https.RequestOptions = {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || (isHttps ? 443 : 80),
        path: url.pathname + url.search,
        method,
        headers,
        // one connection per call: a reused keep-alive socket that the server already closed would
        // turn a never-sent request into an "unknown delivery" reset
        agent: false,
      };
      if (isHttps) {
        options.rejectUnauthorized = true;
        if (this.#ca) options.ca = this.#ca;
      }
      const req = (isHttps ? https : http).request(options);
      timers.push(
        setTimeout(() => {
          if (!connected) finish(timedOut(host, 'connect', this.#connectTimeoutMs));
        }, this.#connectTimeoutMs),
        setTimeout(() => finish(timedOut(host, connected ? 'response' : 'connect', this.#timeoutMs)), this.#timeoutMs),
      );
      req.on('socket', (socket: Socket) => {
        socket.once(isHttps ? 'secureConnect' : 'connect', () => {
          connected = true;
        });
      });
      req.on('error', (e) => finish(mapRequestError(e, host, connected, responseStarted)));
      req.on('response', (res: IncomingMessage) => {
        responseStarted = true;
        connected = true;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          finish(responseTooLarge(host, maxBytes));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) finish(responseTooLarge(host, maxBytes));
          else chunks.push(chunk);
        });
        res.on('error', (e) => finish(mapRequestError(e, host, true, true)));
        res.on('close', () => {
          if (!res.complete) finish(connectionReset(host, undefined, true));
        });
        res.on('end', () => {
          if (!res.complete) finish(connectionReset(host, undefined, true));
          else finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, size) });
        });
      });
      req.end(body);
    });
  }
}

function mapRequestError(e: unknown, host: string, connected: boolean, responseStarted: boolean): EgovError {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (TLS_ERROR_CODES.has(code) || /^ERR_(TLS|SSL)_/.test(code))) return tlsFailed(host, e);
  if (!connected) return connectionFailed(host, e);
  return connectionReset(host, e, responseStarted);
}

function parseBaseUrl(text: string): URL {
  const check = checkEndpoint(text);
  // the endpoint's own words, as the form and the CLI show them: they say what to type instead
  if (!check.ok) throw new EgovError('EGOV_CONFIG_INVALID', { ja: check.messageJa, en: check.message }, { delivery: 'not-sent', detail: { problem: check.code } });
  return new URL(check.baseUrl);
}

function basicAuthorization({ username, password }: { username: string; password: string }): string {
  // RFC 7617: the user-id cannot contain a colon; control characters cannot go into a header
  if (!username || username.includes(':') || /\p{Cc}/u.test(username + password)) {
    throw configInvalid('Basic認証の ID に「:」や制御文字は使えません', 'Basic auth user id is empty or has a colon or control characters');
  }
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function checkedCa(pem: string): string {
  try {
    new X509Certificate(pem);
  } catch {
    throw configInvalid('追加する認証局の証明書を読み込めません（PEM 形式で指定してください）', 'extra CA certificate does not parse');
  }
  return pem;
}

function positive(value: number | undefined, fallback: number, [labelJa, labelEn]: [string, string]): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw configInvalid(`${labelJa}は正の数で指定してください`, `${labelEn}: ${value} is not a positive number`);
  return value;
}

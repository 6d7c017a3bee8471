// Test support (Node). One recorded e-Gov exchange (test/fixtures/egov-v1/recorded*, PROVENANCE.md)
// and a fake transport that answers with fixed bytes the way EgovClient would read them, keeping what
// it was asked: the contract tests compare those requests with the recorded ones.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EgovCaller, EgovRequest, ReplyReader } from '../../src/main/egov/http.js';
import { interpretResponse } from '../../src/main/egov/reply.js';
import { egovDir } from './paths.js';

export interface RecordedExchange {
  method: string;
  status: number;
  /** the whole path, e.g. /shinsei/1/access/amend/9002015000243941 */
  path: string;
  request: Buffer | null;
  response: Buffer;
}

/** `name` below test/fixtures/egov-v1, e.g. `recorded/comment` or `recorded-history/amendapply-ineligible-500`. */
export function recordedExchange(name: string): RecordedExchange {
  const dir = join(egovDir, name);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { method: string; status: number; path: string };
  let request: Buffer | null;
  try {
    request = readFileSync(join(dir, 'request.xml'));
  } catch {
    request = null;
  }
  return { method: meta.method, status: meta.status, path: meta.path, request, response: readFileSync(join(dir, 'response.xml')) };
}

export type CannedCaller = EgovCaller & { requests: EgovRequest[] };

/** Answers every call with `status` and `body`, read as EgovClient.call would read them. */
export function cannedCaller(status: number, body: Buffer | string): CannedCaller {
  const requests: EgovRequest[] = [];
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    requests,
    call(request: EgovRequest) {
      requests.push(request);
      return Promise.resolve().then(() => interpretResponse(status, bytes, { arrayElements: request.arrayElements ?? [] }));
    },
    callReading<T>(request: EgovRequest, read: ReplyReader<T>) {
      requests.push(request);
      return Promise.resolve().then(() => read(status, bytes));
    },
  };
}

/** Fails every call with `error`, after recording it (a transport that timed out or was reset). */
export function failingCaller(error: Error): CannedCaller {
  const requests: EgovRequest[] = [];
  return {
    requests,
    call(request: EgovRequest) {
      requests.push(request);
      return Promise.reject(error);
    },
    callReading(request: EgovRequest) {
      requests.push(request);
      return Promise.reject(error);
    },
  };
}

/** The recorded body with `from` (which must be there) replaced by `to`. */
export function swapped(body: Buffer, from: string, to: string): string {
  const text = body.toString('utf8');
  if (!text.includes(from)) throw new Error(`fixture does not contain ${from}`);
  return text.replace(from, to);
}

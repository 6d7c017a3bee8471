// Harness (Node). The web harness's stand-in for `webUtils.getPathForFile`: the page uploads the
// files the person chose, and they are written into a fresh staging folder under the core's home
// (`<staging>/<random id>/<relative path>`), whose paths go back to the page.
//
// Protocol (one POST per choice, guarded like the WebSocket: same Host, same Origin, the per-run
// token in the `x-todoke-token` header, `content-type: application/octet-stream`, a content-length):
//   body = u32 big-endian manifest length | manifest (UTF-8 JSON) | the files' bytes, in manifest order
//   manifest = { "files": [{ "path": "<relative path>", "size": <bytes> }, …] }
// `path` is a file's `webkitRelativePath` (a chosen folder) or its name; the content-length must be
// exactly header + manifest + the sizes. The answer is `{ "paths": [...] }`: one per top-level name
// (the chosen folder, or the file). Nothing is left behind from a refused or cut-short upload.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { MAX_STAGED_FILES } from '../../src/shared/bridge.js';
export { UPLOAD_PATH, UPLOAD_TOKEN_HEADER } from './upload-body.js';

const MiB = 1024 * 1024;

export interface UploadLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  maxManifestBytes: number;
  maxPathLength: number;
  maxSegmentLength: number;
  maxDepth: number;
}

export const UPLOAD_LIMITS: Readonly<UploadLimits> = Object.freeze({
  maxFiles: MAX_STAGED_FILES,
  /** one file: as src/main/application/limits.ts maxFileBytes */
  maxFileBytes: 50 * MiB,
  /** one upload: as the largest batch ZIP (maxZipBytes) */
  maxTotalBytes: 200 * MiB,
  maxManifestBytes: 1 * MiB,
  maxPathLength: 1024,
  maxSegmentLength: 255,
  maxDepth: 8,
});


export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'UploadRefused';
  }
}

export interface ManifestEntry {
  path: string;
  size: number;
}

// C0, DEL, C1, and the line / paragraph separators and bidi controls that disguise a name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Why a relative path from the page may not be written under the staging folder, or null when it may. */
export function unsafeRelativePath(path: string, limits: Pick<UploadLimits, 'maxPathLength' | 'maxSegmentLength' | 'maxDepth'> = UPLOAD_LIMITS): string | null {
  if (path.length === 0) return 'empty';
  if (path.length > limits.maxPathLength) return 'too long';
  if (path.startsWith('/')) return 'absolute';
  if (path.includes('\\')) return 'backslash';
  if (CONTROL.test(path)) return 'control character';
  if (/^[A-Za-z]:/.test(path)) return 'drive letter';
  const segments = path.split('/');
  if (segments.length > limits.maxDepth) return 'too deep';
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') return 'empty, . or .. segment';
    if (Buffer.byteLength(segment) > limits.maxSegmentLength) return 'segment too long';
  }
  return null;
}

/** Checks the manifest's shape, names and sizes; returns its entries or throws UploadRefused. */
export function parseManifest(bytes: Buffer, limits: Readonly<UploadLimits> = UPLOAD_LIMITS): ManifestEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new UploadRefused(400, 'manifest is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UploadRefused(400, 'manifest is not an object');
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'files') throw new UploadRefused(400, 'manifest has other keys than files');
  const files = (value as { files: unknown }).files;
  if (!Array.isArray(files) || files.length === 0) throw new UploadRefused(400, 'manifest lists no files');
  if (files.length > limits.maxFiles) throw new UploadRefused(413, 'too many files');
  const entries: ManifestEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const item of files as unknown[]) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new UploadRefused(400, 'a file entry is not an object');
    const itemKeys = Object.keys(item).sort();
    if (itemKeys.length !== 2 || itemKeys[0] !== 'path' || itemKeys[1] !== 'size') throw new UploadRefused(400, 'a file entry has other keys than path and size');
    const { path, size } = item as { path: unknown; size: unknown };
    if (typeof path !== 'string') throw new UploadRefused(400, 'a path is not a string');
    const unsafe = unsafeRelativePath(path, limits);
    if (unsafe !== null) throw new UploadRefused(400, `unsafe path (${unsafe})`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new UploadRefused(400, 'a size is not a byte count');
    if (size > limits.maxFileBytes) throw new UploadRefused(413, 'a file is too large');
    total += size;
    if (total > limits.maxTotalBytes) throw new UploadRefused(413, 'the files are too large together');
    // the same name twice, or a name that is also the folder of another: refused before anything is written
    const folded = path.normalize('NFC').toLowerCase();
    if (seen.has(folded)) throw new UploadRefused(400, 'a path is listed twice');
    seen.add(folded);
    entries.push({ path, size });
  }
  for (const entry of entries) {
    const parts = entry.path.normalize('NFC').toLowerCase().split('/');
    for (let i = 1; i < parts.length; i++) {
      if (seen.has(parts.slice(0, i).join('/'))) throw new UploadRefused(400, 'a path is both a file and a folder');
    }
  }
  return entries;
}

/** Reads exact byte counts from a request body; a body that ends early is a truncated upload. */
class BodyReader {
  private pending: Buffer = Buffer.alloc(0);
  private readonly chunks: AsyncIterator<Buffer>;

  constructor(body: AsyncIterable<Buffer>) {
    this.chunks = body[Symbol.asyncIterator]();
  }

  private async more(): Promise<void> {
    const next = await this.chunks.next();
    if (next.done) throw new UploadRefused(400, 'the body ended early');
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, next.value]) : next.value;
  }

  async exactly(n: number): Promise<Buffer> {
    while (this.pending.length < n) await this.more();
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return out;
  }

  async copy(n: number, write: (chunk: Buffer) => Promise<unknown>): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.pending.length === 0) await this.more();
      const take = this.pending.subarray(0, Math.min(left, this.pending.length));
      this.pending = this.pending.subarray(take.length);
      await write(take);
      left -= take.length;
    }
  }
}

/**
 * Receives one upload whose headers were already accepted (token, origin, type). Writes it under
 * `<stagingDir>/<random id>/`, only creating folders and new files (never following or making a
 * link), and returns the paths to hand to the core. On any failure the stage folder is removed.
 */
export async function receiveUpload(req: IncomingMessage, stagingDir: string, limits: Readonly<UploadLimits> = UPLOAD_LIMITS): Promise<{ stageDir: string; paths: string[] }> {
  const length = Number(req.headers['content-length']);
  if (req.headers['content-length'] === undefined || !Number.isSafeInteger(length)) throw new UploadRefused(411, 'a content-length is required');
  if (length > limits.maxTotalBytes + limits.maxManifestBytes + 4) throw new UploadRefused(413, 'the upload is too large');
  if (length < 4) throw new UploadRefused(400, 'the body is too short');
  const reader = new BodyReader(req);
  const manifestLength = (await reader.exactly(4)).readUInt32BE(0);
  if (manifestLength > limits.maxManifestBytes) throw new UploadRefused(413, 'the manifest is too large');
  if (4 + manifestLength > length) throw new UploadRefused(400, 'the manifest is longer than the body');
  const entries = parseManifest(await reader.exactly(manifestLength), limits);
  const declared = 4 + manifestLength + entries.reduce((n, e) => n + e.size, 0);
  if (declared !== length) throw new UploadRefused(400, 'the content-length does not match the manifest');

  await mkdir(stagingDir, { recursive: true, mode: 0o700 });
  const stageDir = join(stagingDir, randomBytes(12).toString('hex'));
  await mkdir(stageDir, { mode: 0o700 });
  try {
    for (const entry of entries) {
      const target = join(stageDir, ...entry.path.split('/'));
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      // 'wx': a new file only; the folder is fresh and ours, so nothing can be a link already
      const handle = await open(target, 'wx', 0o600);
      try {
        await reader.copy(entry.size, (chunk) => handle.write(chunk));
      } finally {
        await handle.close();
      }
    }
  } catch (e) {
    await rm(stageDir, { recursive: true, force: true });
    throw e;
  }
  const paths: string[] = [];
  for (const entry of entries) {
    const root = join(stageDir, entry.path.split('/')[0]!);
    if (!paths.includes(root)) paths.push(root);
  }
  return { stageDir, paths };
}

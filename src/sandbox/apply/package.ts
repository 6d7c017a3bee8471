// Sandbox (Node). Opens a 申請データ ZIP (REFERENCE §5.1) the way the 一括申請 簡易チェック does:
// every entry read and inflated under limits (entry count, total inflated bytes — a ZIP bomb is cut
// off while inflating, whatever sizes its headers declare), names checked (no absolute paths, no
// `..`, no backslashes, files only inside one top-level application folder), and the application
// folders counted. Contents are judged later, by the 形式チェック.
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export interface PackageLimits {
  maxApplications: number;
  maxEntries: number;
  /** sum of the inflated sizes of all entries */
  maxInflatedBytes: number;
}

export interface ApplicationFolder {
  name: string;
  /** file name (inside the folder) → bytes */
  files: Map<string, Buffer>;
}

export type PackageProblem =
  | { kind: 'NOT_ZIP'; detail?: string }
  | { kind: 'UNSAFE_NAME'; detail: string }
  | { kind: 'LAYOUT'; detail: string }
  | { kind: 'TOO_MANY_ENTRIES' }
  | { kind: 'TOO_LARGE_INFLATED' }
  | { kind: 'NO_APPLICATION' }
  | { kind: 'TOO_MANY_APPLICATIONS'; count: number };

export type PackageResult = { ok: true; folders: ApplicationFolder[] } | { ok: false; problem: PackageProblem };

class Refusal extends Error {
  constructor(readonly problem: PackageProblem) {
    super(problem.kind);
  }
}

function openZip(bytes: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings false: names are judged here, byte by byte, not by yauzl's own rules
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) reject(new Refusal({ kind: 'NOT_ZIP', ...(err ? { detail: err.message } : {}) }));
      else resolve(zip);
    });
  });
}

/** ASCII as is; otherwise UTF-8 when flagged, else CP932 would be e-Gov's own choice: refused here. */
function entryName(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  const utf8 = (entry.generalPurposeBitFlag & 0x800) !== 0;
  const ascii = raw.every((b) => b < 0x80);
  if (!ascii && !utf8) throw new Refusal({ kind: 'UNSAFE_NAME', detail: 'UTF-8 の指定がない ASCII 以外のファイル名' });
  return raw.toString('utf8');
}

function checkName(name: string): { folder: string; file: string | null } {
  // eslint-disable-next-line no-control-regex -- control characters in a ZIP entry name are refused
  if (name.length === 0 || name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) || /[\u0000-\u001F\u007F]/.test(name)) {
    throw new Refusal({ kind: 'UNSAFE_NAME', detail: name });
  }
  const parts = name.split('/');
  if (parts.some((p) => p === '..' || p === '.')) throw new Refusal({ kind: 'UNSAFE_NAME', detail: name });
  const isDir = name.endsWith('/');
  const segs = isDir ? parts.slice(0, -1) : parts;
  if (segs.some((p) => p.length === 0)) throw new Refusal({ kind: 'UNSAFE_NAME', detail: name });
  if (isDir) {
    if (segs.length !== 1) throw new Refusal({ kind: 'LAYOUT', detail: `フォルダーの中のフォルダー ${name}` });
    return { folder: segs[0]!, file: null };
  }
  if (segs.length !== 2) throw new Refusal({ kind: 'LAYOUT', detail: segs.length === 1 ? `フォルダーの外のファイル ${name}` : `フォルダーの中のフォルダー ${name}` });
  return { folder: segs[0]!, file: segs[1]! };
}

function readEntry(zip: ZipFile, entry: Entry, budget: { left: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream?: Readable) => {
      if (err || !stream) {
        reject(new Refusal({ kind: 'NOT_ZIP', detail: err?.message ?? 'entry' }));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        budget.left -= chunk.length;
        if (budget.left < 0) {
          stream.destroy();
          reject(new Refusal({ kind: 'TOO_LARGE_INFLATED' }));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (e: Error) => reject(e instanceof Refusal ? e : new Refusal({ kind: 'NOT_ZIP', detail: e.message })));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

export async function readPackage(bytes: Buffer, limits: PackageLimits): Promise<PackageResult> {
  let zip: ZipFile;
  try {
    zip = await openZip(bytes);
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, problem: e.problem };
    throw e;
  }
  // an error outside a wait below (none expected with lazyEntries) must not take the process down
  zip.on('error', () => undefined);
  try {
    if (zip.entryCount > limits.maxEntries) return { ok: false, problem: { kind: 'TOO_MANY_ENTRIES' } };
    const folders = new Map<string, ApplicationFolder>();
    const budget = { left: limits.maxInflatedBytes };
    for (;;) {
      const entry = await new Promise<Entry | null>((resolve, reject) => {
        const onEntry = (e: Entry) => done(e);
        const onEnd = () => done(null);
        const onError = (e: Error) => {
          zip.off('entry', onEntry).off('end', onEnd);
          reject(new Refusal({ kind: 'NOT_ZIP', detail: e.message }));
        };
        const done = (e: Entry | null) => {
          zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
          resolve(e);
        };
        zip.once('entry', onEntry).once('end', onEnd).once('error', onError);
        zip.readEntry();
      });
      if (!entry) break;
      const { folder, file } = checkName(entryName(entry));
      let app = folders.get(folder);
      if (!app) {
        app = { name: folder, files: new Map() };
        folders.set(folder, app);
        if (folders.size > limits.maxApplications) return { ok: false, problem: { kind: 'TOO_MANY_APPLICATIONS', count: folders.size } };
      }
      if (file === null) continue;
      if (app.files.has(file)) throw new Refusal({ kind: 'LAYOUT', detail: `同じ名前のファイルが 2 つ ${folder}/${file}` });
      if (entry.uncompressedSize > budget.left) return { ok: false, problem: { kind: 'TOO_LARGE_INFLATED' } };
      app.files.set(file, await readEntry(zip, entry, budget));
    }
    if (folders.size === 0) return { ok: false, problem: { kind: 'NO_APPLICATION' } };
    return { ok: true, folders: [...folders.values()] };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, problem: e.problem };
    throw e;
  } finally {
    zip.close();
  }
}

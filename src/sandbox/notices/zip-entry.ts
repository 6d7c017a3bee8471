// Sandbox (Node). One named file out of an uploaded ZIP — the 公文書 a client sends back to
// 公文書署名検証 (REFERENCE §4.15: "the ZIP exactly as returned by 公文書取得"). Names are decoded as
// e-Gov writes them (CP932 unless the UTF-8 flag is set); only the wanted entry is inflated, and it
// is cut off at the limit counted on the real output, whatever its header says (no bomb gets through).
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** WHATWG Shift_JIS, which in Node (full ICU) decodes the CP932 extensions too */
const cp932 = new TextDecoder('shift_jis', { fatal: true });

/** UTF-8 when general-purpose bit 11 is set, otherwise CP932 (e-Gov's own ZIPs); null when the bytes are not that. */
function entryName(raw: Buffer, flags: number): string | null {
  try {
    return ((flags & 0x800) !== 0 ? utf8 : cp932).decode(raw);
  } catch {
    return null;
  }
}

export interface ZipEntryLimits {
  maxEntries: number;
  /** the wanted entry, inflated */
  maxEntryBytes: number;
}

export type ZipEntryResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; problem: 'NOT_ZIP' | 'TOO_MANY_ENTRIES' | 'MISSING' | 'DUPLICATE' | 'ENCRYPTED' | 'TOO_LARGE'; detail?: string };

class Stop extends Error {
  constructor(readonly result: ZipEntryResult & { ok: false }) {
    super(result.problem);
  }
}

function open(zip: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: false }, (err, file) => {
      if (err || !file) reject(new Stop({ ok: false, problem: 'NOT_ZIP', ...(err ? { detail: err.message } : {}) }));
      else resolve(file);
    });
  });
}

function inflate(file: ZipFile, entry: Entry, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    file.openReadStream(entry, (err, stream: Readable | undefined) => {
      if (err || !stream) return reject(new Stop({ ok: false, problem: 'NOT_ZIP', detail: err?.message ?? 'no stream' }));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) {
          stream.destroy();
          reject(new Stop({ ok: false, problem: 'TOO_LARGE' }));
        } else chunks.push(c);
      });
      stream.on('error', (e: Error) => reject(new Stop({ ok: false, problem: 'NOT_ZIP', detail: e.message })));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

export async function readZipEntry(zip: Buffer, wanted: string, limits: ZipEntryLimits): Promise<ZipEntryResult> {
  let file: ZipFile | null = null;
  try {
    file = await open(zip);
    const zf = file;
    if (zf.entryCount > limits.maxEntries) return { ok: false, problem: 'TOO_MANY_ENTRIES' };
    let found: Buffer | null = null;
    await new Promise<void>((resolve, reject) => {
      zf.on('error', (e: Error) => reject(new Stop({ ok: false, problem: 'NOT_ZIP', detail: e.message })));
      zf.on('end', () => resolve());
      zf.on('entry', (entry: Entry) => {
        if (entryName(entry.fileName as unknown as Buffer, entry.generalPurposeBitFlag) !== wanted) return zf.readEntry();
        if (found) return reject(new Stop({ ok: false, problem: 'DUPLICATE' }));
        if ((entry.generalPurposeBitFlag & 0x1) !== 0) return reject(new Stop({ ok: false, problem: 'ENCRYPTED' }));
        inflate(zf, entry, limits.maxEntryBytes).then((bytes) => {
          found = bytes;
          zf.readEntry();
        }, reject);
      });
      zf.readEntry();
    });
    return found ? { ok: true, bytes: found } : { ok: false, problem: 'MISSING' };
  } catch (e) {
    if (e instanceof Stop) return e.result;
    throw e;
  } finally {
    file?.close();
  }
}

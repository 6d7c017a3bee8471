// Main process. 申請データ from a ZIP, the way e-Gov receives a batch: every entry is judged by its
// name, type and flags before a byte of it is inflated, and inflated in memory under size and ratio
// limits counted on the real output (the header's sizes are not trusted). Nothing touches the disk.
import { readFile, stat } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { TodokeError } from '../../shared/errors.js';
import { DEFAULT_ZIP_LIMITS, type ZipReadLimits } from './limits.js';
import { inMemoryFile, makeApplication, foldedName, KOUSEI_FILE, type ApplicationData, type ApplicationFile } from './model.js';
import { problem, type CheckProblem } from './problems.js';
import { unsafePathReason } from './entry-names.js';
import { ApplicationError, pathUnreadable, zipBomb, zipCorrupt, zipTooLarge } from './errors.js';

// shared with the notice-ZIP reader (src/main/documents/notice-zip.ts), which judges entries by other rules
export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_UTF8 = 0x0800;
export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
/** WHATWG Shift_JIS, which in Node (full ICU) decodes the CP932 extensions too (FEASIBILITY §8). */
const cp932Decoder = new TextDecoder('shift_jis', { fatal: true });

/** The entry name: UTF-8 when general-purpose bit 11 is set, otherwise CP932 (e-Gov's own ZIPs). */
export function decodeEntryName(raw: Buffer, flags: number): { name: string } | { encoding: 'UTF-8' | 'CP932' } {
  const encoding = (flags & FLAG_UTF8) !== 0 ? 'UTF-8' : 'CP932';
  try {
    return { name: (encoding === 'UTF-8' ? utf8Decoder : cp932Decoder).decode(raw) };
  } catch {
    return { encoding };
  }
}

/** Raw name bytes for a message: printable ASCII as is, anything else as \\xNN. */
export function printable(raw: Buffer): string {
  return Array.from(raw, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}

/** Opens ZIP bytes for reading one entry at a time (names left as raw bytes, sizes validated). */
export function openZip(zip: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: false, autoClose: false }, (err, zipfile) => {
      if (err || !zipfile) reject(zipCorrupt(err?.message ?? 'ZIP を開けません', err));
      else resolve(zipfile);
    });
  });
}

/** Each entry in order; `visit` finishes before the next entry is read. */
export function eachEntry(zipfile: yauzl.ZipFile, visit: (entry: yauzl.Entry) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      // a typed refusal from `visit` (this reader's or the notice reader's) passes as it is
      reject(e instanceof TodokeError ? e : zipCorrupt(e instanceof Error ? e.message : String(e), e));
    };
    zipfile.on('error', fail);
    zipfile.on('end', () => {
      if (!failed) resolve();
    });
    zipfile.on('entry', (entry: yauzl.Entry) => {
      visit(entry).then(() => zipfile.readEntry(), fail);
    });
    zipfile.readEntry();
  });
}

export interface Budget {
  total: number;
}

/** Inflates one entry in memory, stopping the moment it passes a limit. */
export function inflate(zipfile: yauzl.ZipFile, entry: yauzl.Entry, label: string, limits: ZipReadLimits, budget: Budget): Promise<Buffer> {
  if (entry.uncompressedSize > limits.maxEntryBytes) return Promise.reject(zipBomb(label, 'entry-size', limits.maxEntryBytes));
  return new Promise((resolve, reject) => {
    zipfile.openReadStream(entry, (err, stream) => {
      if (err || !stream) {
        reject(zipCorrupt(err?.message ?? 'entry unreadable', err));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const stop = (e: ApplicationError): void => {
        if (done) return;
        done = true;
        stream.destroy();
        reject(e);
      };
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        budget.total += chunk.length;
        if (size > limits.maxEntryBytes) return stop(zipBomb(label, 'entry-size', limits.maxEntryBytes));
        if (budget.total > limits.maxTotalBytes) return stop(zipBomb(label, 'total', limits.maxTotalBytes));
        if (size > limits.ratioFloorBytes && size / Math.max(1, entry.compressedSize) > limits.maxCompressionRatio) {
          return stop(zipBomb(label, 'ratio', limits.maxCompressionRatio));
        }
        chunks.push(chunk);
      });
      stream.on('error', (e: Error) => stop(zipCorrupt(`${label}: ${e.message}`, e)));
      stream.on('end', () => {
        if (done) return;
        done = true;
        const bytes = Buffer.concat(chunks, size);
        if ((crc32(bytes) >>> 0) !== entry.crc32 >>> 0) reject(zipCorrupt(`${label}: CRC が一致しません`));
        else resolve(bytes);
      });
    });
  });
}

interface Folder {
  kousei: ApplicationFile | null;
  files: ApplicationFile[];
}

/** Reads a whole batch from ZIP bytes. Throws ApplicationError for a corrupt ZIP or a bomb. */
export async function readApplicationZipBuffer(zip: Buffer, limits: Partial<ZipReadLimits> = {}, sourcePath = '<memory>'): Promise<ApplicationData> {
  const lim: ZipReadLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  if (zip.length > lim.maxZipBytes) throw zipTooLarge('file', zip.length, lim.maxZipBytes);
  const zipfile = await openZip(zip);
  try {
    if (zipfile.entryCount > lim.maxEntries) throw zipTooLarge('entries', zipfile.entryCount, lim.maxEntries);
    const problems: CheckProblem[] = [];
    const folders = new Map<string, Folder>();
    const seen = new Set<string>();
    const budget: Budget = { total: 0 };
    let count = 0;

    await eachEntry(zipfile, async (entry) => {
      if (++count > lim.maxEntries) throw zipTooLarge('entries', count, lim.maxEntries);
      const raw = entry.fileName as unknown as Buffer;
      const flags = entry.generalPurposeBitFlag;
      const decoded = decodeEntryName(raw, flags);
      if (!('name' in decoded)) {
        problems.push(problem('ZIP_ENTRY_NAME_ENCODING', { file: printable(raw), detail: decoded.encoding }));
        return;
      }
      const name = decoded.name;
      const reason = unsafePathReason(name);
      if (reason) {
        problems.push(problem('ZIP_ENTRY_UNSAFE_NAME', { file: name, detail: reason }));
        return;
      }
      const isDir = name.endsWith('/');
      const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (type === S_IFLNK) {
        problems.push(problem('ZIP_ENTRY_SYMLINK', { file: name }));
        return;
      }
      if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
        problems.push(problem('ZIP_ENTRY_SPECIAL', { file: name }));
        return;
      }
      const segments = (isDir ? name.slice(0, -1) : name).split('/');
      if (segments.length > (isDir ? 1 : 2)) {
        problems.push(problem('ZIP_ENTRY_TOO_DEEP', { file: name }));
        return;
      }
      if (!isDir && segments.length === 1) {
        problems.push(problem('ZIP_ENTRY_OUTSIDE_FOLDER', { file: name }));
        return;
      }
      const key = foldedName(isDir ? name.slice(0, -1) : name);
      if (seen.has(key)) {
        problems.push(problem('ZIP_ENTRY_DUPLICATE', { file: name }));
        return;
      }
      seen.add(key);
      const folderName = segments[0]!;
      let folder = folders.get(folderName);
      if (!folder) {
        folder = { kousei: null, files: [] };
        folders.set(folderName, folder);
      }
      if (isDir) return;
      const fileName = segments[1]!;
      if ((flags & FLAG_ENCRYPTED) !== 0) {
        problems.push(problem('ZIP_ENTRY_ENCRYPTED', { folder: folderName, file: name }));
        return;
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        problems.push(problem('ZIP_ENTRY_UNSUPPORTED_METHOD', { folder: folderName, file: name, detail: String(entry.compressionMethod) }));
        return;
      }
      const file = inMemoryFile(fileName, await inflate(zipfile, entry, name, lim, budget));
      if (fileName === KOUSEI_FILE) folder.kousei = file;
      else folder.files.push(file);
    });

    const applications = [...folders.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([folderName, folder]) => makeApplication(folderName, folder.kousei, folder.files));
    return { source: { kind: 'zip', paths: [sourcePath] }, applications, problems };
  } finally {
    zipfile.close();
  }
}

/** Reads a batch ZIP from disk (size checked before it is read). */
export async function readApplicationZip(path: string, limits: Partial<ZipReadLimits> = {}): Promise<ApplicationData> {
  const max = limits.maxZipBytes ?? DEFAULT_ZIP_LIMITS.maxZipBytes;
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > max) throw zipTooLarge('file', info.size, max);
    bytes = await readFile(path);
  } catch (e) {
    if (e instanceof ApplicationError) throw e;
    throw pathUnreadable(path, e);
  }
  return readApplicationZipBuffer(bytes, limits, path);
}

// Main process. Signing kousei.xml where it lies, in an application folder on disk: the file names it
// lists are read only from inside that folder, the previous version is kept as a backup, and the new
// one replaces it atomically (temp file, fsync, rename, folder fsync) so a crash never leaves half a file.
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { writeFileDurably } from '../../store/durable-file.js';
import { SigningError } from '../errors.js';
import type { Signer } from '../signer.js';
import { assertSafeFileName } from './kousei-files.js';
import { signKouseiDetailed, type SignKouseiOptions } from './kousei-profile.js';
import type { ReadFile } from './verify.js';
import { DEFAULT_MAX_XML_BYTES } from './safe-xml.js';
import { kouseiChanged, kouseiFileEscapes, kouseiFileMissing, kouseiWriteFailed, xmlTooLarge } from './xml-errors.js';

export const KOUSEI_FILE_NAME = 'kousei.xml';

export interface SignKouseiInFolderOptions extends SignKouseiOptions {
  /** the time that names the backup (defaults to now) */
  now?: Date;
}

export interface SignKouseiInFolderResult {
  backupPath: string;
  /** the Reference URIs written, #構成情報 first */
  references: string[];
}

/** Reads files of `dir` by the names a kousei.xml gives; nothing outside it, symlinks included. */
export function folderFileReader(dir: string): ReadFile {
  return async (name) => {
    assertSafeFileName(name);
    let real: string;
    let base: string;
    try {
      base = await realpath(dir);
      real = await realpath(resolve(base, name));
    } catch (cause) {
      throw kouseiFileMissing(name, cause);
    }
    if (!real.startsWith(base + sep)) throw kouseiFileEscapes(name);
    try {
      if (!(await stat(real)).isFile()) throw new Error('not a regular file');
      return await readFile(real);
    } catch (cause) {
      throw kouseiFileMissing(name, cause);
    }
  };
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** kousei.xml.bak-YYYYMMDDhhmmss, or …-2, -3 … when that name is taken: a backup is never overwritten. */
async function writeBackup(dir: string, data: Buffer, mode: number, now: Date): Promise<string> {
  const base = join(dir, `${KOUSEI_FILE_NAME}.bak-${stamp(now)}`);
  for (let n = 1; n <= 1000; n++) {
    const path = n === 1 ? base : `${base}-${n}`;
    try {
      await writeFileDurably(path, data, { mode, noReplace: true });
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`too many backups named ${base}`);
}

/**
 * Signs dir/kousei.xml in place. Signing happens in memory first; only a signed document is written:
 * a backup of the previous bytes, then the new file by atomic rename. If anything fails before the
 * rename, kousei.xml is untouched.
 */
export async function signKouseiInFolder(dir: string, signer: Signer, opts: SignKouseiInFolderOptions): Promise<SignKouseiInFolderResult> {
  const path = join(dir, KOUSEI_FILE_NAME);
  let original: Buffer;
  let mode: number;
  try {
    const info = await stat(path);
    if (info.size > DEFAULT_MAX_XML_BYTES) throw xmlTooLarge(info.size, DEFAULT_MAX_XML_BYTES);
    mode = info.mode & 0o777;
    original = await readFile(path);
  } catch (cause) {
    if (cause instanceof SigningError) throw cause;
    throw kouseiFileMissing(KOUSEI_FILE_NAME, cause);
  }
  const { xml, references } = await signKouseiDetailed(original, folderFileReader(dir), signer, opts);

  // A token may have waited minutes for its PIN; an edit made meanwhile must not be overwritten.
  const current = await readFile(path).catch(() => null);
  if (!current || !current.equals(original)) throw kouseiChanged(path);

  let backupPath: string;
  try {
    backupPath = await writeBackup(dir, original, mode, opts.now ?? new Date());
    await writeFileDurably(path, xml, { mode });
  } catch (cause) {
    throw kouseiWriteFailed(path, cause);
  }
  return { backupPath, references };
}

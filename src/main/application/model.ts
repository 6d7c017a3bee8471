// Main process. The in-memory 申請データ (applicationData) as read from folders or from a ZIP, before
// anything is signed or packed: one entry per application folder, its kousei.xml and its files.
// From a ZIP every file is in memory (the ZIP was inflated); from folders only names, sizes and the
// files' identities are kept, and the bytes are read when the check or signing asks — so a batch of
// a thousand applications is never held in memory at once.
import type { CheckProblem } from './problems.js';

export const KOUSEI_FILE = 'kousei.xml';

export interface ApplicationFile {
  /** the name inside the application folder (no separators) */
  name: string;
  /** size in bytes: from lstat for folders, counted while inflating for ZIPs */
  size: number;
  /** the bytes, when in memory (always for a ZIP; never for folders) */
  bytes: Buffer | undefined;
  /** reads the bytes (from memory, or from disk without following a symlink; refused when the file is no longer the one listed) */
  read: () => Promise<Buffer>;
  /**
   * SHA-256 (hex) of the bytes the check read from disk and judged; signing refuses bytes that
   * differ (the file changed after the check). Unset for files the check did not read.
   */
  checkedSha256?: string;
}

export interface Application {
  /** `{手続ID}({n})` or `{手続ID}`, exactly as found */
  folderName: string;
  /** the 手続ID the folder name carries, or null when the name does not follow the rule */
  procedureId: string | null;
  /** the n of `({n})`, or null for a bare `{手続ID}` folder or a name that does not follow the rule */
  sequence: number | null;
  /** kousei.xml, or null when the folder has none (or it is too large to load) */
  kousei: ApplicationFile | null;
  /** every other file of the folder, in name order */
  files: ApplicationFile[];
}

export interface ApplicationData {
  source: { kind: 'folders' | 'zip'; paths: string[] };
  applications: Application[];
  /** what reading refused or skipped (symlinks, unsafe ZIP entries …); carried into the check report */
  problems: CheckProblem[];
}

/** 手続ID: 16 characters, digits and upper-case letters in every observed value (REFERENCE §5.2). */
const FOLDER_NAME = /^([0-9A-Z]{16})(?:\((\d+)\))?$/;

export interface ParsedFolderName {
  procedureId: string;
  sequence: number | null;
  /** the number was written with leading zeros, e.g. `(001)` */
  zeroPadded: boolean;
}

/** Parses `{手続ID}({n})` or bare `{手続ID}`; null for anything else (n must be 1 or more). */
export function parseFolderName(name: string): ParsedFolderName | null {
  const m = FOLDER_NAME.exec(name);
  if (!m) return null;
  if (m[2] === undefined) return { procedureId: m[1]!, sequence: null, zeroPadded: false };
  const sequence = Number.parseInt(m[2], 10);
  if (sequence < 1 || !Number.isSafeInteger(sequence)) return null;
  return { procedureId: m[1]!, sequence, zeroPadded: m[2].startsWith('0') };
}

export function inMemoryFile(name: string, bytes: Buffer): ApplicationFile {
  return { name, size: bytes.length, bytes, read: () => Promise.resolve(bytes) };
}

/** Folder name, procedureId and sequence for an application whose files are already known. */
export function makeApplication(folderName: string, kousei: ApplicationFile | null, files: ApplicationFile[]): Application {
  const parsed = parseFolderName(folderName);
  return {
    folderName,
    procedureId: parsed?.procedureId ?? null,
    sequence: parsed?.sequence ?? null,
    kousei,
    files: [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/** The key two names collide under on a case-insensitive, normalising file system (Windows, macOS). */
export function foldedName(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

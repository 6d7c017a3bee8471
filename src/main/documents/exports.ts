// Core host. Writing out for the filer: a new export file under `<home>/exports/` (writeNewExport, the
// case list's CSV), and kept notices out of the vault: the original ZIP as e-Gov sent it,
// its files, or the rendered document as PDF, under `<home>/exports/<到達番号>/` — one folder per case,
// named so that a person finds them in a file manager (kind, 通知番号, title). Every file goes through
// the durable-write module; the names come from the vault's records, made safe for every OS.
import { join } from 'node:path';
import type { NoticeKind } from '../../shared/documents.js';
import { isWindowsReservedName } from '../application/entry-names.js';
import { writeFileDurably } from '../store/durable-file.js';

export const EXPORTS_FOLDER = 'exports';

const KIND_LABEL: Record<NoticeKind, string> = { amend: '補正通知', document: '公文書', comment: 'コメント' };
const MAX_NAME_CHARS = 80;

/** A title or name as one path segment on Windows, macOS and Linux alike; never empty, never `..`. */
export function safeSegment(text: string, fallback: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern replaces
  let s = text.normalize('NFC').replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_').replace(/\s+/g, ' ').trim();
  s = s.replace(/[. ]+$/, '');
  if ([...s].length > MAX_NAME_CHARS) s = [...s].slice(0, MAX_NAME_CHARS).join('');
  if (!s || s === '.' || s === '..' || isWindowsReservedName(s)) return fallback;
  return s;
}

export interface ExportedNotice {
  arriveId: string;
  kind: NoticeKind;
  noticeSubId: number;
  title: string;
}

/** `<exports>/<到達番号>` */
export function caseExportFolder(home: string, arriveId: string): string {
  return join(home, EXPORTS_FOLDER, safeSegment(arriveId, 'case'));
}

/** The base name of a notice's exports: e.g. `公文書2_署名付き公文書１`. */
export function noticeBaseName(n: ExportedNotice): string {
  return `${KIND_LABEL[n.kind]}${n.noticeSubId}_${safeSegment(n.title, KIND_LABEL[n.kind])}`;
}

export async function exportBytes(home: string, n: ExportedNotice, extension: 'zip' | 'pdf', bytes: Uint8Array): Promise<string> {
  const path = join(caseExportFolder(home, n.arriveId), `${noticeBaseName(n)}.${extension}`);
  await writeFileDurably(path, bytes, { makeFolders: true });
  return path;
}

/**
 * The name each file gets on disk, in the order given: made safe (safeSegment), and kept apart when
 * two names differ only in case or become equal once made safe (the vault refuses names that clash,
 * but a name made safe may clash with another made safe; Windows and macOS fold case).
 */
export function exportNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((original) => {
    const safe = safeSegment(original, 'file');
    let name = safe;
    for (let i = 2; used.has(name.toLowerCase()); i += 1) name = `${i}_${safe}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** The notice's files in a folder of their own; answers the folder. */
export async function exportFiles(home: string, n: ExportedNotice, files: readonly { name: string; bytes: Uint8Array }[]): Promise<string> {
  const folder = join(caseExportFolder(home, n.arriveId), noticeBaseName(n));
  const names = exportNames(files.map((f) => f.name));
  for (const [i, f] of files.entries()) await writeFileDurably(join(folder, names[i]!), f.bytes, { makeFolders: true });
  return folder;
}

/**
 * Writes `data` as `<exports>/<base>.<ext>`, or `<base>_2.<ext>` … when one of that name is there
 * already (claimed atomically: exports made at once never overwrite each other); answers the path.
 */
export async function writeNewExport(home: string, base: string, ext: string, data: Uint8Array): Promise<string> {
  const folder = join(home, EXPORTS_FOLDER);
  for (let i = 1; ; i += 1) {
    const path = join(folder, i === 1 ? `${base}.${ext}` : `${base}_${i}.${ext}`);
    try {
      await writeFileDurably(path, data, { makeFolders: true, noReplace: true });
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i >= 999) throw e;
    }
  }
}

// Core host. The entries of a ZIP e-Gov sends with a 補正通知, a 公文書 or a コメント (REFERENCE §7.1),
// read in memory. e-Gov's are flat (no folders) with CP932 names, and each file is later written
// under its own name into a folder per case on the user's disk, so every name must be a plain file
// name on Windows, macOS and Linux alike. Anything else is refused as a whole, before its bytes are
// inflated: one hostile entry makes the whole ZIP suspect. The ZIP itself is kept by the vault
// before it is read here (vault.ts), so a refusal loses nothing.
//
// The mechanics (entry walk, inflating under limits counted on the real output, CRC, name decoding)
// are the application reader's (src/main/application/read-zip.ts); only the rules differ.
import { TodokeError } from '../../shared/errors.js';
import { isWindowsReservedName, unsafeFileNameReason } from '../application/entry-names.js';
import { isApplicationError } from '../application/errors.js';
import type { ZipReadLimits } from '../application/limits.js';
import { foldedName } from '../application/model.js';
import { decodeEntryName, eachEntry, FLAG_ENCRYPTED, inflate, openZip, printable, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, type Budget } from '../application/read-zip.js';

export interface NoticeZipEntry {
  /** the name as decoded (CP932, or UTF-8 when the entry says so) */
  name: string;
  bytes: Buffer;
}

export type NoticeZipLimits = ZipReadLimits;

const MiB = 1024 * 1024;

/** e-Gov's notice ZIPs hold a few files (XML, XSL, sometimes a PDF); these leave room and no more. */
export const DEFAULT_NOTICE_ZIP_LIMITS: Readonly<NoticeZipLimits> = Object.freeze({
  maxZipBytes: 64 * MiB,
  maxEntries: 64,
  maxEntryBytes: 32 * MiB,
  maxTotalBytes: 64 * MiB,
  maxCompressionRatio: 100,
  ratioFloorBytes: 1 * MiB,
});

/** MS-DOS attribute of a folder entry (the low byte of the external attributes, from Windows zippers). */
const DOS_DIRECTORY = 0x10;

/** Longest name accepted, in UTF-16 units: most file systems stop at 255. */
const MAX_NAME_LENGTH = 255;

export type NoticeZipErrorCode =
  /** not a ZIP, cut short, or an entry whose bytes do not match its header or CRC */
  | 'NOTICE_ZIP_CORRUPT'
  /** the ZIP is larger than the limit, or lists more entries than allowed */
  | 'NOTICE_ZIP_TOO_LARGE'
  /** an entry inflates beyond the per-entry size or ratio limit, or all together beyond the total */
  | 'NOTICE_ZIP_BOMB'
  /** a folder entry, or a name that is not a plain file name on every platform */
  | 'NOTICE_ZIP_UNSAFE_NAME'
  /** two entries with one name (exactly, after NFC, or ignoring case) */
  | 'NOTICE_ZIP_DUPLICATE_NAME'
  /** a name that is not valid CP932 (or UTF-8 when the entry is flagged so) */
  | 'NOTICE_ZIP_NAME_ENCODING'
  /** an encrypted entry */
  | 'NOTICE_ZIP_ENCRYPTED'
  /** a symbolic link or another special file */
  | 'NOTICE_ZIP_SPECIAL_ENTRY'
  /** a compression method other than stored or deflate */
  | 'NOTICE_ZIP_UNSUPPORTED_METHOD';

export class NoticeZipError extends TodokeError<NoticeZipErrorCode> {
  constructor(code: NoticeZipErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'NoticeZipError';
  }
}

/** What every refusal ends with: the original is safe, and whom to ask. */
const KEPT = '受け取った ZIP は原本のまま保管してあります。内容は e-Gov で確認するか、通知を出した機関に問い合わせてください。';

function refuse(code: NoticeZipErrorCode, what: string, en: string, detail: Record<string, unknown>, cause?: unknown): NoticeZipError {
  return new NoticeZipError(code, { ja: `e-Gov から届いた ZIP を開けません: ${what}。${KEPT}`, en }, { detail, ...(cause === undefined ? {} : { cause }) });
}

/** The application reader's errors for the mechanics it shares, said for a notice ZIP. */
function fromApplicationError(e: unknown): unknown {
  if (!isApplicationError(e)) return e;
  const detail = e.detail ?? {};
  switch (e.code) {
    case 'APPLICATION_ZIP_BOMB': {
      const entry = String(detail.entry ?? '');
      const limit = Number(detail.limit ?? 0);
      const why = detail.reason === 'ratio' ? `圧縮率が上限 ${limit} 倍を超えます` : detail.reason === 'total' ? `展開後の合計が上限 ${limit} バイトを超えます` : `展開後の大きさが上限 ${limit} バイトを超えます`;
      return refuse('NOTICE_ZIP_BOMB', `「${entry}」は${why}（展開を途中で止めました）`, e.message, detail, e);
    }
    case 'APPLICATION_ZIP_TOO_LARGE':
      return detail.what === 'file'
        ? refuse('NOTICE_ZIP_TOO_LARGE', `ZIP が大きすぎます（${String(detail.actual)} バイト、上限 ${String(detail.limit)} バイト）`, e.message, detail, e)
        : refuse('NOTICE_ZIP_TOO_LARGE', `ファイルが多すぎます（${String(detail.actual)} 個、上限 ${String(detail.limit)} 個）`, e.message, detail, e);
    default:
      return refuse('NOTICE_ZIP_CORRUPT', `壊れているか途中で切れています（${String(detail.reason ?? e.message)}）`, e.message, detail, e);
  }
}

/** Why `name` cannot be a file of its own in an exported folder, or null. */
export function unsafeNoticeFileNameReason(name: string): string | null {
  if (name.endsWith('/')) return 'フォルダーです（通知の ZIP にフォルダーは入りません）';
  const reason = unsafeFileNameReason(name);
  if (reason) return reason;
  if (name.length > MAX_NAME_LENGTH) return `名前が長すぎます（${name.length} 文字、上限 ${MAX_NAME_LENGTH} 文字）`;
  if (isWindowsReservedName(name)) return 'Windows の予約名（CON、NUL など）です';
  if (/[<>"|?*]/.test(name)) return 'Windows のファイル名に使えない文字（< > " | ? *）を含みます';
  // a right-to-left override (U+202E) makes "invoice<RLO>fdp.exe" look like a PDF: never shown as a name
  if (/[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/.test(name)) return '表示の向きを変える文字や見えない文字を含みます';
  return null;
}

/**
 * Every entry of a notice ZIP, in the ZIP's order. Throws NoticeZipError at the first entry that
 * breaks a rule; a name is judged before its bytes are inflated.
 */
export async function readNoticeZip(zip: Uint8Array, limits: Partial<NoticeZipLimits> = {}): Promise<NoticeZipEntry[]> {
  const lim: NoticeZipLimits = { ...DEFAULT_NOTICE_ZIP_LIMITS, ...limits };
  const bytes = Buffer.isBuffer(zip) ? zip : Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  if (bytes.length > lim.maxZipBytes) {
    throw refuse('NOTICE_ZIP_TOO_LARGE', `ZIP が大きすぎます（${bytes.length} バイト、上限 ${lim.maxZipBytes} バイト）`, `notice ZIP of ${bytes.length} bytes exceeds ${lim.maxZipBytes}`, {
      what: 'file',
      actual: bytes.length,
      limit: lim.maxZipBytes,
    });
  }
  try {
    const zipfile = await openZip(bytes);
    try {
      if (zipfile.entryCount > lim.maxEntries) {
        throw refuse('NOTICE_ZIP_TOO_LARGE', `ファイルが多すぎます（${zipfile.entryCount} 個、上限 ${lim.maxEntries} 個）`, `notice ZIP lists ${zipfile.entryCount} entries`, {
          what: 'entries',
          actual: zipfile.entryCount,
          limit: lim.maxEntries,
        });
      }
      const entries: NoticeZipEntry[] = [];
      const seen = new Map<string, string>();
      const budget: Budget = { total: 0 };
      await eachEntry(zipfile, async (entry) => {
        const raw = entry.fileName as unknown as Buffer;
        const decoded = decodeEntryName(raw, entry.generalPurposeBitFlag);
        if (!('name' in decoded)) {
          const shown = printable(raw);
          throw refuse('NOTICE_ZIP_NAME_ENCODING', `ファイル名「${shown}」が ${decoded.encoding} として読めません`, `entry name ${shown} is not valid ${decoded.encoding}`, {
            raw: shown,
            encoding: decoded.encoding,
          });
        }
        const name = decoded.name;
        const reason = unsafeNoticeFileNameReason(name);
        if (reason) throw refuse('NOTICE_ZIP_UNSAFE_NAME', `ファイル名「${shownName(name)}」は使えません（${reason}）`, `unsafe entry name ${JSON.stringify(shownName(name))}`, { name: shownName(name), reason });
        const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
        if (type === S_IFDIR || (entry.externalFileAttributes & DOS_DIRECTORY) !== 0) throw refuse('NOTICE_ZIP_UNSAFE_NAME', `「${name}」はフォルダーです`, `folder entry ${name}`, { name, reason: 'folder' });
        if (type !== 0 && type !== S_IFREG) {
          const what = type === S_IFLNK ? 'シンボリックリンク' : '特殊なファイル';
          throw refuse('NOTICE_ZIP_SPECIAL_ENTRY', `「${name}」は${what}です`, `special entry ${name} (type ${type.toString(8)})`, { name, type: type.toString(8) });
        }
        const key = foldedName(name);
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          throw refuse('NOTICE_ZIP_DUPLICATE_NAME', `「${name}」と「${earlier}」は同じ名前です（大文字・小文字や文字の合成の違いだけ）`, `duplicate entry ${name}`, { name, earlier });
        }
        seen.set(key, name);
        if ((entry.generalPurposeBitFlag & FLAG_ENCRYPTED) !== 0) throw refuse('NOTICE_ZIP_ENCRYPTED', `「${name}」は暗号化されています`, `encrypted entry ${name}`, { name });
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
          throw refuse('NOTICE_ZIP_UNSUPPORTED_METHOD', `「${name}」の圧縮方式（${entry.compressionMethod}）には対応していません`, `entry ${name}: method ${entry.compressionMethod}`, {
            name,
            method: entry.compressionMethod,
          });
        }
        entries.push({ name, bytes: await inflate(zipfile, entry, name, lim, budget) });
      });
      return entries;
    } finally {
      zipfile.close();
    }
  } catch (e) {
    throw fromApplicationError(e);
  }
}

/** A name for a message: control characters made visible, cut to a readable length (a hostile name can be 64 KiB). */
function shownName(name: string): string {
  // eslint-disable-next-line no-control-regex -- making control characters visible is the point
  const visible = name.replace(/[\u0000-\u001F\u007F-\u009F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return visible.length > 80 ? `${visible.slice(0, 80)}…` : visible;
}

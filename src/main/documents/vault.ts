// Core host. The vault (保管庫): every notice ZIP e-Gov sent, kept as received, and the files inside
// it, each stored under the SHA-256 of its bytes (`zips/ab/<hash>.zip`, `files/ab/<hash>`); the
// names, and which ZIP holds which file, live in SQLite (src/main/store/notices.ts).
//
// Content addressing makes a write idempotent and a read checkable: a re-download after a crash
// finds its bytes already there and writes nothing, and a read re-hashes what it returns, so a
// damaged disk shows as an error rather than as a wrong document. Every write goes through the
// one durable-write module (temp file, fsync, rename, folder fsync), owner-only.
//
// The ZIP is written before it is read: a ZIP whose entries are refused (a hostile one, or one this
// version cannot read) is still kept whole, and the refusal is returned for the caller to record.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NoticeFileView, NoticeRefusal } from '../../shared/documents.js';
import { TodokeError, isTodokeError } from '../../shared/errors.js';
import { writeFileDurably } from '../store/durable-file.js';
import { mediaOf } from './media.js';
import { readNoticeZip, type NoticeZipLimits } from './notice-zip.js';

export type KeptFile = NoticeFileView;

export interface KeptZip {
  zipSha256: string;
  zipSize: number;
  /** the entries, each stored; null when the ZIP was refused */
  files: KeptFile[] | null;
  /** why the entries were not extracted; null when they were */
  refusal: NoticeRefusal | null;
}

export type VaultErrorCode =
  /** a stored file is not there */
  | 'VAULT_MISSING'
  /** a stored file's bytes no longer match their hash */
  | 'VAULT_CORRUPT'
  /** a hash that is not 64 lowercase hex digits (never a path) */
  | 'VAULT_BAD_HASH'
  /** the vault folder cannot be written or read */
  | 'VAULT_IO';

export class VaultError extends TodokeError<VaultErrorCode> {
  constructor(code: VaultErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'VaultError';
  }
}

export interface VaultOptions {
  /** limits for reading the ZIPs' entries (defaults: DEFAULT_NOTICE_ZIP_LIMITS) */
  limits?: Partial<NoticeZipLimits>;
}

type Area = 'zips' | 'files';

const HASH = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class Vault {
  readonly root: string;
  private readonly limits: Partial<NoticeZipLimits>;

  /** `root`: the vault folder (the app passes `<profile dir>/vault`); created on the first write. */
  constructor(root: string, options: VaultOptions = {}) {
    this.root = root;
    this.limits = options.limits ?? {};
  }

  /**
   * Stores `zip` as received, then each of its entries; resolves once every byte is on disk. A ZIP
   * whose entries are refused resolves too, with `files: null` and the refusal.
   */
  async keep(zip: Uint8Array): Promise<KeptZip> {
    const zipSha256 = sha256Hex(zip);
    await this.store('zips', zipSha256, zip);
    let entries;
    try {
      entries = await readNoticeZip(zip, this.limits);
    } catch (e) {
      // whatever the reader threw, the ZIP is kept: an unreadable one is recorded, never fetched again in a loop
      const refusal = isTodokeError(e)
        ? { code: e.code, message: e.messageJa }
        : { code: 'NOTICE_ZIP_CORRUPT', message: `e-Gov から届いた ZIP を開けません（${e instanceof Error ? e.message : String(e)}）。受け取った ZIP は原本のまま保管してあります。` };
      return { zipSha256, zipSize: zip.byteLength, files: null, refusal };
    }
    const files: KeptFile[] = [];
    for (const { name, bytes } of entries) {
      const sha256 = sha256Hex(bytes);
      await this.store('files', sha256, bytes);
      files.push({ name, sha256, size: bytes.length, media: mediaOf(name, bytes) });
    }
    return { zipSha256, zipSize: zip.byteLength, files, refusal: null };
  }

  /** The ZIP stored under `sha256`, checked against it. */
  readZip(sha256: string): Promise<Buffer> {
    return this.load('zips', sha256);
  }

  /** The extracted file stored under `sha256`, checked against it. */
  readFile(sha256: string): Promise<Buffer> {
    return this.load('files', sha256);
  }

  /** Where the bytes of `sha256` live (for tests and support; callers read through readZip / readFile). */
  pathOf(area: Area, sha256: string): string {
    if (!HASH.test(sha256)) {
      throw new VaultError(
        'VAULT_BAD_HASH',
        { ja: `保管庫の識別子「${sha256.slice(0, 80)}」が正しくありません（SHA-256 の 16 進 64 桁ではありません）。`, en: `not a SHA-256 hex digest: ${sha256.slice(0, 80)}` },
        { detail: { sha256: sha256.slice(0, 80) } },
      );
    }
    return join(this.root, area, sha256.slice(0, 2), area === 'zips' ? `${sha256}.zip` : sha256);
  }

  /** Writes the bytes unless the same bytes are already there; a damaged copy is replaced. */
  private async store(area: Area, sha256: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(area, sha256);
    // an unreadable copy is treated as absent: the write below replaces it or reports why it cannot
    const present = await readIfPresent(path).catch(() => null);
    if (present && sha256Hex(present) === sha256) return;
    try {
      await writeFileDurably(path, bytes, { makeFolders: true, mode: 0o600 });
    } catch (cause) {
      throw new VaultError(
        'VAULT_IO',
        {
          ja: `受け取った書類を保管庫（${this.root}）に書き込めませんでした。空き容量とフォルダーの権限を確認してください。e-Gov には受け取りを伝えていないので、次の同期でもう一度取得します。`,
          en: `cannot write ${path}`,
        },
        { cause, detail: { path } },
      );
    }
  }

  private async load(area: Area, sha256: string): Promise<Buffer> {
    const path = this.pathOf(area, sha256);
    let bytes: Buffer | null;
    try {
      bytes = await readIfPresent(path);
    } catch (cause) {
      throw new VaultError('VAULT_IO', { ja: `保管庫のファイル ${path} を読み込めません。フォルダーの権限を確認してください。`, en: `cannot read ${path}` }, { cause, detail: { path } });
    }
    if (!bytes) {
      throw new VaultError(
        'VAULT_MISSING',
        {
          ja: `保管庫にあるはずのファイルがありません（${path}）。保管庫のフォルダーが移動または削除されていないか確認してください。e-Gov から取得し直せる場合があります。`,
          en: `missing from the vault: ${path}`,
        },
        { detail: { path, sha256 } },
      );
    }
    const actual = sha256Hex(bytes);
    if (actual !== sha256) {
      throw new VaultError(
        'VAULT_CORRUPT',
        {
          ja: `保管庫のファイルが壊れています（${path}: 内容が記録と一致しません）。誤った内容を表示しないよう読み込みを中止しました。ディスクの状態を確認してください。e-Gov から取得し直せる場合があります。`,
          en: `vault file ${path} hashes to ${actual}`,
        },
        { detail: { path, sha256, actual } },
      );
    }
    return bytes;
  }
}

async function readIfPresent(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

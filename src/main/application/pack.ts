// Main process. Packs the 申請データ of one batch (一括申請) into its ZIP (REFERENCE.md §5.1): one
// folder per application at the root, named `{手続ID}({n})`, holding kousei.xml, the 申請書 and the
// 添付書類. Like both accepted ZIPs in test/fixtures/egov-v1 (samples/bulk_apply_for_api.zip and the
// recorded apply), each folder gets its directory entry `{folderName}/` before its files.
// Files go in the order given (kousei.xml first, then kousei order: the caller's order is kept).
import type { Readable, Writable } from 'node:stream';
import { ZipError, ZipWriter, type ZipMethod } from './zip-writer.js';

export interface PackFile {
  /** the file name inside the folder, exactly as kousei.xml names it (no '/') */
  name: string;
  /** bytes, or a function opening the file (called twice: once to measure, once to write) */
  data: Buffer | (() => Readable);
}

export interface PackApplication {
  /** `{手続ID}({n})` */
  folderName: string;
  files: PackFile[];
}

export interface PackOptions {
  /** entry times (written as JST wall clock); default now */
  mtime?: Date;
  /** default 'deflate' */
  method?: ZipMethod;
  /** zlib level 0–9, default 6 */
  level?: number;
  /** write `{folderName}/` entries; default true */
  directoryEntries?: boolean;
}

export interface PackResult {
  /** size of the ZIP in bytes */
  bytes: number;
  /** SHA-256 of the ZIP, lower-case hex (what the outbox stores) */
  sha256: string;
  /** entries written, directory entries included */
  entries: number;
}

function segmentInvalid(what: 'folder' | 'file', name: string): ZipError {
  const ja = what === 'folder' ? 'フォルダ名' : 'ファイル名';
  return new ZipError(
    'ZIP_ENTRY_NAME_INVALID',
    { ja: `申請データの${ja}「${name}」は使えません（空、または「/」を含んでいます）。`, en: `invalid ${what} name ${JSON.stringify(name)} (empty or contains /)` },
    { name },
  );
}

function checkNames(application: PackApplication): void {
  const folder = application.folderName;
  if (folder === '' || folder.includes('/')) throw segmentInvalid('folder', folder);
  for (const file of application.files) if (file.name === '' || file.name.includes('/')) throw segmentInvalid('file', file.name);
}

async function writeApplication(writer: ZipWriter, application: PackApplication, options: PackOptions): Promise<void> {
  if (options.directoryEntries ?? true) await writer.addDirectory(`${application.folderName}/`);
  for (const file of application.files) await writer.addFile(`${application.folderName}/${file.name}`, file.data);
}

async function packInto(writer: ZipWriter, applications: readonly PackApplication[], options: PackOptions): Promise<void> {
  for (const application of applications) checkNames(application);
  for (const application of applications) await writeApplication(writer, application, options);
}

/**
 * packBatchToBuffer() one application at a time, for a caller that produces the applications one by
 * one (signing them): only the ZIP grows in memory, not every application's bytes besides it, and
 * it is given in its blocks. The same bytes as packBatchToBuffer() given the same applications in
 * the same order; a name it refuses is refused when its application is added.
 */
export class BatchPacker {
  readonly #writer: ZipWriter;
  readonly #options: PackOptions;

  constructor(options: PackOptions = {}) {
    this.#writer = new ZipWriter(undefined, options);
    this.#options = options;
  }

  async add(application: PackApplication): Promise<void> {
    checkNames(application);
    await writeApplication(this.#writer, application, this.#options);
  }

  /** The ZIP in its blocks, never joined (see ZipWriter.finishToBlocks). */
  finishToBlocks(): Promise<PackResult & { blocks: Buffer[] }> {
    return this.#writer.finishToBlocks();
  }
}

/**
 * Writes the batch ZIP to `out` (a file stream; ended when done) and returns its size and SHA-256.
 * On failure `out` is destroyed (no 'error' event) and the error is thrown: whatever reached the file
 * is not a ZIP and must be removed by the caller.
 */
export async function packBatch(applications: readonly PackApplication[], out: Writable, options: PackOptions = {}): Promise<PackResult> {
  const writer = new ZipWriter(out, options);
  try {
    await packInto(writer, applications, options);
    return await writer.finish();
  } catch (e) {
    // Destroyed without the error: the caller gets it here, and an 'error' event nobody listens to
    // would crash the process.
    out.destroy();
    throw e;
  }
}

/** packBatch() into memory: for small batches and tests. */
export async function packBatchToBuffer(applications: readonly PackApplication[], options: PackOptions = {}): Promise<PackResult & { zip: Buffer }> {
  const writer = new ZipWriter(undefined, options);
  await packInto(writer, applications, options);
  return writer.finishToBuffer();
}

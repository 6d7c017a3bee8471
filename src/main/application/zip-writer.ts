// Main process. A small streaming ZIP writer shaped like the ZIPs e-Gov accepted and sends
// (REFERENCE.md §5.1, §7.1): names in CP932 without the UTF-8 flag (bit 11 never set), deflate or
// stored, no extra fields, no comments, version 2.0 / MS-DOS, DOS times in JST. No ZIP64: anything
// that would need it is refused. Entries go out one after another; only the central directory
// (a few dozen bytes per entry) is kept in memory.
//
// How sizes reach the local header:
// - Buffer: CRC-32 and the compressed bytes are computed first; the local header carries them and
//   general-purpose flag 0 (like the rubyzip ZIPs e-Gov accepted).
// - () => Readable: read twice. The first pass computes CRC-32 and both sizes (the compressed bytes
//   are counted and dropped); the second pass writes header, then data as it is deflated. The
//   second pass must give the same CRC and sizes, or the writer fails (ZIP_SOURCE_CHANGED).
// - Readable: read once, flag 0x0008 with a data descriptor after the data (as e-Gov's own ZIPs,
//   Java ZipOutputStream). Deflate only: a stored entry with a data descriptor cannot be read by
//   stream readers.
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { TodokeError } from '../../shared/errors.js';
import { encodeCp932 } from './cp932.js';

export type ZipErrorCode =
  /** an entry name that cannot be written (empty, absolute, `..`, backslash, control character, duplicate, too long) */
  | 'ZIP_ENTRY_NAME_INVALID'
  /** sizes, offsets or the number of entries would need ZIP64 */
  | 'ZIP64_REQUIRED'
  /** a stream source gave different bytes on its second reading */
  | 'ZIP_SOURCE_CHANGED'
  /** the writer used out of order (entry after finish, two entries at once, stored single-pass stream) */
  | 'ZIP_WRITER_MISUSE';

export class ZipError extends TodokeError<ZipErrorCode> {
  constructor(code: ZipErrorCode, messages: { ja: string; en: string }, detail?: Record<string, unknown>) {
    super(code, messages, detail === undefined ? {} : { detail });
    this.name = 'ZipError';
  }
}

export type ZipMethod = 'deflate' | 'stored';

export interface ZipEntryOptions {
  /** default: the writer's method ('deflate') */
  method?: ZipMethod;
  /** zlib level 0–9 for deflate; default: the writer's level (6) */
  level?: number;
  /** the entry's modification time; default: the writer's mtime */
  mtime?: Date;
}

export interface ZipWriterOptions {
  method?: ZipMethod;
  level?: number;
  /** default: the time the writer was made */
  mtime?: Date;
}

export interface ZipResult {
  /** bytes written */
  bytes: number;
  /** SHA-256 of the whole ZIP, lower-case hex */
  sha256: string;
  entries: number;
}

export type ZipSource = Buffer | Readable | (() => Readable);

const deflateRaw = promisify(zlib.deflateRaw);
/**
 * Up to this size a Buffer is deflated on the calling thread: for the few-KB XML files of an
 * application, the hop to libuv's thread pool and back cost more than deflating (packing a thousand
 * applications spent most of its time waiting for those hops), and a deflate this small holds the
 * event loop for well under a millisecond. Larger buffers still go to the pool. Same bytes either way.
 */
const SYNC_DEFLATE_MAX_BYTES = 64 * 1024;

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const VERSION = 20; // 2.0: deflate, directories
const VERSION_MADE_BY = 20; // upper byte 0 = MS-DOS, as e-Gov's own ZIPs
const FLAG_DATA_DESCRIPTOR = 0x0008;
const DOS_ATTR_DIRECTORY = 0x10;

interface CentralRecord {
  name: Buffer;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  externalAttributes: number;
  offset: number;
}

/** DOS date and time of `date` as a wall clock in Japan (UTC+9, no daylight saving), 2-second steps, clamped to 1980–2107. */
export function dosDateTimeJst(date: Date): { date: number; time: number } {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new ZipError('ZIP_WRITER_MISUSE', { ja: 'ZIP の日時が正しくありません。', en: 'invalid entry date' });
  const jst = new Date(ms + 9 * 3600_000);
  const year = jst.getUTCFullYear();
  if (year < 1980) return { date: (0 << 9) | (1 << 5) | 1, time: 0 };
  if (year > 2107) return { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 };
  return {
    date: ((year - 1980) << 9) | ((jst.getUTCMonth() + 1) << 5) | jst.getUTCDate(),
    time: (jst.getUTCHours() << 11) | (jst.getUTCMinutes() << 5) | Math.floor(jst.getUTCSeconds() / 2),
  };
}

function nameInvalid(name: string, reasonJa: string, reasonEn: string): ZipError {
  return new ZipError(
    'ZIP_ENTRY_NAME_INVALID',
    { ja: `ZIP に入れるファイル名「${name}」は使えません（${reasonJa}）。`, en: `invalid ZIP entry name ${JSON.stringify(name)}: ${reasonEn}` },
    { name },
  );
}

function zip64(what: string): ZipError {
  return new ZipError(
    'ZIP64_REQUIRED',
    { ja: `申請データの ZIP が大きすぎます（${what}）。4GB 未満・65535 件以下に分けてください。`, en: `ZIP would need ZIP64: ${what}` },
    { what },
  );
}

function checkName(name: string, directory: boolean): void {
  if (name === '' || name === '/') throw nameInvalid(name, '名前が空です', 'empty');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) throw nameInvalid(name, '制御文字を含んでいます', 'control character');
  if (name.includes('\\')) throw nameInvalid(name, '「\\」を含んでいます', 'backslash');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw nameInvalid(name, '絶対パスです', 'absolute path');
  if (directory !== name.endsWith('/')) {
    throw nameInvalid(name, directory ? 'フォルダ名は「/」で終わります' : 'ファイル名が「/」で終わっています', directory ? 'a directory ends with /' : 'a file name ends with /');
  }
  const segments = (directory ? name.slice(0, -1) : name).split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') throw nameInvalid(name, '空・「.」・「..」の階層を含んでいます', 'empty, . or .. segment');
  }
}

function localHeader(r: Omit<CentralRecord, 'externalAttributes' | 'offset'>): Buffer {
  const b = Buffer.alloc(30 + r.name.length);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(VERSION, 4);
  b.writeUInt16LE(r.flags, 6);
  b.writeUInt16LE(r.method, 8);
  b.writeUInt16LE(r.time, 10);
  b.writeUInt16LE(r.date, 12);
  const deferred = (r.flags & FLAG_DATA_DESCRIPTOR) !== 0;
  b.writeUInt32LE(deferred ? 0 : r.crc, 14);
  b.writeUInt32LE(deferred ? 0 : r.compressedSize, 18);
  b.writeUInt32LE(deferred ? 0 : r.size, 22);
  b.writeUInt16LE(r.name.length, 26);
  b.writeUInt16LE(0, 28);
  r.name.copy(b, 30);
  return b;
}

function dataDescriptor(crc: number, compressedSize: number, size: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(crc, 4);
  b.writeUInt32LE(compressedSize, 8);
  b.writeUInt32LE(size, 12);
  return b;
}

function centralHeader(r: CentralRecord): Buffer {
  const b = Buffer.alloc(46 + r.name.length);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(VERSION_MADE_BY, 4);
  b.writeUInt16LE(VERSION, 6);
  b.writeUInt16LE(r.flags, 8);
  b.writeUInt16LE(r.method, 10);
  b.writeUInt16LE(r.time, 12);
  b.writeUInt16LE(r.date, 14);
  b.writeUInt32LE(r.crc, 16);
  b.writeUInt32LE(r.compressedSize, 20);
  b.writeUInt32LE(r.size, 24);
  b.writeUInt16LE(r.name.length, 28);
  // extra length, comment length, disk number start, internal attributes: 0
  b.writeUInt32LE(r.externalAttributes, 38);
  b.writeUInt32LE(r.offset, 42);
  r.name.copy(b, 46);
  return b;
}

/** In-memory ZIPs are collected in blocks of this size. */
const BLOCK_BYTES = 256 * 1024;

/**
 * Bytes out, with backpressure, counted and hashed; collected when there is no stream. Collected
 * bytes are copied into blocks rather than kept as the chunks given: a chunk is often a small view
 * of a much larger ArrayBuffer (zlib's synchronous output is a slice of its 16 KiB output buffer),
 * and keeping the views kept every one of those buffers alive — ten times the ZIP's size for a batch.
 */
class Sink {
  bytes = 0;
  readonly hash: Hash = createHash('sha256');
  readonly #blocks: Buffer[] | undefined;
  #used = 0;

  constructor(readonly out: Writable | undefined) {
    this.#blocks = out === undefined ? [] : undefined;
  }

  get collects(): boolean {
    return this.#blocks !== undefined;
  }

  /** The collected bytes in their blocks, in order (the last one cut to what was written). */
  collectedBlocks(): Buffer[] {
    const blocks = this.#blocks ?? [];
    const last = blocks.length - 1;
    return blocks.map((b, i) => (i === last ? b.subarray(0, this.#used) : b));
  }

  /** The collected bytes as one Buffer. */
  collected(): Buffer {
    return Buffer.concat(this.collectedBlocks());
  }

  #collect(chunk: Buffer): void {
    const blocks = this.#blocks!;
    let from = 0;
    while (from < chunk.length) {
      let block = blocks[blocks.length - 1];
      if (!block || this.#used === block.length) {
        block = Buffer.allocUnsafeSlow(BLOCK_BYTES);
        blocks.push(block);
        this.#used = 0;
      }
      const n = chunk.copy(block, this.#used, from);
      this.#used += n;
      from += n;
    }
  }

  async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (this.out === undefined) {
      this.#collect(chunk);
      return;
    }
    if (this.out.destroyed || this.out.writableEnded) throw new Error('ZIP output stream is closed');
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async end(): Promise<void> {
    if (this.out === undefined) return;
    this.out.end();
    await finished(this.out);
  }
}

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new ZipError('ZIP_WRITER_MISUSE', { ja: 'ZIP に入れるデータの読み出し方が正しくありません（バイト列ではありません）。', en: 'source stream must yield bytes, not strings or objects' });
}

interface Measured {
  crc: number;
  size: number;
  compressedSize: number;
}

/** Reads `source` through, computing CRC-32 and sizes, passing each compressed chunk to `emit`. */
async function run(source: Readable, method: ZipMethod, level: number, name: string, emit: (chunk: Buffer) => Promise<void> | void): Promise<Measured> {
  const m: Measured = { crc: 0, size: 0, compressedSize: 0 };
  async function* measure(input: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
    for await (const raw of input) {
      const chunk = asBuffer(raw);
      m.crc = zlib.crc32(chunk, m.crc);
      m.size += chunk.length;
      if (m.size >= MAX32) throw zip64(`${name} が 4GB 以上`);
      yield chunk;
    }
  }
  async function drain(input: AsyncIterable<unknown>): Promise<void> {
    for await (const raw of input) {
      const chunk = asBuffer(raw);
      m.compressedSize += chunk.length;
      if (m.compressedSize >= MAX32) throw zip64(`${name} が 4GB 以上`);
      await emit(chunk);
    }
  }
  if (method === 'stored') await pipeline(source, measure, drain);
  else await pipeline(source, measure, zlib.createDeflateRaw({ level }), drain);
  return m;
}

export class ZipWriter {
  private readonly sink: Sink;
  private readonly central: CentralRecord[] = [];
  private readonly seen = new Set<string>();
  private readonly method: ZipMethod;
  private readonly level: number;
  private readonly mtime: Date;
  private busy = false;
  private done = false;
  private failed = false;

  /** `out`: where the ZIP goes (ended by finish()); omitted: collected, see finishToBuffer(). */
  constructor(out?: Writable, options: ZipWriterOptions = {}) {
    this.sink = new Sink(out);
    this.method = options.method ?? 'deflate';
    this.level = options.level ?? 6;
    this.mtime = options.mtime ?? new Date();
    checkLevel(this.level);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.sink.bytes;
  }

  /** A directory entry; `name` ends with '/'. */
  async addDirectory(name: string, options: Pick<ZipEntryOptions, 'mtime'> = {}): Promise<void> {
    await this.guard(name, true, async (encoded) => {
      const { date, time } = dosDateTimeJst(options.mtime ?? this.mtime);
      const record = { name: encoded, flags: 0, method: 0, time, date, crc: 0, compressedSize: 0, size: 0 };
      const offset = this.sink.bytes;
      await this.sink.write(localHeader(record));
      this.central.push({ ...record, externalAttributes: DOS_ATTR_DIRECTORY, offset });
    });
  }

  /** A file entry from bytes, a stream factory (read twice, no data descriptor) or a stream (read once, data descriptor). */
  async addFile(name: string, source: ZipSource, options: ZipEntryOptions = {}): Promise<void> {
    const method = options.method ?? this.method;
    const level = options.level ?? this.level;
    checkLevel(level);
    const { date, time } = dosDateTimeJst(options.mtime ?? this.mtime);
    const methodId = method === 'stored' ? 0 : 8;
    await this.guard(name, false, async (encoded) => {
      const offset = this.sink.bytes;
      if (Buffer.isBuffer(source)) {
        if (source.length >= MAX32) throw zip64(`${name} が 4GB 以上`);
        const data = method === 'stored' ? source : source.length <= SYNC_DEFLATE_MAX_BYTES ? zlib.deflateRawSync(source, { level }) : await deflateRaw(source, { level });
        if (data.length >= MAX32) throw zip64(`${name} が 4GB 以上`);
        const record = { name: encoded, flags: 0, method: methodId, time, date, crc: zlib.crc32(source), compressedSize: data.length, size: source.length };
        await this.sink.write(localHeader(record));
        await this.sink.write(data);
        this.central.push({ ...record, externalAttributes: 0, offset });
      } else if (typeof source === 'function') {
        const first = await run(source(), method, level, name, () => undefined);
        const record = { name: encoded, flags: 0, method: methodId, time, date, ...first };
        this.checkOffset(offset + 30 + encoded.length + first.compressedSize);
        await this.sink.write(localHeader(record));
        const second = await run(source(), method, level, name, (chunk) => this.sink.write(chunk));
        if (second.crc !== first.crc || second.size !== first.size || second.compressedSize !== first.compressedSize) {
          throw new ZipError(
            'ZIP_SOURCE_CHANGED',
            { ja: `ファイル「${name}」が ZIP に入れている間に変わりました。もう一度やり直してください。`, en: `source of ${JSON.stringify(name)} changed between its two readings` },
            { name },
          );
        }
        this.central.push({ ...record, externalAttributes: 0, offset });
      } else if (source instanceof Readable) {
        if (method === 'stored') {
          throw new ZipError('ZIP_WRITER_MISUSE', { ja: '一度しか読めないデータは無圧縮で ZIP に入れられません。', en: 'a single-pass stream cannot be stored (data descriptor after stored data)' }, { name });
        }
        const header = { name: encoded, flags: FLAG_DATA_DESCRIPTOR, method: methodId, time, date, crc: 0, compressedSize: 0, size: 0 };
        await this.sink.write(localHeader(header));
        const m = await run(source, method, level, name, (chunk) => this.sink.write(chunk));
        await this.sink.write(dataDescriptor(m.crc, m.compressedSize, m.size));
        this.central.push({ ...header, ...m, externalAttributes: 0, offset });
      } else {
        throw new ZipError('ZIP_WRITER_MISUSE', { ja: 'ZIP に入れるデータの形が正しくありません。', en: 'source must be a Buffer, a Readable or a function returning a Readable' }, { name });
      }
      this.checkOffset(this.sink.bytes);
    });
  }

  /** Writes the central directory and the end record, ends the output stream. */
  async finish(): Promise<ZipResult> {
    this.ready();
    this.done = true;
    if (this.central.length > MAX16) throw zip64(`${this.central.length} 件`);
    const start = this.sink.bytes;
    let batch: Buffer[] = [];
    let batchSize = 0;
    for (const record of this.central) {
      const header = centralHeader(record);
      batch.push(header);
      batchSize += header.length;
      if (batchSize >= 64 * 1024) {
        await this.sink.write(Buffer.concat(batch));
        batch = [];
        batchSize = 0;
      }
    }
    await this.sink.write(Buffer.concat(batch));
    const size = this.sink.bytes - start;
    this.checkOffset(start);
    this.checkOffset(this.sink.bytes);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.central.length, 8);
    end.writeUInt16LE(this.central.length, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(start, 16);
    await this.sink.write(end);
    await this.sink.end();
    return { bytes: this.sink.bytes, sha256: this.sink.hash.digest('hex'), entries: this.central.length };
  }

  /** finish() for a writer made without an output stream: the whole ZIP as one Buffer. */
  async finishToBuffer(): Promise<ZipResult & { zip: Buffer }> {
    if (!this.sink.collects) throw new ZipError('ZIP_WRITER_MISUSE', { ja: 'ファイルに書き出している ZIP はメモリに取り出せません。', en: 'writer has an output stream' });
    const result = await this.finish();
    return { ...result, zip: this.sink.collected() };
  }

  /**
   * finishToBuffer() without joining: the ZIP in its blocks, in order. A large ZIP joined is, for a
   * moment, held twice; a caller that only streams it out (base64 into a request) takes the blocks.
   */
  async finishToBlocks(): Promise<ZipResult & { blocks: Buffer[] }> {
    if (!this.sink.collects) throw new ZipError('ZIP_WRITER_MISUSE', { ja: 'ファイルに書き出している ZIP はメモリに取り出せません。', en: 'writer has an output stream' });
    const result = await this.finish();
    return { ...result, blocks: this.sink.collectedBlocks() };
  }

  private ready(): void {
    if (this.failed) throw new ZipError('ZIP_WRITER_MISUSE', { ja: 'ZIP の作成は途中で失敗しています。最初からやり直してください。', en: 'writer failed earlier' });
    if (this.done) throw new ZipError('ZIP_WRITER_MISUSE', { ja: 'ZIP はもう閉じています。', en: 'writer already finished' });
    if (this.busy) throw new ZipError('ZIP_WRITER_MISUSE', { ja: 'ZIP に同時に二つのファイルは書けません。', en: 'previous entry not finished (await each add)' });
  }

  private checkOffset(offset: number): void {
    if (offset >= MAX32) throw zip64('合計 4GB 以上');
  }

  private async guard(name: string, directory: boolean, write: (encoded: Buffer) => Promise<void>): Promise<void> {
    this.ready();
    checkName(name, directory);
    const encoded = encodeCp932(name);
    if (encoded.length > MAX16) throw nameInvalid(name, '長すぎます', 'longer than 65535 bytes');
    // Two names that differ only in case would be one file on Windows.
    const key = name.toLowerCase();
    if (this.seen.has(key)) throw nameInvalid(name, '同じ名前がすでにあります', 'duplicate');
    if (this.central.length >= MAX16) throw zip64('65535 件を超えます');
    this.busy = true;
    const before = this.sink.bytes;
    try {
      await write(encoded);
      this.seen.add(key);
    } catch (e) {
      // Once bytes of an entry are out, the ZIP cannot be continued; before that, it can.
      if (this.sink.bytes !== before) this.failed = true;
      throw e;
    } finally {
      this.busy = false;
    }
  }
}

function checkLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new ZipError('ZIP_WRITER_MISUSE', { ja: `圧縮レベル ${level} は使えません（0〜9）。`, en: `deflate level must be an integer 0-9, got ${level}` });
  }
}

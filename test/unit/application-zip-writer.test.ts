// Unit: the batch ZIP (src/main/application/zip-writer.ts, pack.ts). Every ZIP written here is read
// back three ways: yauzl with raw names (bytes must be CP932, general-purpose bit 11 clear, in the
// local header too), python3's zipfile with metadata_encoding='cp932' and testzip(), and `unzip -t`.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { Cp932Error, encodeCp932 } from '../../src/main/application/cp932.js';
import { packBatch, packBatchToBuffer, type PackApplication } from '../../src/main/application/pack.js';
import { ZipError, ZipWriter, dosDateTimeJst } from '../../src/main/application/zip-writer.js';
import { isTodokeError } from '../../src/shared/errors.js';
import { scratchHome } from '../support/home.js';

const dir = scratchHome('todoke-zip-');
const sample = readFileSync(new URL('../fixtures/egov-v1/samples/bulk_apply_for_api.zip', import.meta.url));
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface ReadEntry {
  rawName: Buffer;
  localRawName: Buffer;
  flags: number;
  localFlags: number;
  method: number;
  crc: number;
  size: number;
  compressedSize: number;
  date: number;
  time: number;
  data: Buffer;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** yauzl, names left as bytes; the local header read too. */
async function readWithYauzl(zip: Buffer): Promise<ReadEntry[]> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true });
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    file.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      file.readEntry();
    });
    file.on('end', resolve);
    file.on('error', reject);
    file.readEntry();
  });
  const out: ReadEntry[] = [];
  for (const entry of entries) {
    const raw = entry.fileName as unknown;
    assert.ok(Buffer.isBuffer(raw), 'decodeStrings:false gives the name as bytes');
    const local = await file.readLocalFileHeaderPromise(entry);
    const data = await collect(await file.openReadStreamPromise(entry));
    assert.equal(zlib.crc32(data), entry.crc32, 'CRC-32 of the data');
    out.push({
      rawName: raw,
      localRawName: local.fileName,
      flags: entry.generalPurposeBitFlag,
      localFlags: local.generalPurposeBitFlag,
      method: entry.compressionMethod,
      crc: entry.crc32,
      size: entry.uncompressedSize,
      compressedSize: entry.compressedSize,
      date: entry.lastModFileDate,
      time: entry.lastModFileTime,
      data,
    });
  }
  file.close();
  return out;
}

interface PyEntry {
  name: string;
  flag: number;
  crc: number;
  size: number;
  method: number;
  date: number[];
  sha256: string;
}

const PY = `
import sys, zipfile, json, hashlib
z = zipfile.ZipFile(sys.argv[1], metadata_encoding='cp932')
bad = z.testzip()
print(json.dumps({'bad': bad, 'entries': [{'name': i.filename, 'flag': i.flag_bits, 'crc': i.CRC, 'size': i.file_size,
  'method': i.compress_type, 'date': list(i.date_time), 'sha256': hashlib.sha256(z.read(i)).hexdigest()} for i in z.infolist()]}))
`;

let counter = 0;
function saveZip(zip: Buffer): string {
  const path = join(dir, `t${++counter}.zip`);
  writeFileSync(path, zip);
  return path;
}

function readWithPython(path: string): PyEntry[] {
  const result = JSON.parse(execFileSync('python3', ['-c', PY, path], { encoding: 'utf8' })) as { bad: string | null; entries: PyEntry[] };
  assert.equal(result.bad, null, 'python zipfile testzip()');
  return result.entries;
}

function testWithUnzip(path: string): void {
  if (!hasUnzip) return;
  const r = spawnSync('unzip', ['-t', path], { encoding: 'latin1' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /No errors detected/);
}

/** All three readers; returns what yauzl saw. Checks names are CP932 bytes and bit 11 is clear. */
async function readBack(zip: Buffer, expected: Array<{ name: string; data?: Buffer }>): Promise<ReadEntry[]> {
  const entries = await readWithYauzl(zip);
  assert.equal(entries.length, expected.length);
  const path = saveZip(zip);
  const py = readWithPython(path);
  testWithUnzip(path);
  expected.forEach((want, i) => {
    const got = entries[i]!;
    assert.deepEqual(got.rawName, encodeCp932(want.name), `raw name of ${want.name}`);
    assert.deepEqual(got.localRawName, got.rawName, 'local header name = central name');
    assert.equal(got.flags & 0x800, 0, 'UTF-8 flag clear (central)');
    assert.equal(got.localFlags & 0x800, 0, 'UTF-8 flag clear (local)');
    assert.equal(got.localFlags, got.flags);
    if (want.data !== undefined) assert.deepEqual(got.data, want.data, want.name);
    const p = py[i]!;
    assert.equal(p.name, want.name, 'python reads the CP932 name');
    assert.equal(p.crc, got.crc);
    assert.equal(p.size, got.size);
    assert.equal(p.sha256, sha256(got.data));
  });
  return entries;
}

async function writeAll(entries: Array<{ name: string; data: Buffer | Readable | (() => Readable) | null }>, options: ConstructorParameters<typeof ZipWriter>[1] = {}): Promise<Buffer> {
  const writer = new ZipWriter(undefined, options);
  for (const e of entries) {
    if (e.data === null) await writer.addDirectory(e.name);
    else await writer.addFile(e.name, e.data);
  }
  const { zip, bytes, sha256: hash } = await writer.finishToBuffer();
  assert.equal(bytes, zip.length);
  assert.equal(hash, sha256(zip));
  return zip;
}

/** Deterministic incompressible bytes. */
function noise(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

/**
 * A Readable over `data` in `chunk`-byte pieces that fails if it is asked to read more than `lead`
 * bytes ahead of what `delivered()` says has left the writer: proof that the writer streams.
 */
function guarded(data: Buffer, chunk: number, lead: number, delivered: () => number): Readable {
  let pos = 0;
  const start = delivered();
  return new Readable({
    highWaterMark: chunk,
    read() {
      const ahead = pos - (delivered() - start);
      if (ahead > lead) {
        this.destroy(new Error(`read ${ahead} bytes ahead of the output`));
        return;
      }
      if (pos >= data.length) {
        this.push(null);
        return;
      }
      this.push(data.subarray(pos, pos + chunk));
      pos += chunk;
    },
  });
}

/** A slow file-like Writable: small buffer, one write completes per macrotask. */
function slowSink(): { out: Writable; delivered: () => number; received: () => Buffer } {
  const chunks: Buffer[] = [];
  let n = 0;
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      setImmediate(() => {
        chunks.push(chunk);
        n += chunk.length;
        done();
      });
    },
  });
  return { out, delivered: () => n, received: () => Buffer.concat(chunks) };
}

const when = new Date('2026-01-02T03:04:05Z'); // 12:04:05 in Japan

void describe('ZipWriter', () => {
  void it('writes Japanese names in CP932 without the UTF-8 flag, deflated and stored', async () => {
    const files = [
      { name: '900A010200001000(1)/', data: null },
      { name: '900A010200001000(1)/kousei.xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><構成情報/>'.repeat(20)) },
      { name: '900A010200001000(1)/添付書類①.pdf', data: noise(3000) },
      { name: '900A010200001000(1)/ﾃｽﾄ半角.txt', data: Buffer.from('半角カナ') },
      { name: '900A010200001000(1)/ソフト表～髙橋㈱－.txt', data: Buffer.from('0x5C trail bytes') },
    ];
    for (const method of ['deflate', 'stored'] as const) {
      const zip = await writeAll(files, { method, mtime: when });
      const got = await readBack(zip, files.map((f) => ({ name: f.name, data: f.data ?? Buffer.alloc(0) })));
      assert.equal(got[0]!.method, 0, 'directory stored');
      for (const e of got.slice(1)) assert.equal(e.method, method === 'stored' ? 0 : 8);
      for (const e of got) assert.equal(e.flags, 0, 'general-purpose flag 0: sizes in the local header');
      if (method === 'stored') for (const e of got) assert.equal(e.compressedSize, e.size);
    }
  });

  void it('writes the entry time as the wall clock in Japan, in 2-second steps', async () => {
    const zip = await writeAll([{ name: 'a.txt', data: Buffer.from('a') }], { mtime: when });
    const py = readWithPython(saveZip(zip));
    assert.deepEqual(py[0]!.date, [2026, 1, 2, 12, 4, 4]);
    // Midnight UTC on 31 Dec is already 1 January in Japan.
    assert.deepEqual(dosDateTimeJst(new Date('2025-12-31T15:00:00Z')), { date: ((2026 - 1980) << 9) | (1 << 5) | 1, time: 0 });
    assert.deepEqual(dosDateTimeJst(new Date('1970-01-01T00:00:00Z')), { date: (1 << 5) | 1, time: 0 }, 'clamped to 1980-01-01');
  });

  void it('writes empty files from bytes, a stream factory and a stream', async () => {
    const files = [
      { name: 'empty-buffer.txt', data: Buffer.alloc(0) },
      { name: 'empty-factory.txt', data: () => Readable.from([]) },
      { name: 'empty-stream.txt', data: Readable.from([]) },
    ];
    for (const method of ['deflate', 'stored'] as const) {
      const list = method === 'stored' ? files.slice(0, 2) : files;
      const zip = await writeAll(list, { method });
      const got = await readBack(zip, list.map((f) => ({ name: f.name, data: Buffer.alloc(0) })));
      for (const e of got) assert.equal(e.size, 0);
    }
  });

  void it('uses a data descriptor (flag 0x0008) only for a stream it can read once', async () => {
    const data = Buffer.from('one pass '.repeat(1000));
    const files = [
      { name: 'buffer.txt', data },
      { name: 'factory.txt', data: () => Readable.from([data.subarray(0, 10), data.subarray(10)]) },
      { name: 'stream.txt', data: Readable.from([data]) },
    ];
    const zip = await writeAll(files);
    const got = await readBack(zip, files.map((f) => ({ name: f.name, data })));
    assert.deepEqual(
      got.map((e) => e.flags),
      [0, 0, 0x0008],
    );
    assert.equal(got[0]!.crc, got[2]!.crc);
  });

  void it('streams a 5 MB file through a slow output without reading ahead (factory, stream, stored)', async () => {
    const big = noise(5 * 1024 * 1024, 7);
    // Measured: the writer reads at most ~48 KB ahead of a 16 KB-buffered output (zlib and stream buffers).
    const lead = 256 * 1024;
    // The guard bites: a reader that takes everything before writing is stopped.
    await assert.rejects(collect(guarded(big, 16 * 1024, lead, () => 0)), /ahead of the output/);
    for (const mode of ['factory', 'stream', 'stored'] as const) {
      const sink = slowSink();
      const writer = new ZipWriter(sink.out, { method: mode === 'stored' ? 'stored' : 'deflate', mtime: when });
      let calls = 0;
      // The factory's first reading only measures (nothing is kept); the second is the one guarded.
      const factory = () => (++calls === 1 ? guarded(big, 16 * 1024, Infinity, sink.delivered) : guarded(big, 16 * 1024, lead, sink.delivered));
      const heapBefore = process.memoryUsage().heapUsed;
      await writer.addFile('big.bin', mode === 'stream' ? guarded(big, 16 * 1024, lead, sink.delivered) : factory);
      const result = await writer.finish();
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      assert.ok(heapGrowth < big.length, `heap grew ${heapGrowth} bytes`);
      if (mode !== 'stream') assert.equal(calls, 2);
      const zip = sink.received();
      assert.equal(result.bytes, zip.length);
      assert.equal(result.sha256, sha256(zip));
      await readBack(zip, [{ name: 'big.bin', data: big }]);
    }
  });

  void it('refuses a name CP932 cannot hold, and can go on afterwards', async () => {
    const writer = new ZipWriter(undefined, { mtime: when });
    await writer.addFile('ok.txt', Buffer.from('ok'));
    await assert.rejects(writer.addFile('資料〜その2.pdf', Buffer.from('x')), (e: unknown) => e instanceof Cp932Error && e.character === '〜');
    await assert.rejects(writer.addDirectory('🍣/'), (e: unknown) => isTodokeError(e, 'CP932_UNENCODABLE'));
    await writer.addFile('資料～その2.pdf', Buffer.from('x'));
    const { zip } = await writer.finishToBuffer();
    await readBack(zip, [{ name: 'ok.txt' }, { name: '資料～その2.pdf' }]);
  });

  void it('finishToBlocks gives the ZIP in its blocks, never joined: the same bytes and hash as finishToBuffer', async () => {
    const big = Buffer.from(createHash('sha512').update('seed').digest('hex').repeat(20_000)); // ~2.5 MB, several blocks
    const build = async () => {
      const writer = new ZipWriter(undefined, { mtime: when, method: 'stored' });
      await writer.addFile('big.txt', big);
      await writer.addFile('small.txt', Buffer.from('x'));
      return writer;
    };
    const whole = await (await build()).finishToBuffer();
    const blocks = await (await build()).finishToBlocks();
    assert.ok(blocks.blocks.length > 2, 'more than one block');
    assert.ok(Buffer.concat(blocks.blocks).equals(whole.zip));
    assert.equal(blocks.bytes, whole.zip.length);
    assert.equal(blocks.sha256, whole.sha256);
    // a writer with an output stream has nothing collected to give
    await assert.rejects(new ZipWriter(new Writable({ write: (_c, _e, cb) => cb() })).finishToBlocks(), (e: unknown) => isTodokeError(e, 'ZIP_WRITER_MISUSE'));
  });

  void it('refuses unsafe and duplicate names', async () => {
    const writer = new ZipWriter();
    await writer.addFile('a/b.txt', Buffer.from('b'));
    for (const name of ['', '/abs.txt', 'C:/x.txt', '../up.txt', 'a/../b.txt', 'a//b.txt', 'a\\b.txt', 'tab\t.txt', 'dir/', 'a/b.txt', 'A/B.TXT']) {
      await assert.rejects(writer.addFile(name, Buffer.from('x')), (e: unknown) => isTodokeError(e, 'ZIP_ENTRY_NAME_INVALID'), JSON.stringify(name));
    }
    await assert.rejects(writer.addDirectory('nodir'), (e: unknown) => isTodokeError(e, 'ZIP_ENTRY_NAME_INVALID'));
    await assert.rejects(writer.addFile('x.txt', Buffer.from('x'), { level: 12 }), (e: unknown) => isTodokeError(e, 'ZIP_WRITER_MISUSE'));
    await assert.rejects(writer.addFile('x.txt', Readable.from([Buffer.from('x')]), { method: 'stored' }), (e: unknown) => isTodokeError(e, 'ZIP_WRITER_MISUSE'));
    const { zip } = await writer.finishToBuffer();
    await readBack(zip, [{ name: 'a/b.txt', data: Buffer.from('b') }]);
  });

  void it('refuses two entries at once, and entries after finish', async () => {
    const writer = new ZipWriter();
    const first = writer.addFile('a.txt', () => Readable.from([Buffer.from('a')]));
    await assert.rejects(writer.addFile('b.txt', Buffer.from('b')), (e: unknown) => isTodokeError(e, 'ZIP_WRITER_MISUSE'));
    await first;
    await writer.finishToBuffer();
    await assert.rejects(writer.addFile('c.txt', Buffer.from('c')), (e: unknown) => isTodokeError(e, 'ZIP_WRITER_MISUSE'));
  });

  void it('fails when a stream factory gives different bytes the second time', async () => {
    const writer = new ZipWriter();
    let calls = 0;
    const err = await writer.addFile('moving.txt', () => Readable.from([Buffer.from(++calls === 1 ? 'first' : 'second!')])).catch((e: unknown) => e);
    assert.ok(err instanceof ZipError && err.code === 'ZIP_SOURCE_CHANGED', String(err));
    await assert.rejects(writer.finishToBuffer(), (e: unknown) => isTodokeError(e, 'ZIP_WRITER_MISUSE'), 'a half-written entry ends the writer');
  });

  void it('refuses a 65536th entry (ZIP64 is not written)', async () => {
    const writer = new ZipWriter(undefined, { method: 'stored' });
    const empty = Buffer.alloc(0);
    for (let i = 0; i < 0xffff; i++) await writer.addFile(`f${i}`, empty);
    await assert.rejects(writer.addFile('one-too-many', empty), (e: unknown) => isTodokeError(e, 'ZIP64_REQUIRED'));
    const { zip, entries } = await writer.finishToBuffer();
    assert.equal(entries, 0xffff);
    assert.equal(zip.readUInt16LE(zip.length - 22 + 10), 0xffff);
  });
});

void describe('packBatch', () => {
  void it('repacks the accepted sample batch with the same entries, bytes and CRCs', async () => {
    const original = await readWithYauzl(sample);
    const applications: PackApplication[] = [];
    for (const e of original) {
      const name = e.rawName.toString('latin1');
      const slash = name.indexOf('/');
      const folderName = name.slice(0, slash);
      let app = applications.find((a) => a.folderName === folderName);
      if (!app) applications.push((app = { folderName, files: [] }));
      if (!name.endsWith('/')) app.files.push({ name: name.slice(slash + 1), data: e.data });
    }
    const mtime = new Date('2015-04-22T18:45:16+09:00');
    const path = join(dir, 'repack.zip');
    const result = await packBatch(applications, createWriteStream(path), { mtime });
    const zip = readFileSync(path);
    assert.equal(result.bytes, zip.length);
    assert.equal(result.sha256, sha256(zip));
    assert.equal(result.entries, original.length);
    const again = await readBack(
      zip,
      original.map((e) => ({ name: e.rawName.toString('latin1'), data: e.data })),
    );
    again.forEach((e, i) => {
      const o = original[i]!;
      assert.deepEqual(e.rawName, o.rawName);
      assert.equal(e.crc, o.crc);
      assert.equal(e.size, o.size);
      assert.equal(e.method, o.method);
      assert.equal(e.flags, o.flags);
      assert.equal(e.date, o.date);
      assert.equal(e.time, o.time);
    });
  });

  void it('writes folders with their directory entries, files in the order given, Japanese attachment names', async () => {
    const applications: PackApplication[] = [
      {
        folderName: '900A010200001000(1)',
        files: [
          { name: 'kousei.xml', data: Buffer.from('<構成管理/>') },
          { name: '900A01020000100001_01.xml', data: Buffer.from('<申請書/>') },
          { name: '添付書類①.pdf', data: () => Readable.from([noise(10_000, 3)]) },
        ],
      },
      { folderName: '900A010200001000(2)', files: [{ name: 'kousei.xml', data: Buffer.from('<構成管理 n="2"/>') }] },
    ];
    const packed = await packBatchToBuffer(applications, { mtime: when });
    await readBack(packed.zip, [
      { name: '900A010200001000(1)/' },
      { name: '900A010200001000(1)/kousei.xml', data: Buffer.from('<構成管理/>') },
      { name: '900A010200001000(1)/900A01020000100001_01.xml' },
      { name: '900A010200001000(1)/添付書類①.pdf', data: noise(10_000, 3) },
      { name: '900A010200001000(2)/' },
      { name: '900A010200001000(2)/kousei.xml' },
    ]);
    const flat = await packBatchToBuffer(applications, { mtime: when, directoryEntries: false, method: 'stored' });
    const names = (await readWithYauzl(flat.zip)).map((e) => e.rawName.toString('latin1'));
    assert.equal(names.length, 4);
    assert.ok(names.every((n) => !n.endsWith('/')));
    assert.equal(flat.sha256, sha256(flat.zip));
  });

  void it('refuses slashes in folder and file names, and unencodable names, before writing', async () => {
    for (const applications of [
      [{ folderName: 'a/b', files: [] }],
      [{ folderName: '', files: [] }],
      [{ folderName: 'a', files: [{ name: 'sub/x.txt', data: Buffer.from('x') }] }],
    ]) {
      await assert.rejects(packBatchToBuffer(applications), (e: unknown) => isTodokeError(e, 'ZIP_ENTRY_NAME_INVALID'));
    }
    const path = join(dir, 'refused.zip');
    const out = createWriteStream(path);
    await assert.rejects(
      packBatch([{ folderName: '900A010200001000(1)', files: [{ name: '𠮷.txt', data: Buffer.from('x') }] }], out),
      (e: unknown) => isTodokeError(e, 'CP932_UNENCODABLE'),
    );
    assert.ok(out.destroyed, 'the output is closed on failure');
  });
});

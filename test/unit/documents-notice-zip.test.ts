// Unit: reading a notice ZIP (src/main/documents/notice-zip.ts). The ZIPs e-Gov really sent read
// with their CP932 names; every hostile or broken one is refused as a whole with a typed
// NoticeZipError (a stable code, a Japanese message saying the original is kept), before the
// offending entry is inflated.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { DEFAULT_NOTICE_ZIP_LIMITS, NoticeZipError, readNoticeZip, unsafeNoticeFileNameReason, type NoticeZipLimits } from '../../src/main/documents/notice-zip.js';
import { ZipWriter } from '../../src/main/application/zip-writer.js';
import { recordedNoticeZip, zeroBombZip } from '../support/notice-zips.js';
import { craftZip, encodeCp932, type CraftEntry } from '../support/zip-craft.js';

const MiB = 1024 * 1024;
const XML = '<?xml version="1.0" encoding="UTF-8"?><DOC/>';

async function rejects(zip: Buffer, code: string, limits: Partial<NoticeZipLimits> = {}): Promise<NoticeZipError> {
  let caught: NoticeZipError | undefined;
  await assert.rejects(readNoticeZip(zip, limits), (e: unknown) => {
    assert.ok(e instanceof NoticeZipError, `expected NoticeZipError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.messageJa, /原本のまま保管してあります/);
    caught = e;
    return true;
  });
  return caught!;
}

const ok = (name: string | Buffer, data: string | Buffer = XML, extra: Partial<CraftEntry> = {}): CraftEntry => ({ name, data, ...extra });

void describe('readNoticeZip: the ZIPs e-Gov sent', () => {
  void it('reads the recorded 公文書 ZIP: its XML and スタイルシート1.xsl decoded from CP932', async () => {
    const entries = await readNoticeZip(recordedNoticeZip('officialdocument'));
    assert.deepEqual(
      entries.map((e) => [e.name, e.bytes.length]),
      [
        ['0000-API-001.xml', 1426],
        ['スタイルシート1.xsl', 3578],
      ],
    );
    assert.match(entries[1]!.bytes.toString('utf8'), /xsl:stylesheet/);
  });

  void it('reads the recorded コメント and 補正通知 ZIPs', async () => {
    for (const exchange of ['comment', 'amend-notices'] as const) {
      const entries = await readNoticeZip(recordedNoticeZip(exchange));
      assert.ok(entries.length >= 1, exchange);
      assert.ok(entries.every((e) => e.bytes.length > 0 && !e.name.includes('/')), exchange);
    }
  });

  void it('reads a ZIP written the way e-Gov packs them (deflate, data descriptors, CP932 names)', async () => {
    const writer = new ZipWriter(undefined, { mtime: new Date('2026-11-30T01:00:00Z') });
    // a stream read once: flag 0x0008, sizes in a data descriptor after the data, as e-Gov's Java writer does
    await writer.addFile('公文書.xml', Readable.from([Buffer.from(XML)]));
    await writer.addFile('スタイルシート1.xsl', Buffer.from('<xsl:stylesheet/>'));
    const { zip } = await writer.finishToBuffer();
    assert.equal(zip.readUInt16LE(6) & 0x0808, 0x0008, 'data descriptor, no UTF-8 flag');
    const entries = await readNoticeZip(zip);
    assert.deepEqual(
      entries.map((e) => [e.name, e.bytes.toString()]),
      [
        ['公文書.xml', XML],
        ['スタイルシート1.xsl', '<xsl:stylesheet/>'],
      ],
    );
  });

  void it('takes a Uint8Array as well as a Buffer', async () => {
    const zip = craftZip([ok('a.xml')]);
    const entries = await readNoticeZip(new Uint8Array(zip));
    assert.equal(entries[0]!.bytes.toString(), XML);
  });
});

void describe('readNoticeZip: names that could escape or clash on export', () => {
  const unsafe: [string, string][] = [
    ['../../etc/passwd', 'zip slip'],
    ['../evil.xml', 'parent'],
    ['..', 'dot dot'],
    ['/etc/passwd', 'absolute'],
    ['C:evil.xml', 'drive letter'],
    ['C:/Windows/evil.xml', 'drive path'],
    ['sub\\evil.xml', 'backslash'],
    ['sub/evil.xml', 'a folder inside'],
    ['evil\u0000.xml', 'NUL'],
    ['evil\n.xml', 'newline'],
    ['CON', 'reserved'],
    ['nul.txt', 'reserved with extension'],
    ['COM1.xml', 'reserved COM1'],
    ['lpt9', 'reserved LPT9'],
    ['trailing.', 'trailing dot'],
    ['trailing ', 'trailing space'],
    ['a:b.xml', 'colon (NTFS stream)'],
    ['what?.xml', 'question mark'],
    ['x'.repeat(300), 'too long'],
    ['invoice\u202Efdp.exe', 'a right-to-left override'],
    ['a\u200Bb.xml', 'a zero-width space'],
  ];
  for (const [name, label] of unsafe) {
    void it(`refuses ${label}`, async () => {
      const e = await rejects(craftZip([ok('fine.xml'), ok(name, 'pwned')]), 'NOTICE_ZIP_UNSAFE_NAME');
      // a control character or a 300-character name is shown escaped and cut, never raw
      assert.ok(![...e.messageJa].some((c) => c.charCodeAt(0) < 0x20), 'no raw control character in the message');
      assert.ok(e.messageJa.length < 400);
    });
  }

  void it('refuses a folder entry, by its trailing slash or by its Unix type', async () => {
    await rejects(craftZip([ok('docs/', '')]), 'NOTICE_ZIP_UNSAFE_NAME');
    await rejects(craftZip([ok('docs', '', { unixMode: 0o040755, method: 0 })]), 'NOTICE_ZIP_UNSAFE_NAME');
    // the MS-DOS folder attribute, as a Windows zipper sets it: Unix mode 0 with 0x10 in the low bits
    const dos = craftZip([ok('docs', '', { unixMode: 0, method: 0 })]);
    const central = dos.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    dos.writeUInt32LE(0x10, central + 38);
    await rejects(dos, 'NOTICE_ZIP_UNSAFE_NAME');
  });

  void it('refuses a symbolic link and a FIFO', async () => {
    await rejects(craftZip([ok('link.xml', '/etc/passwd', { unixMode: 0o120777 })]), 'NOTICE_ZIP_SPECIAL_ENTRY');
    await rejects(craftZip([ok('fifo', '', { unixMode: 0o010644 })]), 'NOTICE_ZIP_SPECIAL_ENTRY');
  });

  void it('refuses duplicate names: exact, after NFC, ignoring case', async () => {
    await rejects(craftZip([ok('a.xml'), ok('a.xml')]), 'NOTICE_ZIP_DUPLICATE_NAME');
    // が as one code point and as か + combining dakuten
    await rejects(craftZip([ok('\u304c.xml'), ok('\u304b\u3099.xml')]), 'NOTICE_ZIP_DUPLICATE_NAME');
    const e = await rejects(craftZip([ok('Doc.XML'), ok('doc.xml')]), 'NOTICE_ZIP_DUPLICATE_NAME');
    assert.match(e.messageJa, /Doc\.XML/);
  });

  void it('refuses a CP932 name that is not valid Shift_JIS, showing the raw bytes', async () => {
    const e = await rejects(craftZip([ok(Buffer.from([0x81, 0x20, 0x2e, 0x78, 0x6d, 0x6c]), XML, { flags: 0 })]), 'NOTICE_ZIP_NAME_ENCODING');
    assert.match(e.messageJa, /\\x81 \.xml/);
    assert.match(e.messageJa, /CP932/);
  });

  void it('refuses a name flagged UTF-8 that is not UTF-8', async () => {
    await rejects(craftZip([ok(Buffer.from([0x41, 0xff, 0xfe]), XML, { flags: 0x800 })]), 'NOTICE_ZIP_NAME_ENCODING');
  });

  void it('reads CP932 names without the flag and UTF-8 names with it', async () => {
    const entries = await readNoticeZip(craftZip([ok(encodeCp932('通知書.xml'), XML, { flags: 0 }), ok('コメント.txt', 'x')]));
    assert.deepEqual(
      entries.map((e) => e.name),
      ['通知書.xml', 'コメント.txt'],
    );
  });

  void it('refuses an encrypted entry and an unknown compression method', async () => {
    await rejects(craftZip([ok('secret.pdf', 'ciphertext', { flags: 0x1 })]), 'NOTICE_ZIP_ENCRYPTED');
    await rejects(craftZip([ok('a.bz2', 'x', { method: 12 })]), 'NOTICE_ZIP_UNSUPPORTED_METHOD');
  });

  void it('judges names with the helper the export will use', () => {
    assert.equal(unsafeNoticeFileNameReason('0000-API-001.xml'), null);
    assert.equal(unsafeNoticeFileNameReason('スタイルシート1.xsl'), null);
    assert.equal(unsafeNoticeFileNameReason('console.xml'), null, 'CON only as a whole stem');
    assert.notEqual(unsafeNoticeFileNameReason('Aux.pdf'), null);
  });
});

void describe('readNoticeZip: bombs, limits and corruption', () => {
  void it('refuses a 1 GiB bomb from its header, before inflating any of it', async () => {
    const zip = zeroBombZip('bomb.xml', 1024, 1024 * MiB);
    assert.ok(zip.length < 2 * MiB, `the bomb is ${zip.length} bytes`);
    const e = await rejects(zip, 'NOTICE_ZIP_BOMB');
    assert.equal(e.detail?.reason, 'entry-size');
  });

  void it('stops a 1 GiB bomb on its compression ratio, counted on the real output', async () => {
    // the header claims 30 MiB (under the 32 MiB limit): only the ratio of what came out stops it, long before 1 GiB
    const e = await rejects(zeroBombZip('bomb.xml', 1024, 30 * MiB), 'NOTICE_ZIP_BOMB', { maxCompressionRatio: 10 });
    assert.equal(e.detail?.reason, 'ratio');
  });

  void it('stops a 1 GiB bomb whose header lies about its size where the claimed size ends', async () => {
    const e = await rejects(zeroBombZip('bomb.xml', 1024, 30 * MiB), 'NOTICE_ZIP_CORRUPT');
    // stopped past the claimed 30 MiB: it never inflated the 1 GiB
    assert.match(e.message, /too many bytes in the stream\. expected 31457280/);
  });

  void it('stops when all entries together pass the total limit', async () => {
    const many = Array.from({ length: 5 }, (_, i) => ok(`part${i}.bin`, Buffer.alloc(50_000, i)));
    const e = await rejects(craftZip(many), 'NOTICE_ZIP_BOMB', { maxTotalBytes: 200_000 });
    assert.equal(e.detail?.reason, 'total');
  });

  void it('refuses more entries than allowed before reading any (default 64)', async () => {
    assert.equal(DEFAULT_NOTICE_ZIP_LIMITS.maxEntries, 64);
    const many = Array.from({ length: 65 }, (_, i) => ok(`f${i}.xml`));
    const e = await rejects(craftZip(many), 'NOTICE_ZIP_TOO_LARGE');
    assert.equal(e.detail?.what, 'entries');
  });

  void it('refuses a ZIP over the size limit', async () => {
    const e = await rejects(craftZip([ok('a.xml')]), 'NOTICE_ZIP_TOO_LARGE', { maxZipBytes: 50 });
    assert.equal(e.detail?.what, 'file');
  });

  void it('refuses a truncated ZIP: the recorded 公文書 ZIP cut at every tenth of its length', async () => {
    const whole = recordedNoticeZip('officialdocument');
    for (let i = 1; i < 10; i++) await rejects(whole.subarray(0, Math.floor((whole.length * i) / 10)), 'NOTICE_ZIP_CORRUPT');
  });

  void it('refuses bytes that are not a ZIP, and nothing at all', async () => {
    await rejects(Buffer.from('<?xml version="1.0"?><DataRoot/>'), 'NOTICE_ZIP_CORRUPT');
    await rejects(Buffer.alloc(0), 'NOTICE_ZIP_CORRUPT');
  });

  void it('refuses an entry whose CRC does not match', async () => {
    await rejects(craftZip([ok('a.xml', XML, { crcOverride: 1234 })]), 'NOTICE_ZIP_CORRUPT');
  });

  void it('refuses the recorded 公文書 ZIP with one byte of compressed data flipped', async () => {
    const zip = Buffer.from(recordedNoticeZip('officialdocument'));
    zip[60] = zip[60]! ^ 0xff;
    await rejects(zip, 'NOTICE_ZIP_CORRUPT');
  });

  void it('refuses a central directory that points past the end', async () => {
    const zip = craftZip([ok('a.xml')]);
    zip.writeUInt32LE(0x7fffffff, zip.length - 22 + 16);
    await rejects(zip, 'NOTICE_ZIP_CORRUPT');
  });
});

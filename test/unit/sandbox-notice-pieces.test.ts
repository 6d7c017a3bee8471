// Unit: the pieces of the sandbox's notices — the small PDF's structure (every xref offset lands on
// its object), deadlines, base64 wrapping at 76/CRLF, the Japanese date, the notice ZIP's fields,
// and reading one entry out of uploaded ZIPs that are truncated, bombs or not ZIPs at all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { japaneseDate } from '../../src/sandbox/notices/notice-documents.js';
import { packNoticeZip } from '../../src/sandbox/notices/notice-zip.js';
import { wrap76 } from '../../src/sandbox/notices/official-signature.js';
import { smallPdf } from '../../src/sandbox/notices/small-pdf.js';
import { readZipEntry } from '../../src/sandbox/notices/zip-entry.js';
import { isDeadline } from '../../src/sandbox/operator/notice-actions.js';
import { craftZip, encodeCp932 } from '../support/zip-craft.js';

const LIMITS = { maxEntries: 10, maxEntryBytes: 1024 * 1024 };

void describe('smallPdf', () => {
  void it('writes a PDF whose cross-reference table points at each object and whose startxref points at the table', () => {
    const pdf = smallPdf(['Todoke (sandbox) \\ test', '日本語は ? になる']).toString('latin1');
    assert.ok(pdf.startsWith('%PDF-1.4\n'));
    assert.ok(pdf.endsWith('%%EOF\n'));
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)![1]);
    assert.ok(pdf.startsWith('xref\n0 6\n', startxref));
    const rows = pdf.slice(startxref).split('\n').slice(3, 8);
    rows.forEach((row, i) => {
      assert.match(row, /^\d{10} 00000 n $/);
      assert.ok(pdf.startsWith(`${i + 1} 0 obj\n`, Number(row.slice(0, 10))), `object ${i + 1}`);
    });
    const stream = /<< \/Length (\d+) >>\nstream\n([\s\S]*?)\nendstream/.exec(pdf)!;
    assert.equal(Buffer.byteLength(stream[2]!, 'latin1'), Number(stream[1]));
    assert.ok(stream[2]!.includes('(Todoke \\(sandbox\\) \\\\ test)'), 'PDF string specials escaped');
    assert.ok(!/[^\x20-\x7E\n]/.test(stream[2]!), 'ASCII only in the content stream');
  });
});

void describe('isDeadline', () => {
  void it('accepts real dates only, as YYYYMMDD', () => {
    for (const ok of ['20150315', '20240229', '21001231']) assert.equal(isDeadline(ok), true, ok);
    for (const bad of ['20150229', '20151301', '20150100', '2015031', '201503155', '2015-03-15', '１２３４５６７８', '18991231', '', '20150315\n']) assert.equal(isDeadline(bad), false, bad);
  });
});

void describe('wrap76 and japaneseDate', () => {
  void it('wraps base64 at 76 with CRLF, none after the last line', () => {
    const text = wrap76(Buffer.alloc(200, 7));
    const lines = text.split('\r\n');
    assert.deepEqual(lines.map((l) => l.length), [76, 76, 76, 40]);
    assert.ok(!text.endsWith('\r\n') && !/(?<!\r)\n/.test(text));
    assert.equal(wrap76(Buffer.alloc(57)).includes('\r\n'), false, '76 characters exactly: one line');
  });

  void it('writes the JST calendar date e-Gov writes (SEEN 2015年03月09日)', () => {
    assert.equal(japaneseDate(new Date('2015-03-09T06:37:50Z')), '2015年03月09日');
    assert.equal(japaneseDate(new Date('2015-03-08T15:00:00Z')), '2015年03月09日', 'midnight JST is the next day');
  });
});

void describe('packNoticeZip', () => {
  void it('writes CP932 names without the UTF-8 flag, deflate with data descriptors, no extra fields, version 2.0 / MS-DOS', async () => {
    const zip = await packNoticeZip([{ name: 'スタイルシート1.xsl', content: Buffer.from('<xsl/>') }], new Date('2015-04-28T02:45:04Z'));
    assert.equal(zip.readUInt32LE(0), 0x04034b50);
    assert.deepEqual([zip.readUInt16LE(4), zip.readUInt16LE(6), zip.readUInt16LE(8), zip.readUInt16LE(28)], [20, 0x0008, 8, 0]);
    assert.deepEqual([zip.readUInt32LE(14), zip.readUInt32LE(18), zip.readUInt32LE(22)], [0, 0, 0], 'sizes and CRC left to the descriptor');
    assert.ok(zip.subarray(30, 30 + 19).equals(encodeCp932('スタイルシート1.xsl')));
    assert.ok(zip.includes(Buffer.from([0x50, 0x4b, 0x07, 0x08])), 'a data descriptor');
    const round = await readZipEntry(zip, 'スタイルシート1.xsl', LIMITS);
    assert.ok(round.ok && round.bytes.toString() === '<xsl/>');
  });
});

void describe('readZipEntry on hostile uploads', () => {
  void it('refuses what is not a ZIP, a truncated ZIP, a bomb, a duplicate, an encrypted entry, too many entries; finds nothing it was not asked for', async () => {
    const good = craftZip([{ name: 'a.xml', data: '<a/>' }]);
    const cases: Array<[Buffer, string, string, number?]> = [
      [Buffer.from('plain text'), 'a.xml', 'NOT_ZIP'],
      [Buffer.alloc(0), 'a.xml', 'NOT_ZIP'],
      [good.subarray(0, good.length - 10), 'a.xml', 'NOT_ZIP'],
      [craftZip([{ name: 'b.xml', data: Buffer.alloc(2 * 1024 * 1024), uncompressedSizeOverride: 100 }]), 'b.xml', 'NOT_ZIP'],
      [craftZip([{ name: 'b.xml', data: Buffer.alloc(2 * 1024 * 1024) }]), 'b.xml', 'TOO_LARGE'],
      [craftZip([{ name: 'a.xml', data: '1' }, { name: 'a.xml', data: '2' }]), 'a.xml', 'DUPLICATE'],
      [craftZip([{ name: 'a.xml', data: '1', flags: 0x1 }]), 'a.xml', 'ENCRYPTED'],
      [craftZip(Array.from({ length: 11 }, (_, i) => ({ name: `${i}.xml`, data: 'x' }))), '0.xml', 'TOO_MANY_ENTRIES'],
      [good, 'A.XML', 'MISSING'],
      [good, '../a.xml', 'MISSING'],
    ];
    for (const [zip, name, problem] of cases) {
      const r = await readZipEntry(zip, name, LIMITS);
      assert.equal(r.ok ? 'ok' : r.problem, problem, `${problem} for ${name}`);
    }
  });

  void it('reads a CP932 name as e-Gov writes it, and a UTF-8-flagged one', async () => {
    const zip = craftZip([
      { name: encodeCp932('公文書.xml'), flags: 0, data: 'cp932' },
      { name: '添付.xml', data: 'utf8' },
    ]);
    const a = await readZipEntry(zip, '公文書.xml', LIMITS);
    const b = await readZipEntry(zip, '添付.xml', LIMITS);
    assert.ok(a.ok && a.bytes.toString() === 'cp932');
    assert.ok(b.ok && b.bytes.toString() === 'utf8');
  });
});

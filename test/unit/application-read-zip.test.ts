// Unit: reading 申請データ from a ZIP (src/main/application/read-zip.ts). The real accepted batch reads
// and checks clean; every hostile or broken ZIP is refused — as a report entry for one bad entry,
// as a typed ApplicationError for a ZIP that cannot be read safely — before anything is used.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkApplicationData } from '../../src/main/application/check.js';
import { isApplicationError } from '../../src/main/application/errors.js';
import { readApplicationZip, readApplicationZipBuffer } from '../../src/main/application/read-zip.js';
import type { ApplicationData } from '../../src/main/application/model.js';
import { craftZip, encodeCp932, type CraftEntry } from '../support/zip-craft.js';
import { egovDir } from '../support/paths.js';

const samples = join(egovDir, 'samples');
const sample = (name: string) => readFileSync(join(samples, name));
const FOLDER = '900A010200001000(1)';

/** A valid application: the accepted sample kousei.xml, its 申請書 and tenpu.txt. */
function validEntries(folder = FOLDER): CraftEntry[] {
  return [
    { name: `${folder}/` },
    { name: `${folder}/kousei.xml`, data: sample('900A010200001000_base_kousei.xml') },
    { name: `${folder}/900A01020000100001_01.xml`, data: sample('900A01020000100001_01.xml') },
    { name: `${folder}/tenpu.txt`, data: sample('tenpu.txt') },
  ];
}

const codes = (data: ApplicationData) => data.problems.map((p) => p.code);

async function rejects(zip: Buffer, code: string, limits = {}): Promise<void> {
  await assert.rejects(readApplicationZipBuffer(zip, limits), (e: unknown) => {
    assert.ok(isApplicationError(e), `expected ApplicationError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.messageJa, /。/);
    return true;
  });
}

void describe('readApplicationZip: the accepted fixture', () => {
  void it('reads samples/bulk_apply_for_api.zip into one application and checks it clean', async () => {
    const data = await readApplicationZip(join(samples, 'bulk_apply_for_api.zip'));
    assert.deepEqual(data.problems, []);
    assert.equal(data.applications.length, 1);
    const app = data.applications[0]!;
    assert.equal(app.folderName, FOLDER);
    assert.equal(app.procedureId, '900A010200001000');
    assert.equal(app.sequence, 1);
    assert.equal(app.kousei?.size, 8087);
    assert.deepEqual(
      app.files.map((f) => [f.name, f.size]),
      [
        ['900A01020000100001_01.xml', 3717],
        ['tenpu.txt', 8],
      ],
    );
    assert.equal((await app.files[1]!.read()).toString('utf8'), 'hogehoge');
    const report = checkApplicationData(data);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
  });

  void it('reads the same batch from a crafted ZIP without a directory entry', async () => {
    const data = await readApplicationZipBuffer(craftZip(validEntries().slice(1)));
    assert.deepEqual(codes(data), []);
    assert.equal(checkApplicationData(data).ok, true);
  });
});

void describe('readApplicationZip: entry names', () => {
  void it('decodes a CP932 name without the UTF-8 flag, and a UTF-8 name with it', async () => {
    const zip = craftZip([
      ...validEntries(),
      { name: Buffer.concat([Buffer.from(`${FOLDER}/`), encodeCp932('添付書類①.txt')]), data: 'a', flags: 0 },
      { name: `${FOLDER}/別紙.txt`, data: 'b' }, // string names with non-ASCII get flag 0x800
    ]);
    const data = await readApplicationZipBuffer(zip);
    assert.deepEqual(codes(data), []);
    const names = data.applications[0]!.files.map((f) => f.name);
    assert.ok(names.includes('添付書類①.txt'), names.join(','));
    assert.ok(names.includes('別紙.txt'));
    // Both are present but not listed in kousei.xml: warnings, never dropped.
    const unlisted = checkApplicationData(data).problems.filter((p) => p.code === 'FILE_UNLISTED');
    assert.deepEqual(unlisted.map((p) => p.file).sort(), ['別紙.txt', '添付書類①.txt'].sort());
  });

  void it('reports a name that is not valid in its declared encoding', async () => {
    const data = await readApplicationZipBuffer(craftZip([...validEntries(), { name: Buffer.from([0x41, 0x2f, 0xff, 0xfe]), data: 'x', flags: 0x800 }]));
    assert.deepEqual(codes(data), ['ZIP_ENTRY_NAME_ENCODING']);
  });

  for (const [label, name] of [
    ['../', `${FOLDER}/../../evil.txt`],
    ['absolute', '/etc/passwd'],
    ['backslash', `${FOLDER}\\..\\evil.txt`],
    ['drive letter', 'C:/Windows/evil.txt'],
    ['control character', `${FOLDER}/a\u0001.txt`],
    ['empty segment', `${FOLDER}//a.txt`],
  ] as const) {
    void it(`refuses a ${label} entry and does not extract it`, async () => {
      const data = await readApplicationZipBuffer(craftZip([...validEntries(), { name, data: 'pwned' }]));
      assert.deepEqual(codes(data), ['ZIP_ENTRY_UNSAFE_NAME']);
      assert.equal(data.problems[0]!.severity, 'error');
      assert.equal(data.problems[0]!.file, name);
      const all = data.applications.flatMap((a) => a.files.map((f) => f.name));
      assert.ok(!all.some((n) => n.includes('evil') || n.includes('passwd')));
      assert.equal(checkApplicationData(data).ok, false);
    });
  }

  void it('refuses a symlink entry (Unix mode in the external attributes)', async () => {
    const data = await readApplicationZipBuffer(craftZip([...validEntries(), { name: `${FOLDER}/link.txt`, data: '/etc/passwd', unixMode: 0o120777 }]));
    assert.deepEqual(codes(data), ['ZIP_ENTRY_SYMLINK']);
    assert.ok(!data.applications[0]!.files.some((f) => f.name === 'link.txt'));
  });

  void it('refuses a special file entry (FIFO)', async () => {
    const data = await readApplicationZipBuffer(craftZip([...validEntries(), { name: `${FOLDER}/fifo`, data: '', unixMode: 0o010644 }]));
    assert.deepEqual(codes(data), ['ZIP_ENTRY_SPECIAL']);
  });

  void it('refuses duplicate names, exact, case-folded and after NFC', async () => {
    const data = await readApplicationZipBuffer(
      craftZip([
        ...validEntries(),
        { name: `${FOLDER}/tenpu.txt`, data: 'second' },
        { name: `${FOLDER}/TENPU.TXT`, data: 'third' },
        { name: `${FOLDER}/が.txt`, data: 'composed' },
        { name: `${FOLDER}/か\u3099.txt`, data: 'decomposed' },
        { name: '900a010200001000(1)/kousei.xml', data: 'other folder case' },
      ]),
    );
    assert.deepEqual(codes(data), ['ZIP_ENTRY_DUPLICATE', 'ZIP_ENTRY_DUPLICATE', 'ZIP_ENTRY_DUPLICATE', 'ZIP_ENTRY_DUPLICATE']);
    const tenpu = data.applications[0]!.files.find((f) => f.name === 'tenpu.txt')!;
    assert.equal(tenpu.bytes?.toString(), 'hogehoge', 'the first copy is kept, later ones are not extracted');
  });

  void it('refuses entries nested deeper than {folder}/{file}, and files at the root', async () => {
    const data = await readApplicationZipBuffer(
      craftZip([...validEntries(), { name: `${FOLDER}/sub/`, data: '' }, { name: `${FOLDER}/sub/a.txt`, data: 'a' }, { name: 'batch/x/kousei.xml', data: 'x' }, { name: 'readme.txt', data: 'r' }]),
    );
    assert.deepEqual(codes(data), ['ZIP_ENTRY_TOO_DEEP', 'ZIP_ENTRY_TOO_DEEP', 'ZIP_ENTRY_TOO_DEEP', 'ZIP_ENTRY_OUTSIDE_FOLDER']);
    assert.equal(data.applications.length, 1);
  });

  void it('refuses an encrypted entry (flag bit 0) without inflating it', async () => {
    const data = await readApplicationZipBuffer(craftZip([...validEntries(), { name: `${FOLDER}/secret.pdf`, data: 'ciphertext', flags: 0x1, method: 8 }]));
    assert.deepEqual(codes(data), ['ZIP_ENTRY_ENCRYPTED']);
    assert.match(data.problems[0]!.messageJa, /暗号化/);
  });

  void it('refuses an unsupported compression method', async () => {
    const data = await readApplicationZipBuffer(craftZip([...validEntries(), { name: `${FOLDER}/a.bz2`, data: 'x', method: 12 }]));
    assert.deepEqual(codes(data), ['ZIP_ENTRY_UNSUPPORTED_METHOD']);
  });
});

void describe('readApplicationZip: bombs, limits and corruption', () => {
  void it('stops a high-ratio entry while inflating (ratio limit)', async () => {
    const zip = craftZip([...validEntries(), { name: `${FOLDER}/zeros.txt`, data: Buffer.alloc(4 * 1024 * 1024) }]);
    assert.ok(zip.length < 100_000);
    await rejects(zip, 'APPLICATION_ZIP_BOMB');
  });

  void it('stops an entry that inflates past the size its header declares (the header is not trusted)', async () => {
    const zip = craftZip([...validEntries(), { name: `${FOLDER}/big.bin`, data: Buffer.alloc(300_000, 7), uncompressedSizeOverride: 10 }]);
    await rejects(zip, 'APPLICATION_ZIP_CORRUPT', { maxEntryBytes: 100_000, ratioFloorBytes: 10_000_000 });
  });

  void it('refuses an entry whose header declares more than the per-entry limit', async () => {
    await rejects(craftZip([...validEntries(), { name: `${FOLDER}/big.bin`, data: Buffer.alloc(200_000, 1) }]), 'APPLICATION_ZIP_BOMB', { maxEntryBytes: 100_000 });
  });

  void it('stops when all entries together pass the total limit', async () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ name: `${FOLDER}/part${i}.bin`, data: Buffer.alloc(50_000, i) }));
    await rejects(craftZip([...validEntries(), ...many]), 'APPLICATION_ZIP_BOMB', { maxTotalBytes: 200_000 });
  });

  void it('refuses too many entries before reading any', async () => {
    await rejects(craftZip(validEntries()), 'APPLICATION_ZIP_TOO_LARGE', { maxEntries: 3 });
  });

  void it('refuses a ZIP file over the size limit', async () => {
    await rejects(craftZip(validEntries()), 'APPLICATION_ZIP_TOO_LARGE', { maxZipBytes: 1000 });
  });

  void it('refuses a truncated ZIP (the fixture cut in half)', async () => {
    const whole = sample('bulk_apply_for_api.zip');
    await rejects(whole.subarray(0, Math.floor(whole.length / 2)), 'APPLICATION_ZIP_CORRUPT');
  });

  void it('refuses bytes that are not a ZIP', async () => {
    await rejects(Buffer.from('<?xml version="1.0"?><DataRoot/>'), 'APPLICATION_ZIP_CORRUPT');
  });

  void it('refuses an entry whose CRC does not match', async () => {
    await rejects(craftZip([...validEntries(), { name: `${FOLDER}/x.txt`, data: 'abc', crcOverride: 1234 }]), 'APPLICATION_ZIP_CORRUPT');
  });

  void it('refuses a ZIP whose middle is damaged', async () => {
    const zip = craftZip(validEntries());
    const broken = Buffer.from(zip);
    broken.fill(0, 200, 400);
    await rejects(broken, 'APPLICATION_ZIP_CORRUPT');
  });

  void it('reports an unreadable path as a typed error', async () => {
    await assert.rejects(readApplicationZip(join(samples, 'no-such.zip')), (e: unknown) => isApplicationError(e, 'APPLICATION_PATH_UNREADABLE'));
  });
});

void describe('readApplicationZip + checkApplicationData: malformed applications inside a ZIP', () => {
  const check = async (entries: CraftEntry[], limits = {}) => checkApplicationData(await readApplicationZipBuffer(craftZip(entries)), limits);
  const withKousei = (data: string | Buffer) => validEntries().map((e) => (e.name === `${FOLDER}/kousei.xml` ? { ...e, data } : e));

  void it('kousei.xml that is not XML', async () => {
    const report = await check(withKousei('申請データ: not xml at all'));
    assert.deepEqual(report.problems.map((p) => [p.code, p.folder, p.file]), [['XML_MALFORMED', FOLDER, 'kousei.xml']]);
  });

  void it('kousei.xml with a DOCTYPE (billion laughs shape)', async () => {
    const report = await check(withKousei('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><DataRoot>&b;</DataRoot>'));
    assert.deepEqual(report.problems.map((p) => p.code), ['XML_DOCTYPE']);
  });

  void it('a 申請書 missing and an unlisted file', async () => {
    const entries = validEntries().filter((e) => e.name !== `${FOLDER}/900A01020000100001_01.xml`);
    const report = await check([...entries, { name: `${FOLDER}/memo.txt`, data: 'memo' }]);
    assert.deepEqual(report.problems.map((p) => [p.code, p.severity, p.file]), [
      ['FORM_MISSING', 'error', '900A01020000100001_01.xml'],
      ['FILE_UNLISTED', 'warning', 'memo.txt'],
    ]);
  });

  void it('a batch over the size limit', async () => {
    const two = [...validEntries(), ...validEntries('900A010200001000(2)')];
    const report = await check(two, { maxBatchBytes: 15_000 });
    assert.deepEqual(report.problems.map((p) => p.code), ['BATCH_TOO_LARGE']);
    assert.match(report.problems[0]!.messageJa, /複数回に分けて/);
  });
});

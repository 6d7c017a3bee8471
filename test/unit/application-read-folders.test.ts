// Unit: reading 申請データ from folders (src/main/application/read-folders.ts), built in a temp dir
// from the accepted sample kousei.xml and 申請書 files. Symlinks are reported and never followed;
// subfolders and loose files are reported, never silently dropped; nothing is read until the check
// or signing asks, and a file that changed after it was listed is refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkApplicationData, checkApplicationDataInSteps } from '../../src/main/application/check.js';
import { isApplicationError } from '../../src/main/application/errors.js';
import { readApplicationFolders } from '../../src/main/application/read-folders.js';
import { egovDir } from '../support/paths.js';
import { scratchHome } from '../support/home.js';

const samples = join(egovDir, 'samples');
const posix = process.platform !== 'win32';

/** An application folder as a filer keeps it: kousei.xml, its 申請書 and tenpu.txt. */
function makeApplicationFolder(parent: string, name = '900A010200001000(1)'): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(samples, '900A010200001000_base_kousei.xml'), join(dir, 'kousei.xml'));
  copyFileSync(join(samples, '900A01020000100001_01.xml'), join(dir, '900A01020000100001_01.xml'));
  copyFileSync(join(samples, 'tenpu.txt'), join(dir, 'tenpu.txt'));
  return dir;
}

/** A second procedure with no attachment, as a bare `{手続ID}` folder. */
function makeBareFolder(parent: string): string {
  const dir = join(parent, '900A010002008000');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(samples, '900A010002008000_base_kousei.xml'), join(dir, 'kousei.xml'));
  copyFileSync(join(samples, '900A01000200800001_01.xml'), join(dir, '900A01000200800001_01.xml'));
  return dir;
}

void describe('readApplicationFolders', () => {
  void it('reads one application folder: names and sizes only; the check reads the XML and keeps its hash, not its bytes', async () => {
    const dir = makeApplicationFolder(scratchHome('todoke-app-'));
    const data = await readApplicationFolders([dir]);
    assert.deepEqual(data.problems, []);
    assert.equal(data.applications.length, 1);
    const app = data.applications[0]!;
    assert.equal(app.folderName, '900A010200001000(1)');
    assert.equal(app.procedureId, '900A010200001000');
    const kousei = app.kousei!;
    const form = app.files.find((f) => f.name === '900A01020000100001_01.xml')!;
    const tenpu = app.files.find((f) => f.name === 'tenpu.txt')!;
    assert.equal(form.size, 3717);
    assert.equal(tenpu.size, 8);
    for (const f of [kousei, form, tenpu]) assert.equal(f.bytes, undefined, `${f.name} is not in memory`);
    const report = await checkApplicationDataInSteps(data);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    for (const f of [kousei, form]) {
      assert.equal(f.bytes, undefined, `${f.name} is not kept after the check`);
      assert.equal(f.checkedSha256, createHash('sha256').update(readFileSync(join(dir, f.name))).digest('hex'));
    }
    assert.equal(tenpu.checkedSha256, undefined, 'an attachment is not read by the check');
    assert.equal((await tenpu.read()).toString(), 'hogehoge');
  });

  void it('reads a folder holding several applications (numbered and bare), in name order', async () => {
    const batch = scratchHome('todoke-batch-');
    makeApplicationFolder(batch, '900A010200001000(1)');
    makeApplicationFolder(batch, '900A010200001000(2)');
    makeBareFolder(batch);
    const data = await readApplicationFolders([batch]);
    assert.deepEqual(
      data.applications.map((a) => [a.folderName, a.procedureId, a.sequence]),
      [
        ['900A010002008000', '900A010002008000', null],
        ['900A010200001000(1)', '900A010200001000', 1],
        ['900A010200001000(2)', '900A010200001000', 2],
      ],
    );
    assert.equal((await checkApplicationDataInSteps(data)).ok, true);
  });

  void it('reports a loose file beside application folders as a warning', async () => {
    const batch = scratchHome('todoke-batch-');
    makeApplicationFolder(batch);
    writeFileSync(join(batch, 'memo.txt'), 'note');
    const data = await readApplicationFolders([batch]);
    assert.deepEqual(
      data.problems.map((p) => [p.code, p.severity, p.file]),
      [['FOLDER_LOOSE_FILE', 'warning', 'memo.txt']],
    );
    assert.equal((await checkApplicationDataInSteps(data)).ok, true);
  });

  void it('reports a subfolder inside an application folder as an error', async () => {
    const dir = makeApplicationFolder(scratchHome('todoke-app-'));
    mkdirSync(join(dir, 'extra'));
    const data = await readApplicationFolders([dir]);
    assert.deepEqual(
      data.problems.map((p) => p.code),
      ['FOLDER_NESTED'],
    );
    assert.equal((await checkApplicationDataInSteps(data)).ok, false);
  });

  void it('refuses symlinks inside an application folder, pointing in or out, without following them', { skip: !posix }, async () => {
    const root = scratchHome('todoke-app-');
    const dir = makeApplicationFolder(root);
    writeFileSync(join(root, 'secret.txt'), 'outside');
    symlinkSync(join(root, 'secret.txt'), join(dir, 'out.txt'));
    symlinkSync('tenpu.txt', join(dir, 'in.txt'));
    const data = await readApplicationFolders([dir]);
    assert.deepEqual(data.problems.map((p) => [p.code, p.file]).sort(), [
      ['FOLDER_SYMLINK', 'in.txt'],
      ['FOLDER_SYMLINK', 'out.txt'],
    ]);
    const names = data.applications[0]!.files.map((f) => f.name);
    assert.ok(!names.includes('out.txt') && !names.includes('in.txt'));
    const report = await checkApplicationDataInSteps(data);
    assert.equal(report.ok, false);
    assert.match(report.problems[0]!.messageJa, /シンボリックリンク/);
  });

  void it('refuses a symlinked kousei.xml (reported, and the application has no kousei)', { skip: !posix }, async () => {
    const root = scratchHome('todoke-app-');
    const dir = join(root, '900A010200001000(1)');
    mkdirSync(dir);
    copyFileSync(join(samples, '900A010200001000_base_kousei.xml'), join(root, 'real-kousei.xml'));
    symlinkSync(join(root, 'real-kousei.xml'), join(dir, 'kousei.xml'));
    const data = await readApplicationFolders([dir]);
    assert.equal(data.applications[0]!.kousei, null);
    const codes = (await checkApplicationDataInSteps(data)).problems.map((p) => p.code);
    assert.ok(codes.includes('FOLDER_SYMLINK') && codes.includes('KOUSEI_MISSING'), codes.join(','));
  });

  void it('refuses a symlinked application folder and a symlink in a batch folder', { skip: !posix }, async () => {
    const root = scratchHome('todoke-app-');
    const real = makeApplicationFolder(root, 'elsewhere');
    const batch = join(root, 'batch');
    mkdirSync(batch);
    symlinkSync(real, join(batch, '900A010200001000(1)'));
    const data = await readApplicationFolders([batch, join(batch, '900A010200001000(1)')]);
    assert.deepEqual(
      data.problems.map((p) => p.code),
      ['FOLDER_SYMLINK', 'FOLDER_SYMLINK'],
    );
    assert.equal(data.applications.length, 0);
    assert.ok(checkApplicationData(data).problems.some((p) => p.code === 'BATCH_EMPTY'), 'no application: nothing to read, the pure check can judge it');
  });

  void it('never reads an oversized XML; the check reports its size', async () => {
    const dir = makeApplicationFolder(scratchHome('todoke-app-'));
    const data = await readApplicationFolders([dir]);
    const kousei = data.applications[0]!.kousei!;
    assert.equal(kousei.size, statSync(join(dir, 'kousei.xml')).size);
    let reads = 0;
    const read = kousei.read;
    kousei.read = () => {
      reads++;
      return read();
    };
    const report = await checkApplicationDataInSteps(data, { maxXmlBytes: 4000 });
    assert.deepEqual(
      report.problems.map((p) => [p.code, p.file]),
      [['FILE_TOO_LARGE', 'kousei.xml']],
    );
    assert.equal(reads, 0);
    assert.equal(kousei.checkedSha256, undefined);
  });

  void it('the pure check refuses folder data it would have to read (it never judges a file unseen)', async () => {
    const data = await readApplicationFolders([makeApplicationFolder(scratchHome('todoke-app-'))]);
    assert.throws(() => checkApplicationData(data), /not in memory/);
  });

  void it('refuses a file rewritten with another length after it was listed (typed error)', async () => {
    const dir = makeApplicationFolder(scratchHome('todoke-app-'));
    const data = await readApplicationFolders([dir]);
    writeFileSync(join(dir, 'kousei.xml'), readFileSync(join(dir, 'kousei.xml'), 'utf8') + '<!-- more -->');
    await assert.rejects(checkApplicationDataInSteps(data), (e: unknown) => isApplicationError(e, 'APPLICATION_PATH_UNREADABLE') && /changed after it was listed/.test(String((e as Error).cause)));
  });

  void it('a large attachment (read without blocking) is read when asked, and refused once it changed length', async () => {
    const dir = makeApplicationFolder(scratchHome('todoke-app-'));
    const big = Buffer.alloc(300 * 1024, 0x41);
    writeFileSync(join(dir, 'tenpu.pdf'), big);
    const data = await readApplicationFolders([dir]);
    const pdf = data.applications[0]!.files.find((f) => f.name === 'tenpu.pdf')!;
    assert.equal(pdf.size, big.length);
    assert.ok((await pdf.read()).equals(big));
    writeFileSync(join(dir, 'tenpu.pdf'), Buffer.concat([big, Buffer.from('more')]));
    await assert.rejects(pdf.read(), (e: unknown) => isApplicationError(e, 'APPLICATION_PATH_UNREADABLE'));
    rmSync(join(dir, 'tenpu.pdf'));
    await assert.rejects(pdf.read(), (e: unknown) => isApplicationError(e, 'APPLICATION_PATH_UNREADABLE'));
  });

  void it('a file that vanished between listing and the check is a typed error, not a crash', async () => {
    const dir = makeApplicationFolder(scratchHome('todoke-app-'));
    const data = await readApplicationFolders([dir]);
    rmSync(join(dir, '900A01020000100001_01.xml'));
    await assert.rejects(checkApplicationDataInSteps(data), (e: unknown) => isApplicationError(e, 'APPLICATION_PATH_UNREADABLE'));
  });

  void it('throws a typed error for a missing path or a plain file', async () => {
    const root = scratchHome('todoke-app-');
    await assert.rejects(readApplicationFolders([join(root, 'nope')]), (e: unknown) => isApplicationError(e, 'APPLICATION_PATH_UNREADABLE'));
    writeFileSync(join(root, 'file.txt'), 'x');
    await assert.rejects(readApplicationFolders([join(root, 'file.txt')]), (e: unknown) => isApplicationError(e, 'APPLICATION_PATH_INVALID'));
  });
});

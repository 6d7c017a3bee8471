// Unit: reading 申請データ from folders (src/main/application/read-folders.ts), built in a temp dir
// from the accepted sample kousei.xml and 申請書 files. Symlinks are reported and never followed;
// subfolders and loose files are reported, never silently dropped; attachments are read lazily.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkApplicationData } from '../../src/main/application/check.js';
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
  void it('reads one application folder: sizes, XML loaded, attachments lazy; checks clean', async () => {
    const dir = makeApplicationFolder(scratchHome('todoke-app-'));
    const data = await readApplicationFolders([dir]);
    assert.deepEqual(data.problems, []);
    assert.equal(data.applications.length, 1);
    const app = data.applications[0]!;
    assert.equal(app.folderName, '900A010200001000(1)');
    assert.equal(app.procedureId, '900A010200001000');
    assert.ok(app.kousei?.bytes);
    const form = app.files.find((f) => f.name === '900A01020000100001_01.xml')!;
    assert.equal(form.bytes?.length, 3717);
    const tenpu = app.files.find((f) => f.name === 'tenpu.txt')!;
    assert.equal(tenpu.size, 8);
    assert.equal(tenpu.bytes, undefined, 'attachments are not loaded until read');
    assert.equal((await tenpu.read()).toString(), 'hogehoge');
    const report = checkApplicationData(data);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
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
    assert.equal(checkApplicationData(data).ok, true);
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
    assert.equal(checkApplicationData(data).ok, true);
  });

  void it('reports a subfolder inside an application folder as an error', async () => {
    const dir = makeApplicationFolder(scratchHome('todoke-app-'));
    mkdirSync(join(dir, 'extra'));
    const data = await readApplicationFolders([dir]);
    assert.deepEqual(
      data.problems.map((p) => p.code),
      ['FOLDER_NESTED'],
    );
    assert.equal(checkApplicationData(data).ok, false);
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
    const report = checkApplicationData(data);
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
    const codes = checkApplicationData(data).problems.map((p) => p.code);
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
    assert.ok(checkApplicationData(data).problems.some((p) => p.code === 'BATCH_EMPTY'));
  });

  void it('loads an oversized XML lazily and the check reports its size', async () => {
    const dir = makeApplicationFolder(scratchHome('todoke-app-'));
    const data = await readApplicationFolders([dir], { maxXmlBytes: 4000 });
    const kousei = data.applications[0]!.kousei!;
    assert.equal(kousei.bytes, undefined);
    assert.equal(kousei.size, statSync(join(dir, 'kousei.xml')).size);
    const report = checkApplicationData(data, { maxXmlBytes: 4000 });
    assert.deepEqual(
      report.problems.map((p) => [p.code, p.file]),
      [['FILE_TOO_LARGE', 'kousei.xml']],
    );
  });

  void it('throws a typed error for a missing path or a plain file', async () => {
    const root = scratchHome('todoke-app-');
    await assert.rejects(readApplicationFolders([join(root, 'nope')]), (e: unknown) => isApplicationError(e, 'APPLICATION_PATH_UNREADABLE'));
    writeFileSync(join(root, 'file.txt'), 'x');
    await assert.rejects(readApplicationFolders([join(root, 'file.txt')]), (e: unknown) => isApplicationError(e, 'APPLICATION_PATH_INVALID'));
  });
});

// Unit: `--out DIR` / `--html FILE` writing. Every target is judged before the first write, so a
// refusal leaves the folder as it was; the same bytes are left alone, other bytes replaced only with
// force; a folder, a file where the folder should be, a symbolic link and hostile names from a ZIP
// are handled without writing outside DIR.
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeFileOut, writeFilesInto } from '../../src/main/cli/write-out.js';
import { exportNames } from '../../src/main/documents/exports.js';
import { NoticeError } from '../../src/main/documents/notice-errors.js';
import { scratchHome } from '../support/home.js';

const files = [
  { name: '0000-SBX-001.xml', bytes: Buffer.from('<DOC/>') },
  { name: 'スタイルシート1.xsl', bytes: Buffer.from('<xsl/>') },
];
const refused = (code: string, message?: RegExp) => (e: unknown) => e instanceof NoticeError && e.code === code && (!message || message.test(e.messageJa));

void describe('writing a notice out', () => {
  void it('makes the folder, writes owner-only files; the same bytes again are left unchanged', async () => {
    const dir = join(scratchHome('todoke-out-'), 'a', 'b');
    const first = await writeFilesInto(dir, files, false);
    assert.deepEqual(first.map((f) => f.state), ['written', 'written']);
    assert.equal(readFileSync(join(dir, 'スタイルシート1.xsl'), 'utf8'), '<xsl/>');
    assert.equal(statSync(join(dir, '0000-SBX-001.xml')).mode & 0o777, 0o600);
    const again = await writeFilesInto(dir, files, false);
    assert.deepEqual(again.map((f) => f.state), ['unchanged', 'unchanged']);
  });

  void it('a different file (also a truncated copy, or one of the same size) stops everything without force; force replaces', async () => {
    const dir = scratchHome('todoke-out-');
    writeFileSync(join(dir, '0000-SBX-001.xml'), '<DOC');
    await assert.rejects(writeFilesInto(dir, files, false), refused('NOTICE_OUT_EXISTS', /--force/));
    assert.deepEqual(readdirSync(dir), ['0000-SBX-001.xml'], 'nothing else was written');
    writeFileSync(join(dir, '0000-SBX-001.xml'), '<DOX/>');
    await assert.rejects(writeFilesInto(dir, files, false), refused('NOTICE_OUT_EXISTS'));
    assert.equal(readFileSync(join(dir, '0000-SBX-001.xml'), 'utf8'), '<DOX/>');
    const forced = await writeFilesInto(dir, files, true);
    assert.deepEqual(forced.map((f) => f.state), ['replaced', 'written']);
    assert.equal(readFileSync(join(dir, '0000-SBX-001.xml'), 'utf8'), '<DOC/>');
  });

  void it('a large file is compared by its bytes', async () => {
    const dir = scratchHome('todoke-out-');
    const big = Buffer.alloc(8 * 1024 * 1024, 0x41);
    await writeFilesInto(dir, [{ name: 'big.pdf', bytes: big }], false);
    assert.deepEqual((await writeFilesInto(dir, [{ name: 'big.pdf', bytes: big }], false)).map((f) => f.state), ['unchanged']);
    const other = Buffer.from(big);
    other[other.length - 1] = 0x42;
    await assert.rejects(writeFilesInto(dir, [{ name: 'big.pdf', bytes: other }], false), refused('NOTICE_OUT_EXISTS'));
  });

  void it('a file given as the folder, or on the way to it, is refused clearly', async () => {
    const home = scratchHome('todoke-out-');
    const file = join(home, 'plain');
    writeFileSync(file, 'x');
    await assert.rejects(writeFilesInto(file, files, true), refused('NOTICE_OUT_NOT_A_FOLDER', /フォルダーではありません/));
    await assert.rejects(writeFilesInto(join(file, 'below'), files, true), refused('NOTICE_OUT_NOT_A_FOLDER'));
    assert.equal(readFileSync(file, 'utf8'), 'x');
  });

  void it('a folder name too long for the OS is refused with a short message, nothing written', async () => {
    const home = scratchHome('todoke-out-');
    await assert.rejects(writeFilesInto(join(home, 'x'.repeat(5000)), files, true), (e: unknown) => e instanceof NoticeError && e.code === 'NOTICE_OUT_IO' && e.messageJa.length < 600);
    assert.deepEqual(readdirSync(home), []);
  });

  void it('a folder where a file goes is never replaced, even with force', async () => {
    const dir = scratchHome('todoke-out-');
    mkdirSync(join(dir, 'スタイルシート1.xsl'));
    await assert.rejects(writeFilesInto(dir, files, true), refused('NOTICE_OUT_EXISTS', /ファイルではないもの/));
    assert.deepEqual(readdirSync(dir), ['スタイルシート1.xsl']);
  });

  void it('a symbolic link in the way is not followed: refused without force, replaced as a link with it', async () => {
    const home = scratchHome('todoke-out-');
    const outside = join(home, 'outside.txt');
    writeFileSync(outside, 'keep me');
    const dir = join(home, 'out');
    mkdirSync(dir);
    symlinkSync(outside, join(dir, '0000-SBX-001.xml'));
    await assert.rejects(writeFilesInto(dir, files, false), refused('NOTICE_OUT_EXISTS'));
    assert.equal(readlinkSync(join(dir, '0000-SBX-001.xml')), outside);
    await writeFilesInto(dir, files, true);
    assert.equal(readFileSync(outside, 'utf8'), 'keep me');
    assert.ok(lstatSync(join(dir, '0000-SBX-001.xml')).isFile());
  });

  void it('hostile names from a ZIP stay inside the folder, each a file of its own', async () => {
    const home = scratchHome('todoke-out-');
    const dir = join(home, 'out');
    const hostile = ['../escape.xml', '..', 'CON', 'a/b\\c.xml', 'A.xml', 'a.xml', '\u202eevil.xml', 'x'.repeat(5000)];
    const out = await writeFilesInto(dir, hostile.map((name, i) => ({ name, bytes: Buffer.from(String(i)) })), false);
    assert.equal(out.length, hostile.length);
    assert.deepEqual(readdirSync(home), ['out']);
    assert.equal(new Set(out.map((f) => f.path.toLowerCase())).size, hostile.length);
    for (const f of out) assert.equal(join(f.path, '..'), dir);
    assert.deepEqual(out.map((f) => f.name), hostile, 'the vault names are reported as they came');
  });

  void it('exportNames: safe, never empty, kept apart when they clash', () => {
    assert.deepEqual(exportNames(['A.xml', 'a.xml', 'a.xml', '../x', '']), ['A.xml', '2_a.xml', '3_a.xml', '.._x', 'file']);
  });

  void it('--html: one file under the same rule', async () => {
    const home = scratchHome('todoke-out-');
    const path = join(home, 'page.html');
    assert.equal((await writeFileOut(path, 'doc.xml', Buffer.from('<html/>'), false, '--html')).state, 'written');
    writeFileSync(path, 'mine');
    await assert.rejects(writeFileOut(path, 'doc.xml', Buffer.from('<html/>'), false, '--html'), refused('NOTICE_OUT_EXISTS', /--html に別の場所/));
    assert.equal((await writeFileOut(path, 'doc.xml', Buffer.from('<html/>'), true, '--html')).state, 'replaced');
    await assert.rejects(writeFileOut(home, 'doc.xml', Buffer.from('<html/>'), true, '--html'), refused('NOTICE_OUT_EXISTS', /ファイルではないもの/));
  });
});

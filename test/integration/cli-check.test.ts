// `todoke check DIR|ZIP...`: 申請データ checked without a signer, a profile or the network.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readApplicationZip } from '../../src/main/application/read-zip.js';
import { cli, cliProcess } from '../support/cli.js';
import { egovDir } from '../support/paths.js';
import { craftZip } from '../support/zip-craft.js';

const sampleZip = join(egovDir, 'samples', 'bulk_apply_for_api.zip');
const FOLDER = '900A010200001000(1)';
const FORM = '900A01020000100001_01.xml';
const work = mkdtempSync(join(tmpdir(), 'todoke-cli-check-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The sample ZIP's files, by name inside its one application folder. */
let sample: Map<string, Buffer>;
before(async () => {
  const data = await readApplicationZip(sampleZip);
  const app = data.applications[0]!;
  sample = new Map(await Promise.all([app.kousei!, ...app.files].map(async (f) => [f.name, await f.read()] as const)));
});

/** A fresh copy of the sample application under `parent/name`; returns the application folder. */
function appFolder(parent: string, name = FOLDER): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, bytes] of sample) writeFileSync(join(dir, file), bytes);
  return dir;
}

let n = 0;
function fresh(): string {
  const dir = join(work, `case-${++n}`);
  mkdirSync(dir);
  return dir;
}

interface JsonReport {
  ok: boolean;
  source: { kind: string; paths: string[] };
  applications: { folder: string; procedureId: string | null; files: string[] }[];
  problems: { severity: string; code: string; folder?: string; file?: string; line?: number; column?: number; messageJa: string; message: string }[];
  errors: number;
  warnings: number;
}

async function checkJson(argv: string[], cwd?: string): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const r = await cli(['check', ...argv, '--json'], cwd ? { cwd } : {});
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

describe('todoke check', () => {
  it('passes the e-Gov sample ZIP (exit 0, ok, one application)', async () => {
    const r = await cli(['check', sampleZip]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /900A010200001000\(1\)（手続ID 900A010200001000、ファイル 3 個）\n {2}問題はありません/);
    assert.match(r.stdout, /申請 1 件、エラー 0 件、警告 0 件\n問題は見つかりませんでした。\n$/);
    const j = await checkJson([sampleZip]);
    assert.equal(j.code, 0);
    assert.deepEqual(j.report, {
      ok: true,
      source: { kind: 'zip', paths: [sampleZip] },
      applications: [{ folder: FOLDER, procedureId: '900A010200001000', files: ['kousei.xml', FORM, 'tenpu.txt'] }],
      problems: [],
      errors: 0,
      warnings: 0,
    });
  });

  it('passes the same application as a folder, as a folder of folders, and as several folders together', async () => {
    const parent = fresh();
    const one = appFolder(parent);
    appFolder(parent, '900A010200001000(2)');
    const single = await checkJson([one]);
    assert.equal(single.code, 0, JSON.stringify(single.report));
    assert.equal(single.report.ok, true);
    assert.equal(single.report.source.kind, 'folders');
    const all = await checkJson([parent]);
    assert.equal(all.code, 0);
    assert.deepEqual(
      all.report.applications.map((a) => a.folder),
      [FOLDER, '900A010200001000(2)'],
    );
    // relative paths are read from the working directory
    const together = await checkJson([FOLDER, '900A010200001000(2)'], parent);
    assert.equal(together.code, 0);
    assert.equal(together.report.applications.length, 2);
  });

  it('reports a missing 申請書 as an error with its folder and file (exit 1)', async () => {
    const dir = appFolder(fresh());
    unlinkSync(join(dir, FORM));
    const r = await cli(['check', dir]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`${FOLDER.replace(/[()]/g, '\\$&')}（手続ID 900A010200001000、ファイル 2 個）\\n {2}エラー {2}${FORM} {2}kousei.xml に書かれた申請書「${FORM}」がフォルダーにありません`));
    assert.match(r.stdout, /申請 1 件、エラー 1 件、警告 0 件\nエラーを直してから/);
    const j = await checkJson([dir]);
    assert.equal(j.code, 1);
    assert.equal(j.report.ok, false);
    assert.equal(j.report.errors, 1);
    const missing = j.report.problems.find((p) => p.code === 'FORM_MISSING');
    assert.deepEqual(Object.keys(missing ?? {}), ['severity', 'code', 'folder', 'file', 'messageJa', 'message']);
    assert.equal(missing?.severity, 'error');
    assert.equal(missing?.folder, FOLDER);
    assert.equal(missing?.file, FORM);
  });

  it('warns about a file kousei.xml does not list, and still exits 0', async () => {
    const dir = appFolder(fresh());
    writeFileSync(join(dir, 'memo.txt'), 'not part of the filing');
    const r = await cli(['check', dir]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, / {2}警告 {2}memo\.txt {2}「memo\.txt」は kousei\.xml に書かれていない/);
    assert.match(r.stdout, /エラー 0 件、警告 1 件\nエラーはありません。/);
    assert.doesNotMatch(r.stdout, /エラーを直して/);
    const j = await checkJson([dir]);
    assert.equal(j.code, 0);
    assert.equal(j.report.ok, true);
    assert.deepEqual(
      j.report.problems.map((p) => [p.severity, p.code, p.folder, p.file]),
      [['warning', 'FILE_UNLISTED', FOLDER, 'memo.txt']],
    );
  });

  it('shows line:column for a character finding in a 申請書', async () => {
    const dir = appFolder(fresh());
    const text = sample.get(FORM)!.toString('utf8');
    const firstLineEnd = text.indexOf('\n');
    writeFileSync(join(dir, FORM), `${text.slice(0, firstLineEnd + 1)}<!-- ① -->${text.slice(firstLineEnd + 1)}`);
    const j = await checkJson([dir]);
    assert.equal(j.code, 0, JSON.stringify(j.report));
    const found = j.report.problems.find((p) => p.code === 'CHAR_PLATFORM_DEPENDENT');
    assert.equal(found?.line, 2);
    assert.equal(found?.column, 6);
    const r = await cli(['check', dir]);
    assert.match(r.stdout, new RegExp(` {2}警告 {2}${FORM} 2:6 {2}「${FORM}」に機種依存文字`));
  });

  it('applies --max-file-bytes to every file', async () => {
    const j = await checkJson([sampleZip, '--max-file-bytes', '4']);
    assert.equal(j.code, 1);
    assert.ok(j.report.problems.some((p) => p.code === 'FILE_TOO_LARGE' && p.file === 'tenpu.txt'));
  });

  it('refuses a ZIP with a ../ entry: exit 1, the entry named, nothing written anywhere', async () => {
    const dir = fresh();
    const cwd = join(dir, 'cwd');
    mkdirSync(cwd);
    const zip = join(dir, 'hostile.zip');
    writeFileSync(
      zip,
      craftZip([
        ...[...sample].map(([name, data]) => ({ name: `${FOLDER}/${name}`, data })),
        { name: '../escaped.txt', data: 'x' },
        { name: `${FOLDER}/../../escaped-too.txt`, data: 'x' },
      ]),
    );
    const before = readdirSync(dir);
    const r = await cli(['check', zip], { cwd });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /申請データ全体\n {2}エラー {2}\.\.\/escaped\.txt {2}ZIP 内の「\.\.\/escaped\.txt」は名前が安全ではありません（親フォルダー（\.\.）を指します）/);
    const j = await checkJson([zip], cwd);
    assert.equal(j.code, 1);
    assert.deepEqual(
      j.report.problems.map((p) => [p.code, p.file]),
      [
        ['ZIP_ENTRY_UNSAFE_NAME', '../escaped.txt'],
        ['ZIP_ENTRY_UNSAFE_NAME', `${FOLDER}/../../escaped-too.txt`],
      ],
    );
    assert.deepEqual(readdirSync(dir), before);
    assert.deepEqual(readdirSync(cwd), []);
    for (const p of [join(work, 'escaped.txt'), join(work, 'escaped-too.txt'), join(tmpdir(), 'escaped.txt'), join(tmpdir(), 'escaped-too.txt')]) assert.equal(existsSync(p), false, p);
  });

  it('reports a truncated ZIP as the data’s fault (exit 1, error as JSON with --json)', async () => {
    const zip = join(fresh(), 'cut.zip');
    writeFileSync(zip, readFileSync(sampleZip));
    truncateSync(zip, 1000);
    const r = await cli(['check', zip]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^エラー \[APPLICATION_ZIP_CORRUPT\]: ZIP ファイルが壊れているか、途中で切れています/);
    const j = await cli(['check', zip, '--json']);
    assert.equal(j.code, 1);
    const out = JSON.parse(j.stdout) as { error: { code: string; messageJa: string } };
    assert.equal(out.error.code, 'APPLICATION_ZIP_CORRUPT');
    assert.match(out.error.messageJa, /ZIP ファイルが壊れている/);
  });

  const usage: [string, string[]][] = [
    ['no argument', []],
    ['a path that does not exist', [join(work, 'nowhere')]],
    ['a ZIP that does not exist', [join(work, 'nowhere.zip')]],
    ['an unknown flag', [sampleZip, '--bogus']],
    ['a ZIP together with a folder', [sampleZip, work]],
    ['two ZIPs', [sampleZip, sampleZip]],
    ['a bad --max-file-bytes', [sampleZip, '--max-file-bytes', '10k']],
  ];
  for (const [name, argv] of usage) {
    it(`exits 2 on ${name}, with the error as JSON under --json`, async () => {
      const r = await cli(['check', ...argv]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /^エラー \[CLI_USAGE\]: /);
      const j = await cli(['check', ...argv, '--json']);
      assert.equal(j.code, 2);
      assert.equal((JSON.parse(j.stdout) as { error: { code: string } }).error.code, 'CLI_USAGE');
    });
  }

  it('runs through bin/todoke.mjs as a process', () => {
    const ok = cliProcess(['check', sampleZip, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as JsonReport).ok, true);
    const missing = cliProcess(['check', join(work, 'nowhere')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /が見つかりません/);
  });
});

// End-to-end: the 申請 screen's 申請データ取込 and check report, driven like a person would through
// the real renderer and core (the web harness in Debian's Chromium; its staging upload plays
// webUtils.getPathForFile). A folder of two applications, one without its 申請書, shows one error on
// the right card with the file name; the sample ZIP shows 問題はありません. No 利用者ID is needed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { repoRoot } from '../support/paths.js';
import { launchTodoke, type LaunchedTodoke } from './support/launch.js';

const SAMPLE_ZIP = join(repoRoot, 'test', 'fixtures', 'egov-v1', 'samples', 'bulk_apply_for_api.zip');
const APPLY_XML = '900A01020000100001_01.xml';

let todoke: LaunchedTodoke;
let page: Page;
let scratch: string;
let batch: string;

/** The sample's one application, unzipped twice as `900A010200001000(1)` and `(2)` under `batch`, the 申請書 removed from (2). */
function buildBatch(): string {
  const dir = join(scratch, 'batch');
  const script = `
import sys, zipfile, pathlib
src, out, drop = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
with zipfile.ZipFile(src) as z:
    for n in (1, 2):
        folder = out / f"900A010200001000({n})"
        folder.mkdir(parents=True)
        for info in z.infolist():
            if info.is_dir():
                continue
            name = info.filename.split("/")[-1]
            if n == 2 and name == drop:
                continue
            (folder / name).write_bytes(z.read(info))
`;
  execFileSync('python3', ['-c', script, SAMPLE_ZIP, dir, APPLY_XML]);
  return dir;
}

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'todoke-e2e-apply-'));
  batch = buildBatch();
  todoke = await launchTodoke();
  page = todoke.page;
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
});

after(async () => {
  await todoke?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function text(locator: Locator): Promise<string> {
  await locator.waitFor();
  return (await locator.innerText()).replace(/\s+/g, ' ');
}

function card(folder: string): Locator {
  return page.getByRole('article', { name: folder, exact: true });
}

void describe('申請 screen: 申請データ取込 and the check report', () => {
  void test('opens on an empty state that says what to do, reachable by keyboard', async () => {
    const item = page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: '申請', exact: true });
    await item.click();
    await page.getByRole('heading', { level: 1, name: '申請' }).waitFor();
    assert.equal(await item.getAttribute('aria-current'), 'page');
    await page.getByText('申請データはまだ選ばれていません').waitFor();
    // both choosers are real file inputs named by their visible labels, in Tab order
    const folder = page.getByLabel('フォルダーを選ぶ');
    const zip = page.getByLabel('ZIP を選ぶ');
    assert.equal(await folder.getAttribute('type'), 'file');
    assert.equal(await folder.evaluate((el) => (el as HTMLInputElement).webkitdirectory), true);
    assert.equal(await zip.getAttribute('accept'), '.zip,application/zip');
    let presses = 0;
    while (!(await folder.evaluate((el) => el === document.activeElement))) {
      assert.ok(presses++ < 30, 'Tab never reached フォルダーを選ぶ');
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Tab');
    assert.ok(await zip.evaluate((el) => el === document.activeElement), 'ZIP を選ぶ comes next');
    await todoke.screenshot('application-01-empty');
  });

  void test('a folder of two applications, one without its 申請書: one error, on the right card, with the file name', async () => {
    await page.getByLabel('フォルダーを選ぶ').setInputFiles(batch);
    const summary = await text(page.getByRole('region', { name: '確認結果' }).locator('dl'));
    assert.match(summary, /申請 2 件/);
    assert.match(summary, /エラー 1 件/);
    assert.match(summary, /警告 0 件/);

    const good = await text(card('900A010200001000(1)'));
    assert.match(good, /問題はありません/);
    assert.match(good, /手続ID 900A010200001000/);

    const broken = card('900A010200001000(2)');
    const problems = broken.getByRole('list', { name: '900A010200001000(2) の問題' }).getByRole('listitem');
    assert.equal(await problems.count(), 1);
    const problem = await text(problems.first());
    assert.match(problem, /^エラー/);
    assert.ok(problem.includes(APPLY_XML), problem);
    assert.match(await text(broken), /エラー 1 件/);
    await page.getByText('エラーを直してから、もう一度選んで確かめてください。').waitFor();
    assert.equal(await page.getByText('送信できる状態です').count(), 0);
    // data with an error offers no way to sign or send it
    assert.equal(await page.getByRole('button', { name: '署名して送信' }).count(), 0);
    await todoke.screenshot('application-02-folder-with-error');

    // the list of files of a card opens with the keyboard
    const files = broken.getByText('900A010200001000(2) のファイル一覧');
    await files.focus();
    await page.keyboard.press('Enter');
    await broken.getByText('kousei.xml', { exact: true }).waitFor();
  });

  void test('the sample ZIP: 問題はありません, and the next step said in words', async () => {
    await page.getByLabel('ZIP を選ぶ').setInputFiles(SAMPLE_ZIP);
    await page.getByText('ZIP ファイル「bulk_apply_for_api.zip」').waitFor();
    const summary = await text(page.getByRole('region', { name: '確認結果' }).locator('dl'));
    assert.match(summary, /申請 1 件 エラー 0 件 警告 0 件/);
    assert.match(await text(card('900A010200001000(1)')), /問題はありません/);
    await page.getByText('この申請データは送信できる状態です。').waitFor();
    await todoke.screenshot('application-03-zip-ok');
  });

  void test('a ZIP that cannot be read: an error that says what to do', async () => {
    const cut = join(scratch, 'cut.zip');
    execFileSync('python3', ['-c', 'import sys; b=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(b[:len(b)//2])', SAMPLE_ZIP, cut]);
    await page.getByLabel('ZIP を選ぶ').setInputFiles(cut);
    const alert = page.getByRole('alert').filter({ hasText: '申請データを読み込めませんでした' });
    const body = await text(alert);
    assert.match(body, /ZIP ファイルが壊れているか、途中で切れています/);
    assert.match(body, /別のフォルダー・ZIP を選んでください/);
    await todoke.screenshot('application-04-zip-unreadable');
  });

  void test('the same screen in English', async () => {
    await page.getByLabel('ZIP を選ぶ').setInputFiles(SAMPLE_ZIP);
    await page.getByText('この申請データは送信できる状態です。').waitFor();
    await page.getByRole('button', { name: '表示言語: English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Filing' }).waitFor();
    await page.getByText('This application data is ready to send.').waitFor();
    assert.match(await text(card('900A010200001000(1)')), /No problems/);
    await todoke.screenshot('application-05-english');
    await page.getByRole('button', { name: 'Display language: 日本語' }).click();
    assert.deepEqual(todoke.problems, []);
  });
});

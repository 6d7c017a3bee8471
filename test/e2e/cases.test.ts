// End-to-end (issue #9 items 5, 7 and the GUI half of 8): the 案件 screens over a sandbox that
// holds 1,200 arrived cases of the filer (seeded as the sandbox's 形式チェック would write them, and
// stored in the profile as if Todoke had followed those batches). The background sync runs every
// second here (the rig's `poll`; 15 minutes in the product). The sandbox's operator starts, then
// finishes, the examination of a case: without a reload, the dashboard's counts, the case's row
// and its own screen change, and a notice naming the 到達番号 appears and opens the case.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { shot, text, type IdentityRig } from './support/identity.js';
import { menuItem as mainMenuItem, startFilerRig } from './support/screens.js';

const USER_ID = 'sato-cases';
const SENDS = 4;
const PER_SEND = 300;
/** what the list loads before the person scrolls: a first page of 100 and one page of 500 ahead (stores/cases.ts) */
const LOADED = 600;
/** a count as the screens write it (1,200) */
const n = (count: number) => count.toLocaleString('ja-JP');
const TOTAL = SENDS * PER_SEND;
let sandbox: SandboxHandle;
let rig: IdentityRig;
let page: Page;
/** the newest case: the first row of the list */
let target = '';
/** the oldest case, beyond the first page */
let deep = '';

before(async () => {
  const filer = await startFilerRig({ userId: USER_ID, sends: SENDS, perSend: PER_SEND });
  ({ sandbox, rig } = filer);
  const seeded = filer.seeded;
  page = rig.page;
  const ids = seeded.flatMap((s) => s.applications.map((a) => a.arriveId)).sort();
  target = ids[ids.length - 1]!;
  deep = ids[0]!;
});

after(async () => {
  await rig?.close();
  await sandbox?.close();
});

const menuItem = (name: string): Locator => mainMenuItem(page, name);

function grid(): Locator {
  return page.getByRole('grid', { name: '案件一覧' });
}

function row(arriveId: string): Locator {
  return grid().getByRole('row').filter({ hasText: arriveId });
}

function statusTile(status: string): Locator {
  return page.getByRole('list', { name: /^状況ごとの件数/ }).getByRole('button', { name: new RegExp(`^${status}: `) });
}

function notices(): Locator {
  return page.getByRole('region', { name: 'お知らせ', exact: true }).first();
}

async function openCases(): Promise<void> {
  await menuItem('案件').click();
  await page.getByRole('heading', { level: 1, name: '案件' }).waitFor();
}

void describe('案件: the dashboard, the list and one case, kept current by the background sync', () => {
  void test('the dashboard counts every case by its status as sent; the sync has run by itself', async () => {
    await openCases();
    await statusTile('到達').filter({ hasText: n(TOTAL) }).waitFor();
    assert.equal(await statusTile('到達').getAttribute('aria-label'), `到達: ${n(TOTAL)} 件（一覧をこの条件で絞り込む）`);
    const attention = page.getByRole('list', { name: /^要対応の件数/ });
    assert.equal(await attention.getByRole('button').count(), 4);
    assert.match(await text(attention.getByRole('button', { name: /^補正: / })), /0 補正 なし/);
    const sync = page.getByRole('region', { name: '自動確認' });
    await sync.getByText('正常に終わりました').waitFor({ timeout: 15_000 });
    assert.match(await text(sync), /動作中/);
    assert.equal(await grid().getAttribute('aria-rowcount'), String(TOTAL + 1), 'every case counted, plus the header row');
    await row(target).waitFor();
    await shot(rig, 'cases-01-dashboard');
  });

  void test('the list: arrow keys move between rows, Enter opens the case; scrolling loads the next page', async () => {
    const first = grid().getByRole('row').nth(1);
    assert.equal(await first.getAttribute('aria-rowindex'), '2');
    assert.match(await text(first), new RegExp(`^${target} `));
    await first.focus();
    await page.keyboard.press('ArrowDown');
    const focused = page.locator('[role="row"]:focus');
    assert.equal(await focused.getAttribute('aria-rowindex'), '3');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused.getAttribute('aria-rowindex'), '2');
    await shot(rig, 'cases-02-focus');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `到達番号 ${target}` }).waitFor();
    await page.keyboard.press('Alt+ArrowLeft');
    await page.getByRole('heading', { level: 1, name: '案件' }).waitFor();

    // End goes to the last row loaded; the next page follows by itself, up to the oldest case
    const meta = page.getByText(/件中 .* 件を表示/);
    await page.getByText(`${n(TOTAL)} 件中 ${n(LOADED)} 件を表示`).waitFor();
    assert.equal(await row(deep).count(), 0, 'the oldest case is not loaded before the person scrolls');
    await grid().getByRole('row').nth(1).focus();
    for (let shown = LOADED; shown < TOTAL; ) {
      const before = await meta.innerText();
      await page.keyboard.press('End');
      await page.waitForFunction((text) => !document.body.innerText.includes(text), before);
      shown = Number((await meta.innerText()).split('件中 ')[1]?.replace(/[^0-9]/g, ''));
    }
    await page.keyboard.press('End');
    await row(deep).waitFor();
    assert.equal(await meta.innerText(), `${n(TOTAL)} 件中 ${n(TOTAL)} 件を表示`);
    assert.equal(await page.locator('[role="row"]:focus').getAttribute('aria-rowindex'), String(TOTAL + 1));
  });

  void test('filters: a status tile, the search by 到達番号, a search that finds nothing', async () => {
    await statusTile('到達').click();
    assert.equal(await statusTile('到達').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.getByLabel('状況', { exact: true }).inputValue(), '到達');
    await page.getByRole('searchbox', { name: '検索' }).fill(target.slice(-6));
    await page.getByRole('button', { name: '絞り込む', exact: true }).click();
    await page.getByText(`1 件中 1 件を表示`).waitFor();
    assert.equal(await grid().getAttribute('aria-rowcount'), '2');
    await row(target).waitFor();
    // the list as it is filtered, written as a CSV Excel opens: the path is said, the file holds that case alone
    await page.getByRole('button', { name: 'CSV に書き出す' }).click();
    const said = page.getByRole('status').filter({ hasText: '1 件を書き出しました: ' });
    await said.waitFor();
    const path = (await said.textContent())!.replace(/^1 件を書き出しました: /, '');
    assert.equal(dirname(path), join(rig.home, 'exports'));
    const csv = readFileSync(path, 'utf8');
    assert.ok(csv.startsWith('\uFEFF"到達番号"'));
    assert.deepEqual(csv.split('\r\n').slice(1, -1).map((l) => l.split(',')[0]), [`="${target}"`]);
    await shot(rig, 'cases-03a-exported');

    await page.getByRole('searchbox', { name: '検索' }).fill('該当しない名前');
    await page.getByRole('button', { name: '絞り込む', exact: true }).click();
    await page.getByText('条件に合う案件はありません').waitFor();
    await shot(rig, 'cases-03-no-match');
    await page.getByRole('button', { name: '条件をすべて消す' }).click();
    await page.getByText(`${n(TOTAL)} 件中 ${n(LOADED)} 件を表示`).waitFor();
    assert.equal(await page.getByRole('searchbox', { name: '検索' }).inputValue(), '');
  });

  void test('the operator starts the examination: counts, row and a notice change without a reload', async () => {
    const before = await page.evaluate(() => performance.timeOrigin);
    await statusTile('到達').click();
    await row(target).waitFor();
    sandbox.operate({ action: 'start-exam', arriveId: target });
    await statusTile('審査中').filter({ hasText: '1' }).waitFor({ timeout: 15_000 });
    await statusTile('到達').filter({ hasText: n(TOTAL - 1) }).waitFor();
    // the list filtered by 到達 loses the case, and the 審査中 tile finds it
    await page.getByText(`${n(TOTAL - 1)} 件中 ${n(LOADED)} 件を表示`).waitFor();
    assert.equal(await row(target).count(), 0);
    await statusTile('審査中').click();
    await row(target).getByText('審査中', { exact: true }).waitFor();
    assert.equal(await grid().getAttribute('aria-rowcount'), '2');
    const notice = notices().getByRole('status').filter({ hasText: `到達番号 ${target} の状況が「到達」から「審査中」に変わりました。` });
    await notice.waitFor();
    assert.match(await text(notice), /状況が変わりました/);
    assert.equal(await page.evaluate(() => performance.timeOrigin), before, 'the page was not reloaded');
    await shot(rig, 'cases-04-exam-started');

    await notice.getByRole('button', { name: `到達番号 ${target} を開く` }).click();
    await page.getByRole('heading', { level: 1, name: `到達番号 ${target}` }).waitFor();
    const facts = page.getByRole('region', { name: `到達番号 ${target}` });
    assert.match(await text(facts), /状況（e-Gov の表記） 審査中/);
    const history = page.getByRole('list', { name: 'e-Gov の履歴' });
    await history.getByRole('listitem').filter({ hasText: '審査開始通知' }).waitFor();
    assert.equal(await notice.count(), 0, 'the notice is gone once its case is open');
  });

  void test('the operator finishes the examination: the open case changes by itself, with a notice', async () => {
    sandbox.operate({ action: 'finish-exam', arriveId: target });
    const facts = page.getByRole('region', { name: `到達番号 ${target}` });
    await facts.getByText('状況（e-Gov の表記）').waitFor();
    await page.waitForFunction(
      (id) => [...document.querySelectorAll('[role="status"]')].some((n) => n.textContent?.includes(`到達番号 ${id} の状況が「審査中」から「審査終了」に変わりました。`)),
      target,
      { timeout: 15_000 },
    );
    await facts.getByText('審査終了', { exact: true }).first().waitFor();
    const history = page.getByRole('list', { name: 'e-Gov の履歴' });
    await history.getByRole('listitem').filter({ hasText: '審査終了通知' }).waitFor();
    const observed = page.getByRole('list', { name: 'Todoke が確認した状況' });
    const seen = await observed.getByRole('listitem').allInnerTexts();
    assert.equal(seen.length, 3);
    for (const [i, what] of ['「到達」を確認', '「到達」→「審査中」', '「審査中」→「審査終了」'].entries()) assert.ok(seen[i]?.includes(what), `${seen[i]} is ${what}`);
    // 取下げ is offered here (test/e2e/case-withdraw.test.ts follows it through)
    const withdrawal = page.getByRole('region', { name: '取下げ', exact: true });
    await withdrawal.getByRole('button', { name: `到達番号 ${target} の案件を取り下げる…` }).waitFor();
    await shot(rig, 'cases-05-case');

    await page.getByRole('region', { name: '操作' }).getByRole('button', { name: '今すぐ確認' }).click();
    await page.getByText('状況照会しました。').waitFor();

    // the notice centre keeps both notices, newest first; one opens its case
    const centreButton = page.getByRole('button', { name: /^お知らせ（未読 2 件）$/ });
    await centreButton.click();
    const centre = page.getByRole('region', { name: 'お知らせの一覧' });
    const entries = centre.getByRole('listitem');
    assert.equal(await entries.count(), 2);
    assert.match(await text(entries.first()), /「審査中」から「審査終了」/);
    await shot(rig, 'cases-06-notice-centre');
    await page.keyboard.press('Escape');
    assert.equal(await page.getByRole('button', { name: 'お知らせ', exact: true }).evaluate((el) => el === document.activeElement), true, 'focus back on the button, all read');

    await openCases();
    await statusTile('審査終了').filter({ hasText: '1' }).waitFor();
    assert.equal(await statusTile('審査中').count(), 0);
    // still filtered by 審査中 (as the person left it): no case is any more
    assert.equal(await page.getByLabel('状況', { exact: true }).inputValue(), '審査中');
    await page.getByText('条件に合う案件はありません').waitFor();
    await page.getByRole('button', { name: '条件をすべて消す' }).click();
    await row(target).getByText('審査終了', { exact: true }).waitFor();
  });

  void test('the background sync pauses and resumes', async () => {
    const sync = page.getByRole('region', { name: '自動確認' });
    await sync.getByRole('button', { name: '一時停止' }).click();
    await sync.getByText('一時停止中', { exact: true }).waitFor();
    await sync.getByText(/一時停止中（再開すると/).waitFor();
    await shot(rig, 'cases-07-paused');
    await sync.getByRole('button', { name: '再開' }).click();
    await sync.getByText('動作中', { exact: true }).waitFor();
  });

  void test('in English, statuses stay as e-Gov sent them', async () => {
    await page.getByRole('button', { name: '表示言語: English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    await page.getByRole('list', { name: /^Cases by status/ }).getByRole('button', { name: /^審査終了: 1 / }).waitFor();
    await shot(rig, 'cases-08-english');
    await page.getByRole('button', { name: /^Display language: / }).click();
    await page.getByRole('heading', { level: 1, name: '案件' }).waitFor();
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

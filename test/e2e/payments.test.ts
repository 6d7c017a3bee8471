// End-to-end (issue #11 item 5, the GUI half): 電子納付 seen from the app while it is open. The
// sandbox's operator registers two fees on one case (one due in 2 days, one in 20); the background
// sync (every second here) reads 電子納付情報一覧 and the case screen shows each 納付 with its amount,
// deadline and the three Pay-easy numbers, one of them copied to the clipboard; the dashboards list
// them nearest first, the one due within 3 days standing out in words as well as colour; the bank
// picker groups e-Gov's banks as e-Gov does and finds one typed in half-width katakana. Every screen
// photographed passes the axe checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { text, type IdentityRig } from './support/identity.js';
import { jstDay, menuItem as mainMenuItem, photoWithoutToasts, startFilerRig } from './support/screens.js';

const USER_ID = 'sato-payments';
/** how long the background sync (a cycle a second) may take to find what the operator registered */
const SYNC_WAIT = { timeout: 20_000 };
let sandbox: SandboxHandle;
let rig: IdentityRig;
let page: Page;
let arriveId = '';
let soon = { payNumber: '', confirmNumber: '', facilityNumber: '' };

before(async () => {
  const filer = await startFilerRig({ userId: USER_ID, sends: 1, perSend: 1, standInBank: true });
  ({ sandbox, rig } = filer);
  const seeded = filer.seeded;
  page = rig.page;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  arriveId = seeded[0]!.applications[0]!.arriveId;
});

after(async () => {
  await rig?.close();
  await sandbox?.close();
});

const menuItem = (name: string): Locator => mainMenuItem(page, name);

function paymentsSection(): Locator {
  return page.getByRole('region', { name: '電子納付', exact: true });
}

function card(payNumber: string): Locator {
  return paymentsSection().getByRole('article').filter({ has: page.getByText(payNumber, { exact: true }) });
}

const photo = (name: string): Promise<void> => photoWithoutToasts(rig, name);

async function openCase(): Promise<void> {
  await menuItem('案件').click();
  await page.getByRole('grid', { name: '案件一覧' }).getByRole('row').filter({ has: page.getByText(arriveId, { exact: true }) }).click();
  await page.getByRole('heading', { level: 1, name: `到達番号 ${arriveId}` }).waitFor();
}

void describe('電子納付: the case screen, the numbers, the bank picker, the dashboard', () => {
  void test('before any fee the case says it has none', async () => {
    await openCase();
    await paymentsSection().waitFor();
    await paymentsSection().getByText(/電子納付はありません|まだ e-Gov に電子納付の情報を確認していません/).waitFor(SYNC_WAIT);
  });

  void test('the operator registers two fees: the sync finds them and the open case shows them without a reload', async () => {
    const before = await page.evaluate(() => performance.timeOrigin);
    const first = sandbox.operatePayment({ action: 'add-payment', arriveId, amount: '15000', deadline: jstDay(2), nameKana: 'ケンコウホケンテスウリョウ' });
    sandbox.operatePayment({ action: 'add-payment', arriveId, amount: '1234567', deadline: jstDay(20) });
    soon = { payNumber: first.payNumber, confirmNumber: first.confirmNumber, facilityNumber: first.facilityNumber };
    const c = card(soon.payNumber);
    await c.waitFor(SYNC_WAIT);
    assert.match(await text(c), /¥15,000/);
    assert.match(await text(c), /あと 2 日/);
    assert.match(await text(c), /未納/);
    assert.match(await text(c), new RegExp(soon.confirmNumber));
    assert.match(await text(c), new RegExp(soon.facilityNumber));
    assert.match(await text(paymentsSection()), /¥1,234,567/);
    assert.equal(await page.evaluate(() => performance.timeOrigin), before, 'the page was not reloaded');
    await photo('payments-01-case');
  });

  void test('a number is copied with its button, and the copy is said politely', async () => {
    const c = card(soon.payNumber);
    await c.getByRole('button', { name: '納付番号をコピー' }).click();
    await c.getByRole('status').getByText('納付番号をコピーしました。').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), soon.payNumber);
  });

  void test('when the clipboard refuses, it says so and selects the number to copy by hand', async () => {
    // Chromium lets a focused page write the clipboard whatever its permissions: a refusal (a
    // locked-down desktop, a lost focus) is made by the page's writeText rejecting as Chromium's does
    // (a script text: tsx would name a function written here with a helper the page does not have)
    await page.evaluate(`Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) })`);
    const c = card(soon.payNumber);
    await c.getByRole('button', { name: '確認番号をコピー' }).click();
    await c.getByRole('status').getByText(/^確認番号をコピーできませんでした。番号を選択しましたので/).waitFor();
    assert.equal(await page.evaluate(() => window.getSelection()?.toString()), soon.confirmNumber);
    await photo('payments-01b-copy-refused');
    await page.evaluate(() => {
      delete (navigator.clipboard as { writeText?: unknown }).writeText;
    });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  });

  void test('the bank picker: e-Gov groups in order, a search in half-width katakana, the explanation before anything opens', async () => {
    await card(soon.payNumber).getByRole('button', { name: `納付番号 ${soon.payNumber} を銀行で支払う` }).click();
    const picker = page.getByRole('dialog', { name: '支払う金融機関を選ぶ' });
    await picker.waitFor();
    await picker.getByRole('heading', { level: 3, name: '銀行等' }).waitFor();
    const groups = await picker.getByRole('heading', { level: 3 }).allInnerTexts();
    const order = ['銀行等', '信用金庫', '信用組合', '農協・漁協', '労働金庫'].filter((g) => groups.includes(g));
    assert.deepEqual(groups, order, 'e-Gov order');
    await photo('payments-02-picker');
    const skipped = picker.getByText(/^Todoke が開かない金融機関（1 件）$/);
    assert.equal(await picker.getByText('擬似インターネット銀行１').isVisible(), false, 'the refused http bank is listed collapsed');
    await skipped.click();
    await picker.getByText('擬似インターネット銀行１').waitFor();
    const search = picker.getByRole('searchbox', { name: '金融機関名で探す' });
    await search.fill('ﾕｳﾁｮ');
    assert.deepEqual(await picker.locator('button[data-bank]').allInnerTexts(), ['ゆうちょ銀行']);
    await search.fill('ＴＯＤＯＫＥ');
    assert.equal(await picker.locator('button[data-bank]').count(), 1);
    await picker.getByRole('status').getByText('1 件の金融機関').waitFor();
    // Down from the search box reaches the bank; Enter chooses it
    await search.press('ArrowDown');
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: /のサイトで支払います$/ });
    await confirm.waitFor();
    assert.match(await text(confirm), /30 分以内/);
    assert.match(await text(confirm), /e-Gov が支払いを確認してから/);
    await photo('payments-03-confirm');
    await confirm.getByRole('button', { name: '金融機関を選び直す' }).click();
    await picker.getByRole('button', { name: 'キャンセル' }).click();
    assert.equal(await page.getByRole('dialog').count(), 0);
  });

  void test('the dashboard lists the fees nearest first; the one due in 2 days stands out in words', async () => {
    await menuItem('案件').click();
    const due = page.getByRole('region', { name: '納付期限が近い電子納付' });
    const rows = due.getByRole('list', { name: '納付期限が近い順' }).getByRole('button');
    await rows.first().waitFor(SYNC_WAIT);
    assert.equal(await rows.count(), 2);
    assert.match(await text(rows.first()), /急ぎ/);
    assert.match(await text(rows.first()), /あと 2 日/);
    assert.doesNotMatch(await text(rows.nth(1)), /急ぎ/);
    assert.match(await text(due), /1 件が 3 日以内に期限/);
    await photo('payments-04-dashboard');
    await rows.first().click();
    await page.getByRole('heading', { level: 1, name: `到達番号 ${arriveId}` }).waitFor();
  });

  void test('ホーム shows the same list once there is something to pay', async () => {
    await menuItem('ホーム').click();
    const due = page.getByRole('region', { name: '納付期限が近い電子納付' });
    await due.getByRole('button').first().waitFor(SYNC_WAIT);
    assert.match(await text(due.getByRole('button').first()), /急ぎ/);
    await photo('payments-05-home');
  });

  void test('pays in the hand-off window: the app shows the bank, its origin and the countdown; a link off the bank list is stopped and shown', async () => {
    await openCase();
    const bankOrigin = new URL(sandbox.standInBankUrl ?? '').origin;
    const opened = new Promise<Page>((resolve) => {
      const stop = rig.paymentWindows.onOpened((_id, p) => {
        stop();
        resolve(p);
      });
    });
    await card(soon.payNumber).getByRole('button', { name: `納付番号 ${soon.payNumber} を銀行で支払う` }).click();
    const picker = page.getByRole('dialog', { name: '支払う金融機関を選ぶ' });
    await picker.getByRole('button', { name: /^Todoke練習銀行/ }).click();
    await page.getByRole('dialog', { name: /のサイトで支払います$/ }).getByRole('button', { name: '銀行のサイトを開く' }).click();
    const bank = await opened;
    // the dialog closes once payment.handOff answers (the window may exist a moment before)
    await page.locator('dialog[open]').waitFor({ state: 'detached' });

    const panel = page.getByRole('region', { name: 'Todoke練習銀行（サンドボックス） のウィンドウで支払い中' });
    await panel.waitFor();
    await panel.getByText(bankOrigin, { exact: true }).waitFor();
    assert.match(await text(panel), /残り (30:00|29:\d\d)/, 'e-Gov 30 minutes, counting down');
    assert.match(await text(panel), new RegExp(soon.payNumber));

    // the stand-in bank's practice link leads off the bank list: the window stops it and the app says so
    await bank.getByRole('heading', { name: 'Todoke練習銀行 ログイン' }).waitFor();
    await bank.getByRole('link', { name: /外部サイト・練習用/ }).click();
    await panel.getByText('銀行一覧にないサイト https://www.example.com への移動を止めました').waitFor();
    await photo('payments-07-hand-off');

    await bank.getByLabel('ID').fill('sato');
    await bank.getByLabel('パスワード').fill('practice');
    await bank.getByRole('button', { name: 'ログイン' }).click();
    await bank.getByText(/¥?15,000/).first().waitFor();
    await bank.getByRole('button', { name: '納付する' }).click();
    await bank.getByRole('heading', { name: '納付が完了しました' }).waitFor();
  });

  void test('elsewhere in the app a banner leads back to the case while the window is open', async () => {
    await menuItem('案件').click();
    const banner = page.getByRole('region', { name: '電子納付', exact: true }).filter({ hasText: '支払いウィンドウが開いています' });
    await banner.waitFor();
    assert.match(await text(banner), new RegExp(`到達番号 ${arriveId}`));
    await photo('payments-08-banner');
    await banner.getByRole('button', { name: '案件を開く' }).click();
    await page.getByRole('heading', { level: 1, name: `到達番号 ${arriveId}` }).waitFor();
  });

  void test('the window closed from the app: nothing is paid until e-Gov says so, then 納付済 on the next sync', async () => {
    const panel = page.getByRole('region', { name: 'Todoke練習銀行（サンドボックス） のウィンドウで支払い中' });
    await panel.getByRole('button', { name: 'ウィンドウを閉じる' }).click();
    const closed = page.getByRole('region', { name: 'Todoke練習銀行（サンドボックス） のウィンドウを閉じました' });
    await closed.getByText('支払いが済んでも、e-Gov が確認するまで状態は変わりません').waitFor();
    assert.equal(rig.paymentWindows.pageOf('any'), null);
    await card(soon.payNumber).getByText('納付済').waitFor(SYNC_WAIT);
    // and the app said so when e-Gov did (the desktop app as an OS notification too): the corner's
    // notice may have left by now, the notice centre keeps it
    await page.getByRole('button', { name: /^お知らせ（未読 \d+ 件）$/ }).click();
    const centre = page.getByRole('region', { name: 'お知らせの一覧' });
    await centre.getByText(`到達番号 ${arriveId} の ¥15,000（納付番号 ${soon.payNumber}） を e-Gov が納付済としました。`, { exact: true }).waitFor();
    await centre.getByRole('button', { name: 'お知らせを閉じる' }).click();
    assert.doesNotMatch(await text(card(soon.payNumber)), /銀行で支払う/, 'a paid one is not offered for payment');
    assert.match(await text(card(soon.payNumber)), /納付日/);
    await photo('payments-09-paid');
    await closed.getByRole('button', { name: 'このお知らせを閉じる' }).click();
    assert.equal(await closed.count(), 0);
  });

  void test('in English once', async () => {
    await openCase();
    await page.getByRole('button', { name: '表示言語: English' }).click();
    const section = page.getByRole('region', { name: 'Electronic payment', exact: true });
    await section.getByText(/20 days left/).waitFor();
    assert.match(await text(section), /Payment number/);
    await photo('payments-06-english');
    await page.getByRole('button', { name: /^Display language: / }).click();
    await paymentsSection().waitFor();
  });
});

// End-to-end: moving between screens — by the menu, by the keyboard alone, back and forward with
// Alt+← / Alt+→, the header's buttons and the mouse's back and forward buttons (one step per
// press, the page itself never leaving), and a screen with a parameter (a case by its 到達番号).
// Runs on the web harness, where the browser would go back itself if the app let it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { createApp } from '../../src/main/app/create-app.js';
import { scratchHome } from '../support/home.js';
import { launchTodoke, type LaunchedTodoke } from './support/launch.js';

const ARRIVE_ID = '9002015000243931';

const core = createApp({ host: 'harness', home: scratchHome(), version: '0.1.0-e2e', platform: 'linux' });
let todoke: LaunchedTodoke;
let page: Page;
let startUrl: string;

before(async () => {
  todoke = await launchTodoke({ app: core });
  page = todoke.page;
  await heading('利用者の設定');
  startUrl = page.url();
});

after(async () => {
  await todoke?.close();
});

function nav(): Locator {
  return page.getByRole('navigation', { name: 'メインメニュー' });
}

function menuItem(name: string): Locator {
  return nav().getByRole('button', { name, exact: true });
}

async function heading(name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/** The screen shown is `name`, and the page is still the one the harness opened. */
async function showing(name: string): Promise<void> {
  await heading(name);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), name);
  assert.equal(page.url(), startUrl, 'the page itself never navigates (the token stays in the URL)');
}

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

/** Presses and releases a mouse button as the device would, back (3) or forward (4). */
async function mouseButton(button: 'back' | 'forward'): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const at = { x: 640, y: 400 };
    const buttons = button === 'back' ? 8 : 16;
    await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...at, button, buttons, clickCount: 1 });
    await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...at, button, buttons: 0, clickCount: 1 });
  } finally {
    await cdp.detach();
  }
}

void describe('navigation', () => {
  void test('the menu goes to each screen and marks the current one', async () => {
    for (const [item, title] of [
      ['ホーム', 'ホーム'],
      ['証明書', '証明書'],
      ['設定', '設定'],
    ] as const) {
      await menuItem(item).click();
      await showing(title);
      assert.equal(await menuItem(item).getAttribute('aria-current'), 'page', item);
      assert.equal(await nav().locator('[aria-current="page"]').count(), 1);
    }
    await todoke.screenshot('navigation-01-settings');
  });

  void test('the keyboard alone reaches a screen from the menu', async () => {
    await page.getByRole('main').focus();
    const target = menuItem('案件');
    await target.focus();
    // Tab order from the menu: the items in order; Enter chooses one.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    assert.ok(await isFocused(target));
    await page.keyboard.press('Enter');
    await showing('案件');
    // the title takes focus, so the next Tab starts at the top of the screen
    assert.ok(await isFocused(page.getByRole('heading', { level: 1 })));
    await todoke.screenshot('navigation-02-cases');
  });

  void test('Alt+← and Alt+→ move one screen at a time', async () => {
    // history so far: 利用者の設定, ホーム, 証明書, 設定, 案件
    await page.keyboard.press('Alt+ArrowLeft');
    await showing('設定');
    assert.equal(await menuItem('設定').getAttribute('aria-current'), 'page');
    await page.keyboard.press('Alt+ArrowLeft');
    await showing('証明書');
    await page.keyboard.press('Alt+ArrowRight');
    await showing('設定');
    await page.keyboard.press('Alt+ArrowRight');
    await showing('案件');
    // nothing ahead: stays
    await page.keyboard.press('Alt+ArrowRight');
    await showing('案件');
  });

  void test('the mouse back and forward buttons move one screen at a time', async () => {
    await mouseButton('back');
    await showing('設定');
    await mouseButton('back');
    await showing('証明書');
    await mouseButton('forward');
    await showing('設定');
  });

  void test('the header’s back and forward buttons do the same, and say when there is nowhere to go', async () => {
    const back = page.getByRole('button', { name: '戻る', exact: true });
    const forward = page.getByRole('button', { name: '進む', exact: true });
    await back.click();
    await showing('証明書');
    await forward.click();
    await showing('設定');
    await forward.click();
    await showing('案件');
    assert.ok(await forward.isDisabled());
    for (let i = 0; i < 4; i++) await back.click();
    await showing('利用者の設定');
    assert.ok(await back.isDisabled(), 'the first screen has nothing behind it');
    await page.keyboard.press('Alt+ArrowRight');
    await showing('ホーム');
  });

  void test('a case opens by its 到達番号, with the number in its title and the menu on 案件', async () => {
    await menuItem('案件').click();
    await showing('案件');
    const field = page.getByRole('textbox', { name: '到達番号' });
    await page.getByRole('button', { name: '開く', exact: true }).click();
    assert.match(await page.getByText('到達番号を入力してください。').innerText(), /入力/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await field.fill('９００２－０１５０－００２４－３９３１');
    await field.press('Enter');
    await showing(`到達番号 ${ARRIVE_ID}`);
    assert.equal(await menuItem('案件').getAttribute('aria-current'), 'true', 'a case is inside 案件');
    const crumbs = page.getByRole('navigation', { name: '現在の位置' });
    assert.equal(await crumbs.locator('[aria-current="page"]').innerText(), `到達番号 ${ARRIVE_ID}`);
    // no profile here, so Todoke holds no case: the screen says so and leads back to the list
    await page.getByRole('alert').filter({ hasText: 'この到達番号の案件は Todoke にありません' }).waitFor();
    assert.equal(await page.getByRole('button', { name: '案件一覧へ' }).count(), 1);
    await todoke.screenshot('navigation-03-case');
    await page.keyboard.press('Alt+ArrowLeft');
    await showing('案件');
    await page.keyboard.press('Alt+ArrowRight');
    await showing(`到達番号 ${ARRIVE_ID}`);
    await crumbs.getByRole('button', { name: '案件', exact: true }).click();
    await showing('案件');
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(todoke.problems, []);
  });
});

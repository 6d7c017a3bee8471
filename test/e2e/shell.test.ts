// End-to-end: the application shell around the screens — core events shown as notices, the
// settings screen, the language choice surviving a reload, the skip link. Runs on the web harness
// (an app core is passed in so the test can emit events from the core side).
import assert from 'node:assert/strict';
import { scratchHome } from '../support/home.js';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createApp } from '../../src/main/app/create-app.js';
import { launchTodoke, type LaunchedTodoke } from './support/launch.js';

const core = createApp({ host: 'harness', home: scratchHome(), version: '0.1.0-e2e', platform: 'linux' });
let todoke: LaunchedTodoke;
let page: Page;

before(async () => {
  todoke = await launchTodoke({ app: core });
  page = todoke.page;
  // No 利用者ID yet: the app opens on the first-run flow.
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
});

after(async () => {
  await todoke?.close();
});

void describe('application shell', () => {
  void test('the skip link is the first stop of the keyboard and moves focus to the content', async () => {
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'メインコンテンツへ移動' });
    assert.ok(await skip.evaluate((el) => el === document.activeElement));
    await page.keyboard.press('Enter');
    assert.ok(await page.getByRole('main').evaluate((el) => el === document.activeElement));
    assert.match(page.url(), /#token=/, 'the token stays in the URL');
  });

  void test('every menu item leads to a screen of its own: 公文書 is no longer 準備中', async () => {
    const nav = page.getByRole('navigation', { name: 'メインメニュー' });
    assert.equal(await nav.getByRole('button', { name: '案件', exact: true }).count(), 1, '案件 exists now');
    const item = nav.getByRole('button', { name: '公文書', exact: true });
    assert.doesNotMatch(await item.innerText(), /準備中/);
    await item.click();
    await page.getByRole('heading', { level: 1, name: '公文書' }).waitFor();
    assert.equal(await item.getAttribute('aria-current'), 'page');
    await page.getByRole('heading', { level: 2, name: '受信一覧' }).waitFor();
    assert.equal(await page.getByText('この機能は準備中です').count(), 0);
  });

  void test('a notice sent by the core appears, is announced, and can be dismissed', async () => {
    core.events.emit({ name: 'app.notice', payload: { level: 'warning', code: 'TEST_NOTICE', message: 'Test notice', messageJa: 'コアからのお知らせです。' } });
    const notice = page.getByRole('region', { name: 'お知らせ' }).getByRole('status').filter({ hasText: 'コアからのお知らせです。' });
    await notice.waitFor();
    await todoke.screenshot('10-notice');
    await notice.getByRole('button', { name: '閉じる' }).click();
    await notice.waitFor({ state: 'detached' });
  });

  void test('settings shows what is running and switches the language, which survives a reload', async () => {
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: '設定' }).click();
    await page.getByRole('heading', { level: 1, name: '設定' }).waitFor();
    const about = await page.getByRole('region', { name: 'このアプリについて' }).innerText();
    assert.match(about, /0\.1\.0-e2e/);
    assert.match(about, /ブラウザ検証環境/);
    await todoke.screenshot('11-settings');
    await page.getByRole('radio', { name: 'English' }).check();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Set up your user ID' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('button', { name: 'Home' }).click();
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    await todoke.screenshot('12-home-english');
    await page.getByRole('button', { name: /日本語/ }).click();
    await page.getByRole('heading', { level: 1, name: 'ホーム' }).waitFor();
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(todoke.problems, []);
  });
});

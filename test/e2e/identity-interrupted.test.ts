// End-to-end: a filer half-way through the first-run flow looks at another screen and comes back.
// Nothing they entered is lost: the chosen endpoint, the checked certificate and the step they
// were on are still there, and the set-up finishes from where it stood.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { chooseCertificateFile, identityCard, startIdentityRig, step, submitUserId, text, type IdentityRig } from './support/identity.js';

let rig: IdentityRig;
let page: Page;

before(async () => {
  rig = await startIdentityRig();
  page = rig.page;
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
});

after(async () => {
  await rig?.close();
});

const nav = (name: string) => page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name });

void describe('an interrupted first run', () => {
  void test('endpoint and certificate survive a visit to ホーム and 証明書', async () => {
    const environment = step(page, '接続先');
    await environment.getByRole('radio', { name: /接続先を指定/ }).check();
    await environment.getByLabel('接続先 URL', { exact: true }).fill(rig.sandbox.apiBaseUrl);
    await environment.getByLabel('ソフトウェアID', { exact: true }).fill(rig.sandbox.softwareIds[0] ?? '');
    await environment.getByRole('button', { name: '次へ' }).click();
    await chooseCertificateFile(page, 'yamada-taro.p12');

    await nav('ホーム').click();
    await page.getByRole('heading', { level: 1, name: 'ホーム' }).waitFor();
    assert.equal(await step(page, '証明書').count(), 0, 'the hidden flow is not in the accessibility tree');
    await nav('証明書').click();
    await page.getByRole('heading', { level: 1, name: '証明書' }).waitFor();
    await nav('利用者').click();

    const certificate = step(page, '証明書');
    assert.match(await text(certificate.getByRole('region', { name: /^選んだ証明書: / })), /山田 太郎/);
    await certificate.getByRole('button', { name: '次へ' }).click();
    assert.match(await text(step(page, '利用者ID').getByRole('region', { name: '設定内容' })), new RegExp(rig.sandbox.apiBaseUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    await submitUserId(page, 'taro-interrupted', 'register');
    await identityCard(page, 'taro-interrupted').waitFor();
  });

  void test('a success message is said once: it is gone after looking elsewhere', async () => {
    await page.getByRole('alert').filter({ hasText: '登録し、ログインしました。' }).waitFor();
    await nav('ホーム').click();
    await nav('利用者').click();
    await identityCard(page, 'taro-interrupted').waitFor();
    assert.equal(await page.getByRole('alert').filter({ hasText: '登録し、ログインしました。' }).count(), 0);
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

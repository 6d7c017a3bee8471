// End-to-end: training on the built-in sandbox with the certificates that come with Todoke. A new
// filer picks 「山田 太郎（練習用）を使う」 instead of looking for a file, registers, renews to the
// bundled renewal certificate the same way, and logs in with it. The training choices are not
// offered for a custom endpoint, where they would only be refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { answerCredential, chooseSandbox, credentialDialog, identityCard, P12_PASSWORD, shot, startIdentityRig, step, submitUserId, text, type IdentityRig } from './support/identity.js';

const USER_ID = 'training-taro';
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

void describe('training with the bundled certificates', () => {
  void test('not offered when a custom endpoint is chosen', async () => {
    const environment = step(page, '接続先');
    await environment.getByRole('radio', { name: /接続先を指定/ }).check();
    await environment.getByLabel('接続先 URL', { exact: true }).fill(rig.sandbox.apiBaseUrl);
    await environment.getByLabel('ソフトウェアID', { exact: true }).fill('TODOKESANDBOX1');
    await environment.getByRole('button', { name: '次へ' }).click();
    const certificate = step(page, '証明書');
    await certificate.waitFor();
    assert.equal(await certificate.getByRole('group', { name: '練習用の証明書' }).count(), 0);
    await certificate.getByRole('button', { name: '戻る' }).click();
    await environment.getByRole('radio', { name: /検証用サンドボックス（練習用）/ }).check();
  });

  void test('with the sandbox: one click chooses 山田 太郎, and registration needs no file or password', async () => {
    await chooseSandbox(page);
    const panel = step(page, '証明書');
    const training = panel.getByRole('group', { name: '練習用の証明書' });
    assert.match(await text(training), /テスト専用の証明書です。検証用サンドボックスでだけ使えます。/);
    await training.getByRole('button', { name: '山田 太郎（練習用）を使う' }).click();
    const summary = panel.getByRole('region', { name: /^選んだ証明書: 山田 太郎/ });
    assert.match(await text(summary), /yamada-taro\.p12/);
    await shot(rig, 'identity-training-01-chosen');
    await panel.getByRole('button', { name: '次へ' }).click();
    await submitUserId(page, USER_ID, 'register');
    await page.getByRole('alert').filter({ hasText: `利用者ID「${USER_ID}」を登録し、ログインしました。` }).waitFor();
    const key = rig.storedAccessKey();
    assert.ok(key);
    assert.equal(rig.sandbox.resolveAccessKey(key), USER_ID);
  });

  void test('renewal to the bundled renewed certificate, then a login with it', async () => {
    await page.getByRole('button', { name: '証明書を更新', exact: true }).click();
    const panel = page.getByRole('region', { name: '証明書を更新', exact: true });
    await panel.getByRole('group', { name: '練習用の証明書' }).getByRole('button', { name: '山田 太郎（練習用・更新後の証明書）を使う' }).click();
    await panel.getByRole('region', { name: /^選んだ証明書: 山田 太郎/ }).waitFor();
    await shot(rig, 'identity-training-02-renewal-chosen');
    await panel.getByRole('button', { name: 'この証明書に更新する' }).click();
    const confirm = page.getByRole('dialog', { name: '証明書の更新' });
    await confirm.getByRole('button', { name: 'この証明書に更新する' }).click();
    await page.getByRole('alert').filter({ hasText: 'これからはこの証明書で署名します。' }).waitFor();
    assert.match(await text(identityCard(page, USER_ID)), /yamada-taro-renewed\.p12/);

    await page.getByRole('button', { name: 'ログイン（再認証）' }).click();
    const dialog = credentialDialog(page, 'パスワードの入力');
    assert.match(await text(dialog), /yamada-taro-renewed\.p12/);
    await answerCredential(dialog, 'パスワード', P12_PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'ログインしました。' }).waitFor();
    await shot(rig, 'identity-training-03-renewed');
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

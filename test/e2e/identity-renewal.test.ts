// End-to-end: the certificate actions of the 利用者 screen. Register with yamada-taro.p12, renew
// to yamada-taro-renewed.p12 (confirmed in a dialog; the app signs with the new file from then
// on, so the next login asks for *its* password), add suzuki-hanako.p12, delete it again (by its
// PEM certificate), and see the sandbox refuse a second delete of a certificate no longer bound.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  answerCredential,
  chooseCertificateFile,
  credentialDialog,
  identityCard,
  P12_PASSWORD,
  pki,
  shot,
  startIdentityRig,
  text,
  type IdentityRig,
  setUpWithFile,
} from './support/identity.js';

const USER_ID = 'taro-renewal';
let rig: IdentityRig;
let page: Page;

before(async () => {
  rig = await startIdentityRig();
  page = rig.page;
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
  await setUpWithFile(page, USER_ID, 'register');
});

after(async () => {
  await rig?.close();
});

function task(name: '証明書を追加' | '証明書を更新' | '証明書を削除') {
  return page.getByRole('region', { name, exact: true });
}

void describe('証明書の管理 on the 利用者 screen', () => {
  void test('証明書を更新 with the renewed file, after a confirmation that says the new certificate signs from now on', async () => {
    const open = page.getByRole('button', { name: '証明書を更新', exact: true });
    await open.click();
    assert.equal(await open.getAttribute('aria-expanded'), 'true');
    const panel = task('証明書を更新');
    const summary = await chooseCertificateFile(page, 'yamada-taro-renewed.p12', panel);
    assert.match(await text(summary), /山田 太郎/);
    await shot(rig, 'identity-renewal-01-update-chosen');

    await panel.getByRole('button', { name: 'この証明書に更新する' }).click();
    const confirm = page.getByRole('dialog', { name: '証明書の更新' });
    const body = await text(confirm);
    assert.match(body, new RegExp(`利用者ID「${USER_ID}」の証明書を、次の新しい証明書に更新します。`));
    assert.match(body, /いまの証明書 山田 太郎 シリアル番号 \S+ 新しい証明書 山田 太郎 シリアル番号 \S+/);
    assert.match(body, /これからは新しい証明書で署名します。/);
    await shot(rig, 'identity-renewal-02-update-confirm');
    await confirm.getByRole('button', { name: 'この証明書に更新する' }).click();

    await page.getByRole('alert').filter({ hasText: '証明書を「山田 太郎」に更新しました。これからはこの証明書で署名します。' }).waitFor();
    assert.equal(await panel.count(), 0, 'the task panel closes');
    assert.match(await text(identityCard(page, USER_ID)), /証明書ファイル: yamada-taro-renewed\.p12/);
    await shot(rig, 'identity-renewal-03-updated');
  });

  void test('the next login asks for the password of the renewed file and succeeds', async () => {
    await page.getByRole('button', { name: 'ログイン（再認証）' }).click();
    const dialog = credentialDialog(page, 'パスワードの入力');
    assert.match(await text(dialog), /証明書ファイル「yamada-taro-renewed\.p12」のパスワード/);
    await answerCredential(dialog, 'パスワード', P12_PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'ログインしました。' }).waitFor();
    const key = rig.storedAccessKey();
    assert.ok(key);
    assert.equal(rig.sandbox.resolveAccessKey(key), USER_ID);
  });

  void test('証明書を追加 with another PKCS#12, signed with the current certificate', async () => {
    await page.getByRole('button', { name: '証明書を追加', exact: true }).click();
    const panel = task('証明書を追加');
    const summary = await chooseCertificateFile(page, 'suzuki-hanako.p12', panel);
    assert.match(await text(summary), /鈴木 花子/);
    await panel.getByRole('button', { name: '追加する' }).click();
    const confirm = page.getByRole('dialog', { name: '証明書の追加' });
    assert.match(await text(confirm), new RegExp(`証明書「鈴木 花子」を利用者ID「${USER_ID}」に追加します。`));
    // Esc cancels; nothing is sent
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await panel.getByRole('button', { name: '追加する' }).click();
    await confirm.getByRole('button', { name: '追加する' }).click();

    const dialog = credentialDialog(page, 'パスワードの入力');
    assert.match(await text(dialog), /証明書の追加のため、証明書ファイル「yamada-taro-renewed\.p12」のパスワード/);
    await shot(rig, 'identity-renewal-04-add-password');
    await answerCredential(dialog, 'パスワード', P12_PASSWORD);
    await page.getByRole('alert').filter({ hasText: '証明書「鈴木 花子」を追加しました。' }).waitFor();
    await shot(rig, 'identity-renewal-05-added');
  });

  void test('証明書を削除 by its PEM certificate, then a second delete is refused by the sandbox', async () => {
    const remove = async () => {
      await page.getByRole('button', { name: '証明書を削除', exact: true }).click();
      const panel = task('証明書を削除');
      await panel.getByLabel('証明書ファイルを選ぶ', { exact: true }).setInputFiles(join(pki, 'suzuki-hanako.cert.pem'));
      const summary = panel.getByRole('region', { name: '選んだ証明書: 鈴木 花子' });
      assert.match(await text(summary), /PEM/);
      await panel.getByRole('button', { name: '削除する' }).click();
      const confirm = page.getByRole('dialog', { name: '証明書の削除' });
      assert.match(await text(confirm), /削除した証明書では、この利用者IDでログインできなくなります。/);
      await shot(rig, 'identity-renewal-06-delete-confirm');
      await confirm.getByRole('button', { name: '削除する' }).click();
      await answerCredential(credentialDialog(page, 'パスワードの入力'), 'パスワード', P12_PASSWORD);
      return panel;
    };

    await remove();
    await page.getByRole('alert').filter({ hasText: '証明書「鈴木 花子」を削除しました。' }).waitFor();

    const panel = await remove();
    const error = panel.getByRole('alert').filter({ hasText: '証明書を削除できませんでした' });
    assert.match(await text(error), /削除する証明書（DelX509Certificate）がこの利用者IDに登録されていません。/);
    // the chosen certificate stays, ready for another try
    await panel.getByRole('region', { name: '選んだ証明書: 鈴木 花子' }).waitFor();
    await shot(rig, 'identity-renewal-07-delete-refused');
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

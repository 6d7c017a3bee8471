// End-to-end: a new filer with a certificate file. The first-run flow against the sandbox
// (接続先 → 証明書 → 利用者ID), the 利用者 screen it leads to, a re-login whose password is asked
// in the credential dialog (wrong first, then right), and the error path of registering an ID that
// is already registered, after which nothing typed is lost. Checked at the sandbox too.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  answerCredential,
  chooseCertificateFile,
  chooseSandbox,
  credentialDialog,
  identityCard,
  P12_PASSWORD,
  pki,
  startIdentityRig,
  step,
  submitUserId,
  shot,
  text,
  type IdentityRig,
} from './support/identity.js';

const USER_ID = 'taro01';
let rig: IdentityRig;
let page: Page;

before(async () => {
  rig = await startIdentityRig();
  page = rig.page;
});

after(async () => {
  await rig?.close();
});

void describe('利用者 with a certificate file', () => {
  void test('a new user lands on the first-run flow, with the sandbox chosen', async () => {
    await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'メインメニュー' });
    assert.equal(await nav.getByRole('button', { name: '利用者' }).getAttribute('aria-current'), 'page');
    const steps = page.getByRole('navigation', { name: '設定の手順' });
    assert.match(await text(steps), /接続先.*証明書.*利用者ID/);
    await step(page, '接続先').waitFor();
    await shot(rig, 'identity-file-01-environment');
    await chooseSandbox(page);
  });

  void test('step 2 describes the certificate file before going on', async () => {
    const panel = step(page, '証明書');
    assert.ok(await panel.getByRole('radio', { name: /証明書ファイル/ }).isChecked());
    // 次へ without a certificate explains what is missing
    await panel.getByRole('button', { name: '次へ' }).click();
    await panel.getByRole('alert').filter({ hasText: '証明書を選んで、内容を確認してから次へ進んでください。' }).waitFor();
    const summary = await chooseCertificateFile(page, 'yamada-taro.p12');
    const body = await text(summary);
    assert.match(body, /山田 太郎/);
    assert.match(body, /発行者 .*Todoke Sandbox/);
    assert.match(body, /有効期間 2025年1月1日 9:00 〜 2046年1月1日 8:59（日本時間）/);
    assert.match(body, /PKCS#12/);
    assert.match(body, /有効期間内/);
    await shot(rig, 'identity-file-02-certificate');
    await panel.getByRole('button', { name: '次へ' }).click();
    await step(page, '利用者ID').waitFor();
  });

  void test('step 3 checks the 利用者ID as it is typed, then registers and logs in', async () => {
    const panel = step(page, '利用者ID');
    const field = panel.getByLabel('利用者ID', { exact: true });
    await field.fill('taro 01');
    const problem = panel.getByRole('alert').filter({ hasText: '半角の英数字と記号だけが使えます' });
    await problem.waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await text(panel.getByRole('region', { name: '設定内容' })), /接続先 検証用サンドボックス（練習用） 証明書 山田 太郎 証明書ファイル: yamada-taro\.p12/);
    await shot(rig, 'identity-file-03-user-id-invalid');

    await submitUserId(page, USER_ID, 'register');
    await problem.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: '利用者' }).waitFor();
    await page.getByRole('alert').filter({ hasText: `利用者ID「${USER_ID}」を登録し、ログインしました。` }).waitFor();
  });

  void test('the 利用者 screen shows the ID, endpoint, certificate, last authentication and key', async () => {
    const card = identityCard(page, USER_ID);
    const body = await text(card);
    assert.match(body, /接続先 検証用サンドボックス（練習用）/);
    assert.match(body, /ソフトウェアID: TODOKESANDBOX1/);
    assert.match(body, /証明書 山田 太郎/);
    assert.match(body, /証明書ファイル: yamada-taro\.p12/);
    assert.match(body, /最終認証 e-Gov の記録: /);
    assert.match(body, /このアプリでのログイン: \d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}（日本時間）/);
    assert.match(body, /アクセスキー 取得済み ?（たった今）/);
    await shot(rig, 'identity-file-04-identity');

    // The sandbox honours the key the app keeps.
    const key = rig.storedAccessKey();
    assert.ok(key, 'an access key is stored');
    assert.equal(rig.sandbox.resolveAccessKey(key), USER_ID);
  });

  void test('ホーム points to the 利用者 screen once set up', async () => {
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: 'ホーム' }).click();
    const card = page.getByRole('region', { name: '利用者' });
    assert.match(await text(card), new RegExp(`利用者ID ${USER_ID}（証明書: 山田 太郎）`));
    await shot(rig, 'identity-file-05-home');
    await card.getByRole('button', { name: '利用者情報を見る' }).click();
    await page.getByRole('heading', { level: 1, name: '利用者' }).waitFor();
  });

  void test('ログイン（再認証） asks for the file password: a wrong one is said in the dialog, the right one logs in', async () => {
    const before = rig.storedAccessKey();
    await page.getByRole('button', { name: 'ログイン（再認証）' }).click();
    const dialog = credentialDialog(page, 'パスワードの入力');
    await dialog.waitFor();
    assert.match(await text(dialog), /利用者認証（ログイン）のため、証明書ファイル「yamada-taro\.p12」のパスワードを入力してください。/);
    const input = dialog.getByLabel('パスワード', { exact: true });
    assert.ok(await input.evaluate((el) => el === document.activeElement), 'the password field takes focus');
    assert.equal(await input.getAttribute('type'), 'password');
    await shot(rig, 'identity-file-06-password-dialog');

    await answerCredential(dialog, 'パスワード', 'not-the-password');
    const wrong = dialog.getByRole('alert').filter({ hasText: 'パスワードが違います。' });
    await wrong.waitFor();
    assert.equal(await dialog.getByLabel('パスワード', { exact: true }).inputValue(), '', 'the rejected password is not kept');
    await shot(rig, 'identity-file-07-password-wrong');

    await answerCredential(dialog, 'パスワード', P12_PASSWORD);
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('alert').filter({ hasText: 'ログインしました。新しいアクセスキーを取得しました。' }).waitFor();
    const after = rig.storedAccessKey();
    assert.ok(after && after !== before, 'a new access key');
    assert.equal(rig.sandbox.resolveAccessKey(after), USER_ID);
    await shot(rig, 'identity-file-08-logged-in-again');
  });

  void test('キャンセル in the password dialog stops the login and says so', async () => {
    await page.getByRole('button', { name: 'ログイン（再認証）' }).click();
    const dialog = credentialDialog(page, 'パスワードの入力');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const error = page.getByRole('alert').filter({ hasText: 'ログインできませんでした' });
    assert.match(await text(error), /パスワードの入力が取り消されたため、中止しました。/);
  });

  void test('forgetting the user asks first (Esc keeps everything), then returns to the first-run flow', async () => {
    const forget = page.getByRole('button', { name: 'この PC から利用者情報を削除' });
    await forget.click();
    const confirm = page.getByRole('dialog', { name: '利用者情報の削除' });
    await confirm.waitFor();
    assert.match(await text(confirm), new RegExp(`利用者ID「${USER_ID}」の設定`));
    assert.match(await text(confirm), /e-Gov に登録された利用者IDと証明書はそのまま残ります。/);
    // focus starts on キャンセル and stays inside the dialog
    const cancel = confirm.getByRole('button', { name: 'キャンセル' });
    assert.ok(await cancel.evaluate((el) => el === document.activeElement));
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    assert.ok(await confirm.evaluate((el) => el.contains(document.activeElement)), 'Tab stays in the dialog');
    await shot(rig, 'identity-file-09-forget-confirm');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    assert.ok(await forget.evaluate((el) => el === document.activeElement), 'focus returns to the button');
    await identityCard(page, USER_ID).waitFor();

    await forget.click();
    await confirm.getByRole('button', { name: '削除する' }).click();
    await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
    assert.equal(rig.storedAccessKey(), null);
  });

  void test('step 1 can name an endpoint: URL, software ID, Basic authentication and a CA certificate, checked in place', async () => {
    const panel = step(page, '接続先');
    await panel.getByRole('radio', { name: /接続先を指定/ }).check();
    const url = panel.getByLabel('接続先 URL', { exact: true });
    await url.fill('http://example.com/shinsei/1/');
    await panel.getByRole('button', { name: '次へ' }).click();
    await panel.getByRole('alert').filter({ hasText: '接続先 URL は https:// で始めてください' }).waitFor();
    await panel.getByRole('alert').filter({ hasText: 'ソフトウェアIDを入力してください。' }).waitFor();
    assert.equal(await url.getAttribute('aria-invalid'), 'true');

    // The sandbox of this test, named by hand (plain http is fine on this computer only).
    await url.fill(rig.sandbox.apiBaseUrl);
    await panel.getByLabel('ソフトウェアID', { exact: true }).fill(rig.sandbox.softwareIds[0] ?? '');
    await panel.getByRole('checkbox', { name: /Basic 認証を使う/ }).check();
    await panel.getByLabel('Basic 認証のユーザー名', { exact: true }).fill('trainer');
    await panel.getByLabel('Basic 認証のパスワード', { exact: true }).fill('basic-secret');
    const ca = panel.getByLabel('CA 証明書ファイルを選ぶ', { exact: true });
    await ca.setInputFiles({ name: 'not-a-ca.pem', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await panel.getByRole('alert').filter({ hasText: 'PEM 形式の証明書' }).waitFor();
    await ca.setInputFiles(join(pki, 'sandbox-ca.cert.pem'));
    await panel.getByText('選択中: sandbox-ca.cert.pem').waitFor();
    await shot(rig, 'identity-file-10-custom-endpoint');
    await panel.getByRole('button', { name: '次へ' }).click();
    await step(page, '証明書').waitFor();
  });

  void test('registering an ID that is already registered shows the sandbox message and keeps everything', async () => {
    await chooseCertificateFile(page, 'yamada-taro.p12');
    await step(page, '証明書').getByRole('button', { name: '次へ' }).click();
    await submitUserId(page, USER_ID, 'register');
    const error = step(page, '利用者ID').getByRole('alert').filter({ hasText: '利用者IDを登録できませんでした' });
    const message = await text(error);
    assert.match(message, /該当する利用者IDと証明書の情報は、既に登録されています。/);
    assert.match(message, /入力した内容はそのまま残っています。/);
    assert.equal(await step(page, '利用者ID').getByLabel('利用者ID', { exact: true }).inputValue(), USER_ID);
    assert.match(await text(step(page, '利用者ID').getByRole('region', { name: '設定内容' })), new RegExp(`接続先 ${escapeRegExp(rig.sandbox.apiBaseUrl)}`));
    await shot(rig, 'identity-file-11-already-registered');

    // Back to step 2: the certificate is still chosen and described.
    await step(page, '利用者ID').getByRole('button', { name: '戻る' }).click();
    assert.match(await text(step(page, '証明書').getByRole('region', { name: /^選んだ証明書: / })), /山田 太郎/);
    await step(page, '証明書').getByRole('button', { name: '次へ' }).click();

    // The registered ID is taken by logging in instead.
    await submitUserId(page, USER_ID, 'login');
    await page.getByRole('alert').filter({ hasText: `利用者ID「${USER_ID}」でログインしました。` }).waitFor();
    const card = await text(identityCard(page, USER_ID));
    assert.match(card, new RegExp(`接続先 ${escapeRegExp(rig.sandbox.apiBaseUrl)} ソフトウェアID: TODOKESANDBOX1 Basic 認証のユーザー: trainer 信頼する CA 証明書を追加しています`));
    assert.doesNotMatch(card, /basic-secret/);
    await shot(rig, 'identity-file-12-custom-identity');
    const key = rig.storedAccessKey();
    assert.ok(key);
    assert.equal(rig.sandbox.resolveAccessKey(key), USER_ID);
  });

  void test('the 利用者 screen reads in English too', async () => {
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { level: 1, name: 'User' }).waitFor();
    const card = await text(page.getByRole('region', { name: USER_ID, exact: true }));
    assert.match(card, /Endpoint .* Software ID: TODOKESANDBOX1/);
    assert.match(card, /Access key Obtained \(just now\)/);
    await shot(rig, 'identity-file-13-english');
    await page.getByRole('button', { name: /日本語/ }).click();
    await page.getByRole('heading', { level: 1, name: '利用者' }).waitFor();
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

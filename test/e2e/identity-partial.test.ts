// End-to-end: the 利用者ID is registered, but the login right after it fails (the endpoint has a
// server error at that moment). The registration is kept, the 利用者 screen takes over and says
// that only the login is left; 「ログイン（再認証）」 then succeeds. Registering again would only
// have been refused as 既に登録されています.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { answerCredential, chooseCertificateFile, credentialDialog, identityCard, P12_PASSWORD, shot, startIdentityRig, step, submitUserId, text, type IdentityRig } from './support/identity.js';

const USER_ID = 'taro-partial';
let rig: IdentityRig;
let page: Page;
let proxy: FaultServer;
let loginBroken = true;

before(async () => {
  rig = await startIdentityRig();
  page = rig.page;
  // In front of the sandbox: passes every call through, except a login while loginBroken.
  proxy = await startFaultServer({
    handler: async (request) => {
      if (loginBroken && request.url.endsWith('/authentication/login')) return { kind: 'respond', status: 503 };
      const answer = await fetch(new URL(request.url.replace(/^\/shinsei\/1\//, ''), rig.sandbox.apiBaseUrl), {
        method: request.method,
        headers: { 'x-eGovAPI-SoftwareID': String(request.headers['x-egovapi-softwareid'] ?? ''), 'Content-Type': 'text/xml; charset=UTF-8' },
        body: request.body.toString('utf8'),
      });
      return { kind: 'respond', status: answer.status, body: Buffer.from(await answer.arrayBuffer()), headers: { 'Content-Type': 'text/xml;charset=UTF-8' } };
    },
  });
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
});

after(async () => {
  await rig?.close();
  await proxy?.close();
});

void describe('registered, but the first login failed', () => {
  void test('the 利用者 screen takes over and says only the login is left', async () => {
    const environment = step(page, '接続先');
    await environment.getByRole('radio', { name: /接続先を指定/ }).check();
    await environment.getByLabel('接続先 URL', { exact: true }).fill(proxy.baseUrl);
    await environment.getByLabel('ソフトウェアID', { exact: true }).fill(rig.sandbox.softwareIds[0] ?? '');
    await environment.getByRole('button', { name: '次へ' }).click();
    await chooseCertificateFile(page, 'yamada-taro.p12');
    await step(page, '証明書').getByRole('button', { name: '次へ' }).click();
    await submitUserId(page, USER_ID, 'register');

    const card = identityCard(page, USER_ID);
    await card.waitFor();
    const alert = page.getByRole('alert').filter({ hasText: '利用者IDは登録しましたが、ログインできませんでした' });
    assert.match(await text(alert), /HTTP 503/);
    assert.match(await text(alert), /登録をやり直す必要はありません。「ログイン（再認証）」でもう一度ログインしてください。/);
    assert.match(await text(card), /アクセスキー 未取得/);
    assert.doesNotMatch(await text(card), /安全に保存できない/, 'no key, so nothing to say about keeping it');
    await shot(rig, 'identity-partial-01-registered-login-failed');
  });

  void test('ログイン（再認証） then succeeds and the notice goes', async () => {
    loginBroken = false;
    await page.getByRole('button', { name: 'ログイン（再認証）' }).click();
    const dialog = credentialDialog(page, 'パスワードの入力');
    await answerCredential(dialog, 'パスワード', P12_PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'ログインしました。' }).waitFor();
    assert.equal(await page.getByRole('alert').filter({ hasText: 'ログインできませんでした' }).count(), 0);
    const key = rig.storedAccessKey();
    assert.ok(key);
    assert.equal(rig.sandbox.resolveAccessKey(key), USER_ID);
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

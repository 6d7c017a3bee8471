// End-to-end: a certificate close to its end. The core's clock is set to 2045-12-10 (the sandbox
// certificates end 2045-12-31 UTC), so the certificate is described with CERT_EXPIRES_SOON: the
// first-run flow and the 利用者 screen both say, prominently, that it expires within 30 days.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { chooseCertificateFile, chooseSandbox, identityCard, shot, startIdentityRig, step, submitUserId, text, type IdentityRig } from './support/identity.js';

const USER_ID = 'taro-expiring';
let rig: IdentityRig;
let page: Page;

before(async () => {
  rig = await startIdentityRig({ fixedNow: '2045-12-10T00:00:00Z' });
  page = rig.page;
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
});

after(async () => {
  await rig?.close();
});

void describe('a certificate that expires within 30 days', () => {
  void test('is flagged when it is chosen', async () => {
    await chooseSandbox(page);
    const summary = await chooseCertificateFile(page, 'yamada-taro.p12');
    const warning = summary.getByRole('alert').filter({ hasText: '30日以内に期限切れ' });
    assert.match(await text(warning), /この証明書の有効期限は 2046年1月1日 です（あと 22 日）。期限が切れる前に証明書を更新してください。/);
    await shot(rig, 'identity-expiry-01-chosen');
    await step(page, '証明書').getByRole('button', { name: '次へ' }).click();
  });

  void test('is flagged on the 利用者 screen', async () => {
    await submitUserId(page, USER_ID, 'register');
    const card = identityCard(page, USER_ID);
    await card.waitFor();
    await card.getByRole('alert').filter({ hasText: '30日以内に期限切れ' }).waitFor();
    assert.match(await text(card), /アクセスキー 取得済み ?（たった今）/);
    await shot(rig, 'identity-expiry-02-identity');
  });

  void test('is the first thing ホーム says about the user, with the way to renew', async () => {
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: 'ホーム' }).click();
    const user = page.getByRole('region', { name: '利用者', exact: true });
    const note = user.getByRole('status');
    assert.match(await text(note), /署名に使う証明書: 30日以内に期限切れ。「利用者情報を見る」から証明書を更新できます。/);
    await shot(rig, 'identity-expiry-03-home');
    await user.getByRole('button', { name: '利用者情報を見る' }).click();
    await identityCard(page, USER_ID).waitFor();
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

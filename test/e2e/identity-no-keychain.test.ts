// End-to-end: a desktop without a keychain (Electron's safeStorage would report the 'basic_text'
// backend). The core refuses to write the access key to disk; the login still works for this run,
// and the 利用者 screen says the key will not outlive the app.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { SealedSecretStore } from '../../src/main/profiles/secret-store.js';
import { aesStringCipher } from '../support/aes-cipher.js';
import { chooseSandbox, identityCard, shot, startIdentityRig, step, submitUserId, text, type IdentityRig } from './support/identity.js';

const USER_ID = 'taro-no-keychain';
let rig: IdentityRig;
let page: Page;

before(async () => {
  rig = await startIdentityRig({
    secrets: (dir) => new SealedSecretStore(dir, { ...aesStringCipher(), isEncryptionAvailable: () => true, backend: () => 'basic_text' }),
  });
  page = rig.page;
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
});

after(async () => {
  await rig?.close();
});

void describe('no keychain on this computer', () => {
  void test('the login works, the key is held in memory only and the screen says so', async () => {
    await chooseSandbox(page);
    await step(page, '証明書').getByRole('group', { name: '練習用の証明書' }).getByRole('button', { name: '山田 太郎（練習用）を使う' }).click();
    await step(page, '証明書').getByRole('region', { name: /^選んだ証明書: 山田 太郎/ }).waitFor();
    await step(page, '証明書').getByRole('button', { name: '次へ' }).click();
    await submitUserId(page, USER_ID, 'register');
    const card = identityCard(page, USER_ID);
    await card.waitFor();
    const body = await text(card);
    assert.match(body, /アクセスキー 取得済み/);
    assert.match(body, /安全に保存できない/);
    await shot(rig, 'identity-no-keychain-01');
    const profileDir = join(rig.home, 'profiles', 'default');
    assert.equal(existsSync(join(profileDir, 'secrets.sealed')), false, 'nothing sealed with a plaintext backend');
    assert.deepEqual(readdirSync(profileDir).filter((n) => n.startsWith('secrets')), []);
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

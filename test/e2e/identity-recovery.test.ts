// End-to-end: the stored user settings cannot be read (a damaged profile.json). The 利用者 screen
// says so in Japanese, and 「設定をやり直す」 (after a confirmation) sets the damaged folder aside —
// nothing is deleted — and starts the first-run flow, where the existing 利用者ID logs in again.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { scratchHome } from '../support/home.js';
import { setUpWithFile, shot, startIdentityRig, text, type IdentityRig } from './support/identity.js';

const USER_ID = 'taro-recovery';
const DAMAGED = '{"version": 1, "userId": "taro-recov';
let sandbox: SandboxHandle;
let rig: IdentityRig;
let page: Page;
let home: string;

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-e2e-sandbox-') });
  // First a working profile (registered at the sandbox), then damage it as a failed disk write would.
  const first = await startIdentityRig({ sandbox });
  await first.page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
  await setUpWithFile(first.page, USER_ID, 'register');
  home = first.home;
  await first.close();
  mkdirSync(join(home, 'profiles', 'default'), { recursive: true });
  writeFileSync(join(home, 'profiles', 'default', 'profile.json'), DAMAGED);

  rig = await startIdentityRig({ sandbox, home });
  page = rig.page;
});

after(async () => {
  await rig?.close();
  await sandbox?.close();
});

void describe('damaged user settings', () => {
  void test('the 利用者 screen explains the problem and offers to start over', async () => {
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: '利用者' }).click();
    const alert = page.getByRole('alert').filter({ hasText: '利用者の設定を読み込めませんでした' });
    assert.match(await text(alert), /壊れているため読めません。/);
    await shot(rig, 'identity-recovery-01-damaged');
  });

  void test('設定をやり直す asks first; キャンセル changes nothing', async () => {
    await page.getByRole('button', { name: '設定をやり直す' }).click();
    const dialog = page.getByRole('dialog', { name: '利用者の設定のやり直し' });
    assert.match(await text(dialog), /別の名前のフォルダーに移して残し/);
    await shot(rig, 'identity-recovery-02-confirm');
    await dialog.getByRole('button', { name: 'キャンセル' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(readFileSync(join(home, 'profiles', 'default', 'profile.json'), 'utf8'), DAMAGED);
  });

  void test('confirmed: the damaged folder is kept aside and the existing ID logs in again', async () => {
    await page.getByRole('button', { name: '設定をやり直す' }).click();
    await page.getByRole('dialog', { name: '利用者の設定のやり直し' }).getByRole('button', { name: 'やり直す' }).click();
    await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
    const aside = readdirSync(join(home, 'profiles')).filter((n) => n.startsWith('default.corrupt-'));
    assert.equal(aside.length, 1);
    assert.equal(readFileSync(join(home, 'profiles', aside[0] ?? '', 'profile.json'), 'utf8'), DAMAGED);

    await setUpWithFile(page, USER_ID, 'login');
    const key = rig.storedAccessKey();
    assert.ok(key);
    assert.equal(sandbox.resolveAccessKey(key), USER_ID);
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

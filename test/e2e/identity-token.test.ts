// End-to-end: a new filer with an IC card (a SoftHSM2 token holding the sandbox's token-user key
// and certificate). First run: module path → トークンを探す → token → certificate → register; the
// PIN is asked in the credential dialog, a wrong one first (PIN が違います), then the right one.
// Then a re-login while the card reports its final try: the dialog says the card would lock.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createSoftHsmToken, sandboxTokenUser, type SoftHsmToken } from '../support/softhsm.js';
import { answerCredential, chooseSandbox, credentialDialog, identityCard, shot, startIdentityRig, step, submitUserId, text, type IdentityRig } from './support/identity.js';

const USER_ID = 'sato-ken';
const TOKEN_LABEL = 'Todoke IC';
const PIN = '246810';
let token: SoftHsmToken;
let rig: IdentityRig;
let page: Page;

before(async () => {
  // SoftHSM reads its configuration at the first PKCS#11 call of this process: make the token first.
  token = createSoftHsmToken({
    label: TOKEN_LABEL,
    pin: PIN,
    objects: [sandboxTokenUser()],
  });
  rig = await startIdentityRig();
  page = rig.page;
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
});

after(async () => {
  await rig?.close();
  token?.cleanup();
});

void describe('利用者 with an IC card', () => {
  void test('step 2 finds the token and its certificate without a PIN', async () => {
    await chooseSandbox(page);
    const panel = step(page, '証明書');
    await panel.getByRole('radio', { name: /IC カード・トークン/ }).check();
    const modulePath = panel.getByLabel('PKCS#11 モジュールのパス');
    await modulePath.waitFor();
    assert.match(await text(panel), /例: \/usr\/lib\/x86_64-linux-gnu\/opensc-pkcs11\.so/);

    // A path that is not a module is explained before anything is loaded.
    await modulePath.fill('/tmp/not-a-module.txt');
    await panel.getByRole('button', { name: 'トークンを探す' }).click();
    await panel.getByRole('alert').filter({ hasText: '.so / .dylib / .dll' }).waitFor();

    await modulePath.fill(token.modulePath);
    await panel.getByRole('button', { name: 'トークンを探す' }).click();
    const tokenRadio = panel.getByRole('radio', { name: new RegExp(TOKEN_LABEL) });
    await tokenRadio.waitFor();
    // The only token and its only certificate are chosen at once.
    const certificate = panel.getByRole('radio', { name: /佐藤 健/ });
    await certificate.waitFor();
    assert.ok(await tokenRadio.isChecked());
    assert.ok(await certificate.isChecked());
    const summary = panel.getByRole('region', { name: '選んだ証明書: 佐藤 健' });
    const body = await text(summary);
    assert.match(body, /IC カード・トークン: Todoke IC（シリアル番号 /);
    assert.match(body, /発行者 .*Todoke Sandbox/);
    assert.match(body, /IC カード/);
    await shot(rig, 'identity-token-01-token-chosen');
    await panel.getByRole('button', { name: '次へ' }).click();
  });

  void test('registering asks for the PIN: a wrong one is said in the dialog, the right one logs in', async () => {
    assert.match(await text(step(page, '利用者ID').getByRole('region', { name: '設定内容' })), /証明書 佐藤 健 IC カード・トークン: Todoke IC/);
    await submitUserId(page, USER_ID, 'register');
    const dialog = credentialDialog(page, 'PIN の入力');
    await dialog.waitFor();
    assert.match(await text(dialog), /利用者IDの登録のため、IC カード「Todoke IC」の PIN を入力してください。/);
    assert.equal(await dialog.getByLabel('PIN', { exact: true }).getAttribute('type'), 'password');
    await page.getByRole('status').filter({ hasText: '利用者IDを登録しています…' }).waitFor();
    await shot(rig, 'identity-token-02-pin-dialog');

    // OK with nothing typed is answered in the dialog, not sent.
    await dialog.getByRole('button', { name: 'OK' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'PIN を入力してください。' }).waitFor();

    await answerCredential(dialog, 'PIN', '000000');
    await dialog.getByRole('alert').filter({ hasText: 'PIN が違います。' }).waitFor();
    assert.equal(await dialog.getByLabel('PIN', { exact: true }).inputValue(), '');
    await shot(rig, 'identity-token-03-pin-wrong');

    await answerCredential(dialog, 'PIN', PIN);
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('alert').filter({ hasText: `利用者ID「${USER_ID}」を登録し、ログインしました。` }).waitFor();
    const card = await text(identityCard(page, USER_ID));
    assert.match(card, /証明書 佐藤 健/);
    assert.match(card, /IC カード・トークン: Todoke IC（シリアル番号 /);
    assert.match(card, /アクセスキー 取得済み/);
    const key = rig.storedAccessKey();
    assert.ok(key);
    assert.equal(rig.sandbox.resolveAccessKey(key), USER_ID);
    await shot(rig, 'identity-token-04-identity');

    // The PIN went to the token and nowhere else: not in the page, its storage, or the files Todoke keeps.
    const inPage = await page.evaluate((pin) => [document.documentElement.outerHTML, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].some((t) => t.includes(pin)), PIN);
    assert.equal(inPage, false);
    const kept = filesBelow(rig.home);
    assert.ok(kept.some((f) => f.endsWith('profile.json')) && kept.some((f) => f.endsWith('secrets.json')));
    for (const file of kept) assert.equal(readFileSync(file).includes(PIN), false, file);
  });

  void test('when the card is on its final try, the PIN dialog says it would lock', async () => {
    token.setPinFlags({ finalTry: true });
    await page.getByRole('button', { name: 'ログイン（再認証）' }).click();
    const dialog = credentialDialog(page, 'PIN の入力');
    await dialog.waitFor();
    const warning = dialog.getByRole('alert').filter({ hasText: '次に間違えると IC カードがロックされます' });
    await warning.waitFor();
    await shot(rig, 'identity-token-05-pin-final-try');
    await answerCredential(dialog, 'PIN', PIN);
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('alert').filter({ hasText: 'ログインしました。新しいアクセスキーを取得しました。' }).waitFor();
    token.setPinFlags({ finalTry: false, countLow: false });
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

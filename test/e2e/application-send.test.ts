// End-to-end (issue #8 item 7): a filer with an IC card (SoftHSM2 token) imports two application
// folders, sees one problem, fixes it, signs with the token's PIN, sends, and watches both
// applications arrive with their 到達番号 — the core host following the 形式チェック by itself.
// The same folders offered again ask for confirmation naming the earlier 送信番号 first; 送信履歴
// lists the batch, and a batch whose 形式チェック refused an application shows e-Gov's ErrorFile in a
// frame that can run nothing.
import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { TodokeApi } from '../../src/shared/bridge.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { makeBatchFolders } from '../support/application-folders.js';
import { scratchHome } from '../support/home.js';
import { egovDir } from '../support/paths.js';
import { createSoftHsmToken, sandboxTokenUser, type SoftHsmToken } from '../support/softhsm.js';
import { assertAccessible } from './support/accessibility.js';
import { screenshotDir } from './support/launch.js';
import { answerCredential, credentialDialog, shot, startIdentityRig, text, type IdentityRig } from './support/identity.js';

const PIN = '246810';
const APPLY_XML = '900A01020000100001_01.xml';
let token: SoftHsmToken;
let sandbox: SandboxHandle;
let rig: IdentityRig;
let page: Page;
let data: string;
let folders: string[];
let firstSendNumber = '';

before(async () => {
  // SoftHSM reads its configuration at the first PKCS#11 call of this process: make the token first.
  token = createSoftHsmToken({ label: 'Todoke IC', pin: PIN, objects: [sandboxTokenUser()] });
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-e2e-sandbox-'), formatCheckDelayMs: 1500 });
  rig = await startIdentityRig({ sandbox });
  page = rig.page;
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
  data = scratchHome('todoke-e2e-send-');
  folders = makeBatchFolders(join(data, 'batch'));
  // the problem: the first folder's 申請書 is missing
  rmSync(join(folders[0]!, APPLY_XML));

  // The 利用者ID on the token, set up through the page's own bridge (the first-run screens have specs of their own).
  const setup = page.evaluate(
    async ({ modulePath }) => {
      const api = (window as unknown as { todoke: TodokeApi }).todoke;
      const tokens = await api['pkcs11.tokens']({ modulePath });
      if (!tokens.ok || !tokens.value[0]) throw new Error('no token');
      const tokenSerial = tokens.value[0].serial;
      const certificates = await api['pkcs11.certificates']({ modulePath, tokenSerial });
      if (!certificates.ok || !certificates.value[0]) throw new Error('no certificate');
      const result = await api['identity.setup']({
        environment: { kind: 'sandbox' },
        signer: { kind: 'pkcs11', modulePath, tokenSerial, certId: certificates.value[0].id },
        userId: 'sato-ken-send',
        mode: 'register',
      });
      if (!result.ok) throw new Error(result.error.messageJa);
    },
    { modulePath: token.modulePath },
  );
  await answerCredential(credentialDialog(page, 'PIN の入力'), 'PIN', PIN);
  await setup;
});

after(async () => {
  await rig?.close();
  await sandbox?.close();
  token?.cleanup();
});

function card(folder: string): Locator {
  return page.getByRole('article', { name: folder, exact: true });
}

function steps(): Locator {
  return page.getByRole('list', { name: '送信の進み具合' });
}

async function openApplications(): Promise<void> {
  await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: '申請', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '申請' }).waitFor();
}

void describe('申請: sign with the IC card and send', () => {
  void test('two folders, one problem: no way to send until it is fixed', async () => {
    await openApplications();
    await page.getByLabel('フォルダーを選ぶ').setInputFiles(join(data, 'batch'));
    const problems = card('900A010200001000(1)').getByRole('list', { name: '900A010200001000(1) の問題' }).getByRole('listitem');
    await problems.first().waitFor();
    assert.equal(await problems.count(), 1);
    assert.ok((await text(problems.first())).includes(APPLY_XML));
    assert.match(await text(card('900A010002008000(1)')), /問題はありません/);
    assert.equal(await page.getByRole('button', { name: '署名して送信' }).count(), 0, 'data with an error cannot be sent');
    await shot(rig, 'send-01-problem');
  });

  void test('fixed and imported again: signed with the PIN, sent, and both 到達番号 arrive by themselves', async () => {
    copyFileSync(join(egovDir, 'samples', APPLY_XML), join(folders[0]!, APPLY_XML));
    await page.getByLabel('フォルダーを選ぶ').setInputFiles(join(data, 'batch'));
    await page.getByText('この申請データは送信できる状態です。').waitFor();
    const panel = page.getByRole('region', { name: '署名して送信' });
    assert.match(await text(panel), /申請 2 件/);
    await shot(rig, 'send-02-ready');

    await panel.getByRole('button', { name: '署名して送信' }).click();
    const confirm = page.getByRole('dialog', { name: '一括申請の送信' });
    assert.match(await text(confirm), /申請 2 件を 1 回の一括申請として e-Gov に送信します。/);
    // focus starts on キャンセル: a stray Enter sends nothing
    assert.equal(await confirm.getByRole('button', { name: 'キャンセル' }).evaluate((el) => el === document.activeElement), true);
    await shot(rig, 'send-03-confirm');
    await confirm.getByRole('button', { name: '送信する' }).click();

    const pin = credentialDialog(page, 'PIN の入力');
    assert.match(await text(pin), /申請データへの署名のため、IC カード「Todoke IC」の PIN を入力してください。/);
    // while the PIN is asked, the progress view shows signing as the current step and 中止 is offered
    await steps().getByRole('listitem').filter({ hasText: '署名（実行中）' }).waitFor({ state: 'attached' });
    await shot(rig, 'send-04-pin');
    await answerCredential(pin, 'PIN', PIN);

    const sent = page.getByRole('alert').filter({ hasText: /送信しました（送信番号 \d{18}）/ });
    firstSendNumber = /送信番号 (\d{18})/.exec(await text(sent))?.[1] ?? '';
    assert.match(firstSendNumber, /^\d{18}$/);
    await shot(rig, 'send-05-sent');

    const arrived = page.getByRole('region', { name: '到達しました（2 / 2 件）' });
    await arrived.waitFor({ timeout: 30_000 });
    const items = arrived.getByRole('listitem');
    await items.nth(1).waitFor();
    assert.equal(await items.count(), 2);
    for (const item of await items.all()) assert.match(await text(item), /^\d{16} /);
    for (const name of ['申請データの確認', '署名', 'ZIP の作成', 'e-Gov への送信', '形式チェック', '到達']) {
      await steps().getByRole('listitem').filter({ hasText: `${name}（完了）` }).waitFor({ state: 'attached' });
    }
    await shot(rig, 'send-06-arrived');
  });

  void test('the same folders again: a confirmation naming the earlier 送信番号 before anything is signed', async () => {
    await page.getByLabel('フォルダーを選ぶ').setInputFiles(join(data, 'batch'));
    const panel = page.getByRole('region', { name: '署名して送信' });
    await panel.getByRole('button', { name: '署名して送信' }).click();
    await page.getByRole('dialog', { name: '一括申請の送信' }).getByRole('button', { name: '送信する' }).click();
    const same = page.getByRole('dialog', { name: '同じ申請データは送信済みです' });
    await same.waitFor();
    assert.match(await text(same), new RegExp(`送信番号 ${firstSendNumber} で送信済みです`));
    assert.equal(await credentialDialog(page, 'PIN の入力').count(), 0, 'no PIN asked for data that is not sent');
    await shot(rig, 'send-07-same-data');
    // stopping there sends nothing
    await same.getByRole('button', { name: 'キャンセル' }).click();
    await same.waitFor({ state: 'detached' });
  });

  void test('送信履歴 lists the batch; its page shows both 到達番号 and the record', async () => {
    await page.getByRole('navigation', { name: '申請のページ' }).getByRole('button', { name: '送信履歴' }).click();
    const table = page.getByRole('table', { name: '送信した一括申請' });
    const row = table.getByRole('row').filter({ hasText: firstSendNumber });
    assert.match(await text(row), /2 件.*完了.*2 \/ 2 件/);
    await shot(rig, 'send-08-history');
    await row.getByRole('button', { name: `${firstSendNumber} の詳細` }).click();
    await page.getByRole('heading', { level: 2, name: `送信番号 ${firstSendNumber}` }).waitFor();
    const arrived = page.getByRole('table', { name: '到達した申請の一覧' });
    await arrived.waitFor();
    assert.equal(await arrived.getByRole('row').count(), 3, 'a header and two applications');
    await shot(rig, 'send-09-batch');
  });

  void test('an application the 形式チェック refuses: its ErrorFile shown in a frame that runs nothing', async () => {
    const other = join(data, 'refused');
    const refused = makeBatchFolders(other);
    // a 再提出 kousei.xml passes the local check but e-Gov takes only 新規申請 in a 一括申請
    copyFileSync(join(egovDir, 'samples', '900A010200001000_base_kousei.xml'), join(refused[0]!, 'kousei.xml'));
    await openApplications();
    await page.getByLabel('フォルダーを選ぶ').setInputFiles(other);
    const panel = page.getByRole('region', { name: '署名して送信' });
    await panel.getByRole('button', { name: '署名して送信' }).click();
    await page.getByRole('dialog', { name: '一括申請の送信' }).getByRole('button', { name: '送信する' }).click();
    await answerCredential(credentialDialog(page, 'PIN の入力'), 'PIN', PIN);
    await page.getByRole('region', { name: '到達しました（1 / 2 件）' }).waitFor({ timeout: 30_000 });
    await page.getByText('1 件は形式チェックでエラーになり、到達していません。').waitFor();
    await page.getByRole('button', { name: '送信履歴で見る' }).click();
    const frame = page.getByTitle('e-Gov のエラー報告（スクリプトは実行しません）');
    await frame.waitFor();
    // a frame that may run nothing: sandbox="" (an opaque origin without scripts) holding a blob: document
    assert.equal(await frame.getAttribute('sandbox'), '');
    assert.match((await frame.getAttribute('src')) ?? '', /^blob:/);
    // (Playwright cannot look inside a frame where no script may run: the report's text is asked of the core, the picture shows it rendered)
    const html = await page.evaluate(async () => {
      const api = (window as unknown as { todoke: TodokeApi }).todoke;
      const list = await api['batch.list']({});
      if (!list.ok || !list.value[0]) throw new Error('no batch');
      const report = await api['batch.errorReport']({ entryId: list.value[0].id });
      if (!report.ok) throw new Error(report.error.messageJa);
      return report.value.html;
    });
    assert.match(html, /900A010200001000\(1\)/);
    const box = await frame.boundingBox();
    assert.ok(box && box.height >= 300, 'the frame is tall enough to read');
    await shot(rig, 'send-10-error-report');
    // a full-page picture leaves a frame of its own process blank: the report as a person sees it, in the window
    await frame.scrollIntoViewIfNeeded();
    await assertAccessible(page, 'send-11-error-report-frame');
    await page.screenshot({ path: join(screenshotDir, 'send-11-error-report-frame.png') });
    assert.deepEqual(rig.todoke.problems, []);
  });
});

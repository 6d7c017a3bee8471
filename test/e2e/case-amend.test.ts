// End-to-end (issue #10 items 6 and 8): a 補正 round trip from the case screen, over a sandbox the app
// filed a batch to (through the page's own bridge, so that Todoke holds the data it sent). First a
// 補正 of a case the ministry never asked to correct: the workbench opens with no notice, the 申請書
// XML is replaced with a corrected copy picked in the page (its diff row reads 59 → 60), and e-Gov's
// recorded HTTP 500 comes back as Todoke's explanation (not 補正待ち). Then the operator issues a
// 補正通知: after a background sync the case is 補正待ち and offers 「補正する…」, the workbench shows
// the notice's text and deadline beside the same diff, and the 補正 sent with the password arrives
// with its own 到達番号, linked both ways. A case filed elsewhere (Todoke holds no data sent for it)
// asks for the filed folder first. Axe checks on every screen photographed.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { TodokeApi } from '../../src/shared/bridge.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { makeBatchFolders } from '../support/application-folders.js';
import { seedAppCases, seedSandboxCases, startSandboxProxy, type SandboxProxy } from '../support/case-seed.js';
import { scratchHome } from '../support/home.js';
import { egovDir } from '../support/paths.js';
import { answerCredential, credentialDialog, P12_PASSWORD, registerWithFileThroughBridge, startIdentityRig, text, type IdentityRig } from './support/identity.js';
import { photoWithoutToasts } from './support/screens.js';

const USER_ID = 'sato-amend';
const AMEND_PATH = '/shinsei/1/access/amendapply';
const FORM = '900A01020000100001_01.xml';
const NOTICE_TEXT = '申請書の「年」の記載に誤りがあります。正しい年を記載して、補正してください。';
let sandbox: SandboxHandle;
/** between the app and the sandbox: drops the connection once the sandbox answered a 補正, when asked */
let proxy: SandboxProxy;
let dropAmendments = false;
let rig: IdentityRig;
let page: Page;
/** the case corrected: the batch's 900A010200001000 application, whose 申請書 holds <年>59</年> */
let target = '';
/** the 補正's own 到達番号, once it arrived */
let amendment = '';
/** the corrected copy of the 申請書 the person picks */
let corrected = '';
/** a second correction of it (年 61), for the 補正 e-Gov asks for again after the first arrived */
let correctedAgain = '';
/** and a third (年 62), for the English run */
let correctedThird = '';
/** a case filed elsewhere (seeded): Todoke holds no data sent for it */
let elsewhere = '';
/** the application folder as filed: what the person gives for the case filed elsewhere */
let filedFolder = '';

/** A deadline two days ahead in Japan: inside the three days the workbench shows in red. */
function deadlineInTwoDays(): string {
  const jst = new Date(Date.now() + 9 * 3_600_000 + 2 * 86_400_000);
  return `${jst.getUTCFullYear()}${String(jst.getUTCMonth() + 1).padStart(2, '0')}${String(jst.getUTCDate()).padStart(2, '0')}`;
}

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-e2e-sandbox-am-'), formatCheckDelayMs: 0 });
  proxy = await startSandboxProxy(sandbox.url);
  proxy.hook = async (req, forward) => {
    const answer = await forward();
    return dropAmendments && req.method === 'POST' && req.url === AMEND_PATH ? { kind: 'drop' } : answer;
  };
  rig = await startIdentityRig({ sandbox: { ...sandbox, apiBaseUrl: proxy.baseUrl }, poll: { intervalMs: 1000 } });
  page = rig.page;
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
  await registerWithFileThroughBridge(page, USER_ID);

  const data = scratchHome('todoke-e2e-amend-');
  const paths = makeBatchFolders(join(data, 'batch'));
  filedFolder = paths[0] ?? '';
  corrected = join(data, FORM);
  const form = readFileSync(join(egovDir, 'samples', FORM), 'utf8');
  assert.ok(form.includes('<年>59</年>'), 'the sample holds the field the spec corrects');
  writeFileSync(corrected, form.replace('<年>59</年>', '<年>60</年>'));
  correctedAgain = join(data, 'again', FORM);
  correctedThird = join(data, 'third', FORM);
  mkdirSync(join(data, 'again'), { recursive: true });
  mkdirSync(join(data, 'third'), { recursive: true });
  writeFileSync(correctedAgain, form.replace('<年>59</年>', '<年>61</年>'));
  writeFileSync(correctedThird, form.replace('<年>59</年>', '<年>62</年>'));

  // the batch is filed through the page's own bridge (its screens have specs of their own); its password in the dialog
  const sent = page.evaluate(
    async ({ paths, jobId }) => {
      const result = await (window as unknown as { todoke: TodokeApi }).todoke['batch.send']({ jobId, paths });
      if (!result.ok) throw new Error(result.error.messageJa);
    },
    { paths, jobId: `job-e2e-am-${process.pid}` },
  );
  await answerCredential(credentialDialog(page, 'パスワードの入力'), 'パスワード', P12_PASSWORD);
  await sent;
  target = await page.evaluate(async () => {
    const api = (window as unknown as { todoke: TodokeApi }).todoke;
    for (let i = 0; i < 600; i++) {
      const page = await api['case.list']({});
      const hit = page.ok ? page.value.cases.find((c) => c.procedureFolderName.startsWith('900A010200001000')) : undefined;
      if (hit) return hit.arriveId;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the batch never arrived as cases');
  });
  // seeded only now: its folder name is the batch's first one, which found `target` above
  const seeded = seedSandboxCases(sandbox.dataDir, USER_ID, { sends: 1, perSend: 1 });
  seedAppCases(rig.home, 'default', seeded);
  elsewhere = seeded[0]?.applications[0]?.arriveId ?? '';
});

after(async () => {
  await rig?.close();
  await proxy?.close();
  await sandbox?.close();
});

const amendPosts = () => proxy.requests.filter((r) => r.method === 'POST' && r.url === AMEND_PATH).length;

function caseHeading(arriveId: string): Locator {
  return page.getByRole('heading', { level: 1, name: `到達番号 ${arriveId}` });
}

function workbenchHeading(arriveId: string): Locator {
  return page.getByRole('heading', { level: 1, name: `到達番号 ${arriveId} の補正` });
}

async function openCase(arriveId: string): Promise<void> {
  await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: '案件', exact: true }).click();
  await page.getByRole('grid', { name: '案件一覧' }).getByRole('row').filter({ has: page.getByText(arriveId, { exact: true }) }).click();
  await caseHeading(arriveId).waitFor();
}

function fileItem(name: string): Locator {
  return page.getByRole('list', { name: '申請データのファイル' }).getByRole('listitem', { name, exact: true });
}

const photo = (name: string): Promise<void> => photoWithoutToasts(rig, name);

/** Waits for `outcome`, answering the password prompt if the core asks for one first (a login or a signature). */
async function answeringPassword(outcome: Locator): Promise<void> {
  const password = credentialDialog(page, 'パスワードの入力');
  await Promise.race([password.waitFor({ timeout: 30_000 }), outcome.waitFor({ timeout: 30_000 })]);
  if (await password.count()) await answerCredential(password, 'パスワード', P12_PASSWORD);
  await outcome.waitFor({ timeout: 30_000 });
}

async function confirmAndSend(): Promise<void> {
  await page.getByRole('button', { name: '補正申請を送信' }).click();
  const confirm = page.getByRole('dialog', { name: 'この内容で補正申請を送りますか？' });
  await confirm.waitFor();
  assert.match(await text(confirm), new RegExp(`到達番号 ${target}「`));
  assert.match(await text(confirm), new RegExp(`差し替えるファイル: ${FORM.replace('.', '\\.')}`));
  assert.match(await text(confirm), /変更した項目: 1 件/);
  assert.equal(await confirm.getByRole('button', { name: 'キャンセル' }).evaluate((el) => el === document.activeElement), true, 'focus starts on キャンセル');
}

void describe('補正 from the case screen', () => {
  void test('a case not 補正待ち: the workbench opens with no notice, the replaced 申請書 shows 59 → 60', async () => {
    await openCase(target);
    const action = page.getByRole('region', { name: '補正', exact: true });
    assert.match(await text(action), /補正の指示は出ていません/);
    await photo('case-amend-01-case');

    await action.getByRole('button', { name: `到達番号 ${target} の補正の作業台を開く…` }).click();
    await workbenchHeading(target).waitFor();
    const notice = page.getByRole('region', { name: '補正通知' });
    await notice.getByText('まだ Todoke に届いていません', { exact: false }).waitFor();
    await page.getByText('この案件は補正待ちではありません。', { exact: false }).waitFor();
    await fileItem(FORM).waitFor();
    assert.match(await text(fileItem(FORM)), /変更なし/);
    const send = page.getByRole('button', { name: '補正申請を送信' });
    assert.equal(await send.isDisabled(), true, 'nothing to send before a file changed');
    assert.match(await text(page.getByRole('region', { name: '補正申請を送信' })), /ファイルを差し替えると送信できます/);
    await photo('case-amend-02-workbench');

    await page.getByLabel(`${FORM} を差し替える`, { exact: true }).setInputFiles(corrected);
    const diff = fileItem(FORM).getByRole('table', { name: `${FORM} の変更点` });
    await diff.waitFor();
    const headers = await diff.getByRole('columnheader').allInnerTexts();
    assert.deepEqual(headers, ['項目', '変更前', '変更後', '種類']);
    const row = diff.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^年/ }) });
    assert.deepEqual((await row.getByRole('cell').allInnerTexts()).slice(0, 3), ['59', '60', '変更']);
    assert.match(await text(fileItem(FORM)), /差し替え済/);
    assert.equal(await send.isEnabled(), true);
    await photo('case-amend-03-diff');
  });

  void test('restore undoes the replacement; picked again, e-Gov refuses the 補正 and Todoke says why', async () => {
    await fileItem(FORM).getByRole('button', { name: `${FORM} を元に戻す` }).click();
    await fileItem(FORM).getByText('変更なし', { exact: true }).waitFor();
    assert.equal(await fileItem(FORM).getByRole('table').count(), 0);
    assert.equal(await page.getByRole('button', { name: '補正申請を送信' }).isDisabled(), true);

    await page.getByLabel(`${FORM} を差し替える`, { exact: true }).setInputFiles(corrected);
    await fileItem(FORM).getByRole('table').waitFor();
    await confirmAndSend();
    await photo('case-amend-04-confirm');
    await page.getByRole('dialog', { name: 'この内容で補正申請を送りますか？' }).getByRole('button', { name: '署名して送信' }).click();

    const failed = page.getByRole('alert').filter({ hasText: '補正申請を送れませんでした' });
    await answeringPassword(failed);
    const said = await text(failed);
    assert.match(said, /e-Gov は到達番号 \d+ の補正を受け付けませんでした/);
    assert.match(said, /補正待ちでも再提出ができる状態でもない/);
    assert.match(said, /補正通知が届いて案件が「補正待ち」になってから、もう一度送ってください/);
    assert.equal(await page.locator('.amend-failure').evaluate((el) => el === document.activeElement), true, 'the failure takes focus');
    const item = page.getByRole('list', { name: 'この案件の補正（古い順）' }).getByRole('listitem');
    await item.getByText('受け付けられませんでした', { exact: true }).waitFor();
    assert.match(await text(fileItem(FORM)), /差し替え済/, 'the replacement stays in the draft');
    await photo('case-amend-05-refused');
  });

  void test('the operator asks for a correction: after a sync the case is 補正待ち and offers 補正する…', async () => {
    await sandbox.issueNotice({ action: 'issue-correction', arriveId: target, title: '補正通知（申請書の年）', text: NOTICE_TEXT, deadline: deadlineInTwoDays() });
    await page.getByRole('button', { name: '案件の画面へ' }).click();
    await caseHeading(target).waitFor();
    const action = page.getByRole('region', { name: '補正', exact: true });
    await action.getByRole('button', { name: `到達番号 ${target} の案件を補正する…` }).waitFor({ timeout: 30_000 });
    const facts = page.getByRole('region', { name: `到達番号 ${target}` });
    await facts.getByText('審査中（補正待ち）', { exact: true }).first().waitFor();
    assert.doesNotMatch(await text(action), /補正の指示は出ていません/);
    await photo('case-amend-06-awaiting');
  });

  void test('the workbench shows the notice beside the diff; sent with the password, the 補正 arrives with its own 到達番号', async () => {
    await page.getByRole('button', { name: `到達番号 ${target} の案件を補正する…` }).click();
    await workbenchHeading(target).waitFor();
    const notice = page.getByRole('region', { name: '補正通知' });
    await notice.getByText(NOTICE_TEXT, { exact: false }).waitFor({ timeout: 30_000 });
    assert.match(await text(notice), /補正期限/);
    assert.match(await text(notice), /あと2日/);
    assert.equal(await notice.locator('.amend-deadline--urgent').count(), 1, 'a deadline within three days is shown in red');
    assert.equal(await page.getByText('この案件は補正待ちではありません。', { exact: false }).count(), 0);
    await fileItem(FORM).getByRole('table').waitFor();
    await photo('case-amend-07-notice');

    await confirmAndSend();
    await page.getByRole('dialog', { name: 'この内容で補正申請を送りますか？' }).getByRole('button', { name: '署名して送信' }).click();
    const result = page.getByRole('region', { name: '補正が到達しました' });
    await answeringPassword(result);
    const id = /補正の到達番号は (\d+) です/.exec(await text(result))?.[1];
    assert.ok(id, 'the new 到達番号 is shown');
    amendment = id;
    assert.notEqual(amendment, target);
    await photo('case-amend-08-done');

    await result.getByRole('button', { name: `補正の案件（到達番号 ${amendment}）を開く` }).click();
    await caseHeading(amendment).waitFor();
    const of = page.getByRole('alert').filter({ hasText: 'この案件は補正です' });
    await of.waitFor();
    assert.match(await text(of), new RegExp(`到達番号 ${target} の案件の補正として送ったもの`));
    await photo('case-amend-09-amendment-case');

    await of.getByRole('button', { name: `補正元の案件（到達番号 ${target}）を開く` }).click();
    await caseHeading(target).waitFor();
    const list = page.getByRole('list', { name: 'この案件の補正（古い順）' });
    const arrived = list.getByRole('listitem').filter({ hasText: '到達しました' });
    await arrived.waitFor();
    await arrived.getByRole('button', { name: `補正の案件（到達番号 ${amendment}）を開く` }).waitFor();
    assert.equal(await list.getByRole('listitem').count(), 2, 'the refused 補正 and the one that arrived');
    await photo('case-amend-10-original');
  });

  void test('the case list tags the 補正 case with the case it corrects', async () => {
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: '案件', exact: true }).click();
    const row = page.getByRole('grid', { name: '案件一覧' }).getByRole('row').filter({ has: page.getByText(amendment, { exact: true }) });
    await row.waitFor();
    assert.match(await text(row), new RegExp(`^${amendment} 補正 .* ${target} の補正 `));
    await photo('case-amend-11-list');
  });

  void test('a case filed elsewhere: the workbench asks for the filed folder and lays the draft out from it', async () => {
    await openCase(elsewhere);
    await page.getByRole('button', { name: `到達番号 ${elsewhere} の補正の作業台を開く…` }).click();
    await workbenchHeading(elsewhere).waitFor();
    const files = page.getByRole('region', { name: '申請データ' });
    await files.getByText('提出した申請データが見つかりません', { exact: true }).waitFor();
    assert.match(await text(files), /Todoke 以外から送られたか/);
    assert.equal(await page.getByRole('button', { name: '補正申請を送信' }).isDisabled(), true);
    assert.match(await text(page.getByRole('region', { name: '補正申請を送信' })), /提出した申請データのフォルダーを選ぶと、補正を作れます/);
    await photo('case-amend-12-folder-needed');

    await page.getByLabel('申請データのフォルダーを選ぶ', { exact: true }).setInputFiles(filedFolder);
    await files.getByText('指定したフォルダーの申請データです。', { exact: true }).waitFor();
    assert.deepEqual(await files.getByRole('list', { name: '申請データのファイル' }).getByRole('listitem').evaluateAll((items) => items.map((i) => i.getAttribute('aria-label'))), ['kousei.xml', FORM, 'tenpu.txt']);
    await page.getByLabel(`${FORM} を差し替える`, { exact: true }).setInputFiles(corrected);
    await fileItem(FORM).getByRole('table').waitFor();
    assert.equal(await page.getByRole('button', { name: '補正申請を送信' }).isEnabled(), true);
    await photo('case-amend-13-from-folder');
  });

  void test('an answer that never came: the 補正 is unknown, and 「e-Gov に確認」 finds it arrived without sending it again', async () => {
    // the background sync would settle it by itself: paused, the person does it
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: '案件', exact: true }).click();
    const sync = page.getByRole('region', { name: '自動確認' });
    await sync.getByRole('button', { name: '一時停止' }).click();
    await sync.getByText('一時停止中', { exact: true }).waitFor();
    await sandbox.issueNotice({ action: 'issue-correction', arriveId: target, text: '再度、年を確認してください。' });
    await openCase(target);
    await page.getByRole('button', { name: new RegExp(`^到達番号 ${target} の(案件を補正する|補正の作業台を開く)…$`) }).click();
    await workbenchHeading(target).waitFor();
    // the 補正 that arrived is spent: the workbench starts from what it sent, nothing changed yet
    const files = page.getByRole('region', { name: '申請データ' });
    await files.getByText(/^この案件に届いた前回の補正で送った申請データです/).waitFor();
    assert.equal(await page.getByRole('button', { name: '補正申請を送信' }).isDisabled(), true, 'nothing to send before a change');
    await page.getByLabel(`${FORM} を差し替える`, { exact: true }).setInputFiles(correctedAgain);
    await fileItem(FORM).getByRole('table').waitFor();
    assert.match(await text(fileItem(FORM).getByRole('table')), /60.*61/);
    const posts = amendPosts();
    await confirmAndSend();
    dropAmendments = true;
    await page.getByRole('dialog', { name: 'この内容で補正申請を送りますか？' }).getByRole('button', { name: '署名して送信' }).click();
    const failed = page.getByRole('alert').filter({ hasText: '補正申請を送れませんでした' });
    await answeringPassword(failed);
    dropAmendments = false;
    assert.equal(amendPosts(), posts + 1);
    assert.match(await text(failed), /「e-Gov に確認」を押すと、届いたかどうかを確かめられます/);
    const item = page.getByRole('list', { name: 'この案件の補正（古い順）' }).getByRole('listitem').filter({ hasText: '届いたかどうか分かりません' });
    await item.waitFor();
    assert.equal(await page.getByRole('button', { name: '補正申請を送信' }).isDisabled(), true, 'no second 補正 while one is unknown');
    await photo('case-amend-14-unknown');

    await item.getByRole('button', { name: 'e-Gov に確認' }).click();
    await answeringPassword(page.getByRole('status').filter({ hasText: '確認しました: 到達しました' }));
    assert.equal(amendPosts(), posts + 1, 'nothing sent again');
    const list = page.getByRole('list', { name: 'この案件の補正（古い順）' });
    await list.getByRole('listitem').filter({ hasText: '届いたかどうか分かりません' }).waitFor({ state: 'detached' });
    assert.equal(await list.getByRole('listitem').filter({ hasText: '到達しました' }).count(), 2);
    assert.equal(await page.getByRole('alert').filter({ hasText: '補正申請を送れませんでした' }).count(), 0, 'the failure is history once checked');
    await photo('case-amend-15-checked');
  });

  void test('in English: the workbench and its diff', async () => {
    await openCase(target);
    await page.getByRole('button', { name: '表示言語: English' }).click();
    await page.getByRole('button', { name: new RegExp(`^(Correct the case|Open the correction workbench) of arrival number ${target}…$`) }).click();
    await page.getByRole('heading', { level: 1, name: `Correcting arrival number ${target}` }).waitFor();
    const notice = page.getByRole('region', { name: 'Correction notice' });
    await notice.getByText('Deadline', { exact: true }).waitFor();
    await page.getByText(/^The application data of the last correction that reached e-Gov/).waitFor();
    await page.getByLabel(`Replace ${FORM}`, { exact: true }).setInputFiles(correctedThird);
    await page.getByRole('table', { name: `Changes in ${FORM}` }).getByRole('columnheader', { name: 'Before' }).waitFor();
    await photo('case-amend-16-english');
    await page.getByRole('button', { name: /^Display language: / }).click();
    await workbenchHeading(target).waitFor();
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

// End-to-end (issue #10 items 7 and 8, the GUI half): what the government sends back, seen from the
// app while it is open. The sandbox's operator issues a 公文書 signed by its 官職 test CA (with a PDF
// beside it), a コメント and a 補正通知 for one arrived case; the background sync (every second here)
// keeps each in the vault, confirms 取得完了 and raises notice.changed, so the 公文書 inbox lists
// them without a reload. The 公文書 opens rendered, verified by Todoke (検証済) and by e-Gov's
// 公文書署名検証 side by side, its PDF shown as a PDF, and is saved as PDF and as its original ZIP;
// a tampered copy shows as 署名不正, never as valid. Every screen photographed passes the axe checks.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { NoticeRequest } from '../../src/sandbox/operator/notice-actions.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { shot, text, type IdentityRig } from './support/identity.js';
import { jstDay, menuItem as mainMenuItem, startFilerRig } from './support/screens.js';

const USER_ID = 'sato-documents';
/** how long the background sync (a cycle a second) may take to find what the operator issued */
const SYNC_WAIT = { timeout: 20_000 };
let sandbox: SandboxHandle;
let rig: IdentityRig;
let page: Page;
let arriveId = '';

before(async () => {
  const filer = await startFilerRig({ userId: USER_ID, sends: 1, perSend: 1 });
  ({ sandbox, rig } = filer);
  const seeded = filer.seeded;
  page = rig.page;
  arriveId = seeded[0]!.applications[0]!.arriveId;
});

after(async () => {
  await rig?.close();
  await sandbox?.close();
});

/** The operator's notices (issue-document [pdf, tamper], issue-comment, issue-correction), as `todoke sandbox op` issues them. */
async function issue(request: Omit<NoticeRequest, 'arriveId'>): Promise<void> {
  await sandbox.issueNotice({ ...request, arriveId });
}

const menuItem = (name: string): Locator => mainMenuItem(page, name);

function inbox(): Locator {
  return page.getByRole('grid', { name: '公文書・コメント・補正通知の一覧' });
}

function row(kind: '公文書' | 'コメント' | '補正通知'): Locator {
  return inbox().getByRole('row').filter({ has: page.getByText(kind, { exact: true }) });
}

async function waitForPdfViewer(p: Page): Promise<void> {
  for (let i = 0; i < 100 && !p.frames().some((f) => f.url().startsWith('chrome-extension://')); i++) await p.waitForTimeout(100);
  assert.ok(p.frames().some((f) => f.url().startsWith('chrome-extension://')), 'the PDF viewer opened');
}

async function openInbox(): Promise<void> {
  await menuItem('公文書').click();
  await page.getByRole('heading', { level: 1, name: '公文書' }).waitFor();
}

void describe('公文書: the inbox, the document viewer with its verification, comments and 補正通知', () => {
  void test('公文書 is a screen of its own, empty before anything arrives', async () => {
    await openInbox();
    assert.doesNotMatch(await menuItem('公文書').innerText(), /準備中/);
    await page.getByText('まだ何も届いていません').waitFor();
    await shot(rig, 'documents-01-empty');
  });

  void test('the operator issues a signed 公文書 with a PDF: it arrives in the open inbox, unread, verified', async () => {
    const before = await page.evaluate(() => performance.timeOrigin);
    await issue({ action: 'issue-document', pdf: true });
    const doc = row('公文書');
    await doc.waitFor(SYNC_WAIT);
    await doc.getByText('取得完了').waitFor(SYNC_WAIT);
    await doc.getByText('署名: 検証済', { exact: true }).waitFor(SYNC_WAIT);
    assert.match(await text(doc), new RegExp(arriveId));
    assert.match(await text(doc), /未読/, 'unread, said to screen readers too');
    assert.equal(await inbox().getAttribute('aria-rowcount'), '2');
    await page.getByText('1 件中 1 件を表示（未読 1 件）').waitFor();
    assert.equal(await page.evaluate(() => performance.timeOrigin), before, 'the page was not reloaded');
    await shot(rig, 'documents-02-inbox');
  });

  void test('the 公文書 opens from the keyboard: rendered in a sandboxed frame, its PDF as a PDF, both verifications', async () => {
    await row('公文書').focus();
    await page.keyboard.press('Enter');
    const verification = page.getByRole('region', { name: '署名の検証' });
    await verification.waitFor();
    const frame = page.locator('iframe.notice-frame:not(.notice-frame--pdf)');
    assert.equal(await frame.getAttribute('sandbox'), '', 'no scripts, forms or navigation in the document');
    assert.match((await frame.getAttribute('title')) ?? '', /スクリプトは実行せず/);
    // a page of its own under its own CSP (harness: /doc/notice/<id>; Electron: todoke-doc://notice/<id>), not a blob: that would inherit the app's
    assert.match((await frame.getAttribute('src')) ?? '', /(\/doc\/notice\/\d+\?token=|^todoke-doc:\/\/notice\/\d+$)/);
    const body = await frame.contentFrame().locator('body').innerText();
    assert.ok(body.trim().length > 0, 'the document shows its text');

    const local = page.getByRole('region', { name: 'Todoke の検証' });
    await local.getByText('署名: 検証済', { exact: true }).waitFor();
    const checks = local.getByRole('list', { name: 'Todoke が確かめた項目' }).getByRole('listitem');
    assert.ok((await checks.count()) >= 3);
    for (const item of await checks.all()) assert.match(await item.innerText(), /^✓/);
    assert.match(await text(local), /Todoke Sandbox 官職認証局/, 'the chain ends at the sandbox 官職 CA, trusted for a sandbox profile');

    const pdf = page.locator('iframe.notice-frame--pdf');
    await pdf.waitFor();
    // Chromium's own PDF viewer (an extension page) opens inside the frame: the harness Chromium shows PDFs
    await waitForPdfViewer(page);
    assert.equal(await pdf.getAttribute('sandbox'), null, "Chromium's PDF viewer does not run in a sandboxed frame");
    assert.match((await pdf.getAttribute('src')) ?? '', /^blob:/);
    const files = page.getByRole('table', { name: 'ファイル' });
    assert.match(await text(files), /\.xml/);
    assert.match(await text(files), /\.pdf/);
    await shot(rig, 'documents-03-document');
  });

  void test('もう一度検証 asks e-Gov too: its answer beside the own check, as sent', async () => {
    const verification = page.getByRole('region', { name: '署名の検証' });
    await verification.getByRole('button', { name: 'もう一度検証' }).click();
    await verification.getByText('検証しました。').waitFor(SYNC_WAIT);
    const remote = page.getByRole('region', { name: 'e-Gov の公文書署名検証' });
    await remote.getByText('問題なし').waitFor();
    assert.match(await text(remote), /正常です。/);
    assert.match(await text(remote), /エラー件数 0/);
    await shot(rig, 'documents-04-verified');
  });

  void test('the document is saved as PDF and as the ZIP e-Gov sent, each at the path shown', async () => {
    const save = page.getByRole('region', { name: '保存', exact: true });
    await save.getByRole('button', { name: 'PDF で保存' }).click();
    const saved = save.getByRole('status');
    await saved.getByText(/^保存しました: /).waitFor(SYNC_WAIT);
    const pdfPath = (await saved.innerText()).replace(/^保存しました: /, '').trim();
    assert.ok(existsSync(pdfPath), pdfPath);
    assert.equal(readFileSync(pdfPath).subarray(0, 5).toString('latin1'), '%PDF-');

    await save.getByRole('button', { name: '元の ZIP を保存' }).click();
    await saved.getByText(/\.zip$/).waitFor(SYNC_WAIT);
    const zipPath = (await saved.innerText()).replace(/^保存しました: /, '').trim();
    assert.equal(readFileSync(zipPath).subarray(0, 2).toString('latin1'), 'PK');
  });

  void test('back in the inbox the 公文書 is read', async () => {
    await page.keyboard.press('Alt+ArrowLeft');
    await page.getByRole('heading', { level: 1, name: '公文書' }).waitFor();
    await page.getByText('1 件中 1 件を表示（未読 0 件）').waitFor();
    assert.doesNotMatch(await text(row('公文書')), /未読/);
  });

  void test('a tampered 公文書 is kept and shown as 署名不正, never as valid', async () => {
    await issue({ action: 'issue-document', title: '改ざんされた公文書', tamper: true });
    const bad = inbox().getByRole('row').filter({ hasText: '署名不正' });
    await bad.waitFor(SYNC_WAIT);
    assert.equal(await bad.getByText('署名: 検証済').count(), 0);
    await bad.click();
    await page.getByRole('alert').filter({ hasText: '署名が正しくありません' }).waitFor();
    const local = page.getByRole('region', { name: 'Todoke の検証' });
    await local.getByText('署名: 署名不正', { exact: true }).waitFor();
    assert.ok((await local.getByRole('listitem').filter({ hasText: /^✗/ }).count()) >= 1, 'the failed check is marked');
    assert.equal(await page.getByText('署名: 検証済', { exact: true }).count(), 0);
    await shot(rig, 'documents-05-tampered');
  });

  void test('a コメント and a 補正通知 arrive; the filter shows the unread コメント only', async () => {
    await openInbox();
    await issue({ action: 'issue-comment' });
    await issue({ action: 'issue-correction', deadline: jstDay(2) });
    await row('コメント').waitFor(SYNC_WAIT);
    await row('補正通知').waitFor(SYNC_WAIT);
    const kinds = page.getByRole('group', { name: '種類' });
    await kinds.getByRole('button', { name: 'コメント', exact: true }).click();
    await page.getByLabel('未読のみ').check();
    await page.getByText(/^1 件中 1 件を表示/).waitFor();
    assert.equal(await row('公文書').count(), 0);
    await shot(rig, 'documents-06-filtered');
    await row('コメント').click();
    await page.getByRole('region', { name: '本文' }).waitFor();
    assert.equal(await page.getByRole('region', { name: '署名の検証' }).count(), 0, 'a コメント has no verification panel');
    await shot(rig, 'documents-07-comment');
  });

  void test('the 補正通知 shows its deadline and leads to the 補正 workbench', async () => {
    await openInbox();
    await page.getByRole('group', { name: '種類' }).getByRole('button', { name: 'すべて', exact: true }).click();
    await page.getByLabel('未読のみ').uncheck();
    await row('補正通知').click();
    const amend = page.getByRole('region', { name: '補正', exact: true });
    await amend.waitFor();
    await shot(rig, 'documents-08-correction');
    await amend.getByRole('button', { name: '補正の作業画面を開く' }).click();
    await page.getByRole('heading', { level: 1, name: `到達番号 ${arriveId} の補正` }).waitFor();
  });

  void test('the case lists its notices, unread first, and fetches from e-Gov on request', async () => {
    await page.getByRole('navigation', { name: '現在の位置' }).getByRole('button', { name: `到達番号 ${arriveId}` }).click();
    const section = page.getByRole('region', { name: '通知・公文書' });
    const list = section.getByRole('list', { name: 'この案件の通知・公文書（未読が先）' });
    await list.waitFor();
    assert.equal(await list.getByRole('listitem').count(), 4);
    await section.getByRole('button', { name: 'e-Gov から取得' }).click();
    await section.getByText('e-Gov に問い合わせました。この案件の通知は 4 件です。').waitFor(SYNC_WAIT);
    await shot(rig, 'documents-09-case');
    await list.getByRole('button', { name: /公文書 「.*」を開く/ }).first().click();
    await page.getByRole('region', { name: '署名の検証' }).waitFor();
  });

  void test('the 要対応 count of unread コメント leads to the inbox filtered to them', async () => {
    await menuItem('案件').click();
    await page.getByRole('heading', { level: 1, name: '案件' }).waitFor();
    await page.getByRole('button', { name: '未読のコメントを受信一覧で見る' }).click();
    await page.getByRole('heading', { level: 1, name: '公文書' }).waitFor();
    assert.equal(await page.getByRole('group', { name: '種類' }).getByRole('button', { name: 'コメント', exact: true }).getAttribute('aria-pressed'), 'true');
    assert.ok(await page.getByLabel('未読のみ').isChecked());
  });

  void test('the search finds a notice by its title or the 到達番号, says when nothing matches, and clears', async () => {
    await openInbox();
    await page.getByRole('group', { name: '種類' }).getByRole('button', { name: 'すべて', exact: true }).click();
    await page.getByLabel('未読のみ').uncheck();
    await page.waitForFunction(() => document.querySelector('[role=grid]')?.getAttribute('aria-busy') === 'false');
    const everything = await inbox().getAttribute('aria-rowcount');
    const title = (await row('コメント').getByRole('gridcell').nth(1).textContent())!;
    const search = page.getByRole('search', { name: '検索' });
    await search.getByRole('searchbox', { name: '検索' }).fill(title);
    await search.getByRole('button', { name: '検索する' }).click();
    await page.getByText(/^1 件中 1 件を表示/).waitFor();
    await row('コメント').waitFor();
    await search.getByRole('searchbox', { name: '検索' }).fill(arriveId.slice(-6));
    await search.getByRole('searchbox', { name: '検索' }).press('Enter');
    await page.waitForFunction((n) => document.querySelector('[role=grid]')?.getAttribute('aria-rowcount') === n, everything);
    await search.getByRole('searchbox', { name: '検索' }).fill('どの通知にもない言葉');
    await search.getByRole('button', { name: '検索する' }).click();
    await page.getByText('条件に合うものはありません').waitFor();
    await shot(rig, 'documents-06b-search-no-match');
    await search.getByRole('button', { name: '検索を消す' }).click();
    await inbox().waitFor();
    assert.equal(await inbox().getAttribute('aria-rowcount'), everything);
    assert.equal(await search.getByRole('searchbox', { name: '検索' }).inputValue(), '');
  });

  void test('in English, the words of e-Gov stay as sent', async () => {
    await page.getByRole('button', { name: '表示言語: English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();
    await page.getByRole('group', { name: 'Kind' }).getByRole('button', { name: 'All', exact: true }).click();
    await page.getByLabel('Unread only').uncheck();
    await inbox().or(page.getByRole('grid', { name: 'Official documents, comments and correction notices' })).first().waitFor();
    await shot(rig, 'documents-10-english');
    await page.getByRole('button', { name: /^Display language: / }).click();
    await page.getByRole('heading', { level: 1, name: '公文書' }).waitFor();
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

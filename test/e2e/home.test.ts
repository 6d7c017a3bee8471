// End-to-end: ホーム as a filer opens it each morning. Three cases are tracked; the sandbox's operator
// sends a 補正通知 on one, a コメント on another and registers a fee on the third; one send was left
// waiting for the person's choice (its delivery could not be told apart between two batches). ホーム
// shows, without a reload, what needs action (each count opening the case list filtered to it), the
// background check with 今すぐ確認, the send that waits (opening its own screen), the fee and the
// everyday screens; nothing on it says 準備中 any more. Every screen photographed passes axe.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { openStore } from '../../src/main/store/db.js';
import { Outbox } from '../../src/main/store/outbox.js';
import { text, type IdentityRig } from './support/identity.js';
import { jstDay, menuItem as mainMenuItem, photoWithoutToasts, startFilerRig } from './support/screens.js';

const USER_ID = 'sato-home';
/** how long the background sync (a cycle a second) may take to find what the operator did */
const SYNC_WAIT = { timeout: 20_000 };
let sandbox: SandboxHandle;
let rig: IdentityRig;
let page: Page;
let ids: string[] = [];

before(async () => {
  const filer = await startFilerRig({ userId: USER_ID, sends: 1, perSend: 3 });
  ({ sandbox, rig } = filer);
  const seeded = filer.seeded;
  page = rig.page;
  ids = seeded[0]!.applications.map((a) => a.arriveId).sort();
  // a send whose reply never came, matched by two batches of e-Gov's list: the person says which
  const store = openStore(rig.home, 'default');
  try {
    const outbox = new Outbox(store);
    const entry = await outbox.record({
      userId: USER_ID,
      kind: 'batch',
      request: Buffer.from('request'),
      sourcePaths: [],
      contentSha256: 'a'.repeat(64),
      applicationCount: 2,
      folderNames: ['900A010200001000(1)', '900A010200001000(2)'],
      applicantNames: ['山田 太郎', '佐藤 花子'],
    });
    await outbox.beginAttempt(entry.id);
    outbox.markDeliveryUnknown(entry.id, { code: 'EGOV_CONNECTION_RESET', message: 'reset' });
    outbox.applyReconciliation(entry.id, { kind: 'ambiguous', candidates: ['202611301000000001', '202611301000000002'] });
  } finally {
    store.close();
  }
});

after(async () => {
  await rig?.close();
  await sandbox?.close();
});

const menuItem = (name: string): Locator => mainMenuItem(page, name);

function attention(): Locator {
  return page.getByRole('list', { name: '対応が必要な案件の件数' });
}

function tile(what: string): Locator {
  return attention().getByRole('button', { name: new RegExp(`^${what}: `) });
}

/** the tile once it counts `n` (its name says the count; its text also holds dates) */
function tileCounting(what: string, n: number): Locator {
  return attention().getByRole('button', { name: new RegExp(`^${what}: ${n} 件`) });
}

const photo = (name: string): Promise<void> => photoWithoutToasts(rig, name);

async function openHome(): Promise<void> {
  await menuItem('ホーム').click();
  await page.getByRole('heading', { level: 1, name: 'ホーム' }).waitFor();
}

void describe('ホーム: what needs the filer today', () => {
  void test('with nothing pending it says so, with the check that found it', async () => {
    await openHome();
    await tileCounting('補正', 0).waitFor();
    assert.equal(await attention().getByRole('button').count(), 4);
    await page.getByText('いま対応が必要な案件はありません。').waitFor();
    const check = page.getByRole('group', { name: '自動確認' });
    await check.getByText('前回の確認').waitFor();
    await check.getByRole('button', { name: '今すぐ確認' }).waitFor();
    // the product is complete: no feature is announced as coming
    assert.equal(await page.getByText('準備中').count(), 0);
    assert.equal(await page.getByText('これから使えるようになる機能').count(), 0);
    await photo('home-01-all-clear');
  });

  void test('the operator acts on three cases: the counts change without a reload', async () => {
    sandbox.operate({ action: 'start-exam', arriveId: ids[2]! });
    await sandbox.issueNotice({ action: 'issue-correction', arriveId: ids[0]!, text: '申請書の年を確認してください。' });
    await sandbox.issueNotice({ action: 'issue-comment', arriveId: ids[1]!, text: '書類を受け付けました。' });
    sandbox.operatePayment({ action: 'add-payment', arriveId: ids[2]!, amount: '15000', deadline: jstDay(2) });
    await tileCounting('補正', 1).waitFor(SYNC_WAIT);
    // fetched by Todoke by itself, so unread in Todoke (e-Gov's own counter falls to 0 once fetched)
    await tileCounting('未読のコメント', 1).waitFor(SYNC_WAIT);
    await tileCounting('電子納付の待ち', 1).waitFor(SYNC_WAIT);
    assert.equal(await tile('補正').getAttribute('aria-label'), '補正: 1 件（案件一覧で見る）');
    // what the tile says under its count is its description (a screen reader hears it too)
    const described = await tile('補正').evaluate((b) => document.getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent ?? '');
    assert.match(described, /^最新 \d{4}\/\d{2}\/\d{2} /);
    await page.getByText('件数を押すと、その案件や公文書だけを一覧で見られます。').waitFor();
    assert.equal(await page.getByText('いま対応が必要な案件はありません。').count(), 0);
    // the examination started: the newest status change, opening its case
    const recent = page.getByRole('list', { name: '新しい順の状況の変化' });
    const change = recent.getByRole('listitem').filter({ hasText: ids[2]! });
    await change.waitFor(SYNC_WAIT);
    assert.match(await text(change), /到達\s*→\s*から\s*審査中/);
    // the fee, nearest deadline first
    await page.getByRole('heading', { level: 2, name: '納付期限が近い電子納付' }).waitFor(SYNC_WAIT);
    assert.match(await text(page.getByRole('region', { name: '納付期限が近い電子納付' })), /¥15,000/);
  });

  void test('a status change opens its case', async () => {
    await page.getByRole('list', { name: '新しい順の状況の変化' }).getByRole('button', { name: `到達番号 ${ids[2]!}（いまは「審査中」）を開く` }).click();
    await page.getByRole('heading', { level: 1, name: `到達番号 ${ids[2]!}` }).waitFor();
    await openHome();
  });

  void test('the send that waits for the person is listed with what to do, and opens its screen', async () => {
    const sends = page.getByRole('list', { name: '確認が必要な送信と、処理中の送信' });
    const item = sends.getByRole('listitem');
    assert.equal(await item.count(), 1);
    const said = await text(item);
    assert.match(said, /確認が必要です/);
    assert.match(said, /どれがこの送信か/);
    assert.match(said, /2 件・山田 太郎、佐藤 花子/);
    await photo('home-02-attention');
    await item.getByRole('button', { name: '送信 （未付与） を開く' }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: /送信/ }).waitFor();
    // its own screen: the two batches of e-Gov's list it could be, to choose from
    await page.getByText('202611301000000001').first().waitFor();
    await page.getByText('202611301000000002').first().waitFor();
  });

  void test('a count opens the case list filtered to those cases', async () => {
    await openHome();
    await tile('補正').click();
    await page.getByRole('heading', { level: 1, name: '案件' }).waitFor();
    const grid = page.getByRole('grid', { name: '案件一覧' });
    await grid.getByRole('row').filter({ hasText: ids[0]! }).waitFor();
    assert.equal(await grid.getByRole('row').filter({ hasText: ids[1]! }).count(), 0);
    const pressed = page.getByRole('list', { name: /^要対応の件数/ }).getByRole('button', { name: /^補正: / });
    assert.equal(await pressed.getAttribute('aria-pressed'), 'true');
  });

  void test('an unread count opens the official documents, only the unread of that kind', async () => {
    await openHome();
    assert.equal(await tile('未読のコメント').getAttribute('aria-label'), '未読のコメント: 1 件（公文書の画面で見る）');
    await tile('未読のコメント').click();
    await page.getByRole('heading', { level: 1, name: '公文書' }).waitFor();
    const inbox = page.getByRole('grid', { name: '公文書・コメント・補正通知の一覧' });
    await inbox.getByRole('row').filter({ hasText: ids[1]! }).waitFor();
    assert.equal(await inbox.getByRole('row').filter({ hasText: ids[0]! }).count(), 0);
  });

  void test('the everyday screens are one click away, by name', async () => {
    const shortcuts = page.getByRole('region', { name: 'よく使う操作' });
    for (const [name, heading] of [
      ['申請データを送る', '申請'],
      ['案件を見る', '案件'],
      ['公文書を見る', '公文書'],
      ['証明書を確認する', '証明書'],
    ] as const) {
      await openHome();
      await shortcuts.getByRole('button', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    }
  });

  void test('keyboard: the counts and shortcuts are reached with Tab', async () => {
    await openHome();
    await tile('補正').focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    assert.match(focused, /^未読の公文書: /);
  });

  void test('設定: the interval of the automatic checks is chosen once and used at once, on ホーム and 案件 too', async () => {
    await menuItem('設定').click();
    await page.getByRole('heading', { level: 1, name: '設定' }).waitFor();
    const group = page.getByRole('group', { name: '案件の自動確認' });
    // the rig polls every second: a development pace, named as such, none of the choices checked
    await group.getByText('いまの間隔: 1 秒ごと（開発用の設定）').waitFor();
    const choices = group.getByRole('radio');
    assert.deepEqual(await choices.evaluateAll((els) => els.map((e) => e.closest('label')?.textContent)), ['5 分ごと', '15 分ごと（標準）', '30 分ごと', '1 時間ごと', '3 時間ごと']);
    await group.getByRole('radio', { name: '30 分ごと' }).check();
    await page.getByRole('status').filter({ hasText: '自動確認の間隔を「30 分ごと」にしました。' }).waitFor();
    assert.equal(await group.getByRole('radio', { name: '30 分ごと' }).isChecked(), true);
    assert.equal(await group.getByText(/いまの間隔/).count(), 0);
    await photo('home-04-settings-interval');
    await openHome();
    await page.getByRole('group', { name: '自動確認' }).getByText('30 分ごとに自動で確認').waitFor();
    await menuItem('案件').click();
    await page.getByRole('region', { name: '自動確認' }).getByText('30 分ごとに自動で確認').waitFor();
  });

  void test('今すぐ確認 on ホーム checks at once, without waiting for the next turn (now 30 minutes away)', async () => {
    await openHome();
    await sandbox.issueNotice({ action: 'issue-correction', arriveId: ids[1]!, text: '添付書類を確認してください。' });
    assert.equal(await tileCounting('補正', 1).count(), 1);
    await page.getByRole('group', { name: '自動確認' }).getByRole('button', { name: '今すぐ確認' }).click();
    await tileCounting('補正', 2).waitFor(SYNC_WAIT);
  });

  void test('English', async () => {
    await openHome();
    await page.getByRole('button', { name: '表示言語: English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Needs your attention' }).waitFor();
    await page.getByRole('list', { name: 'Cases that need action, by kind' }).getByRole('button', { name: /^Corrections: 2 cases / }).waitFor();
    await page.getByRole('region', { name: 'Shortcuts' }).getByRole('button', { name: 'Send applications', exact: true }).waitFor();
    await photo('home-03-english');
    await page.getByRole('button', { name: /^Display language: / }).click();
    await page.getByRole('heading', { level: 1, name: 'ホーム' }).waitFor();
  });
});

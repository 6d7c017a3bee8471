// End-to-end (issue #9 items 4, 5 and 7 for 取下げ): a filer withdraws one of their cases from its
// screen, over a sandbox holding three arrived cases (seeded as its 形式チェック writes them, and
// stored in the profile as if Todoke had followed the batch; Todoke holds no sent data for them, so
// the form starts empty). The form's own checks, then a character e-Gov cannot take refused by the
// core on its field with nothing typed lost, then the confirmation, the password, the new
// 到達番号, the 取下げ case linked both ways, the original 到達（取下げ処理中）, the list's tag, and the
// operator accepting the 取下げ: both cases change without a reload. Then, through a proxy that drops
// the answer to a second 取下げ, one whose delivery is unknown: 「e-Gov に確認」 finds it arrived.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { seedAppCases, seedSandboxCases, startSandboxProxy, type SandboxProxy } from '../support/case-seed.js';
import { scratchHome } from '../support/home.js';
import { answerCredential, credentialDialog, P12_PASSWORD, registerWithFileThroughBridge, shot, startIdentityRig, text, type IdentityRig } from './support/identity.js';

const USER_ID = 'sato-withdraw';
const WITHDRAWAL_PATH = '/shinsei/1/access/withdrawal';
let sandbox: SandboxHandle;
/** between the app and the sandbox: drops the connection once the sandbox answered a 取下げ, when asked */
let proxy: SandboxProxy;
let dropWithdrawals = false;
let rig: IdentityRig;
let page: Page;
/** the case withdrawn: the newest of the three */
let target = '';
/** the 取下げ's own 到達番号, once it arrived */
let withdrawal = '';
/** the case whose 取下げ gets no answer: the second newest */
let second = '';
/** never withdrawn: its form is shown in English */
let third = '';

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-e2e-sandbox-wd-'), formatCheckDelayMs: 0 });
  proxy = await startSandboxProxy(sandbox.url);
  proxy.hook = async (req, forward) => {
    const answer = await forward();
    return dropWithdrawals && req.method === 'POST' && req.url === WITHDRAWAL_PATH ? { kind: 'drop' } : answer;
  };
  rig = await startIdentityRig({ sandbox: { ...sandbox, apiBaseUrl: proxy.baseUrl }, poll: { intervalMs: 1000 } });
  page = rig.page;
  await page.getByRole('heading', { level: 1, name: '利用者の設定' }).waitFor();
  await registerWithFileThroughBridge(page, USER_ID);
  const seeded = seedSandboxCases(sandbox.dataDir, USER_ID, { sends: 1, perSend: 3 });
  seedAppCases(rig.home, 'default', seeded);
  const ids = seeded.flatMap((s) => s.applications.map((a) => a.arriveId)).sort();
  target = ids.at(-1)!;
  second = ids.at(-2)!;
  third = ids.at(-3)!;
});

after(async () => {
  await rig?.close();
  await proxy?.close();
  await sandbox?.close();
});

function grid(): Locator {
  return page.getByRole('grid', { name: '案件一覧' });
}

function row(arriveId: string): Locator {
  return grid().getByRole('row').filter({ has: page.getByText(arriveId, { exact: true }) });
}

function caseHeading(arriveId: string): Locator {
  return page.getByRole('heading', { level: 1, name: `到達番号 ${arriveId}` });
}

function field(label: string): Locator {
  return page.locator('form').getByLabel(label, { exact: true });
}

const withdrawalPosts = () => proxy.requests.filter((r) => r.method === 'POST' && r.url === WITHDRAWAL_PATH).length;

/** Waits for `outcome`, answering the password prompt if the core asks for one first (a login or a signature). */
async function answeringPassword(outcome: Locator): Promise<void> {
  const password = credentialDialog(page, 'パスワードの入力');
  await Promise.race([password.waitFor({ timeout: 30_000 }), outcome.waitFor({ timeout: 30_000 })]);
  if (await password.count()) await answerCredential(password, 'パスワード', P12_PASSWORD);
  await outcome.waitFor({ timeout: 30_000 });
}

async function openCase(arriveId: string): Promise<void> {
  await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: '案件', exact: true }).click();
  await row(arriveId).click();
  await caseHeading(arriveId).waitFor();
}

const REASON = '誤って送信したため、取り下げます。\n吉野家の件は別途申請します。';
const REFUSED = REASON.replace('吉', '𠮷');

void describe('取下げ from the case screen', () => {
  void test('the case offers 取下げ…; the form starts empty (no sent data) and checks what is required', async () => {
    await openCase(target);
    const action = page.getByRole('region', { name: '取下げ', exact: true });
    await action.getByRole('button', { name: `到達番号 ${target} の案件を取り下げる…` }).waitFor();
    assert.match(await text(action), /元に戻せません/);
    await shot(rig, 'case-withdraw-01-case');

    await action.getByRole('button', { name: /取り下げる/ }).click();
    await page.getByRole('heading', { level: 1, name: `到達番号 ${target} の取下げ` }).waitFor();
    assert.equal(await page.getByRole('radio', { name: /^取下げ申請/ }).isChecked(), true, 'the suggested kind is chosen');
    await page.getByText('この案件の送信時の申請データが Todoke にないため').waitFor();
    assert.equal(await field('申請者の氏名').inputValue(), '');
    assert.equal(await page.getByRole('checkbox', { name: '連絡先は申請者と同じ' }).isChecked(), true);
    await shot(rig, 'case-withdraw-02-form');

    await page.getByRole('button', { name: '確認へ進む' }).click();
    const summary = page.getByRole('alert').filter({ hasText: '入力内容に4件の問題があります' });
    await summary.waitFor();
    for (const [label, message] of [
      ['取下げの理由', '取下げの理由を入力してください。'],
      ['申請者の氏名', '申請者の氏名を入力してください。'],
      ['申請者の住所', '申請者の住所を入力してください。'],
      ['申請者の電話番号', '申請者の電話番号を入力してください。'],
    ] as const) {
      assert.equal(await field(label).getAttribute('aria-invalid'), 'true', label);
      assert.match(await field(label).evaluate((el) => el.getAttribute('aria-describedby')?.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ') ?? ''), new RegExp(message), label);
    }
    assert.equal(await field('取下げの理由').evaluate((el) => el === document.activeElement), true, 'focus on the first field in error');
    assert.equal(await page.getByRole('dialog').count(), 0, 'no confirmation while the form has errors');
    await shot(rig, 'case-withdraw-03-form-errors');
  });

  void test('a character e-Gov cannot take: refused on 理由, before anything is signed, nothing typed lost', async () => {
    await field('取下げの理由').fill(REFUSED);
    await field('備考').fill('担当: 総務部');
    await field('申請者の氏名').fill('山田　太郎');
    await field('申請者の住所').fill('東京都千代田区霞が関1-1-1');
    await field('申請者の電話番号').fill('０３－１２３４－５６７８');
    await page.getByText('申請者のその他の項目').click();
    await field('申請者の氏名フリガナ').fill('ヤマダ　タロウ');
    await field('申請者の郵便番号').fill('100-0013');
    assert.equal(await field('取下げの理由').getAttribute('aria-invalid'), null, 'an edited field loses its old message');
    await page.getByRole('button', { name: '確認へ進む' }).click();

    const confirm = page.getByRole('dialog', { name: 'この案件を取り下げますか？' });
    await confirm.waitFor();
    assert.match(await text(confirm), new RegExp(`到達番号 ${target}「健康保険・厚生年金保険被保険者資格取得届」`));
    assert.match(await text(confirm), /種類: 取下げ申請/);
    assert.match(await text(confirm), /元に戻せません/);
    assert.equal(await confirm.getByRole('button', { name: 'キャンセル' }).evaluate((el) => el === document.activeElement), true, 'focus starts on キャンセル');
    await shot(rig, 'case-withdraw-04-confirm');
    await confirm.getByRole('button', { name: '署名して取り下げる' }).click();

    await page.getByRole('alert').filter({ hasText: '入力内容に1件の問題があります' }).waitFor();
    const reason = field('取下げの理由');
    assert.equal(await reason.getAttribute('aria-invalid'), 'true');
    const said = await reason.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')?.split(' ')[0] ?? '')?.textContent ?? '');
    assert.match(said, /取下げの理由の2行目1文字目の「U\+20BB7」はJIS 第1・第2水準の範囲外の文字/);
    assert.match(said, /別の文字に置き換えてください/);
    assert.equal(await credentialDialog(page, 'パスワードの入力').count(), 0, 'nothing was signed');
    assert.equal(await reason.inputValue(), REFUSED);
    assert.equal(await field('備考').inputValue(), '担当: 総務部');
    assert.equal(await field('申請者の氏名').inputValue(), '山田　太郎');
    assert.equal(await field('申請者の電話番号').inputValue(), '０３－１２３４－５６７８');
    assert.equal(await field('申請者の氏名フリガナ').inputValue(), 'ヤマダ　タロウ');
    assert.equal(await reason.evaluate((el) => el === document.activeElement), true);
    await shot(rig, 'case-withdraw-05-refused');
  });

  void test('confirmed and signed with the password: the 取下げ arrives with its own 到達番号', async () => {
    await field('取下げの理由').fill(REASON);
    const confirmAndSign = async () => {
      await page.getByRole('button', { name: '確認へ進む' }).click();
      await page.getByRole('dialog', { name: 'この案件を取り下げますか？' }).getByRole('button', { name: '署名して取り下げる' }).click();
      const password = credentialDialog(page, 'パスワードの入力');
      await password.waitFor();
      assert.match(await text(password), /申請データへの署名/);
      return password;
    };
    // the person changes their mind at the password: nothing sent, the form as it was
    await (await confirmAndSign()).getByRole('button', { name: 'キャンセル' }).click();
    await page.getByRole('alert').filter({ hasText: '取下げは送っていません' }).waitFor();
    assert.equal(await field('取下げの理由').inputValue(), REASON);
    assert.equal(await field('申請者の氏名フリガナ').inputValue(), 'ヤマダ　タロウ');
    assert.equal(withdrawalPosts(), 0);

    await answerCredential(await confirmAndSign(), 'パスワード', P12_PASSWORD);

    const result = page.getByRole('region', { name: '取下げが到達しました' });
    await result.waitFor({ timeout: 30_000 });
    const id = /取下げの到達番号は (\d+) です/.exec(await text(result))?.[1];
    assert.ok(id, 'the new 到達番号 is shown');
    withdrawal = id;
    assert.notEqual(withdrawal, target);
    assert.match(await text(result), /到達（取下げ処理中）/);
    await shot(rig, 'case-withdraw-06-done');

    await result.getByRole('button', { name: `取下げの案件（到達番号 ${withdrawal}）を開く` }).click();
    await caseHeading(withdrawal).waitFor();
    const notice = page.getByRole('alert').filter({ hasText: 'この案件は取下げです' });
    await notice.waitFor();
    assert.match(await text(notice), new RegExp(`到達番号 ${target} の案件を取り下げるために送ったもの`));
    assert.equal(await page.getByRole('button', { name: /取り下げる…$/ }).count(), 0, 'no 取下げ of a 取下げ');
    assert.match(await text(page.getByRole('region', { name: '取下げ', exact: true })), /この案件は取下げそのものなので、取り下げられません。/);
    assert.equal(await page.getByText('送信番号', { exact: true }).count(), 0, 'a 取下げ has no 送信番号');
    await shot(rig, 'case-withdraw-07-withdrawal-case');

    await notice.getByRole('button', { name: `取り下げた案件（到達番号 ${target}）を開く` }).click();
    await caseHeading(target).waitFor();
  });

  void test('the original lists its 取下げ, and after 今すぐ確認 is 到達（取下げ処理中）', async () => {
    const list = page.getByRole('list', { name: 'この案件の取下げ（古い順）' });
    const item = list.getByRole('listitem');
    await item.waitFor();
    assert.equal(await item.count(), 1);
    assert.match(await text(item), /取下げ申請 到達しました/);
    await item.getByRole('button', { name: `取下げの案件（到達番号 ${withdrawal}）を開く` }).waitFor();

    await page.getByRole('region', { name: '操作' }).getByRole('button', { name: '今すぐ確認' }).click();
    await answeringPassword(page.getByText('状況照会しました。'));
    const facts = page.getByRole('region', { name: `到達番号 ${target}` });
    await facts.getByText('到達（取下げ処理中）', { exact: true }).first().waitFor();
    const action = page.getByRole('region', { name: '取下げ', exact: true });
    await action.getByText('いまは取下げできません').waitFor();
    assert.equal(await action.getByRole('button').count(), 0, 'no second 取下げ while one is under way');
    await shot(rig, 'case-withdraw-08-original');
  });

  void test('the list tags the 取下げ case; the operator accepts it and both cases change without a reload', async () => {
    const before = await page.evaluate(() => performance.timeOrigin);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: '案件', exact: true }).click();
    const tagged = row(withdrawal);
    await tagged.waitFor();
    assert.match(await text(tagged), new RegExp(`^${withdrawal} 取下げ 取下げ申請書XML管理手続 ${target} の取下げ `));
    await row(target).getByText('到達（取下げ処理中）', { exact: true }).waitFor();
    await shot(rig, 'case-withdraw-09-list');

    sandbox.operate({ action: 'accept-withdrawal', arriveId: target });
    await row(target).getByText('取下げ済', { exact: true }).waitFor({ timeout: 15_000 });
    await row(withdrawal).getByText('手続終了', { exact: true }).waitFor({ timeout: 15_000 });

    await row(target).click();
    await caseHeading(target).waitFor();
    const item = page.getByRole('list', { name: 'この案件の取下げ（古い順）' }).getByRole('listitem');
    assert.match(await text(item), /取下げの状況 手続終了/);
    await page.getByRole('region', { name: `到達番号 ${target}` }).getByText('取下げ済', { exact: true }).first().waitFor();
    assert.equal(await page.evaluate(() => performance.timeOrigin), before, 'the page was not reloaded');
    await shot(rig, 'case-withdraw-10-accepted');
  });

  void test('an answer that never came: the 取下げ is unknown, and 「e-Gov に確認」 finds it arrived without sending it again', async () => {
    // the background sync would settle it by itself: paused, the person does it
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('button', { name: '案件', exact: true }).click();
    const sync = page.getByRole('region', { name: '自動確認' });
    await sync.getByRole('button', { name: '一時停止' }).click();
    await sync.getByText('一時停止中', { exact: true }).waitFor();
    await row(second).click();
    await caseHeading(second).waitFor();
    await page.getByRole('button', { name: `到達番号 ${second} の案件を取り下げる…` }).click();
    await field('取下げの理由').fill('重複して送信したため。');
    await field('申請者の氏名').fill('山田　太郎');
    await field('申請者の住所').fill('東京都千代田区霞が関1-1-1');
    await field('申請者の電話番号').fill('03-1234-5678');
    await page.getByRole('button', { name: '確認へ進む' }).click();
    dropWithdrawals = true;
    const posts = withdrawalPosts();
    await page.getByRole('dialog', { name: 'この案件を取り下げますか？' }).getByRole('button', { name: '署名して取り下げる' }).click();
    const failed = page.getByRole('alert').filter({ hasText: '取下げを送れませんでした' });
    await answeringPassword(failed);
    dropWithdrawals = false;
    assert.equal(withdrawalPosts(), posts + 1);
    assert.match(await text(failed), /「e-Gov に確認」を押すと、届いたかどうかを確かめられます/);
    assert.equal(await page.locator('.withdraw-failure').evaluate((el) => el === document.activeElement), true, 'the failure takes focus');
    // one 取下げ is recorded: the form is gone, only the way back to the case is left
    await page.getByRole('button', { name: '確認へ進む' }).waitFor({ state: 'detached' });
    assert.equal(await field('取下げの理由').count(), 0);
    await shot(rig, 'case-withdraw-11-unknown-form');

    await page.getByRole('button', { name: '案件の画面へ' }).click();
    await caseHeading(second).waitFor();
    const item = page.getByRole('list', { name: 'この案件の取下げ（古い順）' }).getByRole('listitem');
    await item.getByText('届いたかどうか分かりません', { exact: true }).waitFor();
    assert.match(await text(item), /取下げの到達番号 まだありません/);
    await shot(rig, 'case-withdraw-12-unknown');

    await item.getByRole('button', { name: 'e-Gov に確認' }).click();
    await answeringPassword(item.getByRole('status').filter({ hasText: '確認しました: 到達しました' }));
    await item.getByText('到達しました', { exact: true }).waitFor();
    assert.equal(await item.getByRole('button', { name: 'e-Gov に確認' }).count(), 0);
    assert.match(await text(item), /取下げの到達番号 不明（応答が届かなかったため。到達は状況照会で確認済み）/);
    assert.doesNotMatch(await text(item), /通信が途中で切断されました/, 'the old failure is not shown once it arrived');
    assert.equal(withdrawalPosts(), posts + 1, 'nothing sent again');
    await shot(rig, 'case-withdraw-13-checked');
  });

  void test('in English: the 取下げ of a case and the form, its checks named in English', async () => {
    await page.getByRole('button', { name: '表示言語: English' }).click();
    const item = page.getByRole('list', { name: 'Withdrawals of this case (oldest first)' }).getByRole('listitem');
    await item.getByText('Arrived', { exact: true }).waitFor();
    await item.getByRole('status').filter({ hasText: 'Checked: Arrived' }).waitFor();
    await shot(rig, 'case-withdraw-14-english-case');
    await page.getByRole('button', { name: /^Display language: / }).click();

    await openCase(third);
    await page.getByRole('button', { name: `到達番号 ${third} の案件を取り下げる…` }).click();
    await page.getByRole('heading', { level: 1, name: `到達番号 ${third} の取下げ` }).waitFor();
    await page.getByRole('button', { name: '表示言語: English' }).click();
    await page.getByRole('heading', { level: 1, name: `Withdrawing arrival number ${third}` }).waitFor();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('alert').filter({ hasText: '4 problems in the form' }).waitFor();
    assert.match(await text(page.getByRole('alert').filter({ hasText: '4 problems' })), /Enter the applicant’s phone\./);
    await shot(rig, 'case-withdraw-15-english-form');
    await page.getByRole('button', { name: /^Display language: / }).click();
    await page.getByRole('heading', { level: 1, name: `到達番号 ${third} の取下げ` }).waitFor();
  });

  void test('ran without console errors or CSP violations', () => {
    assert.deepEqual(rig.todoke.problems, []);
  });
});

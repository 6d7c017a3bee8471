// Integration: 取下げ through the core's one door (createApp().dispatch), against a real in-process
// sandbox reached through a forwarding proxy that counts the 取下げ requests (and, when asked, drops
// the connection once the sandbox has answered one). A batch sent with batch.send becomes two cases;
// case.withdrawalDraft prefills the 申請者 / 連絡先 from the kousei.xml Todoke sent; bad input is
// refused before anything is signed or sent; case.withdraw stores the 取下げ as a case linked to its
// original; a second one is refused; the sync shows the original 到達（取下げ処理中）and keeps the 取下げ
// case current; the operator accepts and both cases follow. Then a 取下げ whose answer never came is
// `unknown`, refused a second time, and reconciled at the next start by 状況照会 — one 取下げ request
// in all.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CaseCountsView, CaseDetailView, CasePageView, CaseWithdrawalView, SyncCycleView, WithdrawalDraftView, WithdrawalView } from '../../src/shared/case.js';
import type { BatchView } from '../../src/shared/filing.js';
import { createApp, type App } from '../../src/main/app/create-app.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { makeBatchFolders } from '../support/application-folders.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';
import { rawRequest } from './sandbox-support.js';
import { dispatchFails, dispatchOk, until as waitUntil } from '../support/app-calls.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const PASSWORD = 'todoke';
const WITHDRAWAL_PATH = '/shinsei/1/access/withdrawal';

let sandbox: SandboxHandle;
let proxy: FaultServer;
/** the proxy drops the connection after the sandbox answered a 取下げ */
let dropWithdrawals = false;
let home: string;
let app: App;
let prompts = 0;
const apps: App[] = [];

function makeApp(): App {
  const a = createApp({
    host: 'harness',
    version: 'test',
    home,
    sandbox: async () => ({ baseUrl: proxy.baseUrl, softwareId: sandbox.softwareIds[0] ?? '', caPem: null }),
    follow: { schedule: [50, 100, 200], intervalMs: 200, backoffMaxMs: 400 },
    // the background sync stays out of the way: the tests run sync.now themselves
    poll: { intervalMs: 3_600_000, firstDelayMs: 3_600_000 },
    onUnexpected: (op, e) => {
      throw new Error(`unexpected failure in ${op}: ${String(e)}`);
    },
  });
  a.events.subscribe((event) => {
    if (event.name === 'credential.request') {
      prompts++;
      setImmediate(() => void a.dispatch('credential.answer', { requestId: event.payload.requestId, secret: PASSWORD }));
    }
  });
  apps.push(a);
  return a;
}

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-sandbox-wd-'), formatCheckDelayMs: 0 });
  proxy = await startFaultServer();
  proxy.handle(async (req) => {
    const headers: Record<string, string> = {};
    for (const name of ['x-egovapi-softwareid', 'x-egovapi-accesskey', 'content-type']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const res = await rawRequest(sandbox.url, req.url, { method: req.method, headers, ...(req.body.length ? { body: req.body } : {}) });
    if (dropWithdrawals && req.method === 'POST' && req.url === WITHDRAWAL_PATH) return { kind: 'drop' };
    return { kind: 'respond', status: res.status, body: res.body };
  });
  home = scratchHome('todoke-app-wd-');
  app = makeApp();
  await ok('identity.setup', {
    environment: { kind: 'sandbox' },
    signer: { kind: 'file', fileName: 'yamada-taro.p12', dataBase64: readFileSync(join(pki, 'yamada-taro.p12')).toString('base64'), password: PASSWORD },
    userId: `todoke-wd-${process.pid}`,
    mode: 'register',
  });
});

after(async () => {
  for (const a of apps) a.close();
  await proxy?.close();
  await sandbox?.close();
});

const ok = <T>(name: string, args: unknown = {}, on: App = app): Promise<T> => dispatchOk<T>(on, name, args);

// these waits are 10 s (500 asks), as they were
const until = <T>(find: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> => waitUntil(find, 500);
const fails = (name: string, args: unknown, on: App = app) => dispatchFails(on, name, args);

const withdrawalPosts = () => proxy.requests.filter((r) => r.method === 'POST' && r.url === WITHDRAWAL_PATH).length;

const applicant = { name: '取下\u3000太郎', address: '東京都千代田区霞が関', phone: '03-1234-5678' };

let first = '';
let second = '';

void describe('取下げ through the core', () => {
  test('a batch sent through batch.send arrives as two cases', async () => {
    const sent = await ok<BatchView>('batch.send', { jobId: `job-wd-${process.pid}`, paths: makeBatchFolders(join(home, 'data')) });
    await until(async () => (await ok<BatchView[]>('batch.list')).find((b) => b.id === sent.id && b.state === 'done'));
    const page = await ok<CasePageView>('case.list', {});
    assert.equal(page.total, 2);
    first = page.cases.find((c) => c.procedureFolderName.startsWith('900A010200001000'))!.arriveId;
    second = page.cases.find((c) => c.arriveId !== first)!.arriveId;
    for (const c of page.cases) assert.equal(c.withdrawalOf, null);
  });

  test('case.withdrawalDraft: the 申請者 and 連絡先 of the kousei.xml Todoke sent, its 提出先, the kinds; allowed, no 取下げ yet', async () => {
    const draft = await ok<WithdrawalDraftView>('case.withdrawalDraft', { arriveId: first });
    assert.equal(draft.case.arriveId, first);
    assert.equal(draft.procedureId, '900A010200001000');
    assert.equal(draft.prefillSource, 'sent-request');
    assert.deepEqual(draft.kinds, ['application', 'request']);
    assert.equal(draft.suggestedKind, 'application');
    assert.match(draft.applicant!.name, /^ほげ[\s\u3000]ほげ$/);
    assert.equal(draft.applicant!.postalCode, '1200001');
    assert.equal(draft.applicant!.address, '東京都足立区大谷田');
    assert.equal(draft.applicant!.phone, '12-232-1232');
    assert.equal(draft.applicant!.email, 'zzz@zzz.zz');
    assert.match(draft.contact!.name, /^漢[\s\u3000]字$/);
    assert.equal(draft.submitTo, '総務省,行政管理局,API');
    assert.equal(draft.allowed, true);
    assert.equal(draft.blockedReason, null);
    assert.deepEqual(draft.withdrawals, []);
    const unknown = await fails('case.withdrawalDraft', { arriveId: '9002099000000001' });
    assert.equal(unknown.code, 'CASE_NOT_FOUND');
  });

  test('bad input is refused at the door or by the package check, naming the field: nothing signed (no PIN asked), recorded or sent', async () => {
    const base = { arriveId: first, kind: 'application', reason: '誤って申請したため', applicant };
    const promptsBefore = prompts;
    const refusedAtDoor: unknown[] = [
      { ...base, reason: '' },
      { ...base, reason: 'あ'.repeat(1001) },
      { ...base, reason: 'NUL\u0000入り' },
      { ...base, applicant: { ...applicant, name: '改行\n入り' } },
      { ...base, applicant: { ...applicant, phone: '03(1234)5678' } },
      { ...base, applicant: { ...applicant, postalCode: '120-0001' } },
      { ...base, applicant: { name: applicant.name, address: applicant.address } },
      { ...base, applicant: { ...applicant, role: 'admin' } },
      { ...base, kind: 'both' },
      { ...base, arriveId: '../../etc/passwd' },
      { ...base, remarks: 'x'.repeat(100_000) },
      { ...base, reason: '理由\tタブ' },
      JSON.parse(`{"arriveId":"${first}","kind":"application","reason":"r","applicant":${JSON.stringify(applicant)},"__proto__":{"x":1}}`),
    ];
    for (const args of refusedAtDoor) {
      const e = await fails('case.withdraw', args);
      assert.equal(e.code, 'INVALID_ARGUMENT', JSON.stringify(args).slice(0, 100));
    }
    const dependent = await fails('case.withdraw', { ...base, applicant: { ...applicant, name: '高橋①' } });
    assert.equal(dependent.code, 'WITHDRAWAL_INPUT_INVALID');
    assert.equal(dependent.detail?.field, 'applicant.name');
    assert.match(dependent.messageJa, /申請者の氏名の3文字目/);
    const reasonMark = await fails('case.withdraw', { ...base, reason: '一行目\n㈱のため' });
    assert.equal(reasonMark.code, 'WITHDRAWAL_INPUT_INVALID');
    assert.equal(reasonMark.detail?.field, 'reason');
    assert.match(reasonMark.messageJa, /取下げの理由の2行目1文字目/);
    assert.equal(prompts, promptsBefore, 'no PIN / password asked for a refused 取下げ');
    assert.equal(withdrawalPosts(), 0);
    assert.deepEqual((await ok<CaseDetailView>('case.get', { arriveId: first })).withdrawals, []);
  });

  let newArriveId = '';

  test('case.withdraw: signed, recorded, sent once; the 取下げ is a case of its own, linked both ways', async () => {
    const view = await ok<WithdrawalView>('case.withdraw', { jobId: `wd-${process.pid}-1`, arriveId: first, kind: 'application', reason: '誤って申請したため\n取り下げます', remarks: 'なし', applicant });
    assert.equal(view.state, 'done');
    assert.equal(view.arriveId, first);
    assert.equal(view.kind, 'application');
    assert.match(view.newArriveId ?? '', /^\d{16}$/);
    assert.deepEqual(view.replaced, []);
    assert.equal(view.attemptCount, 1);
    assert.equal(withdrawalPosts(), 1);
    newArriveId = view.newArriveId!;

    const withdrawal = await ok<CaseDetailView>('case.get', { arriveId: newArriveId });
    assert.equal(withdrawal.withdrawalOf, first);
    assert.equal(withdrawal.sendNumber, null);
    assert.equal(withdrawal.entryId, view.entryId);
    assert.equal(withdrawal.status, '到達');
    assert.equal(withdrawal.procedureName, '取下げ申請書XML管理手続');
    assert.equal(withdrawal.procedureFolderName, '9990000000000008(1)');
    const original = await ok<CaseDetailView>('case.get', { arriveId: first });
    assert.equal(original.withdrawals.length, 1);
    assert.deepEqual([original.withdrawals[0]!.entryId, original.withdrawals[0]!.newArriveId, original.withdrawals[0]!.state, original.withdrawals[0]!.status], [view.entryId, newArriveId, 'done', '到達']);
    const page = await ok<CasePageView>('case.list', {});
    assert.equal(page.total, 3);
    assert.equal((await ok<CaseCountsView>('case.counts')).total, 3);
    assert.equal(page.cases.find((c) => c.arriveId === newArriveId)?.withdrawalOf, first);
    // the 取下げ is not a batch: 送信履歴 keeps to batches
    assert.equal((await ok<BatchView[]>('batch.list')).length, 1);
  });

  test('never twice: a second 取下げ of the same case is refused before anything is signed or sent; the draft says why', async () => {
    const promptsBefore = prompts;
    const again = await fails('case.withdraw', { arriveId: first, kind: 'request', reason: 'もう一度', applicant });
    assert.equal(again.code, 'WITHDRAWAL_EXISTS');
    assert.match(again.messageJa, new RegExp(`到達番号 ${first} の取下げはすでに記録されています（届いています（取下げの到達番号 ${newArriveId}））`));
    assert.equal(prompts, promptsBefore);
    assert.equal(withdrawalPosts(), 1);
    const draft = await ok<WithdrawalDraftView>('case.withdrawalDraft', { arriveId: first });
    assert.equal(draft.allowed, false);
    assert.match(draft.blockedReason ?? '', /すでに記録されています/);
    assert.ok((draft.blockedReasonEn ?? '').length > 0, 'the reason in English too');
    assert.equal(draft.withdrawals.length, 1);
    // a 取下げ case cannot be withdrawn itself
    const ofWithdrawal = await fails('case.withdraw', { arriveId: newArriveId, kind: 'application', reason: 'x', applicant });
    assert.equal(ofWithdrawal.code, 'WITHDRAWAL_NOT_ALLOWED');
  });

  test('sync.now: the original shows 到達（取下げ処理中）; the 取下げ case gets its 状況照会 in the same cycle', async () => {
    const cycle = await ok<SyncCycleView>('sync.now');
    assert.equal(cycle.outcome, 'ok');
    // the two batch cases are listed; the 取下げ case is not (no 送信番号) but is asked about
    assert.equal(cycle.trackedCases, 2);
    const original = await ok<CaseDetailView>('case.get', { arriveId: first });
    assert.equal(original.status, '到達（取下げ処理中）');
    assert.ok(original.history.some((e) => e.processType === '取下げ申請'));
    const withdrawal = await ok<CaseDetailView>('case.get', { arriveId: newArriveId });
    assert.notEqual(withdrawal.reference, null);
    assert.equal(withdrawal.reference!.procedureEndDate, '');
    // one 状況照会 for the original that changed, one for the open 取下げ case
    assert.equal(cycle.requests.reference, 2);
  });

  test('the operator accepts the 取下げ: the next sync updates both cases', async () => {
    sandbox.operate({ action: 'accept-withdrawal', arriveId: first });
    const cycle = await ok<SyncCycleView>('sync.now');
    assert.equal(cycle.outcome, 'ok');
    const original = await ok<CaseDetailView>('case.get', { arriveId: first });
    assert.equal(original.status, '取下げ済');
    const withdrawal = await ok<CaseDetailView>('case.get', { arriveId: newArriveId });
    assert.equal(withdrawal.status, '手続終了');
    assert.notEqual(withdrawal.reference!.procedureEndDate, '');
    // a finished 取下げ case whose original did not change is asked no more
    const quiet = await ok<SyncCycleView>('sync.now');
    assert.equal(quiet.requests.reference, 0);
  });

  test('a 取下げ whose answer never came is unknown, refused a second time, and reconciled at the next start by 状況照会 — one request in all', async () => {
    dropWithdrawals = true;
    const postsBefore = withdrawalPosts();
    const lost = await fails('case.withdraw', { arriveId: second, kind: 'application', reason: '誤りのため', applicant });
    assert.equal(lost.code, 'WITHDRAWAL_DELIVERY_UNKNOWN');
    assert.match(lost.messageJa, /届いたかどうか分かりません.*自動では送り直しません/);
    assert.equal(lost.detail?.state, 'unknown');
    const entryId = lost.detail?.entryId as string;
    assert.equal(withdrawalPosts(), postsBefore + 1);
    dropWithdrawals = false;

    const again = await fails('case.withdraw', { arriveId: second, kind: 'application', reason: '誤りのため', applicant });
    assert.equal(again.code, 'WITHDRAWAL_EXISTS');
    assert.match(again.messageJa, /照合を待っています/);
    const draft = await ok<WithdrawalDraftView>('case.withdrawalDraft', { arriveId: second });
    assert.deepEqual([draft.allowed, draft.withdrawals.map((w) => w.state)], [false, ['unknown']]);
    assert.equal(withdrawalPosts(), postsBefore + 1);

    // the app stops and starts again: the start reconciles by 状況照会, and sends nothing
    app.close();
    app = makeApp();
    await app.started;
    const detail = await ok<CaseDetailView>('case.get', { arriveId: second });
    const w = detail.withdrawals.find((x) => x.entryId === entryId) as CaseWithdrawalView;
    assert.equal(w.state, 'done');
    // 状況照会 does not carry the 取下げ's own 到達番号
    assert.equal(w.newArriveId, null);
    assert.equal(detail.status, '到達（取下げ処理中）');
    assert.equal(withdrawalPosts(), postsBefore + 1);
    assert.equal((await ok<CaseWithdrawalView>('case.withdrawalRefresh', { entryId })).state, 'done');
    assert.equal((await fails('case.withdraw', { arriveId: second, kind: 'application', reason: 'x', applicant })).code, 'WITHDRAWAL_EXISTS');
    assert.equal(withdrawalPosts(), postsBefore + 1);
  });
});

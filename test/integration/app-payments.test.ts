// Integration: 電子納付 through the core's one door (createApp().dispatch), against a real in-process
// sandbox with its stand-in bank. The operator registers a fee on a case Todoke filed; the next sync
// cycle's background read finds it; payment.handOff asks e-Gov for the hand-off page and has the host
// (here a recording implementation of the PaymentWindows port) open it with a request the host's own
// check accepts; the test then pays at the stand-in bank over HTTP as a browser would, and the next
// sync cycle turns the 納付 into 納付済 — Todoke never marks it paid itself. Refusals: a 納付済 or
// 納付期限切れ 納付, an unknown 納付番号, a bank not in the list (or skipped), e-Gov's error page, a host
// without hand-off windows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CasePageView, SyncCycleView } from '../../src/shared/case.js';
import type { BatchView } from '../../src/shared/filing.js';
import type {
  BankListView,
  CasePaymentsView,
  PaymentChangedEvent,
  PaymentHandOffView,
  PaymentsDueView,
  PaymentWindowRequest,
  PaymentWindows,
} from '../../src/shared/payment.js';
import { HAND_OFF_MINUTES } from '../../src/shared/payment.js';
import { createApp, type App } from '../../src/main/app/create-app.js';
import { checkPaymentWindowRequest } from '../../src/main/payments/window-request.js';
import { jstDate } from '../../src/main/payments/days-left.js';
import { STAND_IN_BANK_NAME } from '../../src/sandbox/payments/bank-list.js';
import type { PaymentView } from '../../src/sandbox/operator/payment-actions.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { openSandboxDatabase } from '../../src/sandbox/state/db.js';
import { makeBatchFolders } from '../support/application-folders.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';
import { rawRequest } from './sandbox-support.js';
import { dispatchFails, dispatchOk, until } from '../support/app-calls.js';

const pki = join(repoRoot, 'assets', 'sandbox-pki');
const PASSWORD = 'todoke';
const DAY_MS = 24 * 60 * 60 * 1000;

/** The host port as a recording: what the core asked to open, and which windows are open. */
class RecordingWindows implements PaymentWindows {
  readonly opened: PaymentWindowRequest[] = [];
  readonly open_ = new Set<string>();
  async open(request: PaymentWindowRequest): Promise<void> {
    this.opened.push(request);
    this.open_.add(request.handOffId);
  }
  async close(handOffId: string): Promise<boolean> {
    return this.open_.delete(handOffId);
  }
}

let sandbox: SandboxHandle;
let home: string;
let app: App;
const apps: App[] = [];
const windows = new RecordingWindows();
const sandboxLog: string[] = [];
const changed: PaymentChangedEvent[] = [];

function makeApp(paymentWindows?: PaymentWindows): App {
  const a = createApp({
    host: 'harness',
    version: 'test',
    home,
    sandbox: async () => ({ baseUrl: sandbox.url, softwareId: sandbox.softwareIds[0] ?? '', caPem: null }),
    trainingCertificatesDir: pki,
    follow: { schedule: [50, 100, 200], intervalMs: 200, backoffMaxMs: 400 },
    poll: { intervalMs: 3_600_000, firstDelayMs: 3_600_000 },
    ...(paymentWindows ? { paymentWindows } : {}),
    onUnexpected: (op, e) => {
      throw new Error(`unexpected failure in ${op}: ${String(e)}`);
    },
  });
  a.events.subscribe((event) => {
    if (event.name === 'credential.request') setImmediate(() => void a.dispatch('credential.answer', { requestId: event.payload.requestId, secret: PASSWORD }));
  });
  apps.push(a);
  return a;
}

const ok = <T>(name: string, args: unknown = {}, on: App = app): Promise<T> => dispatchOk<T>(on, name, args);

const fails = (name: string, args: unknown, on: App = app) => dispatchFails(on, name, args);

const bankListReads = () => sandboxLog.filter((l) => l.startsWith('GET /shinsei/1/access/bank ')).length;
const paymentReads = () => sandboxLog.filter((l) => l.startsWith('GET /shinsei/1/access/payment/')).length;

/** After a sync cycle, the background's read of the case shows the 納付 with that status. */
async function syncUntil(arriveId: string, payNumber: string, status: string): Promise<CasePaymentsView> {
  await ok<SyncCycleView>('sync.now');
  return until(async () => {
    const view = await ok<CasePaymentsView>('payment.list', { arriveId });
    return view.payments.some((p) => p.payNumber === payNumber && p.status === status) && view;
  });
}

/** The stand-in bank, as a browser: post e-Gov's form, log in, confirm, pay (the session cookie ties the steps). */
async function payAtBank(request: PaymentWindowRequest): Promise<string> {
  const action = new URL(request.form.action);
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const start = await rawRequest(action.origin, action.pathname, { headers: form, body: new URLSearchParams(request.form.fields).toString() });
  assert.equal(start.status, 200, start.text);
  assert.match(start.text, /ログイン/);
  const cookie = String(start.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  assert.match(cookie, /^standin_session=[0-9a-f]{64}$/);
  const login = await rawRequest(action.origin, `${action.pathname}login`, { headers: { ...form, Cookie: cookie }, body: 'loginId=yamada&password=x' });
  assert.equal(login.status, 200, login.text);
  assert.match(login.text, /納付内容の確認/);
  const paid = await rawRequest(action.origin, `${action.pathname}pay`, { headers: { ...form, Cookie: cookie }, body: 'confirm=yes' });
  assert.equal(paid.status, 200, paid.text);
  assert.match(paid.text, /納付が完了しました/);
  return paid.text;
}

let arriveId = '';
let noFee = '';
let fee: PaymentView;
const inTwoDays = jstDate(new Date(Date.now() + 2 * DAY_MS));

/** Whole days from one YYYYMMDD to another, counted here rather than by the code under test. */
function daysFrom(from: string, to: string): number {
  const utc = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
  return Math.round((utc(to) - utc(from)) / DAY_MS);
}

/**
 * What the core computes from the JST day is checked against the day it ran on: the days before
 * and after the call; they differ only when a run crosses JST midnight, and then either is right.
 */
async function onJstDays<T>(call: () => Promise<T>): Promise<{ value: T; days: string[] }> {
  const before = jstDate(new Date());
  const value = await call();
  const after = jstDate(new Date());
  return { value, days: before === after ? [before] : [before, after] };
}

before(async () => {
  sandbox = await startSandbox({ dataDir: scratchHome('todoke-sandbox-pay-'), formatCheckDelayMs: 0, standInBank: true, log: (line) => sandboxLog.push(line) });
  home = scratchHome('todoke-app-pay-');
  app = makeApp(windows);
  app.events.subscribe((e) => {
    if (e.name === 'payment.changed') changed.push(e.payload);
  });
  await ok('identity.setup', {
    environment: { kind: 'sandbox' },
    signer: { kind: 'file', fileName: 'yamada-taro.p12', dataBase64: readFileSync(join(pki, 'yamada-taro.p12')).toString('base64'), password: PASSWORD },
    userId: `todoke-pay-${process.pid}`,
    mode: 'register',
  });
  const sent = await ok<BatchView>('batch.send', { jobId: `job-pay-${process.pid}`, paths: makeBatchFolders(join(home, 'data')) });
  await until(async () => (await ok<BatchView[]>('batch.list')).find((b) => b.id === sent.id && b.state === 'done'));
  const page = await ok<CasePageView>('case.list', {});
  arriveId = page.cases[0]!.arriveId;
  noFee = page.cases[1]!.arriveId;
});

after(async () => {
  for (const a of apps) a.close();
  await sandbox?.close();
});

void describe('電子納付 through the core', () => {
  test('before any fee: no 納付 kept, nothing due', async () => {
    assert.deepEqual(await ok<CasePaymentsView>('payment.list', { arriveId }), { arriveId, procedureName: '', payments: [], fetchedAt: null });
    assert.deepEqual(await ok<PaymentsDueView>('payment.upcoming'), { payments: [], urgent: 0 });
    await ok<SyncCycleView>('sync.now');
  });

  test('a fee the operator registers is found by the next sync cycle: payment.list shows it, payment.upcoming lists it with its days left', async () => {
    fee = sandbox.operatePayment({ action: 'add-payment', arriveId, amount: '12000', deadline: inTwoDays });
    const view = await syncUntil(arriveId, fee.payNumber, '未納');
    const p = view.payments.find((x) => x.payNumber === fee.payNumber)!;
    assert.deepEqual([p.totalFee, p.deadline, p.confirmNumber, p.facilityNumber, p.payDate, p.problems], ['12000', inTwoDays, fee.confirmNumber, fee.facilityNumber, '', []]);
    assert.ok(view.procedureName.length > 0);
    assert.notEqual(view.fetchedAt, null);
    assert.ok(changed.some((c) => c.arriveId === arriveId && c.changes.some((x) => x.payNumber === fee.payNumber && x.before === null && x.after === '未納')));
    const { value: due, days } = await onJstDays(() => ok<PaymentsDueView>('payment.upcoming'));
    const entry = due.payments.find((d) => d.payNumber === fee.payNumber)!;
    // 2 days left, counted from the JST day the core answered on (the deadline was set from the day the file loaded)
    assert.ok(days.some((day) => daysFrom(day, inTwoDays) === entry.daysLeft), `${entry.daysLeft} days left on ${days.join(' or ')}, deadline ${inTwoDays}`);
    assert.ok(entry.daysLeft !== null && entry.daysLeft >= 1 && entry.daysLeft <= 2);
    assert.equal(entry.arriveId, arriveId);
    assert.ok(entry.applicantName.length > 0 && entry.procedureName.length > 0);
    assert.equal(due.urgent, 1);
  });

  test('payment.banks is kept for the day; refresh asks e-Gov again', async () => {
    const before = bankListReads();
    const { value: [first, again], days } = await onJstDays(async () => [await ok<BankListView>('payment.banks', {}), await ok<BankListView>('payment.banks', {})] as const);
    assert.ok(first.banks.some((b) => b.name === STAND_IN_BANK_NAME && b.url === sandbox.standInBankUrl));
    assert.deepEqual(first.skipped.map((s) => s.name), ['擬似インターネット銀行１']);
    if (days.length === 1) {
      // the same JST day: the second answer is the list kept, e-Gov asked once
      assert.deepEqual(again, first);
      assert.equal(bankListReads(), before + 1);
    } else {
      // the calls straddled JST midnight: the new day may ask once more, never more
      assert.ok(bankListReads() === before + 1 || bankListReads() === before + 2);
    }
    await ok<BankListView>('payment.banks', { refresh: true });
    assert.equal(bankListReads(), before + 2);
  });

  test('payment.handOff opens the host window with a request its check accepts, posting to the stand-in bank, allowed only the listed origins', async () => {
    const view = await ok<PaymentHandOffView>('payment.handOff', { arriveId, payNumber: fee.payNumber, bankName: STAND_IN_BANK_NAME });
    assert.equal(windows.opened.length, 1);
    const request = windows.opened[0]!;
    assert.deepEqual(checkPaymentWindowRequest(JSON.parse(JSON.stringify(request))), request);
    assert.equal(request.form.action, sandbox.standInBankUrl);
    assert.equal(request.form.fields.payNumber, fee.payNumber);
    const standIn = new URL(sandbox.standInBankUrl!).origin;
    assert.ok(request.allowedOrigins.includes(standIn));
    assert.equal(new Set(request.allowedOrigins).size, request.allowedOrigins.length);
    assert.ok(request.allowedOrigins.every((o) => o === standIn || o.startsWith('https://')), request.allowedOrigins.join(' '));
    assert.equal(Date.parse(request.expiresAt) - Date.parse(request.startedAt), HAND_OFF_MINUTES * 60_000);
    assert.deepEqual(
      [view.handOffId, view.arriveId, view.payNumber, view.bank.name, view.origin, view.startedAt, view.expiresAt],
      [request.handOffId, arriveId, fee.payNumber, STAND_IN_BANK_NAME, standIn, request.startedAt, request.expiresAt],
    );
    // handing off marks nothing paid
    assert.equal((await ok<CasePaymentsView>('payment.list', { arriveId })).payments.find((p) => p.payNumber === fee.payNumber)!.status, '未納');
    assert.deepEqual(await ok<{ closed: boolean }>('payment.closeWindow', { handOffId: view.handOffId }), { closed: true });
    assert.deepEqual(await ok<{ closed: boolean }>('payment.closeWindow', { handOffId: view.handOffId }), { closed: false });
  });

  test('paid at the stand-in bank as a browser would: the next sync cycle makes it 納付済 with its PayDate, and payment.changed says so', async () => {
    await payAtBank(windows.opened[0]!);
    // e-Gov knows; Todoke does not until it reads again
    assert.equal((await ok<CasePaymentsView>('payment.list', { arriveId })).payments.find((p) => p.payNumber === fee.payNumber)!.status, '未納');
    const view = await syncUntil(arriveId, fee.payNumber, '納付済');
    assert.match(view.payments.find((p) => p.payNumber === fee.payNumber)!.payDate, /^\d{8}/);
    assert.ok(changed.some((c) => c.changes.some((x) => x.payNumber === fee.payNumber && x.before === '未納' && x.after === '納付済')));
    assert.ok(!(await ok<PaymentsDueView>('payment.upcoming')).payments.some((d) => d.payNumber === fee.payNumber));
    const refused = await fails('payment.handOff', { arriveId, payNumber: fee.payNumber, bankName: STAND_IN_BANK_NAME });
    assert.equal(refused.code, 'PAYMENT_NOT_PAYABLE');
    assert.match(refused.messageJa, /納付済/);
    assert.equal(windows.opened.length, 1);
  });

  test('expired at e-Gov before Todoke read it: e-Gov error page refused with its text; after the sync, 納付期限切れ and refused by Todoke', async () => {
    const late = sandbox.operatePayment({ action: 'add-payment', arriveId, amount: '300', deadline: '20991231' });
    await syncUntil(arriveId, late.payNumber, '未納');
    sandbox.operatePayment({ action: 'expire-payment', arriveId, payNumber: late.payNumber });
    const page = await fails('payment.handOff', { arriveId, payNumber: late.payNumber, bankName: STAND_IN_BANK_NAME });
    assert.equal(page.code, 'PAYMENT_HAND_OFF_REFUSED');
    assert.match(page.messageJa, /HTTP 400.*e-Gov の表示: .*納付期限/);
    const view = await syncUntil(arriveId, late.payNumber, '納付期限切れ');
    assert.ok(view.payments.length >= 2);
    assert.ok(changed.some((c) => c.changes.some((x) => x.payNumber === late.payNumber && x.before === '未納' && x.after === '納付期限切れ')));
    const refused = await fails('payment.handOff', { arriveId, payNumber: late.payNumber, bankName: STAND_IN_BANK_NAME });
    assert.equal(refused.code, 'PAYMENT_NOT_PAYABLE');
    assert.match(refused.messageJa, /納付期限/);
    assert.equal(windows.opened.length, 1);
  });

  test('a bank not in the list, a skipped bank, an unknown 納付番号 (after one read of e-Gov) and a malformed one are refused', async () => {
    const open = sandbox.operatePayment({ action: 'add-payment', arriveId, amount: '500', deadline: '20991231' });
    // not synced: the hand-off reads e-Gov once and finds it
    const reads = paymentReads();
    const notListed = await fails('payment.handOff', { arriveId, payNumber: open.payNumber, bankName: 'どこかの銀行' });
    assert.equal(paymentReads(), reads + 1);
    assert.equal(notListed.code, 'PAYMENT_BANK_UNKNOWN');
    assert.match(notListed.messageJa, /一覧にありません/);
    const skipped = await fails('payment.handOff', { arriveId, payNumber: open.payNumber, bankName: '擬似インターネット銀行１' });
    assert.equal(skipped.code, 'PAYMENT_BANK_UNKNOWN');
    assert.match(skipped.messageJa, /http/);
    const unknown = await fails('payment.handOff', { arriveId, payNumber: '1111222233334444', bankName: STAND_IN_BANK_NAME });
    assert.equal(unknown.code, 'PAYMENT_NOT_FOUND');
    assert.equal(paymentReads(), reads + 2);
    for (const payNumber of ['123', `${open.payNumber}\n`, '1'.repeat(5000)]) {
      assert.notEqual((await fails('payment.handOff', { arriveId, payNumber, bankName: STAND_IN_BANK_NAME })).code, 'PAYMENT_NOT_FOUND');
    }
    assert.equal(paymentReads(), reads + 2);
    assert.equal(windows.opened.length, 1);
  });

  test('a host without hand-off windows (the CLI) refuses with PAYMENT_WINDOW_UNAVAILABLE before asking e-Gov', async () => {
    const cli = makeApp();
    const reads = paymentReads();
    const refused = await fails('payment.handOff', { arriveId, payNumber: fee.payNumber, bankName: STAND_IN_BANK_NAME }, cli);
    assert.equal(refused.code, 'PAYMENT_WINDOW_UNAVAILABLE');
    assert.equal(paymentReads(), reads);
    assert.deepEqual(await ok<{ closed: boolean }>('payment.closeWindow', { handOffId: windows.opened[0]!.handOffId }, cli), { closed: false });
    // the same store: what the app read is there for the CLI's app too
    assert.ok((await ok<CasePaymentsView>('payment.list', { arriveId }, cli)).payments.some((p) => p.status === '納付済'));
  });

  test('a 納付 e-Gov stops listing: kept, marked, out of the due list, and payment.changed names it (unlisted) for the notices', async () => {
    const gone = sandbox.operatePayment({ action: 'add-payment', arriveId, amount: '700', deadline: inTwoDays });
    assert.ok((await ok<CasePaymentsView>('payment.list', { arriveId, refresh: true })).payments.some((p) => p.payNumber === gone.payNumber));
    // e-Gov no longer lists it (as when a ministry takes a fee back): removed from the sandbox's state behind its back
    const db = openSandboxDatabase(sandbox.dataDir);
    try {
      assert.equal(db.prepare('DELETE FROM payments WHERE pay_number = ?').run(gone.payNumber).changes, 1);
    } finally {
      db.close();
    }
    const heard = changed.length;
    const view = await ok<CasePaymentsView>('payment.list', { arriveId, refresh: true });
    const kept = view.payments.find((p) => p.payNumber === gone.payNumber)!;
    assert.equal(kept.status, '未納', 'kept as last read');
    assert.ok(kept.problems.some((p) => p.startsWith('e-Gov の最新の電子納付情報一覧にはこの納付がありません')), kept.problems.join(' / '));
    const event = changed.slice(heard).find((c) => c.arriveId === arriveId)!;
    assert.deepEqual([event.changes, event.unlisted], [[], [gone.payNumber]]);
    assert.ok(!(await ok<PaymentsDueView>('payment.upcoming')).payments.some((p) => p.payNumber === gone.payNumber));
  });

  test('across every sync cycle of this file the background never read the case without a fee (its PayStatus is -, no fee)', async () => {
    assert.equal((await ok<{ payStatus: string }>('case.get', { arriveId: noFee })).payStatus, '-');
    assert.ok(sandboxLog.some((l) => l.startsWith(`GET /shinsei/1/access/payment/${arriveId} `)));
    assert.ok(!sandboxLog.some((l) => l.includes(`/payment/${noFee}`)));
  });
});

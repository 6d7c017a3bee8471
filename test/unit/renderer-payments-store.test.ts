// The 電子納付 screens' store (src/renderer/stores/payments.ts) over a fake core, reached through the
// renderer's event routing (events.ts) as the app reaches it: payment.changed and payment.list answers
// in any order never put an older view back; an unknown PayStatus kept as it came; 「納付状況を確認する」
// asks e-Gov (refresh) and keeps the shown view when that fails; hand-off windows from the answer
// and the host's events, closed by payment.closeWindow, put away only once closed, and not piling up;
// the dashboard's list asked for once after a burst, and never for a dashboard not shown.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { ErrorPayload } from '../../src/shared/errors.js';
import type { BankListView, CasePaymentsView, Payment, PaymentHandOffView, PaymentsDueView, PaymentWindowEvent } from '../../src/shared/payment.js';
import { aPayment } from '../support/payment-fixture.js';

interface Call {
  op: string;
  args: Record<string, unknown>;
}

const ARRIVE = '2026113000000042';
const calls: Call[] = [];
let listAnswer: () => { ok: true; value: CasePaymentsView } | { ok: false; error: ErrorPayload };
/** holds payment.list answers until released, for the race tests */
let gate: Promise<void> | null = null;
let closeAnswer: { closed: boolean } = { closed: true };
let handOffCount = 0;

const failure: ErrorPayload = { code: 'EGOV_UNAVAILABLE', message: 'e-Gov did not answer', messageJa: 'e-Gov が応答しません。しばらくしてからもう一度試してください。' };

const payment = (over: Partial<Payment> = {}): Payment =>
  aPayment({ payNumber: '1234567890123456', facilityNumber: '12345', payNameKana: 'テスウリョウ', deadline: '20261203', ...over });

function casePayments(fetchedAt: string | null, over: Partial<Payment> = {}): CasePaymentsView {
  return { arriveId: ARRIVE, procedureName: '雇用保険被保険者資格取得届', payments: [payment(over)], fetchedAt };
}

const due: PaymentsDueView = { payments: [], urgent: 0 };
const banks: BankListView = { banks: [], skipped: [], listDate: '20261130', fetchedAt: '2026-11-30T00:00:00.000Z' };

const api = {
  'payment.list': async (args: Record<string, unknown>) => {
    calls.push({ op: 'payment.list', args });
    const answer = listAnswer();
    if (gate) await gate;
    return answer;
  },
  'payment.upcoming': async (args: Record<string, unknown>) => {
    calls.push({ op: 'payment.upcoming', args });
    return { ok: true as const, value: due };
  },
  'payment.banks': async (args: Record<string, unknown>) => {
    calls.push({ op: 'payment.banks', args });
    return { ok: true as const, value: banks };
  },
  'payment.handOff': async (args: Record<string, unknown>) => {
    calls.push({ op: 'payment.handOff', args });
    handOffCount += 1;
    const value: PaymentHandOffView = {
      handOffId: `h${handOffCount}`,
      arriveId: args.arriveId as string,
      payNumber: args.payNumber as string,
      bank: { group: 'bank', initial: 'す', name: args.bankName as string, serviceName: null, url: 'https://bank.example/' },
      origin: 'https://bank.example',
      startedAt: '2026-11-30T05:00:00.000Z',
      expiresAt: '2026-11-30T05:30:00.000Z',
    };
    return { ok: true as const, value };
  },
  'payment.closeWindow': async (args: Record<string, unknown>) => {
    calls.push({ op: 'payment.closeWindow', args });
    return { ok: true as const, value: closeAnswer };
  },
};
(globalThis as unknown as { window: unknown }).window = { todoke: api };

const { usePaymentStore, REFRESH_DELAY_MS, MAX_CLOSED_WINDOWS, newerView, windowsOf } = await import('../../src/renderer/stores/payments.js');
const { routeEvent } = await import('../../src/renderer/events.js');

const settle = () => new Promise((r) => setTimeout(r, REFRESH_DELAY_MS + 50));
const ops = (op: string) => calls.filter((c) => c.op === op);
const shown = () => usePaymentStore.getState().cases[ARRIVE];
const windowEvent = (handOffId: string, rest: Partial<PaymentWindowEvent> & Pick<PaymentWindowEvent, 'state'>): PaymentWindowEvent =>
  ({ handOffId, arriveId: ARRIVE, payNumber: '1234567890123456', bankName: 'スタンドイン銀行', at: '2026-11-30T05:00:01.000Z', ...rest }) as PaymentWindowEvent;

beforeEach(() => {
  usePaymentStore.setState({ cases: {}, windows: {}, due: { status: 'idle' }, banks: { status: 'idle' } });
  listAnswer = () => ({ ok: true, value: casePayments('2026-11-30T05:00:00.000Z') });
  gate = null;
  closeAnswer = { closed: true };
  calls.length = 0;
});

void describe('the payments of a case', () => {
  void it('loads what Todoke keeps (no refresh) and shows an unknown status exactly as it came', async () => {
    listAnswer = () => ({ ok: true, value: casePayments('2026-11-30T05:00:00.000Z', { status: '一部納付' }) });
    await usePaymentStore.getState().load(ARRIVE);
    assert.deepEqual(ops('payment.list')[0]?.args, { arriveId: ARRIVE });
    assert.equal(shown()?.status, 'ready');
    assert.equal(shown()?.view?.payments[0]?.status, '一部納付');
  });

  void it('a payment.changed newer than a load still under way wins; the late answer does not put the old status back', async () => {
    let release!: () => void;
    gate = new Promise((r) => (release = r));
    const loading = usePaymentStore.getState().load(ARRIVE);
    routeEvent({
      name: 'payment.changed',
      payload: { arriveId: ARRIVE, payments: casePayments('2026-11-30T06:00:00.000Z', { status: '納付済', payDate: '20261130' }), changes: [{ payNumber: '1234567890123456', before: '未納', after: '納付済' }], unlisted: [] },
    });
    release();
    await loading;
    assert.equal(shown()?.view?.payments[0]?.status, '納付済');
    assert.equal(shown()?.view?.fetchedAt, '2026-11-30T06:00:00.000Z');
  });

  void it('an older payment.changed after a newer answer is ignored; a view never read is older than any read one', () => {
    const newer = casePayments('2026-11-30T06:00:00.000Z', { status: '納付済' });
    const older = casePayments('2026-11-30T05:00:00.000Z');
    assert.equal(newerView(newer, older), newer);
    assert.equal(newerView(older, newer), newer);
    assert.equal(newerView(newer, casePayments(null)), newer);
    assert.equal(newerView(casePayments(null), older), older);
    assert.equal(newerView(casePayments('garbage'), older), older);
    routeEvent({ name: 'payment.changed', payload: { arriveId: ARRIVE, payments: newer, changes: [], unlisted: [] } });
    routeEvent({ name: 'payment.changed', payload: { arriveId: ARRIVE, payments: older, changes: [], unlisted: [] } });
    assert.equal(shown()?.view?.payments[0]?.status, '納付済');
  });

  void it('a load that fails says so; a later failure keeps the view shown', async () => {
    listAnswer = () => ({ ok: false, error: failure });
    await usePaymentStore.getState().load(ARRIVE);
    assert.equal(shown()?.status, 'error');
    assert.deepEqual(shown()?.error, failure);
    listAnswer = () => ({ ok: true, value: casePayments('2026-11-30T05:00:00.000Z') });
    await usePaymentStore.getState().load(ARRIVE);
    listAnswer = () => ({ ok: false, error: failure });
    await usePaymentStore.getState().load(ARRIVE);
    assert.equal(shown()?.status, 'ready');
  });

  void it('「納付状況を確認する」 asks e-Gov; a failure is said and the shown 納付 stay', async () => {
    await usePaymentStore.getState().load(ARRIVE);
    listAnswer = () => ({ ok: false, error: failure });
    await usePaymentStore.getState().check(ARRIVE);
    assert.deepEqual(ops('payment.list')[1]?.args, { arriveId: ARRIVE, refresh: true });
    assert.equal(shown()?.status, 'ready');
    assert.deepEqual(shown()?.checkError, failure);
    assert.equal(shown()?.checked, false);
    assert.equal(shown()?.checking, false);
    listAnswer = () => ({ ok: true, value: casePayments('2026-11-30T07:00:00.000Z', { status: '納付済' }) });
    await usePaymentStore.getState().check(ARRIVE);
    assert.equal(shown()?.checked, true);
    assert.equal(shown()?.checkError, null);
    assert.equal(shown()?.view?.payments[0]?.status, '納付済');
  });

  void it('a check of a case never loaded, failing, leaves it in error rather than loading for ever', async () => {
    listAnswer = () => ({ ok: false, error: failure });
    await usePaymentStore.getState().check(ARRIVE);
    assert.equal(shown()?.status, 'error');
    assert.equal(shown()?.checking, false);
  });

  void it('a case.payment-due of a case shown reads it again; of a case not shown, nothing', async () => {
    routeEvent({ name: 'case.changed', payload: { type: 'case.payment-due', arriveId: ARRIVE, payWaitCount: 1, payStatus: '未納', before: 0 } });
    assert.equal(ops('payment.list').length, 0);
    await usePaymentStore.getState().load(ARRIVE);
    routeEvent({ name: 'case.changed', payload: { type: 'case.payment-due', arriveId: ARRIVE, payWaitCount: 0, payStatus: '納付済', before: 1 } });
    await settle();
    assert.equal(ops('payment.list').length, 2);
  });
});

void describe('the dashboard list and the banks', () => {
  void it('is never asked for while the dashboard was never shown', async () => {
    routeEvent({ name: 'sync.status', payload: { running: true } as never });
    routeEvent({ name: 'payment.changed', payload: { arriveId: ARRIVE, payments: casePayments('2026-11-30T05:00:00.000Z'), changes: [], unlisted: [] } });
    await settle();
    assert.equal(ops('payment.upcoming').length, 0);
  });

  void it('is asked for once after a burst of payment.changed and sync cycles', async () => {
    await usePaymentStore.getState().loadDue();
    calls.length = 0;
    for (let i = 0; i < 5; i += 1) {
      routeEvent({ name: 'payment.changed', payload: { arriveId: ARRIVE, payments: casePayments(`2026-11-30T05:00:0${i}.000Z`), changes: [], unlisted: [] } });
      routeEvent({ name: 'sync.status', payload: { running: true } as never });
    }
    await settle();
    assert.equal(ops('payment.upcoming').length, 1);
    assert.equal(usePaymentStore.getState().due.status, 'ready');
  });

  void it('banks: kept for the day, asked of e-Gov again only on request', async () => {
    await usePaymentStore.getState().loadBanks();
    await usePaymentStore.getState().loadBanks(true);
    assert.deepEqual(ops('payment.banks').map((c) => c.args), [{}, { refresh: true }]);
    assert.equal(usePaymentStore.getState().banks.status, 'ready');
  });
});

void describe('hand-off windows', () => {
  void it('events before the answer and after it make one window; closing it marks it closed; a closed one can be put away', async () => {
    routeEvent({ name: 'payment.window', payload: windowEvent('h1', { state: 'blocked', kind: 'navigation', target: 'https://evil.example', at: '2026-11-30T05:00:03.000Z' }) });
    routeEvent({ name: 'payment.window', payload: windowEvent('h1', { state: 'navigated', origin: 'https://login.bank.example', at: '2026-11-30T05:00:02.000Z' }) });
    handOffCount = 0;
    const r = await usePaymentStore.getState().handOff(ARRIVE, '1234567890123456', 'スタンドイン銀行');
    assert.equal(r.ok, true);
    routeEvent({ name: 'payment.window', payload: windowEvent('h1', { state: 'opened', origin: 'https://bank.example', expiresAt: '2026-11-30T05:30:00.000Z' }) });
    const [w] = windowsOf(usePaymentStore.getState().windows, ARRIVE);
    assert.equal(w?.origin, 'https://login.bank.example');
    assert.equal(w?.bank?.name, 'スタンドイン銀行');
    assert.equal(w?.blocked.length, 1);
    assert.equal(w?.closed, false);

    usePaymentStore.getState().dismissWindow('h1');
    assert.ok(usePaymentStore.getState().windows.h1, 'an open window is not put away');
    closeAnswer = { closed: false };
    assert.deepEqual(await usePaymentStore.getState().closeWindow('h1'), { ok: true });
    assert.deepEqual(ops('payment.closeWindow')[0]?.args, { handOffId: 'h1' });
    assert.equal(usePaymentStore.getState().windows.h1?.closed, true, 'no longer open, either way');
    routeEvent({ name: 'payment.window', payload: windowEvent('h1', { state: 'navigated', origin: 'https://late.example', at: '2026-11-30T05:00:09.000Z' }) });
    assert.equal(usePaymentStore.getState().windows.h1?.closed, true);
    usePaymentStore.getState().dismissWindow('h1');
    assert.equal(usePaymentStore.getState().windows.h1, undefined);
  });

  void it('a malformed payment.window or payment.changed is dropped without touching the store', () => {
    const before = usePaymentStore.getState();
    routeEvent({ name: 'payment.window', payload: { handOffId: 'x', state: 'opened' } as unknown as PaymentWindowEvent });
    routeEvent({ name: 'payment.window', payload: null as unknown as PaymentWindowEvent });
    routeEvent({ name: 'payment.window', payload: windowEvent('y', { state: 'hovering' } as never) });
    routeEvent({ name: 'payment.changed', payload: { arriveId: ARRIVE } as never });
    routeEvent({ name: 'payment.changed', payload: { arriveId: ARRIVE, payments: { ...casePayments(null), arriveId: '2026113000000099' }, changes: [], unlisted: [] } });
    routeEvent({ name: 'payment.changed', payload: { arriveId: ARRIVE, payments: { ...casePayments(null), payments: 'lots' }, changes: [], unlisted: [] } as never });
    assert.equal(usePaymentStore.getState().windows, before.windows);
    assert.equal(usePaymentStore.getState().cases, before.cases);
  });

  void it('closed windows do not pile up beyond MAX_CLOSED_WINDOWS; open ones are all kept', () => {
    for (let i = 0; i < 200; i += 1) {
      routeEvent({ name: 'payment.window', payload: windowEvent(`c${i}`, { state: 'closed' }) });
    }
    routeEvent({ name: 'payment.window', payload: windowEvent('open1', { state: 'opened', origin: 'https://bank.example', expiresAt: '2026-11-30T05:30:00.000Z' }) });
    const windows = Object.values(usePaymentStore.getState().windows);
    assert.equal(windows.filter((w) => w.closed).length, MAX_CLOSED_WINDOWS);
    assert.ok(usePaymentStore.getState().windows.c199, 'the newest closed ones stay');
    assert.ok(usePaymentStore.getState().windows.open1);
  });
});

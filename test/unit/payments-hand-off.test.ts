// Unit: the checks of the hand-off (src/main/payments/hand-off.ts) and the bank list of the day
// (bank-list.ts), on a real PaymentStore with the e-Gov port answering from fixed values (the same
// flow against the sandbox is test/integration/app-payments.test.ts). Only a 未納 listed once is
// handed off; an unknown 納付番号 costs one read of e-Gov before the refusal; a bank must be in
// today's list; e-Gov's error page is refused with its text; the host's request is one its own check
// accepts; no window in the host is refused before e-Gov is asked anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BankList, BankSiteHandOff, BankSiteRequest, Payment, PaymentList, PaymentWindowRequest, PaymentWindows } from '../../src/shared/payment.js';
import { bankListOfTheDay, isTodays } from '../../src/main/payments/bank-list.js';
import { allowedOriginsOf, startHandOff, unpayableReason, type HandOffDeps } from '../../src/main/payments/hand-off.js';
import { checkPaymentWindowRequest } from '../../src/main/payments/window-request.js';
import { openStore } from '../../src/main/store/db.js';
import { PaymentStore, type StoredPayment } from '../../src/main/store/payments.js';
import { scratchHome } from '../support/home.js';
import { aPayment } from '../support/payment-fixture.js';

const A = '9002026000000001';
const PAY = '1000000000000001';
const NOW = new Date('2026-03-01T03:00:00.000Z');

const pay = (over: Partial<Payment> = {}): Payment => aPayment({ payNumber: PAY, ...over });

const stored = (over: Partial<StoredPayment> = {}): StoredPayment => ({ ...pay(), listed: true, ...over });

const BANKS: BankList = {
  banks: [
    { group: 'bank', initial: 'と', name: 'とどけ銀行', serviceName: null, url: 'https://bank.example/ib/start' },
    { group: 'bank', initial: 'と', name: 'とどけ銀行２', serviceName: 'ネット', url: 'https://bank.example/other' },
    { group: 'shinkin', initial: null, name: 'しんきん', serviceName: null, url: 'https://shinkin.example:8443/' },
  ],
  skipped: [{ group: 'bank', initial: 'ぎ', name: '擬似銀行', url: 'http://plain.example/', reason: '暗号化されていない接続（http）の URL です' }],
  listDate: '20150326',
};

const FORM_PAGE: BankSiteHandOff = {
  status: 200,
  html: '<form>',
  form: { action: 'https://bank.example/ib/start', fields: { payNumber: PAY, confirmNumber: '123456' } },
  text: '金融機関サイトへ移動します',
};

class RecordingWindows implements PaymentWindows {
  readonly opened: PaymentWindowRequest[] = [];
  async open(request: PaymentWindowRequest): Promise<void> {
    this.opened.push(request);
  }
  async close(): Promise<boolean> {
    return false;
  }
}

interface Setup {
  deps: HandOffDeps;
  calls: string[];
  windows: RecordingWindows;
  store: PaymentStore;
}

function setup(options: { egov?: Payment[]; page?: BankSiteHandOff; windows?: boolean; kept?: Payment[] } = {}): Setup {
  const store = new PaymentStore(openStore(scratchHome('todoke-handoff-'), 'p'), { now: () => NOW.getTime() });
  if (options.kept) store.replaceCase({ arriveId: A, procedureName: '手続', payments: options.kept }, null);
  const calls: string[] = [];
  const windows = new RecordingWindows();
  const deps: HandOffDeps = {
    store,
    session: { withAccessKey: (call) => call('key') },
    gateway: {
      payments: async (_key, arriveId): Promise<PaymentList> => {
        calls.push(`payments ${arriveId}`);
        return { arriveId, procedureName: '手続', payments: options.egov ?? [] };
      },
      bankSite: async (_key, request: BankSiteRequest, list) => {
        calls.push(`bankSite ${request.payNumber} ${request.bankName} ${list === BANKS ? 'with list' : 'without list'}`);
        return options.page ?? FORM_PAGE;
      },
    },
    banks: async () => {
      calls.push('banks');
      return BANKS;
    },
    windows: options.windows === false ? undefined : windows,
    now: () => NOW,
    newId: () => '01234567-89ab-cdef-0123-456789abcdef',
  };
  return { deps, calls, windows, store };
}

async function refused(promise: Promise<unknown>, code: string, message?: RegExp): Promise<string> {
  try {
    await promise;
  } catch (e) {
    const err = e as { code?: string; messageJa?: string };
    assert.equal(err.code, code, String(e));
    assert.match(err.messageJa ?? '', /。/);
    if (message) assert.match(err.messageJa ?? '', message);
    return err.messageJa ?? '';
  }
  return assert.fail(`expected ${code}`);
}

const request = (over: Partial<BankSiteRequest> = {}): BankSiteRequest => ({ arriveId: A, payNumber: PAY, bankName: 'とどけ銀行', ...over });

void describe('unpayableReason', () => {
  it('only a 未納 listed once is payable; every other state says why in Japanese', () => {
    assert.equal(unpayableReason([stored()]), null);
    assert.equal(unpayableReason([]), null);
    assert.match(unpayableReason([stored({ status: '納付済', payDate: '20260301' })])!, /納付済です（納付日 20260301）。もう一度支払う必要はありません/);
    assert.match(unpayableReason([stored({ status: '納付済' })])!, /^この納付は納付済です。/);
    assert.match(unpayableReason([stored({ status: '納付期限切れ' })])!, /納付期限（20991231）を過ぎた/);
    assert.match(unpayableReason([stored({ listed: false })])!, /最新の電子納付情報一覧にありません/);
    assert.match(unpayableReason([stored(), stored()])!, /複数あり/);
    const odd = unpayableReason([stored({ status: `処理中${'あ'.repeat(10_000)}` })])!;
    assert.match(odd, /「処理中あ+」は Todoke の知らない状態/);
    assert.ok(odd.length < 200, 'an unknown status is shown bounded');
    for (const status of ['', ' 未納', '未納 ', 'みのう']) assert.notEqual(unpayableReason([stored({ status })]), null, status);
  });
});

void describe('allowedOriginsOf', () => {
  it('the distinct origins of the listed banks, ports kept apart, never a skipped bank', () => {
    assert.deepEqual(allowedOriginsOf(BANKS), ['https://bank.example', 'https://shinkin.example:8443']);
    assert.deepEqual(allowedOriginsOf({ banks: [], skipped: [], listDate: '' }), []);
    const odd: BankList = { ...BANKS, banks: [...BANKS.banks, { ...BANKS.banks[0]!, name: 'x', url: 'not a url' }, { ...BANKS.banks[0]!, name: 'y', url: 'https://BANK.example:443/a' }] };
    assert.deepEqual(allowedOriginsOf(odd), ['https://bank.example', 'https://shinkin.example:8443']);
  });
});

void describe('startHandOff', () => {
  it('opens the host window with a request its check accepts, and reports what it started', async () => {
    const s = setup({ kept: [pay()] });
    const view = await startHandOff(s.deps, request());
    assert.deepEqual(s.calls, ['banks', `bankSite ${PAY} とどけ銀行 with list`]);
    assert.equal(s.windows.opened.length, 1);
    const sent = s.windows.opened[0]!;
    assert.deepEqual(checkPaymentWindowRequest(JSON.parse(JSON.stringify(sent))), sent);
    assert.deepEqual(sent, {
      handOffId: '01234567-89ab-cdef-0123-456789abcdef',
      arriveId: A,
      payNumber: PAY,
      bankName: 'とどけ銀行',
      form: FORM_PAGE.form,
      allowedOrigins: ['https://bank.example', 'https://shinkin.example:8443'],
      startedAt: '2026-03-01T03:00:00.000Z',
      expiresAt: '2026-03-01T03:30:00.000Z',
    });
    assert.deepEqual(view, {
      handOffId: sent.handOffId,
      arriveId: A,
      payNumber: PAY,
      bank: BANKS.banks[0],
      origin: 'https://bank.example',
      startedAt: sent.startedAt,
      expiresAt: sent.expiresAt,
    });
  });

  it('a host without windows is refused before e-Gov is asked anything', async () => {
    const s = setup({ kept: [pay()], windows: false });
    await refused(startHandOff(s.deps, request()), 'PAYMENT_WINDOW_UNAVAILABLE', /ATM/);
    assert.deepEqual(s.calls, []);
  });

  it('a 納付番号 Todoke does not know is read from e-Gov once: found, it goes on; still unknown, refused', async () => {
    const found = setup({ egov: [pay()] });
    const reads: number[] = [];
    found.deps.onRead = (r) => reads.push(r.changes.length);
    await startHandOff(found.deps, request());
    assert.deepEqual(found.calls.slice(0, 1), [`payments ${A}`]);
    assert.deepEqual(reads, [1]);
    const missing = setup({ egov: [pay({ payNumber: '9999999999999999' })] });
    await refused(startHandOff(missing.deps, request()), 'PAYMENT_NOT_FOUND', new RegExp(PAY));
    assert.deepEqual(missing.calls, [`payments ${A}`]);
    assert.equal(missing.windows.opened.length, 0);
  });

  it('a 納付済, 納付期限切れ or unknown-status 納付 is refused without asking e-Gov for the page', async () => {
    for (const [status, message] of [
      ['納付済', /納付済/],
      ['納付期限切れ', /納付期限/],
      ['?', /知らない状態/],
    ] as const) {
      const s = setup({ kept: [pay({ status })] });
      await refused(startHandOff(s.deps, request()), 'PAYMENT_NOT_PAYABLE', message);
      assert.deepEqual(s.calls, []);
    }
  });

  it('a bank not in the list, or one Todoke will not open, is refused with why; a hostile name is shown bounded', async () => {
    const s = setup({ kept: [pay()] });
    await refused(startHandOff(s.deps, request({ bankName: 'どこかの銀行' })), 'PAYMENT_BANK_UNKNOWN', /一覧にありません/);
    await refused(startHandOff(s.deps, request({ bankName: '擬似銀行' })), 'PAYMENT_BANK_UNKNOWN', /開きません（暗号化されていない接続/);
    const long = await refused(startHandOff(s.deps, request({ bankName: `<script>${'x'.repeat(5000)}` })), 'PAYMENT_BANK_UNKNOWN');
    assert.ok(long.length < 200);
    assert.deepEqual(s.calls, ['banks', 'banks', 'banks']);
    assert.equal(s.windows.opened.length, 0);
  });

  it('e-Gov error page: refused with its status and text (bounded), no window', async () => {
    const s = setup({ kept: [pay()], page: { status: 400, html: '<p>', form: null, text: `納付期限を過ぎています。${'長'.repeat(2000)}` } });
    const message = await refused(startHandOff(s.deps, request()), 'PAYMENT_HAND_OFF_REFUSED', /HTTP 400）。e-Gov の表示: 納付期限を過ぎています。/);
    assert.ok(message.length < 400);
    const empty = setup({ kept: [pay()], page: { status: 500, html: '', form: null, text: '' } });
    await refused(startHandOff(empty.deps, request()), 'PAYMENT_HAND_OFF_REFUSED', /（本文なし）/);
    assert.equal(s.windows.opened.length + empty.windows.opened.length, 0);
  });

  it('a host that fails to open the window fails the hand-off (nothing reported as started)', async () => {
    const s = setup({ kept: [pay()] });
    s.deps.windows = { open: () => Promise.reject(new Error('host gone')), close: async () => false };
    await assert.rejects(startHandOff(s.deps, request()), /host gone/);
  });
});

void describe('the bank list of the day', () => {
  it('isTodays: the same JST day, not a later one, not a time after now (a clock set back), not garbage', () => {
    assert.equal(isTodays('2026-03-01T03:00:00.000Z', new Date('2026-03-01T14:59:59.999Z')), true);
    assert.equal(isTodays('2026-03-01T03:00:00.000Z', new Date('2026-03-01T15:00:00.000Z')), false);
    assert.equal(isTodays('2026-02-28T15:00:00.000Z', new Date('2026-03-01T14:00:00.000Z')), true);
    assert.equal(isTodays('2026-03-01T04:00:00.000Z', new Date('2026-03-01T03:00:00.000Z')), false);
    assert.equal(isTodays('not a date', new Date('2026-03-01T03:00:00.000Z')), false);
  });

  it('kept for the day, read again the next day, on refresh, or when the kept one cannot be read', async () => {
    let clock = new Date('2026-03-01T03:00:00.000Z');
    const db = openStore(scratchHome('todoke-banks-'), 'p');
    const store = new PaymentStore(db, { now: () => clock.getTime() });
    let reads = 0;
    const deps = { store, fetch: async () => (reads++, BANKS), now: () => clock };
    const first = await bankListOfTheDay(deps);
    assert.deepEqual(first, { ...BANKS, fetchedAt: '2026-03-01T03:00:00.000Z' });
    clock = new Date('2026-03-01T14:00:00.000Z');
    assert.deepEqual(await bankListOfTheDay(deps), first);
    assert.equal(reads, 1);
    await bankListOfTheDay(deps, { refresh: true });
    assert.equal(reads, 2);
    clock = new Date('2026-03-01T15:00:00.000Z');
    assert.equal((await bankListOfTheDay(deps)).fetchedAt, '2026-03-01T15:00:00.000Z');
    assert.equal(reads, 3);
    // a kept list that cannot be read is read again from e-Gov and replaced
    db.db.prepare("UPDATE bank_lists SET list = '{\"banks\":'").run();
    assert.deepEqual(await bankListOfTheDay(deps), { ...BANKS, fetchedAt: '2026-03-01T15:00:00.000Z' });
    assert.equal(reads, 4);
    assert.deepEqual(store.banks(), { ...BANKS, fetchedAt: '2026-03-01T15:00:00.000Z' });
  });
});

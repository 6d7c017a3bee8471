// Unit: the 取下げ use case (src/main/filing/withdraw.ts) on a real store with the bundled training
// certificate and a scripted gateway: what each failure leaves (not sent → ready, refused → failed,
// no answer → unknown), never a second 取下げ while one may be at e-Gov (and no PIN asked for one that
// is refused), a new one replacing one that provably never left; the reconciliation by 状況照会
// (pure decisions, then through the sender: arrived, not found, undecided → the person settles);
// and the prefill of the form from the recorded request of the batch Todoke sent — hostile,
// truncated and huge kousei.xml included.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CaseEvent, CaseStatus, WithdrawalReceipt } from '../../src/shared/case.js';
import { readApplicationZipBuffer } from '../../src/main/application/read-zip.js';
import { apiError, connectionFailed, connectionReset, serverError } from '../../src/main/egov/errors.js';
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import { EgovClient } from '../../src/main/egov/http.js';
import { WithdrawalSender, type WithdrawInput } from '../../src/main/filing/withdraw.js';
import { prefillFromKousei, prefillFromSentRequest } from '../../src/main/filing/withdrawal-prefill.js';
import { openPkcs12 } from '../../src/main/signing/file-signer.js';
import type { Signer } from '../../src/main/signing/signer.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { openStore, type Store } from '../../src/main/store/db.js';
import { Outbox } from '../../src/main/store/outbox.js';
import { reconcileWithdrawal } from '../../src/main/sync/reconcile-withdrawal.js';
import { arrivedApplication } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';
import { egovDir, repoRoot } from '../support/paths.js';

const SEND = '202601151000000001';
const A = '9002026000000001';
const NEW = '9002026000000009';
const p12 = readFileSync(join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12'));
const samples = join(egovDir, 'samples');
const T0 = Date.UTC(2026, 0, 20, 1, 0, 0); // 2026-01-20 10:00:00 JST

const event = (subId: number, date: string, processType: string, status: string, operatorType = '送信'): CaseEvent => ({
  subId,
  date,
  operatorType,
  processType,
  status,
  payNumber: '',
  payStatus: '',
  totalFee: '',
  payExpiredDate: '',
});

function caseStatus(over: Partial<CaseStatus> = {}): CaseStatus {
  return {
    arriveId: A,
    procedureName: '手続',
    amendMessage: '',
    commentMessage: '',
    documentMessage: '',
    payMessage: '',
    status: '到達',
    arriveDate: '20260115100500',
    examStartDate: '',
    examEndDate: '',
    procedureEndDate: '',
    withdrawFlag: '0',
    withdrawType: '0',
    reintroductionFlag: '0',
    history: [event(1, '20260115100500', '新規申請', '到達')],
    ...over,
  };
}

function receiptFor(arriveId: string): WithdrawalReceipt {
  return {
    arriveId,
    newArriveId: NEW,
    procedureName: '取下げ申請書XML管理手続',
    arriveDate: '20260120100001',
    arriveResult: '到達',
    applyType: '取下げ',
    ministryName: '厚生労働省',
    receptionDesk: '',
    applicantName: '取下\u3000太郎',
    formNames: ['取下げ申請書XML'],
    fileNames: ['torisageshinsei.xml'],
    orgDistFileSend: '',
  };
}

interface World {
  store: Store;
  outbox: Outbox;
  cases: CaseStore;
  sender: WithdrawalSender;
  /** what sendWithdrawal does next */
  next: Array<(body: Uint8Array) => Promise<WithdrawalReceipt>>;
  sent: number;
  signersOpened: number;
  status: CaseStatus;
  now: number;
}

function world(): World {
  const store = openStore(scratchHome(), 'p');
  const v1 = new EgovV1Gateway(new EgovClient({ baseUrl: 'http://127.0.0.1:9/shinsei/1/', softwareId: 'TEST' }));
  const w = { next: [], sent: 0, signersOpened: 0, status: caseStatus(), now: T0 } as unknown as World;
  w.store = store;
  w.outbox = new Outbox(store, { now: () => w.now });
  w.cases = new CaseStore(store, { now: () => w.now });
  w.cases.storeListed([{ sendNumber: SEND, application: arrivedApplication(A) }], new Set());
  w.sender = new WithdrawalSender({
    outbox: w.outbox,
    cases: w.cases,
    session: { userId: 'user1', withAccessKey: (call) => call('KEY') },
    gateway: {
      prepareWithdrawal: (u) => v1.prepareWithdrawal(u),
      isCredentialRefusal: (e) => v1.isCredentialRefusal(e),
      sendWithdrawal: async (_key, body) => {
        w.sent++;
        const step = w.next.shift();
        if (!step) throw new Error('no scripted answer');
        return step(body);
      },
      caseStatus: async () => w.status,
    },
    now: () => new Date(w.now),
  });
  return w;
}

const input = (w: World, over: Partial<WithdrawInput> = {}): WithdrawInput => ({
  arriveId: A,
  kind: 'application',
  reason: '誤って申請したため',
  applicant: { name: '取下\u3000太郎', address: '東京都千代田区霞が関', phone: '03-1234-5678', corporationName: '株式会社届け' },
  openSigner: async (): Promise<Signer> => {
    w.signersOpened++;
    return openPkcs12(p12, 'todoke');
  },
  ...over,
});

void describe('WithdrawalSender', () => {
  it('arrives: recorded before it left, sent once, its own 到達番号 and the linked case stored', async () => {
    const w = world();
    try {
      let seenState = '';
      w.next.push(async () => {
        // `sending` is committed before the first byte leaves
        seenState = w.outbox.withdrawalsOf(A)[0]!.state;
        return receiptFor(A);
      });
      const r = await w.sender.withdraw(input(w));
      assert.equal(seenState, 'sending');
      assert.deepEqual([r.entry.state, r.entry.newArriveId, r.receipt.newArriveId, w.sent, w.signersOpened], ['done', NEW, NEW, 1, 1]);
      const c = w.cases.get(NEW)!;
      assert.deepEqual([c.withdrawalOf, c.sendNumber, c.corporationName, c.procedureFolderName], [A, null, '株式会社届け', '9990000000000008(1)']);
      // the recorded request is the bytes that were sent, naming the case
      const body = (await w.outbox.requestBytes(r.entry.id)).toString('latin1');
      assert.match(body, new RegExp(`<ArriveID>${A}</ArriveID>`));
      // a second one: refused before the signer is opened, nothing sent
      await assert.rejects(w.sender.withdraw(input(w)), { code: 'WITHDRAWAL_EXISTS' });
      assert.deepEqual([w.sent, w.signersOpened], [1, 1]);
      const reason = w.sender.blockedReason(A);
      assert.match(reason?.ja ?? '', /すでに記録されています/);
      assert.ok(reason && reason.en.length > 0 && !/[\u3040-\u30ff]/.test(reason.en.replace(/取下げ/g, '')), `English: ${reason?.en}`);
      await assert.rejects(w.sender.withdraw(input(w, { arriveId: NEW })), { code: 'WITHDRAWAL_NOT_ALLOWED' });
      await assert.rejects(w.sender.withdraw(input(w, { arriveId: '9002026000000077' })), { code: 'WITHDRAWAL_CASE_NOT_FOUND' });
    } finally {
      w.store.close();
    }
  });

  it('bad text is refused with its field before the signer is opened', async () => {
    const w = world();
    try {
      await assert.rejects(w.sender.withdraw(input(w, { reason: '' })), (e: { code?: string; detail?: Record<string, unknown> }) => e.code === 'WITHDRAWAL_INPUT_INVALID' && e.detail?.field === 'reason');
      await assert.rejects(w.sender.withdraw(input(w, { remarks: '備考'.repeat(600) })), (e: { code?: string; detail?: Record<string, unknown> }) => e.detail?.field === 'remarks');
      await assert.rejects(w.sender.withdraw(input(w, { applicant: { name: 'a', address: 'b', phone: '03 1234' } })), (e: { detail?: Record<string, unknown> }) => e.detail?.field === 'applicant.phone');
      await assert.rejects(w.sender.withdraw(input(w, { applicant: { name: 'a\u0000b', address: 'b', phone: '03' } })), (e: { detail?: Record<string, unknown> }) => e.detail?.field === 'applicant.name');
      assert.deepEqual([w.signersOpened, w.sent, w.outbox.withdrawalsOf(A).length], [0, 0, 0]);
    } finally {
      w.store.close();
    }
  });

  it('never left → ready, then replaced by the next 取下げ; refused → failed, room for another', async () => {
    const w = world();
    try {
      w.next.push(async () => Promise.reject(connectionFailed('127.0.0.1', new Error('ECONNREFUSED'))));
      await assert.rejects(w.sender.withdraw(input(w)), (e: { code?: string; detail?: Record<string, unknown> }) => e.code === 'WITHDRAWAL_NOT_SENT' && e.detail?.state === 'ready');
      const lost = w.outbox.withdrawalsOf(A)[0]!;
      assert.equal(w.sender.blockedReason(A), null, 'a 取下げ that never left does not block');
      w.next.push(async () => Promise.reject(apiError(400, '取下げできない状態です')));
      await assert.rejects(w.sender.withdraw(input(w)), (e: { code?: string; messageJa?: string }) => e.code === 'WITHDRAWAL_REFUSED' && /取下げできない状態です/.test(e.messageJa ?? ''));
      assert.deepEqual(w.outbox.withdrawalsOf(A).map((e) => [e.state, e.failure?.code]), [['failed', 'WITHDRAWAL_REPLACED'], ['failed', 'EGOV_API_ERROR']]);
      assert.equal(w.outbox.get(lost.id)!.state, 'failed');
      w.next.push(async () => receiptFor(A));
      const r = await w.sender.withdraw(input(w));
      assert.deepEqual([r.entry.state, r.replaced, w.sent], ['done', [], 3]);
    } finally {
      w.store.close();
    }
  });

  it('no answer (reset, 5xx) → unknown; refused a second time; reconciled by 状況照会, never resent', async () => {
    for (const failure of [() => connectionReset('127.0.0.1', new Error('ECONNRESET'), false), () => serverError(503)]) {
      const w = world();
      try {
        w.next.push(async () => Promise.reject(failure()));
        await assert.rejects(w.sender.withdraw(input(w)), (e: { code?: string; detail?: Record<string, unknown> }) => e.code === 'WITHDRAWAL_DELIVERY_UNKNOWN' && e.detail?.state === 'unknown');
        await assert.rejects(w.sender.withdraw(input(w)), { code: 'WITHDRAWAL_EXISTS' });
        const id = w.outbox.withdrawalsOf(A)[0]!.id;
        await assert.rejects(w.sender.sendRecorded(id), { code: 'OUTBOX_ILLEGAL_TRANSITION' });
        // asked at once, with nothing to see: too early to say it is not there
        w.now = T0 + 60_000;
        const [early] = await w.sender.reconcile();
        assert.equal(early!.entry.state, 'unknown');
        assert.equal('decision' in early! && early.decision.kind, 'too-early');
        // e-Gov shows the 取下げ on the case
        w.status = caseStatus({ status: '到達（取下げ処理中）', withdrawFlag: '1', history: [event(1, '20260115100500', '新規申請', '到達'), event(2, '20260120100000', '取下げ申請', '到達（取下げ処理中）')] });
        const [found] = await w.sender.reconcile();
        assert.equal(found!.entry.state, 'done');
        assert.equal(found!.entry.newArriveId, null);
        assert.equal(w.cases.get(A)!.status, '到達（取下げ処理中）', 'the answer is stored with the case');
        assert.equal(w.sent, 1);
      } finally {
        w.store.close();
      }
    }
  });

  it('reconciled not found → may be replaced; undecided → waits for the person, who settles it', async () => {
    const w = world();
    try {
      w.next.push(async () => Promise.reject(serverError(500)));
      await assert.rejects(w.sender.withdraw(input(w)), { code: 'WITHDRAWAL_DELIVERY_UNKNOWN' });
      w.now = T0 + 10 * 60_000;
      const [nf] = await w.sender.reconcile();
      assert.equal(nf!.entry.state, 'ready-for-resend');
      assert.equal(w.sender.blockedReason(A), null);
      w.next.push(async () => Promise.reject(serverError(500)));
      const second = await w.sender.withdraw(input(w)).catch((e: { detail?: { entryId?: string } }) => e.detail?.entryId);
      assert.equal(typeof second, 'string');
      assert.deepEqual(w.outbox.withdrawalsOf(A).map((e) => e.state), ['failed', 'unknown']);
      // the case says 取下げ処理中 but its history shows no 取下げ: undecided
      w.status = caseStatus({ status: '到達（取下げ処理中）' });
      const [undecided] = await w.sender.reconcile();
      assert.equal(undecided!.entry.state, 'ambiguous');
      assert.match(undecided!.entry.failure?.message ?? '', /履歴）が見つかりません/);
      await assert.rejects(w.sender.withdraw(input(w)), { code: 'WITHDRAWAL_EXISTS' });
      assert.throws(() => w.sender.settle(w.outbox.withdrawalsOf(A)[0]!.id, 'arrived'), { code: 'WITHDRAWAL_WRONG_STATE' });
      assert.equal(w.sender.settle(second as string, 'arrived').state, 'done');
      assert.equal(w.sent, 2);
    } finally {
      w.store.close();
    }
  });

  it('a crash while sending: the entry left `sending` becomes unknown at the next start and is reconciled, not resent', async () => {
    const w = world();
    try {
      // the process dies inside sendWithdrawal: the request reached e-Gov, no answer was recorded
      w.next.push(() => new Promise(() => undefined));
      void w.sender.withdraw(input(w));
      await new Promise<void>((resolve) => {
        const check = () => (w.outbox.withdrawalsOf(A)[0]?.state === 'sending' ? resolve() : setTimeout(check, 5));
        check();
      });
      const id = w.outbox.withdrawalsOf(A)[0]!.id;
      // the next start: the outbox's crash recovery, then the 取下げ reconciliation
      assert.deepEqual(w.outbox.recoverInterrupted().map((e) => [e.id, e.state]), [[id, 'unknown']]);
      w.status = caseStatus({ status: '到達（取下げ処理中）', history: [event(1, '20260115100500', '新規申請', '到達'), event(2, '20260120100000', '取下げ申請', '到達（取下げ処理中）')] });
      const [outcome] = await w.sender.reconcile();
      assert.deepEqual([outcome!.entryId, outcome!.entry.state], [id, 'done']);
      assert.equal(w.sent, 1);
    } finally {
      w.store.close();
    }
  });

  it('a case already 到達（取下げ処理中） (a 取下げ sent elsewhere) is not withdrawn again', async () => {
    const w = world();
    try {
      w.cases.storeReference(caseStatus({ status: '到達（取下げ処理中）' }));
      await assert.rejects(w.sender.withdraw(input(w)), { code: 'WITHDRAWAL_NOT_ALLOWED' });
      assert.deepEqual([w.signersOpened, w.sent], [0, 0]);
    } finally {
      w.store.close();
    }
  });
});

void describe('reconcileWithdrawal (pure)', () => {
  const subject = { arriveId: A, attemptStartedAt: T0 };
  const now = T0 + 60 * 60_000;
  it('arrived: a 取下げ event at or after the attempt (its date unreadable too), whatever the status became', () => {
    const accepted = caseStatus({ status: '取下げ済', history: [event(1, '20260115100500', '新規申請', '到達'), event(2, '20260120100000', '取下げ申請', '到達（取下げ処理中）'), event(3, '20260121100000', '取下げ受理通知', '取下げ済', '受信')] });
    const d = reconcileWithdrawal(subject, accepted, { now });
    assert.equal(d.kind, 'arrived');
    assert.equal(d.kind === 'arrived' && d.event?.subId, 2);
    assert.equal(reconcileWithdrawal(subject, caseStatus({ history: [event(2, 'garbage', '取下げ申請', '到達（取下げ処理中）')] }), { now }).kind, 'arrived');
    // our clock a little ahead of e-Gov's: within the early window
    assert.equal(reconcileWithdrawal(subject, caseStatus({ history: [event(2, '20260120095500', '取下げ依頼', '到達（取下げ処理中）')] }), { now }).kind, 'arrived');
  });
  it('ambiguous: a 取下げ only before the attempt, a pending status or flag without an event, another case answered', () => {
    assert.equal(reconcileWithdrawal(subject, caseStatus({ history: [event(2, '20260110100000', '取下げ申請', '到達（取下げ処理中）')] }), { now }).kind, 'ambiguous');
    assert.equal(reconcileWithdrawal(subject, caseStatus({ status: '到達（取下げ処理中）' }), { now }).kind, 'ambiguous');
    assert.equal(reconcileWithdrawal(subject, caseStatus({ withdrawFlag: '1' }), { now }).kind, 'ambiguous');
    assert.equal(reconcileWithdrawal(subject, caseStatus({ arriveId: '9002026000000002' }), { now }).kind, 'ambiguous');
  });
  it('not found only once the settle window has passed', () => {
    assert.deepEqual(reconcileWithdrawal(subject, caseStatus(), { now: T0 + 1000 }), { kind: 'too-early', retryAt: T0 + 5 * 60_000 });
    assert.deepEqual(reconcileWithdrawal(subject, caseStatus(), { now }), { kind: 'not-found' });
    assert.deepEqual(reconcileWithdrawal(subject, caseStatus({ status: '審査中', history: [event(1, '20260115100500', '新規申請', '到達'), event(2, '20260120110000', '審査開始通知', '審査中', '受信')] }), { now }), { kind: 'not-found' });
  });
});

void describe('the prefill of the form', () => {
  it('from a kousei.xml: 申請者, 連絡先 (the 申請者 when empty) and 提出先名称', () => {
    const p = prefillFromKousei(readFileSync(join(samples, 'apply_900A010200001000_base_kousei.xml')))!;
    assert.match(p.applicant.name, /^ほげ[\s\u3000]ほげ$/);
    assert.deepEqual([p.applicant.postalCode, p.applicant.address, p.applicant.phone, p.applicant.email, p.applicant.title], ['1200001', '東京都足立区大谷田', '12-232-1232', 'zzz@zzz.zz', '']);
    assert.match(p.contact.name, /^漢[\s\u3000]字$/);
    assert.equal(p.submitTo, '総務省,行政管理局,API');
    const noContact = readFileSync(join(samples, 'apply_900A010200001000_base_kousei.xml'), 'utf8').replace(/<連絡先情報>[\s\S]*<\/連絡先情報>/, '<連絡先情報/>');
    assert.deepEqual(prefillFromKousei(Buffer.from(noContact))!.contact, prefillFromKousei(Buffer.from(noContact))!.applicant);
  });

  it('hostile, truncated or huge kousei.xml: refused by the safe parser, or cut to a bounded length', () => {
    const entity = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><DataRoot>&x;</DataRoot>';
    assert.throws(() => prefillFromKousei(Buffer.from(entity)));
    const full = readFileSync(join(samples, 'apply_900A010200001000_base_kousei.xml'));
    assert.throws(() => prefillFromKousei(full.subarray(0, Math.floor(full.length / 2))));
    assert.equal(prefillFromKousei(Buffer.from('<DataRoot><構成情報/></DataRoot>')), null);
    const huge = full.toString('utf8').replace(/<住所>[^<]*<\/住所>/, `<住所>${'長'.repeat(50_000)}</住所>`);
    assert.equal(prefillFromKousei(Buffer.from(huge))!.applicant.address.length, 1000);
  });

  it('from the recorded request of the batch Todoke sent; nothing (not a failure) for a case sent elsewhere or an unreadable request', async () => {
    const store = openStore(scratchHome(), 'p');
    try {
      const outbox = new Outbox(store);
      const gateway = new EgovV1Gateway(new EgovClient({ baseUrl: 'http://127.0.0.1:9/shinsei/1/', softwareId: 'TEST' }));
      const zip = readFileSync(join(samples, 'bulk_apply_for_api.zip'));
      const folders = (await readApplicationZipBuffer(zip)).applications.map((a) => a.folderName);
      const prepared = gateway.prepareBatch({ fileName: 'apply.zip', zip });
      const entry = await outbox.record({ userId: 'u', kind: 'batch', request: prepared.body, sourcePaths: [], contentSha256: 'd'.repeat(64), applicationCount: folders.length, folderNames: folders, applicantNames: folders.map(() => 'x') });
      const c = { entryId: entry.id, procedureFolderName: folders[0]!, applicantName: 'x' };
      const p = await prefillFromSentRequest(outbox, gateway, c);
      assert.ok(p && p.applicant.name.length > 0, 'a 申請者 read from the recorded kousei.xml');
      assert.equal(await prefillFromSentRequest(outbox, gateway, { ...c, entryId: null }), null);
      const broken = await outbox.record({ userId: 'u', kind: 'batch', request: Buffer.from('<DataRoot>not a batch</DataRoot>'), sourcePaths: [], contentSha256: 'e'.repeat(64), applicationCount: 0, folderNames: [], applicantNames: [] });
      assert.equal(await prefillFromSentRequest(outbox, gateway, { ...c, entryId: broken.id }), null);
    } finally {
      store.close();
    }
  });
});

// Unit: the 補正 use case (src/main/filing/amend.ts) on a real store with the bundled training
// certificate and a fake gateway that checks what it is given: what each failure leaves (not sent →
// ready, refused → failed, no answer → unknown), an HTTP 500 judged by 状況照会 (refused because the case
// is not open to a 補正, arrived after all, or unclear), never a second 補正 while one is open (and no
// PIN asked for one that is refused anyway: no change, another procedure, bad data), and the
// reconciliation by 状況照会 (pure decisions, then through the sender, the person settling the rest).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CaseEvent, CaseStatus } from '../../src/shared/case.js';
import type { AmendmentReceipt } from '../../src/shared/documents.js';
import { readApplicationZipBuffer } from '../../src/main/application/read-zip.js';
import { apiError, connectionFailed, connectionReset, serverError } from '../../src/main/egov/errors.js';
import { AmendmentSender, type AmendInput } from '../../src/main/filing/amend.js';
import type { AmendmentFolder } from '../../src/main/filing/amendment-package.js';
import type { AmendmentUpload } from '../../src/main/session/gateway.js';
import { openPkcs12 } from '../../src/main/signing/file-signer.js';
import type { Signer } from '../../src/main/signing/signer.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { openStore, type Store } from '../../src/main/store/db.js';
import { Outbox } from '../../src/main/store/outbox.js';
import { AMENDMENT_WAITING_STATUS, judgeAmendmentServerError, reconcileAmendment } from '../../src/main/sync/reconcile-amendment.js';
import { arrivedApplication } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';
import { recordedDir, repoRoot } from '../support/paths.js';

const SEND = '202601151000000001';
const A = '9002026000000001';
const NEW = '9002026000000010';
const FORM = '900A01020000100001_01.xml';
const p12 = readFileSync(join(repoRoot, 'assets', 'sandbox-pki', 'yamada-taro.p12'));
const filedDir = join(recordedDir, 'apply', 'request-filedata-1', '900A010200001000(1)');
const T0 = Date.UTC(2026, 0, 20, 1, 0, 0); // 2026-01-20 10:00:00 JST

const filed = (): AmendmentFolder => ({
  kousei: readFileSync(join(filedDir, 'kousei.xml')),
  files: [
    { name: FORM, bytes: readFileSync(join(filedDir, FORM)) },
    { name: 'tenpu.txt', bytes: readFileSync(join(filedDir, 'tenpu.txt')) },
  ],
});
const corrected = (): AmendmentFolder => {
  const f = filed();
  return { ...f, files: [{ name: FORM, bytes: Buffer.from(f.files[0]!.bytes.toString('utf8').replace('<年>59</年>', '<年>60</年>')) }, f.files[1]!] };
};

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
    status: AMENDMENT_WAITING_STATUS,
    arriveDate: '20260115100500',
    examStartDate: '20260116090000',
    examEndDate: '',
    procedureEndDate: '',
    withdrawFlag: '0',
    withdrawType: '0',
    reintroductionFlag: '0',
    history: [event(1, '20260115100500', '新規申請', '到達'), event(2, '20260116090000', '補正指示通知', AMENDMENT_WAITING_STATUS, '受信')],
    ...over,
  };
}

const receipt = (over: Partial<AmendmentReceipt> = {}): AmendmentReceipt => ({
  arriveId: A,
  newArriveId: NEW,
  procedureName: 'ＡＰＩテスト用手続',
  arriveDate: '20260120100001',
  arriveResult: '到達',
  applyType: '補正',
  ministryName: 'デグレ省',
  receptionDesk: '総務省,行政管理局,API',
  applicantName: 'ほげ　ほげ',
  formNames: ['様式', 'テスト添付書類１'],
  fileNames: [FORM, 'tenpu.txt'],
  orgDistFileSend: '',
  ...over,
});

interface World {
  store: Store;
  outbox: Outbox;
  cases: CaseStore;
  sender: AmendmentSender;
  next: Array<(body: Uint8Array) => Promise<AmendmentReceipt>>;
  prepared: AmendmentUpload[];
  bodies: Buffer[];
  signersOpened: number;
  status: CaseStatus;
  statusAsked: number;
  now: number;
}

function world(originalStatus = AMENDMENT_WAITING_STATUS): World {
  const store = openStore(scratchHome(), 'p');
  const w = { next: [], prepared: [], bodies: [], signersOpened: 0, status: caseStatus({ status: originalStatus }), statusAsked: 0, now: T0 } as unknown as World;
  w.store = store;
  w.outbox = new Outbox(store, { now: () => w.now });
  w.cases = new CaseStore(store, { now: () => w.now - 60_000 });
  w.cases.storeListed([{ sendNumber: SEND, application: arrivedApplication(A, { status: originalStatus }) }], new Set());
  w.sender = new AmendmentSender({
    outbox: w.outbox,
    cases: w.cases,
    session: { userId: 'user1', withAccessKey: (call) => call('KEY') },
    gateway: {
      // the fake checks what it is given and makes a body of its own: the sender must send exactly it
      prepareAmendment: (u) => {
        assert.ok(['amendapply', 'reamend', 'partamend'].includes(u.kind));
        assert.match(u.arriveId, /^\d{16,18}$/);
        assert.equal(Buffer.from(u.zip).subarray(0, 2).toString('latin1'), 'PK');
        w.prepared.push(u);
        const body = Buffer.concat([Buffer.from(`${u.kind}:${u.arriveId}:`), Buffer.from(u.zip)]);
        return { kind: u.kind, arriveId: u.arriveId, body, sha256: createHash('sha256').update(body).digest('hex') };
      },
      isCredentialRefusal: (e) => (e as { code?: string }).code === 'EGOV_AUTH_FAILED',
      sendAmendment: async (key, kind, body) => {
        assert.equal(key, 'KEY');
        assert.ok(Buffer.from(body).toString('latin1').startsWith(`${kind}:`), 'the recorded API goes with the recorded bytes');
        w.bodies.push(Buffer.from(body));
        const step = w.next.shift();
        if (!step) throw new Error('no scripted answer');
        return step(body);
      },
      caseStatus: async (key, arriveId) => {
        assert.equal(arriveId, A);
        w.statusAsked++;
        return w.status;
      },
    },
    now: () => new Date(w.now),
  });
  return w;
}

const input = (w: World, over: Partial<AmendInput> = {}): AmendInput => ({
  arriveId: A,
  kind: 'amendapply',
  folder: corrected(),
  filed: filed(),
  openSigner: () => {
    w.signersOpened++;
    return Promise.resolve(openPkcs12(p12, 'todoke') as Signer);
  },
  ...over,
});

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

describe('AmendmentSender.amend', () => {
  it('sends once exactly the recorded bytes, and stores the 補正 as a case linked to its original', async () => {
    const w = world();
    try {
      w.next.push(async () => receipt());
      const r = await w.sender.amend(input(w));
      assert.deepEqual([r.entry.state, r.entry.kind, r.entry.amendmentKind, r.entry.newArriveId, r.receipt?.newArriveId], ['done', 'amendment', 'amendapply', NEW, NEW]);
      assert.equal(w.bodies.length, 1);
      assert.deepEqual(w.bodies[0], await w.outbox.requestBytes(r.entry.id));
      assert.equal(w.signersOpened, 1);
      const zip = await readApplicationZipBuffer(Buffer.from(w.prepared[0]!.zip));
      assert.deepEqual(zip.applications.map((a) => a.folderName), ['900A010200001000(1)']);
      const kousei = zip.applications[0]!.kousei!.bytes!.toString('utf8');
      assert.match(kousei, new RegExp(`<初回受付番号>${A}</初回受付番号>`));
      assert.match(kousei, /<申請種別>再提出<\/申請種別>/);
      assert.deepEqual(
        r.changes.map((c) => [c.name, c.change]),
        [['kousei.xml', 'same'], [FORM, 'changed'], ['tenpu.txt', 'same']],
      );
      assert.deepEqual(r.changes[1]!.fields?.changes.map((c) => [c.before, c.after]), [['59', '60']]);
      assert.equal(w.cases.get(NEW)!.amendmentOf, A);
      assert.deepEqual(w.cases.amendmentCasesOf(A).map((c) => c.arriveId), [NEW]);
    } finally {
      w.store.close();
    }
  });

  it('refuses a 補正 that changes nothing, another procedure and bad data without asking the PIN', async () => {
    const w = world();
    try {
      await assert.rejects(w.sender.amend(input(w, { folder: filed() })), code('AMENDMENT_NO_CHANGE'));
      const other = corrected();
      other.kousei = Buffer.from(other.kousei.toString('utf8').replace('<手続ID>900A010200001000</手続ID>', '<手続ID>900A010000004000</手続ID>'));
      await assert.rejects(w.sender.amend(input(w, { folder: other })), code('AMENDMENT_DRAFT_INVALID'));
      const missing = corrected();
      await assert.rejects(w.sender.amend(input(w, { folder: { ...missing, files: missing.files.slice(0, 1) } })), code('FILING_CHECK_FAILED'));
      await assert.rejects(w.sender.amend(input(w, { arriveId: '9002026999999999' })), code('AMENDMENT_CASE_NOT_FOUND'));
      assert.deepEqual([w.signersOpened, w.bodies.length, w.outbox.amendmentsOf(A).length], [0, 0, 0]);
    } finally {
      w.store.close();
    }
  });

  it('not sent → ready, and the next 補正 replaces it; refused → failed; never two open', async () => {
    const w = world();
    try {
      w.next.push(() => Promise.reject(connectionFailed('127.0.0.1', new Error('ECONNREFUSED'))));
      await assert.rejects(w.sender.amend(input(w)), code('AMENDMENT_NOT_SENT'));
      const [first] = w.outbox.amendmentsOf(A);
      assert.equal(first!.state, 'ready');
      w.next.push(() => Promise.reject(apiError(400, '補正できません。')));
      await assert.rejects(w.sender.amend(input(w)), (e: unknown) => code('AMENDMENT_REFUSED')(e) && String((e as Error & { messageJa: string }).messageJa).includes('補正できません。'));
      assert.deepEqual(w.outbox.amendmentsOf(A).map((e) => [e.state, e.failure?.code]), [['failed', 'AMENDMENT_REPLACED'], ['failed', 'EGOV_API_ERROR']]);
      w.next.push(() => Promise.reject(connectionReset('127.0.0.1', new Error('reset'), true)));
      await assert.rejects(w.sender.amend(input(w)), code('AMENDMENT_DELIVERY_UNKNOWN'));
      const opened = w.signersOpened;
      await assert.rejects(w.sender.amend(input(w)), code('AMENDMENT_EXISTS'));
      assert.equal(w.signersOpened, opened, 'no PIN for a 補正 refused anyway');
      assert.equal(w.bodies.length, 3, 'each recorded 補正 was sent once');
    } finally {
      w.store.close();
    }
  });

  it('a 202 that does not fit (another 到達番号, no NewArriveID) leaves the 補正 unknown, never sending', async () => {
    const w = world();
    try {
      w.next.push(async () => receipt({ arriveId: '9002026000000002' }));
      await assert.rejects(w.sender.amend(input(w)), code('AMENDMENT_DELIVERY_UNKNOWN'));
      assert.deepEqual(w.outbox.amendmentsOf(A).map((e) => [e.state, e.failure?.code]), [['unknown', 'AMENDMENT_RECEIPT_INVALID']]);
      assert.equal(w.cases.get(NEW), null);
    } finally {
      w.store.close();
    }
  });

  it('HTTP 500 on a case not open to a 補正 and unchanged: refused, explained in Japanese', async () => {
    const w = world('手続終了');
    try {
      w.status = caseStatus({ status: '手続終了', history: [event(1, '20260115100500', '新規申請', '到達'), event(2, '20260118100000', '手続終了通知', '手続終了', '受信')] });
      w.next.push(() => Promise.reject(serverError(500)));
      await assert.rejects(w.sender.amend(input(w)), (e: unknown) => {
        assert.ok(code('AMENDMENT_INELIGIBLE')(e));
        const ja = (e as { messageJa: string }).messageJa;
        assert.ok(ja.includes('補正待ち') && ja.includes('再提出') && ja.includes('手続終了'), ja);
        return true;
      });
      const [entry] = w.outbox.amendmentsOf(A);
      assert.deepEqual([entry!.state, entry!.failure?.code, w.statusAsked, w.bodies.length], ['failed', 'AMENDMENT_INELIGIBLE', 1, 1]);
      // refused: a corrected 補正 may be made
      w.status = caseStatus({ status: '手続終了', reintroductionFlag: '1' });
      w.next.push(async () => receipt());
      assert.equal((await w.sender.amend(input(w))).entry.state, 'done');
    } finally {
      w.store.close();
    }
  });

  it('HTTP 500 on a case open to a 補正: unclear, unknown; with the 補正 in the history: arrived', async () => {
    const w = world();
    try {
      w.next.push(() => Promise.reject(serverError(500)));
      await assert.rejects(w.sender.amend(input(w)), code('AMENDMENT_DELIVERY_UNKNOWN'));
      assert.equal(w.outbox.amendmentsOf(A)[0]!.state, 'unknown');
    } finally {
      w.store.close();
    }
    const v = world();
    try {
      v.status = caseStatus({ status: '審査中', history: [...caseStatus().history, event(3, '20260120100001', '再提出', '審査中')] });
      v.next.push(() => Promise.reject(serverError(500)));
      const r = await v.sender.amend(input(v));
      assert.deepEqual([r.entry.state, r.receipt], ['done', null]);
    } finally {
      v.store.close();
    }
  });
});

describe('AmendmentSender.reconcile and settle', () => {
  async function unknownEntry(w: World): Promise<string> {
    w.next.push(() => Promise.reject(connectionReset('127.0.0.1', new Error('reset'), true)));
    await assert.rejects(w.sender.amend(input(w)), code('AMENDMENT_DELIVERY_UNKNOWN'));
    return w.outbox.amendmentsOf(A)[0]!.id;
  }

  it('arrived when the history shows the 補正; too early, then not found (ready for a resend) when it does not', async () => {
    const w = world();
    try {
      const id = await unknownEntry(w);
      w.status = caseStatus({ status: '審査中', history: [...caseStatus().history, event(3, '20260120100005', '補正申請', '審査中')] });
      const [found] = await w.sender.reconcile();
      assert.deepEqual([found!.entry.state, 'decision' in found! && found.decision.kind], ['done', 'arrived']);
      assert.equal(w.bodies.length, 1, 'nothing resent');
      assert.equal(id, found!.entryId);
    } finally {
      w.store.close();
    }
    const v = world();
    try {
      const id = await unknownEntry(v);
      const [early] = await v.sender.reconcile();
      assert.equal(early!.entry.state, 'unknown');
      v.now += 10 * 60 * 1000;
      const [late] = await v.sender.reconcile();
      assert.equal(late!.entry.state, 'ready-for-resend');
      v.next.push(async () => receipt());
      assert.equal((await v.sender.sendRecorded(id)).entry.state, 'done');
      assert.equal(v.bodies.length, 2);
      assert.deepEqual(v.bodies[0], v.bodies[1], 'the resend is the recorded bytes');
    } finally {
      v.store.close();
    }
  });

  it('a case that left 補正待ち without a 補正 in its history is ambiguous; the person settles it', async () => {
    const w = world();
    try {
      const id = await unknownEntry(w);
      w.status = caseStatus({ status: '審査中' });
      const [o] = await w.sender.reconcile();
      assert.equal(o!.entry.state, 'ambiguous');
      assert.throws(() => w.sender.settle('nope', 'arrived'), code('AMENDMENT_WRONG_STATE'));
      assert.equal(w.sender.settle(id, 'not-arrived').state, 'ready-for-resend');
      assert.throws(() => w.sender.settle(id, 'arrived'), code('AMENDMENT_WRONG_STATE'));
    } finally {
      w.store.close();
    }
  });

  it('a failed 状況照会 leaves the entry unknown', async () => {
    const w = world();
    try {
      await unknownEntry(w);
      w.status = undefined as unknown as CaseStatus;
      const failing = new AmendmentSender({
        outbox: w.outbox,
        cases: w.cases,
        session: { userId: 'user1', withAccessKey: () => Promise.reject(connectionFailed('127.0.0.1', new Error('down'))) },
        gateway: { prepareAmendment: () => assert.fail(), sendAmendment: () => assert.fail(), isCredentialRefusal: () => false, caseStatus: () => assert.fail() },
      });
      const [o] = await failing.reconcile();
      assert.ok('error' in o!);
      assert.equal(o!.entry.state, 'unknown');
    } finally {
      w.store.close();
    }
  });
});

describe('reconcileAmendment and judgeAmendmentServerError (pure)', () => {
  const subject = { arriveId: A, attemptStartedAt: T0, statusBefore: AMENDMENT_WAITING_STATUS };
  const options = { now: T0 + 60_000 };

  it('decides from the history and the status, leaning to ambiguous', () => {
    assert.equal(reconcileAmendment(subject, caseStatus({ arriveId: '9002026000000002' }), options).kind, 'ambiguous');
    assert.equal(reconcileAmendment(subject, caseStatus({ history: [event(9, '20260120100001', '再提出', '審査中')] }), options).kind, 'arrived');
    assert.equal(reconcileAmendment(subject, caseStatus({ history: [event(9, 'garbled', '部分補正', '審査中')] }), options).kind, 'arrived');
    // the ministry's 補正指示 is not the applicant's 補正
    assert.equal(reconcileAmendment(subject, caseStatus({ history: [event(9, '20260120100001', '補正指示通知', AMENDMENT_WAITING_STATUS, '受信')] }), options).kind, 'too-early');
    assert.equal(reconcileAmendment(subject, caseStatus({ history: [event(9, '20260101100000', '再提出', '審査中')] }), options).kind, 'ambiguous');
    assert.equal(reconcileAmendment(subject, caseStatus({ history: [event(9, '20260120100001', '謎の送信', '審査中')] }), options).kind, 'ambiguous');
    assert.equal(reconcileAmendment(subject, caseStatus({ status: '審査中' }), options).kind, 'ambiguous');
    assert.equal(reconcileAmendment(subject, caseStatus(), { now: T0 + 10 * 60_000 }).kind, 'not-found');
  });

  it('calls a 500 ineligible only for an unchanged case not open to a 補正', () => {
    const ended = { ...subject, statusBefore: '手続終了' };
    assert.equal(judgeAmendmentServerError(ended, caseStatus({ status: '手続終了' })).kind, 'ineligible');
    assert.equal(judgeAmendmentServerError(ended, caseStatus({ status: '手続終了', reintroductionFlag: '1' })).kind, 'unclear');
    assert.equal(judgeAmendmentServerError(ended, caseStatus({ status: '審査中' })).kind, 'unclear');
    assert.equal(judgeAmendmentServerError({ ...ended, statusBefore: null }, caseStatus({ status: '手続終了' })).kind, 'unclear');
    assert.equal(judgeAmendmentServerError(subject, caseStatus()).kind, 'unclear');
    assert.equal(judgeAmendmentServerError(ended, caseStatus({ status: '手続終了', history: [event(9, '20260120100001', '謎の送信', '手続終了')] })).kind, 'unclear');
    assert.equal(judgeAmendmentServerError(ended, caseStatus({ status: '手続終了', history: [event(9, '20260120100001', '再提出', '到達')] })).kind, 'arrived');
  });
});

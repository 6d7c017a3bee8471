// Unit: the case sync's step for 取下げ cases (src/main/sync/withdrawal-follow.ts, hooked into
// sync-cycle.ts). A 取下げ case has no 送信番号 and no list carries it: while open it gets a 状況照会
// in every cycle (counted with the others), once finished only when its original changed; a failed
// 状況照会 is that case's failure, not the cycle's; a quiet cycle without a key asks nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseStatus } from '../../src/shared/case.js';
import type { ArrivedApplication, SendSummary } from '../../src/shared/filing.js';
import { serverError } from '../../src/main/egov/errors.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { openStore } from '../../src/main/store/db.js';
import { Outbox } from '../../src/main/store/outbox.js';
import { CaseSync } from '../../src/main/sync/sync-cycle.js';
import { arrivedApplication } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';

const SEND = '202601151000000001';
const A = '9002026000000001';
const W = '9002026000000009';

const app = (arriveId: string, status = '到達'): ArrivedApplication => arrivedApplication(arriveId, { status });

function reference(arriveId: string, status: string, procedureEndDate = ''): CaseStatus {
  return {
    arriveId,
    procedureName: '手続',
    amendMessage: '',
    commentMessage: '',
    documentMessage: '',
    payMessage: '',
    status,
    arriveDate: '20260120100000',
    examStartDate: '',
    examEndDate: '',
    procedureEndDate,
    withdrawFlag: '0',
    withdrawType: '0',
    reintroductionFlag: '0',
    history: [{ subId: 1, date: '20260120100000', operatorType: '送信', processType: '取下げ申請', status: '到達', payNumber: '', payStatus: '', totalFee: '', payExpiredDate: '' }],
  };
}

async function world() {
  const store = openStore(scratchHome(), 'p');
  const cases = new CaseStore(store);
  const outbox = new Outbox(store);
  cases.storeListed([{ sendNumber: SEND, application: app(A) }], new Set());
  const e = await outbox.record({
    userId: 'u',
    kind: 'withdrawal',
    targetArriveId: A,
    request: Buffer.from('<DataRoot/>'),
    sourcePaths: [],
    contentSha256: 'c'.repeat(64),
    applicationCount: 1,
    folderNames: ['9990000000000008(1)'],
    applicantNames: ['山田 太郎'],
  });
  await outbox.beginAttempt(e.id);
  outbox.markWithdrawalArrived(
    e.id,
    {
      arriveId: A,
      newArriveId: W,
      procedureName: '取下げ申請書XML管理手続',
      arriveDate: '20260120100000',
      arriveResult: '到達',
      applyType: '取下げ',
      ministryName: '厚生労働省',
      receptionDesk: '',
      applicantName: '山田 太郎',
      formNames: [],
      fileNames: [],
      orgDistFileSend: '',
    },
    { folderName: '9990000000000008(1)', corporationName: '', departmentName: '' },
  );
  const listed = new Map<string, ArrivedApplication>([[A, app(A)]]);
  const answers = new Map<string, () => CaseStatus>([
    [A, () => reference(A, listed.get(A)!.status)],
    [W, () => reference(W, '到達')],
  ]);
  const calls: string[] = [];
  let hasKey = true;
  const sync = new CaseSync({
    cases,
    session: { withAccessKey: (fn) => fn('KEY'), snapshot: async () => ({ userId: 'u', hasKey, keyObtainedAt: null, lastAuthenticationDate: null, lastAuthenticatedAt: null }) },
    gateway: {
      listSends: async (_k, q) => {
        calls.push(`list ${'from' in q ? q.from : ''}`);
        const summary: SendSummary = { sendNumber: SEND, sendDate: '20260115100000', workStatus: '', normalCount: 1, allCount: 1, errorCount: 0, supplementaryMessage: '', errorFileBase64: null, applications: [...listed.values()] };
        return [summary];
      },
      caseStatus: async (_k, id) => {
        calls.push(`ref ${id}`);
        const answer = answers.get(id);
        if (!answer) throw new Error(`unexpected 状況照会 of ${id}`);
        return answer();
      },
    },
  });
  return { store, cases, listed, answers, calls, sync, dropKey: () => (hasKey = false) };
}

void describe('the sync and 取下げ cases', () => {
  it('an open 取下げ case gets its 状況照会 each cycle, counted; the list is planned from batch cases only', async () => {
    const w = await world();
    try {
      const r = await w.sync.run();
      assert.deepEqual(w.calls, ['list 20260115', `ref ${W}`]);
      assert.deepEqual(r.requests, { list: 1, reference: 1 });
      assert.equal(r.trackedCases, 1);
      assert.deepEqual(r.referenced, [W]);
      assert.notEqual(w.cases.get(W)!.reference, null);
      assert.deepEqual(r.failures, []);
    } finally {
      w.store.close();
    }
  });

  it('its status change is told as case.changed; once finished it is asked only when its original changes', async () => {
    const w = await world();
    try {
      await w.sync.run();
      w.answers.set(W, () => reference(W, '手続終了', '20260125100000'));
      w.calls.length = 0;
      let r = await w.sync.run();
      assert.deepEqual(r.events.map((e) => [e.type, e.arriveId, e.type === 'case.changed' ? e.status : '']), [['case.changed', W, '手続終了']]);
      w.calls.length = 0;
      r = await w.sync.run();
      assert.deepEqual(w.calls, ['list 20260115']);
      assert.equal(r.requests.reference, 0);
      // the ministry acts on the original: both are asked
      w.listed.set(A, app(A, '取下げ済'));
      w.calls.length = 0;
      r = await w.sync.run();
      assert.deepEqual(w.calls, ['list 20260115', `ref ${A}`, `ref ${W}`]);
      assert.deepEqual(r.requests, { list: 1, reference: 2 });
      assert.equal(w.cases.get(A)!.status, '取下げ済');
    } finally {
      w.store.close();
    }
  });

  it('a failed 状況照会 of a 取下げ case is its own failure: recorded, asked again next cycle', async () => {
    const w = await world();
    try {
      w.answers.set(W, () => {
        throw serverError(503);
      });
      const r = await w.sync.run();
      assert.deepEqual(r.failures.map((f) => [f.kind, f.kind === 'list' ? '' : f.arriveId, f.error.code]), [['reference', W, 'EGOV_SERVER_ERROR']]);
      assert.equal(r.failed, false);
      w.answers.set(W, () => reference(W, '到達'));
      assert.deepEqual((await w.sync.run()).referenced, [W]);
    } finally {
      w.store.close();
    }
  });

  it('a quiet cycle without a key asks nothing', async () => {
    const w = await world();
    try {
      w.dropKey();
      const r = await w.sync.run({ quiet: true });
      assert.equal(r.needsLogin, true);
      assert.deepEqual(w.calls, []);
    } finally {
      w.store.close();
    }
  });
});

// Unit: the background's round of 電子納付情報一覧 reads (src/main/payments/catch-up.ts) on a real
// PaymentStore and CaseStore, with the e-Gov port answering per case from fixed values. Only the
// cases whose pay counters moved are read, one at a time, oldest first; e-Gov refusing one case skips
// it (and the next round tries it again) while a failure to reach e-Gov ends the round; a closing app
// stops between cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Payment, PaymentList } from '../../src/shared/payment.js';
import { EgovError } from '../../src/main/egov/errors.js';
import { isAboutTheCase, readMovedCases, type CatchUpDeps } from '../../src/main/payments/catch-up.js';
import { PaymentError } from '../../src/main/payments/errors.js';
import type { PaymentsRead } from '../../src/main/payments/read-payments.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { openStore } from '../../src/main/store/db.js';
import { PaymentStore } from '../../src/main/store/payments.js';
import { arrivedApplication } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';

const [A, B, C, D] = ['9002026000000001', '9002026000000002', '9002026000000003', '9002026000000004'];
const SEND = '202601151000000001';

const pay = (n: number, status = '未納'): Payment => ({
  payNumber: String(1000_0000_0000_0000 + n),
  confirmNumber: '123456',
  facilityNumber: '00100',
  payNameKana: 'テツヅキメイ',
  deadline: '20991231',
  totalFee: '100',
  status,
  payDate: '',
  memo: '',
  payFlag: '0',
  problems: [],
});

const answered = (code: 'EGOV_API_ERROR' | 'EGOV_MALFORMED_RESPONSE' | 'EGOV_AUTH_FAILED') => new EgovError(code, { ja: 'e-Gov が拒否しました。', en: code }, { delivery: 'answered', status: 400 });
const unreachable = () => new EgovError('EGOV_CONNECTION_FAILED', { ja: '接続できません。', en: 'down' }, { delivery: 'not-sent' });

function setup(answers: Record<string, () => Payment[]>) {
  const db = openStore(scratchHome('todoke-catchup-'), 'p');
  const cases = new CaseStore(db);
  const store = new PaymentStore(db);
  for (const id of [A, B, C, D]) cases.storeListed([{ sendNumber: SEND, application: arrivedApplication(id, id === D ? {} : { payStatus: '未納', payWaitCount: 1 }) }], new Set());
  const asked: string[] = [];
  const reads: PaymentsRead[] = [];
  let stop = false;
  const deps: CatchUpDeps = {
    store,
    session: { withAccessKey: (call) => call('key') },
    gateway: {
      payments: async (_key, arriveId): Promise<PaymentList> => {
        asked.push(arriveId);
        return { arriveId, procedureName: '手続', payments: (answers[arriveId] ?? (() => []))() };
      },
    },
    onRead: (r) => reads.push(r),
    stopped: () => stop,
  };
  return { deps, cases, store, asked, reads, stopAfter: () => (stop = true) };
}

void describe('readMovedCases', () => {
  it('reads the cases whose counters moved, oldest first, never a case without a fee; a second round reads nothing', async () => {
    const s = setup({ [A]: () => [pay(1)], [B]: () => [pay(2)], [C]: () => [] });
    assert.deepEqual(await readMovedCases(s.deps), { read: [A, B, C], skipped: [] });
    assert.deepEqual(s.asked, [A, B, C]);
    assert.deepEqual(
      s.reads.map((r) => r.changes.length),
      [1, 1, 0],
    );
    assert.deepEqual(await readMovedCases(s.deps), { read: [], skipped: [] });
    assert.deepEqual(s.asked, [A, B, C]);
  });

  it('e-Gov refusing one case skips it and goes on; the next round tries that case again', async () => {
    let refuse = true;
    const s = setup({
      [A]: () => [pay(1)],
      [B]: () => {
        if (refuse) throw answered('EGOV_API_ERROR');
        return [pay(2)];
      },
      [C]: () => {
        if (refuse) throw answered('EGOV_MALFORMED_RESPONSE');
        return [];
      },
    });
    assert.deepEqual(await readMovedCases(s.deps), {
      read: [A],
      skipped: [
        { arriveId: B, code: 'EGOV_API_ERROR' },
        { arriveId: C, code: 'EGOV_MALFORMED_RESPONSE' },
      ],
    });
    refuse = false;
    assert.deepEqual(await readMovedCases(s.deps), { read: [B, C], skipped: [] });
  });

  it('a failure to reach e-Gov, a refused key or no login ends the round at that case', async () => {
    for (const failure of [unreachable, () => answered('EGOV_AUTH_FAILED'), () => new PaymentError('PAYMENT_NEEDS_LOGIN', { ja: 'ログインしていません。', en: 'no key' })]) {
      const s = setup({
        [A]: () => {
          throw failure();
        },
      });
      await assert.rejects(readMovedCases(s.deps), (e: unknown) => (e as { code?: string }).code === failure().code);
      assert.deepEqual(s.asked, [A]);
      assert.equal(s.reads.length, 0);
      // nothing recorded: the next round reads it again
      assert.equal(s.store.casesToRead()[0]!.arriveId, A);
    }
  });

  it('stops between cases once the app is closing', async () => {
    const s = setup({});
    s.deps.onRead = () => s.stopAfter();
    assert.deepEqual(await readMovedCases(s.deps), { read: [A], skipped: [] });
    assert.deepEqual(s.asked, [A]);
  });

  it('isAboutTheCase: only an answer about the case itself', () => {
    assert.equal(isAboutTheCase(answered('EGOV_API_ERROR')), true);
    assert.equal(isAboutTheCase(answered('EGOV_AUTH_FAILED')), false);
    assert.equal(isAboutTheCase(new EgovError('EGOV_SERVER_ERROR', { ja: 'x', en: 'x' }, { delivery: 'answered', status: 503 })), false);
    assert.equal(isAboutTheCase(unreachable()), false);
    assert.equal(isAboutTheCase(new Error('bug')), false);
    assert.equal(isAboutTheCase(null), false);
  });
});

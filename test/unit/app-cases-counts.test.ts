// The dashboard's numbers (case.counts) from every case's counters: which cases ask for action and
// the newest StatusDate of each group. The sandbox never sends 補正, コメント, 公文書 or fees, so the
// integration test sees only zeros; these counters are made up here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseCounters } from '../../src/shared/case.js';
import { countsView } from '../../src/main/app/cases.js';

const base: CaseCounters = {
  status: '到達',
  statusDate: '20260101090000',
  payStatus: '-',
  payWaitCount: 0,
  correctStatus: 'なし',
  commentCountNotRead: 0,
  commentCount: 0,
  docCountNotDownload: 0,
  docCount: 0,
};

const tracked = (counters: Partial<CaseCounters>[]) =>
  counters.map((c, i) => ({ arriveId: String(2026010100000001 + i), sendNumber: '202601010900000001', counters: { ...base, ...c }, needsReference: false }));

void describe('case.counts', () => {
  void it('counts the cases that ask for action, each with its newest StatusDate; statuses as the store groups them', () => {
    const cases = tracked([
      {},
      { correctStatus: 'あり', statusDate: '20260105100000' },
      { correctStatus: '補正待ち（新）', statusDate: '20260103100000', commentCountNotRead: 2 },
      { commentCountNotRead: 1, statusDate: '20260210080000', docCountNotDownload: 1 },
      { payWaitCount: 1, statusDate: '20260301000000', commentCount: 4 },
      { correctStatus: '' },
    ]);
    const byStatus = [{ status: '到達', count: 6 }];
    const view = countsView({ countsByStatus: () => byStatus, tracked: () => cases });
    assert.equal(view.total, 6);
    assert.equal(view.byStatus, byStatus);
    assert.deepEqual(view.correction, { cases: 2, newestStatusDate: '20260105100000' }, 'an unknown CorrectStatus counts; なし and empty do not');
    assert.deepEqual(view.unreadComments, { cases: 2, newestStatusDate: '20260210080000' });
    assert.deepEqual(view.undownloadedDocuments, { cases: 1, newestStatusDate: '20260210080000' });
    assert.deepEqual(view.paymentsWaiting, { cases: 1, newestStatusDate: '20260301000000' });
  });

  void it('no store yet: zeros', () => {
    const none = { cases: 0, newestStatusDate: null };
    assert.deepEqual(countsView(null), { total: 0, byStatus: [], correction: none, unreadComments: none, undownloadedDocuments: none, paymentsWaiting: none });
  });
});

// The dashboard's numbers (case.counts) from the store: which cases ask for action and the newest
// StatusDate of each group, counted in SQL under the same conditions as the list's attention
// filter. The sandbox never sends 補正, コメント, 公文書 or fees, so the integration test sees only
// zeros; these counters are made up here and stored in a real case store.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseCounters } from '../../src/shared/case.js';
import type { ArrivedApplication } from '../../src/shared/filing.js';
import { countsView } from '../../src/main/app/cases.js';
import { openStore } from '../../src/main/store/db.js';
import { CaseStore } from '../../src/main/store/cases.js';
import { arrivedApplication } from '../support/arrived.js';
import { scratchHome } from '../support/home.js';

/** every case from a date before any the test names, so that each newest StatusDate is one of those */
const application = (i: number, counters: Partial<CaseCounters>): ArrivedApplication =>
  arrivedApplication(String(2026010100000001 + i), { statusDate: '20260101090000', ...counters });

void describe('case.counts', () => {
  void it('counts the cases that ask for action, each with its newest StatusDate, as the list filters them', () => {
    const store = openStore(scratchHome('todoke-counts-'), 'default');
    try {
      const cases = new CaseStore(store);
      const counters: Partial<CaseCounters>[] = [
        {},
        { correctStatus: 'あり', statusDate: '20260105100000' },
        { correctStatus: '補正待ち（新）', statusDate: '20260103100000', commentCountNotRead: 2, status: '審査中' },
        { commentCountNotRead: 1, statusDate: '20260210080000', docCountNotDownload: 1 },
        { payWaitCount: 1, statusDate: '20260301000000', commentCount: 4 },
        { correctStatus: '' },
      ];
      cases.storeListed(
        counters.map((c, i) => ({ sendNumber: '202601010900000001', application: application(i, c) })),
        new Set(),
      );
      const view = countsView(cases);
      assert.equal(view.total, 6);
      assert.deepEqual(view.byStatus, [
        { status: '到達', count: 5 },
        { status: '審査中', count: 1 },
      ]);
      assert.deepEqual(view.correction, { cases: 2, newestStatusDate: '20260105100000' }, 'an unknown CorrectStatus counts; なし and empty do not');
      assert.deepEqual(view.unreadComments, { cases: 2, newestStatusDate: '20260210080000' });
      assert.deepEqual(view.undownloadedDocuments, { cases: 1, newestStatusDate: '20260210080000' });
      assert.deepEqual(view.paymentsWaiting, { cases: 1, newestStatusDate: '20260301000000' });
      // each count is what the list's filter lists
      assert.equal(cases.count({ attention: 'correction' }), view.correction.cases);
      assert.equal(cases.count({ attention: 'unread-comments' }), view.unreadComments.cases);
      assert.equal(cases.count({ attention: 'undownloaded-documents' }), view.undownloadedDocuments.cases);
      assert.equal(cases.count({ attention: 'payments-waiting' }), view.paymentsWaiting.cases);
    } finally {
      store.close();
    }
  });

  void it('no store yet, or no case: zeros', () => {
    const none = { cases: 0, newestStatusDate: null };
    const zeros = { total: 0, byStatus: [], correction: none, unreadComments: none, undownloadedDocuments: none, paymentsWaiting: none };
    assert.deepEqual(countsView(null), zeros);
    const store = openStore(scratchHome('todoke-counts-'), 'default');
    try {
      assert.deepEqual(countsView(new CaseStore(store)), zeros);
    } finally {
      store.close();
    }
  });
});

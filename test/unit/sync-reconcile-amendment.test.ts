import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseEvent, CaseStatus } from '../../src/shared/case.js';
import { judgeAmendmentServerError, reconcileAmendment } from '../../src/main/sync/reconcile-amendment.js';

const A = '9002026000000001';
// 2026-11-30 10:00:00 JST
const ATTEMPT = Date.UTC(2026, 10, 30, 1, 0, 0);

function event(subId: number, date: string, operatorType: string, processType: string, status: string): CaseEvent {
  return { subId, date, operatorType, processType, status, payNumber: '', payStatus: '', totalFee: '', payExpiredDate: '' };
}

function statusOf(history: CaseEvent[], status: string, reintroductionFlag = '0'): CaseStatus {
  return {
    arriveId: A, procedureName: '手続', amendMessage: '', commentMessage: '', documentMessage: '', payMessage: '', status,
    arriveDate: '20261130094000', examStartDate: '', examEndDate: '', procedureEndDate: '', withdrawFlag: '0', withdrawType: '0', reintroductionFlag, history,
  };
}

const filed = event(1, '20261130095900', '送信', '新規申請', '到達');
const asked = event(2, '20261130095930', '受信', '補正指示通知', '審査中（補正待ち）');
const firstAmendment = event(3, '20261130095950', '送信', '補正', '審査中');

void describe('a 補正 answered with HTTP 500, judged by 状況照会', () => {
  void it('the case filed minutes ago (新規申請) is not another send: a case not open to a 補正 refused it', () => {
    const v = judgeAmendmentServerError({ arriveId: A, attemptStartedAt: ATTEMPT, statusBefore: '到達' }, statusOf([filed], '到達'));
    assert.equal(v.kind, 'ineligible');
  });

  void it('a 補正 event after the attempt is this 補正: it arrived despite the 500', () => {
    const ours = event(3, '20261130100005', '送信', '補正', '審査中');
    const v = judgeAmendmentServerError({ arriveId: A, attemptStartedAt: ATTEMPT, statusBefore: '審査中（補正待ち）' }, statusOf([filed, asked, ours], '審査中'));
    assert.equal(v.kind, 'arrived');
  });

  void it('the event of an earlier 補正 that arrived is accounted for, never taken for this one', () => {
    const subject = { arriveId: A, attemptStartedAt: ATTEMPT, statusBefore: '審査中', accountedFor: 1 };
    const v = judgeAmendmentServerError(subject, statusOf([filed, asked, firstAmendment], '審査中'));
    assert.equal(v.kind, 'ineligible');
    // without knowing of the first, its event would have looked like this 補正's
    assert.equal(judgeAmendmentServerError({ ...subject, accountedFor: 0 }, statusOf([filed, asked, firstAmendment], '審査中')).kind, 'arrived');
    // and a second event beyond the ones accounted for is this one's
    const second = event(4, '20261130100010', '送信', '補正', '審査中');
    assert.equal(judgeAmendmentServerError(subject, statusOf([filed, asked, firstAmendment, second], '審査中')).kind, 'arrived');
  });

  void it('reconciling an unknown 補正 counts the same way', () => {
    const subject = { arriveId: A, attemptStartedAt: ATTEMPT, statusBefore: '審査中', accountedFor: 1 };
    const d = reconcileAmendment(subject, statusOf([filed, asked, firstAmendment], '審査中'), { now: ATTEMPT + 10 * 60_000 });
    assert.equal(d.kind, 'not-found');
    assert.equal(reconcileAmendment({ ...subject, accountedFor: 0 }, statusOf([filed, asked, firstAmendment], '審査中'), { now: ATTEMPT + 10 * 60_000 }).kind, 'arrived');
  });

  void it('an event whose date cannot be read cannot be ruled out by time', () => {
    const odd = event(3, 'not-a-date', '送信', '補正', '審査中');
    assert.equal(judgeAmendmentServerError({ arriveId: A, attemptStartedAt: ATTEMPT, statusBefore: '審査中（補正待ち）' }, statusOf([filed, asked, odd], '審査中')).kind, 'arrived');
  });
});

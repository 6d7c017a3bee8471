// Unit (pure): the decisions of a case sync (src/main/sync/case-sync.ts) — which `;date=` calls cover
// the tracked batches (chunked by span, kept under a noticed cap), when an answer looks capped,
// which cases changed, and the events each change makes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseCounters, CaseEvent } from '../../src/shared/case.js';
import type { ArrivedApplication, SendSummary } from '../../src/shared/filing.js';
import {
  addDays,
  caseEvents,
  counterChanges,
  decideChanges,
  looksCapped,
  newHistoryEvents,
  planListCalls,
  sendDayOf,
  splitRange,
  type StoredCase,
} from '../../src/main/sync/case-sync.js';
import { arrivedApplication, caseCounters } from '../support/arrived.js';

const counters = (over: Partial<CaseCounters> = {}): CaseCounters => caseCounters({ statusDate: '20260115100000', ...over });

const app = (arriveId: string, over: Partial<CaseCounters> = {}): ArrivedApplication => arrivedApplication(arriveId, counters(over));

const send = (sendNumber: string, applications: ArrivedApplication[] = []): SendSummary => ({
  sendNumber,
  sendDate: sendNumber.slice(0, 14),
  workStatus: '',
  normalCount: applications.length,
  allCount: applications.length,
  errorCount: 0,
  supplementaryMessage: '',
  errorFileBase64: null,
  applications,
});

void describe('planListCalls: the fewest ;date= ranges', () => {
  void it('one range for every send within the span, whatever the number of batches', () => {
    assert.deepEqual(planListCalls([{ day: '20260110', sends: 500 }, { day: '20260101', sends: 3 }, { day: '20260105', sends: 1 }]), [{ from: '20260101', to: '20260110' }]);
  });

  void it('splits long ranges into pieces of at most maxSpanDays (default 10), greedy from the oldest', () => {
    assert.deepEqual(planListCalls([{ day: '20260101', sends: 1 }, { day: '20260111', sends: 1 }]), [
      { from: '20260101', to: '20260101' },
      { from: '20260111', to: '20260111' },
    ]);
    const days = ['20251225', '20251231', '20260102', '20260120', '20260121'].map((day) => ({ day, sends: 1 }));
    assert.deepEqual(planListCalls(days, { maxSpanDays: 10 }), [
      { from: '20251225', to: '20260102' },
      { from: '20260120', to: '20260121' },
    ]);
    assert.equal(planListCalls(days, { maxSpanDays: 1 }).length, 5);
    assert.equal(planListCalls(days, { maxSpanDays: 365 }).length, 1);
  });

  void it('keeps a range under a noticed cap by the batches it holds; a day over the cap is a range of its own', () => {
    const days = [
      { day: '20260101', sends: 4 },
      { day: '20260102', sends: 4 },
      { day: '20260103', sends: 20 },
      { day: '20260104', sends: 1 },
    ];
    assert.deepEqual(planListCalls(days, { maxSendsPerCall: 10 }), [
      { from: '20260101', to: '20260102' },
      { from: '20260103', to: '20260103' },
      { from: '20260104', to: '20260104' },
    ]);
  });

  void it('nothing tracked: no call; a malformed day is ignored', () => {
    assert.deepEqual(planListCalls([]), []);
    assert.deepEqual(planListCalls([{ day: 'x', sends: 1 }]), []);
  });

  void it('splitRange halves a range across a month end; a single day cannot be split', () => {
    assert.deepEqual(splitRange({ from: '20260129', to: '20260203' }), [
      { from: '20260129', to: '20260131' },
      { from: '20260201', to: '20260203' },
    ]);
    assert.equal(splitRange({ from: '20260101', to: '20260101' }), null);
    assert.equal(addDays('20241228', 3), '20241231');
    assert.equal(addDays('20240228', 1), '20240229');
    assert.equal(sendDayOf('202601151000000001'), '20260115');
  });
});

void describe('looksCapped', () => {
  const range = { from: '20260101', to: '20260110' };
  void it('a tracked batch of the range missing from a non-empty answer is a sign of a cap', () => {
    const v = looksCapped(range, [send('202601051000000002')], ['202601011000000001', '202601051000000002', '202601201000000003']);
    assert.deepEqual(v, { capped: true, cap: 1, missing: ['202601011000000001'] });
  });
  void it('an empty answer is not capped; a complete one is not', () => {
    assert.deepEqual(looksCapped(range, [], ['202601011000000001']), { capped: false });
    assert.deepEqual(looksCapped(range, [send('202601011000000001')], ['202601011000000001']), { capped: false });
  });
  void it('a tracked batch outside the range is not missing from it', () => {
    assert.equal(looksCapped(range, [send('202601011000000001')], ['202601011000000001', '202601111000000002']).capped, false);
  });
});

void describe('decideChanges: which cases changed', () => {
  const stored = new Map<string, StoredCase>([
    ['9002026000000001', { sendNumber: 'S1', counters: counters(), needsReference: false }],
    ['9002026000000002', { sendNumber: 'S1', counters: counters(), needsReference: false }],
    ['9002026000000003', { sendNumber: 'S1', counters: counters(), needsReference: true }],
  ]);

  void it('unchanged cases cost nothing; a changed counter, a new case and an owed 状況照会 are asked', () => {
    const d = decideChanges(stored, [
      { sendNumber: 'S1', application: app('9002026000000001') },
      { sendNumber: 'S1', application: app('9002026000000002', { status: '審査中', statusDate: '20260116090000' }) },
      { sendNumber: 'S2', application: app('9002026000000009') },
    ]);
    assert.equal(d.unchanged, 1);
    assert.deepEqual(d.changed.map((c) => c.arriveId), ['9002026000000002', '9002026000000009']);
    assert.deepEqual(d.changed[0]!.changes, [
      { field: 'status', before: '到達', after: '審査中' },
      { field: 'statusDate', before: '20260115100000', after: '20260116090000' },
    ]);
    assert.equal(d.changed[1]!.before, null);
    assert.deepEqual(d.toReference, ['9002026000000002', '9002026000000009', '9002026000000003']);
  });

  void it('a case listed twice (overlapping answers) counts once; one listed under another 送信番号 is a conflict, not a change', () => {
    const d = decideChanges(stored, [
      { sendNumber: 'S1', application: app('9002026000000001', { docCount: 1 }) },
      { sendNumber: 'S1', application: app('9002026000000001', { docCount: 1 }) },
      { sendNumber: 'S9', application: app('9002026000000002', { status: 'x' }) },
    ]);
    assert.deepEqual(d.changed.map((c) => c.arriveId), ['9002026000000001']);
    assert.deepEqual(d.conflicts, [{ arriveId: '9002026000000002', listedSendNumber: 'S9', storedSendNumber: 'S1' }]);
    assert.ok(!d.toReference.includes('9002026000000002'));
  });

  void it('an unknown status string is a change like any other, kept as it came', () => {
    const strange = '審査保留（担当者確認中）★';
    const changes = counterChanges(counters(), counters({ status: strange }));
    assert.deepEqual(changes, [{ field: 'status', before: '到達', after: strange }]);
  });
});

void describe('caseEvents: what a change means', () => {
  const history: CaseEvent[] = [
    { subId: 2, date: '20260116090000', operatorType: '受信', processType: '審査開始通知', status: '審査中', payNumber: '', payStatus: '', totalFee: '', payExpiredDate: '' },
  ];

  void it('a status change: case.changed only, with the new history', () => {
    const events = caseEvents({ arriveId: 'A', before: counters(), after: counters({ status: '審査中' }), newHistory: history, referenced: true });
    assert.equal(events.length, 1);
    assert.deepEqual(events[0], {
      type: 'case.changed',
      arriveId: 'A',
      isNew: false,
      changes: [{ field: 'status', before: '到達', after: '審査中' }],
      status: '審査中',
      newHistory: history,
      referenced: true,
    });
  });

  void it('補正, 公文書, コメント and 納付 each have their event, carrying the 到達番号 and the numbers', () => {
    const events = caseEvents({
      arriveId: 'A',
      before: counters({ docCount: 1, commentCount: 2 }),
      after: counters({ correctStatus: 'あり', docCount: 3, docCountNotDownload: 2, commentCount: 3, commentCountNotRead: 1, payWaitCount: 1, payStatus: '未納付' }),
      newHistory: [],
      referenced: false,
    });
    assert.deepEqual(
      events.slice(1),
      [
        { type: 'case.correction', arriveId: 'A', correctStatus: 'あり', before: 'なし' },
        { type: 'case.document', arriveId: 'A', docCount: 3, docCountNotDownload: 2, added: 2 },
        { type: 'case.comment', arriveId: 'A', commentCount: 3, commentCountNotRead: 1, added: 1 },
        { type: 'case.payment-due', arriveId: 'A', payWaitCount: 1, payStatus: '未納付', before: 0 },
      ],
    );
    assert.equal(events[0]!.type === 'case.changed' && events[0]!.referenced, false);
  });

  void it('counters going down (a document downloaded, a comment read, a 補正 answered) is a change, not a notice', () => {
    const events = caseEvents({ arriveId: 'A', before: counters({ docCountNotDownload: 2, docCount: 2, correctStatus: 'あり' }), after: counters({ docCount: 2 }), newHistory: [], referenced: true });
    assert.deepEqual(events.map((e) => e.type), ['case.changed']);
  });

  void it('a case new to Todoke is compared with an empty one; nothing changed and no new history: no event', () => {
    const events = caseEvents({ arriveId: 'N', before: null, after: counters({ docCount: 1, docCountNotDownload: 1 }), newHistory: [], referenced: true });
    assert.deepEqual(events.map((e) => e.type), ['case.changed', 'case.document']);
    assert.equal(events[0]!.type === 'case.changed' && events[0]!.isNew, true);
    assert.deepEqual(caseEvents({ arriveId: 'A', before: counters(), after: counters(), newHistory: [], referenced: true }), []);
    assert.equal(caseEvents({ arriveId: 'A', before: counters(), after: counters(), newHistory: history, referenced: true }).length, 1);
  });

  void it('newHistoryEvents: only the SubIDs not stored', () => {
    assert.deepEqual(newHistoryEvents(new Set([1]), [{ ...history[0]!, subId: 1 }, history[0]!]), history);
  });
});

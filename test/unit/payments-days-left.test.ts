// Unit: how far a 納付期限 is (src/main/payments/days-left.ts), counted in JST calendar days whatever
// the machine's zone: the day turns at 15:00 UTC; a date that does not exist, or is not YYYYMMDD, is
// unreadable (null), never rolled over; leap days count; 3 days or fewer (past included) stand out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daysLeft, dueView, isUrgent, jstDate, URGENT_DAYS } from '../../src/main/payments/days-left.js';

const at = (iso: string) => new Date(iso);

void describe('daysLeft', () => {
  it('turns at JST midnight (15:00 UTC), not at UTC midnight', () => {
    assert.equal(daysLeft('20260331', at('2026-03-31T14:59:59.999Z')), 0);
    assert.equal(daysLeft('20260331', at('2026-03-31T15:00:00.000Z')), -1);
    assert.equal(daysLeft('20260401', at('2026-03-31T15:00:00.000Z')), 0);
    // 08:59 JST on the 31st is still the 30th in UTC: JST says the deadline is today
    assert.equal(daysLeft('20260331', at('2026-03-30T23:59:00.000Z')), 0);
    assert.equal(daysLeft('20260331', at('2026-03-30T14:59:59.999Z')), 1);
  });

  it('counts whole days forward and back, across months and years', () => {
    const now = at('2026-12-30T03:00:00Z');
    assert.equal(daysLeft('20270102', now), 3);
    assert.equal(daysLeft('20261130', now), -30);
    assert.equal(daysLeft('20991231', now), 26664);
  });

  it('counts the leap day, and refuses one in a year that has none', () => {
    assert.equal(daysLeft('20240229', at('2024-02-28T15:00:00Z')), 0);
    assert.equal(daysLeft('20240301', at('2024-02-28T03:00:00Z')), 2);
    assert.equal(daysLeft('20250229', at('2025-02-27T03:00:00Z')), null);
    assert.equal(daysLeft('21000229', at('2025-02-27T03:00:00Z')), null);
  });

  it('is null for what is not a real YYYYMMDD day, whatever it looks like', () => {
    const now = at('2026-03-01T03:00:00Z');
    for (const bad of ['', '2026033', '202603311', '2026-03-31', '20260230', '20261301', '20260001', '20260100', ' 20260331', '20260331\n', '２０２６０３３１', '00000101', '0099l231', 'x'.repeat(100_000), '2026033１']) {
      assert.equal(daysLeft(bad, now), null, JSON.stringify(bad.slice(0, 20)));
    }
    assert.equal(daysLeft('20260331', new Date(Number.NaN)), null);
  });
});

void describe('isUrgent, dueView, jstDate', () => {
  it('3 days or fewer stand out, past included; an unreadable deadline does not', () => {
    assert.equal(URGENT_DAYS, 3);
    assert.deepEqual([3, 4, 0, -1, -400, null].map(isUrgent), [true, false, true, true, true, false]);
  });

  it('dueView adds the days left to each and counts those that stand out', () => {
    const now = at('2026-03-01T03:00:00Z');
    const base = { arriveId: 'a', procedureName: '', applicantName: '', payNumber: '1', totalFee: '1', status: '未納' };
    const v = dueView([{ ...base, deadline: '20260301' }, { ...base, deadline: '20260310' }, { ...base, deadline: 'ほげ' }, { ...base, deadline: '20260204' }], now);
    assert.deepEqual(
      v.payments.map((p) => p.daysLeft),
      [0, 9, null, -25],
    );
    assert.equal(v.urgent, 2);
    assert.deepEqual(dueView([], now), { payments: [], urgent: 0 });
  });

  it('jstDate is the JST calendar day of an instant', () => {
    assert.equal(jstDate(at('2026-03-31T14:59:59.999Z')), '20260331');
    assert.equal(jstDate(at('2026-03-31T15:00:00.000Z')), '20260401');
    assert.equal(jstDate(at('2024-12-31T15:00:00.000Z')), '20250101');
  });
});

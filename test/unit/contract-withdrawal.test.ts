// Unit: the 取下げ operations' argument schemas (src/shared/contract.ts) — what a renderer we do not
// trust may send to case.withdraw and its neighbours: well-formed input passes as a fresh copy;
// malformed, huge, hostile and truncated input is refused with the path of the field, never echoed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operations, WITHDRAWAL_LIMITS } from '../../src/shared/contract.js';
import { SchemaViolation } from '../../src/shared/schema.js';

const withdraw = operations['case.withdraw'].args;
const ARRIVE = '9002026000000001';
const applicant = { name: '取下\u3000太郎', address: '東京都千代田区霞が関', phone: '03-1234-5678' };
const good = { arriveId: ARRIVE, kind: 'application', reason: '誤って申請したため\r\n取り下げます', applicant };

function refused(value: unknown): { path: string; reason: string; message: string } {
  try {
    withdraw.check(value, 'args');
  } catch (e) {
    assert.ok(e instanceof SchemaViolation, String(e));
    return e.issue;
  }
  assert.fail(`accepted ${JSON.stringify(value).slice(0, 120)}`);
}

void describe('case.withdraw arguments', () => {
  it('accepts the form as the renderer sends it, and returns a copy', () => {
    const full = {
      ...good,
      jobId: 'job-12345678',
      remarks: '',
      applicant: { ...applicant, nameKana: 'トリサゲ タロウ', postalCode: '1000013', fax: '', email: 'taro@example.jp', corporationName: '株式会社届け' },
      contact: { ...applicant },
    };
    const checked = withdraw.check(full, 'args');
    assert.deepEqual(checked, full);
    assert.notEqual(checked.applicant, full.applicant);
    assert.equal(withdraw.check({ ...good, kind: 'request' }, 'args').kind, 'request');
  });

  it('refuses malformed values with the field\'s path', () => {
    const cases: [unknown, string, string][] = [
      [{ ...good, arriveId: '900202600000000' }, 'args.arriveId', 'tooShort'],
      [{ ...good, arriveId: '9002026000000001/../x' }, 'args.arriveId', 'tooLong'],
      [{ ...good, arriveId: '900202600000000x' }, 'args.arriveId', 'pattern'],
      [{ ...good, kind: 'Application' }, 'args.kind', 'oneOf'],
      [{ ...good, reason: '' }, 'args.reason', 'tooShort'],
      [{ ...good, reason: 42 }, 'args.reason', 'type'],
      [{ ...good, applicant: { ...applicant, phone: '０３-1234' } }, 'args.applicant.phone', 'pattern'],
      [{ ...good, applicant: { ...applicant, postalCode: '100001a' } }, 'args.applicant.postalCode', 'pattern'],
      [{ ...good, applicant: { ...applicant, email: 'no at sign' } }, 'args.applicant.email', 'pattern'],
      [{ ...good, applicant: { ...applicant, fax: '03--1' } }, 'args.applicant.fax', 'pattern'],
      [{ ...good, jobId: 'short' }, 'args.jobId', 'tooShort'],
    ];
    for (const [value, path, reason] of cases) {
      const issue = refused(value);
      assert.deepEqual([issue.path, issue.reason], [path, reason], JSON.stringify(value).slice(0, 80));
    }
  });

  it('refuses huge values by their length, without echoing them', () => {
    const huge = 'あ'.repeat(10 * 1024 * 1024);
    for (const [value, path] of [
      [{ ...good, reason: huge }, 'args.reason'],
      [{ ...good, remarks: 'x'.repeat(WITHDRAWAL_LIMITS.remarks + 1) }, 'args.remarks'],
      [{ ...good, applicant: { ...applicant, name: 'x'.repeat(WITHDRAWAL_LIMITS.name + 1) } }, 'args.applicant.name'],
      [{ ...good, applicant: { ...applicant, address: huge } }, 'args.applicant.address'],
    ] as [unknown, string][]) {
      const issue = refused(value);
      assert.deepEqual([issue.path, issue.reason], [path, 'tooLong']);
      assert.ok(!issue.message.includes('xxxx') && !issue.message.includes('ああ'));
    }
    assert.equal(withdraw.check({ ...good, reason: 'x'.repeat(WITHDRAWAL_LIMITS.reason) }, 'args').reason.length, WITHDRAWAL_LIMITS.reason);
  });

  it('refuses hostile values: control characters, unknown and prototype keys, accessors, non-plain objects', () => {
    for (const [value, path, reason] of [
      [{ ...good, reason: 'NUL\u0000' }, 'args.reason', 'pattern'],
      [{ ...good, reason: 'ESC\u001b[2J' }, 'args.reason', 'pattern'],
      [{ ...good, reason: 'tab\tは不可' }, 'args.reason', 'pattern'],
      [{ ...good, applicant: { ...applicant, name: '二行\n目' } }, 'args.applicant.name', 'pattern'],
      [{ ...good, applicant: { ...applicant, address: 'DEL\u007f' } }, 'args.applicant.address', 'pattern'],
      [{ ...good, admin: true }, 'args.admin', 'unknownKey'],
      [JSON.parse(`{"arriveId":"${ARRIVE}","kind":"application","reason":"r","applicant":{"name":"a","address":"b","phone":"1","__proto__":{"polluted":1}}}`), 'args.applicant.__proto__', 'unknownKey'],
      [{ ...good, applicant: Object.defineProperty({ ...applicant }, 'phone', { get: () => '1', enumerable: true }) }, 'args.applicant.phone', 'accessor'],
      [{ ...good, applicant: [applicant] }, 'args.applicant', 'type'],
      [{ ...good, applicant: new Map(Object.entries(applicant)) }, 'args.applicant', 'type'],
    ] as [unknown, string, string][]) {
      const issue = refused(value);
      assert.deepEqual([issue.path, issue.reason], [path, reason], JSON.stringify(value)?.slice(0, 80));
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses truncated input: a field or the whole person missing', () => {
    const { phone: _phone, ...noPhone } = applicant;
    void _phone;
    assert.deepEqual([refused({ ...good, applicant: noPhone }).path, refused({ ...good, applicant: noPhone }).reason], ['args.applicant.phone', 'missing']);
    assert.equal(refused({ arriveId: ARRIVE, kind: 'application', reason: 'r' }).path, 'args.applicant');
    assert.equal(refused({ arriveId: ARRIVE }).path, 'args.kind');
    assert.equal(refused(null).reason, 'type');
  });

  it('the neighbours take an outbox entry id and a closed decision', () => {
    const entryId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    assert.deepEqual(operations['case.withdrawalRefresh'].args.check({ entryId }, 'args'), { entryId });
    assert.deepEqual(operations['case.withdrawalSettle'].args.check({ entryId, decision: 'not-arrived' }, 'args'), { entryId, decision: 'not-arrived' });
    assert.throws(() => operations['case.withdrawalSettle'].args.check({ entryId, decision: 'resend' }, 'args'), SchemaViolation);
    assert.throws(() => operations['case.withdrawalRefresh'].args.check({ entryId: '../../x' }, 'args'), SchemaViolation);
    assert.throws(() => operations['case.withdrawalDraft'].args.check({ arriveId: '1' }, 'args'), SchemaViolation);
  });
});

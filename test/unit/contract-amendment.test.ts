// Unit: the 補正 operations' argument schemas (src/shared/contract.ts) — what a renderer we do not trust
// may send to case.amendmentDraft, case.amendmentReplace, case.amend and their neighbours: well-formed
// input passes as a fresh copy; malformed, huge, hostile (relative paths, separators in a file name,
// control characters) and truncated input is refused with the path of the field, never echoed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operations } from '../../src/shared/contract.js';
import { SchemaViolation } from '../../src/shared/schema.js';

const ARRIVE = '9002026000000001';
const DRAFT = '0f8fad5b-d9cb-469f-a165-70867728950e';

function refused(op: keyof typeof operations, value: unknown): { path: string; reason: string; message: string } {
  try {
    operations[op].args.check(value, 'args');
  } catch (e) {
    assert.ok(e instanceof SchemaViolation, String(e));
    return e.issue;
  }
  assert.fail(`${op} accepted ${JSON.stringify(value).slice(0, 120)}`);
}

describe('補正 operation arguments', () => {
  it('accepts what the workbench sends, and returns copies', () => {
    const replace = { arriveId: ARRIVE, draftId: DRAFT, fileName: '900A01020000100001_01.xml', path: '/home/ユーザー/補正/様式.xml' };
    const checked = operations['case.amendmentReplace'].args.check(replace, 'args');
    assert.deepEqual(checked, replace);
    assert.notEqual(checked, replace);
    assert.deepEqual(operations['case.amendmentReplace'].args.check({ ...replace, path: 'C:\\Users\\taro\\form.xml' }, 'args').path, 'C:\\Users\\taro\\form.xml');
    assert.deepEqual(operations['case.amendmentReplace'].args.check({ ...replace, path: '\\\\server\\share\\form.xml' }, 'args').path, '\\\\server\\share\\form.xml');
    assert.deepEqual(operations['case.amendmentDraft'].args.check({ arriveId: ARRIVE }, 'args'), { arriveId: ARRIVE });
    assert.deepEqual(operations['case.amendmentDraft'].args.check({ arriveId: ARRIVE, folder: '/data/900A010200001000(1)', fresh: true }, 'args').fresh, true);
    const amend = { jobId: 'job-12345678', arriveId: ARRIVE, draftId: DRAFT, kind: 'partamend', target: { basicForm: true, attached: false } };
    assert.deepEqual(operations['case.amend'].args.check(amend, 'args'), amend);
    assert.deepEqual(operations['case.amendmentRestore'].args.check({ arriveId: ARRIVE, draftId: DRAFT, fileName: 'tenpu.txt' }, 'args').fileName, 'tenpu.txt');
    assert.equal(operations['case.amendmentSettle'].args.check({ entryId: DRAFT, decision: 'not-arrived' }, 'args').decision, 'not-arrived');
    assert.equal(operations['case.amendmentRefresh'].args.check({ entryId: DRAFT }, 'args').entryId, DRAFT);
  });

  it('refuses malformed and hostile values with the path of the field', () => {
    const base = { arriveId: ARRIVE, draftId: DRAFT, fileName: 'a.xml', path: '/tmp/a.xml' };
    const cases: [keyof typeof operations, unknown, string, string][] = [
      ['case.amendmentReplace', { ...base, path: 'relative/a.xml' }, 'args.path', 'pattern'],
      ['case.amendmentReplace', { ...base, path: '../../etc/passwd' }, 'args.path', 'pattern'],
      ['case.amendmentReplace', { ...base, path: '/tmp/a\u0000.xml' }, 'args.path', 'pattern'],
      ['case.amendmentReplace', { ...base, path: '' }, 'args.path', 'tooShort'],
      ['case.amendmentReplace', { ...base, fileName: '../kousei.xml' }, 'args.fileName', 'pattern'],
      ['case.amendmentReplace', { ...base, fileName: 'a\\b.xml' }, 'args.fileName', 'pattern'],
      ['case.amendmentReplace', { ...base, fileName: 'C:a.xml' }, 'args.fileName', 'pattern'],
      ['case.amendmentReplace', { ...base, fileName: '..' }, 'args.fileName', 'pattern'],
      ['case.amendmentReplace', { ...base, fileName: 'a\nb' }, 'args.fileName', 'pattern'],
      ['case.amendmentReplace', { ...base, draftId: DRAFT.toUpperCase() }, 'args.draftId', 'pattern'],
      ['case.amendmentReplace', { ...base, draftId: DRAFT.slice(0, 35) }, 'args.draftId', 'tooShort'],
      ['case.amendmentReplace', { ...base, arriveId: '9002026000000001x' }, 'args.arriveId', 'pattern'],
      ['case.amendmentDraft', { arriveId: ARRIVE, folder: 'here' }, 'args.folder', 'pattern'],
      ['case.amendmentDraft', { arriveId: ARRIVE, fresh: 'yes' }, 'args.fresh', 'type'],
      ['case.amend', { arriveId: ARRIVE, draftId: DRAFT, kind: 'amend' }, 'args.kind', 'oneOf'],
      ['case.amend', { arriveId: ARRIVE, draftId: DRAFT, target: { basicForm: 1, attached: false } }, 'args.target.basicForm', 'type'],
      ['case.amend', { arriveId: ARRIVE, draftId: DRAFT, jobId: 'short' }, 'args.jobId', 'tooShort'],
      ['case.amendmentSettle', { entryId: DRAFT, decision: 'maybe' }, 'args.decision', 'oneOf'],
    ];
    for (const [op, value, path, reason] of cases) {
      const issue = refused(op, value);
      assert.deepEqual([issue.path, issue.reason], [path, reason], `${op} ${JSON.stringify(value).slice(0, 80)}`);
    }
  });

  it('refuses truncated arguments and unknown fields', () => {
    assert.equal(refused('case.amendmentReplace', { arriveId: ARRIVE, draftId: DRAFT, fileName: 'a.xml' }).path, 'args.path');
    assert.equal(refused('case.amend', { arriveId: ARRIVE }).path, 'args.draftId');
    assert.equal(refused('case.amend', null).path, 'args');
    assert.equal(refused('case.amendmentDraft', { arriveId: ARRIVE, evil: 1 }).path, 'args.evil');
  });

  it('refuses huge values by their length, without echoing them', () => {
    const huge = `/${'あ'.repeat(10 * 1024 * 1024)}`;
    const issue = refused('case.amendmentReplace', { arriveId: ARRIVE, draftId: DRAFT, fileName: 'a.xml', path: huge });
    assert.deepEqual([issue.path, issue.reason], ['args.path', 'tooLong']);
    assert.ok(issue.message.length < 200);
    assert.equal(refused('case.amendmentReplace', { arriveId: ARRIVE, draftId: DRAFT, fileName: 'a'.repeat(256), path: '/a' }).reason, 'tooLong');
  });
});

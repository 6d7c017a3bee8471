// Unit: 照合 (src/main/sync/reconcile.ts): deciding from 送信案件一覧 whether an `unknown` entry's
// batch reached e-Gov. Times are JST wall-clock strings as e-Gov writes them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArrivedApplication, SendSummary } from '../../src/shared/filing.js';
import {
  jstDay,
  normalizeName,
  parseJstTimestamp,
  reconcile,
  reconcileQuery,
  type ReconcileSubject,
} from '../../src/main/sync/reconcile.js';
import { arrivedApplication } from '../support/arrived.js';

const jst = (ts: string) => {
  const ms = parseJstTimestamp(ts);
  assert.ok(ms !== null, ts);
  return ms;
};
const MIN = 60_000;

const application = (folder: string, applicant: string, arriveId = '9002015000243958'): ArrivedApplication =>
  arrivedApplication(arriveId, { procedureFolderName: folder, applicantName: applicant });

function batch(sendNumber: string, allCount: number, applications: ArrivedApplication[] = [], workStatus = ''): SendSummary {
  return {
    sendNumber,
    sendDate: sendNumber.slice(0, 14),
    workStatus,
    normalCount: applications.length,
    allCount,
    errorCount: 0,
    supplementaryMessage: '',
    errorFileBase64: null,
    applications,
  };
}

const subject: ReconcileSubject = {
  attemptStartedAt: jst('20150428114455'),
  applicationCount: 2,
  folderNames: ['900A010200001000(001)', '900A010200001000(002)'],
  applicantNames: ['窓口　一郎', '窓口　二郎'],
};
const ours = [application('900A010200001000(002)', '窓口　二郎', '9002015000243959'), application('900A010200001000(001)', '窓口　一郎')];
const later = subject.attemptStartedAt + 60 * MIN;
const options = { claimed: new Set<string>(), now: later };

void describe('reconcile', () => {
  void it('exact match: one batch in the window with the count, folders and applicants', () => {
    const summaries = [
      batch('201504281145005643', 2, ours),
      batch('201504271000005600', 2, ours), // a day earlier: out of the window
      batch('201504281146005644', 3), // other count
    ];
    assert.deepEqual(reconcile(subject, summaries, options), { kind: 'matched', sendNumber: '201504281145005643' });
  });

  void it('matches by name whatever the width of the space (NFKC, no white space)', () => {
    const listed = [application('900A010200001000(001)', '窓口 一郎'), application('900A010200001000(002)', '窓口二郎', '9002015000243959')];
    assert.deepEqual(reconcile(subject, [batch('201504281145005643', 2, listed)], options), { kind: 'matched', sendNumber: '201504281145005643' });
    assert.equal(normalizeName('ｶﾅ　太郎 '), 'カナ太郎');
  });

  void it('WorkStatus 処理待ち with no applications listed yet: matched on time and count only', () => {
    const pending = batch('201504281145005643', 2, [], '処理待ち');
    assert.deepEqual(reconcile(subject, [pending], options), { kind: 'matched', sendNumber: '201504281145005643' });
  });

  void it('two batches in the window that fit: ambiguous, both named', () => {
    const summaries = [batch('201504281146005644', 2, [], '処理待ち'), batch('201504281145005643', 2, ours)];
    assert.deepEqual(reconcile(subject, summaries, options), { kind: 'ambiguous', candidates: ['201504281146005644', '201504281145005643'] });
  });

  void it('a batch already claimed by another entry is not this one', () => {
    const summaries = [batch('201504281146005644', 2, ours), batch('201504281145005643', 2, ours)];
    const claimed = new Set(['201504281146005644']);
    assert.deepEqual(reconcile(subject, summaries, { ...options, claimed }), { kind: 'matched', sendNumber: '201504281145005643' });
    // and if it was the only one, nothing is found
    assert.deepEqual(reconcile(subject, [batch('201504281146005644', 2, ours)], { ...options, claimed }), { kind: 'not-found' });
  });

  void it('nothing fits: not-found (empty list = the 400 "該当する申請情報が存在しません")', () => {
    assert.deepEqual(reconcile(subject, [], options), { kind: 'not-found' });
    const others = [
      batch('201504281145005643', 2, [application('900A999900001000', '別人　太郎'), application('900A999900002000', '別人　次郎')]),
      batch('201504281145005644', 1),
    ];
    assert.deepEqual(reconcile(subject, others, options), { kind: 'not-found' });
  });

  void it('folders fit but applicant names do not: ambiguous, never not-found', () => {
    const renamed = [application('900A010200001000(001)', '窓口　一朗'), application('900A010200001000(002)', '窓口　二郎', '9002015000243959')];
    assert.deepEqual(reconcile(subject, [batch('201504281145005643', 2, renamed)], options), { kind: 'ambiguous', candidates: ['201504281145005643'] });
  });

  void it('only the applications that arrived are listed: a subset of ours fits', () => {
    const one = [application('900A010200001000(002)', '窓口　二郎')];
    assert.deepEqual(reconcile(subject, [batch('201504281145005643', 2, one)], options), { kind: 'matched', sendNumber: '201504281145005643' });
    // the same folder listed twice is not a subset of one folder
    const twice = [application('900A010200001000(002)', '窓口　二郎'), application('900A010200001000(002)', '窓口　二郎', '2')];
    assert.deepEqual(reconcile(subject, [batch('201504281145005643', 2, twice)], options), { kind: 'not-found' });
  });

  void it('not-found is not trusted right after the attempt: too-early with the time to ask again', () => {
    const now = subject.attemptStartedAt + 1 * MIN;
    assert.deepEqual(reconcile(subject, [], { claimed: new Set(), now }), { kind: 'too-early', retryAt: subject.attemptStartedAt + 5 * MIN });
    // a match needs no waiting
    assert.equal(reconcile(subject, [batch('201504281145005643', 2, ours)], { claimed: new Set(), now }).kind, 'matched');
  });

  void it('the window: a batch sent within the early/late margins fits, one outside does not', () => {
    const s: ReconcileSubject = { ...subject, attemptStartedAt: jst('20150428120000') };
    assert.equal(reconcile(s, [batch('201504281151000001', 2)], { ...options, now: later + 60 * MIN }).kind, 'matched'); // 9 min before
    assert.equal(reconcile(s, [batch('201504281149000001', 2)], { ...options, now: later + 60 * MIN }).kind, 'not-found'); // 11 min before
    assert.equal(reconcile(s, [batch('201504281229000001', 2)], { ...options, now: later + 60 * MIN }).kind, 'matched'); // 29 min after
    assert.equal(reconcile(s, [batch('201504281231000001', 2)], { ...options, now: later + 60 * MIN }).kind, 'not-found'); // 31 min after
  });
});

void describe('reconcileQuery', () => {
  void it('asks the JST day of the attempt', () => {
    assert.deepEqual(reconcileQuery(jst('20150428114455')), { from: '20150428', to: '20150428' });
  });

  void it('an attempt at 23:59:59 JST spans two days', () => {
    assert.deepEqual(reconcileQuery(jst('20150428235959')), { from: '20150428', to: '20150429' });
    // and a batch sent just after midnight is matched
    const s: ReconcileSubject = { ...subject, attemptStartedAt: jst('20150428235959') };
    assert.deepEqual(reconcile(s, [batch('201504290000034001', 2, ours)], { claimed: new Set(), now: s.attemptStartedAt + 60 * MIN }), {
      kind: 'matched',
      sendNumber: '201504290000034001',
    });
  });

  void it('an attempt just after midnight reaches back to the day before (our clock may be ahead)', () => {
    assert.deepEqual(reconcileQuery(jst('20150429000200')), { from: '20150428', to: '20150429' });
  });

  void it('JST days, not UTC days', () => {
    // 2015-04-28 16:00 UTC = 2015-04-29 01:00 JST
    assert.equal(jstDay(Date.UTC(2015, 3, 28, 16, 0, 0)), '20150429');
    assert.equal(parseJstTimestamp('20150231120000'), null);
    assert.equal(parseJstTimestamp('2015'), null);
  });
});

// The 補正 workbench's pure helpers (src/renderer/amendment-workbench.ts, format-bytes.ts): diff paths as
// the core writes them read as a person reads them — repeated elements numbered, attributes named, the
// root left out — and paths the core would never write (hostile, huge, truncated) still shown, never
// thrown on; the 補正 deadline counted in whole days in Japan whatever the clock's zone, red within
// three days or past, nonsense dates refused; what a draft changes; when 「補正申請を送信」 is allowed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AmendmentFileView } from '../../src/shared/amendment.js';
import { attachmentName, awaitsAmendment, deadlineOf, draftChanges, fieldPathSteps, readableFieldPath, sendBlock, URGENT_DAYS } from '../../src/renderer/amendment-workbench.js';
import { formatBytes } from '../../src/renderer/format-bytes.js';
import { en } from '../../src/renderer/messages/en.js';
import { ja } from '../../src/renderer/messages/ja.js';

const words = { nth: ja.amend.pathNth, attribute: ja.amend.pathAttribute };

function file(name: string, over: Partial<AmendmentFileView> = {}): AmendmentFileView {
  return { name, size: 10, filedSize: 10, replaced: false, change: 'same', fields: null, fieldsError: null, ...over };
}

void describe('diff paths for a person', () => {
  void it('names the field, and where it sits without the root every row shares', () => {
    assert.deepEqual(readableFieldPath('申請書/届出者/氏名', words), { leaf: '氏名', trail: ['届出者'] });
    assert.deepEqual(readableFieldPath('G00005-A-250045-001_1/生年月日/年', words), { leaf: '年', trail: ['生年月日'] });
    assert.deepEqual(readableFieldPath('申請書', words), { leaf: '申請書', trail: [] });
  });

  void it('numbers a repeated element and names an attribute, in either language', () => {
    assert.deepEqual(readableFieldPath('申請書/届出者[2]/氏名', words), { leaf: '氏名', trail: ['届出者（2件目）'] });
    assert.deepEqual(readableFieldPath('申請書/添付[3]/@code', words), { leaf: '属性 code', trail: ['添付（3件目）'] });
    assert.deepEqual(readableFieldPath('form/person[2]/@id', { nth: en.amend.pathNth, attribute: en.amend.pathAttribute }), { leaf: 'attribute id', trail: ['person (#2)'] });
    assert.deepEqual(readableFieldPath('a/b/c[12]', words), { leaf: 'c（12件目）', trail: ['b'] });
  });

  void it('keeps a namespace prefix as the element is named', () => {
    assert.deepEqual(fieldPathSteps('ns:root/ns:item[2]/@xml:lang'), [
      { name: 'ns:root', index: null, attribute: false },
      { name: 'ns:item', index: 2, attribute: false },
      { name: 'xml:lang', index: null, attribute: true },
    ]);
  });

  void it('shows what the core would never write as plain names, without throwing', () => {
    // malformed brackets, a zero index, an empty attribute, doubled and trailing slashes
    assert.deepEqual(fieldPathSteps('a//b[0]/c[x]/d[/@/'), [
      { name: 'a', index: null, attribute: false },
      { name: 'b[0]', index: null, attribute: false },
      { name: 'c[x]', index: null, attribute: false },
      { name: 'd[', index: null, attribute: false },
      { name: '@', index: null, attribute: false },
    ]);
    assert.deepEqual(readableFieldPath('', words), { leaf: '', trail: [] });
    assert.deepEqual(readableFieldPath('///', words), { leaf: '///', trail: [] });
    // truncated mid-index
    assert.deepEqual(readableFieldPath('申請書/届出者[1', words), { leaf: '届出者[1', trail: [] });
    // markup is text here: React escapes it, nothing reads it as HTML
    assert.deepEqual(readableFieldPath('r/<img src=x onerror=alert(1)>', words), { leaf: '<img src=x onerror=alert(1)>', trail: [] });
    // an index too long to be a position is a name
    assert.equal(fieldPathSteps('r/a[12345678901]')[1]?.index, null);
  });

  void it('a huge path: every step kept', () => {
    const path = Array.from({ length: 20_000 }, (_, i) => `e${i}[${(i % 9) + 1}]`).join('/');
    const r = readableFieldPath(path, words);
    assert.equal(r.trail.length, 19_998);
    assert.equal(r.leaf, 'e19999（2件目）');
  });
});

void describe('the 補正 deadline', () => {
  // 2026-11-30 23:30 in Japan is still the 30th there, though the 1st of December nowhere else matters
  const lateEvening = new Date('2026-11-30T14:30:00Z');

  void it('counts whole days from today in Japan', () => {
    assert.equal(deadlineOf('20261130', lateEvening)?.daysLeft, 0);
    assert.equal(deadlineOf('20261202', lateEvening)?.daysLeft, 2);
    assert.equal(deadlineOf('20261215', lateEvening)?.daysLeft, 15);
    assert.equal(deadlineOf('20261129', lateEvening)?.daysLeft, -1);
    // just after midnight in Japan (still the previous day in UTC)
    assert.equal(deadlineOf('20261201', new Date('2026-11-30T15:05:00Z'))?.daysLeft, 0);
    // across a year and a leap day
    assert.equal(deadlineOf('20280301', new Date('2028-02-28T03:00:00Z'))?.daysLeft, 2);
  });

  void it('is urgent within three days and once past', () => {
    assert.equal(URGENT_DAYS, 3);
    assert.equal(deadlineOf('20261203', lateEvening)?.urgent, true);
    assert.equal(deadlineOf('20261204', lateEvening)?.urgent, false);
    assert.equal(deadlineOf('20261101', lateEvening)?.urgent, true);
  });

  void it('gives the day itself as a date that formats to that day in Japan', () => {
    const d = deadlineOf('20261202', lateEvening);
    assert.ok(d);
    assert.equal(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(d.date), '2026-12-02');
  });

  void it('refuses what is not a day: empty, malformed, truncated, impossible, huge', () => {
    for (const bad of ['', '2026120', '202612021', '2026-12-02', '20261301', '20260230', '20261200', 'abcdefgh', '２０２６１２０２', '9'.repeat(10_000)]) {
      assert.equal(deadlineOf(bad, lateEvening), null, bad.slice(0, 20));
    }
    assert.equal(deadlineOf(' 20261202 ', lateEvening)?.daysLeft, 2, 'spaces around are e-Gov padding');
  });
});

void describe('what a draft changes, and whether it may be sent', () => {
  void it('lists replaced and added files and sums the fields changed beyond any cap', () => {
    const files = [
      file('kousei.xml'),
      file('form.xml', { replaced: true, change: 'changed', fields: { changes: [], total: 250, capped: true } }),
      file('photo.pdf', { replaced: true, change: 'changed' }),
      file('extra.txt', { replaced: true, change: 'added', filedSize: null }),
    ];
    assert.deepEqual(draftChanges(files), { replaced: ['form.xml', 'photo.pdf'], added: ['extra.txt'], fields: 250 });
    assert.deepEqual(draftChanges([]), { replaced: [], added: [], fields: 0 });
  });

  void it('blocks sending with no draft, when the core says no, and when nothing changed', () => {
    assert.equal(sendBlock({ draftId: null, allowed: false, changed: false }), 'no-draft');
    assert.equal(sendBlock({ draftId: 'd', allowed: false, changed: true }), 'blocked');
    assert.equal(sendBlock({ draftId: 'd', allowed: true, changed: false }), 'unchanged');
    assert.equal(sendBlock({ draftId: 'd', allowed: true, changed: true }), null);
  });

  void it('reads 補正待ち from CorrectStatus, or a case that may be filed again', () => {
    assert.equal(awaitsAmendment({ correctStatus: 'あり' }, null), true);
    assert.equal(awaitsAmendment({ correctStatus: 'なし' }, null), false);
    assert.equal(awaitsAmendment({ correctStatus: ' ' }, '0'), false);
    assert.equal(awaitsAmendment({ correctStatus: '' }, '1'), true);
  });

  void it('names an added attachment in composed form, as the core compares names', () => {
    assert.equal(attachmentName({ name: 'ガイド.pdf'.normalize('NFD') }), 'ガイド.pdf');
  });
});

void describe('file sizes', () => {
  void it('in bytes, KB and MB as the language writes numbers; nonsense as a dash', () => {
    assert.equal(formatBytes(8, ja), '8 B');
    assert.equal(formatBytes(3_686, ja), '3.6 KB');
    assert.equal(formatBytes(32 * 1024 * 1024, en), '32.0 MB');
    assert.equal(formatBytes(1024 ** 4 * 3, en), '3,072.0 GB');
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(formatBytes(bad, ja), '—');
  });
});

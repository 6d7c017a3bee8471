// Unit: the case list as CSV (src/main/export/cases-csv.ts): Excel's form (BOM, CRLF, 到達番号 kept
// as text) and the plain one; quoting of commas, quotes and line breaks; hostile texts that would run
// as formulas in a spreadsheet disarmed; dates written out; a large list.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { casesCsv, csvText, egovDateText } from '../../src/main/export/cases-csv.js';
import type { CaseSummary } from '../../src/main/store/cases.js';
import { arrivedApplication } from '../support/arrived.js';

function summary(arriveId: string, over: Partial<CaseSummary> = {}): CaseSummary {
  return {
    ...arrivedApplication(arriveId),
    sendNumber: '202601151005001234',
    withdrawalOf: null,
    amendmentOf: null,
    entryId: null,
    updatedAt: 0,
    needsReference: false,
    changeSeq: 1,
    ...over,
  } as CaseSummary;
}

/** RFC 4180 fields of one line (quoted fields may hold commas; no line breaks in these tests). */
function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else v += line[i++];
      }
      out.push(v);
      i++; // the comma
    } else {
      const end = line.indexOf(',', i);
      out.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return out;
}

void describe('cases as CSV', () => {
  test('Excel: a BOM, CRLF, Japanese headers, 到達番号 and 送信番号 kept as text (="…"), dates written out', () => {
    const csv = casesCsv([summary('9002026000001200', { statusDate: '20261130182601', payWaitCount: 1, commentCountNotRead: 2 })], 'excel');
    assert.ok(csv.startsWith('\uFEFF'));
    const lines = csv.slice(1).split('\r\n');
    assert.equal(lines.length, 3, 'header, one case, and the final line end');
    assert.equal(lines[2], '');
    assert.deepEqual(fields(lines[0]!), ['到達番号', '送信番号', '府省名', '手続名称', '氏名', '法人名', '部署名', '状況', '状況の日時', '補正', '未読のコメント', '未取得の公文書', '納付待ち', '取下げの対象', '補正の対象']);
    const row = lines[1]!;
    assert.ok(row.startsWith('="9002026000001200",="202601151005001234",'), row);
    const f = fields(row);
    assert.deepEqual(f.slice(2, 15), ['厚生労働省', '健康保険・厚生年金保険被保険者資格取得届', '山田 太郎', '', '', '到達', '2026/11/30 18:26:01', 'なし', '2', '0', '1', '', '']);
  });

  test('plain: no BOM, LF, the numbers as they are; a 取下げ and a 補正 name the case they act on', () => {
    const csv = casesCsv(
      [summary('9002026000001201', { sendNumber: null, withdrawalOf: '9002026000001200' }), summary('9002026000001202', { amendmentOf: '9002026000001200' })],
      'plain',
    );
    assert.equal(csv.charCodeAt(0), '"'.charCodeAt(0));
    assert.ok(!csv.includes('\r'));
    const [, withdrawal, amendment] = csv.split('\n');
    assert.deepEqual([fields(withdrawal!)[0], fields(withdrawal!)[1], fields(withdrawal!)[13]], ['9002026000001201', '', '9002026000001200']);
    assert.deepEqual([fields(amendment!)[0], fields(amendment!)[14]], ['9002026000001202', '9002026000001200']);
  });

  test('commas, quotes and line breaks stay inside their field', () => {
    const csv = casesCsv([summary('9002026000001203', { applicantName: '山田 "タロウ", 太郎', corporationName: '株式会社\r\n届け' })], 'plain');
    assert.ok(csv.includes('"山田 ""タロウ"", 太郎"'));
    assert.ok(csv.includes('"株式会社\r\n届け"'));
  });

  test('a text that would run as a formula in a spreadsheet gets an apostrophe; the numbers never carry one', () => {
    for (const hostile of ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      assert.equal(csvText(hostile), `"'${hostile.replace(/"/g, '""')}"`, JSON.stringify(hostile));
      const csv = casesCsv([summary('9002026000001204', { applicantName: hostile, status: hostile })], 'excel');
      assert.ok(!csv.includes(`,"${hostile.replace(/"/g, '""')}"`), 'never written bare');
    }
    // a value that is not all digits where a number is expected is written as text, disarmed
    const odd = casesCsv([summary('9002026000001205', { sendNumber: '=1+1' })], 'excel');
    assert.ok(odd.includes(`,"'=1+1",`));
    assert.ok(!odd.includes('="=1+1"'));
  });

  test('a date that is not e-Gov\'s 14 digits is written as it came', () => {
    assert.equal(egovDateText('20261130182601'), '2026/11/30 18:26:01');
    for (const odd of ['', '2026113018260', 'not a date', '２０２６１１３０１８２６０１']) assert.equal(egovDateText(odd), odd);
  });

  test('10,000 cases: one line each, in the order given', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => summary(String(9002026000000000 + 10_000 - i)));
    const lines = casesCsv(many, 'excel').split('\r\n');
    assert.equal(lines.length, 10_002);
    assert.ok(lines[1]!.startsWith('="9002026000010000"'));
    assert.ok(lines[10_000]!.startsWith('="9002026000000001"'));
  });

  test('no case: the headers alone', () => {
    assert.equal(casesCsv([], 'plain').split('\n').length, 2);
  });
});

// Unit: the ErrorFile's bytes turned into text as a browser would read them (BOM, declared charset,
// valid UTF-8, else Shift_JIS), and a report too large cut rather than refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeErrorReport, MAX_ERROR_REPORT_BYTES } from '../../src/main/filing/error-report.js';
import { encodeCp932 } from '../../src/main/application/cp932.js';

const JA = '<p>900A010200001000(1): 申請種別「再提出」は受け付けられません</p>';

void describe('decodeErrorReport', () => {
  void test('UTF-8 with or without a BOM or a declaration', () => {
    assert.equal(decodeErrorReport(Buffer.from(JA)).html, JA);
    assert.equal(decodeErrorReport(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JA)])).html, JA);
    const declared = `<meta charset="utf-8">${JA}`;
    assert.equal(decodeErrorReport(Buffer.from(declared)).html, declared);
  });

  void test('Shift_JIS declared, or undeclared bytes that are not UTF-8', () => {
    const declared = `<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">${JA}`;
    assert.equal(decodeErrorReport(encodeCp932(declared)).html, declared);
    assert.equal(decodeErrorReport(encodeCp932(JA)).html, JA);
  });

  void test('UTF-16 with its BOM', () => {
    assert.equal(decodeErrorReport(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JA, 'utf16le')])).html, JA);
  });

  void test('empty, truncated in the middle of a character, hostile bytes: text, never a throw', () => {
    assert.deepEqual(decodeErrorReport(new Uint8Array()), { html: '', truncated: false });
    const cut = Buffer.from(JA).subarray(0, 20);
    assert.equal(typeof decodeErrorReport(cut).html, 'string');
    assert.equal(typeof decodeErrorReport(Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81])).html, 'string');
  });

  void test('larger than the limit: cut, and said so', () => {
    const big = Buffer.alloc(MAX_ERROR_REPORT_BYTES + 10, 0x61);
    const decoded = decodeErrorReport(big);
    assert.equal(decoded.truncated, true);
    assert.equal(decoded.html.length, MAX_ERROR_REPORT_BYTES);
  });
});

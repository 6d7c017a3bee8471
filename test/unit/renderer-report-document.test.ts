// Unit: the document an e-Gov HTML report is framed as. Whatever the report holds — scripts, a
// refresh to elsewhere, its own looser CSP, a cut-off tag — our charset and no-load, no-script CSP
// come first, in the head, so they apply to all of it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { REPORT_CSP, reportDocument } from '../../src/renderer/report-document.js';

const HEAD = `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`;

void describe('reportDocument', () => {
  void test('the policy loads and runs nothing', () => {
    for (const directive of ["default-src 'none'", "form-action 'none'", "base-uri 'none'"]) assert.ok(REPORT_CSP.includes(directive), directive);
    assert.ok(!/script-src|unsafe-eval|https?:/.test(REPORT_CSP));
  });

  void test('hostile, huge or cut-off reports all sit behind the same head', () => {
    for (const html of [
      '<html><head><meta http-equiv="Content-Security-Policy" content="default-src *"><script>alert(1)</script></head><body onload="x()">',
      '<meta http-equiv="refresh" content="0;url=https://example.invalid/"><img src="https://example.invalid/t.gif">',
      '<table><tr><td>900A010200001000(1)</td><td><ul><li>申請種別',
      '',
      'x'.repeat(1_000_000),
    ]) {
      const doc = reportDocument(html);
      assert.ok(doc.startsWith(HEAD), html.slice(0, 40));
      assert.equal(doc.slice(HEAD.length), html, 'the report itself is left as it came');
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { electronNoticePageUrl, NOTICE_PAGE_CSP, noticeIdOfPath, noticePageHeaders } from '../../src/shared/notice-page.js';

void describe('notice pages (a rendered notice at an address of its own, under its own CSP)', () => {
  void it('the page runs nothing, loads nothing but data: images, and is sandboxed even opened alone', () => {
    const directives = NOTICE_PAGE_CSP.split('; ');
    assert.ok(directives.includes("default-src 'none'"));
    assert.ok(directives.includes("style-src 'unsafe-inline'"));
    assert.ok(directives.includes('img-src data:'));
    assert.ok(directives.includes('sandbox'));
    assert.ok(!/script-src|connect-src|unsafe-eval|https?:/.test(NOTICE_PAGE_CSP));
    assert.equal(noticePageHeaders()['content-security-policy'], NOTICE_PAGE_CSP);
    assert.equal(noticePageHeaders()['x-content-type-options'], 'nosniff');
  });

  void it('reads only a plain notice id from a path', () => {
    assert.equal(noticeIdOfPath('1'), 1);
    assert.equal(noticeIdOfPath('9007199254740991'), 9007199254740991);
    for (const bad of ['', '0', '01', '-1', '1.5', '1e3', '../1', '1/2', '%31', ' 1', '9007199254740993', '99999999999999999', 'x']) assert.equal(noticeIdOfPath(bad), null, bad);
    assert.equal(electronNoticePageUrl(7), 'todoke-doc://notice/7');
  });
});

// Unit: the 通知番号 and 到達番号 of `todoke doc|comment …` are checked before anything is opened or
// sent; everything that is not plain 1–9999 is a usage error (exit 2), whatever it looks like.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_NOTICE_NUMBER, noticeNumberArg, noticeTarget } from '../../src/main/cli/notice-args.js';
import { UsageError } from '../../src/main/cli/usage-error.js';

const usage = (f: () => unknown, message: RegExp) => assert.throws(f, (e: unknown) => e instanceof UsageError && message.test(e.messageJa));

void describe('notice number arguments', () => {
  void it('accepts 1 to 9999 written plainly', () => {
    assert.equal(noticeNumberArg('1'), 1);
    assert.equal(noticeNumberArg('42'), 42);
    assert.equal(noticeNumberArg(String(MAX_NOTICE_NUMBER)), 9999);
  });

  void it('refuses zero, signs, leading zeros, spaces, fractions, exponents and other digits', () => {
    for (const bad of ['0', '00', '01', '-1', '+1', ' 1', '1 ', '1.0', '1e3', '0x1', '１', '٣', '', '10000', '99999', 'abc', '1\n', '1\u0000']) {
      usage(() => noticeNumberArg(bad), /通知番号ではありません/);
    }
  });

  void it('a huge or hostile value is shown cut and without control characters', () => {
    usage(() => noticeNumberArg('9'.repeat(100_000)), /^「9{20,40}…?/);
    assert.throws(
      () => noticeNumberArg('\u202e1\u001b[31m'),
      // eslint-disable-next-line no-control-regex -- the escape must not reach the terminal
      (e: unknown) => e instanceof UsageError && !/[\u202e\u001b]/.test(e.messageJa),
    );
  });

  void it('takes exactly a 到達番号 and a number', () => {
    assert.deepEqual(noticeTarget(['9002026000000001', '3'], 'todoke doc get'), { arriveId: '9002026000000001', noticeSubId: 3 });
    usage(() => noticeTarget([], 'todoke doc get'), /到達番号と通知番号を 1 つずつ/);
    usage(() => noticeTarget(['9002026000000001'], 'todoke doc get'), /到達番号と通知番号を 1 つずつ/);
    usage(() => noticeTarget(['9002026000000001', '1', 'extra'], 'todoke doc get'), /余分な引数があります: extra/);
    usage(() => noticeTarget(['../../etc/passwd', '1'], 'todoke doc get'), /到達番号ではありません/);
    usage(() => noticeTarget(['900202600000000', '1'], 'todoke doc get'), /到達番号ではありません/);
    usage(() => noticeTarget(['9002026000000001', '0'], 'todoke doc get'), /通知番号ではありません/);
  });
});

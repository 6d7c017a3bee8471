// The sandbox's own wire writers and readers: the two serialiser families byte for byte against
// e-Gov's recorded bodies, escaping of echoed values, JST timestamps, lenient base64, the header set.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { responseHeaders } from '../../src/sandbox/http/respond.js';
import { writeAccessErrorBody } from '../../src/sandbox/wire/access-family.js';
import { writeAuthenticationBody } from '../../src/sandbox/wire/authentication-family.js';
import { decodeBase64Lenient } from '../../src/sandbox/wire/base64.js';
import { httpDate, jstTimestamp } from '../../src/sandbox/wire/time.js';
import { escapeXmlText } from '../../src/sandbox/wire/xml-text.js';
import { egovDir, recordedDir } from '../support/paths.js';

const recordedBody = (rel: string) => readFileSync(join(recordedDir, rel, 'response.xml'), 'utf8');

void describe('authentication serialiser family', () => {
  void it('writes the recorded 201 of 利用者ID登録 byte for byte', () => {
    assert.equal(writeAuthenticationBody({ code: '0', message: '', fields: [['UserID', '150428114507']] }), recordedBody('register'));
  });

  void it('writes the recorded 200 of append and delete byte for byte (empty and set LastAuthenticationDate)', () => {
    assert.equal(
      writeAuthenticationBody({ code: '0', message: '', fields: [['UserID', '150428114508'], ['LastAuthenticationDate', '']] }),
      recordedBody('certificate-append/2'),
    );
    assert.equal(
      writeAuthenticationBody({ code: '0', message: '', fields: [['UserID', '150428114512'], ['LastAuthenticationDate', '20150428114513']] }),
      recordedBody('certificate-delete/3'),
    );
  });

  void it('writes the recorded declaration-less 400 byte for byte', () => {
    const expected = readFileSync(join(egovDir, 'recorded-history', 'register-already-registered-400', 'response.xml'), 'utf8');
    const body = writeAuthenticationBody({ code: '1', message: '該当する利用者IDと証明書の情報は、既に登録されています。', fields: [['UserID', 'SmartHR001']] });
    assert.equal(body, expected);
    assert.equal(Buffer.byteLength(body), 211);
  });

  void it('never writes an empty element as <X/>, and escapes every echoed value', () => {
    const body = writeAuthenticationBody({ code: '1', message: 'a<b>&"\'', fields: [['UserID', '<x>&y'], ['AccessKey', '']] });
    assert.ok(!/<[A-Za-z]+\/>/.test(body));
    assert.match(body, /<Message>a&lt;b&gt;&amp;&quot;&apos;<\/Message>/);
    assert.match(body, /<UserID>&lt;x&gt;&amp;y<\/UserID>\n<AccessKey><\/AccessKey>\n/);
    assert.equal(writeAuthenticationBody({ code: '1', message: '', fields: [] }), '<DataRoot>\n<Result>\n<Code>1</Code>\n<Message></Message>\n</Result>\n<ApplData>\n</ApplData>\n</DataRoot>\n');
  });
});

void describe('access serialiser family (errors)', () => {
  void it('CRLF, TAB-indented Result children, blank-line slots, no newline at the end', () => {
    const body = writeAccessErrorBody('メッセージ&');
    assert.equal(
      body,
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n\r\n\r\n\r\n<Result>\r\n\t<Code>1</Code>\r\n\t<Message>メッセージ&amp;</Message>\r\n</Result>\r\n<ApplData>\r\n</ApplData>\r\n\r\n</DataRoot>',
    );
  });

  void it('has the same Result layout as the recorded access-family errors', () => {
    const recordedError = readFileSync(join(egovDir, 'recorded-history', 'amendapply-ineligible-500', 'response.xml'), 'utf8');
    const resultBlock = (s: string) => /<Result>\r\n\t<Code>1<\/Code>\r\n\t<Message>[^<]*<\/Message>\r\n<\/Result>\r\n<ApplData>\r\n/.test(s);
    assert.ok(resultBlock(recordedError));
    assert.ok(resultBlock(writeAccessErrorBody('x')));
    assert.ok(recordedError.endsWith('</ApplData>\r\n\r\n</DataRoot>'));
  });
});

void describe('escapeXmlText', () => {
  void it('escapes the five predefined entities and keeps other text, astral characters included', () => {
    assert.equal(escapeXmlText(`&<>"'`), '&amp;&lt;&gt;&quot;&apos;');
    assert.equal(escapeXmlText('利用者𠮷 ID'), '利用者𠮷 ID');
  });

  void it('replaces what XML 1.0 cannot carry (control characters, lone surrogates) instead of writing a broken body', () => {
    assert.equal(escapeXmlText('a\u0000b\u001Fc\uFFFEd'), 'a\uFFFDb\uFFFDc\uFFFDd');
    assert.equal(escapeXmlText('x\uD800y\uDC00'), 'x\uFFFDy\uFFFD');
    assert.equal(escapeXmlText('tab\tlf\ncr\r'), 'tab\tlf\ncr\r');
  });
});

void describe('time formats', () => {
  void it('JST YYYYMMDDhhmmss, across the day and year boundary, seconds truncated', () => {
    assert.equal(jstTimestamp(new Date('2015-04-28T02:45:07Z')), '20150428114507');
    assert.equal(jstTimestamp(new Date('2015-12-31T15:00:00Z')), '20160101000000');
    assert.equal(jstTimestamp(new Date('2015-12-31T14:59:59.999Z')), '20151231235959');
    assert.equal(jstTimestamp(new Date('2020-02-28T15:30:00Z')), '20200229003000');
  });

  void it('RFC 1123 GMT for the Date header', () => {
    assert.equal(httpDate(new Date('2015-04-28T02:45:08Z')), 'Tue, 28 Apr 2015 02:45:08 GMT');
  });
});

void describe('decodeBase64Lenient', () => {
  const der = Buffer.from(Array.from({ length: 200 }, (_, i) => i));
  const b64 = der.toString('base64');

  void it('accepts one line, LF every 60 (Ruby encode64, trailing LF), CRLF every 76, spaces and tabs', () => {
    for (const text of [b64, b64.replace(/(.{60})/g, '$1\n') + '\n', b64.replace(/(.{76})/g, '$1\r\n'), ` ${b64.slice(0, 10)}\t${b64.slice(10)} `]) {
      assert.ok(decodeBase64Lenient(text)?.equals(der));
    }
  });

  void it('refuses empty, foreign characters, bad length and misplaced padding (Buffer.from would skip them silently)', () => {
    for (const text of ['', '   \n', '!!!!', 'AAA', 'AA=A', 'AAAA====', 'A===', b64.slice(0, -1), `${b64.slice(0, 8)}*${b64.slice(8)}`, 'QUJD-_8=']) {
      assert.equal(decodeBase64Lenient(text), null, JSON.stringify(text));
    }
  });

  void it('handles a large input in linear time without a catastrophic regex', () => {
    const big = 'A'.repeat(4 * 500_000) + '!';
    assert.equal(decodeBase64Lenient(big), null);
  });
});

void describe('response headers', () => {
  void it('are the recorded set in the recorded order, Date third', () => {
    const meta = JSON.parse(readFileSync(join(recordedDir, 'register', 'meta.json'), 'utf8')) as { response_headers: Record<string, string[]> };
    const ours = responseHeaders(169, new Date('2015-04-28T02:45:07Z'));
    const recordedNames = Object.keys(meta.response_headers).map((n) => n.toLowerCase());
    assert.deepEqual(
      ours.map(([n]) => n.toLowerCase()),
      [...recordedNames.slice(0, 2), 'date', ...recordedNames.slice(2)],
    );
    for (const [name, value] of ours) {
      const rec = Object.entries(meta.response_headers).find(([n]) => n.toLowerCase() === name.toLowerCase());
      if (rec) assert.equal(value, rec[1][0], name);
    }
    assert.deepEqual(ours[2], ['Date', 'Tue, 28 Apr 2015 02:45:07 GMT']);
  });
});

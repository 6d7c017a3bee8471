// The e-Gov response codec: real XML parsing, strings kept as strings, whitespace-insensitive, and
// every malformed, hostile, huge or truncated body turned into EGOV_MALFORMED_RESPONSE.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEgovError } from '../../src/main/egov/errors.js';
import { childList, optionalText, parseEgovDocument, parseXmlDocument, requiredChild, requiredText } from '../../src/main/egov/xml.js';

const LF_BODY = '<?xml version="1.0" encoding="UTF-8"?>\n<DataRoot>\n<Result>\n<Code>0</Code>\n<Message></Message>\n</Result>\n<ApplData>\n<UserID>150428114507</UserID>\n</ApplData>\n</DataRoot>\n';

function malformed(fn: () => unknown, reason?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isEgovError(e, 'EGOV_MALFORMED_RESPONSE'), `expected EGOV_MALFORMED_RESPONSE, got ${String(e)}`);
    assert.match(e.messageJa, /e-Gov から読み取れない形式の応答/);
    if (reason) assert.match(String(e.detail?.reason), reason);
    return true;
  });
}

void describe('parseEgovDocument: the shapes e-Gov sends', () => {
  void it('reads the authentication family (LF, no indentation, declaration, trailing LF)', () => {
    const doc = parseEgovDocument(Buffer.from(LF_BODY, 'utf8'));
    assert.deepEqual(doc, { result: { code: '0', message: '' }, applData: { UserID: '150428114507' } });
  });

  void it('reads the access family (CRLF, TAB indentation, blank and space-only lines, no trailing newline) the same way', () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<DataRoot>\r\n\r\n\r\n\r\n\r\n \r\n\r\n\t<Result>\r\n\t\t<Code>0</Code>\r\n\t\t<Message></Message>\r\n\t</Result>\r\n' +
      '\t<ApplData>\r\n\t\t<SendNumber>201504281145005643</SendNumber>\r\n\t\t<NoticeSubID>0001</NoticeSubID>\r\n\t\t<Amount>1.50</Amount>\r\n\t\t<Hex>0x1F</Hex>\r\n\t</ApplData>\r\n\r\n</DataRoot>';
    const doc = parseEgovDocument(body);
    assert.equal(doc.result.code, '0');
    // values stay strings: no 18-digit precision loss, no leading zeros dropped, no number parsing
    assert.deepEqual(doc.applData, { SendNumber: '201504281145005643', NoticeSubID: '0001', Amount: '1.50', Hex: '0x1F' });
  });

  void it('reads the 400 of 利用者ID登録, which has no XML declaration', () => {
    const body = '<DataRoot>\n<Result>\n<Code>1</Code>\n<Message>該当する利用者IDと証明書の情報は、既に登録されています。</Message>\n</Result>\n<ApplData>\n<UserID>SmartHR001</UserID>\n</ApplData>\n</DataRoot>\n';
    const doc = parseEgovDocument(body);
    assert.deepEqual(doc.result, { code: '1', message: '該当する利用者IDと証明書の情報は、既に登録されています。' });
  });

  void it('gives the same result for one line, pretty-printed, with a BOM, and with a declaration without encoding', () => {
    const variants = [
      LF_BODY,
      LF_BODY.replace(/\n/g, ''),
      LF_BODY.replace(/\n/g, '\r\n    '),
      '\uFEFF' + LF_BODY,
      LF_BODY.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?>'),
    ];
    for (const v of variants) assert.deepEqual(parseEgovDocument(v), parseEgovDocument(LF_BODY), JSON.stringify(v.slice(0, 60)));
    assert.deepEqual(parseEgovDocument(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LF_BODY)])), parseEgovDocument(LF_BODY));
  });

  void it('decodes the predefined entities and numeric character references, and keeps CDATA text', () => {
    const body = '<DataRoot><Result><Code>1</Code><Message>A &amp; B &lt;C&gt; &quot;d&quot; &apos;e&apos; &#x3042;&#12354;<![CDATA[<x>&amp;]]></Message></Result></DataRoot>';
    assert.equal(parseEgovDocument(body).result.message, 'A & B <C> "d" \'e\' ああ<x>&amp;');
  });

  void it('decodes any number of predefined and numeric references (escaped HTML such as an ErrorFile)', () => {
    const row = '&lt;tr&gt;&lt;td&gt;申請書 &amp; 添付&lt;/td&gt;&lt;td&gt;&#x30A8;&#12521;&#x30FC;&lt;/td&gt;&lt;/tr&gt;';
    const doc = parseEgovDocument(`<DataRoot><Result><Code>0</Code><Message></Message></Result><ApplData><ErrorFile>${row.repeat(2000)}</ErrorFile></ApplData></DataRoot>`);
    assert.equal(requiredText(doc.applData!, 'ErrorFile'), '<tr><td>申請書 & 添付</td><td>エラー</td></tr>'.repeat(2000));
  });

  void it('treats Code with surrounding whitespace as the code, and an absent Message as empty', () => {
    const doc = parseEgovDocument('<DataRoot><Result>\n  <Code>\n0\n</Code>\n</Result><ApplData/></DataRoot>');
    assert.deepEqual(doc, { result: { code: '0', message: '' }, applData: {} });
  });

  void it('keeps ApplData null when an error body has none', () => {
    assert.equal(parseEgovDocument('<DataRoot><Result><Code>1</Code><Message>x</Message></Result></DataRoot>').applData, null);
  });

  void it('makes the named list elements arrays even when they occur once', () => {
    const body = '<DataRoot><Result><Code>0</Code><Message/></Result><ApplData><ApplyList><Apply><ArriveID>1</ArriveID></Apply></ApplyList></ApplData></DataRoot>';
    const withList = parseEgovDocument(body, { arrayElements: ['Apply'] });
    assert.deepEqual(requiredChild(withList.applData!, 'ApplyList'), { Apply: [{ ArriveID: '1' }] });
    // childList reads a single entry as a list either way
    assert.equal(childList(requiredChild(parseEgovDocument(body).applData!, 'ApplyList'), 'Apply').length, 1);
  });
});

void describe('parseEgovDocument: malformed, hostile and truncated bodies', () => {
  void it('refuses bodies that are not XML', () => {
    malformed(() => parseEgovDocument(''), /empty/);
    malformed(() => parseEgovDocument('   \r\n\t '), /empty/);
    malformed(() => parseEgovDocument('Service Unavailable'), /not well-formed/);
    malformed(() => parseEgovDocument('{"result":"ok"}'), /not well-formed/);
    malformed(() => parseEgovDocument(Buffer.from([0x00, 0x01, 0x02, 0xff])), /UTF-8/);
  });

  void it('refuses an HTML error page (well-formed or not)', () => {
    malformed(() => parseEgovDocument('<html><body><h1>502 Bad Gateway</h1></body></html>'), /root element is html/);
    malformed(() => parseEgovDocument('<!DOCTYPE html><html><body><p>error<br></body></html>'), /DOCTYPE/);
  });

  void it('refuses every truncation of a real body', () => {
    for (let cut = 1; cut < LF_BODY.length - 1; cut += 7) {
      const truncated = LF_BODY.slice(0, cut);
      // a cut inside the trailing newline still leaves a complete document
      if (truncated.trimEnd().endsWith('</DataRoot>')) continue;
      malformed(() => parseEgovDocument(truncated));
    }
  });

  void it('refuses a document without Result, without Code, or with an unknown Code', () => {
    malformed(() => parseEgovDocument('<DataRoot><ApplData><UserID>x</UserID></ApplData></DataRoot>'), /no Result/);
    malformed(() => parseEgovDocument('<DataRoot><Result><Message>x</Message></Result></DataRoot>'), /no Result\/Code/);
    for (const code of ['2', '-1', '00', 'OK', '', '0 1']) {
      malformed(() => parseEgovDocument(`<DataRoot><Result><Code>${code}</Code><Message></Message></Result></DataRoot>`), /Result\/Code/);
    }
    malformed(() => parseEgovDocument('<DataRoot><Result>0</Result></DataRoot>'), /Result is not a single element/);
    malformed(() => parseEgovDocument('<DataRoot><Result><Code>0</Code></Result><Result><Code>1</Code></Result></DataRoot>'), /Result is not a single element/);
    malformed(() => parseEgovDocument('<DataRoot><Result><Code>0</Code><Code>1</Code></Result></DataRoot>'), /more than once/);
    malformed(() => parseEgovDocument('<DataRoot><Result><Code><X>0</X></Code></Result></DataRoot>'), /child elements/);
  });

  void it('refuses two roots, a wrong root, and a repeated ApplData', () => {
    malformed(() => parseEgovDocument(LF_BODY + '<DataRoot/>'), /root/);
    malformed(() => parseEgovDocument(LF_BODY + '<Other/>'), /root/);
    malformed(() => parseEgovDocument('<Root><Result><Code>0</Code></Result></Root>'), /root element is Root/);
    malformed(() => parseEgovDocument('<DataRoot><Result><Code>0</Code></Result><ApplData/><ApplData/></DataRoot>'), /more than one ApplData/);
  });

  void it('refuses any DTD: external entities, billion laughs, quadratic blowup', () => {
    malformed(() => parseEgovDocument('<?xml version="1.0"?><!DOCTYPE DataRoot [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><DataRoot><Result><Code>0</Code><Message>&xxe;</Message></Result></DataRoot>'), /DOCTYPE/);
    const lol = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('');
    malformed(() => parseEgovDocument(`<!DOCTYPE DataRoot [${lol}]><DataRoot><Result><Code>0</Code><Message>&lol9;</Message></Result></DataRoot>`), /DOCTYPE/);
    const big = 'x'.repeat(9000);
    malformed(() => parseEgovDocument(`<!DOCTYPE DataRoot [<!ENTITY a "${big}">]><DataRoot><Result><Code>0</Code><Message>${'&a;'.repeat(50_000)}</Message></Result></DataRoot>`), /DOCTYPE/);
  });

  void it('refuses element names that would pollute prototypes', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      malformed(() => parseEgovDocument(`<DataRoot><Result><Code>0</Code></Result><ApplData><${name}>x</${name}></ApplData></DataRoot>`));
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  void it('refuses declared encodings other than UTF-8 and bytes that are not UTF-8', () => {
    malformed(() => parseEgovDocument('<?xml version="1.0" encoding="Shift_JIS"?><DataRoot><Result><Code>0</Code></Result></DataRoot>'), /Shift_JIS/);
    const sjis = Buffer.concat([Buffer.from('<DataRoot><Result><Code>1</Code><Message>'), Buffer.from([0x83, 0x47, 0x83, 0x89]), Buffer.from('</Message></Result></DataRoot>')]);
    malformed(() => parseEgovDocument(sjis), /UTF-8/);
  });

  void it('refuses absurd nesting without exhausting the stack', () => {
    const depth = 50_000;
    const deep = `<DataRoot><Result><Code>0</Code></Result><ApplData>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</ApplData></DataRoot>`;
    malformed(() => parseEgovDocument(deep), /parser rejected/);
  });

  void it('reads a large but legitimate body (a 4 MB base64 FileData, taken verbatim)', () => {
    const b64 = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
    const wrapped = b64.replace(/.{76}/g, '$&\r\n');
    const doc = parseEgovDocument(`<DataRoot><Result><Code>0</Code><Message></Message></Result><ApplData><FileData>${wrapped}</FileData></ApplData></DataRoot>`);
    // XML end-of-line handling turns CRLF into LF; nothing else changes
    assert.equal(requiredText(doc.applData!, 'FileData'), wrapped.replace(/\r\n/g, '\n'));
  });

  void it('still checks the markup inside a verbatim element', () => {
    malformed(() => parseEgovDocument('<DataRoot><Result><Code>0</Code></Result><ApplData><FileData>AB<x>CD</FileData></ApplData></DataRoot>'), /not well-formed/);
  });
});

void describe('text accessors', () => {
  const applData = parseEgovDocument(
    '<DataRoot><Result><Code>0</Code></Result><ApplData><A>x</A><Empty></Empty><SelfClosed/><Attr Name="n">t</Attr><Twice>1</Twice><Twice>2</Twice><Nested><B>1</B></Nested><Mixed>t<B>1</B></Mixed></ApplData></DataRoot>',
  ).applData!;

  void it('reads text, empty elements and text with attributes', () => {
    assert.equal(requiredText(applData, 'A'), 'x');
    assert.equal(requiredText(applData, 'Empty'), '');
    assert.equal(requiredText(applData, 'SelfClosed'), '');
    assert.equal(requiredText(applData, 'Attr'), 't');
    assert.equal(optionalText(applData, 'Missing'), undefined);
  });

  void it('refuses missing, repeated and structured elements where text is expected', () => {
    malformed(() => requiredText(applData, 'Missing'), /missing element Missing/);
    malformed(() => requiredText(applData, 'Twice'), /more than once/);
    malformed(() => requiredText(applData, 'Nested'), /child elements/);
    malformed(() => requiredText(applData, 'Mixed'), /child elements/);
    malformed(() => requiredChild(applData, 'A'), /found text/);
    // names inherited from Object.prototype are not elements
    assert.equal(optionalText(applData, 'toString'), undefined);
    assert.equal(optionalText(applData, 'hasOwnProperty'), undefined);
  });
});

void describe('parseXmlDocument', () => {
  void it('names the root and returns its content', () => {
    assert.deepEqual(parseXmlDocument('<R><a>1</a></R>'), { rootName: 'R', root: { a: '1' } });
  });
});

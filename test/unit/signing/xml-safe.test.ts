import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SigningError, type SigningErrorCode } from '../../../src/main/signing/errors.js';
import { DEFAULT_MAX_XML_BYTES, parseXmlSafely } from '../../../src/main/signing/xml/index.js';

function rejectsWith(input: string | Buffer, code: SigningErrorCode, opts?: { maxBytes?: number }): SigningError {
  let caught: unknown;
  try {
    parseXmlSafely(input, opts);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof SigningError, `expected SigningError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.messageJa, /[ぁ-んァ-ン一-龯]/, 'a Japanese message for the user');
  return caught;
}

void describe('parseXmlSafely', () => {
  void it('parses plain XML, strips a UTF-8 BOM, normalises CRLF but keeps U+2028 (XML 1.0)', () => {
    const doc = parseXmlSafely(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a x="1">あ\r\nい\u2028う</a>')]));
    assert.equal(doc.documentElement!.nodeName, 'a');
    assert.equal(doc.documentElement!.textContent, 'あ\nい\u2028う');
    assert.equal(parseXmlSafely('<?xml version="1.0" encoding="utf-8"?><b/>').documentElement!.nodeName, 'b');
  });

  void describe('refuses DOCTYPE and entities', () => {
    const cases: Record<string, string> = {
      'internal entity': '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
      'billion laughs': `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><lolz>&lol9;</lolz>`,
      'external entity (XXE)': '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
      'parameter entity': '<!DOCTYPE a [<!ENTITY % p SYSTEM "http://127.0.0.1/evil.dtd"> %p;]><a/>',
      'external DTD': '<!DOCTYPE a SYSTEM "http://127.0.0.1/a.dtd"><a/>',
      'DOCTYPE after a comment and PI': '<?xml version="1.0"?><!-- c --><?pi x?>\n<!DOCTYPE a><a/>',
    };
    for (const [name, xml] of Object.entries(cases)) {
      void it(name, () => {
        rejectsWith(xml, 'XML_DOCTYPE');
      });
    }
    void it('a DOCTYPE after the root element is malformed', () => {
      rejectsWith('<a/><!DOCTYPE a>', 'XML_MALFORMED');
    });
  });

  void describe('refuses malformed and truncated input', () => {
    const cases: Record<string, string | Buffer> = {
      empty: '',
      'only whitespace': '  \n',
      'plain text': 'hello',
      truncated: '<DataRoot><ApplData Id="ApplData"><UserID>1</UserID>',
      'truncated inside a tag': '<DataRoot><ApplData Id="Appl',
      'mismatched tags': '<a><b></a></b>',
      'two roots': '<a/><b/>',
      'text after the root': '<a/>junk',
      'unquoted attribute': '<a x=1/>',
      'duplicate attribute': '<a x="1" x="2"/>',
      'undefined entity': '<a>&nbsp;</a>',
      'bare ampersand': '<a>AT&T</a>',
      'bare <': '<a>x < y</a>',
      'unbound prefix': '<p:a/>',
      'NUL by character reference': '<a>&#0;</a>',
      'control character': '<a>\u0001</a>',
      'control character in an attribute reference': '<a x="&#x1B;"/>',
      'lone surrogate': '<a>\uD800</a>',
      'late XML declaration': ' <?xml version="1.0"?><a/>',
      'declared Shift_JIS': '<?xml version="1.0" encoding="Shift_JIS"?><a/>',
      'XML 1.1': '<?xml version="1.1"?><a/>',
      'invalid UTF-8': Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]),
      'UTF-8 cut inside a character': Buffer.from('<a>あ</a>', 'utf8').subarray(0, 5),
      'UTF-16 with BOM': Buffer.from('\uFEFF<a/>', 'utf16le'),
      'overlong UTF-8': Buffer.from([0x3c, 0x61, 0x3e, 0xc0, 0xbc, 0x3c, 0x2f, 0x61, 0x3e]),
    };
    for (const [name, xml] of Object.entries(cases)) {
      void it(name, () => {
        rejectsWith(xml, 'XML_MALFORMED');
      });
    }
    void it('nesting deeper than the limit (canonicalisation recurses per level)', () => {
      assert.match(rejectsWith(`${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`, 'XML_MALFORMED').messageJa, /入れ子/);
      assert.ok(parseXmlSafely(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`).documentElement);
    });
    void it('says when the document stops early', () => {
      assert.match(rejectsWith('<a><b>x</b>', 'XML_MALFORMED').messageJa, /途中で終わっています/);
    });
  });

  void describe('size limit', () => {
    void it('refuses a Buffer over the default limit before decoding it', () => {
      const big = Buffer.alloc(DEFAULT_MAX_XML_BYTES + 1, 0x20);
      rejectsWith(big, 'XML_TOO_LARGE');
    });
    void it('counts a string in UTF-8 bytes', () => {
      const xml = `<a>${'あ'.repeat(40)}</a>`; // 127 bytes, 47 UTF-16 units
      rejectsWith(xml, 'XML_TOO_LARGE', { maxBytes: 100 });
      assert.equal(parseXmlSafely(xml, { maxBytes: 127 }).documentElement!.nodeName, 'a');
    });
  });
});

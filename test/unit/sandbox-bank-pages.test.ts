// Unit (Node): the pieces of the sandbox's bank-site hand-off and stand-in bank: values escaped into the
// HTML, the CSP naming only the bank's origin (or none for a Url that has none), the form reader that
// takes exactly the fields it is told.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, handOffPage, japaneseDate, yen } from '../../src/sandbox/payments/html-page.js';
import { exactForm } from '../../src/sandbox/payments/stand-in-bank.js';

void describe('sandbox bank pages', () => {
  void it('escapes hostile values in the action and the fields', () => {
    const p = handOffPage('https://bank.example/"><script>x()</script>', [['a"b', '<v>&']]);
    assert.ok(p.body.includes('action="https://bank.example/&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"'));
    assert.ok(p.body.includes('<input type="hidden" name="a&quot;b" value="&lt;v&gt;&amp;">'));
    assert.equal(p.body.match(/<script>/g)!.length, 1);
    assert.match(p.csp, /form-action https:\/\/bank\.example;/);
    assert.equal(escapeHtml(`'&`), '&#39;&amp;');
  });

  void it('a Url without a plain origin gets form-action none', () => {
    for (const url of ['not a url', 'javascript:alert(1)', 'data:text/html,x']) assert.match(handOffPage(url, []).csp, /form-action 'none';/, url);
  });

  void it('formats dates and amounts, leaving anything else as it is', () => {
    assert.equal(japaneseDate('20150331'), '2015年03月31日');
    assert.equal(japaneseDate('2015-03'), '2015-03');
    assert.equal(yen('1234567'), '1,234,567 円');
    assert.equal(yen('12a'), '12a');
  });

  void it('exactForm: exactly the names, each once; invalid UTF-8 refused', () => {
    assert.deepEqual(exactForm(Buffer.from('a=1&b=%E3%81%82'), ['a', 'b']), { a: '1', b: 'あ' });
    assert.equal(exactForm(Buffer.from('a=1'), ['a', 'b']), null);
    assert.equal(exactForm(Buffer.from('a=1&b=2&c=3'), ['a', 'b']), null);
    assert.equal(exactForm(Buffer.from('a=1&a=2'), ['a']), null);
    assert.equal(exactForm(Buffer.from('a=%FF'), ['a']), null);
    assert.equal(exactForm(Buffer.from([0x61, 0x3d, 0xff]), ['a']), null);
    assert.equal(exactForm(Buffer.alloc(0), ['a']), null);
  });
});

// The cache around @xmldom/xmldom's regexp builder (src/main/signing/xml/xmldom-regexp-cache.ts):
// installed once safe-xml is loaded, the same RegExp for the same arguments, and parsing unchanged.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { parseXmlText } from '../../src/main/signing/xml/safe-xml.js';
import { xmldomRegexpCacheInstalled } from '../../src/main/signing/xml/xmldom-regexp-cache.js';

const grammar = createRequire(import.meta.url)('@xmldom/xmldom/lib/grammar.js') as { reg: (...parts: Array<RegExp | string>) => RegExp; QName_group: RegExp; S_OPT: RegExp };

void describe('xmldom regexp cache', () => {
  void it('is installed on the module the parser uses', () => {
    assert.equal(xmldomRegexpCacheInstalled(), true);
  });

  void it('gives the same regexp for the same arguments, and one that matches as the original would', () => {
    const a = grammar.reg('^', grammar.QName_group, grammar.S_OPT, '$');
    const b = grammar.reg('^', grammar.QName_group, grammar.S_OPT, '$');
    assert.equal(a, b);
    assert.ok(a.test('申請書'));
    assert.ok(a.test('ns:name  '));
    assert.ok(!a.test('1bad'));
    assert.notEqual(grammar.reg('^', grammar.QName_group), a, 'other arguments, another regexp');
  });

  void it('parsing is unchanged: end tags checked, bad ones refused', () => {
    const doc = parseXmlText('<?xml version="1.0" encoding="UTF-8"?><DataRoot><様式ID>1</様式ID><a:b xmlns:a="urn:x">x</a:b ></DataRoot>');
    assert.equal(doc.documentElement?.childNodes.length, 2);
    assert.throws(() => parseXmlText('<DataRoot><a>x</a b></DataRoot>'));
    assert.throws(() => parseXmlText('<DataRoot><a>x</1a></DataRoot>'));
  });
});

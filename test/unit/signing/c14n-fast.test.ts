import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { C14nCanonicalization } from 'xml-crypto';
import { fastCanonicalize, isFastName } from '../../../src/main/signing/c14n-fast.js';
import { egovDir } from '../../support/paths.js';

const TARGET = ['DataRoot', '構成情報'];

/** The reference: xml-crypto's inclusive C14N over an xmldom tree. */
function domCanonical(xml: string, path: string[] = TARGET): string {
  // xmldom does not skip a byte order mark in a string; the product's parser strips it the same way.
  const doc = new DOMParser().parseFromString(xml.replace(/^\uFEFF/, ''), 'text/xml');
  let el: XmlElement | null = doc.documentElement;
  for (const name of path.slice(1)) {
    el = Array.from(el?.childNodes ?? []).find((n): n is XmlElement => n.nodeType === 1 && (n as XmlElement).nodeName === name) ?? null;
  }
  assert.ok(el, `no ${path.join('/')}`);
  return new C14nCanonicalization().process(el as unknown as Node, { ancestorNamespaces: [] }) as string;
}

function kouseiFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : n === 'kousei.xml' || n.endsWith('_kousei.xml') ? [p] : [];
    });
  return [...walk(join(egovDir, 'recorded')), ...walk(join(egovDir, 'samples'))];
}

const wrap = (inner: string, rootAttrs = '') => `<?xml version="1.0" encoding="UTF-8"?>\n<DataRoot${rootAttrs}>\n<様式ID>1</様式ID>${inner}<署名情報/></DataRoot>\n`;

describe('fast C14N of 構成情報', () => {
  it('equals xml-crypto on every recorded and sample kousei.xml', () => {
    const files = kouseiFiles();
    assert.ok(files.length >= 10, `found only ${files.length} kousei files`);
    for (const file of files) {
      const bytes = readFileSync(file);
      const fast = fastCanonicalize(bytes, { canonicalize: TARGET });
      assert.ok(fast, `fast path declined ${file}`);
      assert.equal(fast.canonical.toString('utf8'), domCanonical(bytes.toString('utf8')), file);
    }
  });

  const variants: Record<string, string> = {
    'CRLF and lone CR in text': wrap('<構成情報 ID="構成情報">\r\n\t<a>x\r\ny\rz</a>\r\n</構成情報>'),
    'predefined and character references': wrap('<構成情報 ID="構成情報"><a>&lt;&amp;&gt;&quot;&apos;&#x3042;&#12354;&#13;&#x9;</a></構成情報>'),
    'attribute order, quotes and white space': wrap(`<構成情報 ID="構成情報"><a z='1"' b="x\ty\nz" m = "&#xA;&#9;&lt;&amp;" ></a></構成情報>`),
    'empty elements': wrap('<構成情報 ID="構成情報"><a/><b /><c></c><d x="1"/></構成情報>'),
    'CDATA and comments inside': wrap('<構成情報 ID="構成情報"><a><![CDATA[<b>&amp;\r\n]]></a><!-- note --><b>t<!--x-->u</b></構成情報>'),
    'greater-than in text': wrap('<構成情報 ID="構成情報"><a>a > b</a></構成情報>'),
    'byte order mark and comments before the root': `\uFEFF<?xml version="1.0"?><!-- c --><?xml-stylesheet href="a.xsl" type="text/xsl"?>${wrap('<構成情報 ID="構成情報"><x>1</x></構成情報>').replace(/^<\?xml[^>]*>/, '')}`,
    'namespaced Signature in a sibling': `<DataRoot><構成情報 ID="構成情報"><a>1</a></構成情報><署名情報><Signature xmlns="http://www.w3.org/2000/09/xmldsig#" Id="1"><SignedInfo/></Signature></署名情報></DataRoot>`,
  };
  for (const [name, xml] of Object.entries(variants)) {
    it(`equals xml-crypto: ${name}`, () => {
      const fast = fastCanonicalize(Buffer.from(xml), { canonicalize: TARGET });
      assert.ok(fast, 'fast path declined');
      assert.equal(fast.canonical.toString('utf8'), domCanonical(xml));
    });
  }

  const declined: Record<string, string> = {
    'a default namespace on the root': wrap('<構成情報 ID="構成情報"/>', ' xmlns="urn:x"'),
    'xml:lang on the root (inherited by C14N)': wrap('<構成情報 ID="構成情報"/>', ' xml:lang="ja"'),
    'a prefixed element inside': wrap('<構成情報 ID="構成情報"><p:a xmlns:p="urn:p"/></構成情報>'),
    DOCTYPE: '<!DOCTYPE DataRoot [<!ENTITY e "x">]><DataRoot><構成情報 ID="構成情報">&e;</構成情報></DataRoot>',
    'an undeclared entity': wrap('<構成情報 ID="構成情報">&nbsp;</構成情報>'),
    'a processing instruction inside': wrap('<構成情報 ID="構成情報"><?pi x?></構成情報>'),
    'mismatched tags': wrap('<構成情報 ID="構成情報"><a></b></構成情報>'),
    truncated: wrap('<構成情報 ID="構成情報"><a>').slice(0, 80),
    'duplicate IDs (signature wrapping)': wrap('<構成情報 ID="構成情報"><a ID="構成情報"/></構成情報>'),
    'a duplicate attribute': wrap('<構成情報 ID="構成情報"><a x="1" x="2"/></構成情報>'),
    'two root elements': `${wrap('<構成情報 ID="構成情報"/>')}<DataRoot/>`,
    'text after the root': `${wrap('<構成情報 ID="構成情報"/>')}junk`,
    'a control character': wrap('<構成情報 ID="構成情報">\u0001</構成情報>'),
    'a bare ampersand': wrap('<構成情報 ID="構成情報">a & b</構成情報>'),
    'a non-UTF-8 encoding declaration': wrap('<構成情報 ID="構成情報"/>').replace('UTF-8', 'Shift_JIS'),
    'no 構成情報 at all': wrap('<その他/>'),
    'an astral character in a name': wrap('<構成情報 ID="構成情報"><a\u{20000}/></構成情報>'),
    'an ideographic space in a name': wrap('<構成情報 ID="構成情報"><a\u3000b/></構成情報>'),
  };
  for (const [name, xml] of Object.entries(declined)) {
    it(`declines ${name}`, () => {
      assert.equal(fastCanonicalize(Buffer.from(xml, 'utf8'), { canonicalize: TARGET }), null);
    });
  }

  it('collects texts and reports source ranges of root children', () => {
    const xml = wrap('<構成情報 ID="構成情報"><申請書属性情報><申請書ファイル名称>a&amp;.xml</申請書ファイル名称></申請書属性情報><申請書属性情報><申請書ファイル名称>b.xml</申請書ファイル名称></申請書属性情報></構成情報>');
    const bytes = Buffer.from(xml);
    const r = fastCanonicalize(bytes, {
      canonicalize: TARGET,
      collect: [['DataRoot', '構成情報', '申請書属性情報', '申請書ファイル名称']],
      ranges: ['構成情報', '署名情報'],
    });
    assert.ok(r);
    assert.deepEqual(r.collected, [['a&.xml', 'b.xml']]);
    const k = r.ranges.get('構成情報');
    assert.ok(k);
    const kouseiJoho = bytes.subarray(k.start, k.end).toString('utf8');
    assert.ok(kouseiJoho.startsWith('<構成情報 ID="構成情報">'));
    assert.ok(kouseiJoho.endsWith('</構成情報>'));
    const sig = r.ranges.get('署名情報');
    assert.ok(sig);
    assert.equal(bytes.subarray(sig.start, sig.end).toString('utf8'), '<署名情報/>');
  });

  it('checks non-ASCII name characters exactly as XML 1.0 (fifth edition) for every BMP character', () => {
    // The spec's classes, written out independently of the byte-level rules under test.
    const start: [number, number][] = [[0xc0, 0xd6], [0xd8, 0xf6], [0xf8, 0x2ff], [0x370, 0x37d], [0x37f, 0x1fff], [0x200c, 0x200d], [0x2070, 0x218f], [0x2c00, 0x2fef], [0x3001, 0xd7ff], [0xf900, 0xfdcf], [0xfdf0, 0xfffd]];
    const extra: [number, number][] = [[0xb7, 0xb7], [0x300, 0x36f], [0x203f, 0x2040]];
    const within = (ranges: [number, number][], cp: number) => ranges.some(([a, b]) => cp >= a && cp <= b);
    const wrong: string[] = [];
    for (let cp = 0x80; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCharCode(cp);
      if (isFastName(ch) !== within(start, cp)) wrong.push(`start U+${cp.toString(16)}`);
      if (isFastName(`a${ch}`) !== (within(start, cp) || within(extra, cp))) wrong.push(`char U+${cp.toString(16)}`);
    }
    assert.deepEqual(wrong.slice(0, 20), []);
    assert.equal(isFastName('申請書ファイル名称'), true);
    assert.equal(isFastName('a\u{20000}'), false); // astral: left to the DOM path
  });

  it('declines invalid UTF-8 and U+FFFE', () => {
    const ok = Buffer.from(wrap('<構成情報 ID="構成情報">x</構成情報>'));
    assert.ok(fastCanonicalize(ok, { canonicalize: TARGET }));
    const broken = Buffer.concat([ok.subarray(0, 60), Buffer.from([0xe6, 0xa7]), ok.subarray(60)]);
    assert.equal(fastCanonicalize(broken, { canonicalize: TARGET }), null);
    assert.equal(fastCanonicalize(Buffer.from(wrap('<構成情報 ID="構成情報">\uFFFE</構成情報>')), { canonicalize: TARGET }), null);
  });
});

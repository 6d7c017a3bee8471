// The sanitiser and the style filter on their own (src/main/documents/render/sanitize.ts,
// style-attribute.ts): pure functions over a DOM-like tree, fed here by xmldom and by hand-built
// trees shaped like xslt-processor's (attributes as child nodes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { sanitiseTree, type TreeNode } from '../../src/main/documents/render/sanitize.js';
import { filterStyle } from '../../src/main/documents/render/style-attribute.js';

const fromXhtml = (xml: string) => sanitiseTree(new DOMParser().parseFromString(xml, 'text/xml') as unknown as TreeNode);

/** A tree the way xslt-processor builds it: attributes are child nodes of type 2. */
function el(name: string, attrs: Record<string, string>, ...kids: TreeNode[]): TreeNode {
  const attributes = Object.entries(attrs).map(([n, v]) => ({ nodeType: 2, nodeName: n, nodeValue: v, childNodes: [] }));
  return { nodeType: 1, nodeName: name, nodeValue: null, childNodes: [...attributes, ...kids] };
}
const text = (t: string): TreeNode => ({ nodeType: 3, nodeName: '#text', nodeValue: t, childNodes: [] });

void describe('sanitiseTree', () => {
  void it('writes empty non-void elements as open and close tags, void ones as HTML void tags', () => {
    const r = sanitiseTree(el('P', {}, el('P', {}), el('br', {}), el('TD', {}), el('HR', {})));
    assert.equal(r.body, '<p><p></p><br><td></td><hr></p>');
  });

  void it('reads attributes given as child nodes and keeps only the allowed ones, validated', () => {
    const r = sanitiseTree(el('TABLE', { border: '0', width: '580', ALIGN: 'CENTER', BGCOLOR: '#FFFBF0', onmouseover: 'x()', id: 'a', width2: '1' }, el('TR', {}, el('TD', { colspan: '2; x', nowrap: '' }, text('セル')))));
    assert.equal(r.body, '<table border="0" width="580" align="center" bgcolor="#FFFBF0"><tr><td nowrap="nowrap">セル</td></tr></table>');
    assert.equal(r.removed, 1, 'the event handler is counted; id and the bad colspan are merely left out');
  });

  void it('escapes text and attribute values', () => {
    const r = sanitiseTree(el('p', { title: '"><script>x</script>' }, text('<b>&amp;</b>')));
    assert.equal(r.body, '<p title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">&lt;b&gt;&amp;amp;&lt;/b&gt;</p>');
  });

  void it('unwraps html, body, links and unknown elements, keeping their text', () => {
    const r = fromXhtml('<HTML><BODY><a href="https://example.jp/">リンク</a><DOCNO>番号</DOCNO><x:y xmlns:x="urn:x">名前空間</x:y></BODY></HTML>');
    assert.equal(r.body, 'リンク番号名前空間');
    assert.equal(r.removed, 1);
  });

  void it('drops scripts, styles, frames, plug-ins, forms fields, svg and math with their content, whatever their case or prefix', () => {
    const r = fromXhtml(
      '<div xmlns:h="http://www.w3.org/1999/xhtml"><SCRIPT>a()</SCRIPT><h:script>b()</h:script><style>p{}</style><IFRAME/><object/><embed/><applet/>' +
        '<input/><textarea>t</textarea><select><option>o</option></select><svg><text>s</text></svg><math><mi>m</mi></math><noscript>n</noscript><template>t</template>' +
        '<meta http-equiv="refresh" content="0"/><base href="x"/><link href="x"/>残る</div>',
    );
    assert.equal(r.body, '<div>残る</div>');
    assert.equal(r.removed, 17);
  });

  void it('shows only embedded PNG, JPEG and GIF images', () => {
    const ok = 'data:image/png;base64,iVBORw0KGgo=';
    assert.equal(sanitiseTree(el('img', { src: ok, alt: '印' })).body, `<img src="${ok}" alt="印">`);
    for (const src of ['http://127.0.0.1/i.png', '//example.jp/i.png', 'data:image/svg+xml;base64,PHN2Zz4=', 'data:text/html,<b>', 'javascript:1', 'i.png', '']) {
      assert.equal(sanitiseTree(el('img', { src })).body, '', src);
    }
    assert.equal(sanitiseTree(el('img', { alt: 'src なし' })).body, '');
  });

  void it('takes the first title, from the head or anywhere, and shows nothing else of the head', () => {
    const r = fromXhtml('<HTML><HEAD><TITLE> タイトル：\n テスト </TITLE><meta http-equiv="Content-Type" content="text/html"/><style>x</style></HEAD><BODY><title>二つ目</title>本文</BODY></HTML>');
    assert.equal(r.title, 'タイトル： テスト');
    assert.equal(r.body, '本文');
    assert.equal(r.removed, 1, 'the style is counted; libxslt own Content-Type meta is not');
  });

  void it('leaves out comments and processing instructions', () => {
    assert.equal(fromXhtml('<p><!-- <script>x</script> --><?php echo 1 ?>文</p>').body, '<p>文</p>');
  });

  void it('walks a tree a hundred thousand levels deep without exhausting the stack', () => {
    let node: TreeNode = text('底');
    for (let i = 0; i < 100_000; i++) node = el(i % 2 ? 'div' : 'unknown', {}, node);
    const r = sanitiseTree(node);
    assert.ok(r.body.includes('底'));
    assert.equal(r.body.split('<div>').length - 1, 50_000);
  });
});

void describe('filterStyle', () => {
  void it('keeps layout and type declarations', () => {
    assert.deepEqual(filterStyle('COLOR: red; text-align:center;font-family: "Yu Gothic", serif; border: 1px solid rgb(0, 0, 0)'), {
      kept: 'color: red; text-align: center; font-family: "Yu Gothic", serif; border: 1px solid rgb(0, 0, 0)',
      risky: 0,
    });
  });

  void it('drops what could load, run or escape, and counts it', () => {
    for (const style of ['background: url(http://x/)', 'color: expression(alert(1))', 'width: calc(1px + attr(x))', 'list-style-image: image-set("x" 1x)']) {
      assert.deepEqual(filterStyle(style), { kept: null, risky: 1 }, style);
    }
    for (const style of ['color: red; @import "x"', 'color: \\72 ed', 'color: red /* */', 'x{} body{color:red}', 'color: <b>']) {
      assert.deepEqual(filterStyle(style), { kept: null, risky: 1 }, style);
    }
    assert.deepEqual(filterStyle('position: fixed; top: 0; color: blue'), { kept: 'color: blue', risky: 0 }, 'an unlisted property is left out without alarm');
    assert.deepEqual(filterStyle('a'.repeat(3000)), { kept: null, risky: 1 });
  });
});

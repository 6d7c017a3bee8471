// Rendering notices (src/main/documents/render): the recorded e-Gov notices render with the
// stylesheet they should and show their text, the same as xsltproc shows them; the stylesheet choice,
// the built-in layout and the refusal of bad XML, each on its own.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { builtinLayout } from '../../src/main/documents/render/builtin-layout.js';
import { RenderError, type RenderErrorCode } from '../../src/main/documents/render/errors.js';
import { renderNotice, stopRenderWorkers } from '../../src/main/documents/render/render-notice.js';
import { sanitiseTree, type TreeNode } from '../../src/main/documents/render/sanitize.js';
import { chooseStylesheet, findEntry, stylesheetHints } from '../../src/main/documents/render/stylesheet-choice.js';
import { parseXmlText } from '../../src/main/signing/xml/safe-xml.js';
import { noticeFiles, recordedNotices, type RecordedNotice } from '../support/notice-files.js';

after(() => stopRenderWorkers());

async function rejectsWith(p: Promise<unknown>, code: RenderErrorCode): Promise<RenderError> {
  let caught: unknown;
  await assert.rejects(p, (e: unknown) => {
    caught = e;
    return true;
  });
  assert.ok(caught instanceof RenderError, `expected RenderError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.messageJa, /[ぁ-んァ-ン]/);
  return caught;
}

const bodyOf = (html: string): string => {
  const m = /<body>([\s\S]*)<\/body>/.exec(html);
  assert.ok(m, 'the page has a body');
  return m[1]!;
};

/** Whitespace is not what differs between two XSLT processors' HTML: runs between tags go, others become one space. */
const normalise = (html: string): string => html.replace(/>\s+</g, '><').replace(/\s+/g, ' ').replace(/>\s+|\s+</g, (m) => m.trim()).trim();

function xsltproc(n: RecordedNotice): string {
  return execFileSync('/usr/bin/xsltproc', ['--nonet', '--nowrite', join(n.dir, n.xslName!), join(n.dir, n.xmlName)], { encoding: 'utf8' });
}

const byLabel = (prefix: string): RecordedNotice => recordedNotices.find((n) => n.label.startsWith(prefix))!;

void describe('renderNotice on the recorded notices', () => {
  const expected: Record<string, { source: string; name?: string; title: string; texts: string[] }> = {
    '公文書 0000-API-001': {
      source: 'zip',
      name: 'スタイルシート1.xsl',
      title: 'タイトル：テスト用公文書',
      texts: ['API-001', '15/02/26', '窓口　一郎　殿', '総務省　行政管理局', 'テスト用の公文書です。', '0000-API-002.xmlにて実施してください。', 'この公文書はテスト環境用のサンプル'],
    },
    補正通知: { source: 'named', name: '999000000000000010.xsl', title: '任意部分補正', texts: ['9002015000243941', '2015年03月09日', 'STテスト部', '補正指示', '修正してくださいね。'] },
    コメント: { source: 'named', name: '999000000000000002.xsl', title: 'コメント（メッセージ）', texts: ['9002015000243928', 'コメント通知をメッセージで送信します'] },
    '公文書 0000-API-002 (C.3)': {
      source: 'builtin',
      title: '模擬認証局官職証明書での署名付与文書',
      texts: ['120806-01', '平成24年8月6日', '総務省行政管理局', '安部', '様', '霞が関ＷＡＮ運用センター', '湯口', 'ＧＰＫＩ模擬認証局発行の官職証明書', '記', '特になし'],
    },
  };
  for (const notice of recordedNotices) {
    void it(`renders ${notice.label} with the expected stylesheet and shows its text`, async () => {
      const want = expected[notice.label]!;
      const r = await renderNotice(noticeFiles(notice));
      assert.equal(r.stylesheet.source, want.source);
      assert.equal(r.stylesheet.name, want.name);
      assert.equal(r.title, want.title);
      const body = bodyOf(r.html);
      for (const text of want.texts) assert.ok(body.includes(text), `shows ${text}`);
      assert.ok(r.html.startsWith('<!DOCTYPE html>'));
      assert.ok(r.html.includes('<meta charset="utf-8">'));
      assert.ok(r.html.includes('"Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif'));
      assert.ok(r.html.includes("default-src 'none'"), 'the page carries its own no-load CSP');
      assert.ok(!/<script/i.test(r.html));
      assert.equal(/<(?!br|hr|img|col|wbr)[a-z][a-z0-9]*\b[^>]*\/>/i.exec(body), null, 'no self-closed non-void element (the <P/> of xslt-processor)');
      assert.ok(!body.includes('MIIE'), 'the signature is not shown as text');
    });
  }

  void it('says why it did not use the stylesheet a document names', async () => {
    const api002 = await renderNotice(noticeFiles(byLabel('公文書 0000-API-002')));
    assert.deepEqual(api002.warnings, ['指定のスタイルシート DEFAULT_STYLE.xsl が見つからないため標準の表示を使いました']);
    const api001 = await renderNotice(noticeFiles(byLabel('公文書 0000-API-001')));
    assert.deepEqual(api001.warnings, ['指定のスタイルシート stylesheet-API-001.xsl が見つからないため、受け取ったファイルの中のスタイルシート スタイルシート1.xsl を使いました']);
    const amend = await renderNotice(noticeFiles(byLabel('補正通知')));
    assert.deepEqual(amend.warnings, [], 'the e-Gov P/LEVEL vocabulary a stylesheet copies through is no removal worth telling');
  });

  for (const notice of recordedNotices.filter((n) => n.xslName !== null)) {
    void it(`gives the same document as xsltproc for ${notice.label}`, async () => {
      const ours = bodyOf((await renderNotice(noticeFiles(notice))).html);
      const theirs = sanitiseTree(new DOMParser().parseFromString(xsltproc(notice), 'text/html') as unknown as TreeNode);
      assert.equal(normalise(ours), normalise(theirs.body));
      assert.ok(normalise(ours).length > 200, 'a real document, not two empty strings');
    });
  }

  void it('renders the same document the same way twice through the warm worker', async () => {
    const notice = byLabel('補正通知');
    const first = await renderNotice(noticeFiles(notice));
    const second = await renderNotice(noticeFiles(notice));
    assert.equal(second.html, first.html);
  });
});

void describe('choosing the stylesheet', () => {
  const hints = (piHref: string | null, declaredUri: string | null = null) => ({ piHref, declaredUri });

  void it('reads the <?xml-stylesheet?> href and BODY/STYLESHEET/@URI', () => {
    const doc = parseXmlText(readFileSync(join(byLabel('公文書 0000-API-001').dir, '0000-API-001.xml'), 'utf8'));
    assert.deepEqual(stylesheetHints(doc), { piHref: 'stylesheet-API-001.xsl', declaredUri: 'stylesheet-API-001.xsl' });
    assert.deepEqual(stylesheetHints(parseXmlText("<?xml-stylesheet type='text/xsl' href='a b.xsl'?><X/>")), { piHref: 'a b.xsl', declaredUri: null });
    assert.deepEqual(stylesheetHints(parseXmlText('<?xml-stylesheet type="text/xsl"?><X/>')), { piHref: null, declaredUri: null });
  });

  void it('uses the named file when the ZIP holds it, by the same name or the same NFC name', () => {
    assert.deepEqual(chooseStylesheet(hints('s.xsl'), ['a.xml', 's.xsl', 't.xsl'], 'a.xml'), { choice: { source: 'named', name: 's.xsl' }, warnings: [] });
    const nfd = 'デフォルト様式'.normalize('NFD') + '.xsl';
    assert.notEqual(nfd, 'デフォルト様式.xsl');
    assert.deepEqual(chooseStylesheet(hints('デフォルト様式.xsl'), ['a.xml', nfd, 'z.xsl'], 'a.xml').choice, { source: 'named', name: nfd });
  });

  void it('never treats a path, URL or parent reference as a file of the ZIP', () => {
    for (const href of ['sub/s.xsl', 'sub\\s.xsl', 'http://127.0.0.1/s.xsl', 'file:///etc/s.xsl', 'C:s.xsl', '..s.xsl', '', 'a\u0000.xsl']) {
      assert.equal(findEntry(href, [href, 's.xsl']), null, href);
    }
    const r = chooseStylesheet(hints('http://example.jp/s.xsl'), ['a.xml'], 'a.xml');
    assert.equal(r.choice.source, 'builtin');
    assert.deepEqual(r.warnings, ['指定のスタイルシート http://example.jp/s.xsl は受け取ったファイルを指していないため標準の表示を使いました']);
  });

  void it('falls back to the one XSL of the ZIP, then to BODY/STYLESHEET/@URI among several, then the first by name', () => {
    assert.deepEqual(chooseStylesheet(hints(null), ['a.xml', 'only.XSL'], 'a.xml'), { choice: { source: 'zip', name: 'only.XSL' }, warnings: [] });
    assert.deepEqual(chooseStylesheet(hints('gone.xsl', 'b.xsl'), ['a.xml', 'c.xsl', 'b.xsl'], 'a.xml').choice, { source: 'zip', name: 'b.xsl' });
    assert.deepEqual(chooseStylesheet(hints(null, 'gone.xsl'), ['a.xml', 'd.xslt', 'c.xsl'], 'a.xml').choice, { source: 'zip', name: 'c.xsl' });
  });

  void it('never uses the document itself or a non-XSL file as its stylesheet', () => {
    assert.equal(chooseStylesheet(hints('a.xml'), ['a.xml', 'x.pdf'], 'a.xml').choice.source, 'builtin');
    assert.deepEqual(chooseStylesheet(hints(null), ['a.xml', 'x.pdf'], 'a.xml').warnings, ['スタイルシートが添付されていないため標準の表示を使いました']);
  });
});

void describe('the built-in layout', () => {
  const layout = (xml: string) => builtinLayout(parseXmlText(xml));

  void it('lays out number, date, recipient, sender, title and body in a letter order whatever the XML order', () => {
    const { body } = builtinLayout(parseXmlText(readFileSync(join(byLabel('公文書 0000-API-002').dir, '0000-API-002.xml'), 'utf8')));
    const at = (s: string) => body.indexOf(s);
    assert.ok(at('120806-01') < at('総務省行政管理局'), 'number before recipient');
    assert.ok(at('総務省行政管理局') < at('霞が関ＷＡＮ運用センター'), 'recipient before sender (the XML has both after REFERENC)');
    assert.ok(at('霞が関ＷＡＮ運用センター') < at('模擬認証局官職証明書での署名付与文書'), 'sender before title');
    assert.ok(at('class="doc-title"') >= 0 && at('class="doc-to"') >= 0 && at('class="doc-author"') >= 0);
    assert.ok(!body.includes('DEFAULT_STYLE.xsl'), 'STYLESHEET is how to show, not what to show');
  });

  void it('shows elements it does not know as text, never drops them', () => {
    const { body } = layout('<DOC><FRONT><SECRECY>親展</SECRECY></FRONT><BODY><TITLE>題</TITLE><EXTRA><X>追加の情報</X></EXTRA></BODY><NOTE>文書の外の注記</NOTE></DOC>');
    assert.ok(body.includes('追加の情報') && body.includes('EXTRA'));
    assert.ok(body.includes('文書の外の注記'));
    assert.ok(body.includes('親展'));
    const notDoc = layout('<Other><A>ほかの形式</A></Other>');
    assert.ok(notDoc.body.includes('ほかの形式'));
  });

  void it('indents paragraphs by LEVEL and escapes every text', () => {
    const { body, title } = layout(
      '<DOC><BODY><TITLE>&lt;script&gt;alert(1)&lt;/script&gt;</TITLE><MAINTXT><P LEVEL="2">二段下げ</P><P LEVEL="x&quot; onload=&quot;1">"引用"&amp;</P></MAINTXT></BODY></DOC>',
    );
    assert.equal(title, '<script>alert(1)</script>');
    assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!body.includes('<script'));
    assert.ok(body.includes('style="padding-left: 2em"'));
    assert.ok(body.includes('<p>"引用"&amp;</p>'));
    assert.ok(!body.includes('onload'));
  });

  void it('copes with an empty document body and a body a hundred levels deep', () => {
    assert.equal(layout('<DOC><BODY/></DOC>').body, '');
    const deep = '<A>'.repeat(100) + '深い' + '</A>'.repeat(100);
    assert.ok(layout(`<DOC><BODY>${deep}</BODY></DOC>`).body.includes('深い'));
  });
});

void describe('renderNotice refuses XML it cannot trust', () => {
  const files = (xml: string | Uint8Array) => ({ xmlName: 'a.xml', files: new Map([['a.xml', typeof xml === 'string' ? Buffer.from(xml) : xml]]) });

  void it('refuses a DOCTYPE with an external entity in the document', async () => {
    const e = await rejectsWith(renderNotice(files('<?xml version="1.0"?><!DOCTYPE DOC [<!ENTITY x SYSTEM "file:///etc/passwd">]><DOC><BODY>&x;</BODY></DOC>')), 'RENDER_BAD_XML');
    assert.match(e.messageJa, /DOCTYPE/);
  });

  void it('refuses truncated, malformed, empty and non-UTF-8 documents', async () => {
    await rejectsWith(renderNotice(files('<DOC><BODY><TITLE>途中')), 'RENDER_BAD_XML');
    await rejectsWith(renderNotice(files('<DOC><BODY></DOC>')), 'RENDER_BAD_XML');
    await rejectsWith(renderNotice(files('')), 'RENDER_BAD_XML');
    await rejectsWith(renderNotice(files(new Uint8Array([0x3c, 0x44, 0x3e, 0x82, 0xa0, 0x3c, 0x2f, 0x44, 0x3e]))), 'RENDER_BAD_XML');
    await rejectsWith(renderNotice(files('<DOC>&undefined;</DOC>')), 'RENDER_BAD_XML');
  });

  void it('refuses a document over the size limit before parsing it', async () => {
    const huge = `<DOC><BODY><TITLE>${'あ'.repeat(400_000)}</TITLE></BODY></DOC>`;
    await rejectsWith(renderNotice(files(huge), { maxInputBytes: 1024 * 1024 }), 'RENDER_BAD_XML');
  });

  void it('says so when the file to show is not among the files', async () => {
    await rejectsWith(renderNotice({ xmlName: 'gone.xml', files: new Map() }), 'RENDER_MISSING_FILE');
  });
});

// Hostile stylesheets through renderNotice: everything that could run, load or navigate is gone from
// the page; anything that tries to load is refused without a single request reaching the counting
// server; stylesheets that loop, recurse or write without end are cut off with their own code, and
// the next render works (the stopped worker is replaced).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RenderError, type RenderErrorCode } from '../../src/main/documents/render/errors.js';
import { renderNotice, renderWorkersStarted, stopRenderWorkers, type RenderLimits } from '../../src/main/documents/render/render-notice.js';
import { sheet, withStylesheet } from '../support/notice-files.js';

let server: Server;
let requests = 0;
let base = '';

before(async () => {
  server = createServer((_req, res) => {
    requests++;
    res.end('<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"/>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await stopRenderWorkers();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function rejectsWith(p: Promise<unknown>, code: RenderErrorCode): Promise<RenderError> {
  let caught: unknown;
  await assert.rejects(p, (e: unknown) => {
    caught = e;
    return true;
  });
  assert.ok(caught instanceof RenderError, `expected RenderError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.messageJa, /中止|使えない|読み込/);
  return caught;
}

/** After a stylesheet was cut off, an ordinary one renders again. */
async function nextRenderWorks(limits: RenderLimits = {}): Promise<void> {
  const r = await renderNotice(withStylesheet(sheet('<p><xsl:value-of select="/DOC/BODY/TITLE"/></p>')), limits);
  assert.ok(r.html.includes('<p>小さな文書</p>'));
}

const bodyOf = (html: string): string => /<body>([\s\S]*)<\/body>/.exec(html)![1]!;

void describe('hostile stylesheets: what could run or load is removed', () => {
  void it('removes script, event handlers, javascript: links, frames, external images, styles with url(), refresh and base', async () => {
    const hostile = sheet(
      `<html><head><title>題</title><meta http-equiv="refresh" content="0;url=${base}/refresh"/><base href="${base}/"/>` +
        `<link rel="stylesheet" href="${base}/style.css"/><style>body{background:url(${base}/bg)}</style><script>alert(1)</script></head>` +
        `<body onload="alert(1)"><a href="javascript:alert(1)">リンクの文字</a><a href="${base}/page">外部リンク</a>` +
        `<iframe src="${base}/frame"></iframe><object data="${base}/o"></object><embed src="${base}/e"/>` +
        `<img src="${base}/i.png"/><img src="x" srcset="${base}/s.png 2x"/><img src="data:image/svg+xml;base64,PHN2Zz4="/><img src="data:text/html;base64,PGI+"/>` +
        `<p style="background:url(${base}/b); color: red" onclick="alert(1)">色付き</p><p style="width: expression(alert(1))">式</p>` +
        `<form action="${base}/post"><input name="q"/><button formaction="${base}/f">送信</button>フォームの文字</form>` +
        `<svg onload="alert(1)"><script>alert(2)</script><image href="${base}/svg"/></svg><math><mi>x</mi></math>` +
        `<table background="${base}/t"><tr><td>表</td></tr></table><img src="data:image/png;base64,iVBORw0KGgo="/></body></html>`,
    );
    const r = await renderNotice(withStylesheet(hostile));
    const body = bodyOf(r.html);
    assert.equal(r.title, '題');
    for (const bad of ['<script', 'onload', 'onclick', 'javascript:', '<iframe', '<object', '<embed', '<link', '<meta http-equiv="refresh"', '<base', '<form', '<input', '<button', '<svg', '<math', 'url(', 'expression', 'srcset', 'data:image/svg', 'data:text', '127.0.0.1', 'background=']) {
      assert.ok(!body.toLowerCase().includes(bad.toLowerCase()), `body has no ${bad}`);
    }
    assert.ok(!/<script/i.test(r.html) && !r.html.includes('127.0.0.1'), 'nor has the page around it');
    for (const kept of ['リンクの文字', '外部リンク', '色付き', 'フォームの文字', '表']) assert.ok(body.includes(kept), `keeps the text ${kept}`);
    assert.ok(body.includes('<p style="color: red">色付き</p>'), 'a safe declaration survives its unsafe neighbour');
    assert.ok(body.includes('<img src="data:image/png;base64,iVBORw0KGgo=">'), 'an embedded PNG is shown');
    assert.match(r.warnings.join('\n'), /安全のため、スクリプトや外部への参照など \d+ 件を表示から取り除きました/);
    assert.equal(requests, 0);
  });

  void it('refuses a DOCTYPE with an external entity in the stylesheet before running it', async () => {
    const xsl = '<?xml version="1.0"?><!DOCTYPE xsl:stylesheet [<!ENTITY e SYSTEM "' + base + '/entity">]>' + sheet('<p>&e;</p>').replace(/^<\?xml[^>]*\?>/, '');
    const e = await rejectsWith(renderNotice(withStylesheet(xsl)), 'RENDER_BAD_XSL');
    assert.match(e.messageJa, /DOCTYPE/);
    assert.equal(requests, 0);
  });

  void it('refuses malformed and truncated stylesheets and ones the processor cannot run', async () => {
    await rejectsWith(renderNotice(withStylesheet(sheet('<p>').slice(0, 60))), 'RENDER_BAD_XSL');
    await rejectsWith(renderNotice(withStylesheet(sheet('<p><xsl:value-of select="((("/></p>'))), 'RENDER_BAD_XSL');
    await nextRenderWorks();
  });

  void it('refuses a stylesheet over the size limit or not in UTF-8 before running it', async () => {
    const huge = sheet(`<p>${'あ'.repeat(400_000)}</p>`);
    await rejectsWith(renderNotice(withStylesheet(huge), { maxInputBytes: 1024 * 1024 }), 'RENDER_BAD_XSL');
    const [head, tail] = sheet('<p>TEXT</p>').split('TEXT') as [string, string];
    const files = withStylesheet('');
    (files.files as Map<string, Uint8Array>).set('s.xsl', Buffer.concat([Buffer.from(head), Buffer.from([0x82, 0xa0]), Buffer.from(tail)]));
    const e = await rejectsWith(renderNotice(files), 'RENDER_BAD_XSL');
    assert.match(e.messageJa, /UTF-8/);
  });

  void it('stops an expression nested deeper than the worker stack, then renders again', async () => {
    const deep = sheet(`<p><xsl:value-of select="${'('.repeat(20_000)}1${')'.repeat(20_000)}"/></p>`);
    const e = await rejectsWith(renderNotice(withStylesheet(deep)), 'RENDER_TOO_LARGE');
    assert.equal(e.detail?.what, 'depth');
    await nextRenderWorks();
  });

  void it('never lets disable-output-escaping turn text into markup', async () => {
    const doe = sheet(
      '<p><xsl:text disable-output-escaping="yes">&lt;script&gt;alert(1)&lt;/script&gt;</xsl:text>' +
        '<xsl:value-of disable-output-escaping="yes" select="\'&lt;img src=x onerror=alert(1)&gt;\'"/></p>',
    );
    const body = bodyOf((await renderNotice(withStylesheet(doe))).html);
    assert.equal(body, '<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</p>');
  });

  void it('loads nothing for document() of a URL or a file path, and says so', async () => {
    const r = await renderNotice(withStylesheet(sheet(`<p>前<xsl:value-of select="document('${base}/x')"/><xsl:value-of select="document('/etc/passwd')"/><xsl:value-of select="document('file:///etc/hostname')"/>後</p>`)));
    assert.ok(bodyOf(r.html).includes('<p>前後</p>'));
    assert.ok(!r.html.includes('root:'));
    assert.ok(r.warnings.some((w) => w.includes(`${base}/x`) && w.includes('/etc/passwd') && w.includes('読み込んでいません')));
    assert.equal(requests, 0);
  });

  void it('refuses xsl:include and xsl:import of a URL or a file without loading it', async () => {
    for (const top of [`<xsl:include href="${base}/inc.xsl"/>`, `<xsl:import href="${base}/imp.xsl"/>`, '<xsl:include href="/etc/passwd"/>', '<xsl:import href="file:///etc/hostname"/>']) {
      const e = await rejectsWith(renderNotice(withStylesheet(sheet('<p>x</p>', top))), 'RENDER_EXTERNAL_LOAD');
      assert.match(e.messageJa, /何も読み込んでいません/);
    }
    assert.equal(requests, 0);
    await nextRenderWorks();
  });
});

void describe('hostile stylesheets: what never ends is cut off', () => {
  void it('stops a named template that calls itself forever at the time limit, then renders again', async () => {
    const before = renderWorkersStarted();
    const recursion = sheet('<xsl:call-template name="r"/>', '<xsl:template name="r"><b><xsl:call-template name="r"/></b></xsl:template>');
    const e = await rejectsWith(renderNotice(withStylesheet(recursion), { timeoutMs: 1500 }), 'RENDER_TIMEOUT');
    assert.match(e.messageJa, /2 秒以内に終わらなかった/);
    await nextRenderWorks();
    assert.equal(renderWorkersStarted(), before + 1, 'the stopped worker was replaced by one new worker');
  });

  void it('with the fallback asked for, a stylesheet that never ends gives the built-in layout and says why', async () => {
    const recursion = sheet('<xsl:call-template name="r"/>', '<xsl:template name="r"><b><xsl:call-template name="r"/></b></xsl:template>');
    const r = await renderNotice(withStylesheet(recursion), { timeoutMs: 1500 }, { fallbackToBuiltin: true });
    assert.equal(r.stylesheet.source, 'builtin');
    assert.ok(r.warnings.some((w) => w.includes('標準の表示を使いました') && w.includes('秒以内に終わらなかった')), r.warnings.join('\n'));
    assert.doesNotMatch(r.html, /<script/i);
    assert.ok(r.title.length > 0);
    // a document Todoke cannot read is never laid out from a guess, fallback or not
    await rejectsWith(renderNotice({ xmlName: 'x.xml', files: new Map([['x.xml', Buffer.from('<DOC><BODY>')]]) }, {}, { fallbackToBuiltin: true }), 'RENDER_BAD_XML');
  });

  void it('stops an endless loop of nested for-each over every node at the time limit', async () => {
    const all = '<xsl:for-each select="$all">';
    const loop = sheet(`<xsl:variable name="all" select="//node()|//@*|/"/>${all.repeat(8)}<xsl:if test="false()">x</xsl:if>${'</xsl:for-each>'.repeat(8)}`);
    await rejectsWith(renderNotice(withStylesheet(loop), { timeoutMs: 1500 }), 'RENDER_TIMEOUT');
    await nextRenderWorks();
  });

  const nestedWriter = (depth: number, text: string): string => (depth === 0 ? `<p>${text}</p>` : `<xsl:for-each select="//node()">${nestedWriter(depth - 1, text)}</xsl:for-each>`);
  // 8 nodes per level of the small document, 6 levels: 8^6 = 262,144 paragraphs of 1,000 characters
  const gigabyteWriter = sheet(nestedWriter(6, 'あ'.repeat(1000)));

  void it('stops a stylesheet writing hundreds of megabytes at the output limit, as it grows', async () => {
    const e = await rejectsWith(renderNotice(withStylesheet(gigabyteWriter), { maxOutputBytes: 1024 * 1024, timeoutMs: 120_000 }), 'RENDER_TOO_LARGE');
    assert.equal(e.detail?.what, 'output');
    await nextRenderWorks();
  });

  void it('falls back on the worker heap limit when the output limit is set beyond it, and the core host survives', async () => {
    const heapMb = 32;
    const e = await rejectsWith(
      renderNotice(withStylesheet(sheet(nestedWriter(6, 'x'))), { maxOutputBytes: 4 * 1024 ** 3, heapMb, timeoutMs: 600_000 }),
      'RENDER_TOO_LARGE',
    );
    assert.equal(e.detail?.what, 'memory');
    await nextRenderWorks({ heapMb });
  });
});

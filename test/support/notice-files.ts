// Test support (Node). The recorded notices as renderNotice takes them: every file of a recorded
// response-filedata folder, by name, and small hand-made notices around a stylesheet under test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NoticeFiles } from '../../src/main/documents/render/render-notice.js';
import { recordedDir } from './paths.js';

export interface RecordedNotice {
  label: string;
  dir: string;
  xmlName: string;
  /** the file xsltproc should be given (null: the ZIP ships none) */
  xslName: string | null;
}

export const recordedNotices: readonly RecordedNotice[] = [
  { label: '公文書 0000-API-001', dir: join(recordedDir, 'officialdocument', 'response-filedata-1'), xmlName: '0000-API-001.xml', xslName: 'スタイルシート1.xsl' },
  { label: '補正通知', dir: join(recordedDir, 'amend-notices', 'response-filedata-1'), xmlName: 'hoseitsuuchi.xml', xslName: '999000000000000010.xsl' },
  { label: 'コメント', dir: join(recordedDir, 'comment', 'response-filedata-1'), xmlName: 'commenttsuuchi.xml', xslName: '999000000000000002.xsl' },
  { label: '公文書 0000-API-002 (C.3)', dir: join(recordedDir, 'officialdocument-verify', '1', 'response-filedata-1'), xmlName: '0000-API-002.xml', xslName: null },
];

export function noticeFiles(n: RecordedNotice): NoticeFiles {
  return { xmlName: n.xmlName, files: new Map(readdirSync(n.dir).map((f) => [f, new Uint8Array(readFileSync(join(n.dir, f)))])) };
}

/** A DOC notice whose <?xml-stylesheet?> names s.xsl, with `xsl` as s.xsl. */
export function withStylesheet(xsl: string, xml = SMALL_DOC): NoticeFiles {
  return { xmlName: 'a.xml', files: new Map([['a.xml', Buffer.from(xml)], ['s.xsl', Buffer.from(xsl)]]) };
}

export const SMALL_DOC =
  '<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="s.xsl"?>' +
  '<DOC VERSION="1.0"><BODY><TITLE>小さな文書</TITLE><MAINTXT><P>本文</P><P>二段落目</P></MAINTXT></BODY></DOC>';

/** An XSLT 1.0 stylesheet: `top` beside the root template, `body` inside it. */
export function sheet(body: string, top = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">' +
    `${top}<xsl:output method="html" encoding="UTF-8"/><xsl:template match="/">${body}</xsl:template></xsl:stylesheet>`
  );
}

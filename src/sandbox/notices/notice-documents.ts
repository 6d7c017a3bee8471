// Sandbox (Node). The XML of the notices the sandbox issues, in e-Gov's DOC vocabulary:
// - 補正通知 (hoseitsuuchi.xml) and コメント (commenttsuuchi.xml) as recorded (REFERENCE §7.4): the
//   header on one line, LF, TAB indentation, unsigned;
// - a 公文書 (§7.2, §7.3): CRLF, the header and <DOC> on the first line, FRONT then BODY (ID="DOCBODY"),
//   no indentation — the shape of the signed 0000-API-002.xml; official-signature.ts appends the
//   Signature as DOC's last child.
// Texts come from the operator: escaped, one paragraph per line of text.
import { escapeXmlText } from '../wire/xml-text.js';
import { STYLESHEET } from './stylesheets.js';

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** `2015年03月09日` (SEEN in both notices), in JST. */
export function japaneseDate(at: Date): string {
  const t = new Date(at.getTime() + JST_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}年${pad(t.getUTCMonth() + 1)}月${pad(t.getUTCDate())}日`;
}

function paragraphs(text: string, indent: string): string[] {
  return text.split(/\r\n|\r|\n/).map((line) => (line === '' ? `${indent}<P/>` : `${indent}<P>${escapeXmlText(line)}</P>`));
}

export interface NoticeText {
  /** 到達番号: the DOCNO of a 補正通知 / コメント (SEEN) */
  arriveId: string;
  at: Date;
  title: string;
  text: string;
  /** AUTHOR/AFF (SEEN: the examining section) */
  authorSection: string;
  /** AUTHOR/NAME (SEEN: the examiner) */
  authorName: string;
}

function unsignedNotice(kind: { secrecy: string; stylesheet: string; heading: string }, n: NoticeText): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="${kind.stylesheet}"?><DOC VERSION="1.0">`,
    '<FRONT>',
    `\t<SECRECY>${kind.secrecy}</SECRECY>`,
    '\t<STAMP>0</STAMP>',
    '</FRONT>',
    '<BODY ID="DOCBODY">',
    `\t<STYLESHEET URI="${kind.stylesheet}"/>`,
    `\t<DOCNO>${escapeXmlText(n.arriveId)}</DOCNO>`,
    `\t<DATE>${japaneseDate(n.at)}</DATE>`,
    '\t<TO>',
    '\t\t<AFF/>',
    '\t\t<NAME/>',
    '\t\t<HONORIFC/>',
    '\t</TO>',
    '\t<AUTHOR>',
    n.authorSection === '' ? '\t\t<AFF/>' : `\t\t<AFF>${escapeXmlText(n.authorSection)}</AFF>`,
    `\t\t<NAME>${escapeXmlText(n.authorName)}</NAME>`,
    '\t</AUTHOR>',
    `\t<TITLE>${escapeXmlText(n.title)}</TITLE>`,
    '\t<REFDOC>',
    '\t\t<DOCLINK/>',
    '\t</REFDOC>',
    '\t<MAINTXT LEVEL="0">',
    '\t\t<P/>',
    '\t</MAINTXT>',
    '\t<MAINTXT2>',
    `\t\t<MT2TITLE>${kind.heading}</MT2TITLE>`,
    '\t\t<MT2TEXT>',
    ...paragraphs(n.text, '\t\t\t'),
    '\t\t</MT2TEXT>',
    '\t</MAINTXT2>',
    '\t<REFERENC>',
    '\t\t<P/>',
    '\t</REFERENC>',
    '\t</BODY>',
    '</DOC>',
    '',
  ].join('\n');
}

/** hoseitsuuchi.xml (SEEN: SECRECY AMEND, MT2TITLE 補正指示, XSL 999000000000000010.xsl). */
export function correctionNoticeXml(n: NoticeText): Buffer {
  return Buffer.from(unsignedNotice({ secrecy: 'AMEND', stylesheet: STYLESHEET.correction, heading: '補正指示' }, n), 'utf8');
}

/** commenttsuuchi.xml (SEEN: SECRECY COMMENT, MT2TITLE コメント, XSL 999000000000000002.xsl). */
export function commentNoticeXml(n: NoticeText): Buffer {
  return Buffer.from(unsignedNotice({ secrecy: 'COMMENT', stylesheet: STYLESHEET.comment, heading: 'コメント' }, n), 'utf8');
}

export interface OfficialText {
  /** DOCNO (SEEN: API-001, 120806-01) */
  docNo: string;
  at: Date;
  title: string;
  text: string;
  /** TO: the applicant */
  toName: string;
  /** AUTHOR/AFF and NAME: the ministry */
  authorSection: string;
  authorName: string;
}

/** A 公文書 without its Signature: the lines before `</DOC>`, CRLF-joined (§7.3: a CRLF file). */
export function officialDocumentLines(d: OfficialText): string[] {
  const stylesheet = STYLESHEET.official;
  return [
    `<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="${stylesheet}"?><DOC VERSION="1.0">`,
    '<FRONT>',
    '<SECRECY>公文書原本</SECRECY>',
    '<STAMP>要</STAMP>',
    '</FRONT>',
    '<BODY ID="DOCBODY">',
    `<STYLESHEET URI="${stylesheet}"/>`,
    `<DOCNO>${escapeXmlText(d.docNo)}</DOCNO>`,
    `<DATE>${japaneseDate(d.at)}</DATE>`,
    `<TITLE>${escapeXmlText(d.title)}</TITLE>`,
    '<MAINTXT>',
    ...paragraphs(d.text, ''),
    '</MAINTXT>',
    '<TO>',
    `<NAME>${escapeXmlText(d.toName)}</NAME>`,
    '<HONORIFC>様</HONORIFC>',
    '</TO>',
    '<AUTHOR>',
    `<AFF>${escapeXmlText(d.authorSection)}</AFF>`,
    `<NAME>${escapeXmlText(d.authorName)}</NAME>`,
    '</AUTHOR>',
    '</BODY>',
  ];
}

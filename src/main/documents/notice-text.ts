// Core host (pure). A notice's words without its layout: what the 補正 workbench shows beside the
// filed data and what the CLI prints. e-Gov's DOC vocabulary (REFERENCE §7.2, §7.4) puts the text in
// BODY's TITLE, DATE, TO, AUTHOR, MAINTXT, MAINTXT2 (MT2TITLE, MT2TEXT) and REFERENC, with P as the
// paragraph; each paragraph becomes a line, in document order. Anything else in BODY is kept as text
// too: a notice must never lose a sentence because its element is one we have not seen.
import type { Element as XmlElement, Node as XmlNode } from '@xmldom/xmldom';
import { parseXmlSafely } from '../signing/xml/safe-xml.js';

/** Elements whose content is one line (their children's text joined with a full-width space). */
const LINE_ELEMENTS = new Set(['P', 'TITLE', 'DATE', 'DOCNO', 'MT2TITLE', 'TO', 'AUTHOR', 'SECRECY', 'STAMP']);
/** Elements that say how the document is laid out, not what it says. */
const SKIPPED = new Set(['STYLESHEET', 'Signature', 'MNGINFO', 'DOCLINK']);

function isElement(node: XmlNode): node is XmlElement {
  return node.nodeType === 1;
}

function inlineText(node: XmlNode): string {
  if (node.nodeType === 3 || node.nodeType === 4) return node.nodeValue ?? '';
  if (!isElement(node) || SKIPPED.has(node.localName ?? node.nodeName)) return '';
  const parts: string[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    const t = inlineText(c).trim();
    if (t) parts.push(t);
  }
  return parts.join('　');
}

function collect(node: XmlElement, lines: string[]): void {
  const name = node.localName ?? node.nodeName;
  if (SKIPPED.has(name)) return;
  if (LINE_ELEMENTS.has(name)) {
    const line = inlineText(node).replace(/\s*\n\s*/g, ' ').trim();
    if (line) lines.push(line);
    return;
  }
  let hasElementChild = false;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (isElement(c)) {
      hasElementChild = true;
      collect(c, lines);
    }
  }
  if (!hasElementChild) {
    const line = (node.textContent ?? '').trim();
    if (line) lines.push(line);
  }
}

/** The text of a notice XML, one paragraph per line; '' when it has no BODY. Throws on XML that is not safe to read. */
export function noticeText(xml: Uint8Array): string {
  const doc = parseXmlSafely(Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength));
  const root = doc.documentElement;
  if (!root) return '';
  const body = Array.from(root.childNodes as unknown as Iterable<XmlNode>).find((n): n is XmlElement => isElement(n) && (n.localName ?? n.nodeName) === 'BODY');
  const lines: string[] = [];
  collect(body ?? root, lines);
  return lines.join('\n');
}

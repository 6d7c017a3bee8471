// Core host (Node). Our own readable layout for e-Gov's DOC vocabulary (REFERENCE §7.2, §7.4), used
// when a notice comes without a usable stylesheet (0000-API-002.xml names DEFAULT_STYLE.xsl and
// ships none). It builds HTML from escaped text only, so nothing a document holds can become markup:
// a Japanese official letter's look — number and date right, recipient left, sender right, title
// centred, body paragraphs, 記 centred, then the notes. Elements it does not know are shown as
// text at the end, never dropped; the signature is left to the verification panel.
import type { Document, Element, Node as XmlNode } from '@xmldom/xmldom';
import { escapeAttribute, escapeText } from './sanitize.js';

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/** Elements that say how to show the document, not what it says. */
const METADATA = new Set(['STYLESHEET']);

function children(parent: XmlNode): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/** Text of an element, its descendants' text joined (iterative: input depth is bounded but large). */
function textOf(node: XmlNode): string {
  let text = '';
  const stack: XmlNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.nodeType === 3 || n.nodeType === 4) text += (n as unknown as { data: string }).data;
    else if (n.nodeType === 1) {
      if ((n as Element).namespaceURI === DSIG_NS) continue;
      const kids: XmlNode[] = [];
      for (let c = n.firstChild; c; c = c.nextSibling) kids.push(c);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
  return text;
}

const clean = (s: string): string => s.replace(/[ \t\r\n]+/g, ' ').trim();

class Parts {
  readonly used = new Set<Element>();
  constructor(readonly body: Element) {}
  take(name: string): Element | null {
    const el = children(this.body).find((c) => c.nodeName === name && !this.used.has(c)) ?? null;
    if (el) this.used.add(el);
    return el;
  }
  /** the element's text, whitespace collapsed ('' when absent) */
  takeText(name: string): string {
    const el = this.take(name);
    return el ? clean(textOf(el)) : '';
  }
  takeAll(name: string): Element[] {
    const els = children(this.body).filter((c) => c.nodeName === name && !this.used.has(c));
    for (const el of els) this.used.add(el);
    return els;
  }
}

function line(cls: string, text: string): string {
  return text === '' ? '' : `<p class="${cls}">${escapeText(text)}</p>`;
}

function joinedFields(el: Element | null, names: readonly string[]): string {
  if (!el) return '';
  return names
    .map((n) => children(el).find((c) => c.nodeName === n))
    .map((c) => (c ? clean(textOf(c)) : ''))
    .filter((t) => t !== '')
    .join('　');
}

/** A text block of P elements (each with its LEVEL as indentation), or its plain text when it has none. */
function paragraphs(block: Element): string {
  const ps = children(block).filter((c) => c.nodeName === 'P');
  if (ps.length === 0) {
    const text = clean(textOf(block));
    return text === '' ? '' : `<p>${escapeText(text)}</p>`;
  }
  let out = '';
  for (const p of ps) {
    const text = clean(textOf(p));
    if (text === '') continue;
    const level = Number.parseInt(p.getAttribute('LEVEL') ?? '', 10);
    out +=
      Number.isInteger(level) && level > 0 && level <= 20
        ? `<p class="doc-level" style="${escapeAttribute(`padding-left: ${level}em`)}">${escapeText(text)}</p>`
        : `<p>${escapeText(text)}</p>`;
  }
  // text beside the P elements (mixed content) is shown too
  for (const other of children(block).filter((c) => c.nodeName !== 'P')) {
    const text = clean(textOf(other));
    if (text !== '') out += `<p>${escapeText(text)}</p>`;
  }
  return out;
}

function front(doc: Element): string {
  const f = children(doc).find((c) => c.nodeName === 'FRONT');
  if (!f) return '';
  const items = children(f)
    .map((c) => ({ name: c.nodeName, text: clean(textOf(c)) }))
    .filter((c) => c.text !== '');
  if (items.length === 0) return '';
  const shown = items.map((c) => (c.name === 'SECRECY' ? `<span class="doc-badge">${escapeText(c.text)}</span>` : `<span class="doc-meta">${escapeText(c.text)}</span>`));
  return `<div class="doc-front">${shown.join('')}</div>`;
}

/** What is left of an element the layout does not know: its name and its text. */
function other(el: Element): string {
  if (el.namespaceURI === DSIG_NS) return '';
  const text = textOf(el).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (text === '') return '';
  return `<div class="doc-other"><div class="doc-other-name">${escapeText(el.nodeName)}</div>${escapeText(text)}</div>`;
}

export interface BuiltinLayout {
  body: string;
  title: string;
}

/** The built-in layout of a parsed notice XML (any root: a non-DOC document is shown as text). */
export function builtinLayout(doc: Document): BuiltinLayout {
  const root = doc.documentElement;
  if (!root) return { body: '', title: '' };
  const body = root.nodeName === 'DOC' ? children(root).find((c) => c.nodeName === 'BODY') : undefined;
  if (!body) {
    const text = textOf(root).trim();
    return { body: `<div class="doc-other">${escapeText(text)}</div>`, title: '' };
  }
  const parts = new Parts(body);
  for (const name of METADATA) parts.takeAll(name);
  const title = parts.takeText('TITLE');
  let html = front(root);
  html += line('doc-no', parts.takeText('DOCNO'));
  html += line('doc-date', parts.takeText('DATE'));
  html += line('doc-to', joinedFields(parts.take('TO'), ['AFF', 'NAME', 'HONORIFC']));
  html += line('doc-author', joinedFields(parts.take('AUTHOR'), ['AFF', 'NAME']));
  html += line('doc-title', title);
  const refdoc = parts.take('REFDOC');
  if (refdoc) html += line('doc-meta', clean(textOf(refdoc)));
  html += parts.takeAll('MAINTXT').map((m) => `<div class="doc-text">${paragraphs(m)}</div>`).join('');
  for (const m2 of parts.takeAll('MAINTXT2')) {
    const kids = children(m2);
    const ki = kids.filter((c) => c.nodeName === 'MT2TITLE').map((c) => clean(textOf(c))).join(' ');
    const texts = kids.filter((c) => c.nodeName === 'MT2TEXT');
    html += line('doc-ki', ki);
    html += texts.map((t) => `<div class="doc-text">${paragraphs(t)}</div>`).join('');
    html += kids.filter((c) => c.nodeName !== 'MT2TITLE' && c.nodeName !== 'MT2TEXT').map(other).join('');
  }
  const refs = parts.takeAll('REFERENC').map((r) => paragraphs(r)).filter((r) => r !== '');
  if (refs.length > 0) html += `<div class="doc-ref doc-text">${refs.join('')}</div>`;
  // everything else in BODY, and anything beside BODY and FRONT under DOC, in document order
  html += children(body).filter((c) => !parts.used.has(c)).map(other).join('');
  html += children(root).filter((c) => c !== body && c.nodeName !== 'FRONT').map(other).join('');
  return { body: html, title };
}

// Core host (Node). The HTML a stylesheet produced, rebuilt from its tree through an allowlist: the
// elements and attributes a printed document needs, nothing that runs, loads or navigates. It is
// serialised here rather than by the XSLT processor, so `<P/>` never reaches an HTML parser (which
// would read it as an open <p>) and PRE keeps exactly its text.
//
// It reads any DOM-like tree: xslt-processor's XNode (attributes are child nodes of type 2) and
// xmldom's nodes (attributes in `.attributes`). Walks are iterative: a stylesheet may nest deeper
// than the stack.
import { filterStyle } from './style-attribute.js';

export interface TreeNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<TreeNode>;
  attributes?: ArrayLike<TreeNode> | null;
}

export interface SanitisedHtml {
  /** the body's content, safe to place inside <body> */
  body: string;
  /** text of the first <title>, whitespace collapsed ('' when none) */
  title: string;
  /** what was removed because it could run, load or navigate (scripts, handlers, links, url() …) */
  removed: number;
}

const VOID = new Set(['br', 'hr', 'img', 'col', 'wbr']);

/** Kept as themselves (lower-cased). */
const KEPT = new Set([
  ...VOID,
  'p', 'div', 'span', 'pre', 'blockquote', 'center', 'address',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'b', 'i', 'u', 's', 'strike', 'em', 'strong', 'small', 'big', 'sub', 'sup', 'tt', 'code', 'kbd', 'samp', 'var',
  'font', 'nobr', 'abbr', 'cite', 'q', 'dfn', 'mark', 'ins', 'del', 'ruby', 'rb', 'rt', 'rp',
  'table', 'caption', 'colgroup', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'section', 'article', 'header', 'footer', 'main', 'aside', 'figure', 'figcaption',
]);

/** Removed with everything inside: they run, load, navigate, take input, or are not HTML text. */
const DROPPED = new Set([
  'script', 'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'noframes', 'object', 'embed', 'applet',
  'param', 'noscript', 'template', 'svg', 'math', 'audio', 'video', 'source', 'track', 'canvas', 'picture', 'map', 'area',
  'input', 'button', 'select', 'option', 'optgroup', 'textarea', 'datalist', 'output', 'portal', 'slot', 'dialog',
  'xml', 'xmp', 'plaintext', 'listing', 'image', 'bgsound', 'marquee', 'blink', 'layer', 'ilayer', 'keygen',
]);
// Anything else (html, body, a, form, label, unknown names such as e-Gov's own P/LEVEL vocabulary
// that a stylesheet copies through) is unwrapped: its text is shown, the element is not.

const ALIGN = /^(?:left|right|center|justify|top|middle|bottom|baseline|char)$/i;
const LENGTH = /^\d{1,5}(?:\.\d{1,3})?(?:%|px)?$/i;
const COUNT = /^\d{1,5}$/;
const COLOUR = /^(?:#[0-9a-f]{3,8}|[a-z]{3,20})$/i;
const FONT_SIZE = /^[+-]?\d{1,2}$/;
const FONT_FACE = /^[\p{L}\p{N} ,'"_-]{1,200}$/u;
const LIST_TYPE = /^(?:1|a|i|disc|circle|square)$/i;
const DIR = /^(?:ltr|rtl|auto)$/i;
const LANG = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i;
const IMAGE_DATA = /^data:image\/(?:png|jpeg|gif);base64,[a-z0-9+/=\s]*$/i;

type AttrRule = (value: string) => string | null;
const match =
  (re: RegExp, lower = false): AttrRule =>
  (v) => {
    const t = v.trim();
    return re.test(t) ? (lower ? t.toLowerCase() : t) : null;
  };
const anyText: AttrRule = (v) => v;

const GLOBAL_ATTRS: Record<string, AttrRule> = {
  align: match(ALIGN, true),
  valign: match(ALIGN, true),
  width: match(LENGTH),
  height: match(LENGTH),
  bgcolor: match(COLOUR),
  title: anyText,
  lang: match(LANG),
  dir: match(DIR, true),
  nowrap: () => 'nowrap',
};

const ELEMENT_ATTRS: Record<string, Record<string, AttrRule>> = {
  table: { border: match(COUNT), cellspacing: match(COUNT), cellpadding: match(COUNT), frame: match(/^(?:void|above|below|hsides|vsides|lhs|rhs|box|border)$/i, true), rules: match(/^(?:none|groups|rows|cols|all)$/i, true) },
  td: { colspan: match(COUNT), rowspan: match(COUNT), abbr: anyText },
  th: { colspan: match(COUNT), rowspan: match(COUNT), abbr: anyText, scope: match(/^(?:row|col|rowgroup|colgroup)$/i, true) },
  col: { span: match(COUNT) },
  colgroup: { span: match(COUNT) },
  font: { color: match(COLOUR), size: match(FONT_SIZE), face: match(FONT_FACE) },
  ol: { start: match(COUNT), type: match(LIST_TYPE) },
  ul: { type: match(LIST_TYPE) },
  li: { type: match(LIST_TYPE), value: match(COUNT) },
  hr: { size: match(COUNT), noshade: () => 'noshade' },
  img: { alt: anyText },
};

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

function localName(node: TreeNode): string {
  const name = node.nodeName;
  const colon = name.indexOf(':');
  return (colon < 0 ? name : name.slice(colon + 1)).toLowerCase();
}

function attributesOf(node: TreeNode): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  const source = node.attributes ?? node.childNodes;
  for (let i = 0; i < source.length; i++) {
    const a = source[i]!;
    if (a.nodeType === 2) out.push({ name: a.nodeName.toLowerCase(), value: a.nodeValue ?? '' });
  }
  return out;
}

/** Attributes that run, load or navigate: their removal is worth telling the user about. */
const RISKY_ATTRIBUTE = /^(?:on|href$|src|action$|formaction$|background$|poster$|xlink:|xmlns:xlink$|data$|codebase$|dynsrc$|lowsrc$|ping$)/;

/** The element's kept attributes as ` name="value"` text, counting risky ones dropped. */
function keptAttributes(element: string, node: TreeNode, counter: { removed: number }): string | null {
  let out = '';
  for (const { name, value } of attributesOf(node)) {
    if (name === 'style') {
      const { kept, risky } = filterStyle(value);
      counter.removed += risky;
      if (kept !== null) out += ` style="${escapeAttribute(kept)}"`;
      continue;
    }
    if (element === 'img' && name === 'src') {
      if (!IMAGE_DATA.test(value.trim())) return null;
      out += ` src="${escapeAttribute(value.trim().replace(/\s+/g, ''))}"`;
      continue;
    }
    const rule = ELEMENT_ATTRS[element]?.[name] ?? GLOBAL_ATTRS[name];
    const kept = rule ? rule(value) : null;
    if (kept === null) {
      if (RISKY_ATTRIBUTE.test(name)) counter.removed++;
      continue;
    }
    out += ` ${name}="${escapeAttribute(kept)}"`;
  }
  // an image is only ever an embedded one: without a data: src it is not shown at all
  if (element === 'img' && !out.includes(' src="')) return null;
  return out;
}

function textOf(node: TreeNode): string {
  let text = '';
  const stack: TreeNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.nodeType === 3 || n.nodeType === 4) text += n.nodeValue ?? '';
    else if (n.nodeType === 1 || n.nodeType === 9 || n.nodeType === 11) for (let i = n.childNodes.length - 1; i >= 0; i--) stack.push(n.childNodes[i]!);
  }
  return text;
}

type Step = { node: TreeNode } | { close: string };

/** Rebuilds `root` (a document, fragment or element) as safe HTML. */
export function sanitiseTree(root: TreeNode): SanitisedHtml {
  const counter = { removed: 0 };
  let title: string | null = null;
  const parts: string[] = [];
  const stack: Step[] = [{ node: root }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if ('close' in step) {
      parts.push(step.close);
      continue;
    }
    const node = step.node;
    switch (node.nodeType) {
      case 3:
      case 4:
        parts.push(escapeText(node.nodeValue ?? ''));
        continue;
      case 1:
        break;
      case 9:
      case 11:
        for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push({ node: node.childNodes[i]! });
        continue;
      default:
        // comments, processing instructions, attributes (handled with their element), doctype
        continue;
    }
    const name = localName(node);
    if (name === 'title' || name === 'head') {
      // the head holds nothing a document shows but its title
      const t = name === 'title' ? node : findTitle(node);
      if (title === null && t) title = textOf(t).replace(/\s+/g, ' ').trim();
      if (name === 'head') counter.removed += countDroppedInHead(node);
      continue;
    }
    if (DROPPED.has(name)) {
      counter.removed++;
      continue;
    }
    let close: string | null = null;
    if (KEPT.has(name)) {
      const attrs = keptAttributes(name, node, counter);
      if (attrs === null) {
        counter.removed++;
        continue;
      }
      parts.push(`<${name}${attrs}>`);
      if (VOID.has(name)) continue;
      close = `</${name}>`;
    } else {
      counter.removed += attributesOf(node).filter((a) => RISKY_ATTRIBUTE.test(a.name)).length;
    }
    if (close !== null) stack.push({ close });
    for (let i = node.childNodes.length - 1; i >= 0; i--) {
      const child = node.childNodes[i]!;
      if (child.nodeType !== 2) stack.push({ node: child });
    }
  }
  return { body: parts.join(''), title: title ?? '', removed: counter.removed };
}

function findTitle(head: TreeNode): TreeNode | null {
  const stack: TreeNode[] = [head];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.nodeType === 1 && localName(n) === 'title') return n;
    for (let i = n.childNodes.length - 1; i >= 0; i--) stack.push(n.childNodes[i]!);
  }
  return null;
}

/** Scripts, styles, links and meta (refresh!) in the head: counted so the viewer can say so. */
function countDroppedInHead(head: TreeNode): number {
  let n = 0;
  for (let i = 0; i < head.childNodes.length; i++) {
    const c = head.childNodes[i]!;
    if (c.nodeType === 1 && DROPPED.has(localName(c)) && !(localName(c) === 'meta' && isCharsetMeta(c))) n++;
  }
  return n;
}

/** libxslt adds <meta http-equiv="Content-Type">; ours is written anyway, so it is no removal. */
function isCharsetMeta(meta: TreeNode): boolean {
  return attributesOf(meta).some((a) => (a.name === 'http-equiv' && a.value.toLowerCase() === 'content-type') || a.name === 'charset');
}

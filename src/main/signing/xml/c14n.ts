// Main process. Inclusive Canonical XML 1.0 of one element in its document, as XML-DSig needs it for
// a same-document reference or for SignedInfo. Built on xml-crypto's C14nCanonicalization, with the
// places where it departs from the C14N 1.0 text corrected, because a canonicaliser that renders two
// different documents alike lets a signature vouch for content it never covered:
//  - xml:* attributes of ancestors are inherited by the apex (xml-crypto drops them; xmlsec1 and
//    e-Gov do not, so digests would disagree);
//  - processing instructions are rendered as PIs (xml-crypto renders their data as text);
//  - comments are rendered verbatim (xml-crypto escapes them);
//  - only xmlns and xmlns:* are namespace declarations (xml-crypto skips any name starting "xmlns");
//  - attributes and namespace prefixes sort by code point (xml-crypto uses localeCompare).
// Namespace rendering itself is left to xml-crypto.
import { C14nCanonicalization } from 'xml-crypto';
import type { Element as XmlElement, Node as XmlNode } from '@xmldom/xmldom';

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

interface NamespaceBinding {
  prefix: string;
  namespaceURI: string;
}

interface AttrLike {
  name: string;
  value: string;
  localName: string;
  namespaceURI: string | null;
}

export interface C14nOptions {
  /** c14n#WithComments (used by the 官職署名 SignedInfo) */
  withComments?: boolean;
  /** a node left out with its subtree: the enveloped-signature transform */
  exclude?: XmlNode;
}

function compareCodePoints(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

function escapeText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' })[c]!);
}

function escapeAttr(value: string): string {
  return value.replace(/[&<"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' })[c]!);
}

function isNamespaceDeclaration(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:');
}

function attributesOf(el: XmlElement): AttrLike[] {
  const out: AttrLike[] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    out.push({ name: a.name, value: a.value, localName: a.localName ?? a.name, namespaceURI: a.namespaceURI });
  }
  return out;
}

function parentElement(node: XmlNode): XmlElement | null {
  const parent = node.parentNode;
  return parent && parent.nodeType === 1 ? (parent as XmlElement) : null;
}

/** Namespace bindings in scope at the apex from its ancestors, as inclusive C14N must render them. */
function ancestorNamespaces(apex: XmlElement): NamespaceBinding[] {
  const seen = new Map<string, string>();
  for (let el = parentElement(apex); el; el = parentElement(el)) {
    for (const a of attributesOf(el)) {
      if (!isNamespaceDeclaration(a.name)) continue;
      const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
      if (!seen.has(prefix)) seen.set(prefix, a.value);
    }
  }
  const own = new Set<string>([apex.prefix ?? '']);
  for (const a of attributesOf(apex)) {
    if (isNamespaceDeclaration(a.name)) own.add(a.name === 'xmlns' ? '' : a.name.slice(6));
  }
  const out: NamespaceBinding[] = [];
  // An undeclaration (xmlns="") only shadows; it is not a namespace node.
  for (const [prefix, namespaceURI] of seen) if (namespaceURI !== '' && !own.has(prefix)) out.push({ prefix, namespaceURI });
  return out;
}

/** xml:* attributes of the ancestors, nearest first wins, that the apex does not set itself. */
function inheritedXmlAttributes(apex: XmlElement): AttrLike[] {
  const found = new Map<string, AttrLike>();
  for (const a of attributesOf(apex)) if (a.namespaceURI === XML_NS) found.set(a.localName, a);
  const inherited: AttrLike[] = [];
  for (let el = parentElement(apex); el; el = parentElement(el)) {
    for (const a of attributesOf(el)) {
      if (a.namespaceURI !== XML_NS || found.has(a.localName)) continue;
      found.set(a.localName, a);
      inherited.push(a);
    }
  }
  return inherited;
}

function compareAttrs(a: AttrLike, b: AttrLike): number {
  const an = a.namespaceURI ?? '';
  const bn = b.namespaceURI ?? '';
  return an !== bn ? compareCodePoints(an, bn) : compareCodePoints(a.localName, b.localName);
}

class ProfileC14n extends C14nCanonicalization {
  readonly #apex: XmlElement;
  readonly #inherited: AttrLike[];
  readonly #exclude: XmlNode | undefined;

  constructor(apex: XmlElement, opts: C14nOptions) {
    super();
    this.includeComments = opts.withComments ?? false;
    this.#apex = apex;
    this.#inherited = inheritedXmlAttributes(apex);
    this.#exclude = opts.exclude;
  }

  override nsCompare(a: NamespaceBinding, b: NamespaceBinding): number {
    return compareCodePoints(a.prefix, b.prefix);
  }

  override renderAttrs(node: XmlElement): string {
    const attrs = attributesOf(node).filter((a) => !isNamespaceDeclaration(a.name));
    if (node === this.#apex) attrs.push(...this.#inherited);
    attrs.sort(compareAttrs);
    return attrs.map((a) => ` ${a.name}="${escapeAttr(a.value)}"`).join('');
  }

  override processInner(
    node: XmlNode,
    prefixesInScope: string[],
    defaultNs: string,
    defaultNsForPrefix: Record<string, string>,
    ancestorNs: NamespaceBinding[],
    namespacesInScope?: NamespaceBinding[],
  ): string {
    if (node === this.#exclude) return '';
    switch (node.nodeType) {
      case 1:
        return super.processInner(node, prefixesInScope, defaultNs, defaultNsForPrefix, ancestorNs, namespacesInScope);
      case 3:
      case 4:
        return escapeText((node as unknown as { data: string }).data);
      case 7: {
        const pi = node as unknown as { target: string; data: string };
        return `<?${pi.target}${pi.data ? ` ${pi.data}` : ''}?>`;
      }
      case 8:
        return this.includeComments ? `<!--${(node as unknown as { data: string }).data}-->` : '';
      default:
        throw new Error(`cannot canonicalise node type ${node.nodeType}`);
    }
  }
}

/** Inclusive C14N 1.0 of `element` (a document subset rooted at it), as a UTF-8 string. */
export function canonicalize(element: XmlElement, opts: C14nOptions = {}): string {
  const c14n = new ProfileC14n(element, opts);
  return c14n.process(element as unknown as globalThis.Node, { ancestorNamespaces: ancestorNamespaces(element) });
}

// Main process. Small, explicit DOM look-ups for the signature profiles. No XPath: every lookup names
// the exact parent it expects, which is what defeats signature-wrapping.
import type { Document, Element as XmlElement, Node as XmlNode } from '@xmldom/xmldom';
import { xmlDuplicateId } from './xml-errors.js';

/** Attribute names that XML-DSig tools (xml-crypto, xmlsec1 with --id-attr) treat as IDs. */
export const ID_ATTRIBUTES = ['Id', 'ID', 'id'] as const;

export function isElement(node: XmlNode | null | undefined): node is XmlElement {
  return !!node && node.nodeType === 1;
}

/** True for an element with this local name in this namespace (null = no namespace). */
export function isNamed(node: XmlNode | null | undefined, localName: string, ns: string | null = null): node is XmlElement {
  return isElement(node) && node.localName === localName && (node.namespaceURI ?? null) === ns;
}

export function childElements(parent: XmlNode): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (isElement(n)) out.push(n);
  return out;
}

export function childrenNamed(parent: XmlNode, localName: string, ns: string | null = null): XmlElement[] {
  return childElements(parent).filter((e) => isNamed(e, localName, ns));
}

/** Every element of the document in document order, without recursion. */
export function allElements(root: XmlNode): XmlElement[] {
  const out: XmlElement[] = [];
  const stack: XmlNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isElement(node)) out.push(node);
    const kids: XmlNode[] = [];
    for (let n = node.firstChild; n; n = n.nextSibling) kids.push(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}

/** The un-namespaced ID attribute values of one element (a value counted once per element). */
export function idValues(el: XmlElement): string[] {
  const values = new Set<string>();
  for (const name of ID_ATTRIBUTES) {
    const attr = el.getAttributeNode(name);
    if (attr && !attr.namespaceURI) values.add(attr.value);
  }
  return [...values];
}

/** Throws 'XML_DUPLICATE_ID' when two elements share an ID value; `skip` and its subtree are ignored. */
export function assertUniqueIds(doc: Document, skip?: XmlElement): Map<string, XmlElement> {
  const owners = new Map<string, XmlElement>();
  for (const el of allElements(doc)) {
    if (skip && (el === skip || isInside(el, skip))) continue;
    for (const value of idValues(el)) {
      if (owners.has(value)) throw xmlDuplicateId(value);
      owners.set(value, el);
    }
  }
  return owners;
}

export function isInside(node: XmlNode, ancestor: XmlNode): boolean {
  for (let p = node.parentNode; p; p = p.parentNode) if (p === ancestor) return true;
  return false;
}

/** Text of the element's text and CDATA descendants. */
export function textOf(el: XmlElement): string {
  return el.textContent ?? '';
}

/** Only whitespace text, comments or PIs between the child elements (none of it can hide content). */
export function hasOnlyElementContent(el: XmlElement): boolean {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if ((n.nodeType === 3 || n.nodeType === 4) && !/^[ \t\r\n]*$/.test((n as unknown as { data: string }).data)) return false;
  }
  return true;
}

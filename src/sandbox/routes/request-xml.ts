// Sandbox (Node). Reading the small XML requests of the access APIs that carry no signature: the body
// under a limit, parsed safely (no DTD, no entities), and ApplData's children checked against the
// exact set of leaf elements the API takes (REFERENCE §4.14, §4.15, §4.17 SEEN shapes).
import type { IncomingMessage } from 'node:http';
import type { Element as XmlElement } from '@xmldom/xmldom';
import { SigningError } from '../../main/signing/errors.js';
import { parseXmlSafely } from '../../main/signing/xml/safe-xml.js';
import { readBody } from '../http/body.js';
import { failure, type SandboxFailure } from '../messages.js';
import { elementChildren, only } from './apply.js';

function hasElementChild(e: XmlElement): boolean {
  for (let n = e.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) return true;
  return false;
}

export type RequestRead = { ok: true; applData: XmlElement } | { ok: false; failure: SandboxFailure; tooLarge?: boolean; aborted?: boolean };

export async function readApplData(req: IncomingMessage, limit: number): Promise<RequestRead> {
  const body = await readBody(req, limit);
  if (body.kind === 'tooLarge') return { ok: false, failure: failure('BODY_TOO_LARGE', `上限 ${limit} バイト`), tooLarge: true };
  if (body.kind === 'aborted') return { ok: false, failure: failure('BODY_EMPTY'), aborted: true };
  if (body.body.length === 0) return { ok: false, failure: failure('BODY_EMPTY') };
  try {
    const doc = parseXmlSafely(body.body, { maxBytes: limit });
    const root = doc.documentElement;
    const applData = root && root.localName === 'DataRoot' && !root.namespaceURI ? only(root, 'ApplData') : null;
    if (!applData) return { ok: false, failure: failure('REQUEST_SHAPE', 'DataRoot/ApplData が必要です') };
    return { ok: true, applData };
  } catch (e) {
    if (!(e instanceof SigningError)) throw e;
    return { ok: false, failure: e.code === 'XML_DOCTYPE' ? failure('XML_DOCTYPE') : failure('XML_MALFORMED') };
  }
}

/**
 * The text of each leaf child of `parent`, when its children are exactly `required` plus any of
 * `optional`, each once, without namespace or element content; else a REQUEST_SHAPE failure.
 * Nested elements are asked for by name in `nested` and returned as elements.
 */
export function leaves(
  parent: XmlElement,
  required: readonly string[],
  optional: readonly string[] = [],
  nested: readonly string[] = [],
): { ok: true; text: Record<string, string>; elements: Record<string, XmlElement> } | { ok: false; failure: SandboxFailure } {
  const kids = elementChildren(parent);
  const names = kids.map((k) => k.localName ?? '');
  const allowed = new Set([...required, ...optional, ...nested]);
  const shape = `${parent.localName} には ${required.join('・')} を 1 つずつ指定してください`;
  if (kids.length === 0 || kids.some((k) => k.namespaceURI || !allowed.has(k.localName ?? '')) || new Set(names).size !== names.length || required.some((r) => !names.includes(r))) {
    return { ok: false, failure: failure('REQUEST_SHAPE', shape) };
  }
  const text: Record<string, string> = {};
  const elements: Record<string, XmlElement> = {};
  for (const k of kids) {
    const name = k.localName ?? '';
    if (nested.includes(name)) elements[name] = k;
    else if (hasElementChild(k)) return { ok: false, failure: failure('REQUEST_SHAPE', shape) };
    else text[name] = (k.textContent ?? '').trim();
  }
  return { ok: true, text, elements };
}

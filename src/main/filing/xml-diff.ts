// Core host (pure). What a 補正 changes, field by field: the filed 申請書 XML against the corrected one,
// as a list a person can read beside the 補正通知 (issue #10 item 6). A field is an element's own text
// or one of its attributes, named by its path from the root — element names, with the 1-based index
// among same-named siblings where a name repeats (`様式/被保険者[2]/氏名`, `…/氏名/@種別`).
//
// Only what a form says is compared: text is trimmed of XML whitespace, so re-indenting, CRLF against
// LF or a different declaration is no change; comments and processing instructions are not fields.
// Both files come from the filer's disk, so they are parsed by the one safe parser (no DOCTYPE, no
// entities, strict UTF-8, a size and depth limit) and the walk counts elements: a file past the
// limits is refused with a message that says so, never half-compared in silence. The list itself is
// capped (a form rewritten from end to end is "everything changed", not a million lines over IPC).
import { createHash } from 'node:crypto';
import type { Element as XmlElement, Node as XmlNode } from '@xmldom/xmldom';
import { isTodokeError } from '../../shared/errors.js';
import { DEFAULT_MAX_XML_BYTES, parseXmlSafely } from '../signing/xml/safe-xml.js';
import { AmendmentError } from './amendment-errors.js';

export type FieldChangeKind = 'changed' | 'added' | 'removed';

export interface FieldChange {
  /** e.g. `DataRoot/被保険者[2]/氏名` or `DataRoot/様式ID/@version` */
  path: string;
  /** the filed value ('' when added), cut to MAX_VALUE_CHARS */
  before: string;
  /** the corrected value ('' when removed), cut to MAX_VALUE_CHARS */
  after: string;
  change: FieldChangeKind;
}

export interface XmlDiff {
  /** in document order: the filed document's fields first, then the fields only the corrected one has */
  changes: FieldChange[];
  /** how many fields differ in all (more than `changes.length` when the list was capped) */
  total: number;
  /** true when `changes` holds fewer than `total` */
  capped: boolean;
}

export interface XmlDiffLimits {
  /** each document; default the size the application check parses (10 MiB) */
  maxBytes: number;
  /** elements of each document */
  maxElements: number;
  /** changes listed (the count goes on) */
  maxChanges: number;
}

export const DEFAULT_XML_DIFF_LIMITS: Readonly<XmlDiffLimits> = Object.freeze({
  maxBytes: DEFAULT_MAX_XML_BYTES,
  maxElements: 100_000,
  maxChanges: 2_000,
});

/** Longest value shown in a change: a field longer than this is a text block, shown cut with an ellipsis. */
export const MAX_VALUE_CHARS = 500;

const XML_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

type Side = 'before' | 'after';
const SIDE_JA: Record<Side, string> = { before: '提出済みの', after: '補正後の' };

/** path → value, in document order (a Map keeps insertion order). */
function fieldsOf(xml: Buffer, side: Side, name: string, limits: XmlDiffLimits): Map<string, string> {
  if (xml.byteLength > limits.maxBytes) throw tooLarge(side, name, `${xml.byteLength} バイトあり、上限 ${limits.maxBytes} バイトを超えています`, { bytes: xml.byteLength, limit: limits.maxBytes });
  let root: XmlElement;
  try {
    root = parseXmlSafely(xml, { maxBytes: limits.maxBytes }).documentElement as XmlElement;
  } catch (cause) {
    if (!isTodokeError(cause)) throw cause;
    throw new AmendmentError(
      'AMENDMENT_XML_UNREADABLE',
      { ja: `${SIDE_JA[side]}「${name}」を XML として読めないため、項目ごとの比較ができません（${cause.messageJa}）。`, en: `${side} ${name} is not readable XML: ${cause.message}` },
      { cause, detail: { side, file: name, reason: cause.code } },
    );
  }
  const fields = new Map<string, string>();
  let elements = 0;
  // iterative: the parser bounds the depth, but a path list stays flat whatever the shape
  const stack: Array<{ el: XmlElement; path: string }> = [{ el: root, path: root.nodeName }];
  while (stack.length) {
    const { el, path } = stack.pop()!;
    if (++elements > limits.maxElements) throw tooLarge(side, name, `要素が ${limits.maxElements} を超えています`, { elements: limits.maxElements });
    const attributes = el.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes.item(i)!;
      // namespace declarations say how names are spelled, not what the form says
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      fields.set(`${path}/@${a.name}`, a.value);
    }
    const children: XmlElement[] = [];
    let text = '';
    for (let n: XmlNode | null = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 1) children.push(n as XmlElement);
      else if (n.nodeType === 3 || n.nodeType === 4) text += (n as unknown as { data: string }).data;
    }
    const own = text.replace(XML_SPACE, '');
    // a leaf is a field even when empty (<FAX番号/>); a container is one only when it holds text too
    if (children.length === 0 || own !== '') fields.set(path, own);
    const counts = new Map<string, number>();
    for (const c of children) counts.set(c.nodeName, (counts.get(c.nodeName) ?? 0) + 1);
    const seen = new Map<string, number>();
    const named = children.map((c) => {
      const index = (seen.get(c.nodeName) ?? 0) + 1;
      seen.set(c.nodeName, index);
      return { el: c, path: `${path}/${c.nodeName}${counts.get(c.nodeName)! > 1 ? `[${index}]` : ''}` };
    });
    for (let i = named.length - 1; i >= 0; i--) stack.push(named[i]!);
  }
  return fields;
}

function tooLarge(side: Side, name: string, why: string, detail: Record<string, unknown>): AmendmentError {
  return new AmendmentError(
    'AMENDMENT_DIFF_TOO_LARGE',
    { ja: `${SIDE_JA[side]}「${name}」は大きすぎるため、項目ごとの比較をしません（${why}）。内容はファイル全体の一致・不一致で比べます。`, en: `${side} ${name} is too large to compare field by field` },
    { detail: { side, file: name, ...detail } },
  );
}

function shown(value: string): string {
  const chars = [...value];
  return chars.length > MAX_VALUE_CHARS ? `${chars.slice(0, MAX_VALUE_CHARS).join('')}…` : value;
}

/**
 * The fields that differ between the filed and the corrected document. Throws AMENDMENT_XML_UNREADABLE
 * or AMENDMENT_DIFF_TOO_LARGE (naming the side and `name`) for a document it will not compare.
 */
export function diffXml(before: Buffer, after: Buffer, options: { name?: string; limits?: Partial<XmlDiffLimits> } = {}): XmlDiff {
  const limits = { ...DEFAULT_XML_DIFF_LIMITS, ...options.limits };
  const name = options.name ?? 'XML';
  const a = fieldsOf(before, 'before', name, limits);
  const b = fieldsOf(after, 'after', name, limits);
  const changes: FieldChange[] = [];
  let total = 0;
  const add = (change: FieldChange): void => {
    total++;
    if (changes.length < limits.maxChanges) changes.push(change);
  };
  for (const [path, value] of a) {
    const next = b.get(path);
    if (next === undefined) add({ path, before: shown(value), after: '', change: 'removed' });
    else if (next !== value) add({ path, before: shown(value), after: shown(next), change: 'changed' });
  }
  for (const [path, value] of b) if (!a.has(path)) add({ path, before: '', after: shown(value), change: 'added' });
  return { changes, total, capped: total > changes.length };
}

/** How one file of an application differs from the filed one. */
export interface FileComparison {
  name: string;
  change: 'same' | 'changed' | 'added' | 'removed';
  beforeSha256: string | null;
  afterSha256: string | null;
  /** the field diff of an XML file that changed; null otherwise, or when it could not be made */
  fields: XmlDiff | null;
  /** why a changed XML file was compared by hash only */
  fieldsError: { code: string; messageJa: string } | null;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** True for a name the field diff reads (申請書 and kousei.xml are .xml; attachments are anything). */
export function isXmlName(name: string): boolean {
  return /\.xml$/i.test(name);
}

/**
 * One file, filed against corrected (either may be absent): by SHA-256 always, and field by field when
 * both are XML and differ. An XML the diff will not read still compares by hash; why is in `fieldsError`.
 */
export function compareFile(name: string, before: Buffer | null, after: Buffer | null, limits?: Partial<XmlDiffLimits>): FileComparison {
  const beforeSha256 = before ? sha256(before) : null;
  const afterSha256 = after ? sha256(after) : null;
  const change = before === null ? 'added' : after === null ? 'removed' : beforeSha256 === afterSha256 ? 'same' : 'changed';
  let fields: XmlDiff | null = null;
  let fieldsError: { code: string; messageJa: string } | null = null;
  if (change === 'changed' && isXmlName(name)) {
    try {
      fields = diffXml(before!, after!, { name, ...(limits ? { limits } : {}) });
    } catch (e) {
      if (!(e instanceof AmendmentError)) throw e;
      fieldsError = { code: e.code, messageJa: e.messageJa };
    }
  }
  return { name, change, beforeSha256, afterSha256, fields, fieldsError };
}

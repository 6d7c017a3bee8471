// Main process. A single-pass scanner that produces the inclusive C14N 1.0 (without comments) of
// one element of a plain, namespace-free XML document — the shape every kousei.xml has — several
// times faster than building a DOM. Signing a batch of applications is dominated by this step
// otherwise (the canonicalisation and digests must cost less than the RSA operation itself).
//
// It is deliberately narrow: whenever the document steps outside the subset it fully understands
// (namespaces or xml:* attributes on the element or its ancestors, a DOCTYPE, entity references
// other than the predefined five, processing instructions inside the element, anything not
// well-formed, duplicate IDs, invalid UTF-8) it returns null and the caller takes the DOM path,
// which owns every error message. Tests compare its output with xml-crypto's canonicaliser on
// every recorded document and on hand-made variants.
//
// It works on a latin1 view of the UTF-8 bytes: every character of XML syntax is ASCII, byte
// offsets are string offsets (so callers splice the original bytes), unchanged stretches are
// copied as bytes, and comparing UTF-8 bytes orders attribute names by code point as C14N asks.
import { isUtf8 } from 'node:buffer';

export interface FastScanRequest {
  /** Element path from the root to the element to canonicalise, e.g. ['DataRoot', '構成情報']. */
  canonicalize: readonly string[];
  /** Element paths whose text content is collected, e.g. [['DataRoot', '構成情報', '申請書属性情報', '申請書ファイル名称']]. */
  collect?: readonly (readonly string[])[];
  /** Names of root children whose byte ranges are reported, e.g. ['構成情報', '署名情報']. */
  ranges?: readonly string[];
}

export interface FastScanResult {
  /** Canonical form (UTF-8) of the requested element. */
  canonical: Buffer;
  /** Collected texts, by the index of the path in `collect`, in document order. */
  collected: string[][];
  /** Byte offsets [start of '<', after the closing '>') of the first root child with each name. */
  ranges: Map<string, { start: number; end: number }>;
  /** Every ID / Id / id attribute value in the document (all distinct, or the scan declines). */
  ids: Set<string>;
  /** Names in `ranges` that more than one root child carries. */
  repeated: Set<string>;
}

// In the latin1 view a non-ASCII character is a run of bytes 0x80-0xFF; names are checked
// properly (XML 1.0 fifth edition classes) once per distinct name by validName().
const NAME = /[A-Za-z_\x80-\xff][A-Za-z0-9_.\-\x80-\xff]*/y;
const ATTRIBUTE = /[ \t\r\n]+([A-Za-z_\x80-\xff][A-Za-z0-9_.\-\x80-\xff]*)[ \t\r\n]*=[ \t\r\n]*(?:"([^"<]*)"|'([^'<]*)')/y;
/** A whole start tag in one match: name, the attribute list (parsed further only when present), "/". */
const START_TAG = /<([A-Za-z_\x80-\xff][A-Za-z0-9_.\-\x80-\xff]*)((?:[ \t\r\n]+[A-Za-z_\x80-\xff][A-Za-z0-9_.\-\x80-\xff]*[ \t\r\n]*=[ \t\r\n]*(?:"[^"<]*"|'[^'<]*'))*)[ \t\r\n]*(\/?)>/y;
const END_TAG = /<\/([A-Za-z_\x80-\xff][A-Za-z0-9_.\-\x80-\xff]*)[ \t\r\n]*>/y;
const XML_DECL = /<\?xml[ \t\r\n][^?]*\?>/y;
// XML 1.0 (fifth edition) Name rules for non-ASCII characters, written over their UTF-8 bytes in
// the latin1 view so that a name is checked by one allocation-free regex test: the code points a
// NameChar may not be, and those a NameStartChar may not be besides. Astral characters in names
// are left to the DOM path. A test checks these against the Unicode classes for every BMP character.
const BAD_NAME_BYTES =
  /\xc2[\x80-\xb6\xb8-\xbf]|\xc3[\x97\xb7]|\xcd\xbe|\xe2\x80[\x80-\x8b\x8e-\xbe]|\xe2\x81[\x81-\xaf]|\xe2\x86[\x90-\xbf]|\xe2[\x87-\xaf]|\xe2\xbf[\xb0-\xbf]|\xe3\x80\x80|\xee|\xef[\x80-\xa3]|\xef\xb7[\x90-\xaf]|\xef\xbf[\xbe\xbf]|[\xf0-\xf4]/;
const BAD_NAME_START_BYTES = /^(?:\xc2\xb7|\xcc|\xcd[\x80-\xaf]|\xe2\x80\xbf|\xe2\x81\x80)/;
/** ASCII control characters XML 1.0 forbids. (U+FFFE/U+FFFF are checked on the bytes.) */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;
const ID_ATTRIBUTES = new Set(['ID', 'Id', 'id']);
const TEXT_NEEDS_WORK = /[&\r>]/;
/**
 * Names already found valid (a pure property of the name): a batch repeats the same few hundred
 * names in every application, and two regex tests per tag were a large part of each scan. Bounded
 * so that documents full of distinct names cannot grow it without end.
 */
const validNames = new Set<string>();
const MAX_VALID_NAMES = 10_000;

class NotInSubset extends Error {}

function bail(): never {
  throw new NotInSubset();
}

/** For the test that checks the byte-level name rules against the Unicode classes. */
export function isFastName(name: string): boolean {
  const view = toLatin1(name);
  NAME.lastIndex = 0;
  return NAME.test(view) && NAME.lastIndex === view.length && !BAD_NAME_BYTES.test(view) && !BAD_NAME_START_BYTES.test(view);
}

export function fastCanonicalize(xml: Buffer, request: FastScanRequest): FastScanResult | null {
  if (!isUtf8(xml) || hasNonCharacter(xml)) return null;
  return scan(xml, request, false);
}

/**
 * The same scan as a well-formedness test, for the application check: non-null only when safe-xml's
 * parseXmlText would also accept the document, so the check can skip building a DOM. On top of the
 * subset it declines what the scan alone would let through but parseXmlText refuses or xmldom
 * complains about: an XML declaration other than version 1.0 in UTF-8, U+FFFD (xmldom warns, and
 * safe-xml turns every warning into an error), nesting deeper than MAX_STRICT_DEPTH, a comment
 * ending in "-", and processing-instruction targets that are not XML names. `canonicalize` may be
 * empty (nothing canonicalised); null means "not known to be well-formed", never "malformed": the
 * caller parses to find out and to word the problem.
 */
export function fastWellFormed(xml: Buffer, request: Partial<FastScanRequest> = {}): FastScanResult | null {
  if (!isUtf8(xml) || hasNonCharacter(xml) || xml.includes(REPLACEMENT_CHARACTER)) return null;
  return scan(xml, { canonicalize: request.canonicalize ?? [], ...(request.collect ? { collect: request.collect } : {}), ...(request.ranges ? { ranges: request.ranges } : {}) }, true);
}

function scan(xml: Buffer, request: FastScanRequest, strict: boolean): FastScanResult | null {
  try {
    return new Scanner(xml.toString('latin1'), request, strict).run();
  } catch (e) {
    if (e instanceof NotInSubset) return null;
    throw e;
  }
}

const REPLACEMENT_CHARACTER = Buffer.from('\uFFFD', 'utf8');
/** Well below safe-xml's MAX_XML_DEPTH (which counts text nodes too); deeper documents are parsed. */
const MAX_STRICT_DEPTH = 128;
/** The declaration parseXmlText accepts without a doubt: version 1.0, encoding UTF-8 if given. */
const STRICT_XML_DECL =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.0\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[Uu][Tt][Ff]-8\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>$/;

/** U+FFFE / U+FFFF (EF BF BE / EF BF BF), which XML forbids, in one native search for their prefix. */
function hasNonCharacter(xml: Buffer): boolean {
  for (let i = xml.indexOf(NON_CHARACTER_PREFIX); i !== -1; i = xml.indexOf(NON_CHARACTER_PREFIX, i + 2)) {
    const third = xml[i + 2];
    if (third === 0xbe || third === 0xbf) return true;
  }
  return false;
}
const NON_CHARACTER_PREFIX = Buffer.from([0xef, 0xbf]);

const toLatin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const fromLatin1 = (view: string) => Buffer.from(view, 'latin1').toString('utf8');

class Scanner {
  private readonly target: readonly string[];
  private readonly collect: readonly (readonly string[])[];
  private readonly collectNames: string[];
  private readonly wantedRanges: Set<string>;
  private readonly collected: string[][];
  private readonly ranges = new Map<string, { start: number; end: number }>();
  private readonly ids = new Set<string>();
  private readonly repeated = new Set<string>();

  private readonly stack: string[] = [];
  /** Canonical output pieces while inside the target; source is copied lazily from copyFrom. */
  private out: string[] | null = null;
  private copyFrom = 0;
  private targetDepth = -1;
  private canonical: string | null = null;
  private rootSeen = false;
  private rootClosed = false;
  private collecting: { index: number; parts: string[] } | null = null;
  private rangeStart = -1;

  constructor(
    private readonly s: string,
    request: FastScanRequest,
    private readonly strict = false,
  ) {
    this.target = request.canonicalize.map(toLatin1);
    this.collect = (request.collect ?? []).map((p) => p.map(toLatin1));
    this.collectNames = [...new Set(this.collect.map((p) => p[p.length - 1] as string))];
    this.wantedRanges = new Set((request.ranges ?? []).map(toLatin1));
    this.collected = this.collect.map(() => []);
  }

  run(): FastScanResult {
    const s = this.s;
    // Control characters are forbidden everywhere in XML 1.0, so one pass over the whole
    // document replaces a check per text, attribute and comment.
    if (FORBIDDEN.test(s)) bail();
    let pos = s.startsWith('\xef\xbb\xbf') ? 3 : 0;
    XML_DECL.lastIndex = pos;
    const decl = XML_DECL.exec(s);
    if (decl) {
      if (/encoding[ \t\r\n]*=[ \t\r\n]*["'](?!utf-8["'])/i.test(decl[0])) bail();
      if (this.strict && !STRICT_XML_DECL.test(decl[0])) bail();
      pos = XML_DECL.lastIndex;
    }

    for (;;) {
      const lt = s.indexOf('<', pos);
      if (lt !== pos) this.text(pos, lt === -1 ? s.length : lt);
      if (lt === -1) break;
      const next = s.charCodeAt(lt + 1);
      if (next === 0x21 /* ! */) pos = this.bang(lt);
      else if (next === 0x3f /* ? */) pos = this.processingInstruction(lt);
      else if (next === 0x2f /* / */) pos = this.endTag(lt);
      else pos = this.startTag(lt);
    }
    if (this.stack.length !== 0 || !this.rootSeen || (this.target.length > 0 && this.canonical === null)) bail();
    return {
      canonical: Buffer.from(this.canonical ?? '', 'latin1'),
      collected: this.collected.map((texts) => texts.map(fromLatin1)),
      ranges: new Map([...this.ranges].map(([name, range]) => [fromLatin1(name), range])),
      ids: new Set([...this.ids].map(fromLatin1)),
      repeated: new Set([...this.repeated].map(fromLatin1)),
    };
  }

  private text(start: number, end: number): void {
    const raw = this.s.slice(start, end);
    if (this.stack.length === 0) {
      if (!/^[ \t\r\n]*$/.test(raw)) bail();
      return;
    }
    // Most texts (the white space between tags, plain values) need none of the work below; one
    // search says so (no '>' also means no ']]>') instead of four.
    if (!TEXT_NEEDS_WORK.test(raw)) {
      if (this.collecting) this.collecting.parts.push(raw);
      return;
    }
    if (raw.includes(']]>')) bail();
    const needsWork = raw.includes('&') || raw.includes('\r') || raw.includes('>');
    const value = needsWork ? decodeReferences(raw.replace(/\r\n?/g, '\n')) : raw;
    if (this.out && needsWork) this.replace(start, end, escapeText(value));
    if (this.collecting) this.collecting.parts.push(value);
  }

  /** Comments, CDATA sections; anything else starting with "<!" (DOCTYPE) is outside the subset. */
  private bang(lt: number): number {
    const s = this.s;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      if (end === -1 || s.slice(lt + 4, end).includes('--') || (this.strict && s.charCodeAt(end - 1) === 0x2d /* - */)) bail();
      if (this.out) this.replace(lt, end + 3, '');
      return end + 3;
    }
    if (s.startsWith('<![CDATA[', lt) && this.stack.length > 0) {
      const end = s.indexOf(']]>', lt + 9);
      if (end === -1) bail();
      const raw = s.slice(lt + 9, end);
      const value = raw.replace(/\r\n?/g, '\n');
      if (this.out) this.replace(lt, end + 3, escapeText(value));
      if (this.collecting) this.collecting.parts.push(value);
      return end + 3;
    }
    return bail();
  }

  /** Skipped outside the canonicalised element (not part of its canonical form); inside it, the exact PI rules are the DOM path's. */
  private processingInstruction(lt: number): number {
    if (this.out) bail();
    const end = this.s.indexOf('?>', lt + 2);
    if (end === -1) bail();
    NAME.lastIndex = lt + 2;
    const name = NAME.exec(this.s);
    if (!name || name[0].toLowerCase() === 'xml' || /[^ \t\r\n?]/.test(this.s.charAt(NAME.lastIndex))) bail();
    if (this.strict) this.validName(name[0]);
    return end + 2;
  }

  private endTag(lt: number): number {
    const s = this.s;
    const open = this.stack[this.stack.length - 1];
    if (open === undefined) bail();
    // The common case, `</name>` exactly: compared in place, no regex and no allocation.
    const plainEnd = lt + 2 + open.length;
    if (s.charCodeAt(plainEnd) === 0x3e /* > */ && s.startsWith(open, lt + 2)) {
      this.close(open, plainEnd + 1);
      return plainEnd + 1;
    }
    END_TAG.lastIndex = lt;
    const m = END_TAG.exec(s);
    if (!m || open !== m[1]) bail();
    const end = END_TAG.lastIndex;
    if (this.out) this.replace(lt, end, `</${open}>`);
    this.close(open, end);
    return end;
  }

  private startTag(lt: number): number {
    const s = this.s;
    if (this.rootClosed) bail();
    // The common case, `<name>` exactly, without building a match array.
    const gt = s.indexOf('>', lt);
    NAME.lastIndex = lt + 1;
    const plain = gt !== -1 && NAME.test(s) && NAME.lastIndex === gt;
    let name: string;
    let attributeList = '';
    let selfClosing = false;
    let end: number;
    if (plain) {
      name = s.slice(lt + 1, gt);
      end = gt + 1;
    } else {
      START_TAG.lastIndex = lt;
      const tag = START_TAG.exec(s);
      if (!tag) bail();
      name = tag[1] as string;
      attributeList = tag[2] as string;
      selfClosing = tag[3] === '/';
      end = START_TAG.lastIndex;
    }
    const collectable = this.validName(name);
    let attributes: [string, string][] | null = null;
    let reserved = false;
    if (attributeList) {
      attributes = [];
      ATTRIBUTE.lastIndex = 0;
      for (let a = ATTRIBUTE.exec(attributeList); a; a = ATTRIBUTE.exec(attributeList)) {
        const attrName = a[1] as string;
        this.validName(attrName);
        // xmlns, xmlns:* and xml:* change the canonical form of the element and its descendants.
        if (attrName.startsWith('xml')) reserved = true;
        if (attributes.some(([n]) => n === attrName)) bail();
        const raw = a[2] ?? a[3] ?? '';
        const value = raw.includes('&') || /[\t\r\n]/.test(raw) ? decodeAttribute(raw) : raw;
        attributes.push([attrName, value]);
        if (ID_ATTRIBUTES.has(attrName)) {
          if (this.ids.has(value)) bail(); // two elements with one ID: the shape of a wrapping attack
          this.ids.add(value);
        }
      }
    }

    const stack = this.stack;
    if (stack.length === 0) {
      if (this.rootSeen) bail();
      this.rootSeen = true;
    }
    if (stack.length === 1 && this.wantedRanges.has(name)) {
      if (this.ranges.has(name)) this.repeated.add(name);
      else this.rangeStart = lt;
    }
    stack.push(name);
    if (this.strict && stack.length > MAX_STRICT_DEPTH) bail();
    if (reserved && (this.out || isPrefix(stack, this.target))) bail();
    if (!this.out && this.canonical === null && stack.length === this.target.length && pathEquals(stack, this.target)) {
      this.out = [];
      this.copyFrom = lt;
      this.targetDepth = stack.length;
    }
    if (this.out && (selfClosing || attributes || end - lt !== name.length + 2)) {
      const canonical = canonicalStartTag(name, attributes);
      const sourceIsCanonical = !selfClosing && end - lt === canonical.length && s.startsWith(canonical, lt);
      if (!sourceIsCanonical) this.replace(lt, end, selfClosing ? `${canonical}</${name}>` : canonical);
    }
    if (collectable) {
      const index = this.collect.findIndex((path) => path.length === stack.length && pathEquals(stack, path));
      if (index !== -1) {
        if (this.collecting) bail(); // nested collected elements: not a shape we expect
        this.collecting = { index, parts: [] };
      }
    }
    if (selfClosing) this.close(name, end, true);
    return end;
  }

  private close(name: string, end: number, selfClosing = false): void {
    const stack = this.stack;
    const collecting = this.collecting;
    if (collecting && stack.length === (this.collect[collecting.index] as readonly string[]).length) {
      (this.collected[collecting.index] as string[]).push(collecting.parts.join(''));
      this.collecting = null;
    }
    if (this.out && stack.length === this.targetDepth) {
      if (!selfClosing) this.out.push(this.s.slice(this.copyFrom, end));
      this.copyFrom = end;
      this.canonical = this.out.join('');
      this.out = null;
    }
    if (stack.length === 2 && this.rangeStart !== -1 && !this.ranges.has(name)) {
      this.ranges.set(name, { start: this.rangeStart, end });
      this.rangeStart = -1;
    }
    stack.pop();
    if (stack.length === 0) this.rootClosed = true;
  }

  /** Emits the source since the last replacement, then `replacement` for [start, end). */
  private replace(start: number, end: number, replacement: string): void {
    const out = this.out as string[];
    if (start > this.copyFrom) out.push(this.s.slice(this.copyFrom, start));
    if (replacement) out.push(replacement);
    this.copyFrom = end;
  }

  /** Checks a name; returns whether a `collect` path ends with it. */
  private validName(name: string): boolean {
    if (!validNames.has(name)) {
      if (BAD_NAME_BYTES.test(name) || BAD_NAME_START_BYTES.test(name)) bail();
      if (validNames.size < MAX_VALID_NAMES) validNames.add(name);
    }
    for (const c of this.collectNames) if (c === name) return true;
    return false;
  }
}

function isPrefix(stack: readonly string[], path: readonly string[]): boolean {
  return stack.length <= path.length && pathEquals(path, stack);
}

function pathEquals(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function canonicalStartTag(name: string, attributes: [string, string][] | null): string {
  if (!attributes) return `<${name}>`;
  // Namespace URIs are all empty here, so C14N's order is by local name in code point order,
  // which for UTF-8 bytes (this latin1 view) is plain string comparison.
  const sorted = attributes.length > 1 ? [...attributes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : attributes;
  let tag = `<${name}`;
  for (const [n, v] of sorted) tag += ` ${n}="${escapeAttribute(v)}"`;
  return `${tag}>`;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&]*)(;?)/g, (_whole, ref: string, semicolon: string) => {
    if (!semicolon) bail();
    const named = PREDEFINED[ref];
    if (named !== undefined) return named;
    const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref);
    if (!m) bail(); // an entity that would need a DTD
    const code = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2] as string, 10);
    const isChar = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!isChar) bail();
    return toLatin1(String.fromCodePoint(code));
  });
}

function decodeAttribute(raw: string): string {
  // Attribute-value normalisation for CDATA attributes (XML 1.0 §3.3.3): line ends first, then
  // each literal white-space character becomes a space; characters from references stay as they are.
  return decodeReferences(raw.replace(/\r\n?/g, '\n').replace(/[\t\n]/g, ' '));
}

function escapeText(value: string): string {
  if (!/[&<>\r]/.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

function escapeAttribute(value: string): string {
  if (!/[&<"\t\n\r]/.test(value)) return value;
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

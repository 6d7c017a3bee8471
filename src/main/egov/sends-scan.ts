// Main process. Reading 送信案件一覧 (A.8–A.11) in one left-to-right pass. The case sync reads this
// answer every cycle and it holds one Apply per tracked case (10,000 cases ≈ 170,000 elements), so
// going through the general parser's tree (./xml.ts, then decodeSends) costs ~100 µs a case; this
// reader builds the SendsAnswer straight from the text.
//
// It reads only the plain shape e-Gov and the sandbox write: an optional `<?xml version="1.0"
// encoding="UTF-8"?>`, elements without attributes, white space between elements, text with the
// five XML entities and character references. Anything else — a DTD, a comment, CDATA, an attribute,
// a missing or repeated element, a count that does not add up, an error answer — is handed to the
// general path (interpretResponse + decodeSends), which reads it or throws its usual typed error.
// So whatever this returns is what the general path returns for the same bytes, and whatever it
// cannot vouch for gets the general path's own verdict, errors and all.
import { isUtf8 } from 'node:buffer';
import type { ArrivedApplication, SendSummary } from '../../shared/filing.js';
import { ARRIVE_ID, COUNT, SENDS_ARRAY_ELEMENTS, decodeSends, isSendNumber, type SendsAnswer } from './apply-codec.js';
import { SUCCESS_STATUSES, interpretResponse } from './reply.js';

/** 送信案件一覧's answer from the status and bytes: the plain shape read here, everything else by the general path. */
export function readSendsReply(status: number, body: Buffer | string): SendsAnswer {
  if (SUCCESS_STATUSES.has(status)) {
    const answer = scanSends(body);
    if (answer) return answer;
  }
  return decodeSends(interpretResponse(status, body, { arrayElements: SENDS_ARRAY_ELEMENTS }).applData);
}

/** The answer when `body` is a Code 0 送信案件一覧 of the plain shape that decodeSends accepts; null otherwise. */
export function scanSends(body: Buffer | string): SendsAnswer | null {
  let bytes: Buffer;
  if (typeof body === 'string') {
    // a lone surrogate would not survive the trip through UTF-8; the general path keeps it
    if (/\p{Cs}/u.test(body)) return null;
    bytes = Buffer.from(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body, 'utf8');
  } else {
    // what the general path's fatal TextDecoder accepts; toString is exact on valid UTF-8
    if (!isUtf8(body)) return null;
    bytes = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? body.subarray(3) : body;
  }
  try {
    return readDocument(new Cursor(bytes));
  } catch (e) {
    if (e === NOT_PLAIN) return null;
    throw e;
  }
}

// Thrown (one instance, no stack taken per use) when the body leaves the plain shape.
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain('not a plain 送信案件一覧 answer');

// The declarations this reader takes; any other is left to the general path, which checks the encoding.
const DECLARATION = /^<\?xml version=(["'])1\.0\1(?: encoding=(["'])(?:UTF-8|utf-8)\2)?\?>/;

// Values decoded from UTF-8 are kept by their bytes: the same ministry, procedure, status … repeat
// on every Apply, and comparing bytes with the field's last value (then a lookup) is cheaper than
// decoding again. The lookup is bounded, so unique values cost no memory.
const MAX_REMEMBERED_VALUES = 4096;

/**
 * Markup is ASCII, so the structure is read on a latin1 view of the bytes (one char per byte, the
 * cheapest string to make) and only values with other bytes are decoded as UTF-8.
 */
class Cursor {
  readonly b: Buffer;
  readonly s: string;
  p = 0;
  /** the element just opened was written `<Name/>` */
  empty = false;
  readonly #decoded = new Map<string, string>();
  // per field slot, the bytes and value of its last value that was not plain ASCII
  readonly #lastStart = new Int32Array(SLOTS.count).fill(-1);
  readonly #lastEnd = new Int32Array(SLOTS.count);
  readonly #lastValue: string[] = new Array<string>(SLOTS.count).fill('');

  constructor(bytes: Buffer) {
    this.b = bytes;
    this.s = bytes.toString('latin1');
  }

  /** XML white space (what a container holds between its children). */
  space(): void {
    const s = this.s;
    let p = this.p;
    for (let c = s.charCodeAt(p); c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d; c = s.charCodeAt(++p));
    this.p = p;
  }

  /** After white space: the name of the element opening here, or null at a closing tag. */
  open(): string | null {
    this.space();
    const s = this.s;
    const start = this.p;
    if (s.charCodeAt(start) !== 0x3c) throw NOT_PLAIN;
    let p = start + 1;
    let c = s.charCodeAt(p);
    if (c === 0x2f) return null;
    // a name of ASCII letters and digits, starting with a letter: every name of this answer
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) throw NOT_PLAIN;
    do c = s.charCodeAt(++p);
    while ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39));
    const name = s.slice(start + 1, p);
    if (c === 0x3e) {
      this.empty = false;
      this.p = p + 1;
    } else if (c === 0x2f && s.charCodeAt(p + 1) === 0x3e) {
      this.empty = true;
      this.p = p + 2;
    } else {
      throw NOT_PLAIN;
    }
    return name;
  }

  /** True (and past it) when `tag`, an opening tag `<Name>` (ASCII), is next. */
  opens(tag: Uint8Array): boolean {
    this.space();
    if (!this.#at(tag)) return false;
    this.p += tag.length;
    this.empty = false;
    return true;
  }

  /** `tag`, the closing tag `</Name>` (ASCII) open() stopped at. */
  close(tag: Uint8Array): void {
    if (!this.#at(tag)) throw NOT_PLAIN;
    this.p += tag.length;
  }

  // compared on the bytes: a tag is a dozen bytes, and this is the reader's most frequent step
  #at(tag: Uint8Array): boolean {
    const b = this.b;
    const p = this.p;
    if (p + tag.length > b.length) return false;
    for (let i = 0; i < tag.length; i++) if (b[p + i] !== tag[i]) return false;
    return true;
  }

  /** The value of the element just opened, which must hold text only and end with `closeTag`. */
  leaf(closeTag: Uint8Array, slot = -1): string {
    if (this.empty) return '';
    const start = this.p;
    const lt = this.s.indexOf('<', start);
    if (lt < 0) throw NOT_PLAIN;
    this.p = lt;
    this.close(closeTag);
    return this.#value(start, lt, slot);
  }

  #value(start: number, end: number, slot: number): string {
    const b = this.b;
    let i = start;
    while (i < end) {
      const c = b[i]!;
      if (c >= 0x80 || c === 0x26 || c === 0x0d) break;
      i++;
    }
    // ASCII without references or CRs: the latin1 text is the text
    if (i === end) return this.s.slice(start, end).trim();
    if (slot >= 0) {
      const lastStart = this.#lastStart[slot]!;
      if (lastStart >= 0 && this.#lastEnd[slot]! - lastStart === end - start && this.#same(lastStart, start, end - start)) return this.#lastValue[slot]!;
      const value = this.#remembered(start, end);
      this.#lastStart[slot] = start;
      this.#lastEnd[slot] = end;
      this.#lastValue[slot] = value;
      return value;
    }
    return this.#remembered(start, end);
  }

  #same(a: number, b: number, length: number): boolean {
    const bytes = this.b;
    for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
    return true;
  }

  #remembered(start: number, end: number): string {
    const b = this.b;
    const key = this.s.slice(start, end);
    let value = this.#decoded.get(key);
    if (value === undefined) {
      value = textValue(b.toString('utf8', start, end));
      if (this.#decoded.size < MAX_REMEMBERED_VALUES) this.#decoded.set(key, value);
    }
    return value;
  }

  /** Skips an element this answer does not use; one with children is left to the general path. */
  ignore(name: string): void {
    // a name the general parser's plain objects have already (constructor, toString …) is not risked
    if (name in Object.prototype) throw NOT_PLAIN;
    this.leaf(ascii(`</${name}>`));
  }

  /** The element just opened must have children (an empty one is an error of the general path's to report). */
  container(): void {
    if (this.empty) throw NOT_PLAIN;
  }
}

/**
 * The general parser's value of a text: line ends normalised (\r\n and \r become \n), trimmed as
 * String.prototype.trim does, then references replaced.
 */
function textValue(raw: string): string {
  let v = raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
  v = v.trim();
  return v.indexOf('&') < 0 ? v : references(v);
}

const REFERENCE = /&(?:(amp|lt|gt|quot|apos);|#([0-9]{1,7});|#x([0-9a-fA-F]{1,6});)?/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function references(v: string): string {
  return v.replace(REFERENCE, (_m, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (named !== undefined) return NAMED[named]!;
    if (dec === undefined && hex === undefined) throw NOT_PLAIN;
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    // characters XML 1.0 allows; the general path removes or keeps the others verbatim
    const allowed = cp === 0x09 || cp === 0x0a || cp === 0x0d || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0x10ffff);
    if (!allowed) throw NOT_PLAIN;
    return String.fromCodePoint(cp);
  });
}

function count(text: string | undefined): number {
  if (text === undefined || !COUNT.test(text)) throw NOT_PLAIN;
  return Number(text);
}

function required(text: string | undefined): string {
  if (text === undefined) throw NOT_PLAIN;
  return text;
}

/**
 * What a container holds: its text elements in the order e-Gov writes them, and the names of its
 * child containers (read by the caller).
 */
interface Shape {
  /** the closing tag */
  end: Uint8Array;
  fields: readonly string[];
  /** `<Field>` and `</Field>` of each field */
  openTags: readonly Uint8Array[];
  closeTags: readonly Uint8Array[];
  /** each field's slot in the Cursor's last-value memory */
  slots: readonly number[];
  index: ReadonlyMap<string, number>;
  children: ReadonlySet<string>;
}

const SLOTS = { count: 0 };

function ascii(tag: string): Uint8Array {
  return Buffer.from(tag, 'latin1');
}

function shape(name: string, fields: readonly string[], children: readonly string[] = []): Shape {
  return {
    end: ascii(`</${name}>`),
    fields,
    openTags: fields.map((f) => ascii(`<${f}>`)),
    closeTags: fields.map((f) => ascii(`</${f}>`)),
    slots: fields.map(() => SLOTS.count++),
    index: new Map(fields.map((f, i) => [f, i])),
    children: new Set(children),
  };
}

const DATA_ROOT = shape('DataRoot', [], ['Result', 'ApplData']);
const RESULT = shape('Result', ['Code', 'Message']);
const APPL_DATA = shape('ApplData', ['SendNumber', 'SendDateFrom', 'SendDateTo', 'PackageApplyCount'], ['PackageApply']);
const PACKAGE_APPLY = shape(
  'PackageApply',
  ['No', 'SendNumber', 'SendDate', 'WorkStatus', 'NormalCount', 'AllCount', 'SupplementaryMessage', 'ErrorCount', 'ErrorFile', 'ApplyCount'],
  ['Apply'],
);
// sic: e-Gov spells it CorporationtName (REFERENCE §4.4)
const APPLY = shape('Apply', [
  'No',
  'ArriveID',
  'MinistryName',
  'ProcName',
  'ProcFolderName',
  'ApplicantName',
  'CorporationtName',
  'DepartmentName',
  'Status',
  'StatusDate',
  'PayStatus',
  'PayWaitCount',
  'CorrectStatus',
  'CommentCountNotRead',
  'CommentCount',
  'DocCountNotDownload',
  'DocCount',
]);

/**
 * The children of the element of `s` just opened, to its closing tag: each text element of the
 * shape at most once (by position in `fields`; undefined when absent), each child container through
 * `onChild`, any other text element skipped. The element e-Gov writes next is tried first.
 */
function readElement(r: Cursor, s: Shape, onChild?: (name: string) => void): (string | undefined)[] {
  r.container();
  const { fields } = s;
  const values = new Array<string | undefined>(fields.length).fill(undefined);
  let next = 0;
  for (;;) {
    let k: number;
    if (next < fields.length && r.opens(s.openTags[next]!)) {
      k = next;
    } else {
      const name = r.open();
      if (name === null) break;
      if (onChild && s.children.has(name)) {
        onChild(name);
        continue;
      }
      k = s.index.get(name) ?? -1;
      if (k < 0) {
        r.ignore(name);
        continue;
      }
    }
    if (values[k] !== undefined) throw NOT_PLAIN;
    values[k] = r.leaf(s.closeTags[k]!, s.slots[k]);
    next = k + 1;
  }
  r.close(s.end);
  return values;
}

function readDocument(r: Cursor): SendsAnswer {
  const declaration = DECLARATION.exec(r.s);
  if (declaration) r.p = declaration[0].length;
  if (r.open() !== 'DataRoot') throw NOT_PLAIN;
  let code: string | undefined;
  let answer: SendsAnswer | undefined;
  readElement(r, DATA_ROOT, (name) => {
    if (name === 'Result') {
      if (code !== undefined) throw NOT_PLAIN;
      // Message is read for its shape only: a Code 0 answer's message is not used
      code = required(readElement(r, RESULT)[0]);
    } else {
      if (answer) throw NOT_PLAIN;
      answer = readApplData(r);
    }
  });
  r.space();
  if (r.p !== r.s.length || code !== '0' || !answer) throw NOT_PLAIN;
  return answer;
}

function readApplData(r: Cursor): SendsAnswer {
  const sends: SendSummary[] = [];
  const [sendNumber, sendDateFrom, sendDateTo, packageCount] = readElement(r, APPL_DATA, () => sends.push(readPackage(r)));
  if (count(packageCount) !== sends.length) throw NOT_PLAIN;
  return { sendNumber: sendNumber ?? '', sendDateFrom: sendDateFrom ?? '', sendDateTo: sendDateTo ?? '', sends };
}

function readPackage(r: Cursor): SendSummary {
  const applications: ArrivedApplication[] = [];
  const [, sendNumber, sendDate, workStatus, normalCount, allCount, supplementaryMessage, errorCount, errorFile, applyCount] = readElement(r, PACKAGE_APPLY, () =>
    applications.push(readApply(r)),
  );
  if (sendNumber === undefined || !isSendNumber(sendNumber) || count(applyCount) !== applications.length) throw NOT_PLAIN;
  return {
    sendNumber,
    sendDate: required(sendDate),
    workStatus: workStatus ?? '',
    normalCount: count(normalCount),
    allCount: count(allCount),
    errorCount: count(errorCount),
    supplementaryMessage: supplementaryMessage ?? '',
    errorFileBase64: errorFile === undefined || errorFile === '' ? null : errorFile,
    applications,
  };
}

function readApply(r: Cursor): ArrivedApplication {
  const v = readElement(r, APPLY);
  const arriveId = v[1];
  if (arriveId === undefined || !ARRIVE_ID.test(arriveId)) throw NOT_PLAIN;
  return {
    arriveId,
    ministryName: v[2] ?? '',
    procedureName: v[3] ?? '',
    procedureFolderName: v[4] ?? '',
    applicantName: v[5] ?? '',
    corporationName: v[6] ?? '',
    departmentName: v[7] ?? '',
    status: required(v[8]),
    statusDate: v[9] ?? '',
    payStatus: v[10] ?? '',
    payWaitCount: count(v[11]),
    correctStatus: v[12] ?? '',
    commentCountNotRead: count(v[13]),
    commentCount: count(v[14]),
    docCountNotDownload: count(v[15]),
    docCount: count(v[16]),
  };
}

// Main process. Reading e-Gov response bodies (REFERENCE §2.5, §2.6, §10): a real XML parser, values
// kept as strings, no dependence on whitespace, line ends or the XML declaration (the 400 of 利用者ID
// 登録 has none), `Result/Code` read first. Anything else becomes EGOV_MALFORMED_RESPONSE.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { malformedResponse } from './errors.js';

export type XmlValue = string | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

export type ResultCode = '0' | '1';

export interface EgovResult {
  code: ResultCode;
  /** Result/Message verbatim ('' when empty) */
  message: string;
}

export interface EgovDocument {
  result: EgovResult;
  /** the children of ApplData; null when the body has none (seen only on errors) */
  applData: XmlNode | null;
}

export interface ParseOptions {
  /** element names that are always arrays, even when they occur once (list entries) */
  arrayElements?: readonly string[];
  /**
   * element names whose content is taken verbatim: not trimmed, entities not decoded, markup inside
   * kept as text. For big base64 values only, where it is ~30x faster. Default: FileData.
   */
  rawTextElements?: readonly string[];
}

export const DEFAULT_RAW_TEXT_ELEMENTS: readonly string[] = ['FileData'];

const ATTR_PREFIX = '@_';
const TEXT_KEY = '#text';

// A DTD is refused before parsing, so no body can declare entities; these limits are a second line.
// `appliesTo: 'external'` (not in fast-xml-parser's typings) keeps them off &amp; &lt; &#x…;: with its
// default 'all', the 1001st predefined reference in a document fails the parse — and 一括申請's
// ErrorFile is HTML escaped with exactly such references.
const ENTITY_LIMITS = {
  enabled: true,
  maxEntitySize: 1000,
  maxExpansionDepth: 3,
  maxTotalExpansions: 100,
  maxExpandedLength: 10_000,
  maxEntityCount: 10,
  appliesTo: 'external',
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function parserFor(arrayElements: readonly string[], rawTextElements: readonly string[]): XMLParser {
  const arrays = new Set(arrayElements);
  return new XMLParser({
    stopNodes: rawTextElements.map((name) => `*.${name}`),
    ignoreAttributes: false,
    attributeNamePrefix: ATTR_PREFIX,
    textNodeName: TEXT_KEY,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // processEntities + htmlEntities: the only way to have &#x3042; decoded (FEASIBILITY-NOTES §4)
    processEntities: ENTITY_LIMITS,
    htmlEntities: true,
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && arrays.has(name),
  });
}

const defaultParser = parserFor([], DEFAULT_RAW_TEXT_ELEMENTS);

function decodeText(body: Buffer | string): string {
  if (typeof body === 'string') return body.startsWith('\uFEFF') ? body.slice(1) : body;
  try {
    return strictUtf8.decode(body);
  } catch (cause) {
    throw malformedResponse('UTF-8 として読めません', 'body is not valid UTF-8', { cause });
  }
}

/** Parses a whole XML document into `{ rootName, root }`; rejects anything not well-formed. */
export function parseXmlDocument(body: Buffer | string, opts: ParseOptions = {}): { rootName: string; root: XmlNode } {
  const text = decodeText(body);
  if (!text.trim()) throw malformedResponse('本文が空です', 'empty body');
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) {
    throw malformedResponse(`文字コード ${declared} には対応していません`, `unsupported encoding ${declared}`);
  }
  // e-Gov never sends a DTD; refusing it removes every entity-expansion attack at once.
  if (/<!DOCTYPE/i.test(text)) throw malformedResponse('DTD が含まれています', 'DOCTYPE present');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw malformedResponse('XML ではありません', `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  let parsed: unknown;
  try {
    const custom = opts.arrayElements?.length || opts.rawTextElements;
    parsed = (custom ? parserFor(opts.arrayElements ?? [], opts.rawTextElements ?? DEFAULT_RAW_TEXT_ELEMENTS) : defaultParser).parse(text);
  } catch (cause) {
    throw malformedResponse('XML を解釈できません', `parser rejected the body: ${(cause as Error).message}`, { cause });
  }
  const entries = isNode(parsed) ? Object.entries(parsed) : [];
  const [first] = entries;
  if (entries.length !== 1 || !first) throw malformedResponse('ルート要素が一つではありません', 'not exactly one root element');
  const [rootName, rootValue] = first;
  if (Array.isArray(rootValue)) throw malformedResponse('ルート要素が一つではありません', 'repeated root element');
  return { rootName, root: asNode(rootValue) };
}

/** An e-Gov response body: DataRoot, Result (Code 0 or 1, Message) and ApplData. */
export function parseEgovDocument(body: Buffer | string, opts: ParseOptions = {}): EgovDocument {
  const { rootName, root } = parseXmlDocument(body, opts);
  if (rootName !== 'DataRoot') throw malformedResponse('DataRoot がありません', `root element is ${rootName}, not DataRoot`);
  const resultValue = own(root, 'Result');
  if (resultValue === undefined) throw malformedResponse('Result がありません', 'no Result element');
  if (Array.isArray(resultValue) || typeof resultValue === 'string') {
    throw malformedResponse('Result の形が正しくありません', 'Result is not a single element with children');
  }
  const code = optionalText(resultValue, 'Code');
  if (code !== '0' && code !== '1') {
    throw malformedResponse('Result/Code が想定外の値です', code === undefined ? 'no Result/Code' : `unknown Result/Code ${JSON.stringify(code.slice(0, 20))}`);
  }
  const message = optionalText(resultValue, 'Message') ?? '';
  const applDataValue = own(root, 'ApplData');
  if (Array.isArray(applDataValue)) throw malformedResponse('ApplData が複数あります', 'more than one ApplData');
  return { result: { code, message }, applData: applDataValue === undefined ? null : asNode(applDataValue) };
}

/** The text of the single child element `name`; '' for an empty element. */
export function requiredText(node: XmlNode, name: string): string {
  const text = optionalText(node, name);
  if (text === undefined) throw malformedResponse(`${name} がありません`, `missing element ${name}`);
  return text;
}

/** Like requiredText, but undefined when the element is absent. */
export function optionalText(node: XmlNode, name: string): string | undefined {
  const value = own(node, name);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) throw malformedResponse(`${name} が複数あります`, `element ${name} occurs more than once`);
  const childElements = Object.keys(value).filter((k) => k !== TEXT_KEY && !k.startsWith(ATTR_PREFIX));
  if (childElements.length) throw malformedResponse(`${name} に想定外の子要素があります`, `element ${name} has child elements`);
  const text = value[TEXT_KEY];
  return typeof text === 'string' ? text : '';
}

/** The single child element `name` as a node (an empty element gives {}). */
export function requiredChild(node: XmlNode, name: string): XmlNode {
  const value = own(node, name);
  if (value === undefined) throw malformedResponse(`${name} がありません`, `missing element ${name}`);
  if (Array.isArray(value)) throw malformedResponse(`${name} が複数あります`, `element ${name} occurs more than once`);
  return asNode(value);
}

/** Every child element `name` (zero or more), whether or not the parser made an array of it. */
export function childList(node: XmlNode, name: string): XmlValue[] {
  const value = own(node, name);
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function own(node: XmlNode, name: string): XmlValue | undefined {
  return Object.hasOwn(node, name) ? node[name] : undefined;
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An element parsed as a string (empty or text-only) holds no children. */
function asNode(value: XmlValue): XmlNode {
  if (typeof value === 'string') {
    if (value.trim()) throw malformedResponse('要素の中身が想定外です', 'expected child elements, found text');
    return {};
  }
  if (Array.isArray(value)) throw malformedResponse('要素が複数あります', 'unexpected repeated element');
  return value;
}

// Main process. The only way XML enters the signing code: strict UTF-8, a size and depth limit, no
// DOCTYPE (so no entities, no external fetches, no billion laughs), and every parser complaint —
// even the ones xmldom would only log — turned into a typed error.
import './xmldom-regexp-cache.js';
import { DOMParser, type Document, type Node as XmlNode } from '@xmldom/xmldom';
import { prologHasDoctype } from './xml-lexer.js';
import { xmlDoctype, xmlMalformed, xmlTooLarge } from './xml-errors.js';

/** kousei.xml is ~8 KB, a 公文書 ~5 KB, a signed request ~3 KB: 10 MiB is generous and still bounded. */
export const DEFAULT_MAX_XML_BYTES = 10 * 1024 * 1024;
/** Canonicalisation recurses per level; real e-Gov documents are under 15 deep. */
export const MAX_XML_DEPTH = 256;

export interface ParseXmlOptions {
  maxBytes?: number;
}

export interface DecodedXml {
  /** the document text without a leading BOM, line ends untouched */
  text: string;
  /** whether the bytes started with a UTF-8 BOM (kept when the document is written back) */
  bom: boolean;
}

const BOM = '\uFEFF';
/** Outside the XML 1.0 Char production (C0 controls but TAB/LF/CR, U+FFFE, U+FFFF). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const ILLEGAL_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Strict UTF-8 decoding with the size limit; a BOM is reported, not kept in the text. */
export function decodeXml(input: string | Buffer, opts: ParseXmlOptions = {}): DecodedXml {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  let text: string;
  if (typeof input === 'string') {
    const size = Buffer.byteLength(input, 'utf8');
    if (size > maxBytes) throw xmlTooLarge(size, maxBytes);
    if (LONE_SURROGATE.test(input)) throw xmlMalformed('文字列に不正な文字（孤立サロゲート）が含まれています');
    text = input;
  } else {
    if (input.length > maxBytes) throw xmlTooLarge(input.length, maxBytes);
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
    } catch (cause) {
      throw xmlMalformed('UTF-8 として読めないバイト列があります', cause);
    }
  }
  const bom = text.startsWith(BOM);
  return { text: bom ? text.slice(1) : text, bom };
}

// xmldom's default follows XML 1.1 and also turns U+0085, U+2028 and U+2029 into LF. e-Gov and
// xmlsec1 read XML 1.0, where those are ordinary characters; normalising them would let two texts
// that others read differently share one digest.
function normalizeXml10LineEnds(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function declaredEncodingProblem(doc: Document): string | null {
  const first = doc.firstChild;
  if (!first || first.nodeType !== 7 || first.nodeName !== 'xml') return null;
  const data = (first as unknown as { data: string }).data;
  const version = /version\s*=\s*(["'])([^"']*)\1/.exec(data)?.[2];
  if (version !== undefined && version !== '1.0') return `XML バージョン ${version} には対応していません`;
  const encoding = /encoding\s*=\s*(["'])([^"']*)\1/.exec(data)?.[2];
  if (encoding !== undefined && encoding.toUpperCase() !== 'UTF-8') return `文字コード ${encoding} には対応していません（UTF-8 のみ）`;
  return null;
}

/** Depth, leftover DOCTYPE/entity nodes and characters that arrived as character references. */
function checkTree(doc: Document): void {
  const stack: Array<{ node: XmlNode; depth: number }> = [{ node: doc, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_XML_DEPTH) throw xmlMalformed(`要素の入れ子が深すぎます（${MAX_XML_DEPTH} 段まで）`);
    switch (node.nodeType) {
      case 10: // DocumentType
      case 5: // EntityReference
      case 6: // Entity
        throw xmlDoctype();
      case 1: {
        const attrs = (node as unknown as { attributes: ArrayLike<{ value: string }> }).attributes;
        for (let i = 0; i < attrs.length; i++) {
          if (ILLEGAL_XML_CHAR.test(attrs[i]!.value)) throw xmlMalformed('属性値に XML で使えない文字があります');
        }
        break;
      }
      case 3:
      case 4:
      case 7:
      case 8: {
        const data = (node as unknown as { data: string }).data;
        if (ILLEGAL_XML_CHAR.test(data)) throw xmlMalformed('XML で使えない文字があります');
        break;
      }
      default:
        break;
    }
    for (let child = node.firstChild; child; child = child.nextSibling) stack.push({ node: child, depth: depth + 1 });
  }
}

/** Parses already-decoded text (no BOM); throws SigningError for anything but clean XML 1.0. */
export function parseXmlText(text: string): Document {
  if (ILLEGAL_XML_CHAR.test(text)) throw xmlMalformed('XML で使えない制御文字が含まれています');
  if (prologHasDoctype(text)) throw xmlDoctype();
  let complaint: string | null = null;
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: false,
      normalizeLineEndings: normalizeXml10LineEnds,
      onError: (level, message) => {
        complaint = `${level}: ${message}`;
        throw new Error(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (cause) {
    const reason = complaint ?? (cause instanceof Error ? cause.message : String(cause));
    throw xmlMalformed(/unclosed|missing root/i.test(reason) ? `途中で終わっています: ${reason}` : reason, cause);
  }
  if (!doc.documentElement) throw xmlMalformed('ルート要素がありません');
  const encodingProblem = declaredEncodingProblem(doc);
  if (encodingProblem) throw xmlMalformed(encodingProblem);
  checkTree(doc);
  return doc;
}

/**
 * Parses untrusted XML. Rejects DOCTYPE/entity declarations ('XML_DOCTYPE'), anything malformed,
 * truncated or not UTF-8 ('XML_MALFORMED') and input over the size limit ('XML_TOO_LARGE').
 */
export function parseXmlSafely(input: string | Buffer, opts: ParseXmlOptions = {}): Document {
  return parseXmlText(decodeXml(input, opts).text);
}

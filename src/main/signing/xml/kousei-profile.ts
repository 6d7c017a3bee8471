// Main process. Signs a 構成管理XML (kousei.xml, REFERENCE §5.2–5.3): a Reference to #構成情報
// (inclusive C14N) and one to each 申請書 file it lists (raw bytes), in a <署名情報> written right
// after </構成情報> on one line. Every other byte of the document — declaration, stylesheet PI,
// the tabs inside 構成情報 that the digest covers — is kept exactly; the 署名情報 is spliced into
// the original text, never produced by re-serialising a DOM.
import { createHash, verify as verifySignature } from 'node:crypto';
import { fastCanonicalize } from '../c14n-fast.js';
import type { Element as XmlElement } from '@xmldom/xmldom';
import { SigningError } from '../errors.js';
import type { Signer } from '../signer.js';
import { canonicalize } from './c14n.js';
import { assertUniqueIds, childElements, childrenNamed, isNamed, textOf } from './dom.js';
import { ALG, DSIG_NS, signatureXml, signedInfoXml, type ReferenceSpec } from './dsig.js';
import { assertSafeFileName, fileReferenceUri, KOUSEI_ID, kouseiElementUri, type KouseiReferenceForm } from './kousei-files.js';
import { decodeXml, DEFAULT_MAX_XML_BYTES, parseXmlText } from './safe-xml.js';
import { assertSignatureId, signDocument } from './sign-core.js';
import { listedFormFiles, type ReadFile } from './verify.js';
import { splitTopLevel, type ElementSpan } from './xml-lexer.js';
import { keyCertMismatch, kouseiFileMissing, kouseiNoKouseiJoho, signatureUnsupported, xmlMalformed } from './xml-errors.js';

export interface SignKouseiOptions {
  /** Signature/@Id; e-Gov's tools write the signing time as YYYYMMDDhhmmss */
  signatureId: string;
  /**
   * How the #構成情報 reference (and any non-ASCII file name) is written. 'percent-encoded' (the
   * default) is what every package e-Gov accepted carries; 'raw' is what xmlsec1 can resolve.
   */
  referenceForm?: KouseiReferenceForm;
  /**
   * Element paths inside 構成情報 (from its child down, e.g. ['管理情報', '申請者連絡先情報', …])
   * whose texts the caller also wants: read from the same scan or DOM the signature is made from,
   * so a caller that needs a value of the document does not read it a second time.
   */
  texts?: readonly (readonly string[])[];
}

export interface SignedKousei {
  xml: Buffer;
  /** the Reference URIs written, #構成情報 first */
  references: string[];
  /** SHA-256 of the canonical 構成情報: the value of the #構成情報 Reference's DigestValue */
  kouseiDigest: Buffer;
  /** per path of `texts`: the text content of each element at that path, in document order, untrimmed */
  texts: string[][];
}

/** Internal switch for tests that compare the two paths; callers never need it. */
export interface SignKouseiInternals {
  path?: 'auto' | 'dom';
}

function sha256Base64(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}

async function readListedFile(readFile: ReadFile, name: string): Promise<Buffer> {
  try {
    return await readFile(name);
  } catch (cause) {
    if (cause instanceof SigningError && cause.code.startsWith('KOUSEI_')) throw cause;
    throw kouseiFileMissing(name, cause);
  }
}

function findKouseiJoho(root: XmlElement): XmlElement {
  if (!isNamed(root, 'DataRoot')) throw kouseiNoKouseiJoho('ルート要素が DataRoot ではありません');
  const found = childrenNamed(root, KOUSEI_ID);
  if (found.length === 0) throw kouseiNoKouseiJoho('DataRoot の直下に 構成情報 要素がありません');
  if (found.length > 1) throw kouseiNoKouseiJoho('構成情報 要素が複数あります');
  const joho = found[0]!;
  if (joho.getAttribute('ID') !== KOUSEI_ID) throw kouseiNoKouseiJoho('構成情報 要素に ID="構成情報" がありません');
  return joho;
}

/** Where the new 署名情報 goes in the text: over the old one, or right after </構成情報>. */
function splicePoint(text: string, root: XmlElement, joho: XmlElement, old: XmlElement | undefined): { from: number; to: number } {
  let spans: ElementSpan[];
  try {
    const top = splitTopLevel(text);
    spans = top.children;
    const domNames = childElements(root).map((e) => e.nodeName);
    if (top.root.name !== root.nodeName || spans.length !== domNames.length || spans.some((s, i) => s.name !== domNames[i])) {
      throw new Error('lexer and DOM disagree');
    }
  } catch (cause) {
    throw xmlMalformed('文書の構造を読み取れませんでした', cause);
  }
  const kids = childElements(root);
  if (old) {
    const span = spans[kids.indexOf(old)]!;
    return { from: span.start, to: span.end };
  }
  const end = spans[kids.indexOf(joho)]!.end;
  return { from: end, to: end };
}

/**
 * SHA-256 of the canonical 構成情報 — the digest signing writes into the #構成情報 Reference — without
 * signing: what the filing needs to recognise data sent before, before anyone is asked for a PIN.
 * Same reading as signKouseiDetailed: the scan when it applies, the DOM otherwise.
 */
export function kouseiJohoDigest(kouseiXml: Buffer): Buffer {
  if (kouseiXml.length <= DEFAULT_MAX_XML_BYTES) {
    const scan = fastCanonicalize(kouseiXml, { canonicalize: KOUSEI_PATH, ranges: [KOUSEI_ID] });
    const range = scan?.ranges.get(KOUSEI_ID);
    if (scan && range && scan.canonical.subarray(0, KOUSEI_START.length).equals(KOUSEI_START) && kouseiXml.indexOf(KOUSEI_START, range.start + 1) === -1) {
      return createHash('sha256').update(scan.canonical).digest();
    }
  }
  const joho = findKouseiJoho(parseXmlText(decodeXml(kouseiXml).text).documentElement!);
  return createHash('sha256').update(canonicalize(joho)).digest();
}

/** signKousei, also returning the Reference URIs it wrote. */
export async function signKouseiDetailed(
  kouseiXml: Buffer,
  readFile: ReadFile,
  signer: Signer,
  opts: SignKouseiOptions,
  internals: SignKouseiInternals = {},
): Promise<SignedKousei> {
  assertSignatureId(opts.signatureId);
  const form = opts.referenceForm ?? 'percent-encoded';
  if (internals.path !== 'dom') {
    const fast = await signKouseiFast(kouseiXml, readFile, signer, opts.signatureId, form, opts.texts ?? []);
    if (fast) return fast;
  }
  const { text, bom } = decodeXml(kouseiXml);
  const doc = parseXmlText(text);
  const root = doc.documentElement!;
  const joho = findKouseiJoho(root);
  const oldSignatures = childrenNamed(root, '署名情報');
  if (oldSignatures.length > 1) throw signatureUnsupported('署名情報 が複数あります');
  const old = oldSignatures[0];
  assertUniqueIds(doc, old);

  const names = listedFormFiles(joho);
  for (const name of names) assertSafeFileName(name);
  const files = new Map<string, Buffer>();
  for (const name of names) files.set(name, await readListedFile(readFile, name));

  const kouseiDigest = createHash('sha256').update(canonicalize(joho)).digest();
  const texts = (opts.texts ?? []).map((path) => {
    let current: XmlElement[] = [joho];
    for (const name of path) current = current.flatMap((el) => childrenNamed(el, name));
    return current.map(textOf);
  });
  const references: ReferenceSpec[] = [
    { uri: kouseiElementUri(form), transforms: [ALG.c14n], digestValue: kouseiDigest.toString('base64') },
    ...names.map((name) => ({ uri: fileReferenceUri(name, form), transforms: [], digestValue: sha256Base64(files.get(name)!) })),
  ];
  const { from, to } = splicePoint(text, root, joho, old);
  const signed = await signDocument({
    profile: 'kousei',
    compose: (signature) => `${text.slice(0, from)}<署名情報>${signature}</署名情報>${text.slice(to)}`,
    references,
    signatureId: opts.signatureId,
    signer,
    readFile: async (name) => {
      const bytes = files.get(name);
      if (!bytes) throw kouseiFileMissing(name);
      return bytes;
    },
  });
  return { xml: Buffer.from(bom ? `\uFEFF${signed}` : signed, 'utf8'), references: references.map((r) => r.uri), kouseiDigest, texts };
}

/**
 * Signs kousei.xml: #構成情報 plus every 申請書 file it lists (read through `readFile` by the name
 * written in 申請書ファイル名称). An existing 署名情報 is replaced. Returns the new document bytes.
 */
export async function signKousei(kouseiXml: Buffer, readFile: ReadFile, signer: Signer, opts: SignKouseiOptions): Promise<Buffer> {
  return (await signKouseiDetailed(kouseiXml, readFile, signer, opts)).xml;
}

/**
 * `texts` for a document with a second 構成情報 (which this path signs as before): the scan collected
 * under every 構成情報, and only the first one's texts are wanted, as the DOM path reads them.
 */
function textsUnderFirstKouseiJoho(xml: Buffer, texts: readonly (readonly string[])[]): string[][] {
  if (texts.length === 0) return [];
  const root = parseXmlText(decodeXml(xml).text).documentElement!;
  return texts.map((path) => {
    let current: XmlElement[] = childrenNamed(root, KOUSEI_ID).slice(0, 1);
    for (const name of path) current = current.flatMap((el) => childrenNamed(el, name));
    return current.map(textOf);
  });
}

const KOUSEI_PATH = ['DataRoot', KOUSEI_ID];
const FORM_FILE_PATH = ['DataRoot', KOUSEI_ID, '申請書属性情報', '申請書ファイル名称'];
const KOUSEI_START = Buffer.from(`<${KOUSEI_ID} ID="${KOUSEI_ID}">`);
const SIGNATURE_INFO_OPEN = Buffer.from('<署名情報');
const checkedSigners = new WeakSet<Signer>();

/**
 * The fast path for the plain, namespace-free kousei.xml every filer has (c14n-fast.ts): no DOM,
 * the signature spliced into the original bytes. It gives the same bytes as the DOM path (tests
 * compare them) and returns null for anything else, which then takes the DOM path with its full
 * checks and error messages. Its own check before returning: the signature value verifies with
 * the certificate's public key, so a key that does not match its certificate never leaves here.
 */
async function signKouseiFast(
  xml: Buffer,
  readFile: ReadFile,
  signer: Signer,
  signatureId: string,
  form: KouseiReferenceForm,
  texts: readonly (readonly string[])[],
): Promise<SignedKousei | null> {
  if (xml.length > DEFAULT_MAX_XML_BYTES) return null;
  const collect = [FORM_FILE_PATH, ...texts.map((path) => [...KOUSEI_PATH, ...path])];
  const scan = fastCanonicalize(xml, { canonicalize: KOUSEI_PATH, collect, ranges: [KOUSEI_ID, '署名情報'] });
  if (!scan || !scan.canonical.subarray(0, KOUSEI_START.length).equals(KOUSEI_START)) return null;
  // The new Signature's Id must not collide with an ID already in the document.
  if (scan.ids.has(signatureId)) return null;
  const kouseiRange = scan.ranges.get(KOUSEI_ID);
  const oldRange = scan.ranges.get('署名情報');
  const firstSignatureInfo = xml.indexOf(SIGNATURE_INFO_OPEN);
  // Several 構成情報 or 署名情報 elements (or one nested somewhere odd) are the DOM path's to refuse.
  if (!kouseiRange || xml.indexOf(KOUSEI_START, kouseiRange.start + 1) !== -1) return null;
  if (firstSignatureInfo !== -1 && (!oldRange || firstSignatureInfo !== oldRange.start || xml.indexOf(SIGNATURE_INFO_OPEN, oldRange.end) !== -1)) return null;

  // Same reading as listedFormFiles on the DOM path: trimmed, each file once.
  const names = [...new Set((scan.collected[0] ?? []).map((n) => n.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')))];
  for (const name of names) assertSafeFileName(name);
  const kouseiDigest = createHash('sha256').update(scan.canonical).digest();
  const references: ReferenceSpec[] = [{ uri: kouseiElementUri(form), transforms: [ALG.c14n], digestValue: kouseiDigest.toString('base64') }];
  for (const name of names) references.push({ uri: fileReferenceUri(name, form), transforms: [], digestValue: sha256Base64(await readListedFile(readFile, name)) });

  const signedInfo = signedInfoXml(references);
  // In place, SignedInfo inherits the default namespace of its Signature and nothing else (the
  // ancestors DataRoot and 署名情報 carry no namespaces, which the scan made sure of).
  const signedInfoScan = fastCanonicalize(Buffer.from(signedInfo), { canonicalize: ['SignedInfo'] });
  if (!signedInfoScan) return null;
  const canonicalSignedInfo = Buffer.concat([Buffer.from(`<SignedInfo xmlns="${DSIG_NS}"`), signedInfoScan.canonical.subarray('<SignedInfo'.length)]);
  const signatureValue = await signer.sign(canonicalSignedInfo);
  if (!checkedSigners.has(signer)) {
    // Once per signer: its key does not change, so one good signature proves key and certificate belong together.
    if (!verifySignature('sha256', canonicalSignedInfo, signer.certificate.publicKey, signatureValue)) throw keyCertMismatch();
    checkedSigners.add(signer);
  }

  const signature = signatureXml({ id: signatureId, signedInfo, signatureValue: signatureValue.toString('base64'), certificate: signer.certificate });
  const from = oldRange ? oldRange.start : kouseiRange.end;
  const to = oldRange ? oldRange.end : kouseiRange.end;
  return {
    xml: Buffer.concat([xml.subarray(0, from), Buffer.from(`<署名情報>${signature}</署名情報>`), xml.subarray(to)]),
    references: references.map((r) => r.uri),
    kouseiDigest,
    texts: scan.repeated.has(KOUSEI_ID) ? textsUnderFirstKouseiJoho(xml, texts) : texts.map((_, i) => scan.collected[i + 1] ?? []),
  };
}

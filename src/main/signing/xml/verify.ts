// Main process. Verifies the three e-Gov signature profiles: a signed API request (#ApplData), a
// 構成管理XML (#構成情報 plus its 申請書 files) and a 公文書's 官職署名 (#DOCBODY). Strict on shape:
// only the algorithms these profiles use, one Signature at its fixed place, IDs unique, and every
// reference must land on the element a reader of that document would read — anything else is an
// error, never a "valid" report about some other content.
import { constants, createHash, timingSafeEqual, verify as verifyRsa, type X509Certificate } from 'node:crypto';
import type { Document, Element as XmlElement } from '@xmldom/xmldom';
import type { CertificateInfo } from '../../../shared/domain.js';
import { certificateFromBase64, describeCertificate, validityAt, type ValidityState } from '../certificate.js';
import { SigningError } from '../errors.js';
import { canonicalize } from './c14n.js';
import { judgeChain } from './chain.js';
import { ALG, DSIG_NS } from './dsig.js';
import { allElements, assertUniqueIds, childElements, childrenNamed, hasOnlyElementContent, isNamed, textOf } from './dom.js';
import { fileNameFromUri, fragmentId, isSafeFileName, KOUSEI_ID } from './kousei-files.js';
import { parseXmlSafely } from './safe-xml.js';
import { signatureMissing, signatureUnsupported, xmlTargetMissing } from './xml-errors.js';

export type SignatureProfile = 'request' | 'kousei' | 'official';

export interface ReferenceResult {
  uri: string;
  kind: 'element' | 'file';
  valid: boolean;
  reason?: string;
}

export interface VerificationReport {
  profile: SignatureProfile;
  /** SignatureValue AND every reference check out; nothing else */
  valid: boolean;
  signatureValueValid: boolean;
  references: ReferenceResult[];
  signer: CertificateInfo;
  /** all KeyInfo certificates, signer first */
  certificates: CertificateInfo[];
  /** judged at opts.at ?? now; NOT folded into valid */
  validity: { at: string; state: ValidityState };
  /** trusted is null when no anchors were given */
  chain: { trusted: boolean | null; anchor?: CertificateInfo; reason?: string };
  /** Japanese, one per failed check */
  problems: string[];
}

export type ReadFile = (name: string) => Promise<Buffer>;

export interface VerifyOptions {
  profile?: 'auto' | SignatureProfile;
  /** reads a file of the application folder by its name (kousei profile) */
  readFile?: ReadFile;
  at?: Date;
  trustAnchors?: X509Certificate[];
  maxBytes?: number;
}

const PROFILE_LABEL: Record<SignatureProfile, string> = {
  request: '署名付きリクエスト',
  kousei: '構成管理XML',
  official: '公文書',
};

interface Located {
  target: XmlElement;
  targetId: string;
  targetLabel: string;
  allowedTransforms: ReadonlyArray<readonly string[]>;
}

interface ParsedReference {
  uri: string;
  transforms: string[];
  digest: Buffer | null;
}

interface ParsedSignature {
  signedInfo: XmlElement;
  canonicalization: string;
  references: ParsedReference[];
  signatureValue: Buffer | null;
  certificates: X509Certificate[];
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function strictBase64(text: string): Buffer | null {
  const compact = text.replace(/[ \t\r\n]/g, '');
  return compact.length > 0 && BASE64.test(compact) ? Buffer.from(compact, 'base64') : null;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function findSignature(doc: Document): XmlElement {
  const signatures = allElements(doc).filter((e) => isNamed(e, 'Signature', DSIG_NS));
  if (signatures.length === 0) throw signatureMissing();
  if (signatures.length > 1) throw signatureUnsupported('文書に署名（Signature）が複数あります');
  return signatures[0]!;
}

function detectProfile(doc: Document, requested: VerifyOptions['profile']): SignatureProfile {
  const root = doc.documentElement!;
  let detected: SignatureProfile | null = null;
  if (isNamed(root, 'DOC')) detected = 'official';
  else if (isNamed(root, 'DataRoot')) {
    if (childrenNamed(root, KOUSEI_ID).length > 0 || childrenNamed(root, '署名情報').length > 0) detected = 'kousei';
    else if (childrenNamed(root, 'ApplData').length > 0) detected = 'request';
  }
  if (requested && requested !== 'auto' && detected !== requested) {
    throw signatureUnsupported(`この文書は${PROFILE_LABEL[requested]}ではありません`);
  }
  if (!detected) throw signatureUnsupported('署名付きリクエスト・構成管理XML・公文書のいずれでもありません');
  return detected;
}

function onlyChild(parent: XmlElement, localName: string, label: string, id: { name: string; value: string }): XmlElement {
  const found = childrenNamed(parent, localName);
  if (found.length !== 1) throw xmlTargetMissing(label);
  const el = found[0]!;
  if (el.getAttribute(id.name) !== id.value) throw xmlTargetMissing(`${label}（${id.name}="${id.value}"）`);
  return el;
}

const ELEMENT_TRANSFORMS: ReadonlyArray<readonly string[]> = [[], [ALG.c14n]];
const OFFICIAL_TRANSFORMS: ReadonlyArray<readonly string[]> = [
  [],
  [ALG.c14n],
  [ALG.envelopedSignature],
  [ALG.envelopedSignature, ALG.c14n],
];

function locate(profile: SignatureProfile, doc: Document, sig: XmlElement): Located {
  const root = doc.documentElement!;
  switch (profile) {
    case 'request': {
      if (sig.parentNode !== root) throw signatureUnsupported('署名（Signature）が DataRoot の直下にありません');
      const target = onlyChild(root, 'ApplData', 'DataRoot 直下の ApplData', { name: 'Id', value: 'ApplData' });
      const kids = childElements(root);
      if (kids.length !== 2 || kids[0] !== target || kids[1] !== sig) {
        throw signatureUnsupported('DataRoot の子要素は ApplData と Signature だけでなければなりません');
      }
      return { target, targetId: 'ApplData', targetLabel: 'ApplData', allowedTransforms: ELEMENT_TRANSFORMS };
    }
    case 'kousei': {
      const holder = sig.parentNode;
      const holders = childrenNamed(root, '署名情報');
      if (!isNamed(holder, '署名情報') || holder.parentNode !== root || holders.length !== 1) {
        throw signatureUnsupported('署名（Signature）が DataRoot 直下の 署名情報 の中にありません');
      }
      if (childElements(holder).length !== 1) throw signatureUnsupported('署名情報 には Signature だけを入れてください');
      const target = onlyChild(root, KOUSEI_ID, 'DataRoot 直下の 構成情報', { name: 'ID', value: KOUSEI_ID });
      return { target, targetId: KOUSEI_ID, targetLabel: KOUSEI_ID, allowedTransforms: ELEMENT_TRANSFORMS };
    }
    case 'official': {
      if (sig.parentNode !== root) throw signatureUnsupported('署名（Signature）が DOC の直下にありません');
      const target = onlyChild(root, 'BODY', 'DOC 直下の BODY', { name: 'ID', value: 'DOCBODY' });
      return { target, targetId: 'DOCBODY', targetLabel: 'BODY', allowedTransforms: OFFICIAL_TRANSFORMS };
    }
  }
}

function dsigChildren(el: XmlElement, where: string): XmlElement[] {
  if (!hasOnlyElementContent(el)) throw signatureUnsupported(`${where} に余分な文字列があります`);
  const kids = childElements(el);
  for (const k of kids) {
    if (k.namespaceURI !== DSIG_NS) throw signatureUnsupported(`${where} に XML 署名以外の要素 ${k.nodeName} があります`);
  }
  return kids;
}

function algorithmOf(el: XmlElement, allowed: readonly string[], what: string): string {
  const alg = el.getAttribute('Algorithm') ?? '';
  if (!allowed.includes(alg)) throw signatureUnsupported(`${what} ${alg || '（指定なし）'}`);
  if (childElements(el).length > 0 || !hasOnlyElementContent(el)) throw signatureUnsupported(`${what} のパラメーター`);
  return alg;
}

function expectSequence(kids: XmlElement[], names: readonly string[], where: string): void {
  const got = kids.map((k) => k.localName).join(', ');
  if (kids.length !== names.length || kids.some((k, i) => k.localName !== names[i])) {
    throw signatureUnsupported(`${where} の構成（${got}）`);
  }
}

function parseReference(ref: XmlElement): ParsedReference {
  const uriAttr = ref.getAttributeNode('URI');
  if (!uriAttr) throw signatureUnsupported('URI のない Reference');
  const kids = dsigChildren(ref, 'Reference');
  let transforms: string[] = [];
  if (kids[0]?.localName === 'Transforms') {
    const list = dsigChildren(kids.shift()!, 'Transforms');
    if (list.length === 0 || list.some((t) => t.localName !== 'Transform')) throw signatureUnsupported('空または不正な Transforms');
    transforms = list.map((t) => algorithmOf(t, [ALG.c14n, ALG.envelopedSignature], '変換アルゴリズム'));
  }
  expectSequence(kids, ['DigestMethod', 'DigestValue'], 'Reference');
  algorithmOf(kids[0]!, [ALG.sha256], 'ダイジェストアルゴリズム');
  const digest = strictBase64(textOf(kids[1]!));
  return { uri: uriAttr.value, transforms, digest: digest && digest.length === 32 ? digest : null };
}

function parseCertificates(keyInfo: XmlElement): X509Certificate[] {
  const certs: X509Certificate[] = [];
  for (const child of dsigChildren(keyInfo, 'KeyInfo')) {
    if (child.localName === 'KeyName') continue;
    if (child.localName !== 'X509Data') throw signatureUnsupported(`KeyInfo の ${child.localName}`);
    for (const item of dsigChildren(child, 'X509Data')) {
      if (['X509IssuerSerial', 'X509SubjectName', 'X509SKI'].includes(item.localName ?? '')) continue;
      if (item.localName !== 'X509Certificate') throw signatureUnsupported(`X509Data の ${item.localName}`);
      const text = textOf(item);
      if (!strictBase64(text)) throw certificateNotBase64();
      certs.push(certificateFromBase64(text));
    }
  }
  if (certs.length === 0) throw signatureUnsupported('署名者の証明書（X509Certificate）が含まれていません');
  return certs;
}

function certificateNotBase64(): SigningError {
  return new SigningError('CERT_FORMAT', {
    ja: '署名に含まれる証明書（X509Certificate）が base64 として読めません。ファイルが壊れていないか確認してください。',
    en: 'X509Certificate is not base64',
  });
}

function parseSignature(sig: XmlElement): ParsedSignature {
  const parts = dsigChildren(sig, 'Signature');
  expectSequence(parts, ['SignedInfo', 'SignatureValue', 'KeyInfo'], 'Signature');
  const [signedInfo, signatureValue, keyInfo] = parts as [XmlElement, XmlElement, XmlElement];
  const info = dsigChildren(signedInfo, 'SignedInfo');
  if (info.length < 3) throw signatureUnsupported('SignedInfo に Reference がありません');
  expectSequence(info.slice(0, 2), ['CanonicalizationMethod', 'SignatureMethod'], 'SignedInfo');
  const canonicalization = algorithmOf(info[0]!, [ALG.c14n, ALG.c14nWithComments], '正規化アルゴリズム');
  algorithmOf(info[1]!, [ALG.rsaSha256], '署名アルゴリズム');
  const refs = info.slice(2);
  if (refs.some((r) => r.localName !== 'Reference')) throw signatureUnsupported('SignedInfo の構成');
  return {
    signedInfo,
    canonicalization,
    references: refs.map(parseReference),
    signatureValue: strictBase64(textOf(signatureValue)),
    certificates: parseCertificates(keyInfo),
  };
}

function sameSequence(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** 申請書 names listed in 構成情報 (the signed manifest), whitespace-trimmed, in order, once each. */
export function listedFormFiles(kouseiJoho: XmlElement): string[] {
  const names: string[] = [];
  for (const attrs of childrenNamed(kouseiJoho, '申請書属性情報')) {
    for (const nameEl of childrenNamed(attrs, '申請書ファイル名称')) {
      const name = textOf(nameEl).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

async function checkFileReference(ref: ParsedReference, readFile: ReadFile | undefined): Promise<ReferenceResult> {
  const fail = (reason: string): ReferenceResult => ({ uri: ref.uri, kind: 'file', valid: false, reason });
  const name = fileNameFromUri(ref.uri);
  if (name === null || !isSafeFileName(name)) return fail(`参照「${ref.uri}」は申請データのフォルダーの外を指しているため検証できません`);
  if (!readFile) return fail(`ファイル「${name}」を読む手段が指定されていないため検証できません`);
  let bytes: Buffer;
  try {
    bytes = await readFile(name);
  } catch {
    return fail(`参照しているファイル「${name}」が見つからないか、読み取れません`);
  }
  if (!ref.digest) return fail(`参照「${ref.uri}」のダイジェスト値の形式が正しくありません`);
  return sameBytes(sha256(bytes), ref.digest)
    ? { uri: ref.uri, kind: 'file', valid: true }
    : fail(`ファイル「${name}」の内容が署名後に変更されています（ダイジェスト値が一致しません）`);
}

function checkElementReference(ref: ParsedReference, located: Located, ids: Map<string, XmlElement>, sig: XmlElement): ReferenceResult {
  const id = fragmentId(ref.uri);
  const owner = id === null ? undefined : ids.get(id);
  if (!owner) throw xmlTargetMissing(`${ref.uri} が指す要素`);
  if (owner !== located.target || id !== located.targetId) throw xmlTargetMissing(located.targetLabel);
  if (!located.allowedTransforms.some((allowed) => sameSequence(allowed, ref.transforms))) {
    throw signatureUnsupported(`${ref.uri} への変換の組み合わせ（${ref.transforms.join(', ') || 'なし'}）`);
  }
  const exclude = ref.transforms.includes(ALG.envelopedSignature) ? sig : undefined;
  const canonical = canonicalize(located.target, exclude ? { exclude } : {});
  if (!ref.digest) return { uri: ref.uri, kind: 'element', valid: false, reason: `参照「${ref.uri}」のダイジェスト値の形式が正しくありません` };
  return sameBytes(sha256(canonical), ref.digest)
    ? { uri: ref.uri, kind: 'element', valid: true }
    : { uri: ref.uri, kind: 'element', valid: false, reason: `${located.targetLabel} の内容が署名後に変更されています（ダイジェスト値が一致しません）` };
}

function checkSignatureValue(parsed: ParsedSignature, signer: X509Certificate): string | null {
  if (signer.publicKey.asymmetricKeyType !== 'rsa') return '署名者の証明書の鍵が RSA ではないため、RSA-SHA256 の署名として検証できません';
  if (!parsed.signatureValue) return '署名値（SignatureValue）の形式が正しくありません';
  const canonical = canonicalize(parsed.signedInfo, { withComments: parsed.canonicalization === ALG.c14nWithComments });
  const ok = verifyRsa('sha256', Buffer.from(canonical, 'utf8'), { key: signer.publicKey, padding: constants.RSA_PKCS1_PADDING }, parsed.signatureValue);
  return ok ? null : '署名値が証明書の公開鍵で検証できません。署名情報（SignedInfo）が変更されたか、別の鍵で署名されています';
}

/** Verifies an already safely parsed document (see parseXmlSafely). */
export async function verifySignedDocument(doc: Document, opts: VerifyOptions = {}): Promise<VerificationReport> {
  const ids = assertUniqueIds(doc);
  const sig = findSignature(doc);
  const profile = detectProfile(doc, opts.profile);
  const located = locate(profile, doc, sig);
  const parsed = parseSignature(sig);

  const elementRefs = parsed.references.filter((r) => r.uri.startsWith('#'));
  const fileRefs = parsed.references.filter((r) => !r.uri.startsWith('#'));
  if (elementRefs.length !== 1) throw signatureUnsupported(`${located.targetLabel} への参照がちょうど1つではありません`);
  if (profile !== 'kousei' && fileRefs.length > 0) throw signatureUnsupported(`${PROFILE_LABEL[profile]}のファイル参照`);
  if (fileRefs.some((r) => r.transforms.length > 0)) throw signatureUnsupported('ファイル参照の変換');

  const references: ReferenceResult[] = [];
  for (const ref of parsed.references) {
    references.push(ref.uri.startsWith('#') ? checkElementReference(ref, located, ids, sig) : await checkFileReference(ref, opts.readFile));
  }
  if (profile === 'kousei') {
    const referenced = new Set(fileRefs.map((r) => fileNameFromUri(r.uri)));
    for (const name of listedFormFiles(located.target)) {
      if (!referenced.has(name)) {
        references.push({ uri: name, kind: 'file', valid: false, reason: `申請書ファイル「${name}」が署名の対象に含まれていません` });
      }
    }
  }

  const [signerCert, ...others] = parsed.certificates as [X509Certificate, ...X509Certificate[]];
  const signatureProblem = checkSignatureValue(parsed, signerCert);
  const at = opts.at ?? new Date();
  if (Number.isNaN(at.getTime())) throw new RangeError('verifySignedXml: opts.at is not a valid date');
  const state = validityAt(signerCert, at);
  const chain = judgeChain(signerCert, others, opts.trustAnchors, at);

  const problems: string[] = [];
  if (signatureProblem) problems.push(signatureProblem);
  for (const r of references) if (!r.valid && r.reason) problems.push(r.reason);
  const signer = describeCertificate(signerCert);
  if (state === 'expired') problems.push(`署名者の証明書は ${at.toISOString()} の時点で有効期限（${signer.notAfter}）が切れています`);
  if (state === 'notYetValid') problems.push(`署名者の証明書は ${at.toISOString()} の時点でまだ有効期間（${signer.notBefore} から）に入っていません`);
  if (chain.trusted === false) problems.push(`証明書を信頼できません: ${chain.reason ?? '理由不明'}`);

  return {
    profile,
    valid: signatureProblem === null && references.every((r) => r.valid),
    signatureValueValid: signatureProblem === null,
    references,
    signer,
    certificates: parsed.certificates.map(describeCertificate),
    validity: { at: at.toISOString(), state },
    chain,
    problems,
  };
}

/**
 * Verifies a signed e-Gov XML document: request (#ApplData), kousei (#構成情報 + 申請書 files read
 * through opts.readFile) or official (#DOCBODY). Throws SigningError for documents that are not
 * one of these profiles in their exact shape; reports (does not throw) digest and signature failures.
 */
export async function verifySignedXml(xml: Buffer, opts: VerifyOptions = {}): Promise<VerificationReport> {
  const doc = parseXmlSafely(xml, opts.maxBytes === undefined ? {} : { maxBytes: opts.maxBytes });
  return verifySignedDocument(doc, opts);
}


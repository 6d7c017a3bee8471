// Sandbox (Node). Reads one signed /authentication/ request the way the sandbox's e-Gov would:
// safe XML parsing, the exact ApplData items of the API, a standard XML-DSig check of the
// Signature over #ApplData (the verifier shared with the client — it decides nothing about the
// wire format), then the signer's certificate judged against the trust anchors at the sandbox
// clock. Returns the values to act on, or the failure to answer with.
import type { X509Certificate } from 'node:crypto';
import type { Document, Element as XmlElement, Node as XmlNode } from '@xmldom/xmldom';
import { printableAscii } from '../../shared/text.js';
import { SigningError } from '../../main/signing/errors.js';
import { parseXmlSafely } from '../../main/signing/xml/safe-xml.js';
import { verifySignedXml, type VerificationReport } from '../../main/signing/xml/verify.js';
import { failure, type SandboxFailure } from '../messages.js';
import { decodeBase64Lenient } from '../wire/base64.js';
import { parseDerCertificate } from './certificates.js';
import { judgeTrust } from './trust.js';

export type AuthenticationApi = 'register' | 'login' | 'append' | 'update' | 'delete';

/** The certificate item each API carries beside UserID (REFERENCE §4.21–4.23). */
export const CERTIFICATE_ITEM: Record<AuthenticationApi, string | null> = {
  register: null,
  login: null,
  append: 'AddX509Certificate',
  update: 'X509Certificate',
  delete: 'DelX509Certificate',
};

/** [SIM-CHOICE] e-Gov's UserID rules are unknown; seen IDs are 10–12 printable ASCII characters. */
export const USER_ID_PATTERN = printableAscii(1, 64);
export const MAX_ECHOED_USER_ID = 64;

export interface VerifiedRequest {
  userId: string;
  signer: X509Certificate;
  /** the certificate named in the body (append/update/delete), already parsed */
  certificate: X509Certificate | null;
}

export type ReadResult = { ok: true; request: VerifiedRequest } | { ok: false; failure: SandboxFailure; echoUserId: string };

export interface ReadContext {
  at: Date;
  anchors: readonly X509Certificate[];
  maxBytes: number;
}

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

function elements(parent: XmlNode): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as XmlElement);
  return out;
}

function named(el: XmlElement, localName: string, ns: string | null = null): boolean {
  return el.localName === localName && (el.namespaceURI ?? null) === ns;
}

function onlyWhitespaceText(el: XmlElement): boolean {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if ((n.nodeType === 3 || n.nodeType === 4) && !/^[ \t\r\n]*$/.test((n as unknown as { data: string }).data)) return false;
  }
  return true;
}

function applDataOf(doc: Document): XmlElement | null {
  const root = doc.documentElement;
  if (!root || !named(root, 'DataRoot')) return null;
  const found = elements(root).filter((e) => named(e, 'ApplData'));
  return found.length === 1 ? found[0]! : null;
}

/** UserID as sent, for the ApplData echo of an error answer; '' when absent or unreasonably long. */
function userIdForEcho(applData: XmlElement | null): string {
  if (!applData) return '';
  const ids = elements(applData).filter((e) => named(e, 'UserID'));
  if (ids.length !== 1) return '';
  const text = ids[0]!.textContent ?? '';
  return text.length <= MAX_ECHOED_USER_ID ? text : '';
}

function checkItems(api: AuthenticationApi, applData: XmlElement): SandboxFailure | null {
  const certItem = CERTIFICATE_ITEM[api];
  const expected = certItem ? ['UserID', certItem] : ['UserID'];
  if (!onlyWhitespaceText(applData)) return failure('REQUEST_SHAPE', 'ApplData の中に項目以外の文字があります');
  const kids = elements(applData);
  for (const k of kids) {
    if (!expected.some((name) => named(k, name))) return failure('REQUEST_SHAPE', `この API では使えない項目 ${k.nodeName} があります`);
    if (elements(k).length > 0) return failure('REQUEST_SHAPE', `${k.nodeName} の中に要素があります`);
  }
  for (const name of expected) {
    const n = kids.filter((k) => named(k, name)).length;
    if (n !== 1) return failure('REQUEST_SHAPE', n === 0 ? `${name} がありません` : `${name} が複数あります`);
  }
  return null;
}

function itemText(applData: XmlElement, name: string): string {
  return elements(applData).find((e) => named(e, name))?.textContent ?? '';
}

function firstKeyInfoCertificate(doc: Document): X509Certificate | null {
  const root = doc.documentElement!;
  const sig = elements(root).find((e) => named(e, 'Signature', DSIG_NS));
  const keyInfo = sig && elements(sig).find((e) => named(e, 'KeyInfo', DSIG_NS));
  if (!keyInfo) return null;
  for (const data of elements(keyInfo).filter((e) => named(e, 'X509Data', DSIG_NS))) {
    const item = elements(data).find((e) => named(e, 'X509Certificate', DSIG_NS));
    if (item) {
      const der = decodeBase64Lenient(item.textContent ?? '');
      return der ? parseDerCertificate(der) : null;
    }
  }
  return null;
}

function fromSigningError(e: SigningError): SandboxFailure {
  const detail = e.detail as { reason?: unknown; what?: unknown } | undefined;
  const text = typeof detail?.reason === 'string' ? detail.reason : typeof detail?.what === 'string' ? detail.what : undefined;
  switch (e.code) {
    case 'XML_DOCTYPE':
      return failure('XML_DOCTYPE');
    case 'XML_MALFORMED':
    case 'XML_TOO_LARGE':
      return failure('XML_MALFORMED', text);
    case 'SIGNATURE_MISSING':
      return failure('SIGNATURE_MISSING');
    default:
      return failure('SIGNATURE_UNSUPPORTED', text ?? e.messageJa);
  }
}

function judgeSigner(report: VerificationReport, at: Date): SandboxFailure | null {
  if (!report.valid) return failure('SIGNATURE_INVALID', report.problems[0]);
  if (report.validity.state !== 'valid') {
    const state = report.validity.state === 'expired' ? '有効期限切れ' : '有効期間前';
    return failure('SIGNER_NOT_TIME_VALID', `${state}: 有効期間 ${report.signer.notBefore} 〜 ${report.signer.notAfter}、サンドボックスの時刻 ${at.toISOString()}`);
  }
  if (report.chain.trusted !== true) return failure('SIGNER_UNTRUSTED', report.chain.reason);
  return null;
}

export async function readSignedRequest(api: AuthenticationApi, body: Buffer, ctx: ReadContext): Promise<ReadResult> {
  if (body.length === 0) return { ok: false, failure: failure('BODY_EMPTY'), echoUserId: '' };
  let doc: Document;
  try {
    doc = parseXmlSafely(body, { maxBytes: ctx.maxBytes });
  } catch (e) {
    if (e instanceof SigningError) return { ok: false, failure: fromSigningError(e), echoUserId: '' };
    throw e;
  }
  const applData = applDataOf(doc);
  const echoUserId = userIdForEcho(applData);
  const refuse = (f: SandboxFailure): ReadResult => ({ ok: false, failure: f, echoUserId });
  if (!applData) return refuse(failure('REQUEST_SHAPE', 'DataRoot 直下に ApplData がちょうど 1 つ必要です'));
  const shape = checkItems(api, applData);
  if (shape) return refuse(shape);
  const userId = itemText(applData, 'UserID');
  if (!USER_ID_PATTERN.test(userId)) return refuse(failure('USER_ID_INVALID'));

  let report: VerificationReport;
  try {
    report = await verifySignedXml(body, { profile: 'request', at: ctx.at, trustAnchors: [...ctx.anchors], maxBytes: ctx.maxBytes });
  } catch (e) {
    if (e instanceof SigningError) return refuse(fromSigningError(e));
    throw e;
  }
  const signerProblem = judgeSigner(report, ctx.at);
  if (signerProblem) return refuse(signerProblem);
  const signer = firstKeyInfoCertificate(doc);
  // The verifier judged the first KeyInfo certificate; act on exactly that one.
  if (!signer || signer.fingerprint256 !== report.signer.fingerprintSha256) {
    return refuse(failure('SIGNATURE_UNSUPPORTED', '署名者の証明書を特定できません'));
  }

  let certificate: X509Certificate | null = null;
  const certItem = CERTIFICATE_ITEM[api];
  if (certItem) {
    const der = decodeBase64Lenient(itemText(applData, certItem));
    certificate = der ? parseDerCertificate(der) : null;
    if (!certificate) return refuse(failure('CERTIFICATE_FIELD_INVALID', certItem));
    if (api === 'append') {
      const verdict = judgeTrust(certificate, ctx.anchors, ctx.at);
      if (!verdict.trusted) return refuse(failure('ADDED_CERTIFICATE_UNTRUSTED', verdict.reason));
    }
  }
  return { ok: true, request: { userId, signer, certificate } };
}

// Sandbox (Node). The 官職署名 of a 公文書, byte for byte as e-Gov's signed 0000-API-002.xml shows it
// (REFERENCE §7.3): Signature is DOC's last child, no Id, SignedInfo canonicalised WithComments,
// rsa-sha256, one Reference `#DOCBODY` (BODY/@ID) with the enveloped-signature transform and sha256,
// KeyInfo with the signer's certificate then its CA's, base64 wrapped at 76 with CRLF, all of
// Signature on one line apart from that wrapping, CRLF file. Before handing it out the document is
// checked with the verifier the client uses (profile 'official'), so the sandbox never issues a
// signature it would itself refuse — unless a broken one is asked for (tamper).
import { createHash, sign, type KeyObject, type X509Certificate } from 'node:crypto';
import type { Document, Element as XmlElement } from '@xmldom/xmldom';
import { canonicalize } from '../../main/signing/xml/c14n.js';
import { parseXmlText } from '../../main/signing/xml/safe-xml.js';
import { verifySignedDocument } from '../../main/signing/xml/verify.js';
import { SandboxError } from '../errors.js';

// Written here, not taken from the client's signer: the sandbox stands in for e-Gov, and a 公文書 it
// signs on its own tests the client's verifier against an independent producer.
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const SIGNED_INFO_HEAD =
  '<SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"/>' +
  '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>' +
  '<Reference URI="#DOCBODY"><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms>' +
  '<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>';

const signedInfoXml = (digest: string) => `${SIGNED_INFO_HEAD}<DigestValue>${digest}</DigestValue></Reference></SignedInfo>`;

function first(doc: Document, namespace: string | null, localName: string): XmlElement | undefined {
  const found = namespace === null ? doc.getElementsByTagName(localName) : doc.getElementsByTagNameNS(namespace, localName);
  return found.length > 0 ? (found[0] as XmlElement) : undefined;
}

export interface OfficialSigner {
  key: KeyObject;
  certificate: X509Certificate;
  /** the issuing CA's certificate, second in KeyInfo */
  caCertificate: X509Certificate;
}

/** base64 wrapped at 76 characters with CRLF between lines (none after the last). */
export function wrap76(bytes: Buffer): string {
  const b64 = bytes.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\r\n');
}

function signatureElement(signedInfo: string, signatureValue: string, signer: OfficialSigner): string {
  return (
    `<Signature xmlns="${DSIG_NS}">${signedInfo}<SignatureValue>${signatureValue}</SignatureValue>` +
    `<KeyInfo><X509Data><X509Certificate>${wrap76(signer.certificate.raw)}</X509Certificate>` +
    `<X509Certificate>${wrap76(signer.caCertificate.raw)}</X509Certificate></X509Data></KeyInfo></Signature>`
  );
}

function signingFailed(detail: string): SandboxError {
  return new SandboxError('SANDBOX_OFFICIAL_SIGNATURE', {
    ja: `公文書に官職署名を付けられませんでした（${detail}）。assets/sandbox-pki の官職証明書と鍵が対になっているか確認してください。`,
    en: `cannot sign the official document: ${detail}`,
  });
}

/**
 * Signs the 公文書 whose lines up to `</BODY>` are given (notice-documents.ts) and returns the file.
 * `tamper` changes BODY after signing (a document whose digest no longer matches).
 */
export async function signOfficialDocument(lines: readonly string[], signer: OfficialSigner, options: { tamper?: (text: string) => string } = {}): Promise<Buffer> {
  const head = lines.join('\r\n');
  const compose = (signature: string) => `${head}\r\n${signature}</DOC>\r\n`;

  // The digest is over BODY as a parser sees it (CRLF read as LF), which the placeholder document gives.
  const draft = parseXmlText(compose(`<Signature xmlns="${DSIG_NS}"/>`));
  const body = first(draft, null, 'BODY');
  if (!body || body.getAttribute('ID') !== 'DOCBODY') throw signingFailed('BODY ID="DOCBODY" がありません');
  const digest = createHash('sha256').update(canonicalize(body), 'utf8').digest('base64');
  const signedInfo = signedInfoXml(digest);

  // SignedInfo canonicalised where it sits: it inherits the xmlns of Signature.
  const signedInfoEl = first(parseXmlText(compose(signatureElement(signedInfo, '', signer))), DSIG_NS, 'SignedInfo');
  if (!signedInfoEl) throw signingFailed('SignedInfo がありません');
  const value = sign('sha256', Buffer.from(canonicalize(signedInfoEl, { withComments: true }), 'utf8'), signer.key);

  const text = compose(signatureElement(signedInfo, wrap76(value), signer));
  const report = await verifySignedDocument(parseXmlText(text), { profile: 'official' });
  if (!report.valid) throw signingFailed(report.problems.join(' / '));
  return Buffer.from(options.tamper ? options.tamper(text) : text, 'utf8');
}

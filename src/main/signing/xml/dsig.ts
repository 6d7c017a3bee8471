// Main process. The XML-DSig vocabulary of the e-Gov profiles and the text of the Signature elements
// Todoke writes. The text is built here (not by a serialiser) because the recorded documents fix its
// bytes: no whitespace between elements, default namespace on Signature, one-line base64.
import type { X509Certificate } from 'node:crypto';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export const ALG = {
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  c14nWithComments: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

export interface ReferenceSpec {
  /** the URI attribute exactly as written */
  uri: string;
  transforms: readonly string[];
  /** base64 */
  digestValue: string;
}

/** Escapes a value for a double-quoted attribute. */
export function xmlAttr(value: string): string {
  return value.replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' })[c]!);
}

export function signedInfoXml(refs: readonly ReferenceSpec[], canonicalization: string = ALG.c14n): string {
  const references = refs
    .map((r) => {
      const transforms = r.transforms.length
        ? `<Transforms>${r.transforms.map((t) => `<Transform Algorithm="${xmlAttr(t)}"/>`).join('')}</Transforms>`
        : '';
      return `<Reference URI="${xmlAttr(r.uri)}">${transforms}<DigestMethod Algorithm="${ALG.sha256}"/><DigestValue>${r.digestValue}</DigestValue></Reference>`;
    })
    .join('');
  return `<SignedInfo><CanonicalizationMethod Algorithm="${xmlAttr(canonicalization)}"/><SignatureMethod Algorithm="${ALG.rsaSha256}"/>${references}</SignedInfo>`;
}

export function signatureXml(parts: { id: string; signedInfo: string; signatureValue: string; certificate: X509Certificate }): string {
  return (
    `<Signature xmlns="${DSIG_NS}" Id="${xmlAttr(parts.id)}">${parts.signedInfo}` +
    `<SignatureValue>${parts.signatureValue}</SignatureValue>` +
    `<KeyInfo><X509Data><X509Certificate>${parts.certificate.raw.toString('base64')}</X509Certificate></X509Data></KeyInfo></Signature>`
  );
}

const SIGNATURE_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** e-Gov's own tooling writes a YYYYMMDDhhmmss timestamp; anything attribute- and ID-safe will do. */
export function isValidSignatureId(id: string): boolean {
  return SIGNATURE_ID.test(id);
}

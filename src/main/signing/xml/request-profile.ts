// Main process. The signed request body of the /authentication/* APIs (REFERENCE §3.1): ApplData
// and, as its next sibling, a Signature over #ApplData. The bytes match what e-Gov accepted.
import { createHash } from 'node:crypto';
import type { Signer } from '../signer.js';
import { canonicalize } from './c14n.js';
import { childrenNamed } from './dom.js';
import { ALG } from './dsig.js';
import { ILLEGAL_XML_CHAR, LONE_SURROGATE, parseXmlText } from './safe-xml.js';
import { assertSignatureId, signDocument } from './sign-core.js';
import { xmlMalformed } from './xml-errors.js';

export interface SignRequestOptions {
  /** Signature/@Id; e-Gov's tools write the signing time as YYYYMMDDhhmmss */
  signatureId: string;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Escapes a value for element content, e.g. `<UserID>${xmlText(id)}</UserID>`. */
export function xmlText(value: string): string {
  if (ILLEGAL_XML_CHAR.test(value) || LONE_SURROGATE.test(value)) throw xmlMalformed('XML で使えない制御文字が含まれています');
  return value.replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' })[c]!);
}

/**
 * The complete wire body of a signed request: XML declaration, LF, DataRoot with ApplData (holding
 * `applDataInnerXml` verbatim) and Signature, LF.
 */
export async function signRequestBody(applDataInnerXml: string, signer: Signer, opts: SignRequestOptions): Promise<string> {
  assertSignatureId(opts.signatureId);
  const head = `${XML_DECLARATION}<DataRoot><ApplData Id="ApplData">${applDataInnerXml}</ApplData>`;
  const tail = '</DataRoot>\n';
  const unsigned = parseXmlText(head + tail);
  const root = unsigned.documentElement!;
  const applData = childrenNamed(root, 'ApplData')[0];
  if (!applData || root.childNodes.length !== 1) throw xmlMalformed('ApplData の中身が閉じていない、または ApplData の外にはみ出しています');
  const digestValue = createHash('sha256').update(canonicalize(applData), 'utf8').digest('base64');
  return signDocument({
    profile: 'request',
    compose: (signature) => head + signature + tail,
    references: [{ uri: '#ApplData', transforms: [ALG.c14n], digestValue }],
    signatureId: opts.signatureId,
    signer,
  });
}

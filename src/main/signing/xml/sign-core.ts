// Main process. The one signing procedure both e-Gov signing profiles share: write SignedInfo,
// canonicalise it where it will sit in the final document, have the Signer sign those bytes, and
// check the finished document with the verifier before anyone sees it — a key that does not match
// its certificate, or a document our own verifier would refuse, never leaves this module.
import type { Signer } from '../signer.js';
import { canonicalize } from './c14n.js';
import { DSIG_NS, isValidSignatureId, signatureXml, signedInfoXml, type ReferenceSpec } from './dsig.js';
import { allElements, childrenNamed, isNamed } from './dom.js';
import { parseXmlText } from './safe-xml.js';
import { verifySignedDocument, type ReadFile, type SignatureProfile } from './verify.js';
import { keyCertMismatch, signatureIdInvalid, signatureUnsupported } from './xml-errors.js';

export interface SignDocumentInput {
  profile: SignatureProfile;
  /** the whole document text around a Signature element's text */
  compose: (signatureElement: string) => string;
  references: readonly ReferenceSpec[];
  signatureId: string;
  signer: Signer;
  /** the bytes the file references were digested over, for the self-check */
  readFile?: ReadFile;
}

export function assertSignatureId(id: string): void {
  if (!isValidSignatureId(id)) throw signatureIdInvalid(id);
}

export async function signDocument(input: SignDocumentInput): Promise<string> {
  assertSignatureId(input.signatureId);
  const signedInfo = signedInfoXml(input.references);
  const withValue = (signatureValue: string) =>
    input.compose(signatureXml({ id: input.signatureId, signedInfo, signatureValue, certificate: input.signer.certificate }));

  const draft = parseXmlText(withValue(''));
  const signatures = allElements(draft).filter((e) => isNamed(e, 'Signature', DSIG_NS));
  const signedInfoEl = signatures.length === 1 ? childrenNamed(signatures[0]!, 'SignedInfo', DSIG_NS)[0] : undefined;
  if (!signedInfoEl) throw signatureUnsupported('署名する文書にすでに別の署名（Signature）が含まれています');
  const signatureValue = await input.signer.sign(Buffer.from(canonicalize(signedInfoEl), 'utf8'));

  const text = withValue(signatureValue.toString('base64'));
  const report = await verifySignedDocument(parseXmlText(text), {
    profile: input.profile,
    ...(input.readFile ? { readFile: input.readFile } : {}),
  });
  if (!report.signatureValueValid) throw keyCertMismatch();
  if (!report.valid) throw signatureUnsupported(`作成した署名を検証できませんでした: ${report.problems.join(' / ')}`);
  return text;
}

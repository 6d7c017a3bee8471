// Main process. The wire format of 公文書署名検証 (REFERENCE §4.15, A.26): the request that uploads a
// 公文書 ZIP and names the signed XML in it, and what the answer's ApplData says about the signature
// and its certificates. Wire names stay in this file; callers see src/shared/documents.ts. Pure.
import type { RemoteCertificateReport, RemoteVerification, VerifyUpload } from '../../shared/documents.js';
import { assertBatchFileName, escapeText } from './apply-codec.js';
import { invalidArgument, malformedResponse } from './errors.js';
import { arriveIdOf, assertArriveId, isArriveId, textOr } from './reference-codec.js';
import { requiredText, type XmlNode, type XmlValue } from './xml.js';

/** what follows `/shinsei/1/access/` for 公文書署名検証 (POST) */
export const VERIFY_PATH = 'officialdocument/verify';

/**
 * The largest 公文書 ZIP uploaded: what 公文書取得 returned, a signed XML, its stylesheet and perhaps a
 * PDF or two. The body is built as one string, so this also bounds one request's memory.
 */
export const MAX_VERIFY_ZIP_BYTES = 32 * 1024 * 1024;

const MAX_ENTRY_NAME_CHARS = 255;
// C0/C1 controls, DEL, characters XML 1.0 cannot carry, a backslash; '/' is a ZIP's folder separator
// eslint-disable-next-line no-control-regex
const BAD_ENTRY_CHAR = /[\u0000-\u001f\u007f-\u009f\ufffe\uffff\\]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

function assertEntryName(name: string): void {
  if (
    typeof name !== 'string' ||
    !name.trim() ||
    name.length > MAX_ENTRY_NAME_CHARS ||
    BAD_ENTRY_CHAR.test(name) ||
    LONE_SURROGATE.test(name) ||
    name.startsWith('/') ||
    name.split('/').includes('..')
  ) {
    throw invalidArgument('署名を検証する XML のファイル名が正しくありません', 'verification XML name is empty, too long, absolute, or has control characters');
  }
}

// ---------------------------------------------------------------------------------------------
// The request body: the frame recorded being accepted (recorded/officialdocument-verify/2). Unlike
// the 申請データ uploads, FileData here is ONE line of base64 (no wrapping), as recorded.

/** The exact text of the 公文書署名検証 request (UTF-8: the names may be Japanese). */
export function encodeVerifyRequest(upload: VerifyUpload): string {
  assertArriveId(upload.arriveId);
  assertBatchFileName(upload.fileName);
  assertEntryName(upload.xmlFileName);
  const zip = upload.zip;
  if (!(zip instanceof Uint8Array) || zip.length === 0) throw invalidArgument('署名を検証する公文書の ZIP が空です', 'empty verification ZIP');
  if (zip.length > MAX_VERIFY_ZIP_BYTES) throw invalidArgument('署名を検証する公文書の ZIP が大きすぎます（上限 32 MB）', `verification ZIP of ${zip.length} bytes exceeds ${MAX_VERIFY_ZIP_BYTES}`);
  const bytes = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  if (!bytes.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) throw invalidArgument('署名を検証するファイルが ZIP ではありません', 'verification upload is not a ZIP');
  return (
    '<?xml version="1.0"?>\n<DataRoot>\n  <ApplData Id="ApplData">\n' +
    `    <ArriveID>${upload.arriveId}</ArriveID>\n    <Upload>\n` +
    `      <FileName>${escapeText(upload.fileName)}</FileName>\n` +
    `      <FileData>${bytes.toString('base64')}</FileData>\n` +
    `      <SigVerificationXMLFileName>${escapeText(upload.xmlFileName)}</SigVerificationXMLFileName>\n` +
    '    </Upload>\n  </ApplData>\n</DataRoot>\n'
  );
}

// ---------------------------------------------------------------------------------------------
// The answer

const COUNT = /^\d{1,6}$/;
const KNOWN = new Set(['ArriveID', 'ErrorCount', 'DocumentFileName', 'AttachedFileName', 'VerifyResult']);
const MAX_ERROR_TEXTS = 1000;

/** Every text under `value`, depth first, attributes left out. */
function texts(value: XmlValue, out: string[]): void {
  if (out.length >= MAX_ERROR_TEXTS) return;
  if (typeof value === 'string') {
    if (value.trim()) out.push(value.trim());
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) texts(v, out);
    return;
  }
  for (const [key, v] of Object.entries(value)) if (!key.startsWith('@_')) texts(v, out);
}

/**
 * The messages of a failed verification. Their element was never recorded (only ErrorCount 0 was; the
 * 0 answer has an empty template slot between ErrorCount and DocumentFileName, §4.15), so every child
 * of ApplData this codec does not know is taken for one and its text kept as found — losing an
 * unrecognised message would be worse than showing an odd one.
 */
function errorTexts(applData: XmlNode): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(applData)) if (!KNOWN.has(key) && !key.startsWith('@_') && key !== '#text') texts(value, out);
  return out;
}

function certificateReport(value: XmlValue | undefined, name: string): RemoteCertificateReport | null {
  if (value === undefined) return null;
  if (Array.isArray(value)) throw malformedResponse(`${name} が複数あります`, `VerifyResult/${name} occurs more than once`);
  if (typeof value === 'string') {
    if (value.trim()) throw malformedResponse(`${name} の中身が想定外です`, `VerifyResult/${name} holds text`);
    return null;
  }
  return {
    validationResult: textOr(value, 'ValidationResult'),
    certificateResult: textOr(value, 'CertificateResult'),
    certificateCount: textOr(value, 'CertificateCount'),
    publisher: textOr(value, 'Publisher'),
    owner: textOr(value, 'Owner'),
    publisherDn: textOr(value, 'PublisherDN'),
    ownerDn: textOr(value, 'OwnerDN'),
    serialNumber: textOr(value, 'SerialNumber'),
    termValidity: textOr(value, 'TermValidity'),
  };
}

function verifyResultOf(applData: XmlNode): XmlNode {
  const value = Object.hasOwn(applData, 'VerifyResult') ? applData.VerifyResult : undefined;
  if (value === undefined) return {};
  if (Array.isArray(value)) throw malformedResponse('VerifyResult が複数あります', 'VerifyResult occurs more than once');
  if (typeof value === 'string') {
    if (value.trim()) throw malformedResponse('VerifyResult の中身が想定外です', 'VerifyResult holds text');
    return {};
  }
  return value;
}

/** 公文書署名検証 (A.26). Every text is kept as sent; only ErrorCount must be a number. */
export function decodeVerification(applData: XmlNode): RemoteVerification {
  const countText = requiredText(applData, 'ErrorCount');
  if (!COUNT.test(countText)) throw malformedResponse('ErrorCount が数値ではありません', `ErrorCount ${JSON.stringify(countText.slice(0, 20))} is not a count`);
  const result = verifyResultOf(applData);
  return {
    arriveId: arriveIdOf(applData, 'ArriveID'),
    errorCount: Number(countText),
    errors: errorTexts(applData),
    documentFileName: textOr(applData, 'DocumentFileName'),
    attachedFileName: textOr(applData, 'AttachedFileName'),
    official: certificateReport(Object.hasOwn(result, 'Official') ? result.Official : undefined, 'Official'),
    government: certificateReport(Object.hasOwn(result, 'Government') ? result.Government : undefined, 'Government'),
  };
}

/** The answer must be about the case whose 公文書 was sent. */
export function checkVerificationEcho(verification: RemoteVerification, arriveId: string): void {
  if (!isArriveId(arriveId) || verification.arriveId !== arriveId) {
    throw malformedResponse('署名検証を依頼した到達番号と応答が合いません', `ArriveID echo ${verification.arriveId} is not ${arriveId}`);
  }
}

// Main process. The wire format of 補正申請 / 再提出 / 部分補正 (REFERENCE §4.9–§4.11, A.18–A.21): the
// request body that carries the 到達番号 corrected and the new 申請データ ZIP, and what the 202's
// ApplData holds. Wire names stay in this file; callers see src/shared/documents.ts. Pure, no I/O.
import type { AmendmentKind, AmendmentReceipt } from '../../shared/documents.js';
import { invalidArgument, malformedResponse } from './errors.js';
import { assertArriveId, isArriveId } from './reference-codec.js';
import type { XmlNode } from './xml.js';
import { WITHDRAWAL_ARRAY_ELEMENTS, decodeArrivalReceipt, wrappedBase64 } from './withdrawal-codec.js';

/** the answer is 取下げ's element set, so its lists too */
export const AMENDMENT_ARRAY_ELEMENTS: readonly string[] = WITHDRAWAL_ARRAY_ELEMENTS;

export const AMENDMENT_KINDS: readonly AmendmentKind[] = ['amendapply', 'reamend', 'partamend'];

const LABEL: Record<AmendmentKind, string> = { amendapply: '補正申請', reamend: '補正（再提出）', partamend: '補正（部分補正）' };

export function amendmentLabel(kind: AmendmentKind): string {
  return LABEL[kind];
}

/** what follows `/shinsei/1/access/` for the 補正 API `kind` (POST); refuses anything else */
export function amendmentPath(kind: AmendmentKind): string {
  if (!AMENDMENT_KINDS.includes(kind)) throw invalidArgument('補正の種類が正しくありません', `unknown amendment kind ${JSON.stringify(String(kind).slice(0, 20))}`);
  return kind;
}

// ---------------------------------------------------------------------------------------------
// The request body
//
// The serialisations recorded being accepted (recorded/{amendapply/2,reamend-abolished,
// partamend-abolished}) are 取下げ's frame — ArriveID, then Upload with FileData only, base64 wrapped
// at 60 characters with a final LF — and 部分補正 adds Target/BasicFormFlag, AttachedFlag before
// Upload. The body does not say which API it is for (補正申請 and 再提出 are byte-identical), so the
// kind travels beside it.

/**
 * The largest 補正 ZIP accepted. A 補正 carries one application's 申請データ with its attachments
 * (several MB of PDFs at most in practice); the body is built as one string, so this bounds the memory
 * of one send at a few times this size. 一括申請 (streamed) is the way for anything bigger.
 */
export const MAX_AMENDMENT_ZIP_BYTES = 32 * 1024 * 1024;

const HEAD = '<?xml version="1.0"?>\n<DataRoot>\n  <ApplData Id="ApplData">\n    <ArriveID>';
const UPLOAD = '    <Upload>\n      <FileData>';
const TAIL = '</FileData>\n    </Upload>\n  </ApplData>\n</DataRoot>\n';
const FRAME =
  /^<\?xml version="1\.0"\?>\n<DataRoot>\n {2}<ApplData Id="ApplData">\n {4}<ArriveID>(\d{16,18})<\/ArriveID>\n(?: {4}<Target>\n {6}<BasicFormFlag>([01])<\/BasicFormFlag>\n {6}<AttachedFlag>([01])<\/AttachedFlag>\n {4}<\/Target>\n)? {4}<Upload>\n {6}<FileData>([A-Za-z0-9+/=\n]+)<\/FileData>\n {4}<\/Upload>\n {2}<\/ApplData>\n<\/DataRoot>\n$/;

/** 部分補正's Target: which parts of the application are corrected (REFERENCE §4.10). */
export interface AmendmentTarget {
  basicForm: boolean;
  attached: boolean;
}

export interface AmendmentFile {
  kind: AmendmentKind;
  /** 到達番号 of the case corrected */
  arriveId: string;
  /** the signed 申請データ ZIP (kousei 申請種別 再提出 / 部分補正, 初回受付番号 = arriveId, §5.8) */
  zip: Uint8Array;
  /** 部分補正 only, and required there */
  target?: AmendmentTarget;
}

const flag = (on: boolean): string => (on ? '1' : '0');

function targetBlock(kind: AmendmentKind, target: AmendmentTarget | undefined): string {
  if (kind !== 'partamend') {
    if (target !== undefined) throw invalidArgument('補正の対象（申請書・添付書類）は部分補正でのみ指定できます', `target given for ${kind}`);
    return '';
  }
  if (!target || typeof target.basicForm !== 'boolean' || typeof target.attached !== 'boolean') {
    throw invalidArgument('部分補正では補正する対象（申請書・添付書類）を指定してください', 'partamend without target');
  }
  if (!target.basicForm && !target.attached) throw invalidArgument('部分補正では申請書か添付書類の少なくとも一方を補正対象にしてください', 'partamend target names nothing');
  return `    <Target>\n      <BasicFormFlag>${flag(target.basicForm)}</BasicFormFlag>\n      <AttachedFlag>${flag(target.attached)}</AttachedFlag>\n    </Target>\n`;
}

/** The exact bytes of a 補正 request. Refuses a bad 到達番号 or kind, an empty or oversized ZIP, a misplaced or missing Target. */
export function encodeAmendmentRequest(file: AmendmentFile): Buffer {
  amendmentPath(file.kind);
  assertArriveId(file.arriveId);
  if (!(file.zip instanceof Uint8Array) || file.zip.length === 0) throw invalidArgument('送信する補正の申請データが空です', 'empty amendment ZIP');
  if (file.zip.length > MAX_AMENDMENT_ZIP_BYTES) {
    throw invalidArgument('補正の申請データが大きすぎます（上限 32 MB）', `amendment ZIP of ${file.zip.length} bytes exceeds ${MAX_AMENDMENT_ZIP_BYTES}`);
  }
  const target = targetBlock(file.kind, file.target);
  return Buffer.from(`${HEAD}${file.arriveId}</ArriveID>\n${target}${UPLOAD}${wrappedBase64(file.zip)}${TAIL}`, 'latin1');
}

/**
 * Reads a request made by encodeAmendmentRequest for `kind` back (its exact frame, nothing looser), or
 * null — also when the body's Target does not fit the kind. sendAmendment uses it to check bytes kept
 * by the outbox before they go out and to learn which 到達番号 the answer must echo.
 */
export function decodeAmendmentRequest(kind: AmendmentKind, body: Uint8Array | string): { arriveId: string; zip: Buffer; target?: AmendmentTarget } | null {
  if (!AMENDMENT_KINDS.includes(kind)) return null;
  // latin1: the frame is ASCII, so any byte outside it (not UTF-8, not base64) fails the match
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  const m = FRAME.exec(text);
  if (!m) return null;
  const [, arriveId, basicForm, attached, data] = m as unknown as [string, string, string | undefined, string | undefined, string];
  const hasTarget = basicForm !== undefined;
  if (hasTarget !== (kind === 'partamend')) return null;
  const zip = Buffer.from(data.replace(/\n/g, ''), 'base64');
  if (!hasTarget) return { arriveId, zip };
  const target = { basicForm: basicForm === '1', attached: attached === '1' };
  if (!target.basicForm && !target.attached) return null;
  return { arriveId, zip, target };
}

// ---------------------------------------------------------------------------------------------
// The answer

/** The 202 of `kind` (A.18–A.20): a new 到達番号, except 部分補正's, which keeps the case ('' there). */
export function decodeAmendmentReceipt(kind: AmendmentKind, applData: XmlNode): AmendmentReceipt {
  return decodeArrivalReceipt(applData, LABEL[kind] ?? '補正', kind === 'partamend');
}

/** The answer must be about the case corrected: another 到達番号 would file the 補正 under the wrong case. */
export function checkAmendmentEcho(receipt: AmendmentReceipt, arriveId: string): void {
  if (!isArriveId(arriveId) || receipt.arriveId !== arriveId) {
    throw malformedResponse('補正を送った到達番号と応答が合いません', `ArriveID echo ${receipt.arriveId} is not ${arriveId}`);
  }
}

// Main process. The wire format of 取下げ (REFERENCE §4.7, A.16): the request body that carries the
// 到達番号 to withdraw and the 取下げ申請データ ZIP, and what the 202 answer's ApplData holds. Wire
// names stay in this file; callers see src/shared/case.ts. Pure functions, no I/O.
import type { WithdrawalReceipt } from '../../shared/case.js';
import type { AmendmentReceipt } from '../../shared/documents.js';
import { invalidArgument, malformedResponse } from './errors.js';
import { arriveIdOf, assertArriveId, element, isArriveId, textOr, timestampOf } from './reference-codec.js';
import { childList, requiredText, type XmlNode } from './xml.js';

/** what follows `/shinsei/1/access/` for 取下げ (POST) */
export const WITHDRAWAL_PATH = 'withdrawal';

/** lists that must stay lists when they hold one entry */
export const WITHDRAWAL_ARRAY_ELEMENTS: readonly string[] = ['ApplyForm', 'ApplyFile'];

// ---------------------------------------------------------------------------------------------
// The request body
//
// The serialisation is the one recorded being accepted (test/fixtures/egov-v1/recorded/withdrawal/2,
// §4.7): as 一括申請's, but ArriveID comes before Upload and Upload has NO FileName. FileData is
// base64 with an LF after every 60 characters and after the last line (Ruby's Base64.encode64), so
// the contract test rebuilds the recorded request byte for byte. A 取下げ ZIP is a few KB, so plain
// string building is enough here (一括申請's encoder streams because batches reach 64 MiB).

/** The largest 取下げ ZIP accepted: two small XML files; anything near this is not a 取下げ. */
export const MAX_WITHDRAWAL_ZIP_BYTES = 1024 * 1024;

const HEAD_1 = '<?xml version="1.0"?>\n<DataRoot>\n  <ApplData Id="ApplData">\n    <ArriveID>';
const HEAD_2 = '</ArriveID>\n    <Upload>\n      <FileData>';
const TAIL = '</FileData>\n    </Upload>\n  </ApplData>\n</DataRoot>\n';
const FRAME = /^<\?xml version="1\.0"\?>\n<DataRoot>\n {2}<ApplData Id="ApplData">\n {4}<ArriveID>(\d{16,18})<\/ArriveID>\n {4}<Upload>\n {6}<FileData>([A-Za-z0-9+/=\n]+)<\/FileData>\n {4}<\/Upload>\n {2}<\/ApplData>\n<\/DataRoot>\n$/;

export interface WithdrawalFile {
  /** 到達番号 of the case to withdraw */
  arriveId: string;
  /** the 取下げ申請データ ZIP (src/main/filing/withdrawal-package.ts) */
  zip: Uint8Array;
}

/** base64 with an LF after every 60 characters and after the last line, as every recorded upload of 取下げ and 補正. */
export function wrappedBase64(zip: Uint8Array): string {
  const plain = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength).toString('base64');
  let out = '';
  for (let i = 0; i < plain.length; i += 60) out += `${plain.slice(i, i + 60)}\n`;
  return out;
}

/** The exact bytes of the 取下げ request. Refuses a bad 到達番号, an empty or oversized ZIP. */
export function encodeWithdrawalRequest(file: WithdrawalFile): Buffer {
  assertArriveId(file.arriveId);
  if (!(file.zip instanceof Uint8Array) || file.zip.length === 0) throw invalidArgument('送信する取下げの申請データが空です', 'empty withdrawal ZIP');
  if (file.zip.length > MAX_WITHDRAWAL_ZIP_BYTES) {
    throw invalidArgument('取下げの申請データが大きすぎます（上限 1 MB）', `withdrawal ZIP of ${file.zip.length} bytes exceeds ${MAX_WITHDRAWAL_ZIP_BYTES}`);
  }
  return Buffer.from(`${HEAD_1}${file.arriveId}${HEAD_2}${wrappedBase64(file.zip)}${TAIL}`, 'utf8');
}

/**
 * Reads a request made by encodeWithdrawalRequest back (its exact frame, nothing looser), or null.
 * sendWithdrawal uses it to check bytes kept by the outbox before they go out and to learn which
 * 到達番号 the answer must echo.
 */
export function decodeWithdrawalRequest(body: Uint8Array | string): { arriveId: string; zip: Buffer } | null {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  // latin1: the frame is ASCII, so any byte outside it (not UTF-8, not base64) fails the match
  const m = FRAME.exec(text);
  if (!m) return null;
  return { arriveId: m[1]!, zip: Buffer.from(m[2]!.replace(/\n/g, ''), 'base64') };
}

// ---------------------------------------------------------------------------------------------
// The answer

function names(applData: XmlNode, list: string, name: string): string[] {
  return childList(applData, list).map((value) => requiredText(element(value, list), name));
}

/**
 * The 202 of 取下げ (A.16) and of 補正申請 / 再提出 / 部分補正 (A.18–A.20): one element set. `label`
 * names the request in messages; `keepsCase` allows an empty NewArriveID (部分補正 keeps the case).
 */
export function decodeArrivalReceipt(applData: XmlNode, label: string, keepsCase: boolean): AmendmentReceipt {
  const arriveId = arriveIdOf(applData, 'ArriveID');
  const newArriveId = keepsCase && textOr(applData, 'NewArriveID') === '' ? '' : arriveIdOf(applData, 'NewArriveID');
  if (newArriveId === arriveId) throw malformedResponse(`${label}の到達番号が元の案件と同じです`, 'NewArriveID equals ArriveID');
  return {
    arriveId,
    newArriveId,
    procedureName: textOr(applData, 'ProcName'),
    arriveDate: timestampOf(applData, 'ArriveDate'),
    arriveResult: textOr(applData, 'ArriveResult'),
    applyType: textOr(applData, 'ApplyType'),
    ministryName: textOr(applData, 'MinistryName'),
    receptionDesk: textOr(applData, 'ReceptionDesk'),
    applicantName: textOr(applData, 'ApplicantName'),
    formNames: names(applData, 'ApplyForm', 'FormName'),
    fileNames: names(applData, 'ApplyFile', 'FileName'),
    orgDistFileSend: textOr(applData, 'OrgDistFileSend'),
  };
}

/** 取下げ's 202 (A.16): a 取下げ is always a case of its own. */
export function decodeWithdrawalReceipt(applData: XmlNode): WithdrawalReceipt {
  return decodeArrivalReceipt(applData, '取下げ', false);
}

/** The answer must be about the case asked for: another 到達番号 would link the 取下げ to the wrong case. */
export function checkWithdrawalEcho(receipt: WithdrawalReceipt, arriveId: string): void {
  if (!isArriveId(arriveId) || receipt.arriveId !== arriveId) {
    throw malformedResponse('取下げを送った到達番号と応答が合いません', `ArriveID echo ${receipt.arriveId} is not ${arriveId}`);
  }
}

// Main process. The wire format of 一括申請, 送信案件一覧 and 申請案件一覧 (REFERENCE §4.3–4.5, A.7–A.13):
// the 一括申請 request body, the paths with their matrix parameters, and what each answer's ApplData
// holds. The wire names (SendNumber, PackageApply, the misspelt CorporationtName …) stay in this
// file; callers see the names of src/shared/filing.ts. Pure functions, no I/O.
import type { ArrivedApplication, SendApplications, SendQuery, SendReceipt, SendSummary } from '../../shared/filing.js';
import { parseJstTimestamp } from './dates.js';
import { invalidArgument, malformedResponse } from './errors.js';
import { childList, optionalText, requiredText, type XmlNode, type XmlValue } from './xml.js';

/** what follows `/shinsei/1/access/` for 一括申請 (POST) */
export const APPLY_PATH = 'apply';

/** lists that must stay lists when they hold one entry (REFERENCE §10: a single Apply is still a list) */
export const SENDS_ARRAY_ELEMENTS: readonly string[] = ['PackageApply', 'Apply'];
export const ARRIVED_ARRAY_ELEMENTS: readonly string[] = ['Apply'];

// ---------------------------------------------------------------------------------------------
// 送信番号 and the query paths

// §2.7: 18 digits = the JST send time YYYYMMDDhhmmss + a 4-digit counter.
const SEND_NUMBER = /^\d{18}$/;
const DAY = /^\d{8}$/;

/** True for a 送信番号 of §2.7: 18 digits whose first 14 are a real JST date and time. */
export function isSendNumber(text: string): boolean {
  return SEND_NUMBER.test(text) && parseJstTimestamp(text.slice(0, 14)) !== undefined;
}

export function assertSendNumber(sendNumber: string): void {
  if (typeof sendNumber !== 'string' || !isSendNumber(sendNumber)) {
    throw invalidArgument(
      '送信番号は18桁の数字（送信日時 YYYYMMDDhhmmss と4桁の連番）で指定してください',
      `send number must be 18 digits starting with a real YYYYMMDDhhmmss, got ${JSON.stringify(String(sendNumber).slice(0, 40))}`,
    );
  }
}

function assertDay(day: string, label: 'from' | 'to'): void {
  const labelJa = label === 'from' ? '開始日' : '終了日';
  if (typeof day !== 'string' || !DAY.test(day) || parseJstTimestamp(`${day}000000`) === undefined) {
    throw invalidArgument(`送信日の${labelJa}は実在する日付を YYYYMMDD の8桁で指定してください`, `${label} must be a real date YYYYMMDD, got ${JSON.stringify(String(day).slice(0, 40))}`);
  }
}

/** `apply;id={送信番号}` or `apply;date={YYYYMMDD}-{YYYYMMDD}` (matrix parameters, sent unescaped, §2.2). */
export function sendsPath(query: SendQuery): string {
  if ('sendNumber' in query) {
    assertSendNumber(query.sendNumber);
    return `${APPLY_PATH};id=${query.sendNumber}`;
  }
  assertDay(query.from, 'from');
  assertDay(query.to, 'to');
  // both are YYYYMMDD, so text order is date order
  if (query.from > query.to) {
    throw invalidArgument('送信日の開始日が終了日より後になっています', `from ${query.from} is after to ${query.to}`);
  }
  return `${APPLY_PATH};date=${query.from}-${query.to}`;
}

/** `apply/{送信番号}` (申請案件一覧). */
export function arrivedPath(sendNumber: string): string {
  assertSendNumber(sendNumber);
  return `${APPLY_PATH}/${sendNumber}`;
}

// ---------------------------------------------------------------------------------------------
// The 一括申請 request body
//
// The serialisation is the one recorded being accepted (test/fixtures/egov-v1/recorded/apply,
// REFERENCE §2.4, §4.3): `<?xml version="1.0"?>`, 2-space indentation, LF line ends, FileData as
// base64 with an LF after every 60 characters and after the last line (Ruby's Base64.encode64), the
// first line right after `<FileData>`. §2.4 says unbroken base64 was accepted too; the wrapped form
// is chosen because it is byte for byte what e-Gov accepted for this very API, which lets the
// contract test rebuild the recorded request exactly. It costs one LF per 45 ZIP bytes (+1.7 %).

/** ZIP bytes per FileData line: 45 bytes = 60 base64 characters */
export const BASE64_LINE_BYTES = 45;
/** ZIP bytes base64-encoded at a time: whole lines, about 60 KiB of output */
const BLOCK_BYTES = BASE64_LINE_BYTES * 1024;
const MAX_FILE_NAME_CHARS = 200;
// C0/C1 controls, DEL, and characters XML 1.0 cannot carry
// eslint-disable-next-line no-control-regex
const BAD_FILE_NAME_CHAR = /[\u0000-\u001f\u007f-\u009f\ufffe\uffff]|[\\/]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const REQUEST_HEAD = '<?xml version="1.0"?>\n<DataRoot>\n  <ApplData Id="ApplData">\n    <Upload>\n      <FileName>';
const REQUEST_MIDDLE = '</FileName>\n      <FileData>';
const REQUEST_TAIL = '</FileData>\n    </Upload>\n  </ApplData>\n</DataRoot>\n';

export interface BatchFile {
  /** FileName: any name (e-Gov echoes it as SendFileName); no path, no control characters */
  fileName: string;
  /** the 申請データ ZIP: one piece, or its pieces in order (as an in-memory ZipWriter collects it) */
  zip: Uint8Array | readonly Uint8Array[];
}

const partsOf = (zip: BatchFile['zip']): readonly Uint8Array[] => (zip instanceof Uint8Array ? [zip] : zip);

const zipLength = (zip: BatchFile['zip']): number => partsOf(zip).reduce((n, p) => n + p.byteLength, 0);

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * The ZIP in pieces of at most BLOCK_BYTES, each a whole number of FileData lines but the last, so
 * that base64 piece by piece is the base64 of the whole: a line that straddles two parts is copied
 * into one 45-byte piece, nothing else is copied.
 */
function* lineAlignedBlocks(parts: readonly Uint8Array[]): Generator<Buffer> {
  let carry: Buffer | null = null;
  for (const part of parts) {
    let buf = asBuffer(part);
    if (carry) {
      const need = BASE64_LINE_BYTES - carry.length;
      if (buf.length < need) {
        carry = Buffer.concat([carry, buf]);
        continue;
      }
      yield Buffer.concat([carry, buf.subarray(0, need)]);
      buf = buf.subarray(need);
      carry = null;
    }
    const whole = buf.length - (buf.length % BASE64_LINE_BYTES);
    for (let o = 0; o < whole; o += BLOCK_BYTES) yield buf.subarray(o, Math.min(o + BLOCK_BYTES, whole));
    if (whole < buf.length) carry = buf.subarray(whole);
  }
  if (carry) yield carry;
}

export function assertBatchFileName(fileName: string): void {
  if (typeof fileName !== 'string' || !fileName.trim() || fileName.length > MAX_FILE_NAME_CHARS || BAD_FILE_NAME_CHAR.test(fileName) || LONE_SURROGATE.test(fileName)) {
    throw invalidArgument(
      `送信するファイル名は${MAX_FILE_NAME_CHARS}文字以内で、制御文字や「/」「\\」を含めずに指定してください`,
      'batch file name is empty, too long, or has control characters or path separators',
    );
  }
}

function assertBatch(batch: BatchFile): void {
  assertBatchFileName(batch.fileName);
  const parts: unknown = batch.zip;
  const pieces = parts instanceof Uint8Array ? [parts] : Array.isArray(parts) ? (parts as unknown[]) : null;
  if (!pieces || !pieces.every((p) => p instanceof Uint8Array) || zipLength(batch.zip) === 0) throw invalidArgument('送信する申請データが空です', 'empty batch ZIP');
}

/** The text of an element: &, < and > escaped (a file name may hold any of them). */
export function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

/** Length in bytes of the wrapped base64 of `zipLength` bytes (60 characters + LF per 45 bytes). */
function wrappedBase64Length(zipLength: number): number {
  const fullLines = Math.floor(zipLength / BASE64_LINE_BYTES);
  const rest = zipLength % BASE64_LINE_BYTES;
  return fullLines * 61 + (rest ? Math.ceil(rest / 3) * 4 + 1 : 0);
}

/**
 * The request body in pieces, in order: head, then FileData about 60 KiB at a time, then tail.
 * Concatenated they are exactly encodeApplyRequest's bytes; a stream (a file, a hash, a socket) can
 * take them one by one without the whole body ever existing twice.
 */
export function* applyRequestChunks(batch: BatchFile): Generator<Buffer> {
  assertBatch(batch);
  yield Buffer.from(`${REQUEST_HEAD}${escapeText(batch.fileName)}${REQUEST_MIDDLE}`, 'utf8');
  for (const block of lineAlignedBlocks(partsOf(batch.zip))) {
    const plain = Buffer.from(block.toString('base64'), 'latin1');
    const out = Buffer.allocUnsafe(wrappedBase64Length(block.length));
    let o = 0;
    for (let i = 0; i < plain.length; i += 60) {
      o += plain.copy(out, o, i, Math.min(i + 60, plain.length));
      out[o++] = 0x0a;
    }
    yield out;
  }
  yield Buffer.from(REQUEST_TAIL, 'utf8');
}

/** The exact bytes of the 一括申請 request: one allocation of the final size, no full base64 string. */
export function encodeApplyRequest(batch: BatchFile): Buffer {
  assertBatch(batch);
  const head = Buffer.byteLength(`${REQUEST_HEAD}${escapeText(batch.fileName)}${REQUEST_MIDDLE}`, 'utf8');
  const total = head + wrappedBase64Length(zipLength(batch.zip)) + REQUEST_TAIL.length;
  const body = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const chunk of applyRequestChunks(batch)) offset += chunk.copy(body, offset);
  if (offset !== total) throw new Error(`apply request length ${offset} != ${total}`);
  return body;
}

/**
 * True when `body` has the frame encodeApplyRequest writes (head … tail). A cheap check that bytes
 * kept by the outbox are a 一括申請 request before they are sent; it does not decode FileData.
 */
export function looksLikeApplyRequest(body: Uint8Array): boolean {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const head = Buffer.from(REQUEST_HEAD, 'utf8');
  const tail = Buffer.from(REQUEST_TAIL, 'utf8');
  return buf.length > head.length + tail.length && buf.subarray(0, head.length).equals(head) && buf.subarray(buf.length - tail.length).equals(tail);
}

/**
 * Reads a 一括申請 request body back into file name and ZIP (whitespace in FileData ignored, as
 * e-Gov does). For checks and tests; the sending path never needs it.
 */
export function decodeApplyRequest(body: Uint8Array | string): { fileName: string; zip: Buffer } {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const m = /<FileName>([^<]*)<\/FileName>\s*<FileData>([A-Za-z0-9+/=\s]*)<\/FileData>/.exec(text);
  if (!m) throw invalidArgument('一括申請の送信データの形式が正しくありません', 'not a 一括申請 request body');
  const fileName = m[1]!.replace(/&(amp|lt|gt|quot|apos);/g, (_e, n: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[n]!);
  return { fileName, zip: Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64') };
}

// ---------------------------------------------------------------------------------------------
// Answers

/** a count element's text (shared with ./sends-scan.ts, which must accept exactly what this file does) */
export const COUNT = /^\d{1,9}$/;

function count(node: XmlNode, name: string): number {
  const text = requiredText(node, name);
  if (!COUNT.test(text)) throw malformedResponse(`${name} が数値ではありません`, `${name} is not a count: ${JSON.stringify(text.slice(0, 20))}`);
  return Number(text);
}

function sendNumberOf(node: XmlNode): string {
  const sendNumber = requiredText(node, 'SendNumber');
  if (!isSendNumber(sendNumber)) throw malformedResponse('送信番号の形式が想定外です', `SendNumber ${JSON.stringify(sendNumber.slice(0, 30))} is not 18 digits of a send time + counter`);
  return sendNumber;
}

function textOr(node: XmlNode, name: string): string {
  return optionalText(node, name) ?? '';
}

function element(value: XmlValue, name: string): XmlNode {
  if (typeof value === 'string') {
    if (value.trim()) throw malformedResponse(`${name} の中身が想定外です`, `${name} holds text, not elements`);
    return {};
  }
  if (Array.isArray(value)) throw malformedResponse(`${name} が入れ子になっています`, `nested ${name} list`);
  return value;
}

/** 一括申請's 202 (A.7). */
export function decodeSendReceipt(applData: XmlNode): SendReceipt {
  return {
    sendNumber: sendNumberOf(applData),
    sendDate: requiredText(applData, 'SendDate'),
    sendFileName: textOr(applData, 'SendFileName'),
    sendApplyCount: count(applData, 'SendApplyCount'),
    errorCount: count(applData, 'ErrorCount'),
  };
}

export const ARRIVE_ID = /^\d{1,32}$/;

function decodeArrived(value: XmlValue): ArrivedApplication {
  const node = element(value, 'Apply');
  const arriveId = requiredText(node, 'ArriveID');
  if (!ARRIVE_ID.test(arriveId)) throw malformedResponse('到達番号の形式が想定外です', `ArriveID ${JSON.stringify(arriveId.slice(0, 40))} is not digits`);
  return {
    arriveId,
    ministryName: textOr(node, 'MinistryName'),
    procedureName: textOr(node, 'ProcName'),
    procedureFolderName: textOr(node, 'ProcFolderName'),
    applicantName: textOr(node, 'ApplicantName'),
    // sic: e-Gov spells it CorporationtName (REFERENCE §4.4)
    corporationName: textOr(node, 'CorporationtName'),
    departmentName: textOr(node, 'DepartmentName'),
    status: requiredText(node, 'Status'),
    statusDate: textOr(node, 'StatusDate'),
    payStatus: textOr(node, 'PayStatus'),
    payWaitCount: count(node, 'PayWaitCount'),
    correctStatus: textOr(node, 'CorrectStatus'),
    commentCountNotRead: count(node, 'CommentCountNotRead'),
    commentCount: count(node, 'CommentCount'),
    docCountNotDownload: count(node, 'DocCountNotDownload'),
    docCount: count(node, 'DocCount'),
  };
}

/** Apply children of `node`, checked against the ApplyCount the same node declares. */
function applications(node: XmlNode, where: string): ArrivedApplication[] {
  const declared = count(node, 'ApplyCount');
  const list = childList(node, 'Apply').map(decodeArrived);
  if (list.length !== declared) {
    throw malformedResponse(`${where}の案件数が ApplyCount と合いません`, `${where}: ApplyCount ${declared} but ${list.length} Apply elements`);
  }
  return list;
}

function errorFile(node: XmlNode): string | null {
  const text = textOr(node, 'ErrorFile');
  return text === '' ? null : text;
}

function decodePackage(value: XmlValue): SendSummary {
  const node = element(value, 'PackageApply');
  const sendNumber = sendNumberOf(node);
  return {
    sendNumber,
    sendDate: requiredText(node, 'SendDate'),
    workStatus: textOr(node, 'WorkStatus'),
    normalCount: count(node, 'NormalCount'),
    allCount: count(node, 'AllCount'),
    errorCount: count(node, 'ErrorCount'),
    supplementaryMessage: textOr(node, 'SupplementaryMessage'),
    errorFileBase64: errorFile(node),
    applications: applications(node, `送信番号 ${sendNumber} `),
  };
}

/** 送信案件一覧 as decoded: the query echoes and the batches, newest first as e-Gov orders them. */
export interface SendsAnswer {
  /** echo of `;id=` ('' for a `;date=` query) */
  sendNumber: string;
  /** echoes of `;date=` ('' for an `;id=` query) */
  sendDateFrom: string;
  sendDateTo: string;
  sends: SendSummary[];
}

/** 送信案件一覧 (A.8–A.11). PackageApplyCount must match the PackageApply elements present. */
export function decodeSends(applData: XmlNode): SendsAnswer {
  const declared = count(applData, 'PackageApplyCount');
  const sends = childList(applData, 'PackageApply').map(decodePackage);
  if (sends.length !== declared) {
    throw malformedResponse('送信案件の数が PackageApplyCount と合いません', `PackageApplyCount ${declared} but ${sends.length} PackageApply elements`);
  }
  return { sendNumber: textOr(applData, 'SendNumber'), sendDateFrom: textOr(applData, 'SendDateFrom'), sendDateTo: textOr(applData, 'SendDateTo'), sends };
}

/**
 * The echoes must be what was asked: an answer about another 送信番号 or range (a caching proxy, a
 * mixed-up reply) would let reconciliation conclude wrongly that a batch never arrived.
 */
export function checkSendsEcho(answer: SendsAnswer, query: SendQuery): void {
  const ok =
    'sendNumber' in query
      ? answer.sendNumber === query.sendNumber && answer.sendDateFrom === '' && answer.sendDateTo === ''
      : answer.sendNumber === '' && answer.sendDateFrom === query.from && answer.sendDateTo === query.to;
  if (!ok) throw malformedResponse('問い合わせた送信番号・期間と応答が合いません', 'the SendNumber/SendDateFrom/SendDateTo echo does not match the query');
  if ('sendNumber' in query && answer.sends.some((s) => s.sendNumber !== query.sendNumber)) {
    throw malformedResponse('問い合わせていない送信番号が応答に含まれています', 'a PackageApply of another send number in an ;id= answer');
  }
}

/** 申請案件一覧 (A.13). */
export function decodeArrivedList(applData: XmlNode): SendApplications {
  const sendNumber = sendNumberOf(applData);
  return { sendNumber, errorCount: count(applData, 'ErrorCount'), errorFileBase64: errorFile(applData), applications: applications(applData, '') };
}

// The 400 of 送信案件一覧 when nothing matches (A.12): e-Gov's exact words start like this.
const NO_SENDS_MESSAGE = /^\s*該当する申請情報が存在しません/;

/** True for 送信案件一覧's "該当する申請情報が存在しません…" (HTTP 400, Code 1): an empty list, not a failure. */
export function isNoSendsMessage(status: number | undefined, serverMessage: string | undefined): boolean {
  return status === 400 && NO_SENDS_MESSAGE.test(serverMessage ?? '');
}

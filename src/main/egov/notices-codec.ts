// Main process. The wire format of what the government sends back about a case (REFERENCE §4.8,
// §4.12–§4.14, §4.16, §4.17; A.17, A.22–A.25, A.27, A.28): 補正通知一覧, 公文書・コメント一覧, 公文書 /
// コメント通知 取得 and 取得完了. Wire names (NoticeSubID, DocTitle, FileData …) stay in this file;
// callers see src/shared/documents.ts. Pure functions, no I/O.
import type { AmendNotice, AmendNoticeList, NoticeDownload, NoticeEntry, NoticeList, NoticeReceipt } from '../../shared/documents.js';
import { invalidArgument, malformedResponse } from './errors.js';
import { arriveIdOf, assertArriveId, element, isArriveId, optionalDayOf, optionalTimestampOf, textOr, timestampOf } from './reference-codec.js';
import { childList, requiredChild, requiredText, type XmlNode, type XmlValue } from './xml.js';

/** lists that must stay lists when they hold one entry */
export const AMEND_NOTICES_ARRAY_ELEMENTS: readonly string[] = ['Official', 'File'];
export const NOTICES_ARRAY_ELEMENTS: readonly string[] = ['Official', 'Comment', 'File'];
export const NOTICE_RECEIPT_ARRAY_ELEMENTS: readonly string[] = ['File'];

/** Which download API: 公文書 (§4.13, §4.14) or コメント通知 (§4.16, §4.17); also the path segment. */
export type NoticeKind = 'officialdocument' | 'comment';

const NOTICE_KINDS: readonly NoticeKind[] = ['officialdocument', 'comment'];
const KIND_LABEL: Record<NoticeKind, string> = { officialdocument: '公文書', comment: 'コメント通知' };

export function noticeLabel(kind: NoticeKind): string {
  return KIND_LABEL[kind];
}

// ---------------------------------------------------------------------------------------------
// 通知番号 and paths

// Only 1 was ever recorded; a positive integer that fits a path segment and a JS number exactly.
const NOTICE_SUB_ID = /^[1-9]\d{0,8}$/;

export function isNoticeSubId(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && NOTICE_SUB_ID.test(String(n));
}

/** Refuses anything but a positive integer of up to 9 digits, before it can reach a path or a body. */
export function assertNoticeSubId(noticeSubId: number): void {
  if (!isNoticeSubId(noticeSubId)) {
    throw invalidArgument('通知番号は1以上の整数で指定してください', `notice sub ID must be a positive integer of up to 9 digits, got ${JSON.stringify(String(noticeSubId).slice(0, 20))}`);
  }
}

function assertKind(kind: NoticeKind): void {
  if (!NOTICE_KINDS.includes(kind)) throw invalidArgument('通知の種類が正しくありません', `unknown notice kind ${JSON.stringify(String(kind).slice(0, 20))}`);
}

/** `amend/{到達番号}` (補正通知一覧, GET). */
export function amendNoticesPath(arriveId: string): string {
  assertArriveId(arriveId);
  return `amend/${arriveId}`;
}

/** `notice/{到達番号}` (公文書・コメント一覧, GET). */
export function noticesPath(arriveId: string): string {
  assertArriveId(arriveId);
  return `notice/${arriveId}`;
}

/** `officialdocument/{到達番号}/{通知番号}` or `comment/…/…` (取得, GET). */
export function noticeDownloadPath(kind: NoticeKind, arriveId: string, noticeSubId: number): string {
  assertKind(kind);
  assertArriveId(arriveId);
  assertNoticeSubId(noticeSubId);
  return `${kind}/${arriveId}/${noticeSubId}`;
}

/** `officialdocument` or `comment` (取得完了, PUT). */
export function noticeCompletionPath(kind: NoticeKind): string {
  assertKind(kind);
  return kind;
}

// ---------------------------------------------------------------------------------------------
// The 取得完了 request body: the frame recorded being accepted (recorded/officialdocument-done,
// comment-done, byte-identical to each other), with its final LF.

export function encodeNoticeCompletion(arriveId: string, noticeSubId: number): string {
  assertArriveId(arriveId);
  assertNoticeSubId(noticeSubId);
  return `<?xml version="1.0"?>\n<DataRoot>\n  <ApplData Id="ApplData">\n    <ArriveID>${arriveId}</ArriveID>\n    <NoticeSubID>${noticeSubId}</NoticeSubID>\n  </ApplData>\n</DataRoot>\n`;
}

// ---------------------------------------------------------------------------------------------
// Field readers

function noticeSubIdOf(node: XmlNode): number {
  const text = requiredText(node, 'NoticeSubID');
  if (!NOTICE_SUB_ID.test(text)) throw malformedResponse('通知番号が数値ではありません', `NoticeSubID ${JSON.stringify(text.slice(0, 20))} is not a positive integer`);
  return Number(text);
}

function fileNames(node: XmlNode): string[] {
  return childList(node, 'File').map((value) => requiredText(element(value, 'File'), 'FileName'));
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A FileData that must hold a ZIP. The element is read raw (xml.ts stopNodes), so whitespace and line
 * breaks may sit anywhere in it; anything else that is not base64, or a decoded value that does not
 * start as a ZIP does (an empty ZIP, a PDF alone, an HTML error page), is a malformed answer: stored
 * as a 公文書 it would fail much later and far from its cause.
 */
export function zipOf(node: XmlNode, name = 'FileData'): Buffer {
  const compact = requiredText(node, name).replace(/\s+/g, '');
  if (compact === '') throw malformedResponse(`${name} が空です`, `empty ${name}`);
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) throw malformedResponse(`${name} が base64 ではありません`, `${name} is not base64`);
  const zip = Buffer.from(compact, 'base64');
  if (zip.length < ZIP_MAGIC.length || !zip.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) {
    throw malformedResponse(`${name} が ZIP ではありません`, `${name} does not start with a ZIP local file header`);
  }
  return zip;
}

function noDuplicates<T extends { noticeSubId: number }>(entries: T[], what: string): T[] {
  const seen = new Set<number>();
  for (const entry of entries) {
    if (seen.has(entry.noticeSubId)) throw malformedResponse(`${what}の通知番号が重複しています`, `NoticeSubID ${entry.noticeSubId} occurs twice in ${what}`);
    seen.add(entry.noticeSubId);
  }
  return entries;
}

/** The answer must be about the case and notice asked for: another's ZIP would be filed under this one. */
export function checkNoticeEcho(answer: { arriveId: string; noticeSubId: number }, arriveId: string, noticeSubId: number): void {
  if (!isArriveId(arriveId) || answer.arriveId !== arriveId) {
    throw malformedResponse('問い合わせた到達番号と応答が合いません', `ArriveID echo ${answer.arriveId} is not ${arriveId}`);
  }
  if (answer.noticeSubId !== noticeSubId) {
    throw malformedResponse('問い合わせた通知番号と応答が合いません', `NoticeSubID echo ${answer.noticeSubId} is not ${noticeSubId}`);
  }
}

/** The list answers must be about the case asked for. */
export function checkListEcho(answer: { arriveId: string }, arriveId: string): void {
  if (!isArriveId(arriveId) || answer.arriveId !== arriveId) {
    throw malformedResponse('問い合わせた到達番号と応答が合いません', `ArriveID echo ${answer.arriveId} is not ${arriveId}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 補正通知一覧 (A.17)

function decodeAmendNotice(value: XmlValue): AmendNotice {
  const node = element(value, 'Official');
  return {
    noticeSubId: noticeSubIdOf(node),
    requestedDate: timestampOf(node, 'CorrectRequestedDate'),
    expiredDate: optionalDayOf(node, 'CorrectExpiredDate'),
    completedDate: optionalTimestampOf(node, 'CorrectCompletedDate'),
    title: textOr(node, 'DocTitle'),
    zip: zipOf(node),
    fileNames: fileNames(node),
  };
}

export function decodeAmendNotices(applData: XmlNode): AmendNoticeList {
  return {
    arriveId: arriveIdOf(applData, 'ArriveID'),
    procedureName: textOr(applData, 'ProcName'),
    correctType: textOr(applData, 'CorrectType'),
    amendDocType: textOr(applData, 'AmendDocType'),
    notices: noDuplicates(childList(applData, 'Official').map(decodeAmendNotice), '補正通知'),
  };
}

// ---------------------------------------------------------------------------------------------
// 公文書・コメント一覧 (A.22)

/** A `Comment` entry, as recorded (SEEN): Reading is 未読 / 既読. */
function decodeComment(value: XmlValue): NoticeEntry {
  const node = element(value, 'Comment');
  return {
    kind: 'comment',
    noticeSubId: noticeSubIdOf(node),
    issueDate: timestampOf(node, 'IssueDate'),
    title: textOr(node, 'DocTitle'),
    fileNames: fileNames(node),
    state: textOr(node, 'Reading'),
  };
}

/**
 * A 公文書 entry. NEVER RECORDED (REFERENCE §4.12, §11.5): no traffic exists of a case with 公文書 in
 * this list. What is read here is the agreed SIM-CHOICE the sandbox emits — an `<Official>` element
 * with NoticeSubID, IssueDate, DocTitle, File/FileName* and DownloadStatus (未取得 / 取得済) — read
 * leniently (IssueDate and DownloadStatus may be absent) so that the real shape, once seen, needs
 * this one function changed and nothing else.
 */
function decodeOfficialDocumentEntry(value: XmlValue): NoticeEntry {
  const node = element(value, 'Official');
  return {
    kind: 'document',
    noticeSubId: noticeSubIdOf(node),
    issueDate: optionalTimestampOf(node, 'IssueDate'),
    title: textOr(node, 'DocTitle'),
    fileNames: fileNames(node),
    state: textOr(node, 'DownloadStatus'),
  };
}

export function decodeNoticeList(applData: XmlNode): NoticeList {
  return {
    arriveId: arriveIdOf(applData, 'ArriveID'),
    procedureName: textOr(applData, 'ProcName'),
    documents: noDuplicates(childList(applData, 'Official').map(decodeOfficialDocumentEntry), '公文書'),
    comments: noDuplicates(childList(applData, 'Comment').map(decodeComment), 'コメント'),
  };
}

// ---------------------------------------------------------------------------------------------
// 公文書取得 / コメント通知取得 (A.23, A.24, A.27) and their 取得完了 (A.25, A.28)

export function decodeNoticeDownload(applData: XmlNode): NoticeDownload {
  return {
    arriveId: arriveIdOf(applData, 'ArriveID'),
    noticeSubId: noticeSubIdOf(applData),
    zip: zipOf(requiredChild(applData, 'Download')),
  };
}

export function decodeNoticeReceipt(applData: XmlNode): NoticeReceipt {
  return {
    arriveId: arriveIdOf(applData, 'ArriveID'),
    noticeSubId: noticeSubIdOf(applData),
    procedureName: textOr(applData, 'ProcName'),
    title: textOr(applData, 'DocTitle'),
    downloadDate: timestampOf(applData, 'DownloadDate'),
    fileNames: fileNames(applData),
  };
}

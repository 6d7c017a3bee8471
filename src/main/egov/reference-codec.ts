// Main process. The wire format of 状況照会 (REFERENCE §4.6, A.14, A.15): the path with its 到達番号,
// and what the answer's ApplData holds. The wire names (ArriveID, ApplyHistory, ProcEndDate …) stay
// in this file; callers see the names of src/shared/case.ts. Pure functions, no I/O.
import type { CaseEvent, CaseStatus } from '../../shared/case.js';
import { parseJstTimestamp } from './dates.js';
import { invalidArgument, malformedResponse } from './errors.js';
import { childList, optionalText, requiredText, type XmlNode, type XmlValue } from './xml.js';

/** what follows `/shinsei/1/access/` for 状況照会, before `/{到達番号}` */
export const REFERENCE_PATH = 'reference';

/** a single ApplyHistory is still a list (REFERENCE §10) */
export const REFERENCE_ARRAY_ELEMENTS: readonly string[] = ['ApplyHistory'];

// ---------------------------------------------------------------------------------------------
// 到達番号

// Every 到達番号 recorded from v1 (2015) is 16 digits: 900 + the year + a 9-digit sequence (§2.7).
// The successor API documents 16–18 digits; accepting 17 and 18 too costs nothing (digits only,
// nothing else can reach the path) and keeps a case that 送信案件一覧 lists from being unqueryable
// should the sequence ever outgrow 9 digits.
const ARRIVE_ID = /^\d{16,18}$/;

export function isArriveId(text: string): boolean {
  return typeof text === 'string' && ARRIVE_ID.test(text);
}

/** Refuses anything but 16–18 ASCII digits, before it can reach a path or a body. */
export function assertArriveId(arriveId: string): void {
  if (!isArriveId(arriveId)) {
    throw invalidArgument('到達番号は16桁の数字で指定してください', `arrive ID must be 16 to 18 ASCII digits, got ${JSON.stringify(String(arriveId).slice(0, 40))}`);
  }
}

/** `reference/{到達番号}` (状況照会, GET). */
export function referencePath(arriveId: string): string {
  assertArriveId(arriveId);
  return `${REFERENCE_PATH}/${arriveId}`;
}

// ---------------------------------------------------------------------------------------------
// Field readers shared with withdrawal-codec.ts

/** A 到達番号 the answer must carry. */
export function arriveIdOf(node: XmlNode, name: string): string {
  const text = requiredText(node, name);
  if (!isArriveId(text)) throw malformedResponse('到達番号の形式が想定外です', `${name} ${JSON.stringify(text.slice(0, 40))} is not 16–18 digits`);
  return text;
}

/** A JST YYYYMMDDhhmmss that must be there and be real. */
export function timestampOf(node: XmlNode, name: string): string {
  const text = requiredText(node, name);
  if (parseJstTimestamp(text) === undefined) throw malformedResponse(`${name} が日時ではありません`, `${name} ${JSON.stringify(text.slice(0, 30))} is not a real YYYYMMDDhhmmss`);
  return text;
}

/** Like timestampOf, but '' (absent or empty: not reached yet) is allowed. */
export function optionalTimestampOf(node: XmlNode, name: string): string {
  const text = optionalText(node, name) ?? '';
  if (text !== '' && parseJstTimestamp(text) === undefined) {
    throw malformedResponse(`${name} が日時ではありません`, `${name} ${JSON.stringify(text.slice(0, 30))} is not a real YYYYMMDDhhmmss`);
  }
  return text;
}

/** '' or a real JST YYYYMMDD (§2.7 Date). */
export function optionalDayOf(node: XmlNode, name: string): string {
  const text = optionalText(node, name) ?? '';
  if (text !== '' && (!/^\d{8}$/.test(text) || parseJstTimestamp(`${text}000000`) === undefined)) {
    throw malformedResponse(`${name} が日付ではありません`, `${name} ${JSON.stringify(text.slice(0, 30))} is not a real YYYYMMDD`);
  }
  return text;
}

export function textOr(node: XmlNode, name: string): string {
  return optionalText(node, name) ?? '';
}

/** A list entry that must hold elements (never text, never a nested list). */
export function element(value: XmlValue, name: string): XmlNode {
  if (typeof value === 'string') {
    if (value.trim()) throw malformedResponse(`${name} の中身が想定外です`, `${name} holds text, not elements`);
    return {};
  }
  if (Array.isArray(value)) throw malformedResponse(`${name} が入れ子になっています`, `nested ${name} list`);
  // text beside the child elements (mixed content): not what e-Gov writes, so not read as if it were
  const text = value['#text'];
  if (typeof text === 'string' && text.trim()) throw malformedResponse(`${name} の中身が想定外です`, `${name} holds text beside its elements`);
  return value;
}

// A flag whose meaning is not documented: kept as sent, but it must look like one (a few digits).
const FLAG = /^\d{1,4}$/;

function flagOf(node: XmlNode, name: string): string {
  const text = requiredText(node, name);
  if (!FLAG.test(text)) throw malformedResponse(`${name} が数値ではありません`, `${name} is not a flag: ${JSON.stringify(text.slice(0, 20))}`);
  return text;
}

/** Any text e-Gov sends, kept as it came, but not nothing: a case always has a status. */
function statusOf(node: XmlNode): string {
  const text = requiredText(node, 'Status');
  if (text === '') throw malformedResponse('状況（Status）が空です', 'empty Status');
  return text;
}

const SUB_ID = /^[1-9]\d{0,8}$/;

// ---------------------------------------------------------------------------------------------
// The answer

function decodeEvent(value: XmlValue): CaseEvent {
  const node = element(value, 'ApplyHistory');
  const subIdText = requiredText(node, 'ApplyHistorySubID');
  if (!SUB_ID.test(subIdText)) throw malformedResponse('履歴番号が数値ではありません', `ApplyHistorySubID ${JSON.stringify(subIdText.slice(0, 20))} is not a positive integer`);
  return {
    subId: Number(subIdText),
    date: timestampOf(node, 'RegDate'),
    operatorType: textOr(node, 'OperatorType'),
    processType: textOr(node, 'ProcessType'),
    status: textOr(node, 'ApplyStatus'),
    payNumber: textOr(node, 'PayNumber'),
    payStatus: textOr(node, 'PayStatus'),
    totalFee: textOr(node, 'TotalFee'),
    payExpiredDate: optionalDayOf(node, 'PayExpiredDate'),
  };
}

/**
 * 状況照会 (A.14, A.15). Status and event texts are kept exactly as sent; the dates must be real;
 * the history must not repeat an event number (a mixed-up answer), and keeps e-Gov's order.
 */
export function decodeCaseStatus(applData: XmlNode): CaseStatus {
  const history = childList(applData, 'ApplyHistory').map(decodeEvent);
  const seen = new Set<number>();
  for (const event of history) {
    if (seen.has(event.subId)) throw malformedResponse('履歴番号が重複しています', `ApplyHistorySubID ${event.subId} occurs twice`);
    seen.add(event.subId);
  }
  return {
    arriveId: arriveIdOf(applData, 'ArriveID'),
    procedureName: textOr(applData, 'ProcName'),
    amendMessage: textOr(applData, 'AmendMessage'),
    commentMessage: textOr(applData, 'CommentMessage'),
    documentMessage: textOr(applData, 'DocumentMessage'),
    payMessage: textOr(applData, 'PayMessage'),
    status: statusOf(applData),
    arriveDate: timestampOf(applData, 'ArriveDate'),
    examStartDate: optionalTimestampOf(applData, 'ExamStartDate'),
    examEndDate: optionalTimestampOf(applData, 'ExamEndDate'),
    procedureEndDate: optionalTimestampOf(applData, 'ProcEndDate'),
    withdrawFlag: flagOf(applData, 'WithdrawFlag'),
    withdrawType: flagOf(applData, 'WithdrawType'),
    reintroductionFlag: flagOf(applData, 'ReintroductionFlag'),
    history,
  };
}

// Sandbox (Node). The ministry's side of a case, which e-Gov's API never exposes (REFERENCE §6.2:
// 審査開始, 手続終了 … are not API-triggerable; §9 "Back-office hooks"): the operator's actions on one
// 到達番号. Each changes the case in one transaction, with its history event stamped by the sandbox
// clock, and the list APIs (送信案件一覧, 申請案件一覧) show the new Status and StatusDate at once.
import type { CaseChange, CaseRow, CaseStore } from '../state/case-store.js';
import { HISTORY, STATUS, type HistoryEntry, type HistoryEvent } from '../state/history.js';
import { jstTimestamp } from '../wire/time.js';

export const OPERATOR_ACTIONS = ['start-exam', 'finish-exam', 'finish', 'set-status', 'set-reintroduction', 'accept-withdrawal', 'reject-withdrawal'] as const;
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

export interface OperatorRequest {
  action: OperatorAction;
  arriveId: string;
  /** set-status: the new status, any text (e-Gov has statuses no recording shows) */
  status?: string;
  /** set-status: the history's ProcessType; default 状況変更通知 */
  processType?: string;
}

export type OperatorErrorCode = 'OPERATOR_UNKNOWN_ACTION' | 'OPERATOR_BAD_ARGUMENT' | 'OPERATOR_CASE_NOT_FOUND' | 'OPERATOR_NOT_ALLOWED';

export class OperatorError extends Error {
  constructor(
    readonly code: OperatorErrorCode,
    readonly messageJa: string,
  ) {
    super(messageJa);
    this.name = 'OperatorError';
  }
}

/** What the operator sees of a case after an action (JSON on the admin port). */
export interface CaseView {
  arriveId: string;
  userId: string;
  applyType: string;
  targetArriveId: string | null;
  procName: string;
  status: string;
  statusDate: string;
  arriveDate: string;
  examStartDate: string;
  examEndDate: string;
  procEndDate: string;
  withdrawFlag: string;
  reintroductionFlag: string;
  history: HistoryEntry[];
}

/** What `GET /admin/v1/cases/{到達番号}` (`op show`) adds to a case: its 納付 and the notices issued on it. */
export interface CaseDetailView extends CaseView {
  payments: Array<{ payNumber: string; confirmNumber: string; facilityNumber: string; totalFee: string; payExpiredDate: string; payStatus: string; payDate: string }>;
  notices: Array<{ kind: string; noticeSubId: number; issueDate: string; docTitle: string; doneDate: string }>;
}

export const MAX_STATUS_CHARS = 200;
const ARRIVE_ID = /^\d{16,18}$/;
// eslint-disable-next-line no-control-regex -- a status or event name is one line of display text
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

export function isOperatorAction(name: string): name is OperatorAction {
  return (OPERATOR_ACTIONS as readonly string[]).includes(name);
}

export function checkText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || [...value].length > MAX_STATUS_CHARS || CONTROL.test(value) || value.trim() !== value) {
    throw new OperatorError('OPERATOR_BAD_ARGUMENT', `${what}は前後に空白のない 1〜${MAX_STATUS_CHARS} 文字で、改行や制御文字を含まない文字列にしてください。`);
  }
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
    throw new OperatorError('OPERATOR_BAD_ARGUMENT', `${what}に壊れた文字（対になっていないサロゲート）があります。`);
  }
  return value;
}

/** An operator request from untrusted input (admin route, scenario file): every field checked. */
export function parseOperatorRequest(input: { action: unknown; arriveId: unknown; status?: unknown; processType?: unknown }): OperatorRequest {
  const { action, arriveId } = input;
  if (typeof action !== 'string' || !isOperatorAction(action)) {
    const shown = typeof action === 'string' ? `「${action.slice(0, 40)}」` : '';
    throw new OperatorError('OPERATOR_UNKNOWN_ACTION', `不明な操作です${shown}。使える操作: ${OPERATOR_ACTIONS.join(', ')}`);
  }
  if (typeof arriveId !== 'string' || !ARRIVE_ID.test(arriveId)) {
    throw new OperatorError('OPERATOR_BAD_ARGUMENT', '到達番号は 16〜18 桁の数字で指定してください。');
  }
  const out: OperatorRequest = { action, arriveId };
  if (action === 'set-status') {
    if (input.status === undefined) throw new OperatorError('OPERATOR_BAD_ARGUMENT', 'set-status には新しい状況（status）を指定してください。');
    out.status = checkText(input.status, '状況（status）');
    if (input.processType !== undefined) out.processType = checkText(input.processType, '処理種別（processType）');
  } else if (input.status !== undefined || input.processType !== undefined) {
    throw new OperatorError('OPERATOR_BAD_ARGUMENT', `status と processType は set-status にだけ指定できます（${action}）。`);
  }
  return out;
}

interface Step {
  arriveId: string;
  change: CaseChange;
  event: HistoryEvent | null;
}

/** The withdrawal an accept/reject acts on: the 到達番号 may name the case or its 取下げ. */
function pendingWithdrawal(store: CaseStore, c: CaseRow): { original: CaseRow; withdrawal: CaseRow } {
  const original = c.applyType === '新規申請' ? c : c.targetArriveId ? store.find(c.targetArriveId) : null;
  const withdrawal = original ? store.latestWithdrawalOf(original.arriveId) : null;
  if (!original || !withdrawal || original.status !== STATUS.withdrawing) {
    throw new OperatorError('OPERATOR_NOT_ALLOWED', `到達番号 ${c.arriveId} には処理中の取下げがありません（状況: ${original?.status ?? c.status}）。`);
  }
  return { original, withdrawal };
}

function stepsOf(store: CaseStore, c: CaseRow, r: OperatorRequest, date: string): Step[] {
  const one = (change: CaseChange, event: HistoryEvent | null): Step[] => [{ arriveId: c.arriveId, change, event }];
  switch (r.action) {
    case 'start-exam':
      return one({ status: HISTORY.examStarted.applyStatus, examStartDate: date }, HISTORY.examStarted);
    case 'finish-exam':
      return one({ status: HISTORY.examFinished.applyStatus, examEndDate: date }, HISTORY.examFinished);
    case 'finish':
      // A.15: a finished case shows ExamEndDate as well, though its history has no 審査終了 event
      return one({ status: HISTORY.finished.applyStatus, procEndDate: date, ...(c.examEndDate === '' ? { examEndDate: date } : {}) }, HISTORY.finished);
    case 'set-status': {
      const event = HISTORY.statusSet(r.status!, r.processType);
      return one({ status: event.applyStatus }, event);
    }
    case 'set-reintroduction':
      // A.15 (SEEN): a case flagged for 再提出 shows no event of its own in the history
      return one({ reintroductionFlag: '1' }, null);
    case 'accept-withdrawal': {
      const { original, withdrawal } = pendingWithdrawal(store, c);
      return [
        { arriveId: original.arriveId, change: { status: STATUS.withdrawn, procEndDate: date, statusBeforeWithdrawal: null }, event: HISTORY.withdrawalAccepted },
        { arriveId: withdrawal.arriveId, change: { status: STATUS.finished, procEndDate: date }, event: HISTORY.finished },
      ];
    }
    case 'reject-withdrawal': {
      const { original, withdrawal } = pendingWithdrawal(store, c);
      const back = original.statusBeforeWithdrawal ?? STATUS.arrived;
      return [
        { arriveId: original.arriveId, change: { status: back, withdrawFlag: '0', statusBeforeWithdrawal: null }, event: HISTORY.withdrawalRefused(back) },
        { arriveId: withdrawal.arriveId, change: { status: STATUS.finished, procEndDate: date }, event: HISTORY.finished },
      ];
    }
  }
}

export function caseView(store: CaseStore, arriveId: string): CaseView | null {
  const c = store.find(arriveId);
  if (!c) return null;
  return {
    arriveId: c.arriveId,
    userId: c.userId,
    applyType: c.applyType,
    targetArriveId: c.targetArriveId,
    procName: c.procName,
    status: c.status,
    statusDate: c.statusDate,
    arriveDate: c.arriveDate,
    examStartDate: c.examStartDate,
    examEndDate: c.examEndDate,
    procEndDate: c.procEndDate,
    withdrawFlag: c.withdrawFlag,
    reintroductionFlag: c.reintroductionFlag,
    history: store.history(c.arriveId),
  };
}

/** Performs one action; throws OperatorError when the case is unknown or the action does not fit it. */
export function performAction(store: CaseStore, r: OperatorRequest, now: Date): CaseView {
  const at = now.getTime();
  const date = jstTimestamp(now);
  store.transaction(() => {
    const c = store.find(r.arriveId);
    if (!c) throw new OperatorError('OPERATOR_CASE_NOT_FOUND', `到達番号 ${r.arriveId} の案件はサンドボックスにありません。`);
    for (const s of stepsOf(store, c, r, date)) store.change(s.arriveId, s.change, s.event, at, date);
  });
  return caseView(store, r.arriveId)!;
}


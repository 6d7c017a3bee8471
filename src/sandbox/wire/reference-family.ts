// Sandbox (Node). The 状況照会 body (REFERENCE §4.6, A.14/A.15), byte for byte: the access family's
// declaration, CRLF and TABs, 3 empty lines before <Result>, 3 after ReintroductionFlag, each
// ApplyHistory followed by one empty line, then </ApplData>, an empty line, </DataRoot>.
import type { HistoryEntry } from '../state/history.js';
import { el, envelope, type ResultBlock } from './apply-family.js';

export interface ReferenceAnswer {
  arriveId: string;
  procName: string;
  amendMessage: string;
  commentMessage: string;
  documentMessage: string;
  payMessage: string;
  status: string;
  arriveDate: string;
  examStartDate: string;
  examEndDate: string;
  procEndDate: string;
  withdrawFlag: string;
  withdrawType: string;
  reintroductionFlag: string;
  history: readonly HistoryEntry[];
}

/** An error answer: the 到達番号 echoed, every other item empty, no history ([SIM-CHOICE], like A.21 for 補正申請). */
export function emptyReference(arriveId: string): ReferenceAnswer {
  return {
    arriveId,
    procName: '',
    amendMessage: '',
    commentMessage: '',
    documentMessage: '',
    payMessage: '',
    status: '',
    arriveDate: '',
    examStartDate: '',
    examEndDate: '',
    procEndDate: '',
    withdrawFlag: '',
    withdrawType: '',
    reintroductionFlag: '',
    history: [],
  };
}

export function writeReferenceBody(result: ResultBlock, a: ReferenceAnswer): string {
  const lines = [
    el(1, 'ArriveID', a.arriveId),
    el(1, 'ProcName', a.procName),
    el(1, 'AmendMessage', a.amendMessage),
    el(1, 'CommentMessage', a.commentMessage),
    el(1, 'DocumentMessage', a.documentMessage),
    el(1, 'PayMessage', a.payMessage),
    el(1, 'Status', a.status),
    el(1, 'ArriveDate', a.arriveDate),
    el(1, 'ExamStartDate', a.examStartDate),
    el(1, 'ExamEndDate', a.examEndDate),
    el(1, 'ProcEndDate', a.procEndDate),
    el(1, 'WithdrawFlag', a.withdrawFlag),
    el(1, 'WithdrawType', a.withdrawType),
    el(1, 'ReintroductionFlag', a.reintroductionFlag),
    '',
    '',
    '',
  ];
  for (const h of a.history) {
    lines.push(
      '\t<ApplyHistory>',
      el(2, 'ApplyHistorySubID', h.subId),
      el(2, 'RegDate', h.regDate),
      el(2, 'OperatorType', h.operatorType),
      el(2, 'ProcessType', h.processType),
      el(2, 'ApplyStatus', h.applyStatus),
      el(2, 'PayNumber', h.payNumber),
      el(2, 'PayStatus', h.payStatus),
      el(2, 'TotalFee', h.totalFee),
      el(2, 'PayExpiredDate', h.payExpiredDate),
      '\t</ApplyHistory>',
      '',
    );
  }
  return envelope(['', '', ''], result, lines);
}

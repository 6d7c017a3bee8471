// Sandbox (Node). The body e-Gov answers a synchronous submission against a case with — 取下げ (A.16),
// and the same layout for 再提出 / 補正申請 (A.18, A.20) and their 500 (A.21) — byte for byte: 3 empty
// lines before <Result>, 3 after NewArriveID, 3 after ApplicantName; each ApplyForm and ApplyFile
// block followed by one empty line and each list by 3 more (A.20 shows two of each, A.21 none:
// 9 empty lines); 3 empty lines after OrgDistFileSend.
import { el, envelope, type ResultBlock } from './apply-family.js';

export interface SubmissionAnswer {
  /** the case the submission is for (echoed) */
  arriveId: string;
  /** 手続名称 of the submission's own procedure (e.g. 取下げ申請書XML管理手続) */
  procName: string;
  arriveDate: string;
  newArriveId: string;
  arriveResult: string;
  /** 取下げ, 補正, … */
  applyType: string;
  ministryName: string;
  receptionDesk: string;
  applicantName: string;
  /** 申請書様式名称, then 添付書類名称s */
  formNames: readonly string[];
  /** 申請書ファイル名称, then 添付書類ファイル名称s */
  fileNames: readonly string[];
  orgDistFileSend: string;
}

/** An error answer: only the 到達番号 echoed (A.21). */
export function emptySubmission(arriveId: string): SubmissionAnswer {
  return {
    arriveId,
    procName: '',
    arriveDate: '',
    newArriveId: '',
    arriveResult: '',
    applyType: '',
    ministryName: '',
    receptionDesk: '',
    applicantName: '',
    formNames: [],
    fileNames: [],
    orgDistFileSend: '',
  };
}

function blocks(outer: string, inner: string, values: readonly string[]): string[] {
  return values.flatMap((v) => [`\t<${outer}>`, el(2, inner, v), `\t</${outer}>`, '']);
}

export function writeSubmissionBody(result: ResultBlock, a: SubmissionAnswer): string {
  return envelope(['', '', ''], result, [
    el(1, 'ArriveID', a.arriveId),
    el(1, 'ProcName', a.procName),
    el(1, 'ArriveDate', a.arriveDate),
    el(1, 'NewArriveID', a.newArriveId),
    '',
    '',
    '',
    el(1, 'ArriveResult', a.arriveResult),
    el(1, 'ApplyType', a.applyType),
    el(1, 'MinistryName', a.ministryName),
    el(1, 'ReceptionDesk', a.receptionDesk),
    el(1, 'ApplicantName', a.applicantName),
    '',
    '',
    '',
    ...blocks('ApplyForm', 'FormName', a.formNames),
    '',
    '',
    '',
    ...blocks('ApplyFile', 'FileName', a.fileNames),
    '',
    '',
    '',
    el(1, 'OrgDistFileSend', a.orgDistFileSend),
    '',
    '',
    '',
  ]);
}

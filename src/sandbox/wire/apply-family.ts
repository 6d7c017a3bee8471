// Sandbox (Node). The access-family bodies of 一括申請 (A.7), 送信案件一覧 (A.8–A.12) and 申請案件一覧
// (A.13), byte for byte: XML declaration, CRLF, TAB indentation, the blank-line slots of each API
// (REFERENCE §2.5), no newline after </DataRoot>, and the server's misspelt `CorporationtName`.
// Success and error bodies of one API share one layout, as the recorded 送信案件一覧 200/400 do.
import { escapeXmlText } from './xml-text.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export interface ResultBlock {
  code: '0' | '1';
  message: string;
}

/** One element on its own line, `indent` TABs in, the value escaped. */
export function el(indent: number, name: string, value: string | number): string {
  return `${'\t'.repeat(indent)}<${name}>${escapeXmlText(String(value))}</${name}>`;
}

/** The access-family document: `before` = the API's blank-line slot before <Result>; one empty line before </DataRoot>. */
export function envelope(before: readonly string[], result: ResultBlock, applData: readonly string[]): string {
  return [
    DECLARATION,
    '<DataRoot>',
    ...before,
    '<Result>',
    el(1, 'Code', result.code),
    el(1, 'Message', result.message),
    '</Result>',
    '<ApplData>',
    ...applData,
    '</ApplData>',
    '',
    '</DataRoot>',
  ].join('\r\n');
}

export interface ApplyAnswer {
  sendNumber: string;
  sendDate: string;
  sendFileName: string;
  /** '' in error answers */
  sendApplyCount: number | '';
  errorCount: number | '';
}

/** 一括申請 (A.7): 4 empty lines before <Result>, 3 after ErrorCount. */
export function writeApplyBody(result: ResultBlock, a: ApplyAnswer): string {
  return envelope(['', '', '', ''], result, [
    el(1, 'SendNumber', a.sendNumber),
    el(1, 'SendDate', a.sendDate),
    el(1, 'SendFileName', a.sendFileName),
    el(1, 'SendApplyCount', a.sendApplyCount),
    el(1, 'ErrorCount', a.errorCount),
    '',
    '',
    '',
  ]);
}

/** One arrived application in a list (the 17 children of Apply, in the recorded order). */
export interface ApplyEntry {
  arriveId: string;
  ministryName: string;
  procName: string;
  procFolderName: string;
  applicantName: string;
  corporationName: string;
  departmentName: string;
  status: string;
  statusDate: string;
  payStatus: string;
  payWaitCount: number;
  correctStatus: string;
  commentCountNotRead: number;
  commentCount: number;
  docCountNotDownload: number;
  docCount: number;
}

function applyBlock(indent: number, no: number, a: ApplyEntry): string[] {
  const i = indent + 1;
  return [
    `${'\t'.repeat(indent)}<Apply>`,
    el(i, 'No', no),
    el(i, 'ArriveID', a.arriveId),
    el(i, 'MinistryName', a.ministryName),
    el(i, 'ProcName', a.procName),
    el(i, 'ProcFolderName', a.procFolderName),
    el(i, 'ApplicantName', a.applicantName),
    el(i, 'CorporationtName', a.corporationName),
    el(i, 'DepartmentName', a.departmentName),
    el(i, 'Status', a.status),
    el(i, 'StatusDate', a.statusDate),
    el(i, 'PayStatus', a.payStatus),
    el(i, 'PayWaitCount', a.payWaitCount),
    el(i, 'CorrectStatus', a.correctStatus),
    el(i, 'CommentCountNotRead', a.commentCountNotRead),
    el(i, 'CommentCount', a.commentCount),
    el(i, 'DocCountNotDownload', a.docCountNotDownload),
    el(i, 'DocCount', a.docCount),
    `${'\t'.repeat(indent)}</Apply>`,
  ];
}

/** One 送信 (batch) in 送信案件一覧. */
export interface PackageEntry {
  sendNumber: string;
  sendDate: string;
  workStatus: string;
  normalCount: number;
  allCount: number;
  supplementaryMessage: string;
  errorCount: number;
  /** base64 of the error HTML; '' when none */
  errorFile: string;
  applies: readonly ApplyEntry[];
}

export interface SendListAnswer {
  /** echo of `;id=`, '' for `;date=` */
  sendNumber: string;
  sendDateFrom: string;
  sendDateTo: string;
  packages: readonly PackageEntry[];
}

/**
 * 送信案件一覧 (A.8–A.12): 5 empty lines, a line of one SPACE, 2 empty lines before <Result>; an
 * empty line after PackageApplyCount and after each PackageApply; a TAB-only line after ApplyCount
 * and after each Apply.
 */
export function writeSendListBody(result: ResultBlock, a: SendListAnswer): string {
  const lines = [el(1, 'SendNumber', a.sendNumber), el(1, 'SendDateFrom', a.sendDateFrom), el(1, 'SendDateTo', a.sendDateTo), el(1, 'PackageApplyCount', a.packages.length), ''];
  a.packages.forEach((p, index) => {
    lines.push(
      '\t<PackageApply>',
      el(2, 'No', index + 1),
      el(2, 'SendNumber', p.sendNumber),
      el(2, 'SendDate', p.sendDate),
      el(2, 'WorkStatus', p.workStatus),
      el(2, 'NormalCount', p.normalCount),
      el(2, 'AllCount', p.allCount),
      el(2, 'SupplementaryMessage', p.supplementaryMessage),
      el(2, 'ErrorCount', p.errorCount),
      el(2, 'ErrorFile', p.errorFile),
      el(2, 'ApplyCount', p.applies.length),
      '\t',
    );
    p.applies.forEach((apply, i) => lines.push(...applyBlock(2, i + 1, apply), '\t'));
    lines.push('\t</PackageApply>', '');
  });
  return envelope(['', '', '', '', '', ' ', '', ''], result, lines);
}

export interface ApplyListAnswer {
  sendNumber: string;
  errorCount: number | '';
  errorFile: string;
  applies: readonly ApplyEntry[];
}

/** 申請案件一覧 (A.13): 7 empty lines before <Result>; 2 empty lines after ApplyCount, 1 after each Apply. */
export function writeApplyListBody(result: ResultBlock, a: ApplyListAnswer): string {
  const lines = [el(1, 'SendNumber', a.sendNumber), el(1, 'ErrorCount', a.errorCount), el(1, 'ErrorFile', a.errorFile), el(1, 'ApplyCount', a.applies.length), ''];
  a.applies.forEach((apply, i) => lines.push('', ...applyBlock(1, i + 1, apply)));
  lines.push('');
  return envelope(['', '', '', '', '', '', ''], result, lines);
}

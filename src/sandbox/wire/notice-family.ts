// Sandbox (Node). The access-family bodies of the notice APIs, byte for byte as recorded (REFERENCE
// §2.5, Appendix A): 補正通知一覧 (A.17), 公文書・コメント一覧 (A.22), 公文書取得 (A.23/A.24),
// コメント通知取得 (A.27), 公文書取得完了 (A.25), コメント通知取得完了 (A.28) and 公文書署名検証 (A.26).
// Each API has its own blank-line slots before <Result> and after </ApplData>; the lines inside
// ApplData are listed here as the recordings show them.
import { el, type ResultBlock } from './apply-family.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const empty = (n: number): string[] => Array.from({ length: n }, () => '');

function document(slotBefore: number, result: ResultBlock, applData: readonly string[], slotAfter: number): string {
  return [
    DECLARATION,
    '<DataRoot>',
    ...empty(slotBefore),
    '<Result>',
    el(1, 'Code', result.code),
    el(1, 'Message', result.message),
    '</Result>',
    '<ApplData>',
    ...applData,
    '</ApplData>',
    ...empty(slotAfter),
    '</DataRoot>',
  ].join('\r\n');
}

/** `<File><FileName>…</FileName></File>` blocks at `indent`, each followed by an empty line. */
function fileBlocks(indent: number, names: readonly string[]): string[] {
  const tabs = '\t'.repeat(indent);
  return names.flatMap((n) => [`${tabs}<File>`, el(indent + 1, 'FileName', n), `${tabs}</File>`, '']);
}

// ---- 補正通知一覧 (A.17) ------------------------------------------------------------------------

export interface AmendNoticeEntry {
  noticeSubId: number;
  correctRequestedDate: string;
  correctExpiredDate: string;
  correctCompletedDate: string;
  docTitle: string;
  /** base64 of the notice ZIP, one line */
  fileData: string;
  fileNames: readonly string[];
}

export interface AmendListAnswer {
  arriveId: string;
  procName: string;
  correctType: string;
  amendDocType: string;
  notices: readonly AmendNoticeEntry[];
}

export function writeAmendListBody(result: ResultBlock, a: AmendListAnswer): string {
  const lines = [el(1, 'ArriveID', a.arriveId), el(1, 'ProcName', a.procName), el(1, 'CorrectType', a.correctType), el(1, 'AmendDocType', a.amendDocType), ...empty(6)];
  for (const n of a.notices) {
    lines.push(
      '\t<Official>',
      el(2, 'NoticeSubID', n.noticeSubId),
      el(2, 'CorrectRequestedDate', n.correctRequestedDate),
      el(2, 'CorrectExpiredDate', n.correctExpiredDate),
      el(2, 'CorrectCompletedDate', n.correctCompletedDate),
      el(2, 'DocTitle', n.docTitle),
      el(2, 'FileData', n.fileData),
      '',
      ...fileBlocks(2, n.fileNames),
      '\t</Official>',
      '',
    );
  }
  return document(3, result, lines, 1);
}

// ---- 公文書・コメント一覧 (A.22) -----------------------------------------------------------------

export interface NoticeListEntry {
  noticeSubId: number;
  issueDate: string;
  docTitle: string;
  fileNames: readonly string[];
  /** Comment: 未読 / 既読 (Reading); Official: 未取得 / 取得済 (DownloadStatus) */
  state: string;
}

export interface NoticeListAnswer {
  arriveId: string;
  procName: string;
  officials: readonly NoticeListEntry[];
  comments: readonly NoticeListEntry[];
}

function noticeEntry(element: 'Official' | 'Comment', stateElement: string, e: NoticeListEntry): string[] {
  return [
    `\t<${element}>`,
    el(2, 'NoticeSubID', e.noticeSubId),
    el(2, 'IssueDate', e.issueDate),
    el(2, 'DocTitle', e.docTitle),
    '',
    ...fileBlocks(2, e.fileNames),
    el(2, stateElement, e.state),
    `\t</${element}>`,
    '',
  ];
}

/**
 * [SIM-CHOICE] 公文書 entries were never recorded (REFERENCE §4.12, §11.5). As agreed with the client:
 * `<Official>` blocks laid out like `<Comment>` with `<DownloadStatus>` in place of `<Reading>`, in
 * the slot of the 6 empty lines after ProcName (which stays as recorded when there are none).
 */
export function writeNoticeListBody(result: ResultBlock, a: NoticeListAnswer): string {
  const officials = a.officials.length === 0 ? empty(6) : a.officials.flatMap((o) => noticeEntry('Official', 'DownloadStatus', o));
  const lines = [el(1, 'ArriveID', a.arriveId), el(1, 'ProcName', a.procName), ...officials, ...a.comments.flatMap((c) => noticeEntry('Comment', 'Reading', c))];
  return document(4, result, lines, 0);
}

// ---- 公文書取得 (A.23/A.24), コメント通知取得 (A.27) ------------------------------------------

export interface NoticeDownloadAnswer {
  arriveId: string;
  noticeSubId: string;
  fileData: string;
}

function downloadLines(a: NoticeDownloadAnswer): string[] {
  return [el(1, 'ArriveID', a.arriveId), el(1, 'NoticeSubID', a.noticeSubId), '\t<Download>', el(2, 'FileData', a.fileData), '\t</Download>'];
}

export function writeOfficialDownloadBody(result: ResultBlock, a: NoticeDownloadAnswer): string {
  return document(3, result, downloadLines(a), 2);
}

export function writeCommentDownloadBody(result: ResultBlock, a: NoticeDownloadAnswer): string {
  return document(4, result, downloadLines(a), 0);
}

// ---- 公文書取得完了 (A.25), コメント通知取得完了 (A.28): one layout ------------------------------

export interface NoticeDoneAnswer {
  arriveId: string;
  noticeSubId: string;
  procName: string;
  docTitle: string;
  downloadDate: string;
  fileNames: readonly string[];
}

export function writeNoticeDoneBody(result: ResultBlock, a: NoticeDoneAnswer): string {
  return document(
    4,
    result,
    [
      el(1, 'ArriveID', a.arriveId),
      el(1, 'NoticeSubID', a.noticeSubId),
      el(1, 'ProcName', a.procName),
      el(1, 'DocTitle', a.docTitle),
      el(1, 'DownloadDate', a.downloadDate),
      ...empty(3),
      ...fileBlocks(1, a.fileNames),
    ],
    0,
  );
}

// ---- 公文書署名検証 (A.26) -----------------------------------------------------------------------

export interface CertificateLines {
  publisherDn: string;
  ownerDn: string;
  serialNumber: string;
  termValidity: string;
}

export interface VerifyAnswer {
  arriveId: string;
  errorCount: string;
  documentFileName: string;
  attachedFileName: string;
  /** null: nothing to report (an error answer) */
  official: (CertificateLines & { validationResult: string; certificateResult: string; certificateCount: string; publisher: string; owner: string }) | null;
  government: CertificateLines | null;
}

export function emptyVerify(arriveId: string): VerifyAnswer {
  return { arriveId, errorCount: '', documentFileName: '', attachedFileName: '', official: null, government: null };
}

function certificateLines(c: CertificateLines): string[] {
  return [el(3, 'PublisherDN', c.publisherDn), el(3, 'OwnerDN', c.ownerDn), el(3, 'SerialNumber', c.serialNumber), el(3, 'TermValidity', c.termValidity)];
}

export function writeVerifyBody(result: ResultBlock, a: VerifyAnswer): string {
  const lines = [
    el(1, 'ArriveID', a.arriveId),
    el(1, 'ErrorCount', a.errorCount),
    '',
    '  ',
    '',
    el(1, 'DocumentFileName', a.documentFileName),
    el(1, 'AttachedFileName', a.attachedFileName),
    '\t',
    '',
  ];
  if (a.official || a.government) {
    lines.push('\t<VerifyResult>');
    if (a.official) {
      const o = a.official;
      lines.push(
        '\t\t<Official>',
        el(3, 'ValidationResult', o.validationResult),
        el(3, 'CertificateResult', o.certificateResult),
        el(3, 'CertificateCount', o.certificateCount),
        el(3, 'Publisher', o.publisher),
        el(3, 'Owner', o.owner),
        '',
        ...certificateLines(o),
        '',
        '\t\t</Official>',
        '',
      );
    }
    if (a.government) lines.push('\t\t<Government>', ...certificateLines(a.government), '\t\t</Government>', '');
    lines.push('\t</VerifyResult>', '');
  }
  return document(6, result, lines, 1);
}

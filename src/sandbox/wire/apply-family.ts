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
  return `${TABS[indent] ?? '\t'.repeat(indent)}<${name}>${typeof value === 'number' ? value : escapeXmlText(value)}</${name}>`;
}

const TABS = ['', '\t', '\t\t', '\t\t\t', '\t\t\t\t'];

const CRLF = '\r\n';

/** The access-family document: `before` = the API's blank-line slot before <Result>; one empty line before </DataRoot>. */
export function envelope(before: readonly string[], result: ResultBlock, applData: readonly string[]): string {
  return [envelopeHead(before, result), ...applData, ENVELOPE_TAIL].join(CRLF);
}

/** The document's lines up to `<ApplData>`, without a line end after it. */
function envelopeHead(before: readonly string[], result: ResultBlock): string {
  return [DECLARATION, '<DataRoot>', ...before, '<Result>', el(1, 'Code', result.code), el(1, 'Message', result.message), '</Result>', '<ApplData>'].join(CRLF);
}

const ENVELOPE_TAIL = ['</ApplData>', '', '</DataRoot>'].join(CRLF);

/**
 * UTF-8 appended to one growing buffer: a long answer is encoded as it is written, never held as
 * one string of every line (twice the bytes, as Japanese text is two bytes a character in V8).
 */
class Utf8Out {
  #buf = Buffer.allocUnsafe(64 * 1024);
  #length = 0;

  /** `text` and a line end. */
  line(text: string): void {
    // at most 3 bytes per UTF-16 unit
    const need = this.#length + text.length * 3 + 2;
    if (need > this.#buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.#buf.length * 2));
      this.#buf.copy(bigger, 0, 0, this.#length);
      this.#buf = bigger;
    }
    this.#length += this.#buf.write(text, this.#length);
    this.#buf[this.#length++] = 0x0d;
    this.#buf[this.#length++] = 0x0a;
  }

  /** What was written, ending with `last` (no line end after it). */
  end(last: string): Buffer {
    this.line(last);
    return this.#buf.subarray(0, this.#length - CRLF.length);
  }
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

/**
 * One Apply, its lines joined (a joined block is what `lines` would hold, line by line): one string
 * per application, since a 送信案件一覧 of a busy user holds tens of thousands of them.
 */
function applyBlock(indent: number, no: number, a: ApplyEntry): string {
  const i = indent + 1;
  const tabs = '\t'.repeat(indent);
  return (
    `${tabs}<Apply>\r\n` +
    `${el(i, 'No', no)}\r\n` +
    `${el(i, 'ArriveID', a.arriveId)}\r\n` +
    `${el(i, 'MinistryName', a.ministryName)}\r\n` +
    `${el(i, 'ProcName', a.procName)}\r\n` +
    `${el(i, 'ProcFolderName', a.procFolderName)}\r\n` +
    `${el(i, 'ApplicantName', a.applicantName)}\r\n` +
    `${el(i, 'CorporationtName', a.corporationName)}\r\n` +
    `${el(i, 'DepartmentName', a.departmentName)}\r\n` +
    `${el(i, 'Status', a.status)}\r\n` +
    `${el(i, 'StatusDate', a.statusDate)}\r\n` +
    `${el(i, 'PayStatus', a.payStatus)}\r\n` +
    `${el(i, 'PayWaitCount', a.payWaitCount)}\r\n` +
    `${el(i, 'CorrectStatus', a.correctStatus)}\r\n` +
    `${el(i, 'CommentCountNotRead', a.commentCountNotRead)}\r\n` +
    `${el(i, 'CommentCount', a.commentCount)}\r\n` +
    `${el(i, 'DocCountNotDownload', a.docCountNotDownload)}\r\n` +
    `${el(i, 'DocCount', a.docCount)}\r\n` +
    `${tabs}</Apply>`
  );
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
  return writeSendListBytes(result, a).toString('utf8');
}

/** writeSendListBody's bytes, encoded as they are written: one Apply per case, and a user may have tens of thousands. */
export function writeSendListBytes(result: ResultBlock, a: SendListAnswer): Buffer {
  const out = new Utf8Out();
  out.line(envelopeHead(['', '', '', '', '', ' ', '', ''], result));
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
    for (const line of lines.splice(0)) out.line(line);
    p.applies.forEach((apply, i) => out.line(`${applyBlock(2, i + 1, apply)}${CRLF}\t`));
    lines.push('\t</PackageApply>', '');
  });
  for (const line of lines) out.line(line);
  return out.end(ENVELOPE_TAIL);
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
  a.applies.forEach((apply, i) => lines.push('', applyBlock(1, i + 1, apply)));
  lines.push('');
  return envelope(['', '', '', '', '', '', ''], result, lines);
}

// Core host (pure). The case list as CSV, for a 社労士 office's own records and its clients: one row
// per case, the headers in Japanese, the text exactly as e-Gov sent it, dates written out.
//
// Two forms. `excel` is what opens by a double click in Excel (the app's export): UTF-8 with a BOM
// (without one Excel reads Japanese as mojibake), CRLF, and the 16–18 digit numbers written as
// ="…" — Excel keeps only 15 significant digits of a number, so 9002026000001200 would come back as
// 9.00203E+15 with its last digit lost. `plain` is RFC 4180's quoting with LF line ends, for other
// tools (the CLI's --csv).
//
// Either way a text that begins like a formula (= + - @, a tab or a carriage return) gets a leading
// apostrophe: a 氏名 or a status string e-Gov sent must never run as a formula in the person's
// spreadsheet ("CSV injection"). The ="…" form is only ever built here, around digits checked to be
// digits.
import type { CaseSummary } from '../store/cases.js';

export type CsvForm = 'excel' | 'plain';

const HEADERS = [
  '到達番号',
  '送信番号',
  '府省名',
  '手続名称',
  '氏名',
  '法人名',
  '部署名',
  '状況',
  '状況の日時',
  '補正',
  '未読のコメント',
  '未取得の公文書',
  '納付待ち',
  '取下げの対象',
  '補正の対象',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const DIGITS = /^\d+$/;

/** e-Gov's JST YYYYMMDDhhmmss as `YYYY/MM/DD hh:mm:ss` (what a spreadsheet reads as a date); anything else as it came. */
export function egovDateText(value: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  return m ? `${m[1]}/${m[2]}/${m[3]} ${m[4]}:${m[5]}:${m[6]}` : value;
}

/** One field: quoted, inner quotes doubled, a formula-like start disarmed. */
export function csvText(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** A 到達番号 or 送信番号: kept as text in Excel; empty stays empty. */
function csvNumber(value: string | null, form: CsvForm): string {
  if (value === null || value === '') return '';
  if (!DIGITS.test(value)) return csvText(value);
  return form === 'excel' ? `="${value}"` : value;
}

function row(c: CaseSummary, form: CsvForm): string[] {
  return [
    csvNumber(c.arriveId, form),
    csvNumber(c.sendNumber, form),
    csvText(c.ministryName),
    csvText(c.procedureName),
    csvText(c.applicantName),
    csvText(c.corporationName),
    csvText(c.departmentName),
    csvText(c.status),
    csvText(egovDateText(c.statusDate)),
    csvText(c.correctStatus),
    String(c.commentCountNotRead),
    String(c.docCountNotDownload),
    String(c.payWaitCount),
    csvNumber(c.withdrawalOf, form),
    csvNumber(c.amendmentOf, form),
  ];
}

/** The whole file for `cases`, in their order. */
export function casesCsv(cases: Iterable<CaseSummary>, form: CsvForm): string {
  const eol = form === 'excel' ? '\r\n' : '\n';
  const lines = [HEADERS.map(csvText).join(',')];
  for (const c of cases) lines.push(row(c, form).join(','));
  return `${form === 'excel' ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
}

// Sandbox (Node). The access-family bodies of 電子納付: 電子納付対応金融機関一覧 (A.29) and 電子納付情報一覧
// (A.30), byte for byte as recorded: CRLF, TABs, no newline at the end, and each API's own blank-line
// pattern (A.29: 5 empty lines before <Result>, 3 after each group's start tag, one after each Bank
// and Initial, 2 between groups, 1 after the last; A.30: 4 before <Result>, 3 after ProcName, one
// after each ApplyPay and one before </DataRoot>). Where a list holds more entries than the recording
// did, each repeats the recorded entry's lines, its empty line included [SIM-CHOICE].
import { el, type ResultBlock } from './apply-family.js';
import { escapeXmlText } from './xml-text.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const empty = (n: number): string[] => Array.from({ length: n }, () => '');

function document(slotBefore: number, result: ResultBlock, applData: readonly string[], slotAfter: number): string {
  return [DECLARATION, '<DataRoot>', ...empty(slotBefore), '<Result>', el(1, 'Code', result.code), el(1, 'Message', result.message), '</Result>', '<ApplData>', ...applData, '</ApplData>', ...empty(slotAfter), '</DataRoot>'].join(
    '\r\n',
  );
}

// ---- 電子納付対応金融機関一覧 (A.29) ---------------------------------------------------------------

export interface ListedBank {
  financialName: string;
  /** the literal `NULL` when the bank has none (SEEN) */
  serviceName: string;
  url: string;
}

/** An aggregated portal: FinancialName and Url only (SEEN). */
export interface PortalBank {
  financialName: string;
  url: string;
}

export interface BankListAnswer {
  /** TrustBank: the banks by hiragana initial, in the order given */
  initials: ReadonlyArray<{ initial: string; banks: readonly ListedBank[] }>;
  shinkin: readonly PortalBank[];
  creditUnion: readonly PortalBank[];
  norinchukin: readonly PortalBank[];
  labour: readonly PortalBank[];
  /** FinancialTypeListDate, YYYYMMDD */
  listDate: string;
}

function group(name: string, body: readonly string[]): string[] {
  return [`\t<${name}>`, ...empty(3), ...body, `\t</${name}>`];
}

function portal(banks: readonly PortalBank[]): string[] {
  return banks.flatMap((b) => ['\t\t<Bank>', el(3, 'FinancialName', b.financialName), el(3, 'Url', b.url), '\t\t</Bank>', '']);
}

export function writeBankListBody(result: ResultBlock, a: BankListAnswer): string {
  const trust = a.initials.flatMap((i) => [
    `\t\t<Initial Name="${escapeXmlText(i.initial)}">`,
    '',
    ...i.banks.flatMap((b) => ['\t\t\t<Bank>', el(4, 'FinancialName', b.financialName), el(4, 'ServiceName', b.serviceName), el(4, 'Url', b.url), '\t\t\t</Bank>', '']),
    '\t\t</Initial>',
    '',
  ]);
  const groups = [
    group('TrustBank', trust),
    group('ShinkinBank', portal(a.shinkin)),
    group('CreditUnion', portal(a.creditUnion)),
    group('NorinchukinBank', portal(a.norinchukin)),
    group('LabourBank', portal(a.labour)),
  ];
  const lines = ['', ...groups.flatMap((g, i) => [...g, ...empty(i === groups.length - 1 ? 1 : 2)]), el(1, 'FinancialTypeListDate', a.listDate)];
  return document(5, result, lines, 0);
}

/** The error answer: the layout with empty groups and no list date ([SIM-CHOICE], never recorded). */
export function emptyBankList(): BankListAnswer {
  return { initials: [], shinkin: [], creditUnion: [], norinchukin: [], labour: [], listDate: '' };
}

// ---- 電子納付情報一覧 (A.30) ---------------------------------------------------------------------

export interface ApplyPayEntry {
  payNumber: string;
  confirmNumber: string;
  facilityNumber: string;
  payNameKana: string;
  payExpiredDate: string;
  totalFee: string;
  payStatus: string;
  payDate: string;
  payMemo: string;
  payFlag: string;
}

export interface PaymentListAnswer {
  arriveId: string;
  procName: string;
  payments: readonly ApplyPayEntry[];
}

export function writePaymentListBody(result: ResultBlock, a: PaymentListAnswer): string {
  const lines = [
    el(1, 'ArriveID', a.arriveId),
    el(1, 'ProcName', a.procName),
    ...empty(3),
    ...a.payments.flatMap((p) => [
      '\t<ApplyPay>',
      el(2, 'PayNumber', p.payNumber),
      el(2, 'ConfirmNumber', p.confirmNumber),
      el(2, 'FacilityNumber', p.facilityNumber),
      el(2, 'PayNameKana', p.payNameKana),
      el(2, 'PayExpiredDate', p.payExpiredDate),
      el(2, 'TotalFee', p.totalFee),
      el(2, 'PayStatus', p.payStatus),
      el(2, 'PayDate', p.payDate),
      el(2, 'PayMemo', p.payMemo),
      el(2, 'PayFlag', p.payFlag),
      '\t</ApplyPay>',
      '',
    ]),
  ];
  return document(4, result, lines, 1);
}

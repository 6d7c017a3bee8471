// Core host. Builds the 申請データ of one 取下げ (REFERENCE §5.7): one folder `{取下げ手続ID}(1)` with
// kousei.xml and the 取下げ form, kousei.xml signed IN MEMORY (as build-batch.ts does, for the same
// reasons) and the folder packed into the ZIP that 取下げ sends with the 到達番号 of the case.
//
// Two kinds exist (§5.7). 取下げ申請 (procedure 9990000000000008, form torisageshinsei.xml) is the one
// e-Gov was recorded accepting; 取下げ依頼 (9990000000000003, torisageirai.xml) exists only as a
// template. Which one a case needs is not documented (perhaps 状況照会's WithdrawType), so the caller
// chooses; nothing here guesses.
//
// Every text the filer types goes into XML as escaped text, and is refused — with the field and
// the position named — when it holds a character e-Gov may not take: §5.6 knows only UTF-8, so
// Todoke allows what charset.ts calls 'ok' (ASCII, half-width katakana, JIS X 0208). In a package
// Todoke writes itself, a 機種依存文字 is refused rather than warned about: the filer can retype it,
// and a 取下げ refused later by 形式チェック costs days.
import { createHash } from 'node:crypto';
import { TodokeError } from '../../shared/errors.js';
import { describeChar, findSuspectChars } from '../application/charset.js';
import { parseFolderName } from '../application/model.js';
import { packBatchToBuffer } from '../application/pack.js';
import type { Signer } from '../signing/signer.js';
import type { KouseiReferenceForm } from '../signing/xml/kousei-files.js';
import { signKousei } from '../signing/xml/kousei-profile.js';

export type WithdrawalErrorCode =
  /** a field is missing, too long, badly formed or holds a character e-Gov may not take */
  | 'WITHDRAWAL_INPUT_INVALID'
  /** Todoke holds no case with that 到達番号 */
  | 'WITHDRAWAL_CASE_NOT_FOUND'
  /** the case cannot be withdrawn by Todoke (it is a 取下げ itself, or one is pending at e-Gov) */
  | 'WITHDRAWAL_NOT_ALLOWED'
  /** a 取下げ of the case is recorded, in flight, unsettled or delivered: never a second one */
  | 'WITHDRAWAL_EXISTS'
  /** the 取下げ did not reach e-Gov (or was refused for its access key): its entry is `ready` */
  | 'WITHDRAWAL_NOT_SENT'
  /** e-Gov answered and did not accept the 取下げ: its entry is `failed` */
  | 'WITHDRAWAL_REFUSED'
  /** the 取下げ may have reached e-Gov: `unknown`, reconciled by 状況照会 of the case, never resent blindly */
  | 'WITHDRAWAL_DELIVERY_UNKNOWN'
  /** no 取下げ entry has that id, or it is not in a state this step works on */
  | 'WITHDRAWAL_WRONG_STATE';

export class WithdrawalError extends TodokeError<WithdrawalErrorCode> {
  constructor(code: WithdrawalErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'WithdrawalError';
  }
}

/** 取下げ申請 ('application') or 取下げ依頼 ('request'), §5.7. */
export type WithdrawalKind = 'application' | 'request';

/** A person as kousei.xml's 申請者情報 / 連絡先情報 hold them (§5.2; 13 children, same for both). */
export interface WithdrawalPerson {
  /** 氏名; family and given name as e-Gov shows them, usually split by U+3000 (a full-width space) */
  name: string;
  nameKana?: string;
  title?: string;
  corporationName?: string;
  corporationNameKana?: string;
  departmentName?: string;
  departmentNameKana?: string;
  /** 7 half-width digits without hyphen, as accepted (§5.2) */
  postalCode?: string;
  address: string;
  addressKana?: string;
  /** digits and hyphens, as accepted (§5.2), e.g. 03-1234-5678 */
  phone: string;
  fax?: string;
  email?: string;
}

/** The case to withdraw, as 送信案件一覧 / 状況照会 and the original kousei.xml describe it. */
export interface WithdrawalTarget {
  /** 到達番号 of the case */
  arriveId: string;
  /** its 手続ID (16 characters; procedureIdOfFolder reads it from ProcFolderName) */
  procedureId: string;
  /** its 手続名称 */
  procedureName: string;
  /** 提出先 of the 取下げ申請書, e.g. 総務省,行政管理局,API (the original kousei's 提出先名称); may be '' */
  submitTo?: string;
}

export interface WithdrawalInput {
  kind: WithdrawalKind;
  target: WithdrawalTarget;
  /** 申請者情報; the form's 申請者氏名 / 申請者住所 / 連絡先 come from it */
  applicant: WithdrawalPerson;
  /** 連絡先情報; the applicant when absent */
  contact?: WithdrawalPerson;
  /** 理由: why the case is withdrawn (line breaks allowed) */
  reason: string;
  /** 備考 (取下げ申請書 only; line breaks allowed) */
  remarks?: string;
}

export interface BuildWithdrawalOptions {
  signer: Signer;
  /** the date on the form, the Signature/@Id and the ZIP entry times; default now */
  at?: Date;
  referenceForm?: KouseiReferenceForm;
}

export interface BuiltWithdrawal {
  kind: WithdrawalKind;
  /** 到達番号 of the case withdrawn (what 取下げ sends beside the ZIP) */
  arriveId: string;
  /** `9990000000000008(1)` or `9990000000000003(1)` */
  folderName: string;
  /** the signed kousei.xml */
  kousei: Buffer;
  formFileName: string;
  form: Buffer;
  zip: Buffer;
  /** SHA-256 of the ZIP, lower-case hex */
  zipSha256: string;
}

// ---------------------------------------------------------------------------------------------
// What each kind is (§5.7, samples/9990000000000008_base_kousei.xml, 9990000000000003_base_kousei.xml)

interface KindSpec {
  agencyId: string;
  procedureId: string;
  procedureName: string;
  /** kousei.xml's own 様式ID */
  kouseiFormId: string;
  applyType: string;
  formId: string;
  formName: string;
  formFileName: string;
}

const KINDS: Record<WithdrawalKind, KindSpec> = {
  // as recorded being accepted (recorded/withdrawal/2)
  application: {
    agencyId: '100999',
    procedureId: '9990000000000008',
    procedureName: '取下げ申請書XML管理手続',
    kouseiFormId: '999000000000000001',
    applyType: '取下げ申請',
    formId: '999000000000000008',
    formName: '取下げ申請書XML',
    formFileName: 'torisageshinsei.xml',
  },
  // Never sent. The template gives 手続ID, 様式ID 999000000000000009 for kousei.xml (not …001) and the
  // form; it leaves 受付行政機関ID and 手続名称 blank. INFERRED: the 取下げ申請's agency (both are
  // e-Gov's own 999… procedures) and a name made like the 取下げ申請's.
  request: {
    agencyId: '100999',
    procedureId: '9990000000000003',
    procedureName: '取下げ依頼XML管理手続',
    kouseiFormId: '999000000000000009',
    applyType: '取下げ依頼',
    formId: '999000000000000003',
    formName: '取下げ依頼XML',
    formFileName: 'torisageirai.xml',
  },
};

// ---------------------------------------------------------------------------------------------
// Checking what the filer typed

// Lengths: neither the reference nor any recording gives limits (§5.2: "maximum lengths UNKNOWN").
// These are generous for real values and keep one field from filling the form.
const MAX = {
  name: 100,
  kana: 200,
  title: 100,
  address: 200,
  procedureName: 500,
  submitTo: 200,
  reason: 1000,
  remarks: 1000,
  email: 254,
} as const;

function invalid(ja: string, en: string, field: string): WithdrawalError {
  return new WithdrawalError('WITHDRAWAL_INPUT_INVALID', { ja: `${ja}。入力内容を確認してください。`, en: `invalid withdrawal input: ${en}` }, { detail: { field } });
}

interface TextRule {
  max: number;
  required?: boolean;
  multiline?: boolean;
}

/** The text as it goes into the XML (line breaks as LF), or a WithdrawalError naming field and position. */
function checkText(label: string, field: string, value: string | undefined, rule: TextRule): string {
  const raw: unknown = value ?? '';
  if (typeof raw !== 'string') throw invalid(`${label}が文字列ではありません`, `${field} is not a string`, field);
  const text = rule.multiline ? raw.replace(/\r\n?/g, '\n') : raw;
  if (rule.required && text.trim() === '') throw invalid(`${label}を入力してください`, `${field} is empty`, field);
  const length = [...text].length;
  if (length > rule.max) throw invalid(`${label}は${rule.max}文字以内で入力してください（${length}文字あります）`, `${field} has ${length} characters, over ${rule.max}`, field);
  const breakAt = rule.multiline ? text.indexOf('\t') : text.search(/[\t\r\n]/);
  if (breakAt >= 0) {
    const what = text[breakAt] === '\t' ? 'タブ' : '改行';
    throw invalid(`${label}に${what}は使えません（${[...text.slice(0, breakAt)].length + 1}文字目）`, `${field} has a tab or line break at ${breakAt}`, field);
  }
  const { findings } = findSuspectChars(text, 1);
  const bad = findings[0];
  if (bad) {
    const where = rule.multiline ? `${bad.line}行目${bad.column}文字目` : `${bad.column}文字目`;
    const why = bad.cls === 'illegal' ? 'XML に書けない文字' : bad.cls === 'platform-dependent' ? '機種依存文字' : 'JIS 第1・第2水準の範囲外の文字';
    throw invalid(
      `${label}の${where}の「${describeChar(bad.char)}」は${why}のため、e-Gov に送れない場合があります。別の文字に置き換えてください`,
      `${field} has ${bad.cls} character U+${bad.char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at line ${bad.line} column ${bad.column}`,
      field,
    );
  }
  return text;
}

function checkPattern(label: string, field: string, value: string | undefined, pattern: RegExp, hint: string, required: boolean): string {
  const text: unknown = value ?? '';
  if (typeof text !== 'string') throw invalid(`${label}が文字列ではありません`, `${field} is not a string`, field);
  if (text === '' && !required) return '';
  if (!pattern.test(text)) throw invalid(`${label}は${hint}で入力してください`, `${field} does not match ${pattern.source}`, field);
  return text;
}

const PHONE = /^(?=.{1,20}$)\d+(?:-\d+)*$/;
const POSTAL_CODE = /^\d{7}$/;
const EMAIL = /^(?=.{3,254}$)[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+$/;
const PROCEDURE_ID = /^[0-9A-Z]{16}$/;
const ARRIVE_ID = /^\d{16,18}$/;

type CheckedPerson = Required<WithdrawalPerson>;

function checkPerson(person: WithdrawalPerson | undefined, role: '申請者' | '連絡先', field: string): CheckedPerson {
  if (!person || typeof person !== 'object') throw invalid(`${role}の情報がありません`, `${field} missing`, field);
  const f = (name: keyof WithdrawalPerson): string => `${field}.${name}`;
  return {
    name: checkText(`${role}の氏名`, f('name'), person.name, { max: MAX.name, required: true }),
    nameKana: checkText(`${role}の氏名フリガナ`, f('nameKana'), person.nameKana, { max: MAX.kana }),
    title: checkText(`${role}の役職`, f('title'), person.title, { max: MAX.title }),
    corporationName: checkText(`${role}の法人団体名`, f('corporationName'), person.corporationName, { max: MAX.name }),
    corporationNameKana: checkText(`${role}の法人団体名フリガナ`, f('corporationNameKana'), person.corporationNameKana, { max: MAX.kana }),
    departmentName: checkText(`${role}の部門名`, f('departmentName'), person.departmentName, { max: MAX.name }),
    departmentNameKana: checkText(`${role}の部門名フリガナ`, f('departmentNameKana'), person.departmentNameKana, { max: MAX.kana }),
    postalCode: checkPattern(`${role}の郵便番号`, f('postalCode'), person.postalCode, POSTAL_CODE, 'ハイフンなしの半角数字7桁', false),
    address: checkText(`${role}の住所`, f('address'), person.address, { max: MAX.address, required: true }),
    addressKana: checkText(`${role}の住所フリガナ`, f('addressKana'), person.addressKana, { max: MAX.kana }),
    phone: checkPattern(`${role}の電話番号`, f('phone'), person.phone, PHONE, '半角数字とハイフン（20文字以内）', true),
    fax: checkPattern(`${role}のFAX番号`, f('fax'), person.fax, PHONE, '半角数字とハイフン（20文字以内）', false),
    email: checkPattern(`${role}の電子メールアドレス`, f('email'), person.email, EMAIL, '半角英数字の「名前@ドメイン」の形', false),
  };
}

interface CheckedInput {
  kind: WithdrawalKind;
  arriveId: string;
  procedureId: string;
  procedureName: string;
  submitTo: string;
  applicant: CheckedPerson;
  contact: CheckedPerson;
  reason: string;
  remarks: string;
}

function checkInput(input: WithdrawalInput): CheckedInput {
  if (!input || typeof input !== 'object') throw invalid('取下げの内容がありません', 'no input', 'input');
  if (input.kind !== 'application' && input.kind !== 'request') throw invalid('取下げの種類（取下げ申請・取下げ依頼）を選んでください', `unknown kind ${String(input.kind)}`, 'kind');
  const target = input.target ?? ({} as WithdrawalTarget);
  const arriveId = checkPattern('取り下げる案件の到達番号', 'target.arriveId', target.arriveId, ARRIVE_ID, '16桁の数字', true);
  const procedureId = checkPattern('取り下げる案件の手続ID', 'target.procedureId', target.procedureId, PROCEDURE_ID, '半角英大文字・数字16文字', true);
  const applicant = checkPerson(input.applicant, '申請者', 'applicant');
  return {
    kind: input.kind,
    arriveId,
    procedureId,
    procedureName: checkText('取り下げる案件の手続名称', 'target.procedureName', target.procedureName, { max: MAX.procedureName, required: true }),
    submitTo: checkText('提出先', 'target.submitTo', target.submitTo, { max: MAX.submitTo }),
    applicant,
    contact: input.contact === undefined ? applicant : checkPerson(input.contact, '連絡先', 'contact'),
    reason: checkText('取下げの理由', 'reason', input.reason, { max: MAX.reason, required: true, multiline: true }),
    remarks: checkText('備考', 'remarks', input.remarks, { max: MAX.remarks, multiline: true }),
  };
}

/** 手続ID of a ProcFolderName: `900A010000004000(1)` and `900A010000004000` give `900A010000004000`. */
export function procedureIdOfFolder(folderName: string): string {
  const parsed = typeof folderName === 'string' ? parseFolderName(folderName) : null;
  if (!parsed) throw invalid(`フォルダー名「${String(folderName).slice(0, 40)}」から手続IDを読み取れません`, `no procedure ID in folder name ${JSON.stringify(String(folderName).slice(0, 40))}`, 'target.procedureId');
  return parsed.procedureId;
}

// ---------------------------------------------------------------------------------------------
// Writing the XML

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

function jstParts(at: Date): { year: number; month: number; day: number; stamp: string } {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw invalid('日付が正しくありません', 'invalid date', 'at');
  const jst = new Date(at.getTime() + JST_OFFSET_MS);
  return { year: jst.getUTCFullYear(), month: jst.getUTCMonth() + 1, day: jst.getUTCDate(), stamp: jst.toISOString().replace(/[-:T]/g, '').slice(0, 14) };
}

/** 令和 from 2019-05-01, 平成 from 1989-01-08 (the forms write 年号 + year: 平成 27 = 2015). */
function era(year: number, month: number, day: number): { name: string; year: number } {
  const ymd = year * 10000 + month * 100 + day;
  if (ymd >= 20190501) return { name: '令和', year: year - 2018 };
  if (ymd >= 19890108) return { name: '平成', year: year - 1988 };
  throw invalid('平成より前の日付では取下げを作成できません', `date ${ymd} before 平成`, 'at');
}

/** The form's text of a multi-line value: the file's CRLF line ends inside it too. */
const formText = (text: string): string => escapeText(text).replace(/\n/g, '\r\n');

/** torisageshinsei.xml / torisageirai.xml as the samples have them: CRLF, TAB indentation. */
export function withdrawalFormXml(input: WithdrawalInput, at: Date = new Date()): Buffer {
  return formXml(checkInput(input), at);
}

function formXml(c: CheckedInput, at: Date): Buffer {
  const spec = KINDS[c.kind];
  const d = jstParts(at);
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<?xml-stylesheet type="text/xsl" href="${spec.formId}.xsl" ?>`,
    '<DataRoot>',
    `\t<様式ID>${spec.formId}</様式ID>`,
    '\t<様式バージョン>0001</様式バージョン>',
    `\t<STYLESHEET>${spec.formId}.xsl</STYLESHEET>`,
  ];
  let body: string[];
  if (c.kind === 'application') {
    const e = era(d.year, d.month, d.day);
    body = [
      '\t<様式コピー情報>0</様式コピー情報>',
      '\t<取下げ申請書情報>',
      '\t\t<提出年月日>',
      `\t\t\t<年号>${e.name}</年号>`,
      `\t\t\t<年>${e.year}</年>`,
      `\t\t\t<月>${d.month}</月>`,
      `\t\t\t<日>${d.day}</日>`,
      '\t\t</提出年月日>',
      `\t\t<提出先>${formText(c.submitTo)}</提出先>`,
      `\t\t<申請者氏名>${formText(c.applicant.name)}</申請者氏名>`,
      `\t\t<申請者住所>${formText(c.applicant.address)}</申請者住所>`,
      `\t\t<連絡先>${formText(c.applicant.phone)}</連絡先>`,
      `\t\t<手続名称>${formText(c.procedureName)}</手続名称>`,
      `\t\t<手続ID>${c.procedureId}</手続ID>`,
      `\t\t<到達番号>${c.arriveId}</到達番号>`,
      `\t\t<理由>${formText(c.reason)}</理由>`,
      `\t\t<備考>${formText(c.remarks)}</備考>`,
      '\t</取下げ申請書情報>',
    ];
  } else {
    // The template's 依頼年月日 has no 年号, so a 和暦 year would be ambiguous: the Western year is
    // written (INFERRED; the form was never sent).
    body = [
      '\t<取下げ依頼情報>',
      `\t\t<到達番号>${c.arriveId}</到達番号>`,
      `\t\t<手続名称>${formText(c.procedureName)}</手続名称>`,
      `\t\t<申請者氏名>${formText(c.applicant.name)}</申請者氏名>`,
      '\t\t<依頼年月日>',
      `\t\t\t<年>${d.year}</年>`,
      `\t\t\t<月>${d.month}</月>`,
      `\t\t\t<日>${d.day}</日>`,
      '\t\t</依頼年月日>',
      `\t\t<理由>${formText(c.reason)}</理由>`,
      '\t</取下げ依頼情報>',
    ];
  }
  return Buffer.from([...head, ...body, '</DataRoot>', ''].join('\r\n'), 'utf8');
}

/** An element of kousei.xml: `<name/>` when empty, as the accepted kousei.xml writes them. */
const leaf = (indent: number, name: string, value: string): string => `${'\t'.repeat(indent)}${value === '' ? `<${name}/>` : `<${name}>${escapeText(value)}</${name}>`}`;

function personXml(tag: string, p: CheckedPerson): string[] {
  return [
    `\t\t\t\t<${tag}>`,
    leaf(5, '氏名', p.name),
    leaf(5, '氏名フリガナ', p.nameKana),
    leaf(5, '役職', p.title),
    leaf(5, '法人団体名', p.corporationName),
    leaf(5, '法人団体名フリガナ', p.corporationNameKana),
    leaf(5, '部門名', p.departmentName),
    leaf(5, '部門名フリガナ', p.departmentNameKana),
    leaf(5, '郵便番号', p.postalCode),
    leaf(5, '住所', p.address),
    leaf(5, '住所フリガナ', p.addressKana),
    leaf(5, '電話番号', p.phone),
    leaf(5, 'FAX番号', p.fax),
    leaf(5, '電子メールアドレス', p.email),
    `\t\t\t\t</${tag}>`,
  ];
}

/** The unsigned kousei.xml, laid out like the accepted one (recorded/withdrawal/2): LF, TAB indentation. */
export function withdrawalKouseiXml(input: WithdrawalInput): Buffer {
  return kouseiXml(checkInput(input));
}

function kouseiXml(c: CheckedInput): Buffer {
  const spec = KINDS[c.kind];
  const fees = [1, 2, 3, 4, 5, 6].flatMap((n) => [`\t\t\t<手数料${n}>`, '\t\t\t\t<手数料識別子/>', '\t\t\t\t<略科目コード/>', '\t\t\t\t<略科目名/>', '\t\t\t\t<振込金額/>', `\t\t\t</手数料${n}>`]);
  const queries = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((n) => [`\t\t\t<府省照会${n}>`, '\t\t\t\t<府省照会情報ラベル/>', '\t\t\t\t<府省照会情報/>', `\t\t\t</府省照会${n}>`]);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<?xml-stylesheet href="${spec.kouseiFormId}.xsl" type="text/xsl"?>`,
    '<DataRoot>',
    `\t<様式ID>${spec.kouseiFormId}</様式ID>`,
    '\t<様式バージョン>0001</様式バージョン>',
    `\t<STYLESHEET>${spec.kouseiFormId}.xsl</STYLESHEET>`,
    '\t<構成情報 ID="構成情報">',
    '\t\t<管理情報>',
    '\t\t\t<手続番号>',
    `\t\t\t\t<受付行政機関ID>${spec.agencyId}</受付行政機関ID>`,
    `\t\t\t\t<手続ID>${spec.procedureId}</手続ID>`,
    '\t\t\t</手続番号>',
    `\t\t\t<手続名称>${spec.procedureName}</手続名称>`,
    `\t\t\t<初回受付番号>${c.arriveId}</初回受付番号>`,
    `\t\t\t<申請種別>${spec.applyType}</申請種別>`,
    '\t\t\t<申請者連絡先情報>',
    ...personXml('申請者情報', c.applicant),
    ...personXml('連絡先情報', c.contact),
    '\t\t\t\t<委任登録票添付情報>',
    '\t\t\t\t\t<発行番号/>',
    '\t\t\t\t\t<委任登録票名称/>',
    '\t\t\t\t\t<委任登録票ファイル名称/>',
    '\t\t\t\t</委任登録票添付情報>',
    '\t\t\t</申請者連絡先情報>',
    '\t\t</管理情報>',
    '\t\t<手数料情報>',
    ...fees,
    '\t\t</手数料情報>',
    '\t\t<通信欄/>',
    '\t\t<府省照会情報>',
    ...queries,
    '\t\t</府省照会情報>',
    '\t\t<提出先情報>',
    '\t\t\t<提出先識別子/>',
    '\t\t\t<提出先名称/>',
    '\t\t</提出先情報>',
    '\t\t<申請書属性情報>',
    `\t\t\t<申請書様式ID>${spec.formId}</申請書様式ID>`,
    '\t\t\t<申請書様式バージョン>0001</申請書様式バージョン>',
    `\t\t\t<申請書様式名称>${spec.formName}</申請書様式名称>`,
    `\t\t\t<申請書ファイル名称>${spec.formFileName}</申請書ファイル名称>`,
    '\t\t</申請書属性情報>',
    '\t</構成情報>',
    '</DataRoot>',
    '',
  ];
  return Buffer.from(lines.join('\n'), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// The package

/**
 * Checks the input, writes kousei.xml and the form, signs kousei.xml in memory (the form is its
 * only file reference, §5.3) and packs the folder. Nothing is written to disk; nothing is sent.
 */
export async function buildWithdrawalPackage(input: WithdrawalInput, options: BuildWithdrawalOptions): Promise<BuiltWithdrawal> {
  const checked = checkInput(input);
  const at = options.at ?? new Date();
  const { stamp } = jstParts(at);
  const spec = KINDS[checked.kind];
  const form = formXml(checked, at);
  const readFile = (name: string): Promise<Buffer> => (name === spec.formFileName ? Promise.resolve(form) : Promise.reject(new Error(`${name} is not in the 取下げ folder`)));
  const kousei = await signKousei(kouseiXml(checked), readFile, options.signer, { signatureId: stamp, referenceForm: options.referenceForm });
  const folderName = `${spec.procedureId}(1)`;
  const { zip } = await packBatchToBuffer(
    [
      {
        folderName,
        files: [
          { name: 'kousei.xml', data: kousei },
          { name: spec.formFileName, data: form },
        ],
      },
    ],
    { mtime: at },
  );
  return { kind: checked.kind, arriveId: checked.arriveId, folderName, kousei, formFileName: spec.formFileName, form, zip, zipSha256: createHash('sha256').update(zip).digest('hex') };
}

// Main process. 電子納付金融機関サイト表示 (REFERENCE §4.20): the page that takes the filer to the bank
// with the 納付's numbers. e-Gov's v1 interface for it was never recorded, so every guess about it —
// path, method, request body, status, field names — is inside bankSiteHandOff and nowhere else: the
// real interface, once known, changes that one function. What does not depend on the guess is the
// refusal: whatever the page says, Todoke only ever posts to a bank from 電子納付対応金融機関一覧.
import type { BankList, BankSiteForm, BankSiteHandOff, BankSiteRequest } from '../../shared/payment.js';
import { bankUrlProblem, type BankUrlOptions } from './bank-codec.js';
import { banks } from './banks.js';
import { escapeText } from './apply-codec.js';
import { invalidArgument, malformedResponse, unsafeHandOff } from './errors.js';
import { pageText, scanForms, type ScannedForm } from './html-form.js';
import type { EgovCaller } from './http.js';
import { assertArriveId } from './reference-codec.js';
import { interpretResponse } from './reply.js';

/** a hand-off page is a few kilobytes; a megabyte is not one */
export const MAX_HAND_OFF_BYTES = 256 * 1024;
const MAX_BANK_NAME_CHARS = 200;

export interface BankSiteOptions extends BankUrlOptions {
  /** the list the filer chose from; fetched when absent */
  bankList?: BankList;
}

const sameUrl = (a: string, b: string): boolean => {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
};

function checkRequest(r: BankSiteRequest): void {
  assertArriveId(r.arriveId);
  if (!/^\d{16}$/.test(r.payNumber)) throw invalidArgument('納付番号は16桁の数字で指定してください', 'pay number must be 16 ASCII digits');
  // eslint-disable-next-line no-control-regex -- a name with control characters is not from the list
  if (r.bankName === '' || [...r.bankName].length > MAX_BANK_NAME_CHARS || /[\u0000-\u001f\u007f]/.test(r.bankName)) {
    throw invalidArgument('金融機関名は電子納付対応金融機関一覧のとおりに指定してください', 'bank name empty, too long or with control characters');
  }
}

/**
 * Asks e-Gov for the page that hands `request`'s 納付 to the bank, and reads the one form in it.
 * An error page (HTTP 4xx/5xx in HTML) comes back with `form: null` for the caller to show; a
 * success page whose form would post anywhere but a listed bank, or that cannot be read plainly, is
 * refused with EGOV_UNSAFE_HAND_OFF.
 */
export async function bankSiteHandOff(client: EgovCaller, accessKey: string, request: BankSiteRequest, options: BankSiteOptions = {}): Promise<BankSiteHandOff> {
  checkRequest(request);
  const urlOptions: BankUrlOptions = { allowLoopbackStandIn: options.allowLoopbackStandIn === true };
  const list = options.bankList ?? (await banks(client, accessKey, urlOptions));
  if (!list.banks.some((b) => b.name === request.bankName)) {
    throw invalidArgument(`「${request.bankName}」は電子納付対応金融機関一覧にありません。一覧から金融機関を選んでください`, 'bank not in the list');
  }

  // ---- [SIM-CHOICE] everything below is the sandbox's choice for §4.20, NOT e-Gov's recorded behaviour:
  // POST access/bank/site with DataRoot/ApplData/{ArriveID, PayNumber, FinancialName}; an HTML answer,
  // 200 with one auto-submitting POST form whose hidden inputs are the five names below, or an HTML error
  // page with a 4xx/5xx status. An XML answer is read as any other API's (an access-key refusal is one).
  const FIELDS = ['facility', 'payNumber', 'confirmNumber', 'amount', 'deadline'] as const;
  const FIELD_PATTERN: Record<(typeof FIELDS)[number], RegExp> = { facility: /^\d{5}$/, payNumber: /^\d{16}$/, confirmNumber: /^\d{6}$/, amount: /^\d{1,12}$/, deadline: /^\d{8}$/ };
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<DataRoot><ApplData><ArriveID>${request.arriveId}</ArriveID><PayNumber>${request.payNumber}</PayNumber><FinancialName>${escapeText(request.bankName)}</FinancialName></ApplData></DataRoot>\n`;
  return client.callReading({ method: 'POST', path: 'access/bank/site', body, accessKey }, (status, bytes) => {
    if (bytes.length > MAX_HAND_OFF_BYTES) throw malformedResponse(`金融機関サイト表示の応答が ${MAX_HAND_OFF_BYTES} バイトを超えています`, 'hand-off page too large', { status });
    if (/^\s*(?:\uFEFF)?<(?:\?xml|DataRoot)\b/.test(bytes.subarray(0, 200).toString('utf8'))) {
      interpretResponse(status, bytes);
      throw malformedResponse('HTML ではなく XML が返りました', 'XML success where an HTML page was expected', { status });
    }
    let html: string;
    try {
      html = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (cause) {
      throw malformedResponse('金融機関サイト表示の応答が UTF-8 ではありません', 'hand-off page is not UTF-8', { status, cause });
    }
    const text = pageText(html);
    if (status !== 200) return { status, html, form: null, text };
    const refuse = (ja: string, en: string) => unsafeHandOff(ja, en, status);
    const scan = scanForms(html);
    if (!scan.ok) throw refuse(scan.reasonJa, scan.reasonEn);
    if (scan.forms.length !== 1) throw refuse(`フォームが ${scan.forms.length} 個あります（1 個のはずです）`, `${scan.forms.length} forms`);
    if (/\bformaction\s*=|<\s*base\b/i.test(html)) throw refuse('送信先を書き換える指定（formaction / base）があります', 'formaction or <base> present');
    const form = readForm(scan.forms[0]!, list, urlOptions, refuse);
    for (const name of FIELDS) {
      const value = form.fields[name];
      if (value === undefined) throw refuse(`納付の項目 ${name} がありません`, `missing field ${name}`);
      if (!FIELD_PATTERN[name].test(value)) throw refuse(`納付の項目 ${name} の値が正しくありません`, `malformed field ${name}`);
    }
    const extra = Object.keys(form.fields).filter((n) => !(FIELDS as readonly string[]).includes(n));
    if (extra.length > 0) throw refuse(`知らない項目があります: ${extra.slice(0, 3).join(', ').slice(0, 80)}`, `unknown fields ${extra.join(',').slice(0, 200)}`);
    if (form.fields.payNumber !== request.payNumber) throw refuse('別の納付番号の納付です', 'pay number differs from the one asked for');
    return { status, html, form, text };
  });
}

/** The form's action and hidden fields, when it posts to a listed bank and carries nothing else to fill in. */
function readForm(form: ScannedForm, list: BankList, urlOptions: BankUrlOptions, refuse: (ja: string, en: string) => Error): BankSiteForm {
  const method = (form.attributes.method ?? 'get').toLowerCase();
  if (method !== 'post') throw refuse('フォームの送信方法が POST ではありません', `form method ${method.slice(0, 20)}`);
  const action = (form.attributes.action ?? '').trim();
  const problem = bankUrlProblem(action, urlOptions);
  if (problem !== null) throw refuse(`フォームの送信先を開けません: ${problem}`, 'form action is not a usable https URL');
  if (!list.banks.some((b) => sameUrl(b.url, action))) throw refuse('フォームの送信先が電子納付対応金融機関一覧の金融機関ではありません', 'form action is not a listed bank');
  const fields: Record<string, string> = {};
  for (const control of form.controls) {
    const type = (control.attributes.type ?? (control.name === 'button' ? 'submit' : 'text')).toLowerCase();
    if (type === 'submit' && control.attributes.name === undefined) continue;
    if (control.name !== 'input' || type !== 'hidden') throw refuse(`入力欄（${control.name} type=${type.slice(0, 20)}）があります`, `control ${control.name} type=${type.slice(0, 20)}`);
    const name = control.attributes.name;
    if (name === undefined || name === '' || Object.hasOwn(fields, name)) throw refuse('名前のない項目か、同じ名前の項目があります', 'hidden input without a name or repeated');
    fields[name] = control.attributes.value ?? '';
  }
  return { action, fields };
}

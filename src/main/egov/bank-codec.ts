// Main process. The wire format of 電子納付対応金融機関一覧 (REFERENCE §4.18, A.29): the banks grouped
// by kana initial (TrustBank/Initial[@Name]/Bank), the four aggregated portals (ShinkinBank,
// CreditUnion, NorinchukinBank, LabourBank, each Bank with FinancialName and Url only) and
// FinancialTypeListDate. Wire names stay in this file; callers see src/shared/payment.ts. Pure
// functions, no I/O.
//
// The Url of a bank is where the hand-off window will take the filer with the payment's numbers, so
// it is the one value here that can do harm: anything but a plain https URL (http, a malformed one,
// one with credentials in it) is left out of `banks` and reported in `skipped` with its reason — one
// bad entry never costs the filer the whole list.
import { BANK_GROUPS, type Bank, type BankGroup, type BankList, type SkippedBank } from '../../shared/payment.js';
import { malformedResponse } from './errors.js';
import { element, optionalDayOf, textOr } from './reference-codec.js';
import { childList, type XmlNode, type XmlValue } from './xml.js';

/** what follows `/shinsei/1/access/` (GET, no parameters) */
export const BANKS_PATH = 'bank';

/** lists that must stay lists when they hold one entry */
export const BANKS_ARRAY_ELEMENTS: readonly string[] = ['Initial', 'Bank'];

/** the element of each group in ApplData, in e-Gov's order */
const GROUP_ELEMENT: Record<BankGroup, string> = {
  bank: 'TrustBank',
  shinkin: 'ShinkinBank',
  creditUnion: 'CreditUnion',
  norinchukin: 'NorinchukinBank',
  labour: 'LabourBank',
};

/** a list of Japanese banks is a few hundred; far more is not a bank list */
export const MAX_BANKS = 5000;
const MAX_URL_CHARS = 2048;
const SHOWN_URL_CHARS = 200;

/** The literal text e-Gov writes for a bank without an internet-banking service name (SEEN, A.29). */
const NULL_TEXT = 'NULL';

export interface BankUrlOptions {
  /**
   * Also accept the sandbox's stand-in bank, `http://127.0.0.1:PORT/standin-bank/…` (or `[::1]`):
   * the one plain-http URL Todoke opens, and only while its endpoint is the sandbox. Default false.
   */
  allowLoopbackStandIn?: boolean;
}

const STAND_IN_PATH = '/standin-bank/';

/** The sandbox's stand-in bank on loopback (src/sandbox/payments/stand-in-bank.ts): http, an IP loopback host, an explicit port, its path. */
function isLoopbackStandIn(parsed: URL): boolean {
  return parsed.protocol === 'http:' && (parsed.hostname === '127.0.0.1' || parsed.hostname === '[::1]') && parsed.port !== '' && parsed.pathname.startsWith(STAND_IN_PATH);
}

/** Why a Url cannot be handed a payment; null when it can. */
export function bankUrlProblem(url: string, options: BankUrlOptions = {}): string | null {
  if (url === '') return 'URL がありません';
  if (url.length > MAX_URL_CHARS) return 'URL が長すぎます';
  // eslint-disable-next-line no-control-regex -- a URL with a control character is refused, never cleaned
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return 'URL に空白や制御文字が含まれています';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'URL の形式が正しくありません';
  }
  if (options.allowLoopbackStandIn === true && isLoopbackStandIn(parsed)) return parsed.username !== '' || parsed.password !== '' ? 'URL に利用者名やパスワードが含まれています' : null;
  if (parsed.protocol !== 'https:') return `暗号化されていない接続（${parsed.protocol.replace(/:$/, '')}）の URL です`;
  if (parsed.username !== '' || parsed.password !== '') return 'URL に利用者名やパスワードが含まれています';
  if (parsed.hostname === '') return 'URL にホスト名がありません';
  return null;
}

/** The one element of a group, or null when the group is absent. */
function groupNode(applData: XmlNode, name: string): XmlNode | null {
  const values = childList(applData, name);
  if (values.length > 1) throw malformedResponse(`${name} が複数あります`, `element ${name} occurs more than once`);
  return values.length === 0 ? null : element(values[0]!, name);
}

function initialOf(node: XmlNode): string {
  const name = node['@_Name'];
  return typeof name === 'string' ? name : '';
}

interface Collected {
  banks: Bank[];
  skipped: SkippedBank[];
  options: BankUrlOptions;
}

function collect(out: Collected, group: BankGroup, initial: string | null, value: XmlValue, withServiceName: boolean): void {
  if (out.banks.length + out.skipped.length >= MAX_BANKS) {
    throw malformedResponse('金融機関が多すぎます', `more than ${MAX_BANKS} banks`);
  }
  const node = element(value, 'Bank');
  const name = textOr(node, 'FinancialName');
  const url = textOr(node, 'Url');
  const problem = name === '' ? '金融機関名がありません' : bankUrlProblem(url, out.options);
  if (problem !== null) {
    out.skipped.push({ group, initial, name, url: url.slice(0, SHOWN_URL_CHARS), reason: problem });
    return;
  }
  const service = withServiceName ? textOr(node, 'ServiceName') : '';
  out.banks.push({ group, initial, name, serviceName: service === '' || service === NULL_TEXT ? null : service, url });
}

export function decodeBankList(applData: XmlNode, options: BankUrlOptions = {}): BankList {
  const out: Collected = { banks: [], skipped: [], options };
  for (const group of BANK_GROUPS) {
    const node = groupNode(applData, GROUP_ELEMENT[group]);
    if (!node) continue;
    if (group === 'bank') {
      for (const value of childList(node, 'Initial')) {
        const initial = element(value, 'Initial');
        for (const bank of childList(initial, 'Bank')) collect(out, group, initialOf(initial), bank, true);
      }
      // never seen, but a bank outside any initial is still a bank e-Gov lists: kept, without an initial
      for (const bank of childList(node, 'Bank')) collect(out, group, null, bank, true);
    } else {
      for (const bank of childList(node, 'Bank')) collect(out, group, null, bank, false);
    }
  }
  return { banks: out.banks, skipped: out.skipped, listDate: optionalDayOf(applData, 'FinancialTypeListDate') };
}

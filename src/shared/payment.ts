// Runs in every process. 電子納付 past the codec (REFERENCE §4.18, §4.19): e-Gov's list of banks that
// take Pay-easy payments and the 納付 of one case, with the names of GLOSSARY.md. Values stay as e-Gov
// sent them (dates as JST text, amounts as digits, PayStatus never mapped): what looks wrong is kept and
// flagged in `problems`, never "fixed", so the filer sees what e-Gov said. Wire names (PayNumber,
// FinancialName …) stay in src/main/egov/bank-codec.ts and payment-codec.ts.

/**
 * Which block of 電子納付対応金融機関一覧 a bank came from (§4.18): the banks grouped by kana initial
 * (TrustBank), or one of the four aggregated portals (信用金庫, 信用組合, 農協・漁協, 労働金庫).
 */
export type BankGroup = 'bank' | 'shinkin' | 'creditUnion' | 'norinchukin' | 'labour';

export const BANK_GROUPS: readonly BankGroup[] = ['bank', 'shinkin', 'creditUnion', 'norinchukin', 'labour'];

/** e-Gov's names for the groups, in the order e-Gov lists them. */
export const BANK_GROUP_LABEL: Record<BankGroup, string> = {
  bank: '銀行等',
  shinkin: '信用金庫',
  creditUnion: '信用組合',
  norinchukin: '農協・漁協',
  labour: '労働金庫',
};

/** One bank (or aggregated portal) a payment can be handed to. */
export interface Bank {
  group: BankGroup;
  /** the hiragana initial the bank is listed under (`Initial/@Name`); null for the aggregated portals */
  initial: string | null;
  /** 金融機関名 as sent */
  name: string;
  /** the internet-banking service name; null where e-Gov wrote the literal `NULL` or the portal has none */
  serviceName: string | null;
  /** the bank's 情報リンク entry, an https URL (anything else is in `skipped`) */
  url: string;
}

/** A bank e-Gov listed that Todoke will not hand a payment to, and why (shown, never silently dropped). */
export interface SkippedBank {
  group: BankGroup;
  initial: string | null;
  name: string;
  /** the URL as sent (at most 200 characters) */
  url: string;
  /** Japanese, for the filer */
  reason: string;
}

/** 電子納付対応金融機関一覧 (§4.18). */
export interface BankList {
  /** in e-Gov's order: by initial, then the portals */
  banks: Bank[];
  skipped: SkippedBank[];
  /** FinancialTypeListDate, JST YYYYMMDD as sent ('' when absent) */
  listDate: string;
}

/** One 納付 of a case (§4.19 `ApplyPay`). */
export interface Payment {
  /** 納付番号, 16 digits when well-formed */
  payNumber: string;
  /** 確認番号, 6 digits when well-formed */
  confirmNumber: string;
  /** 収納機関番号, 5 digits when well-formed */
  facilityNumber: string;
  /** 納付手続名 in katakana, as sent */
  payNameKana: string;
  /** 納付期限, JST YYYYMMDD as sent */
  deadline: string;
  /** the amount in yen, as sent (digits when well-formed) */
  totalFee: string;
  /** PayStatus as sent: 未納, 納付済, 納付期限切れ … — an unknown one is kept, never mapped */
  status: string;
  /** 納付日 as sent ('' until paid) */
  payDate: string;
  /** e-Gov's message to the payer */
  memo: string;
  /** PayFlag as sent (meaning unknown, REFERENCE §4.19) */
  payFlag: string;
  /** what is wrong with this entry (Japanese); empty when nothing is. The entry is kept as it came. */
  problems: string[];
}

/**
 * The PayStatus values Todoke knows: 納付期限切れ (SEEN); 未納 and 納付済 as REFERENCE §4.19 guesses and the
 * sandbox writes them. Any other value is shown as it came, marked as one Todoke does not know.
 */
export const KNOWN_PAY_STATUSES: readonly string[] = ['未納', '納付済', '納付期限切れ'];

export function isKnownPayStatus(status: string): boolean {
  return KNOWN_PAY_STATUSES.includes(status);
}

/** 電子納付情報一覧 of one case (§4.19). */
export interface PaymentList {
  arriveId: string;
  procedureName: string;
  payments: Payment[];
}

/** Which 納付 to pay at which bank (電子納付金融機関サイト表示, §4.20). */
export interface BankSiteRequest {
  arriveId: string;
  /** 納付番号, 16 digits */
  payNumber: string;
  /** 金融機関名 exactly as 電子納付対応金融機関一覧 gives it */
  bankName: string;
}

/** The form the hand-off page would post to the bank: where, and the hidden fields, in page order. */
export interface BankSiteForm {
  /** a bank's Url from the list (https; the sandbox's loopback stand-in bank only while the endpoint is the sandbox) */
  action: string;
  fields: Record<string, string>;
}

/** The answer of 電子納付金融機関サイト表示: e-Gov's HTML, and the form found in it (null on an error page). */
export interface BankSiteHandOff {
  /** the HTTP status e-Gov answered */
  status: number;
  html: string;
  form: BankSiteForm | null;
  /** the page's words without markup (at most 500 characters), for a terminal or a log */
  text: string;
}

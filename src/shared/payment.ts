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

// ---- what the app shows and the hand-off window ---------------------------------------------

/** 30 minutes: e-Gov's rule for logging in at the bank after the hand-off (REFERENCE §4.20). */
export const HAND_OFF_MINUTES = 30;

/** The 納付 of one case as Todoke keeps them (the last 電子納付情報一覧 it read), for the case screen. */
export interface CasePaymentsView {
  arriveId: string;
  /** 手続名称 as 電子納付情報一覧 gave it ('' before the first read) */
  procedureName: string;
  /** in e-Gov's order */
  payments: Payment[];
  /** when Todoke last read 電子納付情報一覧 of this case (ISO 8601); null when it never has */
  fetchedAt: string | null;
}

/** One unpaid 納付 with a deadline, for the dashboard (nearest deadline first). */
export interface PaymentDueView {
  arriveId: string;
  procedureName: string;
  /** 申請者 of the case as 送信案件一覧 gave it ('' when unknown) */
  applicantName: string;
  payNumber: string;
  /** yen as sent */
  totalFee: string;
  /** JST YYYYMMDD as sent */
  deadline: string;
  status: string;
  /** whole days from today (JST) to the deadline: 0 = today, negative = past; null when the deadline cannot be read */
  daysLeft: number | null;
}

/** The answer of payment.upcoming. */
export interface PaymentsDueView {
  payments: PaymentDueView[];
  /** how many of them are due within 3 days (or past) — they stand out */
  urgent: number;
}

/** What payment.handOff started: the window the host opened, and until when e-Gov's 30 minutes run. */
export interface PaymentHandOffView {
  handOffId: string;
  arriveId: string;
  payNumber: string;
  bank: Bank;
  /** the origin of the bank page the window opened on */
  origin: string;
  /** ISO 8601 */
  startedAt: string;
  /** ISO 8601: startedAt + HAND_OFF_MINUTES */
  expiresAt: string;
}

/**
 * What the core asks its host to open (the host service `payment.window.open`): the first request
 * of the window — e-Gov's hand-off form, posted to the bank — and the rules the window keeps.
 */
export interface PaymentWindowRequest {
  handOffId: string;
  arriveId: string;
  payNumber: string;
  bankName: string;
  /** posted as application/x-www-form-urlencoded to form.action */
  form: BankSiteForm;
  /**
   * the only origins the window may show: the https origins of 電子納付対応金融機関一覧, plus the
   * sandbox's loopback stand-in bank only while the sandbox is the endpoint
   */
  allowedOrigins: string[];
  /** ISO 8601 */
  startedAt: string;
  expiresAt: string;
}

/** Something the hand-off window refused, as its chrome and the app show it. */
export type PaymentWindowBlockKind =
  | 'navigation'
  | 'window'
  | 'permission'
  | 'client-certificate'
  | 'certificate-error'
  | 'download'
  | 'webview'
  | 'insecure';

/**
 * What the hand-off window tells the app (event `payment.window`, from the host): it opened, its top
 * page moved to another (allowed) origin, it refused something, e-Gov's 30 minutes ran out, or it
 * closed. Only origins travel, never full URLs (a bank's URLs may carry session tokens).
 */
export type PaymentWindowEvent = {
  handOffId: string;
  arriveId: string;
  payNumber: string;
  bankName: string;
  /** ISO 8601 */
  at: string;
} & (
  | { state: 'opened'; origin: string; expiresAt: string }
  | { state: 'navigated'; origin: string }
  | { state: 'blocked'; kind: PaymentWindowBlockKind; /** an origin, a permission name or a file name, at most 200 characters */ target: string }
  | { state: 'expired' }
  | { state: 'closed' }
);

/** The host's side of the hand-off window (Electron main, or the web harness with Playwright). */
export interface PaymentWindows {
  /** opens the window and posts the form; resolves once the window exists (not when the bank answered) */
  open(request: PaymentWindowRequest): Promise<void>;
  /** closes one hand-off window; false when it is not open */
  close(handOffId: string): Promise<boolean>;
}

/** payment.banks: the list, and when Todoke read it from e-Gov (it is kept for the day). */
export interface BankListView extends BankList {
  /** ISO 8601 */
  fetchedAt: string;
}

/** Event `payment.changed`: a read of 電子納付情報一覧 found new 納付 or a changed status. */
export interface PaymentChangedEvent {
  arriveId: string;
  payments: CasePaymentsView;
  /** the 納付 whose status is new or changed (before: null for a new one) */
  changes: { payNumber: string; before: string | null; after: string }[];
  /** 納付番号 listed before that this read no longer lists: kept and marked, no longer handed off */
  unlisted: string[];
}

// Runs in every process. THE list of operations the UI may ask the core for, and of the events
// the core sends to the UI. The preload bridge, the Electron IPC binding, the web harness and the
// core's dispatcher are all computed from this one object; test/unit/contract.test.ts proves they
// agree. To add an operation: add it here, implement it in src/main/app, nothing else.
import type { ErrorPayload } from './errors.js';
import type {
  AppInfo,
  ApplicationCheckView,
  AppNotice,
  CoreStatus,
  CertificateChangeView,
  CertificateDescription,
  CredentialRequest,
  IdentityStatus,
  IdentityView,
  TokenCertificateView,
  TokenView,
  TrainingCertificate,
} from './domain.js';
import { CASE_ATTENTIONS, MAX_RECENT_CHANGES, MAX_SYNC_INTERVAL_MINUTES, MIN_SYNC_INTERVAL_MINUTES } from './case.js';
import type {
  CaseCountsView,
  CaseDetailView,
  CasePageView,
  CaseSyncEvent,
  CaseWithdrawalView,
  RecentCaseChangeView,
  SyncCycleView,
  SyncStatusView,
  WithdrawalDraftView,
  WithdrawalView,
} from './case.js';
import type { NoticeChangedEvent, NoticeDetailView, NoticePageView, NoticeSummaryView, NoticeUnreadView } from './documents.js';
import type { AmendmentDraftView, AmendmentView, CaseAmendmentView } from './amendment.js';
import type { BankListView, CasePaymentsView, PaymentChangedEvent, PaymentHandOffView, PaymentsDueView, PaymentWindowEvent } from './payment.js';
import { MAX_ENDPOINT_URL_LENGTH } from './endpoint.js';
import type { BatchDetailView, BatchProgress, BatchView } from './filing.js';
import * as s from './schema.js';
import type { Infer, Schema } from './schema.js';
import { printableAscii } from './text.js';

/** What every transport carries back for every operation: a value, or a typed error. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

/** One operation: its argument schema (checked at run time) and its result type (`result` is a type-only marker). */
export interface OperationSpec<A, R> {
  readonly summary: string;
  readonly args: Schema<A>;
  readonly result?: R;
}

function operation<R>() {
  return <A>(summary: string, args: Schema<A>): OperationSpec<A, R> => ({ summary, args });
}

/** Largest certificate file (PEM, DER or PKCS#12) the UI may hand to the core. */
export const MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024;
export const MAX_FILE_NAME_LENGTH = 255;
export const MAX_PASSWORD_LENGTH = 1024;
export const MAX_PATH_LENGTH = 4096;
export const MAX_CA_PEM_LENGTH = 64 * 1024;
/** Paths one `application.check` may name: one ZIP, or application folders (a batch holds at most 100 applications). */
export const MAX_APPLICATION_PATHS = 100;
/** 送信番号: JST YYYYMMDDhhmmss + a 4-digit counter (the codec checks the time is real) */
export const SEND_NUMBER_PATTERN = /^\d{18}$/;
/** ids the UI makes up for one send (to follow and cancel it) */
const JOB_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** outbox entry ids (UUIDs, lower case, as the core makes them) */
export const ENTRY_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 到達番号: 16–18 ASCII digits, as the client accepts them (src/main/egov/reference-codec.ts isArriveId) */
export const ARRIVE_ID_PATTERN = /^\d{16,18}$/;
/** a send day (JST YYYYMMDD) of case.list's from / to */
const SEND_DAY_PATTERN = /^\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;
/** cases one case.list page may hold */
export const MAX_CASE_PAGE = 500;
/** a status, 手続名称 or 氏名 case.list filters on (exact, as sent) */
export const MAX_CASE_FILTER_LENGTH = 256;
/** case.list's search text (part of the 到達番号, 氏名, 法人団体名 or 手続名称) */
export const MAX_CASE_SEARCH_LENGTH = 128;
/** 利用者ID: 1-64 printable ASCII characters without spaces (REFERENCE §4.1) */
export const USER_ID_PATTERN = printableAscii(1, 64);
/** x-eGovAPI-SoftwareID: what can go into a header without escaping */
export const SOFTWARE_ID_PATTERN = printableAscii(1, 128);

/** A certificate file chosen in the UI, sent as bytes (the password only when it is a PKCS#12 file). */
const certificateFile = {
  fileName: s.string({ minLength: 1, maxLength: MAX_FILE_NAME_LENGTH }),
  dataBase64: s.base64({ minBytes: 1, maxBytes: MAX_CERTIFICATE_FILE_BYTES }),
  password: s.optional(s.string({ maxLength: MAX_PASSWORD_LENGTH })),
};

/** The certificate that signs: a file with its key (PKCS#12) and password, or a certificate on an IC card / token. */
const signerChoice = s.variant('kind', {
  file: {
    fileName: s.string({ minLength: 1, maxLength: MAX_FILE_NAME_LENGTH }),
    dataBase64: s.base64({ minBytes: 1, maxBytes: MAX_CERTIFICATE_FILE_BYTES }),
    password: s.string({ maxLength: MAX_PASSWORD_LENGTH }),
  },
  pkcs11: {
    modulePath: s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH }),
    tokenSerial: s.string({ minLength: 1, maxLength: 64 }),
    certId: s.string({ minLength: 0, maxLength: 512, pattern: /^(?:[0-9a-f]{2})*$/ }),
  },
});

const applicationPaths = s.array(s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH }), { maxItems: MAX_APPLICATION_PATHS });
const entryId = s.string({ minLength: 36, maxLength: 36, pattern: ENTRY_ID_PATTERN });
const arriveId = s.string({ minLength: 16, maxLength: 18, pattern: ARRIVE_ID_PATTERN });
const sendDay = s.string({ minLength: 8, maxLength: 8, pattern: SEND_DAY_PATTERN });
const noticeId = s.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const caseFilterText = s.string({ minLength: 1, maxLength: MAX_CASE_FILTER_LENGTH });
/** The case list's filter (case.list, case.export). */
const caseFilterShape = {
  status: s.optional(caseFilterText),
  procedure: s.optional(caseFilterText),
  applicant: s.optional(caseFilterText),
  from: s.optional(sendDay),
  to: s.optional(sendDay),
  text: s.optional(s.string({ minLength: 1, maxLength: MAX_CASE_SEARCH_LENGTH })),
  attention: s.optional(s.oneOf(CASE_ATTENTIONS)),
};

/**
 * The 取下げ form's limits (characters). Neither the reference nor a recording gives e-Gov's maximum
 * lengths (REFERENCE §5.2), so these are src/main/filing/withdrawal-package.ts's: generous for real
 * values, small enough that one field cannot fill the form. Whether a character can go to e-Gov at
 * all (JIS X 0208, no 機種依存文字) is judged there, naming the field and the position.
 */
export const WITHDRAWAL_LIMITS = { name: 100, kana: 200, title: 100, address: 200, reason: 1000, remarks: 1000, email: 254, phone: 20 } as const;
// one line of text: no control characters at all (a line break or a NUL in a name is refused here)
// eslint-disable-next-line no-control-regex -- control characters are what this pattern refuses
const ONE_LINE = /^[^\u0000-\u001f\u007f]*$/;
// several lines: CR and LF allowed, every other control character refused
// eslint-disable-next-line no-control-regex -- control characters are what this pattern refuses
const LINES = /^[^\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]*$/;
const oneLine = (maxLength: number, minLength = 0) => s.string({ minLength, maxLength, pattern: ONE_LINE });
/** digits and hyphens, as e-Gov accepted them (REFERENCE §5.2) */
const PHONE_PATTERN = /^\d+(?:-\d+)*$/;
const withdrawalPerson = s.object({
  name: oneLine(WITHDRAWAL_LIMITS.name, 1),
  nameKana: s.optional(oneLine(WITHDRAWAL_LIMITS.kana)),
  title: s.optional(oneLine(WITHDRAWAL_LIMITS.title)),
  corporationName: s.optional(oneLine(WITHDRAWAL_LIMITS.name)),
  corporationNameKana: s.optional(oneLine(WITHDRAWAL_LIMITS.kana)),
  departmentName: s.optional(oneLine(WITHDRAWAL_LIMITS.name)),
  departmentNameKana: s.optional(oneLine(WITHDRAWAL_LIMITS.kana)),
  postalCode: s.optional(s.string({ maxLength: 7, pattern: /^(?:\d{7})?$/ })),
  address: oneLine(WITHDRAWAL_LIMITS.address, 1),
  addressKana: s.optional(oneLine(WITHDRAWAL_LIMITS.kana)),
  phone: s.string({ minLength: 1, maxLength: WITHDRAWAL_LIMITS.phone, pattern: PHONE_PATTERN }),
  fax: s.optional(s.string({ maxLength: WITHDRAWAL_LIMITS.phone, pattern: /^(?:\d+(?:-\d+)*)?$/ })),
  email: s.optional(s.string({ maxLength: WITHDRAWAL_LIMITS.email, pattern: /^(?:[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+)?$/ })),
});

/**
 * A path the person picked (a dialog, `webUtils.getPathForFile`, the harness's staging folder):
 * absolute (POSIX, or a Windows drive / UNC path), no control characters. That it exists, is a file
 * and is within the application limits is checked in the core, which reads it.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern refuses
const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\)[^\u0000-\u001f\u007f]*$/;
const absolutePath = s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH, pattern: ABSOLUTE_PATH });
/** a file name inside one application folder: no separators, no control characters, not `.` / `..` */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern refuses
const APPLICATION_FILE_NAME = /^(?!\.{1,2}$)[^\u0000-\u001f\u007f/\\:]+$/;
const applicationFileName = s.string({ minLength: 1, maxLength: MAX_FILE_NAME_LENGTH, pattern: APPLICATION_FILE_NAME });
const draftId = s.string({ minLength: 36, maxLength: 36, pattern: ENTRY_ID_PATTERN });
const amendmentKind = s.oneOf(['amendapply', 'reamend', 'partamend'] as const);

const environmentChoice = s.variant('kind', {
  sandbox: {},
  custom: {
    baseUrl: s.string({ minLength: 1, maxLength: MAX_ENDPOINT_URL_LENGTH }),
    softwareId: s.string({ minLength: 1, maxLength: 128, pattern: SOFTWARE_ID_PATTERN }),
    basicAuthUser: s.optional(s.string({ minLength: 1, maxLength: 256 })),
    basicAuthPassword: s.optional(s.string({ maxLength: MAX_PASSWORD_LENGTH })),
    caPem: s.optional(s.string({ minLength: 1, maxLength: MAX_CA_PEM_LENGTH })),
  },
});

export const operations = {
  'app.info': operation<AppInfo>()('the version and host of the running core', s.object({})),
  'core.status': operation<CoreStatus>()('whether the core process is running (answered by its host; in-process always running)', s.object({})),
  'core.restart': operation<CoreStatus>()('starts the core process again after it could not be started (answered by its host)', s.object({})),
  'certificate.describe': operation<CertificateDescription>()(
    'reads a certificate file (PEM, DER or PKCS#12 with its password) and describes its certificate',
    s.object({
      fileName: s.string({ minLength: 1, maxLength: MAX_FILE_NAME_LENGTH }),
      dataBase64: s.base64({ minBytes: 1, maxBytes: MAX_CERTIFICATE_FILE_BYTES }),
      password: s.optional(s.string({ maxLength: MAX_PASSWORD_LENGTH })),
    }),
  ),
  'identity.status': operation<IdentityStatus>()('the 利用者ID this app files as, its certificate, endpoint and access key; null before the first run', s.object({})),
  'identity.setup': operation<IdentityView>()(
    'first run: chooses the endpoint and the certificate, registers a new 利用者ID (or takes an existing one) and logs in',
    s.object({
      environment: environmentChoice,
      signer: signerChoice,
      userId: s.string({ minLength: 1, maxLength: 64, pattern: USER_ID_PATTERN }),
      mode: s.oneOf(['register', 'login'] as const),
    }),
  ),
  'identity.login': operation<IdentityView>()('利用者認証: a fresh access key (asks for the PIN or password through credential.request)', s.object({})),
  'identity.certificate.add': operation<CertificateChangeView>()(
    '証明書識別情報追加: ties another certificate to the 利用者ID, signed by the current certificate',
    s.object({ certificate: s.object(certificateFile) }),
  ),
  'identity.certificate.update': operation<CertificateChangeView>()(
    '証明書識別情報更新: replaces the current certificate with a new one, signed by the new one; the app signs with it from then on',
    s.object({ signer: signerChoice }),
  ),
  'identity.certificate.delete': operation<CertificateChangeView>()(
    '証明書識別情報削除: unties a certificate from the 利用者ID, signed by the current certificate',
    s.object({ certificate: s.object(certificateFile) }),
  ),
  'identity.forget': operation<IdentityStatus>()('forgets the 利用者ID on this computer (nothing changes at e-Gov)', s.object({})),
  'sandbox.trainingCertificates': operation<TrainingCertificate[]>()(
    'the test-only certificates bundled for training on the built-in sandbox (empty where there is no sandbox)',
    s.object({}),
  ),
  'pkcs11.tokens': operation<TokenView[]>()(
    'the IC cards / tokens a PKCS#11 module sees (no PIN needed)',
    s.object({ modulePath: s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH }) }),
  ),
  'pkcs11.certificates': operation<TokenCertificateView[]>()(
    'the certificates on one token (no PIN needed)',
    s.object({ modulePath: s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH }), tokenSerial: s.string({ minLength: 1, maxLength: 64 }) }),
  ),
  'application.check': operation<ApplicationCheckView>()(
    'reads 申請データ (application folders, or one ZIP; never both) from paths the person chose, and checks it without signing or sending',
    s.object({ paths: applicationPaths }),
  ),
  'batch.send': operation<BatchView & { resumed: boolean }>()(
    '一括申請: checks the 申請データ again, signs every kousei.xml with the profile\'s certificate (asking for the PIN or password), records the request and sends it once; batch.progress tells each step, batch.cancel stops it until the request is recorded. Data sent before is refused unless its 送信番号 are confirmed.',
    s.object({
      jobId: s.string({ minLength: 8, maxLength: 64, pattern: JOB_ID_PATTERN }),
      paths: applicationPaths,
      confirmedEarlierSends: s.optional(s.array(s.string({ minLength: 18, maxLength: 18, pattern: SEND_NUMBER_PATTERN }), { maxItems: 100 })),
    }),
  ),
  'batch.cancel': operation<{ cancelled: boolean }>()(
    'cancels a batch.send before its request is recorded; false when it is already being sent (or unknown)',
    s.object({ jobId: s.string({ minLength: 8, maxLength: 64, pattern: JOB_ID_PATTERN }) }),
  ),
  'batch.list': operation<BatchView[]>()('every batch in the outbox, newest first (送信履歴)', s.object({})),
  'batch.get': operation<BatchDetailView>()('one batch with its arrived applications and its history', s.object({ entryId })),
  'batch.errorReport': operation<{ html: string; truncated: boolean }>()(
    'the 形式チェック\'s ErrorFile as HTML text, to be shown in a sandboxed frame without scripts',
    s.object({ entryId }),
  ),
  'batch.refresh': operation<BatchView>()(
    'asks e-Gov now: the 形式チェック of a sent batch, or the reconciliation of one whose delivery is unknown (may ask for the PIN to log in)',
    s.object({ entryId }),
  ),
  'batch.resend': operation<BatchView>()(
    'sends a batch that provably did not reach e-Gov (未送信 / 再送信可) from its recorded bytes, once',
    s.object({ entryId }),
  ),
  'batch.settle': operation<BatchView>()(
    'the person decides an ambiguous batch: one of its candidate 送信番号 is theirs, or none is (then it may be sent again)',
    s.object({
      entryId,
      decision: s.variant('kind', {
        mine: { sendNumber: s.string({ minLength: 18, maxLength: 18, pattern: SEND_NUMBER_PATTERN }) },
        none: {},
      }),
    }),
  ),
  'case.list': operation<CasePageView>()(
    'cases Todoke tracks, newest 到達番号 first, one page at a time: filtered by status, 手続名称, 氏名 (exact, as sent), send days (from / to, YYYYMMDD), a search text and one condition that asks for action (attention, as the dashboard counts it); `after` is the previous page\'s `next`',
    s.object({
      ...caseFilterShape,
      after: s.optional(arriveId),
      limit: s.optional(s.integer({ min: 1, max: MAX_CASE_PAGE })),
    }),
  ),
  'case.export': operation<{ path: string; count: number }>()(
    'every case matching the filter (as case.list takes it), newest 到達番号 first, written as a CSV that Excel opens as it is (UTF-8 with BOM, 到達番号 kept as text) into the exports folder',
    s.object(caseFilterShape),
  ),
  'case.get': operation<CaseDetailView>()('one case with what 状況照会 said, its history and the statuses Todoke saw (from the store; nothing is asked of e-Gov)', s.object({ arriveId })),
  'case.recent': operation<{ changes: RecentCaseChangeView[] }>()(
    'the newest status changes Todoke saw across cases, newest first (a case\'s arrival is not a change); nothing is asked of e-Gov',
    s.object({ limit: s.optional(s.integer({ min: 1, max: MAX_RECENT_CHANGES })) }),
  ),
  'case.counts': operation<CaseCountsView>()(
    'the dashboard: cases per status, and those that ask for action (補正, unread コメント, undownloaded 公文書, 電子納付 waiting) with their newest date',
    s.object({}),
  ),
  'case.refresh': operation<CaseDetailView>()('状況照会 of one case now, stored (may ask for the PIN or password to log in)', s.object({ arriveId })),
  'case.withdrawalDraft': operation<WithdrawalDraftView>()(
    'what the 取下げ form of one case needs: the case, the kinds, the 申請者 / 連絡先 prefilled from the kousei.xml Todoke sent (when it did), and whether a 取下げ is already under way (nothing is asked of e-Gov)',
    s.object({ arriveId }),
  ),
  'case.withdraw': operation<WithdrawalView>()(
    '取下げ of one case: checks every field, signs the 取下げ申請書 with the profile\'s certificate (asking for the PIN or password), records the request and sends it once; refused while another 取下げ of the case is recorded, in flight, unsettled or delivered. The answer carries the 取下げ\'s own 到達番号.',
    s.object({
      jobId: s.optional(s.string({ minLength: 8, maxLength: 64, pattern: JOB_ID_PATTERN })),
      arriveId,
      kind: s.oneOf(['application', 'request'] as const),
      reason: s.string({ minLength: 1, maxLength: WITHDRAWAL_LIMITS.reason, pattern: LINES }),
      remarks: s.optional(s.string({ maxLength: WITHDRAWAL_LIMITS.remarks, pattern: LINES })),
      applicant: withdrawalPerson,
      contact: s.optional(withdrawalPerson),
    }),
  ),
  'case.withdrawalRefresh': operation<CaseWithdrawalView>()(
    'asks e-Gov now about a 取下げ whose answer never came: 状況照会 of its case decides whether it arrived (may ask for the PIN to log in); nothing is sent again',
    s.object({ entryId }),
  ),
  'case.withdrawalSettle': operation<CaseWithdrawalView>()(
    'the person decides a 取下げ the reconciliation could not (ambiguous): it arrived, or it did not (then a new 取下げ of the case may be made)',
    s.object({ entryId, decision: s.oneOf(['arrived', 'not-arrived'] as const) }),
  ),
  'notice.inbox': operation<NoticePageView>()(
    'the inbox across cases: 補正通知, 公文書 and コメント Todoke keeps, unread first, then newest; filtered by kind, unread only, one case or a search text (到達番号, title, 氏名, 法人団体名, 手続名称); `after` is the previous page\'s `next`',
    s.object({
      kind: s.optional(s.oneOf(['amend', 'document', 'comment'] as const)),
      unreadOnly: s.optional(s.boolean()),
      arriveId: s.optional(arriveId),
      text: s.optional(s.string({ minLength: 1, maxLength: MAX_CASE_SEARCH_LENGTH })),
      after: s.optional(s.string({ minLength: 1, maxLength: 64, pattern: /^[0-9A-Za-z:_-]+$/ })),
      limit: s.optional(s.integer({ min: 1, max: MAX_CASE_PAGE })),
    }),
  ),
  'notice.unread': operation<NoticeUnreadView>()('how many notices Todoke keeps are not opened yet, by kind (one count; nothing is asked of e-Gov)', s.object({})),
  'notice.get': operation<NoticeDetailView>()(
    'one notice from the vault: its files, its main XML rendered (sanitised HTML), its text, and for a 公文書 both verifications; marks it read (nothing is asked of e-Gov)',
    s.object({ id: noticeId }),
  ),
  'notice.fetch': operation<NoticeSummaryView[]>()(
    'asks e-Gov now for the notices of one case: lists them, keeps new ones in the vault, then confirms 取得完了 (may ask for the PIN or password to log in)',
    s.object({ arriveId }),
  ),
  'notice.verify': operation<NoticeDetailView>()(
    'verifies a 公文書 again: Todoke\'s own check and e-Gov\'s 公文書署名検証 (may ask for the PIN or password to log in)',
    s.object({ id: noticeId }),
  ),
  'notice.page': operation<{ html: string }>()(
    'the rendered page of a kept notice, for the host to serve at its own address (src/shared/notice-page.ts); does not mark it read',
    s.object({ id: noticeId }),
  ),
  'notice.pdf': operation<{ name: string; base64: string }>()(
    'one PDF file of a kept notice, to show it as a PDF (at most MAX_NOTICE_PDF_BYTES)',
    s.object({ id: noticeId, name: s.string({ minLength: 1, maxLength: MAX_FILE_NAME_LENGTH }) }),
  ),
  'notice.export': operation<{ path: string }>()(
    'writes a kept notice to the exports folder: its original ZIP, its files, or its rendered document as PDF; answers the path written',
    s.object({ id: noticeId, format: s.oneOf(['zip', 'files', 'pdf'] as const) }),
  ),
  'notice.exportCase': operation<{ path: string; count: number }>()(
    'writes every kept notice of one case to a folder of its own in the exports folder (originals and files)',
    s.object({ arriveId }),
  ),
  'case.amendmentDraft': operation<AmendmentDraftView>()(
    'the 補正 workbench of one case: opens its newest draft, or lays out a new one from the application Todoke sent (the outbox\'s copy) or from `folder`, a whole application folder (a case filed elsewhere, or to start over) — with `peek`, only a draft that exists (none is made: the case screen lists the 補正 without starting one); the files with their sizes, which are replaced, the diff of each changed XML, and whether a 補正 may be made (nothing is asked of e-Gov)',
    s.object({ arriveId, folder: s.optional(absolutePath), fresh: s.optional(s.boolean()), peek: s.optional(s.boolean()) }),
  ),
  'case.amendmentReplace': operation<AmendmentDraftView>()(
    'replaces one file of a 補正 draft (or adds an attachment) with a copy of the file at `path` (absolute; a regular file within the application limits)',
    s.object({ arriveId, draftId, fileName: applicationFileName, path: absolutePath }),
  ),
  'case.amendmentRestore': operation<AmendmentDraftView>()('undoes a replacement in a 補正 draft: the filed file again (an added one is removed)', s.object({ arriveId, draftId, fileName: applicationFileName })),
  'case.amend': operation<AmendmentView>()(
    '補正 of one case from its draft: refused when it changes nothing; checks the application, signs kousei.xml with the profile\'s certificate (asking for the PIN or password), records the request and sends it once (補正申請 unless `kind` names an abolished API); refused while another 補正 of the case is open. The answer carries the 補正\'s own 到達番号.',
    s.object({
      jobId: s.optional(s.string({ minLength: 8, maxLength: 64, pattern: JOB_ID_PATTERN })),
      arriveId,
      draftId,
      kind: s.optional(amendmentKind),
      target: s.optional(s.object({ basicForm: s.boolean(), attached: s.boolean() })),
    }),
  ),
  'case.amendmentRefresh': operation<CaseAmendmentView>()(
    'asks e-Gov now about a 補正 whose answer never came: 状況照会 of its case decides whether it arrived (may ask for the PIN to log in); nothing is sent again',
    s.object({ entryId }),
  ),
  'case.amendmentSettle': operation<CaseAmendmentView>()(
    'the person decides a 補正 the reconciliation could not (ambiguous): it arrived, or it did not (then a new 補正 of the case may be made)',
    s.object({ entryId, decision: s.oneOf(['arrived', 'not-arrived'] as const) }),
  ),
  'payment.banks': operation<BankListView>()(
    '電子納付対応金融機関一覧: the banks a 納付 can be handed to, grouped as e-Gov groups them, and those Todoke will not open and why (kept for the day; `refresh` asks e-Gov again; may ask for the PIN or password to log in)',
    s.object({ refresh: s.optional(s.boolean()) }),
  ),
  'payment.list': operation<CasePaymentsView>()(
    'the 納付 of one case as Todoke keeps them; `refresh` reads 電子納付情報一覧 from e-Gov first (may ask for the PIN or password to log in)',
    s.object({ arriveId, refresh: s.optional(s.boolean()) }),
  ),
  'payment.upcoming': operation<PaymentsDueView>()('the unpaid 納付 of every case with their deadlines, nearest first, for the dashboard (nothing is asked of e-Gov)', s.object({})),
  'payment.handOff': operation<PaymentHandOffView>()(
    '電子納付金融機関サイト表示: asks e-Gov for the page that takes one 納付 to the chosen bank and has the host open it in the locked hand-off window (its own session, only the listed banks\' https origins, 30 minutes); nothing is marked paid until e-Gov says so',
    s.object({
      arriveId,
      payNumber: s.string({ minLength: 16, maxLength: 16, pattern: /^\d{16}$/ }),
      bankName: oneLine(200, 1),
    }),
  ),
  'payment.closeWindow': operation<{ closed: boolean }>()('closes a hand-off window the app opened; false when it is no longer open', s.object({ handOffId: entryId })),
  'sync.status': operation<SyncStatusView>()('the background case sync: running or paused, its last cycle and when the next is due', s.object({})),
  'sync.now': operation<SyncCycleView>()('one case sync cycle now, paused or not (may ask for the PIN or password to log in)', s.object({})),
  'sync.pause': operation<SyncStatusView>()('no background case sync until sync.resume (a cycle under way finishes)', s.object({})),
  'sync.resume': operation<SyncStatusView>()('the background case sync again, its next cycle at once', s.object({})),
  'sync.configure': operation<SyncStatusView>()(
    'the minutes between background case sync cycles, kept for the profile (設定); the next cycle is planned again',
    s.object({ intervalMinutes: s.integer({ min: MIN_SYNC_INTERVAL_MINUTES, max: MAX_SYNC_INTERVAL_MINUTES }) }),
  ),
  'credential.answer': operation<{ accepted: boolean }>()(
    'answers a credential.request: the PIN or password, or null to cancel; goes straight to the signer and is never stored',
    s.object({
      requestId: s.string({ minLength: 1, maxLength: 64, pattern: /^[A-Za-z0-9_-]+$/ }),
      secret: s.optional(s.string({ minLength: 0, maxLength: MAX_PASSWORD_LENGTH })),
      cancel: s.optional(s.boolean()),
    }),
  ),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationArgs<N extends OperationName> = Infer<Operations[N]['args']>;
export type OperationResult<N extends OperationName> = Operations[N] extends OperationSpec<unknown, infer R> ? R : never;

export const operationNames: readonly OperationName[] = Object.freeze(Object.keys(operations) as OperationName[]);

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(operations, name);
}

/** Events, main → renderer, all on one channel. `payload` is a type-only marker, as `result` above. */
export interface EventSpec<P> {
  readonly summary: string;
  readonly payload?: P;
}

function event<P>(summary: string): EventSpec<P> {
  return { summary };
}

export const events = {
  'app.notice': event<AppNotice>('something the person at the screen should know, not tied to an operation they started'),
  'core.status': event<CoreStatus>('the core process stopped, is restarting, failed to start, or runs again (from its host)'),
  'credential.request': event<CredentialRequest>('the core needs a PIN or password; answer with credential.answer'),
  'credential.withdrawn': event<{ requestId: string }>('a credential.request is no longer waiting (answered elsewhere, timed out, or the operation ended)'),
  'batch.progress': event<BatchProgress>('a step of a batch.send under way (check, sign n/total, pack, send)'),
  'batch.changed': event<BatchView>('a batch in the outbox changed (sent, 形式チェック under way or done, reconciled, failed)'),
  'case.changed': event<CaseSyncEvent>(
    'what the case sync or a case.refresh found about one case, by payload.type: case.changed (refresh it), case.correction / case.document / case.comment / case.payment-due (tell the person)',
  ),
  'case.open': event<{ arriveId: string | null }>(
    'the person chose an OS notification about a case sync finding: show that case (arriveId), or the case list (null: several cases)',
  ),
  'notice.changed': event<NoticeChangedEvent>('a notice was kept in the vault, confirmed to e-Gov (取得完了), verified or read'),
  'payment.window': event<PaymentWindowEvent>(
    'the hand-off window (from the host): opened, moved to another allowed origin, refused something (shown to the person), its 30 minutes ran out, or closed',
  ),
  'payment.changed': event<PaymentChangedEvent>('a read of 電子納付情報一覧 found a new 納付 or a changed status (e.g. 納付済)'),
  'sync.status': event<SyncStatusView>('the background case sync finished a cycle, was paused or resumed'),
  'identity.changed': event<IdentityStatus>('the 利用者ID, its certificate or its access key changed (e.g. a re-login during a background call)'),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Events[E] extends EventSpec<infer P> ? P : never;
export type TodokeEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

export const eventNames: readonly EventName[] = Object.freeze(Object.keys(events) as EventName[]);

/** Every IPC channel starts with this prefix (VS Code style), so a stray channel is obvious. */
export const CHANNEL_PREFIX = 'todoke:';
export const EVENT_CHANNEL = `${CHANNEL_PREFIX}event`;

export function channelFor(name: OperationName): string {
  return `${CHANNEL_PREFIX}${name}`;
}

// Runs in every process. What 状況照会 says about one case and what 取下げ answers, past the codec:
// the names of GLOSSARY.md, the values as e-Gov sent them. Status strings, event types and flags are
// never mapped to a guess; one no one has seen yet is kept as it came (REFERENCE §6.1: further values
// certainly exist). Wire names (ArriveID, ApplyHistory, NewArriveID …) stay in the codec
// (src/main/egov/reference-codec.ts).
//
// 状況照会 carries no applicant, no StatusDate and no counters: those are in the case's entry of
// 送信案件一覧 / 申請案件一覧 (ArrivedApplication in ./filing.ts). A screen shows both side by side.
import type { ArrivedApplication } from './filing.js';

/** One event of a case's history (§4.6 `ApplyHistory`), oldest first as e-Gov orders them. */
export interface CaseEvent {
  /** 1-based number of the event within the case */
  subId: number;
  /** JST YYYYMMDDhhmmss of the event, as sent */
  date: string;
  /** 送信 (by the applicant), 受信 (from the ministry) … as sent */
  operatorType: string;
  /** 新規申請, 審査開始通知, 補正指示通知, 手続終了通知 … as sent */
  processType: string;
  /** the case's status after the event, as sent */
  status: string;
  /** 納付番号 of a fee attached to the event ('' when none) */
  payNumber: string;
  payStatus: string;
  /** the fee as sent ('' when none); its format was never recorded, so it stays text */
  totalFee: string;
  /** JST YYYYMMDD payment deadline ('' when none) */
  payExpiredDate: string;
}

/** 状況照会 of one case (§4.6). */
export interface CaseStatus {
  /** 到達番号 */
  arriveId: string;
  /** 手続名称 */
  procedureName: string;
  /** e-Gov's own sentence about a pending 補正 ('' when none), e.g. 補正待ちの補正通知が1件あります。… */
  amendMessage: string;
  commentMessage: string;
  documentMessage: string;
  payMessage: string;
  /** as e-Gov wrote it: 到達, 到達（取下げ処理中）, 審査中（補正待ち）, 手続終了 … or a string no one has seen yet */
  status: string;
  /** JST YYYYMMDDhhmmss of 到達 */
  arriveDate: string;
  /** JST YYYYMMDDhhmmss of 審査開始 / 審査終了 / 手続終了; '' until reached */
  examStartDate: string;
  examEndDate: string;
  procedureEndDate: string;
  /** `0`/`1` as sent; meaning not documented (REFERENCE §4.6) */
  withdrawFlag: string;
  /** `0` … as sent; meaning not documented (perhaps 取下げ申請 vs 取下げ依頼) */
  withdrawType: string;
  /** `1`: the case may be re-submitted (再提出 / 補正申請) although it ended; as sent */
  reintroductionFlag: string;
  /** oldest first */
  history: CaseEvent[];
}

/** 取下げ's immediate answer (HTTP 202, §4.7): the 取下げ itself arrived as a case of its own. */
export interface WithdrawalReceipt {
  /** 到達番号 of the case withdrawn (echo) */
  arriveId: string;
  /** 到達番号 of the 取下げ submission */
  newArriveId: string;
  /** 手続名称 of the 取下げ procedure (取下げ申請書XML管理手続), not of the case withdrawn */
  procedureName: string;
  /** JST YYYYMMDDhhmmss of the 取下げ's 到達 */
  arriveDate: string;
  /** 到達 … as sent */
  arriveResult: string;
  /** 取下げ … as sent */
  applyType: string;
  ministryName: string;
  /** kousei 提出先名称 ('' for a 取下げ) */
  receptionDesk: string;
  /** kousei 申請者情報/氏名 */
  applicantName: string;
  /** 申請書様式名称, then 添付書類名称s */
  formNames: string[];
  /** 申請書ファイル名称, then 添付書類ファイル名称s */
  fileNames: string[];
  /** meaning not documented (原本別送?); as sent */
  orgDistFileSend: string;
}

// ---------------------------------------------------------------------------------------------
// Case tracking (src/main/sync/): what Todoke keeps of a case and what the sync tells the screens.

/**
 * The part of a case's 送信案件一覧 entry that moves (§4.4 `Apply`), as e-Gov wrote it. The sync
 * compares these with what it stored to decide which cases changed (and only those get 状況照会).
 */
export type CaseCounters = Pick<
  ArrivedApplication,
  'status' | 'statusDate' | 'payStatus' | 'payWaitCount' | 'correctStatus' | 'commentCountNotRead' | 'commentCount' | 'docCountNotDownload' | 'docCount'
>;

export type CaseCounterName = keyof CaseCounters;

/** One field of a case that changed between two syncs: the stored value and the listed one. */
export interface CaseFieldChange<K extends CaseCounterName = CaseCounterName> {
  field: K;
  /** null when the case was not known before */
  before: CaseCounters[K] | null;
  after: CaseCounters[K];
}

/**
 * What a sync found about one case. Every event carries the 到達番号; `case.changed` is sent for each
 * case that changed at all, the others beside it when their condition holds, so a screen refreshes
 * on the first and a notification is made from the others.
 */
export type CaseSyncEvent =
  | {
      type: 'case.changed';
      arriveId: string;
      /** the case was not in Todoke before this sync (a batch sent elsewhere, or from before Todoke) */
      isNew: boolean;
      changes: CaseFieldChange[];
      /** the status now, as sent (never mapped: an unknown one is passed on as it came) */
      status: string;
      /** ApplyHistory events 状況照会 returned that Todoke had not stored yet, oldest first */
      newHistory: CaseEvent[];
      /** false when 状況照会 failed this time (it is asked again at the next sync) */
      referenced: boolean;
    }
  /** 補正: CorrectStatus turned to something other than なし (the ministry asks for a correction) */
  | { type: 'case.correction'; arriveId: string; correctStatus: string; before: string | null }
  /** 公文書: DocCount or DocCountNotDownload went up */
  | { type: 'case.document'; arriveId: string; docCount: number; docCountNotDownload: number; added: number }
  /** コメント: CommentCount or CommentCountNotRead went up */
  | { type: 'case.comment'; arriveId: string; commentCount: number; commentCountNotRead: number; added: number }
  /** 電子納付: PayWaitCount went up (a fee waits to be paid) */
  | { type: 'case.payment-due'; arriveId: string; payWaitCount: number; payStatus: string; before: number | null };

export type CaseSyncEventType = CaseSyncEvent['type'];

// ---------------------------------------------------------------------------------------------
// What the 案件 screens get from the core (case.*, sync.*; src/main/app/cases.ts). Times Todoke
// made are ISO strings (as in BatchView); e-Gov's dates stay JST text as sent.

/** One case in a list: its 送信案件一覧 entry as last stored, and the batch it belongs to. */
export interface CaseSummaryView extends ArrivedApplication {
  /** 送信番号 of its batch; null for a 取下げ case (a 取下げ is sent on its own) */
  sendNumber: string | null;
  /** a 取下げ case: the 到達番号 of the case it withdraws; null for any other case */
  withdrawalOf: string | null;
  /** a 補正 case: the 到達番号 of the case it corrects; null for any other case */
  amendmentOf: string | null;
  /** the outbox entry that sent it; null for a batch sent elsewhere */
  entryId: string | null;
  /** ISO time Todoke last wrote the case */
  updatedAt: string;
  /** a 状況照会 is owed (the last one failed): asked again at the next sync */
  needsReference: boolean;
}

/** What 状況照会 said beyond the history (dates JST as sent, '' until reached). */
export interface CaseReferenceView {
  arriveDate: string;
  examStartDate: string;
  examEndDate: string;
  procedureEndDate: string;
  amendMessage: string;
  commentMessage: string;
  documentMessage: string;
  payMessage: string;
  withdrawFlag: string;
  withdrawType: string;
  reintroductionFlag: string;
  /** ISO time of the 状況照会 */
  referencedAt: string;
}

/** A status Todoke saw the case take, as sent. */
export interface CaseObservationView {
  /** ISO time Todoke saw it */
  at: string;
  from: string | null;
  to: string;
  /** JST YYYYMMDDhhmmss StatusDate, as sent */
  statusDate: string;
}

/** A status change Todoke saw (case.recent), newest first: what moved since the filer last looked. */
export interface RecentCaseChangeView {
  arriveId: string;
  /** ISO time Todoke saw it */
  at: string;
  /** the statuses as e-Gov sent them */
  from: string;
  to: string;
  /** JST YYYYMMDDhhmmss StatusDate, as sent */
  statusDate: string;
  procedureName: string;
  applicantName: string;
}

/** How many changes case.recent gives at most. */
export const MAX_RECENT_CHANGES = 50;

/** One case with everything Todoke holds of it (case.get, case.refresh). */
export interface CaseDetailView extends CaseSummaryView {
  /** null until a 状況照会 was stored */
  reference: CaseReferenceView | null;
  /** ApplyHistory, oldest first */
  history: CaseEvent[];
  /** statuses seen, oldest first */
  observations: CaseObservationView[];
  /** the 取下げ Todoke made of this case, oldest first (refused ones included) */
  withdrawals: CaseWithdrawalView[];
}

// ---------------------------------------------------------------------------------------------
// 取下げ (case.withdrawalDraft, case.withdraw; src/main/app/withdrawals.ts)

/** 取下げ申請 (procedure 9990000000000008, the one e-Gov was recorded accepting) or 取下げ依頼 (9990000000000003), REFERENCE §5.7. */
export type WithdrawalKindName = 'application' | 'request';

/**
 * Where a 取下げ stands, as its outbox entry: ready (recorded, provably not sent), sending, done (it
 * arrived), unknown (no answer came: reconciled by 状況照会 of the case, never resent blindly),
 * ready-for-resend (reconciled: not at e-Gov), ambiguous (the reconciliation could not decide: waits
 * for the person), failed (e-Gov refused it, or a newer 取下げ replaced one that never left).
 */
export type WithdrawalState = 'ready' | 'sending' | 'done' | 'unknown' | 'ready-for-resend' | 'ambiguous' | 'failed';

/** A person as kousei.xml's 申請者情報 / 連絡先情報 hold them ('' where empty). */
export interface WithdrawalPersonView {
  name: string;
  nameKana: string;
  title: string;
  corporationName: string;
  corporationNameKana: string;
  departmentName: string;
  departmentNameKana: string;
  /** 7 digits, no hyphen */
  postalCode: string;
  address: string;
  addressKana: string;
  phone: string;
  fax: string;
  email: string;
}

/** Why an outbox entry failed or why its delivery is unknown: its code and message as recorded. */
export interface EntryFailureView {
  code: string;
  message: string;
}

/** What a 取下げ and a 補正 of a case share: an outbox entry of the case, and the case it became. */
export interface SentEntryView<K extends string, S extends string> {
  /** its outbox entry */
  entryId: string;
  kind: K;
  state: S;
  /** its own 到達番号: null until it arrived, when a reconciliation found it at e-Gov without its number, and for a 部分補正 */
  newArriveId: string | null;
  /** status of its case as last stored (null when it is not stored as a case) */
  status: string | null;
  /** ISO times */
  createdAt: string;
  updatedAt: string;
  attemptCount: number;
  failure: EntryFailureView | null;
}

/** One 取下げ of a case. */
export type CaseWithdrawalView = SentEntryView<WithdrawalKindName, WithdrawalState>;

/** What the 取下げ form needs (case.withdrawalDraft). */
export interface WithdrawalDraftView {
  /** the case to withdraw, as stored */
  case: CaseSummaryView;
  /** 手続ID of the case (from its folder name) */
  procedureId: string;
  /** the kinds Todoke can send; which one a procedure requires is not documented (REFERENCE §5.7) */
  kinds: WithdrawalKindName[];
  /** suggested kind: 取下げ申請 (the one e-Gov was recorded accepting) */
  suggestedKind: WithdrawalKindName;
  /** where applicant / contact came from: the kousei.xml of the batch Todoke sent, or nothing (the person types them) */
  prefillSource: 'sent-request' | 'none';
  applicant: WithdrawalPersonView | null;
  contact: WithdrawalPersonView | null;
  /** 提出先名称 of the original kousei.xml ('' when unknown) */
  submitTo: string;
  /** whether a new 取下げ may be made now; when false, `blockedReason` says why (Japanese) */
  allowed: boolean;
  blockedReason: string | null;
  /** the same in English */
  blockedReasonEn: string | null;
  /** the 取下げ of this case so far, oldest first */
  withdrawals: CaseWithdrawalView[];
}

/** case.withdraw's answer. */
export interface WithdrawalView extends CaseWithdrawalView {
  /** 到達番号 of the case withdrawn */
  arriveId: string;
  /** earlier 取下げ of the case that provably never reached e-Gov and were set aside (failed) for this one */
  replaced: string[];
}

/** One page of case.list, newest 到達番号 first. */
export interface CasePageView {
  cases: CaseSummaryView[];
  /** pass as `after` for the next page; null on the last */
  next: string | null;
  /** how many cases match the filter (all pages) */
  total: number;
}

/** Cases in one condition that asks for action. */
export interface CaseActionCount {
  /** how many cases */
  cases: number;
  /** the newest StatusDate among them (JST YYYYMMDDhhmmss as sent); null when none */
  newestStatusDate: string | null;
}

/** The conditions of the dashboard's 要対応 counts, each a filter of case.list too. */
export const CASE_ATTENTIONS = ['correction', 'unread-comments', 'undownloaded-documents', 'payments-waiting'] as const;
export type CaseAttention = (typeof CASE_ATTENTIONS)[number];

/** What the case list is narrowed to (case.list's filters; the store's and the screens' alike). */
export interface CaseFilter {
  /** exact status, as sent */
  status?: string;
  /** exact 手続名称 */
  procedure?: string;
  /** exact 氏名 */
  applicant?: string;
  /** send days YYYYMMDD (JST), inclusive */
  from?: string;
  to?: string;
  /** part of the 到達番号, 氏名, 法人団体名 or 手続名称 */
  text?: string;
  /** only the cases in one condition that asks for action (the dashboard's 要対応 counts) */
  attention?: CaseAttention;
}

/** The dashboard's numbers (case.counts). */
export interface CaseCountsView {
  total: number;
  /** cases per status as sent (an unknown one included), the largest first */
  byStatus: { status: string; count: number }[];
  /** 補正: CorrectStatus other than なし */
  correction: CaseActionCount;
  /** コメント not read yet */
  unreadComments: CaseActionCount;
  /** 公文書 not downloaded yet */
  undownloadedDocuments: CaseActionCount;
  /** 電子納付 waiting (PayWaitCount > 0) */
  paymentsWaiting: CaseActionCount;
}

/** How one sync cycle went: ok, partial (some calls failed), failed (nothing could be checked), needs-login (a background cycle stopped: nobody logged in), error (a bug). */
export type SyncOutcome = 'ok' | 'partial' | 'failed' | 'needs-login' | 'error';

/** At most this many failures of one cycle are shown (failureCount says how many there were). */
export const MAX_SYNC_FAILURES_SHOWN = 20;

export interface SyncCycleView {
  /** ISO times */
  startedAt: string;
  finishedAt: string;
  outcome: SyncOutcome;
  trackedCases: number;
  requests: { list: number; reference: number };
  /** cases whose counters changed (their 到達番号 come with case.changed) */
  changed: number;
  failureCount: number;
  /** the first MAX_SYNC_FAILURES_SHOWN failures: what failed, for which case (null: a list call or the cycle) */
  failures: { kind: 'list' | 'reference' | 'conflict' | 'error'; arriveId: string | null; code: string; messageJa: string }[];
}

/** The background case sync (sync.status). */
/** The minutes between background cycles that 設定 offers (15 is the default); the contract takes any whole number in the range. */
export const SYNC_INTERVAL_CHOICES = [5, 15, 30, 60, 180] as const;
export const MIN_SYNC_INTERVAL_MINUTES = 5;
/** a day: a case followed less often than that is not followed */
export const MAX_SYNC_INTERVAL_MINUTES = 1440;

export interface SyncStatusView {
  /** idle: not started (no profile set up yet); running; paused by the person */
  state: 'idle' | 'running' | 'paused';
  /** a cycle is under way */
  busy: boolean;
  intervalMs: number;
  /** ISO time of the next background cycle; null while paused, idle or a cycle runs */
  nextAt: string | null;
  /** cycles in a row that failed (the next waits longer) */
  failuresInARow: number;
  lastCycle: SyncCycleView | null;
}

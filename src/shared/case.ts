// Runs in every process. What 状況照会 says about one case and what 取下げ answers, past the codec:
// the names of GLOSSARY.md, the values as e-Gov sent them. Status strings, event types and flags are
// never mapped to a guess; one no one has seen yet is kept as it came (REFERENCE §6.1: further values
// certainly exist). Wire names (ArriveID, ApplyHistory, NewArriveID …) stay in the codec
// (src/main/egov/reference-codec.ts).
//
// 状況照会 carries no applicant, no StatusDate and no counters: those are in the case's entry of
// 送信案件一覧 / 申請案件一覧 (ArrivedApplication in ./filing.ts). A screen shows both side by side.

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
export interface CaseCounters {
  status: string;
  statusDate: string;
  payStatus: string;
  payWaitCount: number;
  /** あり / なし as sent */
  correctStatus: string;
  commentCountNotRead: number;
  commentCount: number;
  docCountNotDownload: number;
  docCount: number;
}

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

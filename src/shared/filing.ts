// Runs in every process. What one 一括申請 (batch) and its applications are, past the codec: the
// names of GLOSSARY.md, the values as e-Gov sent them (status strings are never mapped to a guess;
// an unknown one is kept as it came). Wire names (SendNumber, ArriveID, CorporationtName…) stay in
// the codec (src/main/egov/apply-codec.ts).

/** 一括申請's immediate answer (HTTP 202, REFERENCE §4.3). */
export interface SendReceipt {
  /** 送信番号: JST YYYYMMDDhhmmss + a 4-digit counter */
  sendNumber: string;
  /** JST YYYYMMDDhhmmss, as sent */
  sendDate: string;
  /** echo of the FileName sent */
  sendFileName: string;
  /** how many applications (folders) e-Gov found in the ZIP */
  sendApplyCount: number;
  /** errors of the synchronous 簡易チェック */
  errorCount: number;
}

/** One arrived application (= one case) as 送信案件一覧 / 申請案件一覧 list it (§4.4 `Apply`). */
export interface ArrivedApplication {
  /** 到達番号 */
  arriveId: string;
  ministryName: string;
  /** 手続名称 */
  procedureName: string;
  /** the folder name used inside the ZIP, e.g. `900A020700013000(3)` */
  procedureFolderName: string;
  applicantName: string;
  /** 法人団体名 (wire: the misspelt `CorporationtName`) */
  corporationName: string;
  departmentName: string;
  /** as e-Gov wrote it: 到達, 審査中（補正待ち）, 手続終了 … or a string no one has seen yet */
  status: string;
  /** JST YYYYMMDDhhmmss of the last status change, as sent */
  statusDate: string;
  /** `-` (no fee), 納付期限切れ … as sent */
  payStatus: string;
  payWaitCount: number;
  /** あり / なし as sent */
  correctStatus: string;
  commentCountNotRead: number;
  commentCount: number;
  docCountNotDownload: number;
  docCount: number;
}

/** One batch as 送信案件一覧 lists it (§4.4 `PackageApply`). */
export interface SendSummary {
  sendNumber: string;
  sendDate: string;
  /** 処理待ち while queued, '' when the 形式チェック is done; anything else kept as sent */
  workStatus: string;
  normalCount: number;
  allCount: number;
  errorCount: number;
  supplementaryMessage: string;
  /** the HTML error report (decoded bytes as base64, as sent), or null when empty */
  errorFileBase64: string | null;
  /** newest 到達番号 first, as e-Gov orders them */
  applications: ArrivedApplication[];
}

/** 申請案件一覧 (§4.5): one batch, flattened. */
export interface SendApplications {
  sendNumber: string;
  errorCount: number;
  errorFileBase64: string | null;
  applications: ArrivedApplication[];
}

/** How 送信案件一覧 is asked: by 送信番号, or by a range of send days (JST YYYYMMDD, inclusive). */
export type SendQuery = { sendNumber: string } | { from: string; to: string };

/**
 * Where one 一括申請 stands in Todoke's outbox (src/main/sync/outbox-states.ts has the rules):
 * ready (recorded, not sent) → sending → sent (送信番号 known) → following (形式チェック) → done;
 * unknown (may have reached e-Gov: to be reconciled), ready-for-resend, ambiguous (the person
 * decides), failed (e-Gov refused it).
 */
export type BatchState = 'ready' | 'sending' | 'sent' | 'following' | 'done' | 'unknown' | 'ready-for-resend' | 'ambiguous' | 'failed';

/** One batch as the 申請 and 送信履歴 screens show it. */
export interface BatchView {
  /** the outbox entry id */
  id: string;
  state: BatchState;
  /** ISO times */
  createdAt: string;
  updatedAt: string;
  attemptCount: number;
  sendNumber: string | null;
  /** JST YYYYMMDDhhmmss as e-Gov sent it */
  sendDate: string | null;
  applicationCount: number;
  folderNames: string[];
  applicantNames: string[];
  /** the names (not paths) of the folders or ZIP the batch was built from */
  sourceNames: string[];
  /** 処理待ち … while the 形式チェック runs, '' when done, null before */
  workStatus: string | null;
  /** arrived applications stored so far */
  arrivedCount: number;
  /** the 形式チェック's result once done */
  formatCheck: { normalCount: number; errorCount: number; hasErrorReport: boolean } | null;
  /** why the last attempt failed (code and message as recorded) */
  failure: { code: string; message: string } | null;
  /** 送信番号 that fit an `ambiguous` batch: the person says which one is theirs, or none */
  candidates: string[];
}

export interface BatchHistoryStep {
  /** ISO time */
  at: string;
  event: string;
  from: BatchState | null;
  to: BatchState;
}

export interface BatchDetailView extends BatchView {
  applications: ArrivedApplication[];
  history: BatchHistoryStep[];
}

/** The steps of sending, as the progress view shows them (形式チェック and 到達 follow as batch.changed). */
export type BatchSendStep = 'check' | 'sign' | 'pack' | 'send';

export interface BatchProgress {
  /** the id the caller gave batch.send */
  jobId: string;
  step: BatchSendStep;
  /** with `sign`: applications signed so far, of `total` */
  done?: number;
  total?: number;
}

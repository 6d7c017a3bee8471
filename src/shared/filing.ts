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

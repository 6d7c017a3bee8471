// Runs in every process. What the government sends back about a case (REFERENCE §4.8–§4.17): 補正通知,
// コメント and 公文書, and the answers of 取得完了, 公文書署名検証 and 補正申請, past the codec: the names of
// GLOSSARY.md, the values as e-Gov sent them (dates as JST text, titles and states never mapped). Wire
// names (NoticeSubID, DocTitle, FileData …) stay in the codecs (src/main/egov/*-codec.ts).
import type { WithdrawalReceipt } from './case.js';
import type { CertificateInfo } from './domain.js';

/** One 補正通知 of 補正通知一覧 (§4.8 `Official`). */
export interface AmendNotice {
  /** 通知番号 within the case */
  noticeSubId: number;
  /** JST YYYYMMDDhhmmss the 補正 was requested */
  requestedDate: string;
  /** JST YYYYMMDD deadline of the 補正 ('' when none) */
  expiredDate: string;
  /** JST YYYYMMDDhhmmss the applicant completed it ('' until then) */
  completedDate: string;
  /** 任意部分補正 … as sent */
  title: string;
  /** the notice ZIP (補正通知 XML + XSL, §7.1), decoded from base64 */
  zip: Uint8Array;
  /** the names e-Gov lists for the files in that ZIP */
  fileNames: string[];
}

/** 補正通知一覧 of one case (§4.8). */
export interface AmendNoticeList {
  arriveId: string;
  procedureName: string;
  /** code lists undocumented (REFERENCE §11.6): kept as sent */
  correctType: string;
  amendDocType: string;
  notices: AmendNotice[];
}

/** One entry of 公文書・コメント一覧 (§4.12): a 公文書 or a コメント. */
export interface NoticeEntry {
  kind: 'document' | 'comment';
  /** 通知番号, used with 公文書取得 / コメント通知取得 */
  noticeSubId: number;
  /** JST YYYYMMDDhhmmss of issue */
  issueDate: string;
  title: string;
  fileNames: string[];
  /**
   * The entry's own read / download state as sent: 未読 / 既読 for a コメント (SEEN); for a 公文書 the
   * element was never recorded (REFERENCE §11.5), '' when absent.
   */
  state: string;
}

/** 公文書・コメント一覧 of one case (§4.12). */
export interface NoticeList {
  arriveId: string;
  procedureName: string;
  documents: NoticeEntry[];
  comments: NoticeEntry[];
}

/** 公文書取得 / コメント通知取得 (§4.13, §4.16): the ZIP exactly as e-Gov sent it (base64 decoded). */
export interface NoticeDownload {
  arriveId: string;
  noticeSubId: number;
  zip: Uint8Array;
}

/** 公文書取得完了 / コメント通知取得完了 (§4.14, §4.17). */
export interface NoticeReceipt {
  arriveId: string;
  noticeSubId: number;
  procedureName: string;
  title: string;
  /** JST YYYYMMDDhhmmss */
  downloadDate: string;
  fileNames: string[];
}

/** What 公文書署名検証 says about one certificate (§4.15 `VerifyResult/Official` or `/Government`). */
export interface RemoteCertificateReport {
  /** 正常です。… as sent ('' for the Government block, which has none) */
  validationResult: string;
  /** `-` in the test environment; as sent */
  certificateResult: string;
  /** as sent ('' when absent) */
  certificateCount: string;
  /** issuer's Japanese name (issuerAltName), e.g. 日本国政府,デモ官職認証局 */
  publisher: string;
  /** subject's Japanese name (subjectAltName) */
  owner: string;
  publisherDn: string;
  ownerDn: string;
  /** hex bytes, space separated, as sent */
  serialNumber: string;
  /** e.g. 2014/08/04 00:00:00 から 2019/08/03 23:59:59, as sent */
  termValidity: string;
}

/** 公文書署名検証 (§4.15). */
export interface RemoteVerification {
  arriveId: string;
  /** 0 when e-Gov found nothing wrong */
  errorCount: number;
  /** e-Gov's messages when errorCount > 0 (their format was never recorded; text as found) */
  errors: string[];
  documentFileName: string;
  /** `-` when none */
  attachedFileName: string;
  official: RemoteCertificateReport | null;
  government: RemoteCertificateReport | null;
}

/** What is sent to 公文書署名検証: the ZIP as 公文書取得 returned it and the signed XML inside it. */
export interface VerifyUpload {
  arriveId: string;
  /** any name; e-Gov does not echo it */
  fileName: string;
  zip: Uint8Array;
  /** the entry of `zip` whose signature is to be checked */
  xmlFileName: string;
}

/**
 * Which 補正 API carries a correction. 補正申請 (amendapply) is the one in force; 再提出 (reamend) and
 * 部分補正 (partamend) were abolished in later versions of the spec but answered as recorded.
 */
export type AmendmentKind = 'amendapply' | 'reamend' | 'partamend';

/** The 202 of 補正申請 / 再提出 / 部分補正 (A.18–A.20): the same element set as 取下げ's. */
export interface AmendmentReceipt extends Omit<WithdrawalReceipt, 'newArriveId'> {
  /** 到達番号 of the correction as a case of its own; '' for 部分補正, which keeps the case (A.19) */
  newArriveId: string;
}

// ---------------------------------------------------------------------------------------------
// Verification of a 公文書 as Todoke shows it: its own check and e-Gov's (公文書署名検証), side by side.

/**
 * Todoke's verdict on a document's signature, from its own check:
 * - `valid`: the signature and its reference check out AND the signer chains to a configured 官職 CA
 *   anchor at the time of issue (the signer's expiry since then is reported, not held against it);
 * - `invalid`: the signature value or the digest of the signed BODY fails — the content is not what
 *   was signed; never shown as valid;
 * - `untrusted`: the signature checks out but the signer does not chain to a configured anchor, or a
 *   certificate of the chain was not valid when the document was issued;
 * - `unsigned`: the XML carries no signature (補正通知, コメント and some 公文書 do not);
 * - `unverifiable`: the XML could not be read or its signature is not e-Gov's 官職署名 shape.
 */
export type LocalVerdict = 'valid' | 'invalid' | 'untrusted' | 'unsigned' | 'unverifiable';

/** A certificate as the verification panel shows it. */
export type VerifiedCertificateView = Pick<CertificateInfo, 'subject' | 'issuer' | 'commonName' | 'serialNumber' | 'notBefore' | 'notAfter' | 'fingerprintSha256'>;

/** What Todoke itself checked (src/main/documents/verify-document.ts). */
export interface LocalVerificationView {
  verdict: LocalVerdict;
  /** ISO time of the check */
  checkedAt: string;
  /** the XML checked (an entry of the notice ZIP) */
  fileName: string;
  /** each check that was made, in order, with its outcome (Japanese) */
  checks: { label: string; ok: boolean | null; detail: string }[];
  signer: VerifiedCertificateView | null;
  /** every certificate in KeyInfo, signer first */
  certificates: VerifiedCertificateView[];
  /** the anchor the chain ended at, when it did */
  anchor: VerifiedCertificateView | null;
  /** ISO time the document was issued (its IssueDate), the moment chain and validity were judged at */
  judgedAt: string;
  /** the signer's validity now (a document stays valid when its signer expired after issue) */
  signerValidityNow: 'valid' | 'expired' | 'notYetValid' | null;
  /** Japanese, one per failed check */
  problems: string[];
}

/** e-Gov's answer condensed: ok only when ErrorCount is 0 and the signature result reads as normal. */
export interface RemoteVerificationView {
  ok: boolean;
  checkedAt: string;
  result: RemoteVerification;
}

// ---------------------------------------------------------------------------------------------
// The inbox: what Todoke keeps of each notice (src/main/store/notices.ts) as the screens show it.

/**
 * Where a notice stands in Todoke:
 * - `listed`: e-Gov listed it; not in the vault yet (downloading, or the download failed: see lastError);
 * - `kept`: its ZIP is in the vault; 取得完了 not confirmed yet (sent at the next cycle at the latest);
 * - `done`: kept, and e-Gov confirmed 取得完了 (a 補正通知 has no 完了: done once kept);
 * - `refused`: the ZIP is kept as it came but its contents were refused (unsafe names, a bomb …).
 */
export type NoticeStage = 'listed' | 'kept' | 'done' | 'refused';

export interface NoticeSummaryView {
  id: number;
  arriveId: string;
  kind: NoticeKind;
  noticeSubId: number;
  title: string;
  /** JST YYYYMMDDhhmmss: IssueDate (公文書, コメント) or CorrectRequestedDate (補正通知) */
  issueDate: string;
  /** JST YYYYMMDD 補正 deadline ('' when none or not a 補正通知) */
  deadline: string;
  /** JST YYYYMMDDhhmmss the 補正 was completed ('' when not) */
  completedDate: string;
  /** the case's 手続名称 and 申請者 ('' when Todoke does not know the case's details) */
  procedureName: string;
  applicantName: string;
  stage: NoticeStage;
  /** e-Gov's own state of the entry as sent (未読 / 既読, 未取得 / 取得済) */
  egovState: string;
  /** ISO time the person first opened it in Todoke; null = unread */
  readAt: string | null;
  /** 公文書 only: Todoke's verdict, and e-Gov's (null until checked) */
  verdict: LocalVerdict | null;
  remoteOk: boolean | null;
  /** names of the files e-Gov listed for it */
  fileNames: string[];
  /** the last failure while fetching, completing or verifying it (Japanese) */
  lastError: { code: string; message: string; at: string } | null;
}

export interface NoticePageView {
  items: NoticeSummaryView[];
  /** pass as `after` for the next page; null at the end */
  next: string | null;
  /** matching notices in all, and how many of them are unread */
  total: number;
  unread: number;
}

/** Notices kept in Todoke that the person has not opened yet, by kind (notice.unread, for ホーム). */
export interface NoticeUnreadView {
  total: number;
  byKind: Record<NoticeKind, number>;
}

/** The rendered main XML of a notice (src/main/documents/render/). */
export interface RenderedNoticeView {
  fileName: string;
  title: string;
  /** a complete, sanitised HTML document: no script, no event handler, nothing loaded from anywhere */
  html: string;
  /** which stylesheet made it: the one the XML names, the one in the ZIP, or Todoke's own layout */
  stylesheet: { source: 'named' | 'zip' | 'builtin'; name?: string };
  /** Japanese, e.g. the named stylesheet was missing */
  warnings: string[];
}

export interface NoticeDetailView extends NoticeSummaryView {
  /** the files kept in the vault (empty until kept, and when refused) */
  files: NoticeFileView[];
  /** the main XML rendered; null for a notice that has none or was not kept */
  rendered: RenderedNoticeView | null;
  /** why it could not be rendered (Japanese), when it could not */
  renderError: { code: string; message: string } | null;
  /** the notice's text without layout (title, instructions, body), e.g. beside the 補正 workbench */
  text: string;
  /** why the ZIP was refused, when stage is `refused` */
  refusal: { code: string; message: string } | null;
  /** 公文書 only */
  verification: { local: LocalVerificationView | null; remote: RemoteVerificationView | null; remoteError: { code: string; message: string } | null } | null;
}

/** Largest PDF the screen may ask for in one answer (base64 in the envelope). */
export const MAX_NOTICE_PDF_BYTES = 32 * 1024 * 1024;

/** A notice event: one was stored in the vault, completed, verified or read. */
export interface NoticeChangedEvent {
  id: number;
  arriveId: string;
  kind: NoticeKind;
  stage: NoticeStage;
  title: string;
  verdict: LocalVerdict | null;
}

// ---------------------------------------------------------------------------------------------
// What Todoke holds of each notice (the vault and its records, src/main/store/notices.ts).

/** What a received file is, judged from its name and its first bytes (never from the name alone). */
export type NoticeMedia = 'xml' | 'xsl' | 'pdf' | 'other';

/** 補正通知, 公文書 or コメント. */
export type NoticeKind = 'amend' | 'document' | 'comment';

/** One file of a kept notice ZIP: its name as e-Gov wrote it, its bytes in the vault by their hash. */
export interface NoticeFileView {
  name: string;
  /** SHA-256 of the bytes, lowercase hex */
  sha256: string;
  size: number;
  media: NoticeMedia;
}

/** Why a kept ZIP could not be read (it is kept all the same, as received). */
export interface NoticeRefusal {
  code: string;
  message: string;
}

/** A notice as the inbox and a case's notice list show it (src/main/store/notices.ts). */
export interface NoticeSummary {
  /** Todoke's own id of the notice */
  id: number;
  arriveId: string;
  kind: NoticeKind;
  noticeSubId: number;
  title: string;
  /** JST YYYYMMDDhhmmss: IssueDate of a 公文書 / コメント, CorrectRequestedDate of a 補正通知 */
  issueDate: string;
  /** 補正通知: JST YYYYMMDD deadline ('' when none, and for the other kinds) */
  deadline: string;
  /** 補正通知: JST date it was completed ('' until then, and for the other kinds) */
  completedDate: string;
  /** the file names the list gave */
  listedFileNames: string[];
  /** the entry's state as the list sent it ('' when absent) */
  egovState: string;
  /** epoch ms Todoke first saw it listed */
  firstSeenAt: number;
  /** epoch ms the vault finished keeping its ZIP; null until then */
  keptAt: number | null;
  /** the ZIP is kept but its files could not be read */
  refusal: NoticeRefusal | null;
  /** epoch ms e-Gov confirmed 取得完了 (補正通知: when kept); null until then */
  doneAt: number | null;
  /** epoch ms the user first opened it in Todoke; null while unread */
  readAt: number | null;
  /** epoch ms of the last verification stored; null until verified */
  verifiedAt: number | null;
  /** the last failure while fetching, keeping or completing it */
  lastError: { code: string; message: string; at: number } | null;
}

/** One line of the inbox across cases: the notice and, when the case is tracked, what it is. */
export interface NoticeInboxItem extends NoticeSummary {
  /** the case's 手続名; null when the case is not stored in this profile */
  procedureName: string | null;
  applicantName: string | null;
}

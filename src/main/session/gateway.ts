// Main process (core). The port between the use cases and e-Gov. Use cases (identity now; filing,
// tracking, documents and payments next) speak to this interface; `src/main/egov/gateway-v1.ts`
// implements it for the 外部連携API v1 wire format, and an adapter for e-Gov's current API can sit
// beside it without a use case or a screen changing. Every method signs with the signer it is given
// and returns what e-Gov said, or throws a typed error whose `delivery` says whether the request may
// have been acted on.
import type { X509Certificate } from 'node:crypto';
import type { CaseStatus, WithdrawalReceipt } from '../../shared/case.js';
import type { AmendmentKind, AmendmentReceipt, AmendNoticeList, NoticeDownload, NoticeList, NoticeReceipt, RemoteVerification, VerifyUpload } from '../../shared/documents.js';
import type { SendApplications, SendQuery, SendReceipt, SendSummary } from '../../shared/filing.js';
import type { BankList, BankSiteHandOff, BankSiteRequest, PaymentList } from '../../shared/payment.js';
import type { Signer } from '../signing/signer.js';

export interface AuthenticationDate {
  /** the previous authentication exactly as e-Gov wrote it ('' when none) */
  lastAuthenticationDate: string;
  /** the same instant, when the text is a valid timestamp */
  lastAuthenticatedAt: Date | null;
}

export interface LoginOutcome extends AuthenticationDate {
  /** the credential every later call carries (v1: the access key) */
  accessKey: string;
}

export type CertificateChangeOutcome = AuthenticationDate;

/** A 一括申請 as the filer made it: the 申請データ ZIP and the file name e-Gov will echo. */
export interface BatchUpload {
  fileName: string;
  /** the ZIP, whole or in its pieces in order (BuiltBatch.zipParts: never joined, so never held twice) */
  zip: Uint8Array | readonly Uint8Array[];
}

/**
 * A batch turned into the exact request this gateway sends. The outbox stores `body` (and `sha256`)
 * BEFORE sending, and sends those very bytes with `sendBatch` — after a crash too, from its copy.
 * The bytes belong to the adapter that prepared them (v1: an XML body); a use case never reads them.
 */
export interface PreparedBatch {
  fileName: string;
  body: Buffer;
  /** SHA-256 of `body`, lower-case hex */
  sha256: string;
}

/** A 取下げ as the filer made it: the case to withdraw and the signed 取下げ申請データ ZIP. */
export interface WithdrawalUpload {
  /** 到達番号 of the case to withdraw */
  arriveId: string;
  zip: Uint8Array;
}

/**
 * A 取下げ turned into the exact request this gateway sends; like PreparedBatch, the outbox stores
 * `body` before sending and sends those very bytes with `sendWithdrawal`.
 */
export interface PreparedWithdrawal {
  arriveId: string;
  body: Buffer;
  /** SHA-256 of `body`, lower-case hex */
  sha256: string;
}

/** A 補正 as the filer made it: the case corrected, the API that carries it and the signed 申請データ ZIP. */
export interface AmendmentUpload {
  kind: AmendmentKind;
  /** 到達番号 of the case corrected */
  arriveId: string;
  zip: Uint8Array;
  /** 部分補正 only: which parts are corrected (REFERENCE §4.10 Target/BasicFormFlag, AttachedFlag) */
  target?: { basicForm: boolean; attached: boolean };
}

/** A 補正 turned into the exact request this gateway sends; kept by the outbox before sending, like PreparedWithdrawal. */
export interface PreparedAmendment {
  kind: AmendmentKind;
  arriveId: string;
  body: Buffer;
  /** SHA-256 of `body`, lower-case hex */
  sha256: string;
}

export interface EgovGateway extends EgovDocumentsGateway, EgovPaymentsGateway {
  /** 利用者ID登録 of `userId` with the signer's certificate */
  register(signer: Signer, userId: string): Promise<void>;
  /** 利用者認証 */
  login(signer: Signer, userId: string): Promise<LoginOutcome>;
  /** 証明書識別情報追加: `signer` holds a registered certificate; `certificate` is added */
  appendCertificate(signer: Signer, userId: string, certificate: X509Certificate): Promise<CertificateChangeOutcome>;
  /** 証明書識別情報更新: signed by the NEW certificate, naming the registered one it replaces */
  updateCertificate(newSigner: Signer, userId: string, oldCertificate: X509Certificate): Promise<CertificateChangeOutcome>;
  /** 証明書識別情報削除 */
  deleteCertificate(signer: Signer, userId: string, certificate: X509Certificate): Promise<CertificateChangeOutcome>;
  /**
   * True only when e-Gov answered that the credential itself was refused: nothing the call asked
   * for was accepted, so logging in again and sending again is safe. Any other failure — above all
   * one whose delivery is unknown — is not a refusal.
   */
  isCredentialRefusal(error: unknown): boolean;
  /** the error to report when a credential obtained a moment ago is refused as well */
  refusedAfterLogin(error: unknown): Error;
  /** Builds the exact request of a 一括申請 (pure, nothing is sent); refuses a bad name or an empty ZIP. */
  prepareBatch(batch: BatchUpload): PreparedBatch;
  /**
   * Reads a PreparedBatch's body back into its upload (pure), e.g. to prefill a 取下げ from the
   * kousei.xml Todoke sent; throws on bytes that are not such a body.
   */
  readBatchRequest(body: Uint8Array): { fileName: string; zip: Uint8Array };
  /**
   * 一括申請: sends `body` (a PreparedBatch's) byte for byte. Success means "received"; the 形式チェック
   * follows asynchronously (see listSends). A failure after which e-Gov may hold the batch has
   * delivery 'unknown': reconcile with listSends before any resend.
   */
  sendBatch(accessKey: string, body: Uint8Array): Promise<SendReceipt>;
  /** 送信案件一覧: one batch by 送信番号, or the batches sent on JST days from–to (inclusive); [] when none */
  listSends(accessKey: string, query: SendQuery): Promise<SendSummary[]>;
  /** 申請案件一覧: the applications of one batch that have arrived */
  listArrived(accessKey: string, sendNumber: string): Promise<SendApplications>;
  /** 状況照会: one case's status and history; a 到達番号 that is not 16–18 digits is refused before sending */
  caseStatus(accessKey: string, arriveId: string): Promise<CaseStatus>;
  /** Builds the exact request of a 取下げ (pure, nothing is sent); refuses a bad 到達番号 or an empty ZIP. */
  prepareWithdrawal(withdrawal: WithdrawalUpload): PreparedWithdrawal;
  /**
   * 取下げ: sends `body` (a PreparedWithdrawal's) byte for byte. Success means the 取下げ arrived, with
   * its own 到達番号. A failure after which e-Gov may hold it has delivery 'unknown': check the case
   * with caseStatus before any resend.
   */
  sendWithdrawal(accessKey: string, body: Uint8Array): Promise<WithdrawalReceipt>;
}

/** The 補正 / 公文書 / コメント part of the port (REFERENCE §4.8–§4.17). */
export interface EgovDocumentsGateway {
  /** 補正通知一覧 of one case (§4.8); an empty list when there is none */
  amendNotices(accessKey: string, arriveId: string): Promise<AmendNoticeList>;
  /** 公文書・コメント一覧 of one case (§4.12) */
  notices(accessKey: string, arriveId: string): Promise<NoticeList>;
  /** 公文書取得 (§4.13): does not mark the document as obtained */
  getDocument(accessKey: string, arriveId: string, noticeSubId: number): Promise<NoticeDownload>;
  /** 公文書取得完了 (§4.14): call only once the ZIP is in the vault */
  completeDocument(accessKey: string, arriveId: string, noticeSubId: number): Promise<NoticeReceipt>;
  /** 公文書署名検証 (§4.15) */
  verifyDocument(accessKey: string, upload: VerifyUpload): Promise<RemoteVerification>;
  /** コメント通知取得 (§4.16) */
  getComment(accessKey: string, arriveId: string, noticeSubId: number): Promise<NoticeDownload>;
  /** コメント通知取得完了 (§4.17): call only once the ZIP is in the vault */
  completeComment(accessKey: string, arriveId: string, noticeSubId: number): Promise<NoticeReceipt>;
  /** Builds the exact request of a 補正 (pure, nothing is sent); refuses a bad 到達番号 or an empty ZIP. */
  prepareAmendment(amendment: AmendmentUpload): PreparedAmendment;
  /**
   * 補正申請 / 再提出 / 部分補正: sends `body` (a PreparedAmendment's, with its `kind`: the body alone
   * cannot tell 補正申請 from 再提出, their frames are byte-identical) byte for byte. A failure after
   * which e-Gov may hold the 補正 has delivery 'unknown': check the case with caseStatus before any
   * resend. An ineligible case is answered with HTTP 500 (A.21): that too is 'unknown' on the wire,
   * and the caller decides from 状況照会.
   */
  sendAmendment(accessKey: string, kind: AmendmentKind, body: Uint8Array): Promise<AmendmentReceipt>;
}

/** The 電子納付 part of the port (REFERENCE §4.18–§4.20). */
export interface EgovPaymentsGateway {
  /** 電子納付対応金融機関一覧: banks with a URL Todoke will not open are in `skipped`, not thrown */
  banks(accessKey: string): Promise<BankList>;
  /** 電子納付情報一覧 of one case; entries that look wrong are kept and flagged in `problems` */
  payments(accessKey: string, arriveId: string): Promise<PaymentList>;
  /**
   * 電子納付金融機関サイト表示 (§4.20, interface unknown: the sandbox's SIM-CHOICE, see
   * src/main/egov/bank-site.ts): the page that hands the 納付 to the bank and the one form in it, which
   * only ever posts to a bank of the list (`bankList` when the caller has it, else fetched). An HTML
   * error page comes back with `form: null`; an unsafe page is thrown (EGOV_UNSAFE_HAND_OFF).
   */
  bankSite(accessKey: string, request: BankSiteRequest, bankList?: BankList): Promise<BankSiteHandOff>;
}

// Main process (core). The gateway port (src/main/session/gateway.ts) for e-Gov 外部連携API v1:
// the signed /authentication/ calls, and the /access/ calls that carry an access key. What counts as
// "e-Gov refused the key" is this wire format's business, so it is decided here.
import { createHash, type X509Certificate } from 'node:crypto';
import type { CaseStatus, WithdrawalReceipt } from '../../shared/case.js';
import type { SendApplications, SendQuery, SendReceipt, SendSummary } from '../../shared/filing.js';
import type { BankList, BankSiteHandOff, BankSiteRequest, PaymentList } from '../../shared/payment.js';
import type { AmendmentKind, AmendmentReceipt, AmendNoticeList, NoticeDownload, NoticeList, NoticeReceipt, RemoteVerification, VerifyUpload } from '../../shared/documents.js';
import type {
  AmendmentUpload,
  BatchUpload,
  CertificateChangeOutcome,
  EgovGateway,
  LoginOutcome,
  PreparedAmendment,
  PreparedBatch,
  PreparedWithdrawal,
  WithdrawalUpload,
} from '../session/gateway.js';
import type { Signer } from '../signing/signer.js';
import { sendAmendment } from './amendment.js';
import { encodeAmendmentRequest } from './amendment-codec.js';
import { listArrived, listSends, sendBatch } from './apply.js';
import { decodeApplyRequest, encodeApplyRequest } from './apply-codec.js';
import { appendCertificate, deleteCertificate, login, registerUser, updateCertificate } from './authentication.js';
import { verifyDocument } from './document-verify.js';
import { banks } from './banks.js';
import { bankSiteHandOff } from './bank-site.js';
import { authFailed, isEgovError } from './errors.js';
import type { EgovCaller, HttpMethod } from './http.js';
import { amendNotices, completeNotice, downloadNotice, notices } from './notices.js';
import { payments } from './payments.js';
import { caseStatus } from './reference.js';
import type { EgovReply } from './reply.js';
import { sendWithdrawal } from './withdrawal.js';
import { encodeWithdrawalRequest } from './withdrawal-codec.js';

export interface AccessOptions {
  /** element names to read as lists even when they occur once */
  arrayElements?: readonly string[];
}

// e-Gov's answer to a bad or expired key was never recorded (REFERENCE §4.2). SIM-CHOICE: HTTP 401,
// or Code 1 with a message about the access key or authentication.
const ACCESS_KEY_MESSAGE = /アクセスキー|access\s*key|再認証|認証(?:に|が)?(?:失敗|できません|されていません)|有効期限が切れ|ログイン/i;

/** e-Gov answered, and what it refused was the access key: nothing else was accepted. */
export function isAccessKeyRejection(e: unknown): boolean {
  if (!isEgovError(e) || e.delivery !== 'answered') return false;
  if (e.code === 'EGOV_AUTH_FAILED') return true;
  return e.code === 'EGOV_API_ERROR' && ACCESS_KEY_MESSAGE.test(e.serverMessage ?? '');
}

export interface EgovV1GatewayOptions {
  /**
   * The endpoint is the sandbox: its stand-in bank on loopback http is a bank like the listed https
   * ones (bank-codec.ts). Never for e-Gov. Default false.
   */
  allowLoopbackStandIn?: boolean;
}

export class EgovV1Gateway implements EgovGateway {
  readonly #client: EgovCaller;
  readonly #allowLoopbackStandIn: boolean;

  constructor(client: EgovCaller, options: EgovV1GatewayOptions = {}) {
    this.#client = client;
    this.#allowLoopbackStandIn = options.allowLoopbackStandIn === true;
  }

  async register(signer: Signer, userId: string): Promise<void> {
    await registerUser(this.#client, signer, { userId });
  }

  async login(signer: Signer, userId: string): Promise<LoginOutcome> {
    const r = await login(this.#client, signer, { userId });
    return { accessKey: r.accessKey, lastAuthenticationDate: r.lastAuthenticationDate, lastAuthenticatedAt: r.lastAuthenticatedAt ?? null };
  }

  async appendCertificate(signer: Signer, userId: string, certificate: X509Certificate): Promise<CertificateChangeOutcome> {
    return dates(await appendCertificate(this.#client, signer, { userId, certificate }));
  }

  async updateCertificate(newSigner: Signer, userId: string, oldCertificate: X509Certificate): Promise<CertificateChangeOutcome> {
    return dates(await updateCertificate(this.#client, newSigner, { userId, oldCertificate }));
  }

  async deleteCertificate(signer: Signer, userId: string, certificate: X509Certificate): Promise<CertificateChangeOutcome> {
    return dates(await deleteCertificate(this.#client, signer, { userId, certificate }));
  }

  isCredentialRefusal(error: unknown): boolean {
    return isAccessKeyRejection(error);
  }

  refusedAfterLogin(error: unknown): Error {
    if (!isEgovError(error)) return error instanceof Error ? error : new Error(String(error));
    return authFailed(error.status ?? 401, error.serverMessage, true);
  }

  prepareBatch(batch: BatchUpload): PreparedBatch {
    const body = encodeApplyRequest(batch);
    return { fileName: batch.fileName, body, sha256: createHash('sha256').update(body).digest('hex') };
  }

  readBatchRequest(body: Uint8Array): { fileName: string; zip: Uint8Array } {
    return decodeApplyRequest(body);
  }

  sendBatch(accessKey: string, body: Uint8Array): Promise<SendReceipt> {
    return sendBatch(this.#client, accessKey, body);
  }

  listSends(accessKey: string, query: SendQuery): Promise<SendSummary[]> {
    return listSends(this.#client, accessKey, query);
  }

  listArrived(accessKey: string, sendNumber: string): Promise<SendApplications> {
    return listArrived(this.#client, accessKey, sendNumber);
  }

  caseStatus(accessKey: string, arriveId: string): Promise<CaseStatus> {
    return caseStatus(this.#client, accessKey, arriveId);
  }

  prepareWithdrawal(withdrawal: WithdrawalUpload): PreparedWithdrawal {
    const body = encodeWithdrawalRequest(withdrawal);
    return { arriveId: withdrawal.arriveId, body, sha256: createHash('sha256').update(body).digest('hex') };
  }

  sendWithdrawal(accessKey: string, body: Uint8Array): Promise<WithdrawalReceipt> {
    return sendWithdrawal(this.#client, accessKey, body);
  }

  amendNotices(accessKey: string, arriveId: string): Promise<AmendNoticeList> {
    return amendNotices(this.#client, accessKey, arriveId);
  }

  notices(accessKey: string, arriveId: string): Promise<NoticeList> {
    return notices(this.#client, accessKey, arriveId);
  }

  banks(accessKey: string): Promise<BankList> {
    return banks(this.#client, accessKey, { allowLoopbackStandIn: this.#allowLoopbackStandIn });
  }

  bankSite(accessKey: string, request: BankSiteRequest, bankList?: BankList): Promise<BankSiteHandOff> {
    return bankSiteHandOff(this.#client, accessKey, request, { allowLoopbackStandIn: this.#allowLoopbackStandIn, ...(bankList ? { bankList } : {}) });
  }

  payments(accessKey: string, arriveId: string): Promise<PaymentList> {
    return payments(this.#client, accessKey, arriveId);
  }

  getDocument(accessKey: string, arriveId: string, noticeSubId: number): Promise<NoticeDownload> {
    return downloadNotice(this.#client, accessKey, 'officialdocument', arriveId, noticeSubId);
  }

  completeDocument(accessKey: string, arriveId: string, noticeSubId: number): Promise<NoticeReceipt> {
    return completeNotice(this.#client, accessKey, 'officialdocument', arriveId, noticeSubId);
  }

  verifyDocument(accessKey: string, upload: VerifyUpload): Promise<RemoteVerification> {
    return verifyDocument(this.#client, accessKey, upload);
  }

  getComment(accessKey: string, arriveId: string, noticeSubId: number): Promise<NoticeDownload> {
    return downloadNotice(this.#client, accessKey, 'comment', arriveId, noticeSubId);
  }

  completeComment(accessKey: string, arriveId: string, noticeSubId: number): Promise<NoticeReceipt> {
    return completeNotice(this.#client, accessKey, 'comment', arriveId, noticeSubId);
  }

  prepareAmendment(amendment: AmendmentUpload): PreparedAmendment {
    const body = encodeAmendmentRequest(amendment);
    return { kind: amendment.kind, arriveId: amendment.arriveId, body, sha256: createHash('sha256').update(body).digest('hex') };
  }

  sendAmendment(accessKey: string, kind: AmendmentKind, body: Uint8Array): Promise<AmendmentReceipt> {
    return sendAmendment(this.#client, accessKey, kind, body);
  }

  /**
   * An /access/ API call with `accessKey`: `path` is what follows `/shinsei/1/access/`, e.g.
   * `reference/9002015000243941` or `apply;id=201504281145005643`. Features call it through
   * `EgovSession.withAccessKey`, which supplies the key and handles its refusal.
   */
  access(accessKey: string, method: HttpMethod, path: string, body?: string, options: AccessOptions = {}): Promise<EgovReply> {
    const request = { method, path: `access/${path}`, accessKey, arrayElements: options.arrayElements ?? [] };
    return this.#client.call(body === undefined ? request : { ...request, body });
  }
}

function dates(r: { lastAuthenticationDate: string; lastAuthenticatedAt?: Date }): CertificateChangeOutcome {
  return { lastAuthenticationDate: r.lastAuthenticationDate, lastAuthenticatedAt: r.lastAuthenticatedAt ?? null };
}

// Core host. The 一括申請 use case (issue #8): checked 申請データ → signed in memory and packed
// (./build-batch.ts) → the exact request recorded in the outbox → `sending` recorded → sent once →
// the answer recorded. ARCHITECTURE.md "Data that must never be lost": the bytes are in the outbox
// before they leave, `sending` is committed before the first byte leaves, and a failure is recorded
// by what it says about delivery, so that nothing is ever sent twice by accident:
//
//   success                                  → markAccepted (送信番号)         → `sent`
//   the batch never left (delivery not-sent,
//     or the login before it failed,
//     or e-Gov refused the access key)        → markNotDelivered                → `ready` (may be sent again)
//   e-Gov answered 4xx Code 1 / 401          → markRefused                     → `failed`
//   anything else (reset, timeout, 5xx,
//     a body we cannot read, a bug)           → markDeliveryUnknown             → `unknown` (./recover.ts)
//
// A crash anywhere after beginAttempt leaves `sending`, which the recovery at start treats as
// `unknown`. This module never retries: the caller (CLI, screen) decides after reading the error.
import type { SendReceipt } from '../../shared/filing.js';
import { isTodokeError } from '../../shared/errors.js';
import type { ApplicationData } from '../application/model.js';
import type { CheckReport } from '../application/problems.js';
import { isEgovError } from '../egov/errors.js';
import type { EgovGateway } from '../session/gateway.js';
import type { EgovSession } from '../session/session.js';
import type { Signer } from '../signing/signer.js';
import type { Outbox, OutboxEntry } from '../store/outbox.js';
import { buildBatch, contentHashOf, jstStamp, type BuildProgress } from './build-batch.js';
import { FilingError, filingCancelled, isFilingError } from './errors.js';
import { failureOf, isRefusal, messageJa } from './send-failure.js';

/** The file name e-Gov echoes as SendFileName when the caller gives none. */
export const DEFAULT_BATCH_FILE_NAME = 'apply.zip';

export interface BatchSenderOptions {
  outbox: Outbox;
  session: Pick<EgovSession, 'userId' | 'withAccessKey'>;
  gateway: Pick<EgovGateway, 'prepareBatch' | 'sendBatch' | 'isCredentialRefusal'>;
  /**
   * The profile's signer, used when a send names none. Called once per send; the sender closes what
   * it returns (a PKCS#11 token is logged out again after signing).
   */
  defaultSigner?: () => Promise<Signer>;
  /** for Signature/@Id and the ZIP entry times */
  now?: () => Date;
  /** see MAX_IN_MEMORY_ZIP_BYTES */
  maxZipBytes?: number;
}

export interface SendBatchInput {
  /** read by readApplicationFolders (or from a ZIP) */
  data: ApplicationData;
  /** checkApplicationData(data): a report with errors is refused before anything is signed */
  report: CheckReport;
  /** signs every kousei.xml (e.g. a 社労士's certificate); the caller keeps and closes it. Default: defaultSigner */
  signer?: Signer;
  /** SendFileName; default apply.zip */
  fileName?: string;
  /** 送信番号 of earlier sends of the same data, confirmed by the user: the outbox refuses the data again without them */
  confirmedEarlierSends?: readonly string[];
  /** signing and packing progress (see buildBatch), then `send` once it can no longer be cancelled */
  onProgress?: (progress: SendProgress) => void;
  /** aborting cancels until the batch is recorded (FILING_CANCELLED); from then on it is sent */
  signal?: AbortSignal;
}

export type SendProgress = BuildProgress | { step: 'send' };

export interface SendBatchResult {
  entry: OutboxEntry;
  receipt: SendReceipt;
}

export class BatchSender {
  readonly #outbox: Outbox;
  readonly #session: BatchSenderOptions['session'];
  readonly #gateway: BatchSenderOptions['gateway'];
  readonly #defaultSigner: (() => Promise<Signer>) | undefined;
  readonly #now: () => Date;
  readonly #maxZipBytes: number | undefined;

  constructor(options: BatchSenderOptions) {
    this.#outbox = options.outbox;
    this.#session = options.session;
    this.#gateway = options.gateway;
    this.#defaultSigner = options.defaultSigner;
    this.#now = options.now ?? (() => new Date());
    this.#maxZipBytes = options.maxZipBytes;
  }

  /** record() then sendRecorded(): the whole use case. */
  async send(input: SendBatchInput): Promise<SendBatchResult> {
    const entry = await this.record(input);
    return this.sendRecorded(entry.id);
  }

  /**
   * send(), except that the same data left `ready` (it provably never left) or `ready-for-resend`
   * (reconciled: not at e-Gov) is sent from its recorded bytes instead of being refused: the person
   * offering the data again is asking for exactly that send to happen.
   */
  async sendOrResume(input: SendBatchInput): Promise<SendBatchResult & { resumed: boolean }> {
    try {
      return { ...(await this.send(input)), resumed: false };
    } catch (e) {
      if (!isFilingError(e, 'FILING_SAME_DATA_IN_FLIGHT')) throw e;
      const entries = (e.detail?.entries as { entryId: string; state: string }[] | undefined) ?? [];
      const only = entries.length === 1 ? entries[0] : undefined;
      if (!only || (only.state !== 'ready' && only.state !== 'ready-for-resend')) throw e;
      return { ...(await this.sendRecorded(only.entryId)), resumed: true };
    }
  }

  /**
   * Signs, packs and records the batch in `ready`, sending nothing. Refuses data with check errors,
   * a ZIP over the limit, and the same data sent before unless its 送信番号 are confirmed.
   */
  async record(input: SendBatchInput): Promise<OutboxEntry> {
    const at = this.#now();
    if (input.signal?.aborted) throw filingCancelled();
    // Data sent before is refused before the signer is opened (no PIN for a batch that goes nowhere).
    const expected = await contentHashOf(input.data);
    try {
      this.#outbox.assertNewData(expected, input.confirmedEarlierSends);
    } catch (e) {
      throw sameDataError(e) ?? e;
    }
    const built = await this.#withSigner(input.signer, (signer) =>
      buildBatch(input.data, input.report, {
        signer,
        signatureId: jstStamp(at),
        mtime: at,
        ...(this.#maxZipBytes ? { maxZipBytes: this.#maxZipBytes } : {}),
        ...(input.onProgress ? { onProgress: input.onProgress } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      }),
    );
    // the last moment to cancel: once recorded, the batch is on its way
    if (input.signal?.aborted) throw filingCancelled();
    input.onProgress?.({ step: 'send' });
    const prepared = this.#gateway.prepareBatch({ fileName: input.fileName ?? DEFAULT_BATCH_FILE_NAME, zip: built.zipParts });
    try {
      return await this.#outbox.record({
        userId: this.#session.userId,
        kind: 'batch',
        request: prepared.body,
        sourcePaths: input.data.source.paths,
        contentSha256: built.contentSha256,
        applicationCount: built.folderNames.length,
        folderNames: built.folderNames,
        applicantNames: built.applicantNames,
        ...(input.confirmedEarlierSends ? { confirmedEarlierSends: input.confirmedEarlierSends } : {}),
      });
    } catch (e) {
      throw sameDataError(e) ?? e;
    }
  }

  /**
   * Sends a recorded `ready` / `ready-for-resend` entry: exactly the bytes the outbox holds, once.
   * Throws a FilingError saying what became of the batch when it was not accepted.
   */
  async sendRecorded(entryId: string): Promise<SendBatchResult> {
    const { request } = await this.#outbox.beginAttempt(entryId);
    // From here the entry is `sending` in the database. What happens to the access key decides
    // whether the batch can have left: the session runs `call` only with a key, and runs it a
    // second time only after e-Gov refused the key (nothing accepted).
    let calls = 0;
    let lastCallError: unknown = null;
    let receipt: SendReceipt;
    try {
      receipt = await this.#session.withAccessKey(async (key) => {
        calls++;
        try {
          return await this.#gateway.sendBatch(key, request);
        } catch (e) {
          lastCallError = e;
          throw e;
        }
      });
    } catch (e) {
      throw this.#recordFailure(entryId, e, calls, lastCallError);
    }
    const entry = this.#outbox.markAccepted(entryId, receipt);
    return { entry, receipt };
  }

  #recordFailure(entryId: string, error: unknown, calls: number, lastCallError: unknown): FilingError {
    const failure = failureOf(error);
    // The login failed before the batch was handed over, or the last (and every earlier) try was
    // refused for its access key: e-Gov accepted nothing. The key is a header, not part of the
    // recorded bytes, so the entry goes back to `ready` and may be sent as it is once login works.
    const keyRefused = calls > 0 && this.#gateway.isCredentialRefusal(lastCallError);
    if (calls === 0 || keyRefused || (isEgovError(error) && error.delivery === 'not-sent')) {
      const entry = this.#outbox.markNotDelivered(entryId, failure);
      return new FilingError(
        'FILING_NOT_SENT',
        {
          ja: `一括申請は e-Gov に届いていません（${messageJa(error)}）。送信箱に「未送信」として残してあります。原因を確かめてから、もう一度送信してください。`,
          en: `the batch did not reach e-Gov: ${failure.message}`,
        },
        { cause: error, detail: { entryId, state: entry.state, failureCode: failure.code } },
      );
    }
    if (isRefusal(error)) {
      const entry = this.#outbox.markRefused(entryId, failure);
      return new FilingError(
        'FILING_REFUSED',
        {
          ja: `e-Gov は一括申請を受け付けませんでした（HTTP ${error.status ?? '?'}: ${error.serverMessage?.trim() || 'メッセージなし'}）。送信箱には「受付不可」として記録しました。申請データを直してから、新しく送信してください。`,
          en: `e-Gov refused the batch (HTTP ${error.status ?? '?'}): ${error.serverMessage ?? ''}`,
        },
        { cause: error, detail: { entryId, state: entry.state, status: error.status, serverMessage: error.serverMessage } },
      );
    }
    const entry = this.#outbox.markDeliveryUnknown(entryId, failure);
    return new FilingError(
      'FILING_DELIVERY_UNKNOWN',
      {
        ja:
          `一括申請が e-Gov に届いたかどうか分かりません（${messageJa(error)}）。` +
          'このアプリは同じデータを自動では再送信しません。e-Gov の送信案件一覧で届いたかどうかを照合し、届いていればその送信番号を記録します。' +
          '照合が済むまで、もう一度送信しないでください。',
        en: `delivery of the batch is unknown: ${failure.message}`,
      },
      { cause: error, detail: { entryId, state: entry.state, failureCode: failure.code } },
    );
  }

  async #withSigner<T>(given: Signer | undefined, use: (signer: Signer) => Promise<T>): Promise<T> {
    if (given) return use(given);
    if (!this.#defaultSigner) throw new TypeError('BatchSender: no signer given and no defaultSigner configured');
    const signer = await this.#defaultSigner();
    try {
      return await use(signer);
    } finally {
      await signer.close().catch(() => undefined);
    }
  }
}


/** The outbox's refusal of the same data, as a FilingError naming the earlier 送信番号 (or entries). */
function sameDataError(e: unknown): FilingError | null {
  if (isTodokeError(e, 'OUTBOX_SAME_DATA_UNCONFIRMED')) {
    const numbers = (e.detail?.earlierSendNumbers as string[] | undefined) ?? [];
    return new FilingError(
      'FILING_SAME_DATA_SENT',
      {
        ja: `同じ申請データは送信済みです（送信番号 ${numbers.join('、')}）。今回は送信していません。もう一度送信するときは、この送信番号を確かめて再送信を確認してください。`,
        en: `the same application data was sent before as ${numbers.join(', ')}; nothing was sent`,
      },
      { cause: e, detail: { earlierSendNumbers: numbers } },
    );
  }
  if (isTodokeError(e, 'OUTBOX_SAME_DATA_IN_FLIGHT')) {
    return new FilingError(
      'FILING_SAME_DATA_IN_FLIGHT',
      {
        ja: '同じ申請データが送信箱にあり、まだ送信番号が分かっていません（未送信、送信中、または照合待ち）。今回は送信していません。送信箱でその送信の状態を確かめてください。',
        en: 'the same application data is already in the outbox without a 送信番号; nothing was sent',
      },
      { cause: e, detail: { entries: e.detail?.entries } },
    );
  }
  return null;
}

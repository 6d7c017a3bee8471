// Core host. How a 一括申請 use case fails, as stable codes with Japanese messages that say what
// happened to the batch and what the app will do next. Every error about a recorded batch carries
// its outbox entry id (and state) in `detail`, so a screen can show the entry it is about.
import { TodokeError } from '../../shared/errors.js';

export type FilingErrorCode =
  /** the 申請データ check found errors: nothing was signed, recorded or sent */
  | 'FILING_CHECK_FAILED'
  /** a file of the 申請データ changed between the check and signing: nothing recorded or sent */
  | 'FILING_DATA_CHANGED'
  /** the ZIP is larger than the in-memory limit: nothing recorded */
  | 'FILING_TOO_LARGE'
  /** the same 申請データ was sent before and the caller did not name its 送信番号 */
  | 'FILING_SAME_DATA_SENT'
  /** the same 申請データ is in the outbox without a 送信番号 yet */
  | 'FILING_SAME_DATA_IN_FLIGHT'
  /** the request did not reach e-Gov (or was refused for its access key): the entry is `ready` again */
  | 'FILING_NOT_SENT'
  /** e-Gov answered and did not accept the batch: the entry is `failed` */
  | 'FILING_REFUSED'
  /** the batch may have reached e-Gov: the entry is `unknown`, to be reconciled before any resend */
  | 'FILING_DELIVERY_UNKNOWN'
  /** the entry is not in a state this step works on */
  | 'FILING_WRONG_STATE'
  /** 送信案件一覧 does not list the 送信番号 the outbox holds */
  | 'FILING_SEND_NOT_LISTED'
  /** the person cancelled before sending began: nothing was recorded or sent */
  | 'FILING_CANCELLED'
  /** no outbox entry has that id */
  | 'FILING_NOT_FOUND'
  /** the batch has no ErrorFile */
  | 'FILING_NO_ERROR_REPORT';

export class FilingError extends TodokeError<FilingErrorCode> {
  constructor(code: FilingErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'FilingError';
  }
}

export function isFilingError(e: unknown, code?: FilingErrorCode): e is FilingError {
  return e instanceof FilingError && (code === undefined || e.code === code);
}

/** Cancelled by the person before the batch was recorded: nothing signed is kept, nothing left. */
export function filingCancelled(): FilingError {
  return new FilingError('FILING_CANCELLED', {
    ja: '送信を取り消しました。何も送信していません（申請データのフォルダーもそのままです）。',
    en: 'cancelled before sending; nothing was sent',
  });
}

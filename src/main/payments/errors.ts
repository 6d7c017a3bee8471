// Main process (core). Why Todoke refuses to hand a 納付 to a bank, or cannot: typed codes with
// Japanese messages that say what to do. e-Gov's own failures stay EgovError (src/main/egov/errors.ts).
import { TodokeError } from '../../shared/errors.js';

export type PaymentErrorCode =
  /** the case has no 納付 with that 納付番号, even after reading 電子納付情報一覧 again */
  | 'PAYMENT_NOT_FOUND'
  /** the 納付 is 納付済, 納付期限切れ, of a status Todoke does not know, or no longer listed by e-Gov */
  | 'PAYMENT_NOT_PAYABLE'
  /** the bank named is not in 電子納付対応金融機関一覧 (or is one Todoke will not open) */
  | 'PAYMENT_BANK_UNKNOWN'
  /** e-Gov answered 電子納付金融機関サイト表示 with an error page */
  | 'PAYMENT_HAND_OFF_REFUSED'
  /** this host has no hand-off window (the CLI) */
  | 'PAYMENT_WINDOW_UNAVAILABLE'
  /** the background does not log in */
  | 'PAYMENT_NEEDS_LOGIN';

export class PaymentError extends TodokeError<PaymentErrorCode> {
  constructor(code: PaymentErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'PaymentError';
  }
}

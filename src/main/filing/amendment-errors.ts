// Core host. The typed errors of the 補正 (issue #10 item 6): draft, diff, package and sending share
// one family, as 取下げ's WithdrawalError does, so that every host shows the same code and message.
import { TodokeError } from '../../shared/errors.js';

export type AmendmentErrorCode =
  /** an XML file to compare is larger, deeper or has more elements than a diff is made for */
  | 'AMENDMENT_DIFF_TOO_LARGE'
  /** an XML file to compare cannot be read as XML (malformed, truncated, DOCTYPE, not UTF-8) */
  | 'AMENDMENT_XML_UNREADABLE'
  /** Todoke holds no case with that 到達番号 */
  | 'AMENDMENT_CASE_NOT_FOUND'
  /** the case cannot be corrected by Todoke (it is a 取下げ or 補正 case itself) */
  | 'AMENDMENT_NOT_ALLOWED'
  /** the filed application data is neither in the outbox nor given as a folder */
  | 'AMENDMENT_FILED_DATA_MISSING'
  /** the draft (or the folder given for it) is not one application of the case's procedure */
  | 'AMENDMENT_DRAFT_INVALID'
  /** the draft changes nothing: there is nothing to correct */
  | 'AMENDMENT_NO_CHANGE'
  /** a 補正 of the case is recorded, in flight or unsettled: never a second one at once */
  | 'AMENDMENT_EXISTS'
  /** the 補正 did not reach e-Gov: its entry is `ready` */
  | 'AMENDMENT_NOT_SENT'
  /** e-Gov answered and did not accept the 補正 (4xx): its entry is `failed` */
  | 'AMENDMENT_REFUSED'
  /** e-Gov answered 500 and 状況照会 shows no 補正: the case was not open to one (A.21) */
  | 'AMENDMENT_INELIGIBLE'
  /** the 補正 may have reached e-Gov: `unknown`, reconciled by 状況照会, never resent blindly */
  | 'AMENDMENT_DELIVERY_UNKNOWN'
  /** no 補正 entry has that id, or it is not in a state this step works on */
  | 'AMENDMENT_WRONG_STATE';

export class AmendmentError extends TodokeError<AmendmentErrorCode> {
  constructor(code: AmendmentErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'AmendmentError';
  }
}

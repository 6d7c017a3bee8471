// Core host. Failures of the notice use cases (the 公文書 screens, `todoke notices|doc|comment`): a
// notice that is not there, not kept on this PC, not a 公文書, and the rest. Stable codes; the
// Japanese message says what to do, in the words of whichever host shows it.
import { TodokeError } from '../../shared/errors.js';

export type NoticeErrorCode =
  /** no such notice (in the store, or in e-Gov's list of the case) */
  | 'NOTICE_NOT_FOUND'
  /** its ZIP is not in the vault on this PC: nothing to show, and no 取得完了 may be sent */
  | 'NOTICE_NOT_KEPT'
  | 'NOTICE_NO_PDF'
  | 'NOTICE_PDF_TOO_LARGE'
  /** only a 公文書 carries a 官職署名 */
  | 'NOTICE_NOT_A_DOCUMENT'
  /** the background does not log in */
  | 'NOTICE_NEEDS_LOGIN'
  | 'NOTICE_PRINT_UNAVAILABLE'
  /** a file to write out exists with other bytes (the CLI's --out / --html without --force) */
  | 'NOTICE_OUT_EXISTS'
  /** the folder to write the files into is a file, or cannot be made */
  | 'NOTICE_OUT_NOT_A_FOLDER'
  /** writing the files out failed (disk full, permissions) */
  | 'NOTICE_OUT_IO';

export class NoticeError extends TodokeError<NoticeErrorCode> {
  constructor(code: NoticeErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'NoticeError';
  }
}

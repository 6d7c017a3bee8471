// Main process. What stops reading 申請データ altogether (the ZIP is corrupt, a bomb, too large; a
// path cannot be read), as typed codes with Japanese messages that say what to do. Problems that
// concern one entry or one file are not thrown: they are CheckProblem entries (problems.ts).
import { TodokeError } from '../../shared/errors.js';

export type ApplicationErrorCode =
  /** the path does not exist or cannot be read */
  | 'APPLICATION_PATH_UNREADABLE'
  /** the path is neither an application folder, a folder of them, nor a ZIP */
  | 'APPLICATION_PATH_INVALID'
  /** not a ZIP, cut short, or an entry whose bytes do not match its header or CRC */
  | 'APPLICATION_ZIP_CORRUPT'
  /** the ZIP file is larger than the limit, or lists more entries than allowed */
  | 'APPLICATION_ZIP_TOO_LARGE'
  /** an entry inflates beyond the per-entry size or compression-ratio limit, or all together beyond the total */
  | 'APPLICATION_ZIP_BOMB';

export class ApplicationError extends TodokeError<ApplicationErrorCode> {
  constructor(code: ApplicationErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'ApplicationError';
  }
}

export function isApplicationError(e: unknown, code?: ApplicationErrorCode): e is ApplicationError {
  return e instanceof ApplicationError && (code === undefined || e.code === code);
}

export function pathUnreadable(path: string, cause: unknown): ApplicationError {
  return new ApplicationError(
    'APPLICATION_PATH_UNREADABLE',
    { ja: `「${path}」を読み込めませんでした。場所が正しいか、読み取り権限があるかを確認してください。`, en: `cannot read ${path}` },
    { cause, detail: { path } },
  );
}

export function pathInvalid(path: string): ApplicationError {
  return new ApplicationError(
    'APPLICATION_PATH_INVALID',
    {
      ja: `「${path}」は申請データのフォルダーでも ZIP ファイルでもありません。手続IDの名前のフォルダー（例: 900A010200001000(1)）か、それをまとめたフォルダー、または ZIP ファイルを選んでください。`,
      en: `${path} is neither an application folder, a folder of application folders, nor a ZIP file`,
    },
    { detail: { path } },
  );
}

export function zipCorrupt(reason: string, cause?: unknown): ApplicationError {
  return new ApplicationError(
    'APPLICATION_ZIP_CORRUPT',
    {
      ja: `ZIP ファイルが壊れているか、途中で切れています（${reason}）。元のファイルからもう一度 ZIP を作成するか、コピーし直してください。`,
      en: `corrupt or truncated ZIP: ${reason}`,
    },
    { cause, detail: { reason } },
  );
}

export function zipTooLarge(what: 'file' | 'entries', actual: number, limit: number): ApplicationError {
  const ja =
    what === 'file'
      ? `ZIP ファイルが大きすぎます（${actual} バイト、上限 ${limit} バイト）。申請を分けて、複数回に分けて送信してください。`
      : `ZIP ファイルに含まれるファイルが多すぎます（${actual} 個、上限 ${limit} 個）。申請データの ZIP か確認し、複数回に分けて送信してください。`;
  return new ApplicationError(
    'APPLICATION_ZIP_TOO_LARGE',
    { ja, en: what === 'file' ? `ZIP of ${actual} bytes exceeds ${limit}` : `ZIP lists ${actual} entries, limit ${limit}` },
    { detail: { what, actual, limit } },
  );
}

export function zipBomb(entry: string, reason: 'entry-size' | 'ratio' | 'total', limit: number): ApplicationError {
  const why = {
    'entry-size': `展開後の大きさが上限 ${limit} バイトを超えます`,
    ratio: `圧縮率が異常に高く、上限 ${limit} 倍を超えます`,
    total: `展開後の合計が上限 ${limit} バイトを超えます`,
  }[reason];
  return new ApplicationError(
    'APPLICATION_ZIP_BOMB',
    {
      ja: `ZIP ファイルの「${entry}」は${why}。安全のため展開を中止しました。申請データとして作成された正しい ZIP か確認してください。`,
      en: `ZIP entry ${entry} refused while inflating (${reason}, limit ${limit})`,
    },
    { detail: { entry, reason, limit } },
  );
}

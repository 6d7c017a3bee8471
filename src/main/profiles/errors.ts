// Main process. Errors of the profile and secret stores: what is kept on this computer about the
// filer (endpoint, 利用者ID, where the certificate is) and the access key kept beside it.
import { TodokeError } from '../../shared/errors.js';

export type ProfileErrorCode =
  | 'PROFILE_NAME_INVALID'
  | 'PROFILE_CORRUPT'
  | 'PROFILE_UNREADABLE'
  | 'PROFILE_WRITE_FAILED'
  | 'SECRET_STORE_UNAVAILABLE'
  | 'SECRET_CORRUPT';

export class ProfileError extends TodokeError<ProfileErrorCode> {
  constructor(code: ProfileErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'ProfileError';
  }
}

export function profileCorrupt(path: string, reasonEn: string, cause?: unknown): ProfileError {
  return new ProfileError(
    'PROFILE_CORRUPT',
    {
      ja: `保存されている利用者情報（${path}）が壊れているため読めません。設定をやり直してください（壊れた情報は削除せず、別の名前のフォルダーに移して残します）。`,
      en: `the profile ${path} is corrupt: ${reasonEn}`,
    },
    { cause, detail: { path } },
  );
}

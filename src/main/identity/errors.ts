// Main process. Errors of the identity use cases (profile set up or not, a prompt cancelled, the
// built-in sandbox not available), beside the signing and e-Gov errors they pass through.
import { TodokeError } from '../../shared/errors.js';

export type IdentityErrorCode = 'IDENTITY_NOT_SET_UP' | 'CREDENTIAL_CANCELLED' | 'CREDENTIAL_TIMEOUT' | 'SANDBOX_UNAVAILABLE' | 'CERTIFICATE_NOT_ACCEPTED';

export class IdentityError extends TodokeError<IdentityErrorCode> {
  constructor(code: IdentityErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'IdentityError';
  }
}

export function notSetUp(profile: string): IdentityError {
  return new IdentityError(
    'IDENTITY_NOT_SET_UP',
    {
      ja: '利用者IDがまだ設定されていません。先に利用者IDを登録するか、登録済みの利用者IDでログインしてください。',
      en: `profile "${profile}" is not set up: register or log in first`,
    },
    { detail: { profile } },
  );
}

export function credentialCancelled(kind: 'pin' | 'password'): IdentityError {
  return new IdentityError('CREDENTIAL_CANCELLED', {
    ja: kind === 'pin' ? 'PIN の入力が取り消されたため、中止しました。' : 'パスワードの入力が取り消されたため、中止しました。',
    en: `the ${kind === 'pin' ? 'PIN' : 'password'} prompt was cancelled`,
  });
}

export function credentialTimedOut(kind: 'pin' | 'password', minutes: number): IdentityError {
  return new IdentityError(
    'CREDENTIAL_TIMEOUT',
    {
      ja: `${kind === 'pin' ? 'PIN' : 'パスワード'}の入力を ${minutes} 分間待ちましたが入力がなかったため、中止しました。もう一度操作してください。`,
      en: `no ${kind === 'pin' ? 'PIN' : 'password'} was entered within ${minutes} minutes`,
    },
    { detail: { kind, minutes } },
  );
}

export function sandboxUnavailable(cause?: unknown): IdentityError {
  return new IdentityError(
    'SANDBOX_UNAVAILABLE',
    {
      ja: '検証用サンドボックスを使えません。アプリを再起動するか、接続先を指定してください。',
      en: 'the built-in sandbox is not available here',
    },
    { cause },
  );
}

/**
 * 利用者ID登録 went through but the 利用者認証 right after it did not: the ID exists at e-Gov and the
 * profile is kept, so what is left is a login, not another registration. The cause's code (and its
 * delivery facts) stay, so a host that reacts to the cause still can; `detail.registered` is the
 * typed mark every host reads (`isRegisteredButLoginFailed`) instead of working it out again.
 */
export function registeredButLoginFailed(userId: string, cause: unknown): unknown {
  if (!(cause instanceof TodokeError)) return cause;
  return new TodokeError(
    cause.code,
    {
      ja: `利用者ID ${userId} は e-Gov に登録し、この PC に保存しましたが、続くログイン（利用者認証）に失敗しました: ${cause.messageJa} 原因を取り除いてから、ログインし直してください（もう一度登録する必要はありません）。`,
      en: `registered ${userId}, but the login after it failed: ${cause.message}`,
    },
    { cause, detail: { ...cause.detail, registered: true, userId } },
  );
}

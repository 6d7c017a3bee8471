// Runs in every process. The one error shape that crosses process boundaries (IPC, harness, CLI
// JSON): a stable code for programs, a Japanese message for people, an English one for logs.

export interface ErrorPayload {
  code: string;
  message: string;
  messageJa: string;
  detail?: Record<string, unknown>;
}

export class TodokeError<C extends string = string> extends Error {
  readonly code: C;
  readonly messageJa: string;
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: C, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(messages.en, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TodokeError';
    this.code = code;
    this.messageJa = messages.ja;
    this.detail = options.detail;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message, messageJa: this.messageJa, ...(this.detail ? { detail: this.detail } : {}) };
  }
}

export function isTodokeError(e: unknown, code?: string): e is TodokeError {
  return e instanceof TodokeError && (code === undefined || e.code === code);
}

/** Any thrown value as a payload; unknown errors keep their text but get a generic code. */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (e instanceof TodokeError) return e.toPayload();
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message, messageJa: `予期しないエラーが発生しました: ${message}` };
}

/**
 * True for the error of a first-run set-up whose 利用者ID登録 went through and whose login after it
 * did not (src/main/identity/errors.ts `registeredButLoginFailed`): the ID exists, the profile is
 * kept, and what is left is a login. Every host reads this mark rather than working it out again.
 */
export function isRegisteredButLoginFailed(error: { detail?: Record<string, unknown> | undefined }): boolean {
  return error.detail?.registered === true;
}

// Main process (core). Errors of the application layer itself: requests that never reach a use
// case because they are not part of the contract or their arguments do not fit it.
import type { EndpointCheck } from '../../shared/endpoint.js';
import { TodokeError } from '../../shared/errors.js';
import type { SchemaIssue } from '../../shared/schema.js';

export type AppErrorCode = 'UNKNOWN_OPERATION' | 'INVALID_ARGUMENT' | 'FORBIDDEN_SENDER' | 'PASSWORD_REQUIRED';

export class AppError extends TodokeError<AppErrorCode> {
  constructor(code: AppErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'AppError';
  }
}

export function unknownOperation(name: unknown): AppError {
  const shown = typeof name === 'string' ? printable(name) : `(${name === null ? 'null' : typeof name})`;
  return new AppError(
    'UNKNOWN_OPERATION',
    {
      ja: `アプリが対応していない操作が要求されました（${shown}）。アプリを再起動してください。解決しない場合は、最新の版に更新してください。`,
      en: `unknown operation ${shown}`,
    },
    { detail: { operation: shown } },
  );
}

export function invalidArgument(operation: string, issue: SchemaIssue): AppError {
  const tooBig = issue.reason === 'tooLarge' || issue.reason === 'tooLong';
  return new AppError(
    'INVALID_ARGUMENT',
    {
      ja: tooBig
        ? `画面から渡されたデータが大きすぎます（${issue.path}）。もっと小さいファイルや値でお試しください。`
        : `画面から渡された値が正しくありません（${issue.path}）。操作をやり直してください。解決しない場合は、アプリを再起動してください。`,
      en: `invalid arguments for ${operation}: ${issue.path} ${issue.message}`,
    },
    { detail: { operation, path: issue.path, reason: issue.reason } },
  );
}

/**
 * An endpoint URL that checkEndpoint refuses, in its own words: the same message the first-run
 * form shows beside the field and the CLI prints for --endpoint.
 */
export function invalidEndpoint(operation: string, check: Extract<EndpointCheck, { ok: false }>): AppError {
  return new AppError(
    'INVALID_ARGUMENT',
    { ja: check.messageJa, en: check.message },
    { detail: { operation, path: 'args.environment.baseUrl', reason: check.code } },
  );
}

export function forbiddenSender(): AppError {
  return new AppError('FORBIDDEN_SENDER', {
    ja: 'この画面からは操作できません。Todoke のウィンドウから操作してください。',
    en: 'the request did not come from the Todoke window',
  });
}

export function passwordRequired(fileName: string): AppError {
  return new AppError(
    'PASSWORD_REQUIRED',
    {
      ja: `「${printable(fileName)}」は PKCS#12 ファイルです。証明書を読むには、ファイルのパスワードを入力してください。`,
      en: 'a PKCS#12 file needs its password',
    },
    { detail: { fileName: printable(fileName) } },
  );
}

/** Text from the untrusted side, shortened and stripped of control characters before it goes into a message. */
export function printable(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

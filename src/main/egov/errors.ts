// Main process. Every way a call to e-Gov can fail, as typed codes with Japanese messages that say
// what to do next. `delivery` tells the outbox whether the server may have acted on the request.
import { TodokeError } from '../../shared/errors.js';

export type EgovErrorCode =
  /** the connection settings cannot work (bad base URL, plain http to a remote host, no software ID) */
  | 'EGOV_CONFIG_INVALID'
  /** an argument of ours cannot be sent (user ID with illegal characters, unsafe path) */
  | 'EGOV_INVALID_ARGUMENT'
  /** refused, DNS failure, unreachable: nothing was sent */
  | 'EGOV_CONNECTION_FAILED'
  | 'EGOV_TIMEOUT'
  /** the connection dropped after the request was sent */
  | 'EGOV_CONNECTION_RESET'
  /** the server's certificate could not be verified, or the TLS handshake failed */
  | 'EGOV_TLS'
  /** 5xx without a body we can read */
  | 'EGOV_SERVER_ERROR'
  /** a status that is neither success nor an error with a readable body (3xx, 404 HTML, …) */
  | 'EGOV_UNEXPECTED_STATUS'
  | 'EGOV_RESPONSE_TOO_LARGE'
  /** not XML, no Result, an unknown Code, or a success body without the fields the API promises */
  | 'EGOV_MALFORMED_RESPONSE'
  /** Result/Code 1: the server refused the request; its Message is kept verbatim */
  | 'EGOV_API_ERROR'
  /** HTTP 401, or an /access/ call refused for its access key even after logging in again */
  | 'EGOV_AUTH_FAILED'
  /** the bank-site hand-off page would send the filer somewhere Todoke does not trust (§4.20) */
  | 'EGOV_UNSAFE_HAND_OFF';

/**
 * - `not-sent`: the request never reached the server (safe to resend).
 * - `unknown`: it may have been received and acted on (check before resending a batch).
 * - `answered`: the server answered; the answer says what happened.
 */
export type EgovDelivery = 'not-sent' | 'unknown' | 'answered';

export interface EgovErrorInit {
  delivery: EgovDelivery;
  status?: number;
  /** Result/Message exactly as the server wrote it */
  serverMessage?: string;
  cause?: unknown;
  detail?: Record<string, unknown>;
}

export class EgovError extends TodokeError<EgovErrorCode> {
  readonly delivery: EgovDelivery;
  readonly status: number | undefined;
  readonly serverMessage: string | undefined;

  constructor(code: EgovErrorCode, messages: { ja: string; en: string }, init: EgovErrorInit) {
    const detail: Record<string, unknown> = { ...init.detail, delivery: init.delivery };
    if (init.status !== undefined) detail.status = init.status;
    if (init.serverMessage !== undefined) detail.serverMessage = init.serverMessage;
    super(code, messages, { cause: init.cause, detail });
    this.name = 'EgovError';
    this.delivery = init.delivery;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
  }
}

export function isEgovError(e: unknown, code?: EgovErrorCode): e is EgovError {
  return e instanceof EgovError && (code === undefined || e.code === code);
}

export function configInvalid(reasonJa: string, reasonEn: string): EgovError {
  return new EgovError(
    'EGOV_CONFIG_INVALID',
    { ja: `e-Gov の接続設定が正しくありません（${reasonJa}）。設定画面で接続先を確認してください。`, en: `invalid e-Gov connection settings: ${reasonEn}` },
    { delivery: 'not-sent' },
  );
}

export function invalidArgument(reasonJa: string, reasonEn: string): EgovError {
  return new EgovError(
    'EGOV_INVALID_ARGUMENT',
    { ja: `${reasonJa}。入力内容を確認してください。`, en: `invalid argument: ${reasonEn}` },
    { delivery: 'not-sent' },
  );
}

export function connectionFailed(host: string, cause: unknown): EgovError {
  const code = errnoCode(cause);
  return new EgovError(
    'EGOV_CONNECTION_FAILED',
    {
      ja: `e-Gov（${host}）に接続できませんでした。ネットワークに接続されているか、接続先の設定が正しいかを確認してから、もう一度お試しください。`,
      en: `could not connect to ${host}${code ? ` (${code})` : ''}`,
    },
    { delivery: 'not-sent', cause, detail: code ? { errno: code } : {} },
  );
}

export function timedOut(host: string, phase: 'connect' | 'response', ms: number): EgovError {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (phase === 'connect') {
    return new EgovError(
      'EGOV_TIMEOUT',
      {
        ja: `e-Gov（${host}）への接続が ${seconds} 秒以内に完了しませんでした。送信はされていません。ネットワークの状態を確認してから、もう一度お試しください。`,
        en: `connecting to ${host} timed out after ${ms} ms`,
      },
      { delivery: 'not-sent', detail: { phase, timeoutMs: ms } },
    );
  }
  return new EgovError(
    'EGOV_TIMEOUT',
    {
      ja: `e-Gov（${host}）からの応答が ${seconds} 秒以内にありませんでした。送信が届いたかどうかは分かりません。しばらく待ってから状況を確認し、必要ならもう一度お試しください。`,
      en: `no complete response from ${host} within ${ms} ms`,
    },
    { delivery: 'unknown', detail: { phase, timeoutMs: ms } },
  );
}

export function connectionReset(host: string, cause: unknown, midResponse: boolean): EgovError {
  return new EgovError(
    'EGOV_CONNECTION_RESET',
    {
      ja: `e-Gov（${host}）との通信が途中で切断されました。送信が届いたかどうかは分かりません。しばらく待ってから状況を確認し、必要ならもう一度お試しください。`,
      en: `connection to ${host} was reset ${midResponse ? 'while receiving the response' : 'before a response arrived'}`,
    },
    { delivery: 'unknown', cause, detail: { phase: midResponse ? 'mid-response' : 'before-response' } },
  );
}

export function tlsFailed(host: string, cause: unknown): EgovError {
  const code = errnoCode(cause);
  return new EgovError(
    'EGOV_TLS',
    {
      ja:
        `e-Gov（${host}）の証明書を確認できなかったため、接続を中止しました。送信はされていません。` +
        '接続先のアドレスが正しいか確認してください。社内のプロキシなどを経由する場合は、その認証局の証明書を接続設定に追加してください。',
      en: `TLS verification of ${host} failed${code ? ` (${code})` : ''}`,
    },
    { delivery: 'not-sent', cause, detail: code ? { tlsError: code } : {} },
  );
}

export function serverError(status: number, cause?: unknown): EgovError {
  return new EgovError(
    'EGOV_SERVER_ERROR',
    {
      ja: `e-Gov のサーバーでエラーが発生しました（HTTP ${status}）。送信が処理されたかどうかは分かりません。しばらく待ってから状況を確認し、必要ならもう一度お試しください。`,
      en: `e-Gov server error (HTTP ${status}) without a readable body`,
    },
    { delivery: 'answered', status, cause },
  );
}

export function unexpectedStatus(status: number, cause?: unknown): EgovError {
  return new EgovError(
    'EGOV_UNEXPECTED_STATUS',
    {
      ja: `e-Gov から想定外の応答（HTTP ${status}）が返りました。接続先の URL の設定を確認してください。`,
      en: `unexpected HTTP status ${status} without a readable body`,
    },
    { delivery: 'answered', status, cause },
  );
}

export function responseTooLarge(host: string, limitBytes: number): EgovError {
  const mb = Math.max(1, Math.round(limitBytes / (1024 * 1024)));
  return new EgovError(
    'EGOV_RESPONSE_TOO_LARGE',
    {
      ja: `e-Gov（${host}）からの応答が上限（約 ${mb} MB）を超えたため、受信を中止しました。接続先の設定が正しいか確認してください。`,
      en: `response from ${host} exceeded ${limitBytes} bytes`,
    },
    { delivery: 'unknown', detail: { limitBytes } },
  );
}

export function malformedResponse(reasonJa: string, reasonEn: string, init: { status?: number; cause?: unknown } = {}): EgovError {
  return new EgovError(
    'EGOV_MALFORMED_RESPONSE',
    {
      ja: `e-Gov から読み取れない形式の応答が返りました（${reasonJa}）。しばらく待ってからもう一度お試しください。続く場合は接続先の設定を確認してください。`,
      en: `malformed e-Gov response: ${reasonEn}`,
    },
    { delivery: init.status === undefined ? 'unknown' : 'answered', status: init.status, cause: init.cause, detail: { reason: reasonEn, reasonJa } },
  );
}

export function unsafeHandOff(reasonJa: string, reasonEn: string, status: number): EgovError {
  return new EgovError(
    'EGOV_UNSAFE_HAND_OFF',
    {
      ja: `金融機関サイトへの移動を中止しました（${reasonJa}）。納付は行われていません。電子納付情報一覧の納付番号・確認番号・収納機関番号で ATM やインターネットバンキングから納付するか、時間をおいてやり直してください。`,
      en: `bank-site hand-off refused: ${reasonEn}`,
    },
    { delivery: 'answered', status, detail: { reason: reasonEn, reasonJa } },
  );
}

export function apiError(status: number, serverMessage: string): EgovError {
  const shown = serverMessage.trim() || '（メッセージなし）';
  return new EgovError(
    'EGOV_API_ERROR',
    {
      ja: `e-Gov が要求を受け付けませんでした（HTTP ${status}）: ${shown} メッセージの内容を確認し、必要な対応をしてからもう一度お試しください。`,
      en: `e-Gov refused the request (HTTP ${status}, Code 1): ${serverMessage}`,
    },
    { delivery: 'answered', status, serverMessage },
  );
}

export function authFailed(status: number, serverMessage: string | undefined, afterRelogin = false): EgovError {
  const server = serverMessage?.trim() ? ` サーバーのメッセージ: ${serverMessage.trim()}` : '';
  const ja = afterRelogin
    ? `e-Gov での認証に失敗しました（HTTP ${status}）。ログインし直しても受け付けられませんでした。ソフトウェアID、利用者ID、証明書の登録状況を確認してください。${server}`
    : `e-Gov での認証に失敗しました（HTTP ${status}）。もう一度ログインしてください。続く場合は、ソフトウェアIDと（検証環境では）Basic認証のID・パスワードの設定を確認してください。${server}`;
  return new EgovError(
    'EGOV_AUTH_FAILED',
    { ja, en: `e-Gov authentication failed (HTTP ${status})${afterRelogin ? ' after logging in again' : ''}${serverMessage ? `: ${serverMessage}` : ''}` },
    { delivery: 'answered', status, serverMessage },
  );
}

function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Why a request's outcome is not known, in Japanese words for a message that names what to check. */
export function deliveryReasonJa(e: EgovError): string {
  switch (e.code) {
    case 'EGOV_TIMEOUT':
      return '応答が時間内にありませんでした';
    case 'EGOV_CONNECTION_RESET':
      return '通信が途中で切断されました';
    case 'EGOV_RESPONSE_TOO_LARGE':
      return '応答が大きすぎるため受信を中止しました';
    case 'EGOV_MALFORMED_RESPONSE':
      return '応答を読み取れませんでした';
    case 'EGOV_API_ERROR':
      return `サーバーエラー HTTP ${e.status ?? '?'}: ${e.serverMessage?.trim() || 'メッセージなし'}`;
    default:
      return e.status === undefined ? '通信に失敗しました' : `サーバーエラー HTTP ${e.status}`;
  }
}

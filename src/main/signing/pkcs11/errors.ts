// Main process. Every PKCS#11 failure (pkcs11js NativeError / Pkcs11Error, CKR_* codes) as a
// SigningError with a Japanese message that says what to do. Pure: no module is touched, so each
// mapping is unit-testable with the real pkcs11js constants. Never give this function a PIN: the
// context carries only names, and pkcs11js errors carry only the CKR name and the function.
import pkcs11js from 'pkcs11js';
import { SigningError, type SigningErrorCode } from '../errors.js';

export type Pkcs11Operation =
  | 'load'
  | 'initialize'
  | 'listSlots'
  | 'tokenInfo'
  | 'mechanisms'
  | 'openSession'
  | 'findObjects'
  | 'login'
  | 'sign'
  | 'logout';

export interface Pkcs11ErrorContext {
  operation: Pkcs11Operation;
  modulePath?: string;
  tokenLabel?: string;
}

const CKR_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(pkcs11js as unknown as Record<string, unknown>)
    .filter((entry): entry is [string, number] => entry[0].startsWith('CKR_') && typeof entry[1] === 'number')
    .map(([name, value]) => [value, name]),
);

/** The CKR_* name of a pkcs11js error (by its numeric code, else from its message), or null. */
export function ckrName(e: unknown): string | null {
  if (typeof e !== 'object' || e === null) return null;
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (typeof message === 'string') {
    const named = /\bCKR_[A-Z0-9_]+/.exec(message)?.[0];
    if (named) return named;
  }
  if (typeof code === 'number' && code !== 0) return CKR_NAMES.get(code) ?? null;
  return null;
}

const TOKEN_GONE = new Set([
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_DEVICE_REMOVED',
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_TOKEN_NOT_RECOGNIZED',
  'CKR_SLOT_ID_INVALID',
  // object handles only die under us when the token was swapped or re-initialized (SoftHSM answers
  // a deleted token this way)
  'CKR_OBJECT_HANDLE_INVALID',
  'CKR_KEY_HANDLE_INVALID',
]);

/** The card is gone or was swapped: whatever the library answered (`cause`), this is the news. */
export function tokenRemovedError(context: Pkcs11ErrorContext, cause: unknown): SigningError {
  const ckr = ckrName(cause);
  const where = context.tokenLabel ? `「${context.tokenLabel}」` : '';
  return new SigningError(
    'PKCS11_TOKEN_REMOVED',
    {
      ja: `IC カード${where}が取り外されたか、読み取れなくなりました。カードをリーダーに差し直してから、もう一度署名してください。`,
      en: `token removed or changed${ckr ? ` (${ckr})` : ''}`,
    },
    { cause, detail: { operation: context.operation, ...(ckr ? { ckr } : {}), ...(context.tokenLabel !== undefined ? { tokenLabel: context.tokenLabel } : {}) } },
  );
}

export function mapPkcs11Error(e: unknown, context: Pkcs11ErrorContext): SigningError {
  if (e instanceof SigningError) return e;
  const ckr = ckrName(e);
  const detail: Record<string, unknown> = {
    operation: context.operation,
    ...(ckr ? { ckr } : {}),
    ...(context.modulePath ? { modulePath: context.modulePath } : {}),
    ...(context.tokenLabel !== undefined ? { tokenLabel: context.tokenLabel } : {}),
  };
  const make = (code: SigningErrorCode, ja: string, en: string): SigningError => new SigningError(code, { ja, en }, { cause: e, detail });
  const where = context.tokenLabel ? `「${context.tokenLabel}」` : '';

  if (context.operation === 'load' || context.operation === 'initialize') {
    const path = context.modulePath ?? '(不明)';
    const reason = ckr ?? (e instanceof Error ? e.message : String(e));
    return make(
      'PKCS11_MODULE_LOAD',
      `IC カードのドライバ（PKCS#11 モジュール）「${path}」を読み込めませんでした。設定したファイルの場所が正しいか、カードのドライバがインストールされているかを確かめてください。`,
      `cannot ${context.operation === 'load' ? 'load' : 'initialize'} PKCS#11 module ${path}: ${reason}`,
    );
  }

  switch (ckr) {
    case 'CKR_PIN_INCORRECT':
    case 'CKR_PIN_INVALID':
      return make('PIN_INCORRECT', 'PIN が違います。PIN を確かめて、もう一度入力してください。', `PIN incorrect (${ckr})`);
    case 'CKR_PIN_LEN_RANGE':
      return make('PIN_LEN_RANGE', 'PIN の桁数が正しくありません。IC カードの PIN を確かめて、もう一度入力してください。', 'PIN length out of range');
    case 'CKR_PIN_LOCKED':
      return make(
        'PIN_LOCKED',
        `IC カード${where}の PIN がロックされています。このカードでは署名できません。カードの発行元の案内に従ってロックを解除してください。`,
        'PIN locked',
      );
    case 'CKR_PIN_EXPIRED':
      return make('PKCS11_FAILURE', `IC カード${where}の PIN の有効期限が切れています。カード付属のツールで PIN を変更してから、もう一度署名してください。`, 'PIN expired');
    case 'CKR_MECHANISM_INVALID':
    case 'CKR_MECHANISM_PARAM_INVALID':
      return make('PKCS11_NO_MECHANISM', `IC カード${where}は RSA-SHA256 の署名に対応していません。別のカードを使ってください。`, `signing mechanism not supported (${ckr})`);
    case 'CKR_KEY_FUNCTION_NOT_PERMITTED':
    case 'CKR_KEY_TYPE_INCONSISTENT':
      return make('PKCS11_NO_KEY', `IC カード${where}の鍵は電子署名に使えない鍵です。署名用の証明書を選んでください。`, `key cannot sign (${ckr})`);
    default:
      break;
  }
  if (ckr && TOKEN_GONE.has(ckr)) return tokenRemovedError(context, e);
  return make(
    'PKCS11_FAILURE',
    `IC カード${where}の操作に失敗しました（${ckr ?? 'エラー'}）。カードを差し直して、もう一度お試しください。続く場合はカードのドライバを確かめてください。`,
    `PKCS#11 ${context.operation} failed: ${ckr ?? (e instanceof Error ? e.message : String(e))}`,
  );
}

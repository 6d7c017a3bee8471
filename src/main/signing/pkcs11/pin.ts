// Main process. The PIN conversation with the UI: what the token's flags say before each prompt,
// and the warning the prompt should show. Pure functions over CK_TOKEN_INFO.flags.
import pkcs11js from 'pkcs11js';

export interface TokenFlags {
  loginRequired: boolean;
  userPinInitialized: boolean;
  /** the last PIN try failed (cards set it when the remaining count is low) */
  pinCountLow: boolean;
  /** one more wrong PIN locks the card */
  pinFinalTry: boolean;
  pinLocked: boolean;
  tokenInitialized: boolean;
}

export function tokenFlags(flags: number): TokenFlags {
  const has = (bit: number): boolean => (flags & bit) !== 0;
  return {
    loginRequired: has(pkcs11js.CKF_LOGIN_REQUIRED),
    userPinInitialized: has(pkcs11js.CKF_USER_PIN_INITIALIZED),
    pinCountLow: has(pkcs11js.CKF_USER_PIN_COUNT_LOW),
    pinFinalTry: has(pkcs11js.CKF_USER_PIN_FINAL_TRY),
    pinLocked: has(pkcs11js.CKF_USER_PIN_LOCKED),
    tokenInitialized: has(pkcs11js.CKF_TOKEN_INITIALIZED),
  };
}

/** What the UI gets before each PIN prompt. The flags are read fresh from the token every time. */
export interface PinRequest {
  tokenLabel: string;
  tokenSerial: string;
  /** 1 for the first prompt, +1 after each rejected PIN */
  attempt: number;
  previousError?: 'PIN_INCORRECT' | 'PIN_LEN_RANGE';
  pinCountLow: boolean;
  pinFinalTry: boolean;
}

/** Returns the PIN, or null when the user cancels. The provider decides when to stop asking. */
export type PinProvider = (request: PinRequest) => Promise<string | null>;

export function pinRequest(
  token: { label: string; serial: string },
  flags: Pick<TokenFlags, 'pinCountLow' | 'pinFinalTry'>,
  attempt: number,
  previousError?: 'PIN_INCORRECT' | 'PIN_LEN_RANGE',
): PinRequest {
  return {
    tokenLabel: token.label,
    tokenSerial: token.serial,
    attempt,
    ...(previousError ? { previousError } : {}),
    pinCountLow: flags.pinCountLow,
    pinFinalTry: flags.pinFinalTry,
  };
}

/** The warning to show above the PIN field, most serious first; null when there is none. */
export function pinWarning(flags: { pinCountLow: boolean; pinFinalTry: boolean; pinLocked?: boolean }): string | null {
  if (flags.pinLocked) return 'PIN がロックされています。このカードでは署名できません。カードの発行元の案内に従ってロックを解除してください。';
  if (flags.pinFinalTry) return '次に間違えると IC カードがロックされます。PIN を確かめてから入力してください。';
  if (flags.pinCountLow) return 'PIN の残り入力回数が少なくなっています。PIN を確かめてから入力してください。';
  return null;
}

/** The message for a re-prompt after a rejected PIN. */
export function pinRetryMessage(previousError: PinRequest['previousError']): string | null {
  if (previousError === 'PIN_INCORRECT') return 'PIN が違います。もう一度入力してください。';
  if (previousError === 'PIN_LEN_RANGE') return 'PIN の桁数が正しくありません。もう一度入力してください。';
  return null;
}

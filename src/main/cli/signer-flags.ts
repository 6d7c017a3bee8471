// Main process (CLI host). The flags that name a signer, shared by every command that signs:
//   --p12 FILE | --key FILE --cert FILE                                   with --password-env VAR or a prompt
//   --pkcs11-module PATH --token LABEL | --token-serial SERIAL [--cert-id HEX]   with --pin-env VAR or a prompt
// turned into the SignerReference a profile keeps. Opening it (and asking for its secret) is
// open-signer.ts for the sign commands and the core's IdentityService for the identity commands,
// both through credentials.ts.
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { SignerReference } from '../profiles/profile.js';
import { listTokens, selectToken } from '../signing/pkcs11/index.js';
import type { CliIo } from './io.js';
import { shown } from './shown.js';
import { UsageError } from './usage-error.js';

export const signerOptions = {
  p12: { type: 'string' },
  key: { type: 'string' },
  cert: { type: 'string' },
  'password-env': { type: 'string' },
  'pkcs11-module': { type: 'string' },
  token: { type: 'string' },
  'token-serial': { type: 'string' },
  'cert-id': { type: 'string' },
  'pin-env': { type: 'string' },
} as const;

export type SignerFlags = Partial<Record<keyof typeof signerOptions, string>>;

export const SIGNER_FLAGS = Object.keys(signerOptions) as (keyof typeof signerOptions)[];
/** the flags that choose a signer (not the ones that only pass its secret) */
const SIGNER_CHOICE_FLAGS = ['p12', 'key', 'cert', 'pkcs11-module', 'token', 'token-serial', 'cert-id'] as const;

export function hasSignerChoice(flags: SignerFlags): boolean {
  return SIGNER_CHOICE_FLAGS.some((n) => flags[n] !== undefined);
}

/** null when no signer flag was given. */
export async function signerReferenceFromFlags(flags: SignerFlags, io: CliIo): Promise<SignerReference | null> {
  const kinds = [flags.p12 !== undefined, flags.key !== undefined || flags.cert !== undefined, flags['pkcs11-module'] !== undefined].filter(Boolean).length;
  if (kinds === 0) {
    if (flags.token !== undefined || flags['token-serial'] !== undefined || flags['cert-id'] !== undefined) throw tokenFlagsAlone();
    return null;
  }
  if (kinds > 1) throw new UsageError('証明書の指定は 1 種類だけにしてください（--p12、--key と --cert、--pkcs11-module のどれか）。', 'give only one kind of signer');

  if (flags['pkcs11-module'] !== undefined) {
    if (flags['password-env'] !== undefined) throw new UsageError('IC カードの PIN は --password-env ではなく --pin-env で渡してください。', 'use --pin-env for a token PIN');
    return tokenReference(flags, io);
  }
  if (flags['pin-env'] !== undefined) throw new UsageError('証明書ファイルのパスワードは --pin-env ではなく --password-env で渡してください。', 'use --password-env for a file password');
  if (flags.token !== undefined || flags['token-serial'] !== undefined || flags['cert-id'] !== undefined) throw tokenFlagsAlone();
  if (flags.p12 !== undefined) {
    const path = resolve(io.cwd, flags.p12);
    return { kind: 'file', path, displayName: displayName(path) };
  }
  if (flags.key === undefined || flags.cert === undefined) {
    throw new UsageError('--key（秘密鍵）と --cert（証明書）は両方指定してください。', '--key and --cert go together');
  }
  const path = resolve(io.cwd, flags.key);
  return { kind: 'file', path, certificatePath: resolve(io.cwd, flags.cert), displayName: displayName(path) };
}

/** For a command that cannot go on without a signer. */
export function noSigner(): UsageError {
  return new UsageError(
    '署名に使う証明書を指定してください: --p12 ファイル、--key と --cert、または --pkcs11-module と --token。',
    'choose a signer: --p12 FILE, --key FILE --cert FILE, or --pkcs11-module PATH --token LABEL',
  );
}

function tokenFlagsAlone(): UsageError {
  return new UsageError('--token / --token-serial / --cert-id は --pkcs11-module と一緒に指定してください。', '--token goes with --pkcs11-module');
}

async function tokenReference(flags: SignerFlags, io: CliIo): Promise<SignerReference> {
  const modulePath = resolve(io.cwd, flags['pkcs11-module'] as string);
  const label = flags.token;
  const serial = flags['token-serial'];
  if (label === undefined && serial === undefined) {
    throw new UsageError('IC カード/トークンを --token ラベル または --token-serial シリアル番号 で指定してください。', 'name the token with --token LABEL or --token-serial SERIAL');
  }
  const certId = flags['cert-id'] ?? '';
  if (!/^(?:[0-9a-fA-F]{2}){0,256}$/.test(certId)) {
    throw new UsageError('--cert-id は証明書の ID を 16 進数（例: 01、a1b2）で指定してください。', '--cert-id must be hex');
  }
  if (modulePath.length > 4096 || !(await isFile(modulePath))) {
    throw new UsageError(
      `PKCS#11 モジュール「${shown(modulePath)}」が見つかりません。IC カードのドライバーが入っているか、パスが正しいかを確かめてください。`,
      'the PKCS#11 module file does not exist',
    );
  }
  // The reference keeps both label and serial; the one not given is read from the token (no PIN needed).
  const token = selectToken(await listTokens(modulePath), { ...(label !== undefined ? { label } : {}), ...(serial !== undefined ? { serial } : {}) });
  if (token.label.length > 64 || token.serial.length > 64) throw new UsageError('IC カードのラベルかシリアル番号が長すぎます。', 'token label or serial too long');
  return { kind: 'pkcs11', modulePath, tokenLabel: token.label, tokenSerial: token.serial, certId: certId.toLowerCase() };
}

function displayName(path: string): string {
  return basename(path).slice(0, 255) || 'certificate';
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

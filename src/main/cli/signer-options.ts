// Main process (CLI host). Turns the signer flags shared by every signing command into a Signer:
//   --p12 FILE | --key FILE --cert FILE   with --password-env VAR
//   --pkcs11-module PATH --token LABEL | --token-serial SERIAL [--cert-id HEX]   with --pin-env VAR or a prompt
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Signer } from '../signing/signer.js';
import { openCertificateFile, openPemKeyAndCertificate } from '../signing/file-signer.js';
import { openPkcs11Signer, pinWarning, type PinRequest } from '../signing/pkcs11/index.js';
import { SigningError } from '../signing/errors.js';
import type { CliIo } from './io.js';
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

export async function openSignerFromFlags(flags: SignerFlags, io: CliIo): Promise<Signer> {
  const kinds = [flags.p12 !== undefined, flags.key !== undefined || flags.cert !== undefined, flags['pkcs11-module'] !== undefined].filter(Boolean).length;
  if (kinds === 0) {
    throw new UsageError(
      '署名に使う証明書を指定してください: --p12 ファイル、--key と --cert、または --pkcs11-module と --token。',
      'choose a signer: --p12 FILE, --key FILE --cert FILE, or --pkcs11-module PATH --token LABEL',
    );
  }
  if (kinds > 1) throw new UsageError('証明書の指定は 1 種類だけにしてください。', 'give only one kind of signer');

  if (flags['pkcs11-module'] !== undefined) return openTokenSigner(flags, io);

  const secret = readSecretEnv(flags['password-env'], io, 'パスワード');
  if (flags.p12 !== undefined) return openCertificateFile(resolve(io.cwd, flags.p12), secret ?? '');
  if (flags.key === undefined || flags.cert === undefined) {
    throw new UsageError('--key と --cert は両方指定してください。', '--key and --cert go together');
  }
  const [keyBytes, certBytes] = await Promise.all([readInput(io, flags.key), readInput(io, flags.cert)]);
  return openPemKeyAndCertificate(keyBytes, certBytes, secret);
}

async function openTokenSigner(flags: SignerFlags, io: CliIo): Promise<Signer> {
  const modulePath = flags['pkcs11-module'] as string;
  if (flags.token === undefined && flags['token-serial'] === undefined) {
    throw new UsageError('IC カード/トークンを --token ラベル または --token-serial シリアル番号 で指定してください。', 'name the token with --token LABEL or --token-serial SERIAL');
  }
  const envPin = readSecretEnv(flags['pin-env'], io, 'PIN');
  const pinProvider = async (request: PinRequest): Promise<string | null> => {
    if (envPin !== undefined) {
      // A PIN from the environment is tried once: retrying a wrong PIN would only burn the
      // card's remaining tries.
      if (request.attempt === 1) return envPin;
      io.stderr(
        `環境変数 ${flags['pin-env']} の PIN は受け付けられませんでした（${request.previousError === 'PIN_LEN_RANGE' ? '桁数が正しくありません' : 'PIN が違います'}）。IC カードのロックを避けるため、再試行はしません。\n`,
      );
      return null;
    }
    const lines = pinPromptLines(request);
    lines.push(`「${request.tokenLabel}」の PIN を入力してください（空のまま Enter で中止）: `);
    const pin = await io.promptSecret(lines.join('\n'));
    return pin === null || pin === '' ? null : pin;
  };
  return openPkcs11Signer({
    modulePath,
    token: { ...(flags.token !== undefined ? { label: flags.token } : {}), ...(flags['token-serial'] !== undefined ? { serial: flags['token-serial'] } : {}) },
    ...(flags['cert-id'] !== undefined ? { certId: flags['cert-id'] } : {}),
    pinProvider,
  });
}

/** What a PIN prompt says before its question: why the last PIN failed, and how close the card is to locking. */
export function pinPromptLines(request: { previousError?: string | null; pinCountLow: boolean; pinFinalTry: boolean }): string[] {
  const lines: string[] = [];
  if (request.previousError === 'PIN_INCORRECT') lines.push('PIN が違います。');
  if (request.previousError === 'PIN_LEN_RANGE') lines.push('PIN の桁数が正しくありません。');
  const warning = pinWarning({ pinCountLow: request.pinCountLow, pinFinalTry: request.pinFinalTry });
  if (warning) lines.push(warning);
  return lines;
}

function readSecretEnv(name: string | undefined, io: CliIo, what: string): string | undefined {
  if (name === undefined) return undefined;
  const value = io.env[name];
  if (value === undefined) {
    throw new UsageError(`環境変数 ${name} が設定されていません（${what}を入れてください）。`, `environment variable ${name} is not set`);
  }
  return value;
}

export async function readInput(io: CliIo, path: string): Promise<Buffer> {
  try {
    return await readFile(resolve(io.cwd, path));
  } catch (cause) {
    throw new SigningError(
      'CERT_FILE_UNREADABLE',
      { ja: `ファイル ${path} を読み込めませんでした。パスと読み取り権限を確かめてください。`, en: `cannot read ${path}` },
      { cause },
    );
  }
}

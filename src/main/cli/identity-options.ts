// Main process (CLI host). What the identity commands (register, login, whoami, cert, profile)
// share: their flags, the endpoint and signer flags turned into the core's EnvironmentSetting and
// SignerReference, the CLI's answer to the core's password / PIN requests, certificate files named
// on the command line, and the IdentityService of one profile under $TODOKE_HOME.
import type { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CredentialPurpose } from '../../shared/domain.js';
import { SOFTWARE_ID_PATTERN, USER_ID_PATTERN } from '../../shared/contract.js';
import { isTodokeError } from '../../shared/errors.js';
import { embeddedSandbox, type EmbeddedSandbox } from '../app/embedded-sandbox.js';
import { IdentityService } from '../identity/service.js';
import { MAX_PASSWORD_ATTEMPTS, type AskSecret, type CredentialAsk } from '../identity/signer-reference.js';
import { DEFAULT_PROFILE, type EnvironmentSetting, type Profile, type SignerReference } from '../profiles/profile.js';
import { ProfileStore } from '../profiles/profile-store.js';
import { FileSecretStore } from '../profiles/secret-store.js';
import { parseCertificate, parseCertificates } from '../signing/certificate.js';
import { SigningError } from '../signing/errors.js';
import { MAX_CERTIFICATE_FILE_BYTES, openPkcs12 } from '../signing/file-signer.js';
import { listTokens, selectToken } from '../signing/pkcs11/index.js';
import { CliError } from './cli-error.js';
import { todokeHome } from '../profiles/home.js';
import type { CliIo } from './io.js';
import { pinPromptLines, signerOptions } from './signer-options.js';
import { UsageError } from './usage-error.js';
import { printable } from '../app/errors.js';

export const endpointOptions = {
  sandbox: { type: 'boolean' },
  endpoint: { type: 'string' },
  'software-id': { type: 'string' },
  ca: { type: 'string' },
  'basic-auth-user': { type: 'string' },
  'basic-auth-password-env': { type: 'string' },
} as const;

export const identityOptions = {
  ...signerOptions,
  ...endpointOptions,
  profile: { type: 'string' },
  json: { type: 'boolean' },
  'user-id': { type: 'string' },
  'show-key': { type: 'boolean' },
  old: { type: 'string' },
  'file-password-env': { type: 'string' },
} as const;

export type IdentityOption = keyof typeof identityOptions;
export type IdentityFlags = { [K in IdentityOption]?: (typeof identityOptions)[K]['type'] extends 'boolean' ? boolean : string };

export const SIGNER_FLAGS = ['p12', 'key', 'cert', 'password-env', 'pkcs11-module', 'token', 'token-serial', 'cert-id', 'pin-env'] as const satisfies readonly IdentityOption[];
export const ENDPOINT_FLAGS = Object.keys(endpointOptions) as IdentityOption[];
/** the flags that choose a signer (not the ones that only pass its secret) */
const SIGNER_CHOICE_FLAGS = ['p12', 'key', 'cert', 'pkcs11-module', 'token', 'token-serial', 'cert-id'] as const satisfies readonly IdentityOption[];

/**
 * Parses the flags of one identity command. Every identity flag is known to the parser, so a flag
 * of another identity command gets a message saying where it belongs rather than "unknown option".
 */
export function parseIdentityArgs(
  command: string,
  args: string[],
  allowed: readonly IdentityOption[],
  positionals: { min: number; max: number; what?: string } = { min: 0, max: 0 },
): { flags: IdentityFlags; positionals: string[] } {
  const parsed = parseArgs({ args, options: identityOptions, strict: true, allowPositionals: true });
  const flags = parsed.values as IdentityFlags;
  const allow = new Set<string>(['profile', 'json', ...allowed]);
  for (const name of Object.keys(flags)) {
    if (!allow.has(name)) {
      throw new UsageError(`--${name} は todoke ${command} では使えません。todoke help で使い方を確かめてください。`, `--${name} does not apply to todoke ${command}`);
    }
  }
  const rest = parsed.positionals;
  if (rest.length < positionals.min) {
    throw new UsageError(`${positionals.what ?? '引数'}を指定してください（todoke ${command} ${positionals.what ?? ''}）。`, `todoke ${command}: missing ${positionals.what ?? 'argument'}`);
  }
  if (rest.length > positionals.max) {
    throw new UsageError(`余分な引数があります: ${shown(rest.slice(positionals.max).join(' '))}`, `todoke ${command}: unexpected argument`);
  }
  return { flags, positionals: rest };
}

export function profileNameOf(flags: IdentityFlags): string {
  return flags.profile ?? DEFAULT_PROFILE;
}

export function hasAny(flags: IdentityFlags, names: readonly IdentityOption[]): boolean {
  return names.some((n) => flags[n] !== undefined);
}

export function hasSignerChoice(flags: IdentityFlags): boolean {
  return hasAny(flags, SIGNER_CHOICE_FLAGS);
}

export function hasEndpoint(flags: IdentityFlags): boolean {
  return hasAny(flags, ENDPOINT_FLAGS);
}

// ---------------------------------------------------------------------------------------------
// 利用者ID

export function userIdFrom(flags: IdentityFlags): string {
  const userId = flags['user-id'];
  if (userId === undefined) {
    throw new UsageError('--user-id に利用者IDを指定してください。', '--user-id ID is required');
  }
  if (!USER_ID_PATTERN.test(userId)) {
    throw new UsageError(
      `利用者ID「${shown(userId)}」は使えません。利用者IDは半角の英数字・記号で、空白を含めず 64 文字以内です。`,
      'the user ID must be 1-64 printable ASCII characters without spaces',
    );
  }
  return userId;
}

// ---------------------------------------------------------------------------------------------
// Endpoint: --sandbox, or --endpoint URL --software-id ID [--ca FILE] [--basic-auth-user U --basic-auth-password-env VAR]

export interface EndpointChoice {
  environment: EnvironmentSetting;
  basicAuthPassword?: string;
}

const ENDPOINT_HINT = '--endpoint URL --software-id ID（e-Gov や検証環境）か --sandbox（組み込みの検証用サンドボックス）';

/** null when no endpoint flag was given. */
export async function endpointFromFlags(flags: IdentityFlags, io: CliIo): Promise<EndpointChoice | null> {
  const extras = (['software-id', 'ca', 'basic-auth-user', 'basic-auth-password-env'] as const).filter((n) => flags[n] !== undefined);
  if (flags.sandbox) {
    if (flags.endpoint !== undefined) throw new UsageError('--sandbox と --endpoint は、どちらか一方だけを指定してください。', 'give --sandbox or --endpoint, not both');
    if (extras.length) {
      throw new UsageError(`${extras.map((n) => `--${n}`).join('、')} は --endpoint と一緒に使います（--sandbox では不要です）。`, `${extras.join(', ')} go with --endpoint`);
    }
    return { environment: { kind: 'sandbox' } };
  }
  if (flags.endpoint === undefined) {
    if (extras.length) {
      throw new UsageError(`${extras.map((n) => `--${n}`).join('、')} は --endpoint URL と一緒に指定してください。`, `${extras.join(', ')} go with --endpoint`);
    }
    return null;
  }
  const baseUrl = checkEndpointUrl(flags.endpoint.trim());
  const softwareId = flags['software-id'];
  if (softwareId === undefined) {
    throw new UsageError('--endpoint を使うときは --software-id にソフトウェアID（e-Gov から発行された ID）も指定してください。', '--endpoint needs --software-id');
  }
  if (!SOFTWARE_ID_PATTERN.test(softwareId)) {
    throw new UsageError('--software-id は半角の英数字・記号で、空白を含めず 128 文字以内です。', '--software-id must be 1-128 printable ASCII characters');
  }
  const environment: Extract<EnvironmentSetting, { kind: 'custom' }> = { kind: 'custom', baseUrl, softwareId };
  if (flags.ca !== undefined) environment.caPem = await readCaFile(io, flags.ca);

  const user = flags['basic-auth-user'];
  if (user === undefined) {
    if (flags['basic-auth-password-env'] !== undefined) throw new UsageError('--basic-auth-password-env は --basic-auth-user と一緒に指定してください。', '--basic-auth-password-env needs --basic-auth-user');
    return { environment };
  }
  // eslint-disable-next-line no-control-regex
  if (user === '' || user.length > 256 || user.includes(':') || /[\u0000-\u001f\u007f]/.test(user)) {
    throw new UsageError('--basic-auth-user の ID が正しくありません（空、「:」や制御文字を含む、または長すぎます）。', 'invalid --basic-auth-user');
  }
  environment.basicAuthUser = user;
  const envName = flags['basic-auth-password-env'];
  let password: string | null;
  if (envName !== undefined) {
    password = readEnvSecret(io, 'basic-auth-password-env', envName, 'Basic認証のパスワード');
  } else {
    password = await io.promptSecret(`Basic認証（ユーザー ${shown(user)}）のパスワードを入力してください: `);
    if (password === null) {
      throw new CliError('CREDENTIAL_MISSING', {
        ja: 'Basic認証のパスワードが入力されなかったため、中止しました。端末から実行して入力するか、--basic-auth-password-env 環境変数名 で渡してください。',
        en: 'no Basic auth password: run in a terminal or pass --basic-auth-password-env',
      });
    }
  }
  return { environment, basicAuthPassword: password };
}

export function requireEndpoint(choice: EndpointChoice | null): EndpointChoice {
  if (!choice) throw new UsageError(`接続先を指定してください: ${ENDPOINT_HINT}。`, 'choose an endpoint: --endpoint URL --software-id ID, or --sandbox');
  return choice;
}

function checkEndpointUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--endpoint の URL「${shown(text)}」が正しくありません。https://ホスト名/shinsei/1/ の形で指定してください。`, '--endpoint is not a URL');
  }
  if (url.username || url.password) {
    throw new UsageError('--endpoint の URL に ID・パスワードを含めないでください。Basic認証は --basic-auth-user と --basic-auth-password-env で指定します。', '--endpoint carries credentials');
  }
  if (url.search || url.hash) throw new UsageError('--endpoint の URL に ? や # は使えません。', '--endpoint has a query or fragment');
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname)) {
      throw new UsageError(
        `暗号化されていない http は、この PC 内の検証用サーバー（127.0.0.1 や localhost）にしか使えません。--endpoint には https の URL を指定してください。`,
        'plain http is only allowed to a loopback host',
      );
    }
  } else if (url.protocol !== 'https:') {
    throw new UsageError('--endpoint の URL は https:// で始めてください。', '--endpoint must be https');
  }
  if (text.length > 2048) throw new UsageError('--endpoint の URL が長すぎます。', '--endpoint is too long');
  return text;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

async function readCaFile(io: CliIo, path: string): Promise<string> {
  const bytes = await readSmallFile(io, path, 'CA 証明書ファイル');
  const pem = parseCertificates(bytes)
    .map((c) => c.toString())
    .join('');
  if (pem.length > 64 * 1024) throw new UsageError('--ca のファイルに含まれる証明書が多すぎます（PEM で 64 KiB まで）。', '--ca holds too many certificates');
  return pem;
}

// ---------------------------------------------------------------------------------------------
// Signer flags -> SignerReference (what the profile keeps; the signer itself is opened by the core)

/** null when no signer flag was given. */
export async function signerReferenceFromFlags(flags: IdentityFlags, io: CliIo): Promise<SignerReference | null> {
  const kinds = [flags.p12 !== undefined, flags.key !== undefined || flags.cert !== undefined, flags['pkcs11-module'] !== undefined].filter(Boolean).length;
  if (kinds === 0) {
    if (flags.token !== undefined || flags['token-serial'] !== undefined || flags['cert-id'] !== undefined) {
      throw new UsageError('--token / --token-serial / --cert-id は --pkcs11-module と一緒に指定してください。', '--token goes with --pkcs11-module');
    }
    return null;
  }
  if (kinds > 1) throw new UsageError('証明書の指定は 1 種類だけにしてください（--p12、--key と --cert、--pkcs11-module のどれか）。', 'give only one kind of signer');

  if (flags['pkcs11-module'] !== undefined) {
    if (flags['password-env'] !== undefined) throw new UsageError('IC カードの PIN は --password-env ではなく --pin-env で渡してください。', 'use --pin-env for a token PIN');
    return tokenReference(flags, io);
  }
  if (flags['pin-env'] !== undefined) throw new UsageError('証明書ファイルのパスワードは --pin-env ではなく --password-env で渡してください。', 'use --password-env for a file password');
  if (flags.token !== undefined || flags['token-serial'] !== undefined || flags['cert-id'] !== undefined) {
    throw new UsageError('--token / --token-serial / --cert-id は --pkcs11-module と一緒に指定してください。', '--token goes with --pkcs11-module');
  }
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

async function tokenReference(flags: IdentityFlags, io: CliIo): Promise<SignerReference> {
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
  // The profile keeps both label and serial; the one not given is read from the token (no PIN needed).
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

// ---------------------------------------------------------------------------------------------
// Passwords and PINs

const PURPOSE_JA: Record<CredentialPurpose, string> = {
  register: '利用者ID登録',
  login: '利用者認証',
  'certificate.add': '証明書の追加',
  'certificate.update': '証明書の更新',
  'certificate.delete': '証明書の削除',
};

/**
 * The CLI's answer to the core's password / PIN requests. A secret from an environment variable is
 * tried once and never again (a wrong PIN retried would only burn the card's tries); otherwise the
 * person is asked on the terminal. Without either the command stops with a message saying how to
 * pass the secret, never waits.
 */
export class CliCredentials {
  readonly ask: AskSecret;
  readonly #io: CliIo;
  readonly #passwordEnv: string | undefined;
  readonly #pinEnv: string | undefined;
  #envPinRejected: 'PIN_INCORRECT' | 'PIN_LEN_RANGE' | null = null;
  #unanswered: CredentialAsk | null = null;

  constructor(io: CliIo, flags: IdentityFlags) {
    this.#io = io;
    this.#passwordEnv = flags['password-env'];
    this.#pinEnv = flags['pin-env'];
    const password = this.#passwordEnv === undefined ? undefined : readEnvSecret(io, 'password-env', this.#passwordEnv, 'パスワード');
    const pin = this.#pinEnv === undefined ? undefined : readEnvSecret(io, 'pin-env', this.#pinEnv, 'PIN');
    this.ask = (request) => (request.kind === 'pin' ? this.#askPin(request, pin) : this.#askPassword(request, password));
  }

  /** Checks that the secret flags fit the signer the profile keeps (a PIN for a token, a password for a file). */
  checkFits(signer: SignerReference): void {
    if (signer.kind === 'pkcs11' && this.#passwordEnv !== undefined) {
      throw new UsageError('このプロファイルは IC カードで署名します。PIN は --password-env ではなく --pin-env で渡してください。', 'the profile signs with a token: use --pin-env');
    }
    if (signer.kind === 'file' && this.#pinEnv !== undefined) {
      throw new UsageError('このプロファイルは証明書ファイルで署名します。パスワードは --pin-env ではなく --password-env で渡してください。', 'the profile signs with a file: use --password-env');
    }
  }

  /** Turns "cancelled" errors into what really happened: an environment PIN refused, or nobody to ask. */
  explain(e: unknown): unknown {
    if (!isTodokeError(e) || (e.code !== 'PIN_CANCELLED' && e.code !== 'CREDENTIAL_CANCELLED')) return e;
    if (this.#envPinRejected) {
      const what = this.#envPinRejected === 'PIN_LEN_RANGE' ? 'PIN の桁数が正しくありません' : 'PIN が違います';
      return new CliError(
        'PIN_INCORRECT',
        {
          ja: `環境変数 ${this.#pinEnv ?? ''} の PIN は受け付けられませんでした（${what}）。IC カードのロックを避けるため、再試行はしていません。PIN を確かめてからやり直してください。`,
          en: `the PIN from ${this.#pinEnv ?? ''} was refused (${this.#envPinRejected}); not retried`,
        },
        { cause: e },
      );
    }
    const asked = this.#unanswered;
    if (asked) {
      const pin = asked.kind === 'pin';
      return new CliError(
        'CREDENTIAL_MISSING',
        {
          ja: pin
            ? `IC カード「${shown(asked.subject)}」の PIN が入力されなかったため、中止しました。端末から実行して入力するか、--pin-env 環境変数名 で渡してください。`
            : `証明書ファイル「${shown(asked.subject)}」のパスワードが入力されなかったため、中止しました。端末から実行して入力するか、--password-env 環境変数名 で渡してください。`,
          en: `no ${pin ? 'PIN' : 'password'} was given: run in a terminal or pass ${pin ? '--pin-env' : '--password-env'}`,
        },
        { cause: e },
      );
    }
    return e;
  }

  async #askPassword(request: CredentialAsk, fromEnv: string | undefined): Promise<string | null> {
    if (fromEnv !== undefined) {
      if (request.attempt === 1) return fromEnv;
      throw new SigningError('BAD_PASSWORD', {
        ja: `環境変数 ${this.#passwordEnv ?? ''} のパスワードでは、証明書ファイル「${shown(request.subject)}」を開けませんでした（パスワードが違います）。環境変数の値を確かめてください。`,
        en: `the password from ${this.#passwordEnv ?? ''} is wrong; not retried`,
      });
    }
    const lines: string[] = [];
    if (request.previousError === 'BAD_PASSWORD') lines.push('パスワードが違います。');
    lines.push(`証明書ファイル「${shown(request.subject)}」のパスワードを入力してください（${PURPOSE_JA[request.purpose]}、Ctrl+C で中止）: `);
    const answer = await this.#io.promptSecret(lines.join('\n'));
    if (answer === null) this.#unanswered = request;
    return answer;
  }

  async #askPin(request: CredentialAsk, fromEnv: string | undefined): Promise<string | null> {
    if (fromEnv !== undefined) {
      if (request.attempt === 1) return fromEnv;
      this.#envPinRejected = request.previousError === 'PIN_LEN_RANGE' ? 'PIN_LEN_RANGE' : 'PIN_INCORRECT';
      return null;
    }
    const lines = pinPromptLines(request);
    lines.push(`IC カード「${shown(request.subject)}」の PIN を入力してください（${PURPOSE_JA[request.purpose]}、空のまま Enter で中止）: `);
    const answer = await this.#io.promptSecret(lines.join('\n'));
    if (answer === null || answer === '') {
      this.#unanswered = request;
      return null;
    }
    return answer;
  }
}

function readEnvSecret(io: CliIo, flag: string, name: string, what: string): string {
  // Not echoed unless it looks like a variable name: people do type the secret itself here.
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) {
    throw new UsageError(`--${flag} には、${what}を入れた環境変数の「名前」を指定してください（${what}そのものではありません）。`, `--${flag} takes the name of an environment variable`);
  }
  const value = io.env[name];
  if (value === undefined) {
    throw new UsageError(`環境変数 ${shown(name)} が設定されていません（${what}を入れてください）。`, `environment variable ${name} is not set`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Certificate files named on the command line (cert add / delete FILE, cert update --old FILE)

const PKCS12_NAME = /\.(p12|pfx)$/i;

/** The certificate in FILE: PEM or DER as is, a .p12 / .pfx opened with --file-password-env or a prompt. */
export async function readCertificateArgument(io: CliIo, path: string, passwordEnv: string | undefined): Promise<X509Certificate> {
  const bytes = await readSmallFile(io, path, '証明書ファイル');
  if (!PKCS12_NAME.test(path)) {
    if (passwordEnv !== undefined) throw new UsageError('--file-password-env は .p12 / .pfx ファイルを指定したときだけ使います。', '--file-password-env is for .p12 / .pfx files');
    return parseCertificate(bytes);
  }
  const fromEnv = passwordEnv === undefined ? undefined : readEnvSecret(io, 'file-password-env', passwordEnv, 'パスワード');
  for (let attempt = 1; ; attempt++) {
    let password: string | null | undefined = fromEnv;
    if (password === undefined) {
      password = await io.promptSecret(`${attempt > 1 ? 'パスワードが違います。\n' : ''}「${shown(basename(path))}」のパスワードを入力してください（Ctrl+C で中止）: `);
      if (password === null) {
        throw new CliError('CREDENTIAL_MISSING', {
          ja: `「${shown(basename(path))}」のパスワードが入力されなかったため、中止しました。端末から実行して入力するか、--file-password-env 環境変数名 で渡してください。`,
          en: 'no password for the PKCS#12 file: run in a terminal or pass --file-password-env',
        });
      }
    }
    try {
      const signer = openPkcs12(bytes, password);
      try {
        return signer.certificate;
      } finally {
        await signer.close();
      }
    } catch (e) {
      if (!isTodokeError(e, 'BAD_PASSWORD') || fromEnv !== undefined || attempt >= MAX_PASSWORD_ATTEMPTS) throw e;
    }
  }
}

/** Reads a certificate-sized file (at most 1 MiB, refused before reading when larger). */
async function readSmallFile(io: CliIo, path: string, what: string): Promise<Buffer> {
  const full = resolve(io.cwd, path);
  let size: number;
  try {
    const info = await stat(full);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    size = info.size;
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SigningError(
      'CERT_FILE_UNREADABLE',
      {
        ja: missing ? `${what}「${shown(path)}」が見つかりません。パスを確かめてください。` : `${what}「${shown(path)}」を読み込めませんでした。ファイルか、読み取り権限があるかを確かめてください。`,
        en: `cannot read ${full}`,
      },
      { cause, detail: { path: full } },
    );
  }
  if (size > MAX_CERTIFICATE_FILE_BYTES) {
    throw new SigningError('CERT_FORMAT', {
      ja: `${what}「${shown(path)}」は大きすぎます（上限 1 MiB）。証明書のファイル（.pem / .cer / .crt / .p12）を指定したか確かめてください。`,
      en: `${full} is larger than ${MAX_CERTIFICATE_FILE_BYTES} bytes`,
    });
  }
  if (size === 0) {
    throw new SigningError('CERT_FORMAT', { ja: `${what}「${shown(path)}」は空です。`, en: `${full} is empty` });
  }
  try {
    return await readFile(full);
  } catch (cause) {
    throw new SigningError('CERT_FILE_UNREADABLE', { ja: `${what}「${shown(path)}」を読み込めませんでした。`, en: `cannot read ${full}` }, { cause });
  }
}

// ---------------------------------------------------------------------------------------------
// The identity of one profile

export interface IdentityContext {
  home: string;
  profileName: string;
  profiles: ProfileStore;
  service: IdentityService;
  /** the built-in sandbox in <home>/sandbox, started only if a call needs it */
  sandbox: EmbeddedSandbox;
  sandboxDir: string;
  credentials: CliCredentials;
}

/** Runs `task` with the profile's IdentityService; the built-in sandbox is stopped afterwards. */
export async function withIdentity<T>(io: CliIo, flags: IdentityFlags, task: (ctx: IdentityContext) => Promise<T>): Promise<T> {
  const home = todokeHome(io.env);
  const profileName = profileNameOf(flags);
  const profiles = new ProfileStore(home);
  const credentials = new CliCredentials(io, flags);
  const sandboxDir = join(home, 'sandbox');
  const sandbox = embeddedSandbox(sandboxDir);
  try {
    const service = new IdentityService({
      profiles,
      profileName,
      secrets: (dir) => new FileSecretStore(dir),
      ask: credentials.ask,
      sandbox: sandbox.provider,
      now: () => io.now(),
    });
    return await task({ home, profileName, profiles, service, sandbox, sandboxDir, credentials });
  } catch (e) {
    throw credentials.explain(e);
  } finally {
    await sandbox.close();
  }
}

export function notSetUp(ctx: Pick<IdentityContext, 'profileName' | 'home'>): CliError {
  const profileFlag = ctx.profileName === DEFAULT_PROFILE ? '' : ` --profile ${ctx.profileName}`;
  return new CliError(
    'IDENTITY_NOT_SET_UP',
    {
      ja:
        `プロファイル「${ctx.profileName}」はまだ設定されていません（${join(ctx.home, 'profiles', ctx.profileName)}）。` +
        `先に todoke register${profileFlag} --user-id 利用者ID <接続先> <署名者> で利用者IDを登録するか、` +
        `登録済みの利用者IDなら todoke login${profileFlag} --user-id 利用者ID <接続先> <署名者> で設定してください。`,
      en: `profile "${ctx.profileName}" is not set up: run todoke register or todoke login --user-id first`,
    },
    { detail: { profile: ctx.profileName } },
  );
}

export function profileExists(ctx: Pick<IdentityContext, 'profileName'>, profile: Profile, what: string): CliError {
  const profileFlag = ctx.profileName === DEFAULT_PROFILE ? '' : ` --profile ${ctx.profileName}`;
  return new CliError(
    'PROFILE_EXISTS',
    {
      ja:
        `プロファイル「${ctx.profileName}」は利用者ID ${profile.userId} で設定済みのため、${what}。` +
        `保存した設定でログインするには todoke login${profileFlag} だけを実行してください。` +
        `別の利用者IDを使うには --profile 別の名前 を指定するか、todoke profile forget${profileFlag} でこの PC の設定を消してからやり直してください。`,
      en: `profile "${ctx.profileName}" is already set up (${profile.userId})`,
    },
    { detail: { profile: ctx.profileName } },
  );
}

/** Text from the command line, shortened and stripped of control characters before it goes into a message. */
/** Text from the command line or a file, made safe to print (src/main/app/errors.ts printable, longer). */
export function shown(text: string, max = 120): string {
  return printable(text, max);
}

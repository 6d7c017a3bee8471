// Main process (CLI host). The flags that choose where the identity commands connect:
//   --sandbox                                         the built-in sandbox under $TODOKE_HOME
//   --endpoint URL --software-id ID [--ca FILE] [--basic-auth-user U --basic-auth-password-env VAR]
// turned into the core's EnvironmentSetting (and the Basic auth password, kept apart from it).
import { SOFTWARE_ID_PATTERN } from '../../shared/contract.js';
import { checkEndpoint, type EndpointProblem } from '../../shared/endpoint.js';
import type { EnvironmentSetting } from '../profiles/profile.js';
import { parseCertificates } from '../signing/certificate.js';
import { CliError } from './cli-error.js';
import { readEnvSecret } from './env-secret.js';
import type { CliIo } from './io.js';
import { shown } from './shown.js';
import { readSmallFile } from './small-file.js';
import { UsageError } from './usage-error.js';

export const endpointOptions = {
  sandbox: { type: 'boolean' },
  endpoint: { type: 'string' },
  'software-id': { type: 'string' },
  ca: { type: 'string' },
  'basic-auth-user': { type: 'string' },
  'basic-auth-password-env': { type: 'string' },
} as const;

export type EndpointFlags = { sandbox?: boolean } & Partial<Record<Exclude<keyof typeof endpointOptions, 'sandbox'>, string>>;

export const ENDPOINT_FLAGS = Object.keys(endpointOptions) as (keyof typeof endpointOptions)[];

export interface EndpointChoice {
  environment: EnvironmentSetting;
  basicAuthPassword?: string;
}

const ENDPOINT_HINT = '--endpoint URL --software-id ID（e-Gov や検証環境）か --sandbox（組み込みの検証用サンドボックス）';

export function hasEndpoint(flags: EndpointFlags): boolean {
  return ENDPOINT_FLAGS.some((n) => flags[n] !== undefined);
}

/** null when no endpoint flag was given. */
export async function endpointFromFlags(flags: EndpointFlags, io: CliIo): Promise<EndpointChoice | null> {
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
  const baseUrl = checkEndpointFlag(flags.endpoint);
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
  return { environment, basicAuthPassword: await basicAuthPassword(flags, io, user) };
}

export function requireEndpoint(choice: EndpointChoice | null): EndpointChoice {
  if (!choice) throw new UsageError(`接続先を指定してください: ${ENDPOINT_HINT}。`, 'choose an endpoint: --endpoint URL --software-id ID, or --sandbox');
  return choice;
}

async function basicAuthPassword(flags: EndpointFlags, io: CliIo, user: string): Promise<string> {
  const envName = flags['basic-auth-password-env'];
  if (envName !== undefined) return readEnvSecret(io, 'basic-auth-password-env', envName, 'Basic認証のパスワード');
  const password = await io.promptSecret(`Basic認証（ユーザー ${shown(user)}）のパスワードを入力してください: `);
  if (password === null) {
    throw new CliError('CREDENTIAL_MISSING', {
      ja: 'Basic認証のパスワードが入力されなかったため、中止しました。端末から実行して入力するか、--basic-auth-password-env 環境変数名 で渡してください。',
      en: 'no Basic auth password: run in a terminal or pass --basic-auth-password-env',
    });
  }
  return password;
}

/**
 * The endpoint rule the app and the client use (src/shared/endpoint.ts), with its message, so the
 * CLI and the first-run form say the same about the same URL; the base URL comes back normalised
 * (https://host → https://host/shinsei/1/).
 */
function checkEndpointFlag(text: string): string {
  const check = checkEndpoint(text);
  if (check.ok) return check.baseUrl;
  const hint = CLI_HINTS[check.code];
  throw new UsageError(`--endpoint: ${check.messageJa}${hint ? hint.ja : ''}`, `--endpoint: ${check.message}${hint ? hint.en : ''}`);
}

/** Where the app's message points at a form field, the flag that does the same here. */
const CLI_HINTS: Partial<Record<EndpointProblem, { ja: string; en: string }>> = {
  credentials: { ja: '（todoke では --basic-auth-user と --basic-auth-password-env です）', en: ' (--basic-auth-user and --basic-auth-password-env)' },
};

async function readCaFile(io: CliIo, path: string): Promise<string> {
  const bytes = await readSmallFile(io, path, 'CA 証明書ファイル');
  const pem = parseCertificates(bytes)
    .map((c) => c.toString())
    .join('');
  if (pem.length > 64 * 1024) throw new UsageError('--ca のファイルに含まれる証明書が多すぎます（PEM で 64 KiB まで）。', '--ca holds too many certificates');
  return pem;
}

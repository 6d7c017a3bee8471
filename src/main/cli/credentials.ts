// Main process (CLI host). The CLI's one answer to "a password / PIN is needed", for every command
// that signs (sign request, sign kousei, register, login, cert …): the secret from the environment
// variable the flags name, else a prompt on the terminal, else a message saying how to pass it.
import type { CredentialPurpose } from '../../shared/domain.js';
import { isTodokeError } from '../../shared/errors.js';
import type { AskSecret, CredentialAsk } from '../identity/signer-reference.js';
import type { SignerReference } from '../profiles/profile.js';
import { SigningError } from '../signing/errors.js';
import { pinWarning } from '../signing/pkcs11/index.js';
import { CliError } from './cli-error.js';
import { readEnvSecret } from './env-secret.js';
import type { CliIo } from './io.js';
import { shown } from './shown.js';
import type { SignerFlags } from './signer-flags.js';
import { UsageError } from './usage-error.js';

/** What a secret is asked for: the core's purposes. */
export type SecretPurpose = CredentialPurpose;

const PURPOSE_JA: Record<SecretPurpose, string> = {
  register: '利用者ID登録',
  login: '利用者認証',
  'certificate.add': '証明書の追加',
  'certificate.update': '証明書の更新',
  'certificate.delete': '証明書の削除',
  'sign.kousei': '申請データへの署名',
};

/**
 * A secret from an environment variable is tried once and never again (a wrong PIN retried would
 * only burn the card's tries); otherwise the person is asked on the terminal, with why the last
 * one failed and how close the card is to locking. Without either the command stops with a
 * message saying how to pass the secret (`explain`), never waits.
 */
export class CliCredentials {
  /** answers the core's requests, naming the purpose the core gives */
  readonly ask: AskSecret;
  readonly #io: CliIo;
  readonly #passwordEnv: string | undefined;
  readonly #pinEnv: string | undefined;
  readonly #password: string | undefined;
  readonly #pin: string | undefined;
  #envPinRejected: 'PIN_INCORRECT' | 'PIN_LEN_RANGE' | null = null;
  #unanswered: CredentialAsk | null = null;

  constructor(io: CliIo, flags: Pick<SignerFlags, 'password-env' | 'pin-env'>) {
    this.#io = io;
    this.#passwordEnv = flags['password-env'];
    this.#pinEnv = flags['pin-env'];
    this.#password = this.#passwordEnv === undefined ? undefined : readEnvSecret(io, 'password-env', this.#passwordEnv, 'パスワード');
    this.#pin = this.#pinEnv === undefined ? undefined : readEnvSecret(io, 'pin-env', this.#pinEnv, 'PIN');
    this.ask = this.askFor(null);
  }

  /** Answers requests whose prompt names `purpose` (null: the purpose in the request). */
  askFor(purpose: SecretPurpose | null): AskSecret {
    return (request) => {
      const label = PURPOSE_JA[purpose ?? request.purpose];
      return request.kind === 'pin' ? this.#askPin(request, label) : this.#askPassword(request, label);
    };
  }

  /** Checks that the secret flags fit the signer (a PIN for a token, a password for a file). */
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

  async #askPassword(request: CredentialAsk, purpose: string): Promise<string | null> {
    if (this.#password !== undefined) {
      if (request.attempt === 1) return this.#password;
      throw new SigningError('BAD_PASSWORD', {
        ja: `環境変数 ${this.#passwordEnv ?? ''} のパスワードでは、証明書ファイル「${shown(request.subject)}」を開けませんでした（パスワードが違います）。環境変数の値を確かめてください。`,
        en: `the password from ${this.#passwordEnv ?? ''} is wrong; not retried`,
      });
    }
    const lines: string[] = [];
    if (request.previousError === 'BAD_PASSWORD') lines.push('パスワードが違います。');
    lines.push(`証明書ファイル「${shown(request.subject)}」のパスワードを入力してください（${purpose}、Ctrl+C で中止）: `);
    const answer = await this.#io.promptSecret(lines.join('\n'));
    if (answer === null) this.#unanswered = request;
    return answer;
  }

  async #askPin(request: CredentialAsk, purpose: string): Promise<string | null> {
    if (this.#pin !== undefined) {
      if (request.attempt === 1) return this.#pin;
      // Saying no here ends the signer's PIN loop; explain() then reports the refused variable.
      this.#envPinRejected = request.previousError === 'PIN_LEN_RANGE' ? 'PIN_LEN_RANGE' : 'PIN_INCORRECT';
      return null;
    }
    const lines = pinPromptLines(request);
    lines.push(`IC カード「${shown(request.subject)}」の PIN を入力してください（${purpose}、空のまま Enter で中止）: `);
    const answer = await this.#io.promptSecret(lines.join('\n'));
    if (answer === null || answer === '') {
      this.#unanswered = request;
      return null;
    }
    return answer;
  }
}

/** What a PIN prompt says before its question: why the last PIN failed, and how close the card is to locking. */
function pinPromptLines(request: CredentialAsk): string[] {
  const lines: string[] = [];
  if (request.previousError === 'PIN_INCORRECT') lines.push('PIN が違います。');
  if (request.previousError === 'PIN_LEN_RANGE') lines.push('PIN の桁数が正しくありません。');
  const warning = pinWarning({ pinCountLow: request.pinCountLow, pinFinalTry: request.pinFinalTry });
  if (warning) lines.push(warning);
  return lines;
}

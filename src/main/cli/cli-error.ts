// Main process (CLI host). Failures the CLI itself detects beyond a malformed command line: a
// secret nobody typed, a profile that is (or is not) there, a certificate that does not fit.
// Exit code 2 like usage errors, but without the whole help text after them.
import { TodokeError } from '../../shared/errors.js';

export type CliErrorCode =
  /** no password / PIN: neither an environment variable nor a terminal to ask on */
  | 'CREDENTIAL_MISSING'
  /** register / login set-up on a profile that is already set up */
  | 'PROFILE_EXISTS'
  /** the same code the core uses, with a message that names the CLI commands */
  | 'IDENTITY_NOT_SET_UP'
  /** `cert update --old FILE`: FILE is not the certificate the profile signs with */
  | 'CERTIFICATE_MISMATCH'
  | 'PIN_INCORRECT'
  /** `todoke pay`: the bank or the 納付 is not one e-Gov lists (exit 1: e-Gov's lists say no) */
  | 'PAYMENT_NOT_POSSIBLE';

export class CliError extends TodokeError<CliErrorCode> {
  constructor(code: CliErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'CliError';
  }
}

// Sandbox (Node). Failures of the sandbox as a program (configuration, data folder, database),
// as opposed to the e-Gov error responses it sends (messages.ts).
import { TodokeError } from '../shared/errors.js';

export type SandboxErrorCode =
  | 'SANDBOX_CONFIG'
  | 'SANDBOX_TRUST_FILE'
  | 'SANDBOX_DATABASE'
  | 'SANDBOX_DATABASE_NEWER'
  | 'SANDBOX_TLS'
  | 'SANDBOX_LISTEN'
  /** the 官職 key and certificate do not make a signature the verifier accepts */
  | 'SANDBOX_OFFICIAL_SIGNATURE'
  /** no unused 納付番号 could be drawn (the numbers are random; in practice only a broken generator gets here) */
  | 'SANDBOX_PAY_NUMBER';

export class SandboxError extends TodokeError<SandboxErrorCode> {
  constructor(code: SandboxErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'SandboxError';
  }
}

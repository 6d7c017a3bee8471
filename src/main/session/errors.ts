// Main process (core). Failures of the session itself (not of e-Gov): bad inputs it was built with.
import { TodokeError } from '../../shared/errors.js';

export type SessionErrorCode = 'SESSION_INVALID_USER_ID' | 'SESSION_STORED_KEY_CORRUPT';

export class SessionError extends TodokeError<SessionErrorCode> {
  constructor(code: SessionErrorCode, messages: { ja: string; en: string }) {
    super(code, messages);
    this.name = 'SessionError';
  }
}

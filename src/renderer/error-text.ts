// Renderer. A core error in the person's language: its Japanese message, or the English one.
import type { ErrorPayload } from '../shared/errors.js';
import type { Messages } from './messages/index.js';

export function errorText(error: ErrorPayload, m: Messages): string {
  return m.lang === 'ja' ? error.messageJa : error.message;
}

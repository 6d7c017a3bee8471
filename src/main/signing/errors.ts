// Main process. Every way signing or verification can fail, as typed codes with Japanese messages
// that tell the user what to do next.
import { TodokeError } from '../../shared/errors.js';

export type SigningErrorCode =
  | 'CERT_FILE_UNREADABLE'
  | 'CERT_FORMAT'
  | 'KEY_FORMAT'
  | 'BAD_PASSWORD'
  | 'KEY_CERT_MISMATCH'
  | 'KEY_UNSUPPORTED'
  | 'PKCS11_MODULE_LOAD'
  | 'PKCS11_TOKEN_NOT_FOUND'
  | 'PKCS11_TOKEN_AMBIGUOUS'
  | 'PKCS11_TOKEN_REMOVED'
  | 'PKCS11_NO_CERTIFICATE'
  | 'PKCS11_CERT_AMBIGUOUS'
  | 'PKCS11_NO_KEY'
  | 'PKCS11_NO_MECHANISM'
  | 'PIN_INCORRECT'
  | 'PIN_LOCKED'
  | 'PIN_LEN_RANGE'
  | 'PIN_CANCELLED'
  | 'PKCS11_FAILURE'
  | 'XML_MALFORMED'
  | 'XML_TOO_LARGE'
  | 'XML_DOCTYPE'
  | 'XML_DUPLICATE_ID'
  | 'XML_TARGET_MISSING'
  | 'KOUSEI_NO_KOUSEI_JOHO'
  | 'KOUSEI_FILE_ESCAPES'
  | 'KOUSEI_FILE_MISSING'
  | 'KOUSEI_CHANGED'
  | 'KOUSEI_WRITE_FAILED'
  | 'SIGNATURE_ID_INVALID'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_UNSUPPORTED'
  | 'SIGNER_CLOSED';

export class SigningError extends TodokeError<SigningErrorCode> {
  constructor(code: SigningErrorCode, messages: { ja: string; en: string }, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(code, messages, options);
    this.name = 'SigningError';
  }
}

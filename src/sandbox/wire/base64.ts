// Sandbox (Node). Base64 as e-Gov received it: with LF every 60 characters (Ruby's encode64), CRLF,
// or on one line (REFERENCE §2.4). Whitespace is dropped; anything else outside the alphabet, or a
// wrong length or padding, is an error instead of being silently skipped as Buffer.from would.

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The decoded bytes, or null when the text is empty or not base64. */
export function decodeBase64Lenient(text: string): Buffer | null {
  const compact = text.replace(/[ \t\r\n]+/g, '');
  if (compact.length === 0 || !BASE64.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

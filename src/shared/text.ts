// Runs in every process. Printable ASCII without spaces (0x21-0x7E): what e-Gov's identifiers are
// made of (利用者ID, ソフトウェアID, アクセスキー), and what an HTTP header value can carry without
// escaping or header injection. Written once, so the form, the CLI, the core and the sandbox agree.

/** One or more printable ASCII characters: no spaces, no control characters, nothing beyond ASCII. */
export const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/** The same characters, `min` to `max` of them (a schema pattern with its length built in). */
export function printableAscii(min: number, max: number): RegExp {
  return new RegExp(`^[\\x21-\\x7e]{${min},${max}}$`);
}

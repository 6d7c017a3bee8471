// Sandbox (Node). Escaping for values the sandbox echoes into its XML responses. The five
// predefined entities (REFERENCE §2.4 "エスケープ処理対象文字", list unreadable → the XML set).
// Characters XML 1.0 cannot carry at all are replaced, so an echoed value can never make the
// response itself malformed.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 cannot carry
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Either of the above: most values have neither, and one test is cheaper than two replacements.
// eslint-disable-next-line no-control-regex -- the characters of NOT_XML_CHAR, and the five to escape
const NEEDS_WORK = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF&<>"']/;

export function escapeXmlText(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  return value.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

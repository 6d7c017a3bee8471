// Main process. Just enough reading of an HTML page to find its forms and what they would post —
// for pages Todoke is handed, never renders itself, and must not trust. Not an HTML parser: it finds
// `<form>` / `<input>` / `<button>` tags outside comments, reads their attributes and decodes character
// references. Anything it cannot read plainly (a form left open, an attribute repeated) is reported
// as such, so a caller refuses rather than guesses. Pure functions.

export interface HtmlTag {
  name: string;
  /** attribute names lower-cased, values with character references decoded */
  attributes: Record<string, string>;
}

export interface ScannedForm {
  attributes: Record<string, string>;
  /** the controls between `<form>` and `</form>` */
  controls: HtmlTag[];
}

export type FormScan = { ok: true; forms: ScannedForm[] } | { ok: false; reasonJa: string; reasonEn: string };

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
    }
    return NAMED[ref] ?? whole;
  });
}

/** Comments removed; an unclosed one runs to the end, as a browser reads it. */
export function withoutComments(html: string): string {
  return html.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
}

const TAG = /<\s*(\/?)\s*(form|input|button)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTRIBUTE = /([^\s"'=<>/`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function attributesOf(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const m of text.replace(/\/\s*$/, '').matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    if (Object.hasOwn(out, name)) return null;
    out[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** The forms of a page, with their controls; or why the page cannot be read plainly. */
export function scanForms(html: string): FormScan {
  const text = withoutComments(html);
  const forms: ScannedForm[] = [];
  let open: ScannedForm | null = null;
  for (const m of text.matchAll(TAG)) {
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    if (name === 'form' && closing) {
      if (!open) return { ok: false, reasonJa: '対応する開始タグのない </form> があります', reasonEn: 'stray </form>' };
      forms.push(open);
      open = null;
      continue;
    }
    if (closing) continue;
    const attributes = attributesOf(m[3]!);
    if (!attributes) return { ok: false, reasonJa: `<${name}> に同じ属性が 2 回あります`, reasonEn: `repeated attribute in <${name}>` };
    if (name === 'form') {
      if (open) return { ok: false, reasonJa: 'フォームの中にフォームがあります', reasonEn: 'nested <form>' };
      open = { attributes, controls: [] };
    } else if (open) {
      open.controls.push({ name, attributes });
    } else if (Object.hasOwn(attributes, 'form')) {
      return { ok: false, reasonJa: 'フォームの外からフォームに値を加える入力欄があります', reasonEn: `<${name} form=…> outside a form` };
    }
  }
  if (open) return { ok: false, reasonJa: 'フォームが閉じられていません（応答が途中で切れています）', reasonEn: 'unclosed <form> (truncated page)' };
  return { ok: true, forms };
}

/** The words of a page for a terminal: scripts, styles and tags out, references decoded, spaces folded. */
export function pageText(html: string, maxChars = 500): string {
  const text = decodeEntities(
    withoutComments(html)
      .replace(/<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ')
      .replace(/<[^>]*>/g, ' '),
  )
    // eslint-disable-next-line no-control-regex -- control characters never reach a terminal
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

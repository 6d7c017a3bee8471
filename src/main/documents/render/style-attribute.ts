// Core host (Node). The part of an inline `style` attribute a shown 公文書 may keep: layout and type
// only. Anything that could fetch (url(), image-set(), @import), run (expression()), escape the
// parser (backslash escapes, comments, braces) or lay itself over the viewer (position) is dropped.

const ALLOWED = new Set([
  'color',
  'background-color',
  'font-size',
  'font-weight',
  'font-style',
  'font-family',
  'font-variant',
  'text-align',
  'text-decoration',
  'text-indent',
  'text-transform',
  'vertical-align',
  'line-height',
  'letter-spacing',
  'word-spacing',
  'white-space',
  'word-break',
  'writing-mode',
  'width',
  'height',
  'min-width',
  'max-width',
  'min-height',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-width',
  'border-style',
  'border-color',
  'border-collapse',
  'border-spacing',
  'list-style-type',
  'page-break-before',
  'page-break-after',
  'page-break-inside',
]);

/** Letters (any script), digits, space and the punctuation colours, lengths and font lists need. */
const SAFE_VALUE = /^[\p{L}\p{N}\s#%.,'"+\-!]*$/u;
/** The only functions kept: colour notations. */
const COLOUR_FUNCTION = /^(?:rgba?|hsla?)\(\s*[\d.%\s,/]+\)$/i;
const MAX_STYLE_CHARS = 2000;

function safeValue(value: string): boolean {
  if (SAFE_VALUE.test(value)) return true;
  // one colour function, possibly among plain words ("1px solid rgb(0,0,0)")
  const parts = value.split(/(\b(?:rgba?|hsla?)\([^()]*\))/i);
  return parts.every((part, i) => (i % 2 === 1 ? COLOUR_FUNCTION.test(part) : SAFE_VALUE.test(part)));
}

/**
 * The kept declarations, normalised (`prop: value; …`), or null when nothing is kept; `risky` counts
 * what was dropped because it could load or run something (a mere unknown property is not counted).
 */
export function filterStyle(style: string): { kept: string | null; risky: number } {
  if (style.length > MAX_STYLE_CHARS || /[\\{}<>@]|\/\*/.test(style)) return { kept: null, risky: 1 };
  const kept: string[] = [];
  let risky = 0;
  for (const declaration of style.split(';')) {
    if (declaration.trim() === '') continue;
    const colon = declaration.indexOf(':');
    const prop = (colon < 0 ? declaration : declaration.slice(0, colon)).trim().toLowerCase();
    const value = colon < 0 ? '' : declaration.slice(colon + 1).trim();
    if (value.includes('(') && !safeValue(value)) risky++;
    if (!ALLOWED.has(prop) || value === '' || !safeValue(value)) continue;
    kept.push(`${prop}: ${value}`);
  }
  return { kept: kept.length > 0 ? kept.join('; ') : null, risky };
}

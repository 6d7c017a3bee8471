// Sandbox (Node). The HTML pages of the bank-site hand-off (REFERENCE §4.20) and of the stand-in
// bank: one shell, every value escaped, no external loads. The only script anywhere is the hand-off's
// one-line auto-submit, allowed by its hash in the page's own CSP; every other page is plain forms.
import { createHash } from 'node:crypto';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** No script, no style, no frames, forms only to the page's own origin. */
export const STRICT_CSP = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export interface HtmlPage {
  status: number;
  body: string;
  /** the Content-Security-Policy the page needs */
  csp: string;
}

/**
 * A page. `look`: a stylesheet of the page's own and a banner above the title (the stand-in bank
 * dresses as a bank; the CSP then allows that one stylesheet by its hash, nothing else).
 */
export function page(status: number, title: string, inner: readonly string[], csp: string = STRICT_CSP, look?: { style: string; banner: string }): HtmlPage {
  const body = [
    '<!DOCTYPE html>',
    '<html lang="ja">',
    '<head>',
    '<meta charset="UTF-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    ...(look ? [`<style>${look.style}</style>`] : []),
    '</head>',
    '<body>',
    ...(look ? [look.banner, '<main>'] : []),
    `<h1>${escapeHtml(title)}</h1>`,
    ...inner,
    ...(look ? ['</main>'] : []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { status, body, csp: look ? `${csp}; style-src ${styleHash(look.style)}` : csp };
}

export function styleHash(style: string): string {
  return `'sha256-${createHash('sha256').update(style).digest('base64')}'`;
}

export function errorPage(status: number, title: string, message: string): HtmlPage {
  return page(status, title, [`<p>${escapeHtml(message)}</p>`]);
}

/** A hidden input; name and value escaped. */
export function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

/** `YYYYMMDD` as `YYYY年MM月DD日`; anything else as it is. */
export function japaneseDate(day: string): string {
  return /^\d{8}$/.test(day) ? `${day.slice(0, 4)}年${day.slice(4, 6)}月${day.slice(6, 8)}日` : day;
}

export function yen(amount: string): string {
  return /^\d+$/.test(amount) ? `${Number(amount).toLocaleString('en-US')} 円` : amount;
}

/** The origin a CSP may name; 'none' for a Url that is not one (a configured stand-in Url can be anything). */
function originOf(url: string): string {
  try {
    const origin = new URL(url).origin;
    return /^https?:\/\/[A-Za-z0-9.[\]:-]+$/.test(origin) ? origin : "'none'";
  } catch {
    return "'none'";
  }
}

const AUTO_SUBMIT = 'document.forms[0].submit();';
const AUTO_SUBMIT_HASH = `'sha256-${createHash('sha256').update(AUTO_SUBMIT).digest('base64')}'`;

/**
 * [SIM-CHOICE, REFERENCE §4.20] The hand-off page: a form posted to the bank at once, with a
 * <noscript> button where scripts do not run. The CSP allows that one script by its hash and forms
 * only to the bank's origin.
 */
export function handOffPage(action: string, fields: ReadonlyArray<readonly [string, string]>): HtmlPage {
  const csp = `default-src 'none'; script-src ${AUTO_SUBMIT_HASH}; form-action ${originOf(action)}; base-uri 'none'; frame-ancestors 'none'`;
  return page(
    200,
    '金融機関のサイトへ移動します',
    [
      `<form method="post" action="${escapeHtml(action)}">`,
      ...fields.map(([name, value]) => hidden(name, value)),
      '<noscript><p>自動で移動しない場合は、次のボタンを押してください。</p><button type="submit">金融機関のサイトへ進む</button></noscript>',
      '</form>',
      `<script>${AUTO_SUBMIT}</script>`,
    ],
    csp,
  );
}

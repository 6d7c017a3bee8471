// Main process and web harness (Electron-free, pure). What the 電子納付 hand-off window may load, one
// decision for both hosts (src/main/electron/payment-window.ts, test/harness/payment-window.ts): a
// document — the top page or a frame — only from an exact origin of the request's allowedOrigins, so
// the origin the chrome strip shows is always a bank from e-Gov's list; a pop-up only as the same
// window; the first request as e-Gov's form. Origins are compared as the WHATWG URL parser writes
// them (lower case, IDN as punycode, the port only when not the default), so a look-alike, a trailing
// dot, a userinfo prefix or another port is a different origin. What is refused is reported with a
// short target — an origin or a scheme, never the URL: a bank's URLs may carry its session.
import type { PaymentWindowBlockKind, PaymentWindowRequest } from '../../shared/payment.js';

export { remaining, type Countdown, type CountdownPhase } from '../../shared/payment-chrome.js';

export type Verdict = { allowed: true; origin: string } | { allowed: false; kind: PaymentWindowBlockKind; target: string };

export type PopupVerdict = { action: 'same-window'; url: string; origin: string } | { action: 'refuse'; kind: PaymentWindowBlockKind; target: string };

export const MAX_TARGET_CHARS = 200;

type Rules = Pick<PaymentWindowRequest, 'allowedOrigins'>;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]';
}

/** The short, safe name of where a URL goes: its origin for http(s)/ws(s), else its scheme alone. */
export function targetOf(url: string): string {
  const u = parse(url);
  if (u === null) return '(malformed URL)';
  if (['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) {
    const o = `${u.protocol}//${u.host}`;
    return o.length > MAX_TARGET_CHARS ? `${o.slice(0, MAX_TARGET_CHARS - 1)}…` : o;
  }
  return u.protocol.slice(0, MAX_TARGET_CHARS);
}

/** A short text (a permission, a file name) fit for an event: no control characters, at most 200 chars. */
export function shortTarget(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters never reach the strip or the log
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '');
  return clean.length > MAX_TARGET_CHARS ? `${clean.slice(0, MAX_TARGET_CHARS - 1)}…` : clean;
}

/** The listed origin this URL is on, or null. http is only ever the loopback stand-in bank, when listed. */
function listedOrigin(rules: Rules, u: URL): string | null {
  if (u.username !== '' || u.password !== '') return null;
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) return null;
  return rules.allowedOrigins.includes(u.origin) ? u.origin : null;
}

function refusal(u: URL | null, url: string, kind: PaymentWindowBlockKind): Verdict {
  // plain http to anything but the listed stand-in is named for what it is: an unencrypted connection
  const insecure = u !== null && u.protocol === 'http:' && !isLoopbackHost(u.hostname);
  return { allowed: false, kind: insecure ? 'insecure' : kind, target: targetOf(url) };
}

/**
 * A document for the top frame or a subframe. `firstPopupDocument`: the about:blank a pop-up starts
 * on before its real URL is known (the harness sees it; it is then judged again with the real URL).
 */
export function judgeDocument(rules: Rules, url: string, options: { firstPopupDocument?: boolean } = {}): Verdict {
  if (options.firstPopupDocument && url === 'about:blank') return { allowed: true, origin: 'about:blank' };
  const u = parse(url);
  const origin = u === null ? null : listedOrigin(rules, u);
  return origin !== null ? { allowed: true, origin } : refusal(u, url, 'navigation');
}

/**
 * A subresource (script, style, image, font, XHR, WebSocket) of an allowed page. Any https origin:
 * banks load from CDNs and analytics hosts that e-Gov's list cannot name, and a subresource cannot
 * change the origin the strip shows — the page stays the bank's. Never plain http (nor ws): a
 * script or style fetched in the clear could be rewritten on the way and run inside the bank's
 * page, the one place where the filer types a password. The listed loopback stand-in is the
 * exception, as for documents. data: and blob: are the page's own bytes, no connection at all.
 */
export function judgeSubresource(rules: Rules, url: string): Verdict {
  const u = parse(url);
  if (u === null) return { allowed: false, kind: 'navigation', target: targetOf(url) };
  if (u.protocol === 'data:' || u.protocol === 'blob:') return { allowed: true, origin: u.protocol };
  if ((u.protocol === 'https:' || u.protocol === 'wss:') && u.username === '' && u.password === '') return { allowed: true, origin: u.origin };
  if ((u.protocol === 'http:' || u.protocol === 'ws:') && isLoopbackHost(u.hostname) && u.username === '' && u.password === '') {
    const asHttp = `http://${u.host}`;
    if (rules.allowedOrigins.includes(asHttp)) return { allowed: true, origin: asHttp };
  }
  return { allowed: false, kind: u.protocol === 'http:' || u.protocol === 'ws:' ? 'insecure' : 'navigation', target: targetOf(url) };
}

/**
 * A page asking for a new window (window.open, target=_blank, a middle click): a listed URL is
 * loaded in the same locked window — a bank that opens its login in a pop-up still works, and there
 * is never a second window without the strip; anything else, about:blank included (an empty window
 * the opener would then write into), is refused.
 */
export function judgePopup(rules: Rules, url: string): PopupVerdict {
  const verdict = judgeDocument(rules, url);
  if (verdict.allowed) return { action: 'same-window', url, origin: verdict.origin };
  return { action: 'refuse', kind: verdict.kind === 'insecure' ? 'insecure' : 'window', target: verdict.target };
}

/** e-Gov's hand-off form as the bank receives it: application/x-www-form-urlencoded, fields in order. */
export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(Object.entries(fields)).toString();
}

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

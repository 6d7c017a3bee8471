// Main process, Electron-free so tests and the web harness can import it. What the app window is
// allowed to load and who may call the core: the app's own origin (app://todoke/), its CSP, and
// how a request path maps to a file of the built renderer without escaping its folder.
import { extname, resolve, sep } from 'node:path';
import { NOTICE_PAGE_SCHEME } from '../../shared/notice-page.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'todoke';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The app's own pages: exactly the app:// origin, nothing that merely starts with the same letters. */
export function isAppUrl(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`);
}

export interface SenderFacts {
  /** URL of the frame that sent the request, or null when it has gone away */
  frameUrl: string | null;
  /** whether that frame is the top-level frame of its page */
  isMainFrame: boolean;
  /** whether the page is one of the windows this app created */
  isAppWindow: boolean;
}

/** Only the app's own top-level page may call the core: not a subframe, not a page that navigated away. */
export function isTrustedSender(facts: SenderFacts): boolean {
  return facts.isAppWindow && facts.isMainFrame && facts.frameUrl !== null && isAppUrl(facts.frameUrl);
}

/**
 * The renderer's Content-Security-Policy. Nothing inline, nothing remote; `connectSrc` is widened
 * only by the web harness for its loopback WebSocket. Frames: only `blob:` documents the renderer
 * made itself (HtmlReportFrame: e-Gov's HTML reports in a sandbox="" frame, no scripts, no network).
 * `srcdoc` cannot serve: it is a Trusted Types sink, and this policy creates no Trusted Types. A
 * report trying to navigate its frame anywhere else is refused by this same directive.
 */
export function contentSecurityPolicy(options: { connectSrc?: readonly string[]; frameSrc?: readonly string[] } = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...(options.connectSrc ?? [])].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-src ${['blob:', ...(options.frameSrc ?? [`${NOTICE_PAGE_SCHEME}:`])].join(' ')}`,
    "frame-ancestors 'none'",
    "worker-src 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

/** Response headers every renderer file is served with, by Electron's app:// handler and the harness alike. */
export function rendererHeaders(contentType: string, csp: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The content type for a renderer file, or null for a kind of file the renderer never serves. */
export function contentTypeFor(filePath: string): string | null {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? null;
}

/**
 * The file under `root` that a URL path names (`/` → index.html), or null when the path is
 * malformed, hidden (a dot segment), or would leave `root` once decoded.
 */
export function resolveRendererFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s.startsWith('.'))) return null;
  const relative = decoded === '/' ? 'index.html' : segments.join('/');
  const base = resolve(root);
  const file = resolve(base, relative);
  if (!file.startsWith(base + sep)) return null;
  if (contentTypeFor(file) === null) return null;
  return file;
}

// Main process (Electron). Serves the built renderer on app://todoke/ so the window never loads
// content from file: URLs, and every response carries the CSP (a header, not a meta tag, so it
// also covers what the HTML itself cannot).
import { readFile } from 'node:fs/promises';
import type { Protocol } from 'electron';
import { NOTICE_PAGE_HOST, NOTICE_PAGE_SCHEME, noticeIdOfPath, noticePageHeaders } from '../../shared/notice-page.js';
import { APP_HOST, APP_SCHEME, contentSecurityPolicy, contentTypeFor, rendererHeaders, resolveRendererFile } from './policy.js';

/** Must run before the app is ready: makes app:// a standard, secure origin (like https) for fetch and storage. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    // notice pages: a standard scheme so each page is a document with its own CSP (no fetch, no storage)
    { scheme: NOTICE_PAGE_SCHEME, privileges: { standard: true, secure: true } },
  ]);
}

export function serveRenderer(protocol: Protocol, rendererRoot: string): void {
  // electronegativity-ignore: CSP_GLOBAL_CHECK — the CSP is a header on every app:// response,
  // built by contentSecurityPolicy() (policy.ts), which the scanner cannot follow; the policy is
  // judged by the scanner's own CSP evaluator in test/integration/electronegativity.test.ts.
  const csp = contentSecurityPolicy();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) return notFound();
    const file = resolveRendererFile(rendererRoot, url.pathname);
    if (file === null) return notFound();
    try {
      const body = await readFile(file);
      return new Response(new Uint8Array(body), { status: 200, headers: rendererHeaders(contentTypeFor(file) ?? 'application/octet-stream', csp) });
    } catch {
      return notFound();
    }
  });
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * Serves todoke-doc://notice/<id>: the core renders a kept notice (sanitised HTML) and the page goes
 * out under its own CSP (src/shared/notice-page.ts), never the app's. Only GET, only this host, only
 * an id; anything the core refuses is a plain 404.
 */
export function serveNoticePages(protocol: Protocol, render: (id: number) => Promise<string | null>): void {
  protocol.handle(NOTICE_PAGE_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== NOTICE_PAGE_HOST || request.method !== 'GET' || url.search !== '') return notFound();
    const id = noticeIdOfPath(url.pathname.slice(1));
    if (id === null) return notFound();
    const html = await render(id).catch(() => null);
    if (html === null) return notFound();
    return new Response(html, { status: 200, headers: noticePageHeaders() });
  });
}

// Runs in every process. Where a rendered notice is shown: a page of its own, served by the host
// (Electron's todoke-doc: scheme, the harness's /doc/ path) with a CSP of its own — never a blob:
// or srcdoc frame, which would inherit the app's policy (no inline styles) and lose the document's
// layout. The page runs nothing and loads nothing; the frame that holds it is sandbox="" as well.
// The app's own CSP opens frame-src to this one place only (besides blob: for PDFs and reports).

export const NOTICE_PAGE_SCHEME = 'todoke-doc';
export const NOTICE_PAGE_HOST = 'notice';
/** the harness's path for the same pages */
export const HARNESS_NOTICE_PAGE_PREFIX = '/doc/notice/';

/**
 * The page's own policy: inline styles (the document's layout, already sanitised by the core), data:
 * images, nothing else; `sandbox` keeps it an opaque origin even when opened outside its frame.
 */
export const NOTICE_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; sandbox";

/** Response headers of a notice page, in Electron and in the harness alike. */
export function noticePageHeaders(): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': NOTICE_PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-resource-policy': 'same-site',
  };
}

const ID = /^[1-9][0-9]{0,15}$/;

/** The notice id a page path names (`/<id>` after the scheme's host or the harness prefix), or null. */
export function noticeIdOfPath(rest: string): number | null {
  if (!ID.test(rest)) return null;
  const id = Number(rest);
  return Number.isSafeInteger(id) ? id : null;
}

export function electronNoticePageUrl(id: number): string {
  return `${NOTICE_PAGE_SCHEME}://${NOTICE_PAGE_HOST}/${id}`;
}

// Core host (Node). The one page every rendered notice is shown in: UTF-8, our own CSS (Japanese
// fonts, print-friendly), a Content-Security-Policy that forbids scripts and every load but inline
// styles and embedded images — a second lock behind the sanitiser and the viewer frame's own CSP.
import { escapeText } from './sanitize.js';

export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

const BASE_CSS = `
html { background: #fff; color: #111; }
body { margin: 0 auto; padding: 24px 32px; max-width: 800px; font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; font-size: 15px; line-height: 1.7; word-break: break-word; }
pre { font-family: inherit; white-space: pre-wrap; }
table { border-collapse: collapse; max-width: 100%; }
img { max-width: 100%; }
.doc-front { display: flex; gap: 1em; font-size: 0.9em; }
.doc-badge { border: 1px solid #b00; color: #b00; padding: 0 0.5em; }
.doc-meta { color: #555; }
.doc-no, .doc-date, .doc-author { text-align: right; margin: 0; }
.doc-to { text-align: left; margin: 1.5em 0 0.5em; }
.doc-author { margin: 0.5em 0 1.5em; }
.doc-title { text-align: center; font-size: 1.35em; font-weight: bold; margin: 1.5em 0; }
.doc-text p { margin: 0 0 0.6em; text-indent: 1em; }
.doc-text p.doc-level { text-indent: 0; }
.doc-ki { text-align: center; margin: 1.5em 0 1em; }
.doc-ref { margin-top: 2em; padding-top: 0.5em; border-top: 1px solid #ccc; font-size: 0.95em; }
.doc-other { margin-top: 1em; white-space: pre-wrap; }
.doc-other-name { color: #666; font-size: 0.85em; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .doc-title, .doc-ki { page-break-after: avoid; }
  tr, p { page-break-inside: avoid; }
}
`;

/** A complete HTML document around an already safe body. */
export function htmlPage(title: string, safeBody: string): string {
  return (
    '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">` +
    '<meta name="referrer" content="no-referrer">' +
    `<title>${escapeText(title)}</title><style>${BASE_CSS}</style></head>\n<body>${safeBody}</body></html>\n`
  );
}

// Core host (Node). Which stylesheet shows a notice: the one its <?xml-stylesheet?> names, if the
// ZIP holds it; else the one XSL the ZIP holds (or, among several, the one BODY/STYLESHEET/@URI
// names, else the first by name); else our built-in layout. e-Gov's own files disagree with
// themselves (0000-API-001.xml names stylesheet-API-001.xsl, its ZIP ships スタイルシート1.xsl;
// 0000-API-002.xml names DEFAULT_STYLE.xsl and ships none), so each fallback is a real case.
// Names are only ever compared with the ZIP's own entry names: an href is never resolved as a
// path or URL.
import type { Document, Element } from '@xmldom/xmldom';

export type StylesheetSource = 'named' | 'zip' | 'builtin';

export interface StylesheetChoice {
  source: StylesheetSource;
  /** the ZIP entry used (absent for the built-in layout) */
  name?: string;
}

export interface StylesheetHints {
  /** href of the first <?xml-stylesheet?> before the root element, as written */
  piHref: string | null;
  /** BODY/STYLESHEET/@URI, as written */
  declaredUri: string | null;
}

const PI_HREF = /(?:^|\s)href\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/** What the document itself says about its stylesheet. */
export function stylesheetHints(doc: Document): StylesheetHints {
  let piHref: string | null = null;
  for (let node = doc.firstChild; node && node.nodeType !== 1; node = node.nextSibling) {
    if (node.nodeType === 7 && node.nodeName === 'xml-stylesheet') {
      const m = PI_HREF.exec((node as unknown as { data: string }).data);
      if (m) {
        piHref = m[1] ?? m[2] ?? null;
        break;
      }
    }
  }
  let declaredUri: string | null = null;
  const root = doc.documentElement;
  const body = root ? childElement(root, 'BODY') : null;
  const declared = body ? childElement(body, 'STYLESHEET') : null;
  if (declared?.hasAttribute('URI')) declaredUri = declared.getAttribute('URI');
  return { piHref, declaredUri };
}

function childElement(parent: Element, name: string): Element | null {
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && n.nodeName === name) return n as Element;
  return null;
}

/** An href that could only mean a file of the ZIP: no folders, no drive or scheme, no parent. */
export function isPlainFileName(href: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters never name a ZIP entry
  return href.length > 0 && !/[/\\:\u0000-\u001f]/.test(href) && !href.includes('..');
}

/** The ZIP entry `href` names: the same string, else the same after NFC (names arrive NFC or NFD). */
export function findEntry(href: string, names: readonly string[]): string | null {
  if (!isPlainFileName(href)) return null;
  if (names.includes(href)) return href;
  const wanted = href.normalize('NFC');
  return names.find((n) => n.normalize('NFC') === wanted) ?? null;
}

export function isStylesheetName(name: string): boolean {
  return /\.xslt?$/i.test(name);
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The choice and, when the document's own wish could not be met, why (in Japanese, for the viewer). */
export function chooseStylesheet(hints: StylesheetHints, fileNames: readonly string[], xmlName: string): { choice: StylesheetChoice; warnings: string[] } {
  const warnings: string[] = [];
  const { piHref } = hints;
  if (piHref !== null) {
    const named = findEntry(piHref, fileNames);
    if (named !== null && named !== xmlName) return { choice: { source: 'named', name: named }, warnings };
    warnings.push(
      isPlainFileName(piHref)
        ? `指定のスタイルシート ${piHref} が見つからないため`
        : `指定のスタイルシート ${piHref} は受け取ったファイルを指していないため`,
    );
  }
  const xsls = fileNames.filter((n) => n !== xmlName && isStylesheetName(n)).sort(byCodePoint);
  let chosen: string | undefined;
  if (xsls.length === 1) chosen = xsls[0];
  else if (xsls.length > 1) chosen = (hints.declaredUri !== null ? findEntry(hints.declaredUri, xsls) : null) ?? xsls[0];
  if (chosen !== undefined) {
    if (warnings.length > 0) warnings[0] += `、受け取ったファイルの中のスタイルシート ${chosen} を使いました`;
    return { choice: { source: 'zip', name: chosen }, warnings };
  }
  if (warnings.length > 0) warnings[0] += '標準の表示を使いました';
  else warnings.push('スタイルシートが添付されていないため標準の表示を使いました');
  return { choice: { source: 'builtin' }, warnings };
}

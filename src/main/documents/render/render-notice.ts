// Core host (Node). A notice ZIP's XML as a complete, safe HTML page: through the stylesheet it
// names or ships (xslt-processor in a worker, the result rebuilt through the sanitiser), or through
// our built-in layout when it ships none. Never a browser's XSLT (Chromium is dropping it), never a
// load from anywhere: the page needs nothing but its own text.
import type { Document } from '@xmldom/xmldom';
import { isTodokeError } from '../../../shared/errors.js';
import { decodeXml, parseXmlText } from '../../signing/xml/safe-xml.js';
import { builtinLayout } from './builtin-layout.js';
import { badXml, badXsl, externalLoad, missingFile, RenderError, renderTimeout, renderTooLarge, workerFailed } from './errors.js';
import { htmlPage } from './html-page.js';
import { chooseStylesheet, stylesheetHints, type StylesheetChoice } from './stylesheet-choice.js';
import { XsltRunner, type XsltOutcome } from './xslt-runner.js';

export interface NoticeFiles {
  /** the XML to show, one of `files` */
  xmlName: string;
  /** the extracted entries of one notice ZIP, names already decoded from CP932 */
  files: ReadonlyMap<string, Uint8Array>;
}

export interface RenderOptions {
  /**
   * When the stylesheet fails (it is broken, too slow, too large, reaches outside): show the document
   * in the built-in layout with a warning that says why, rather than nothing. The XML itself must
   * still be sound: a document Todoke cannot read is never laid out from a guess.
   */
  fallbackToBuiltin?: boolean;
}

export interface RenderLimits {
  /** wall-clock limit of one transformation (default 5 s) */
  timeoutMs?: number;
  /** size limit of the produced page (default 8 MB) */
  maxOutputBytes?: number;
  /** heap of the XSLT worker (default 256 MB): the backstop behind the output limit */
  heapMb?: number;
  /** size limit of the XML and of the stylesheet (default 10 MiB each) */
  maxInputBytes?: number;
}

export interface RenderResult {
  /** a complete HTML document (UTF-8, no script, no external load) */
  html: string;
  stylesheet: StylesheetChoice;
  /** what the viewer should tell the user (Japanese) */
  warnings: string[];
  title: string;
}

export const DEFAULT_RENDER_LIMITS: Required<RenderLimits> = {
  timeoutMs: 5000,
  maxOutputBytes: 8 * 1024 * 1024,
  heapMb: 256,
  maxInputBytes: 10 * 1024 * 1024,
};

const runners = new Map<number, XsltRunner>();

function runnerFor(heapMb: number): XsltRunner {
  let runner = runners.get(heapMb);
  if (!runner) {
    runner = new XsltRunner({ heapMb });
    runners.set(heapMb, runner);
  }
  return runner;
}

/** Stops the warm XSLT workers (the core host's shutdown; tests). The next render starts one again. */
export async function stopRenderWorkers(): Promise<void> {
  const all = [...runners.values()];
  runners.clear();
  await Promise.all(all.map((r) => r.close()));
}

/** How many XSLT workers have been started for this heap size (tests: a stopped worker is replaced). */
export function renderWorkersStarted(heapMb = DEFAULT_RENDER_LIMITS.heapMb): number {
  return runners.get(heapMb)?.started ?? 0;
}

function reasonOf(e: unknown): string {
  if (isTodokeError(e, 'XML_DOCTYPE')) return '文書型宣言（DOCTYPE）または実体宣言が含まれています';
  if (isTodokeError(e, 'XML_TOO_LARGE')) return `大きすぎます（上限 ${String(e.detail?.maxBytes)} バイト）`;
  if (isTodokeError(e) && typeof e.detail?.reason === 'string') return e.detail.reason;
  return e instanceof Error ? e.message : String(e);
}

/** Decodes and checks one file; `fail` turns a parser complaint into the right render error. */
function readXml(name: string, bytes: Uint8Array, maxBytes: number, fail: (name: string, reason: string, cause: unknown) => RenderError): { text: string; doc: Document } {
  try {
    const { text } = decodeXml(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { maxBytes });
    return { text, doc: parseXmlText(text) };
  } catch (e) {
    throw fail(name, reasonOf(e), e);
  }
}

function titleOf(doc: Document): string {
  const body = Array.from(doc.documentElement?.childNodes ?? []).find((n) => n.nodeName === 'BODY');
  const title = Array.from(body?.childNodes ?? []).find((n) => n.nodeName === 'TITLE');
  return (title?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function failure(outcome: Exclude<XsltOutcome, { ok: true }>, xslName: string, limits: Required<RenderLimits>): RenderError {
  switch (outcome.kind) {
    case 'bad-xsl':
      return badXsl(xslName, outcome.reason);
    case 'external':
      return externalLoad(xslName, outcome.reason);
    case 'too-large':
      return renderTooLarge(xslName, 'output', limits.maxOutputBytes);
    case 'too-deep':
      return renderTooLarge(xslName, 'depth', 0);
    case 'out-of-memory':
      return renderTooLarge(xslName, 'memory', limits.heapMb);
    case 'timeout':
      return renderTimeout(xslName, limits.timeoutMs);
    case 'crashed':
      return workerFailed(xslName, outcome.reason);
  }
}

/**
 * Renders the notice's XML. Throws RenderError: RENDER_MISSING_FILE, RENDER_BAD_XML, RENDER_BAD_XSL,
 * RENDER_EXTERNAL_LOAD, RENDER_TIMEOUT, RENDER_TOO_LARGE, RENDER_WORKER_FAILED.
 */
export async function renderNotice(input: NoticeFiles, limits: RenderLimits = {}, options: RenderOptions = {}): Promise<RenderResult> {
  const l: Required<RenderLimits> = { ...DEFAULT_RENDER_LIMITS, ...limits };
  const xmlBytes = input.files.get(input.xmlName);
  if (!xmlBytes) throw missingFile(input.xmlName);
  const xml = readXml(input.xmlName, xmlBytes, l.maxInputBytes, badXml);
  const { choice, warnings } = chooseStylesheet(stylesheetHints(xml.doc), [...input.files.keys()], input.xmlName);

  let page: { body: string; title: string };
  if (choice.source === 'builtin') {
    page = builtinLayout(xml.doc);
  } else {
    const xslName = choice.name!;
    try {
      const xsl = readXml(xslName, input.files.get(xslName)!, l.maxInputBytes, badXsl);
      const outcome = await runnerFor(l.heapMb).run({ xml: xml.text, xsl: xsl.text, maxOutputChars: l.maxOutputBytes }, l.timeoutMs);
      if (!outcome.ok) throw failure(outcome, xslName, l);
      if (outcome.removed > 0) warnings.push(`安全のため、スクリプトや外部への参照など ${outcome.removed} 件を表示から取り除きました`);
      if (outcome.documentCalls.length > 0) warnings.push(`スタイルシートが外部の文書（${outcome.documentCalls.join('、')}）を参照していましたが、読み込んでいません`);
      page = { body: outcome.body, title: outcome.title || titleOf(xml.doc) };
    } catch (e) {
      if (!options.fallbackToBuiltin || !(e instanceof RenderError)) throw e;
      warnings.push(`スタイルシート ${xslName} で表示できなかったため、標準の表示を使いました（${e.messageJa}）`);
      page = builtinLayout(xml.doc);
      const html = htmlPage(page.title, page.body);
      return { html, stylesheet: { source: 'builtin' }, warnings, title: page.title };
    }
  }
  const html = htmlPage(page.title, page.body);
  if (Buffer.byteLength(html, 'utf8') > l.maxOutputBytes) throw renderTooLarge(choice.name ?? input.xmlName, 'output', l.maxOutputBytes);
  return { html, stylesheet: choice, warnings, title: page.title };
}

// XSLT worker (worker_threads, started by xslt-runner.ts in the core host). Runs one stylesheet over
// one document with xslt-processor and hands back sanitised HTML. It lives in a worker so that the
// core host can stop it: a stylesheet that loops or recurses forever is terminated on a wall-clock
// limit, one that builds a gigabyte hits the output budget below, and the worker's own heap limit
// is the backstop when neither catches it. Nothing here may load anything: xsl:include/xsl:import
// are refused, document() finds nothing, and fetch is gone from this thread altogether.
import { parentPort } from 'node:worker_threads';
import { XNode, Xslt, domDocumentToXDocument } from 'xslt-processor';
import { parseXmlText } from '../../signing/xml/safe-xml.js';
import { sanitiseTree, type TreeNode } from './sanitize.js';
import type { XsltReply, XsltRequest, XsltWorkerMessage } from './xslt-protocol.js';

class OutputLimitReached extends Error {}
class LoadRefused extends Error {}

// Defence in depth: xslt-processor's default loader is the global fetch.
Object.defineProperty(globalThis, 'fetch', {
  value: () => Promise.reject(new LoadRefused('network access is disabled in the XSLT worker')),
  configurable: false,
  writable: false,
});

/**
 * The output budget, charged as the result tree grows (every node appended: element names, text,
 * attribute values), so a stylesheet that writes a gigabyte stops at the limit instead of at the
 * heap's end. The input trees are built before the budget is armed.
 */
const budget = { armed: false, remaining: 0, exceeded: false };
const appendChild = XNode.prototype.appendChild;
XNode.prototype.appendChild = function chargedAppendChild(this: XNode, node: XNode): void {
  if (budget.armed) {
    budget.remaining -= node.nodeName.length + String(node.nodeValue ?? '').length + 4;
    if (budget.remaining < 0 || budget.exceeded) {
      budget.exceeded = true;
      throw new OutputLimitReached('output limit reached');
    }
  }
  appendChild.call(this, node);
};

function failureOf(e: unknown): Extract<XsltReply, { ok: false }> {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError && /call stack/i.test(message)) return { ok: false, kind: 'too-deep', reason: message };
  return { ok: false, kind: 'bad-xsl', reason: message.slice(0, 500) };
}

async function transform(req: XsltRequest): Promise<XsltReply> {
  let refused: string | null = null;
  const documentCalls: string[] = [];
  const xslt = new Xslt({
    fetchFunction: (uri: string) => {
      refused ??= uri;
      return Promise.reject(new LoadRefused(`refused to load ${uri}`));
    },
    // document('') (the stylesheet itself) is answered by xslt-processor without asking this
    documentLoader: (uri: string) => {
      if (documentCalls.length < 10 && !documentCalls.includes(uri)) documentCalls.push(uri);
      return null;
    },
  });
  // xslt-processor warns on the console (e.g. for each document() miss); the host does not want that
  (xslt as unknown as { warningsCallback: () => void }).warningsCallback = () => undefined;
  const xml = domDocumentToXDocument(parseXmlText(req.xml) as unknown as Document);
  const xsl = domDocumentToXDocument(parseXmlText(req.xsl) as unknown as Document);
  budget.remaining = req.maxOutputChars;
  budget.exceeded = false;
  budget.armed = true;
  let out: XNode;
  try {
    out = await xslt.xsltProcessToDocument(xml, xsl);
  } catch (e) {
    if (budget.exceeded) return { ok: false, kind: 'too-large', reason: 'output' };
    if (refused !== null) return { ok: false, kind: 'external', reason: refused };
    return failureOf(e);
  } finally {
    budget.armed = false;
  }
  // a refusal or the limit may have been caught and swallowed inside the processor
  if (budget.exceeded) return { ok: false, kind: 'too-large', reason: 'output' };
  if (refused !== null) return { ok: false, kind: 'external', reason: refused };
  const page = sanitiseTree(out as unknown as TreeNode);
  return { ok: true, body: page.body, title: page.title, removed: page.removed, documentCalls };
}

const post = (message: XsltWorkerMessage): void => parentPort!.postMessage(message);

parentPort?.on('message', (req: XsltRequest) => {
  transform(req).then(
    (reply) => post({ id: req.id, ...reply }),
    (e: unknown) => post({ id: req.id, ...failureOf(e) }),
  );
});
// the runner starts a job's clock only now, so a slow boot never counts against a stylesheet
post({ ready: true });

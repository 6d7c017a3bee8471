// Core host and XSLT worker. The messages between xslt-runner.ts and xslt-worker.ts.

export interface XsltRequest {
  id: number;
  /** the document, already checked by parseXmlText in the core host */
  xml: string;
  /** the stylesheet, already checked the same way */
  xsl: string;
  /** the result tree's budget in characters (names, text, attribute values) */
  maxOutputChars: number;
}

export type XsltReply =
  | { ok: true; body: string; title: string; removed: number; documentCalls: string[] }
  | {
      ok: false;
      /** bad-xsl: the processor refused the stylesheet; external: it asked to load `reason`; too-large / too-deep: a limit */
      kind: 'bad-xsl' | 'external' | 'too-large' | 'too-deep';
      reason: string;
    };

/** What the worker posts: once `ready` when xslt-processor is loaded, then one reply per request. */
export type XsltWorkerMessage = { ready: true } | (XsltReply & { id: number });

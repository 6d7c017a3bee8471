// Sandbox (Node). Writes a response with e-Gov's header set in the order every recording shows
// (REFERENCE §2.5): Content-Length, Content-Type, Date, X-Frame-Options, Cache-Control, Pragma,
// Expires, X-UA-Compatible, Via, Proxy-Agent. The F5 Set-Cookie is left out: clients never sent
// it back and it is not part of the protocol.
import type { ServerResponse } from 'node:http';
import { httpDate } from '../wire/time.js';

export interface SandboxResponse {
  status: number;
  /** text, or its UTF-8 bytes when the writer encoded as it went (long lists) */
  body: string | Buffer;
  /** extra headers after the fixed set (e.g. Allow on 405, Connection: close on 413) */
  extraHeaders?: ReadonlyArray<readonly [string, string]>;
  /** default `text/xml;charset=UTF-8`; only the HTML of the bank-site hand-off (§4.20) differs */
  contentType?: string;
}

export function responseHeaders(bodyBytes: number, now: Date, contentType = 'text/xml;charset=UTF-8'): Array<[string, string]> {
  return [
    ['Content-Length', String(bodyBytes)],
    ['Content-Type', contentType],
    ['Date', httpDate(now)],
    ['X-Frame-Options', 'DENY'],
    ['Cache-Control', 'no-store,no-cache'],
    ['Pragma', 'no-cache'],
    ['Expires', 'Thu, 01 Dec 1994 16:00:00 GMT'],
    ['X-UA-Compatible', 'IE=EmulateIE7'],
    ['Via', '1.1 proxy-api2'],
    ['Proxy-Agent', 'none'],
  ];
}

export function send(res: ServerResponse, response: SandboxResponse, now: Date): void {
  const bytes = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  const headers = [...responseHeaders(bytes.length, now, response.contentType), ...(response.extraHeaders ?? [])];
  // node:http appends its own Date header unless told not to; ours comes from the sandbox clock.
  res.sendDate = false;
  res.writeHead(response.status, headers.flat());
  res.end(bytes);
}

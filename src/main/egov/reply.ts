// Main process. What an HTTP status and body from e-Gov mean (REFERENCE §2.6, §10): 200/201/202 with
// Code 0 is success; 400/500 carry a Result with Code 1 and the server's Message; anything we cannot
// read is a typed error. Pure: the transport hands over bytes, nothing here does I/O.
import { apiError, authFailed, isEgovError, malformedResponse, serverError, unexpectedStatus, type EgovError } from './errors.js';
import { parseEgovDocument, type EgovDocument, type ParseOptions, type XmlNode } from './xml.js';

export interface EgovReply {
  /** 200, 201 or 202 */
  status: number;
  /** Result/Message verbatim; '' on every success seen */
  message: string;
  /** the children of ApplData */
  applData: XmlNode;
}

export const SUCCESS_STATUSES: ReadonlySet<number> = new Set([200, 201, 202]);

export function interpretResponse(status: number, body: Buffer | string, opts: ParseOptions = {}): EgovReply {
  if (SUCCESS_STATUSES.has(status)) {
    const doc = withStatus(status, () => parseEgovDocument(body, opts));
    if (doc.result.code === '1') throw apiError(status, doc.result.message);
    if (!doc.applData) throw malformedResponse('ApplData がありません', 'success response without ApplData', { status });
    return { status, message: doc.result.message, applData: doc.applData };
  }
  const doc = tryParse(body, opts);
  if (status === 401) throw authFailed(status, doc?.result.message);
  if (doc?.result.code === '1' && status >= 400 && status <= 599) throw apiError(status, doc.result.message);
  if (doc?.result.code === '0') {
    throw malformedResponse('エラーの応答なのに成功の結果が書かれています', `HTTP ${status} with Result/Code 0`, { status });
  }
  if (status >= 500 && status <= 599) throw serverError(status);
  throw unexpectedStatus(status);
}

/** A body that is not an e-Gov document (a proxy's HTML page, nothing at all) reads as null. */
function tryParse(body: Buffer | string, opts: ParseOptions): EgovDocument | null {
  try {
    return parseEgovDocument(body, opts);
  } catch (e) {
    if (isEgovError(e, 'EGOV_MALFORMED_RESPONSE')) return null;
    throw e;
  }
}

function withStatus<T>(status: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isEgovError(e, 'EGOV_MALFORMED_RESPONSE') && e.status === undefined) throw restamp(e, status);
    throw e;
  }
}

function restamp(e: EgovError, status: number): EgovError {
  const reason = typeof e.detail?.reason === 'string' ? e.detail.reason : e.message;
  const reasonJa = typeof e.detail?.reasonJa === 'string' ? e.detail.reasonJa : '形式が正しくありません';
  return malformedResponse(reasonJa, reason, { status, cause: e.cause ?? e });
}

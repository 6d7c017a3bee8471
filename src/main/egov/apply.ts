// Main process. 一括申請, 送信案件一覧 and 申請案件一覧 (REFERENCE §4.3–4.5): build the path, send with the
// access key, decode. 一括申請 sends bytes prepared beforehand (the outbox keeps exactly those), and
// every failure after which e-Gov may hold the batch says so (`delivery: 'unknown'`), in words that
// ask to check 送信案件一覧 before sending again.
import type { SendApplications, SendQuery, SendReceipt, SendSummary } from '../../shared/filing.js';
import {
  APPLY_PATH,
  ARRIVED_ARRAY_ELEMENTS,
  arrivedPath,
  checkSendsEcho,
  decodeArrivedList,
  decodeSendReceipt,
  isNoSendsMessage,
  looksLikeApplyRequest,
  sendsPath,
  type SendsAnswer,
} from './apply-codec.js';
import { deliveryReasonJa, EgovError, invalidArgument, isEgovError } from './errors.js';
import type { EgovCaller } from './http.js';
import { readSendsReply } from './sends-scan.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * 一括申請 of `body`, a request made by encodeApplyRequest, sent byte for byte. HTTP 202 gives the
 * receipt (送信番号). A 5xx, an unreadable answer, a timeout or a reset after sending throws with
 * delivery 'unknown': e-Gov may have the batch.
 */
export async function sendBatch(client: EgovCaller, accessKey: string, body: Uint8Array): Promise<SendReceipt> {
  if (!looksLikeApplyRequest(body)) throw invalidArgument('一括申請の送信データの形式が正しくありません', 'body is not a 一括申請 request made by encodeApplyRequest');
  let text: string;
  try {
    // the transport takes text and writes it as UTF-8: a valid UTF-8 body round-trips to the same bytes
    text = strictUtf8.decode(body);
  } catch {
    throw invalidArgument('一括申請の送信データが UTF-8 として読めません', 'body is not valid UTF-8');
  }
  try {
    const reply = await client.call({ method: 'POST', path: `access/${APPLY_PATH}`, accessKey, body: text });
    return decodeSendReceipt(reply.applData);
  } catch (e) {
    throw batchOutcome(e);
  }
}

/** 送信案件一覧 by 送信番号 or by send days. "Nothing in range" (HTTP 400, A.12) is an empty list. */
export async function listSends(client: EgovCaller, accessKey: string, query: SendQuery): Promise<SendSummary[]> {
  const path = sendsPath(query);
  let answer: SendsAnswer;
  try {
    // one Apply per case: read by the reader made for this answer (./sends-scan.ts), same result
    answer = await client.callReading({ method: 'GET', path: `access/${path}`, accessKey }, readSendsReply);
  } catch (e) {
    if (isEgovError(e, 'EGOV_API_ERROR') && isNoSendsMessage(e.status, e.serverMessage)) return [];
    throw e;
  }
  checkSendsEcho(answer, query);
  return answer.sends;
}

/** 申請案件一覧 of one batch. */
export async function listArrived(client: EgovCaller, accessKey: string, sendNumber: string): Promise<SendApplications> {
  const path = arrivedPath(sendNumber);
  const reply = await client.call({ method: 'GET', path: `access/${path}`, accessKey, arrayElements: ARRIVED_ARRAY_ELEMENTS });
  const answer = decodeArrivedList(reply.applData);
  if (answer.sendNumber !== sendNumber) throw decodeMismatch(sendNumber);
  return answer;
}

function decodeMismatch(sendNumber: string): EgovError {
  return new EgovError(
    'EGOV_MALFORMED_RESPONSE',
    {
      ja: `e-Gov の応答が、問い合わせた送信番号 ${sendNumber} のものではありません。しばらく待ってからもう一度お試しください。`,
      en: `申請案件一覧 answer is not about send number ${sendNumber}`,
    },
    { delivery: 'answered', detail: { reason: 'SendNumber echo mismatch' } },
  );
}

/**
 * After 一括申請, e-Gov may hold the batch whenever the answer is not a clear one: a 5xx (even with
 * Code 1 — e-Gov reported business errors as 500), an answer that cannot be read. Those become
 * delivery 'unknown' with a message that forbids a blind resend. Errors that are already 'unknown'
 * (timeout, reset) get the same message; 'not-sent' and clear answers (400 Code 1, 401) stay as they are.
 */
function batchOutcome(e: unknown): unknown {
  if (!isEgovError(e)) return e;
  const status = e.status;
  const mayHoldBatch =
    e.delivery === 'unknown' ||
    e.code === 'EGOV_MALFORMED_RESPONSE' ||
    e.code === 'EGOV_SERVER_ERROR' ||
    (e.code === 'EGOV_API_ERROR' && status !== undefined && status >= 500);
  if (!mayHoldBatch) return e;
  const detail: Record<string, unknown> = { ...e.detail, batch: true };
  delete detail.delivery;
  return new EgovError(
    e.code,
    {
      ja:
        `一括申請が e-Gov に受け付けられたかどうか分かりません（${deliveryReasonJa(e)}）。` +
        '二重に申請しないよう、もう一度送信する前に送信案件一覧で受付の有無を確認してください。',
      en: `一括申請 outcome unknown, check 送信案件一覧 before resending: ${e.message}`,
    },
    { delivery: 'unknown', status, serverMessage: e.serverMessage, cause: e, detail },
  );
}


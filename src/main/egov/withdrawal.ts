// Main process. 取下げ (REFERENCE §4.7): sends bytes prepared beforehand (the outbox keeps exactly
// those) and reads the 202. Unlike 一括申請 the answer is synchronous: the 取下げ has arrived when it
// comes, with a 到達番号 of its own. Every failure after which e-Gov may hold the 取下げ says so
// (`delivery: 'unknown'`), in words that ask to check 状況照会 before sending again: a second 取下げ
// of the same case is a second case at the ministry.
import type { WithdrawalReceipt } from '../../shared/case.js';
import { deliveryReasonJa, EgovError, invalidArgument, isEgovError } from './errors.js';
import type { EgovCaller } from './http.js';
import { WITHDRAWAL_ARRAY_ELEMENTS, WITHDRAWAL_PATH, checkWithdrawalEcho, decodeWithdrawalReceipt, decodeWithdrawalRequest } from './withdrawal-codec.js';

/** 取下げ of `body`, a request made by encodeWithdrawalRequest, sent byte for byte. */
export async function sendWithdrawal(client: EgovCaller, accessKey: string, body: Uint8Array): Promise<WithdrawalReceipt> {
  const request = decodeWithdrawalRequest(body);
  if (!request) throw invalidArgument('取下げの送信データの形式が正しくありません', 'body is not a 取下げ request made by encodeWithdrawalRequest');
  // the frame is ASCII (checked above), so this text is the body's bytes exactly
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  try {
    const reply = await client.call({ method: 'POST', path: `access/${WITHDRAWAL_PATH}`, accessKey, body: text, arrayElements: WITHDRAWAL_ARRAY_ELEMENTS });
    const receipt = decodeWithdrawalReceipt(reply.applData);
    checkWithdrawalEcho(receipt, request.arriveId);
    return receipt;
  } catch (e) {
    throw withdrawalOutcome(e, request.arriveId);
  }
}

/**
 * Whether e-Gov may hold a request this error ended: not a clear refusal (400 Code 1, 401) but a 5xx
 * (e-Gov reports business errors as 500, A.21), an unreadable answer, a timeout or a reset. Shared
 * with 補正 (amendment.ts), whose answers follow the same rules.
 */
export function mayHaveArrived(e: EgovError): boolean {
  const status = e.status;
  return (
    e.delivery === 'unknown' ||
    e.code === 'EGOV_MALFORMED_RESPONSE' ||
    e.code === 'EGOV_SERVER_ERROR' ||
    (e.code === 'EGOV_API_ERROR' && status !== undefined && status >= 500)
  );
}

/**
 * As 一括申請's batchOutcome (apply.ts): a clear refusal (400 Code 1, 401) stays as it is; a 5xx (e-Gov
 * reported business errors as 500), an unreadable answer, a timeout or a reset become delivery
 * 'unknown' with a message that forbids a blind resend.
 */
function withdrawalOutcome(e: unknown, arriveId: string): unknown {
  if (!isEgovError(e) || !mayHaveArrived(e)) return e;
  const status = e.status;
  const detail: Record<string, unknown> = { ...e.detail, withdrawal: true, arriveId };
  delete detail.delivery;
  return new EgovError(
    e.code,
    {
      ja:
        `到達番号 ${arriveId} の取下げが e-Gov に受け付けられたかどうか分かりません（${deliveryReasonJa(e)}）。` +
        '二重に取下げないよう、もう一度送信する前に状況照会でこの案件の状況（到達（取下げ処理中）など）を確認してください。',
      en: `取下げ of ${arriveId}: outcome unknown, check 状況照会 before resending: ${e.message}`,
    },
    { delivery: 'unknown', status, serverMessage: e.serverMessage, cause: e, detail },
  );
}


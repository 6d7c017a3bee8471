// Main process. 補正申請 / 再提出 / 部分補正 (REFERENCE §4.9–§4.11): sends bytes prepared beforehand (the
// outbox keeps exactly those) and reads the 202. As with 取下げ the answer is synchronous, and every
// failure after which e-Gov may hold the 補正 says so (`delivery: 'unknown'`) in words that ask to
// check 状況照会 first: a second 補正 of the same case is a second submission at the ministry. An
// ineligible case is answered with HTTP 500 and a system-error message (A.21), indistinguishable on the
// wire from a real failure, so it is 'unknown' too and 状況照会 decides.
import type { AmendmentKind, AmendmentReceipt } from '../../shared/documents.js';
import { AMENDMENT_ARRAY_ELEMENTS, amendmentLabel, amendmentPath, checkAmendmentEcho, decodeAmendmentReceipt, decodeAmendmentRequest } from './amendment-codec.js';
import { deliveryReasonJa, EgovError, invalidArgument, isEgovError } from './errors.js';
import type { EgovCaller } from './http.js';
import { mayHaveArrived } from './withdrawal.js';

/** The 補正 API `kind` with `body`, a request made by encodeAmendmentRequest for that kind, sent byte for byte. */
export async function sendAmendment(client: EgovCaller, accessKey: string, kind: AmendmentKind, body: Uint8Array): Promise<AmendmentReceipt> {
  const path = amendmentPath(kind);
  const request = decodeAmendmentRequest(kind, body);
  if (!request) throw invalidArgument('補正の送信データの形式が正しくありません', `body is not a ${kind} request made by encodeAmendmentRequest`);
  // the frame is ASCII (checked above), so this text is the body's bytes exactly
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  try {
    const reply = await client.call({ method: 'POST', path: `access/${path}`, accessKey, body: text, arrayElements: AMENDMENT_ARRAY_ELEMENTS });
    const receipt = decodeAmendmentReceipt(kind, reply.applData);
    checkAmendmentEcho(receipt, request.arriveId);
    return receipt;
  } catch (e) {
    throw amendmentOutcome(e, kind, request.arriveId);
  }
}

/** As 取下げ's withdrawalOutcome: a clear refusal (400 Code 1, 401) stays; anything that may have arrived becomes 'unknown'. */
function amendmentOutcome(e: unknown, kind: AmendmentKind, arriveId: string): unknown {
  if (!isEgovError(e) || !mayHaveArrived(e)) return e;
  const label = amendmentLabel(kind);
  const detail: Record<string, unknown> = { ...e.detail, amendment: kind, arriveId };
  delete detail.delivery;
  return new EgovError(
    e.code,
    {
      ja:
        `到達番号 ${arriveId} の${label}が e-Gov に受け付けられたかどうか分かりません（${deliveryReasonJa(e)}）。` +
        '補正の対象にならない案件でも同じ応答が返ることがあります。二重に補正しないよう、そのまま再送せず、' +
        '状況照会で確認してから（この案件の状況と、補正が到達しているか）送り直すかどうかを決めてください。',
      en: `${kind} of ${arriveId}: outcome unknown, check 状況照会 before resending: ${e.message}`,
    },
    { delivery: 'unknown', status: e.status, serverMessage: e.serverMessage, cause: e, detail },
  );
}

// Main process. 状況照会 (REFERENCE §4.6): one case's status and history by its 到達番号. The
// 到達番号 is checked before anything is sent, and the answer must be about that very case.
import type { CaseStatus } from '../../shared/case.js';
import { EgovError } from './errors.js';
import type { EgovCaller } from './http.js';
import { REFERENCE_ARRAY_ELEMENTS, decodeCaseStatus, referencePath } from './reference-codec.js';

/** 状況照会 of `arriveId`. Unknown status strings come back as sent. */
export async function caseStatus(client: EgovCaller, accessKey: string, arriveId: string): Promise<CaseStatus> {
  const path = referencePath(arriveId);
  const reply = await client.call({ method: 'GET', path: `access/${path}`, accessKey, arrayElements: REFERENCE_ARRAY_ELEMENTS });
  const status = decodeCaseStatus(reply.applData);
  // a caching proxy or a mixed-up reply must not give one case another's status
  if (status.arriveId !== arriveId) {
    throw new EgovError(
      'EGOV_MALFORMED_RESPONSE',
      {
        ja: `e-Gov の応答が、問い合わせた到達番号 ${arriveId} のものではありません。しばらく待ってからもう一度お試しください。`,
        en: `状況照会 answer is about ${status.arriveId}, not ${arriveId}`,
      },
      { delivery: 'answered', status: reply.status, detail: { reason: 'ArriveID echo mismatch' } },
    );
  }
  return status;
}

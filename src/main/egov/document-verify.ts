// Main process. 公文書署名検証 (REFERENCE §4.15): e-Gov's own check of a 公文書's signature, beside the
// local one. Nothing is changed at e-Gov by it, so a failure is simply retried; the answer must be
// about the case the 公文書 came from.
import type { RemoteVerification, VerifyUpload } from '../../shared/documents.js';
import { VERIFY_PATH, checkVerificationEcho, decodeVerification, encodeVerifyRequest } from './document-verify-codec.js';
import type { EgovCaller } from './http.js';

export async function verifyDocument(client: EgovCaller, accessKey: string, upload: VerifyUpload): Promise<RemoteVerification> {
  const body = encodeVerifyRequest(upload);
  const reply = await client.call({ method: 'POST', path: `access/${VERIFY_PATH}`, accessKey, body });
  const verification = decodeVerification(reply.applData);
  checkVerificationEcho(verification, upload.arriveId);
  return verification;
}

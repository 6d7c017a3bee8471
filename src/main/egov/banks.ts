// Main process. 電子納付対応金融機関一覧 (REFERENCE §4.18): the banks a payment can be handed to. Banks
// with a URL Todoke will not open are in the answer's `skipped`, with their reason, for the caller to
// show and log; the rest of the list stays usable.
import type { BankList } from '../../shared/payment.js';
import { BANKS_ARRAY_ELEMENTS, BANKS_PATH, decodeBankList, type BankUrlOptions } from './bank-codec.js';
import type { EgovCaller } from './http.js';

export async function banks(client: EgovCaller, accessKey: string, options: BankUrlOptions = {}): Promise<BankList> {
  const reply = await client.call({ method: 'GET', path: `access/${BANKS_PATH}`, accessKey, arrayElements: BANKS_ARRAY_ELEMENTS });
  return decodeBankList(reply.applData, options);
}

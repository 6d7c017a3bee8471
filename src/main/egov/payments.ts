// Main process. 電子納付情報一覧 (REFERENCE §4.19): the 納付 of one case, checked to be about the case
// asked for. Entries with values that look wrong are kept and flagged (payment-codec.ts).
//
// 電子納付金融機関サイト表示 (§4.20) is NOT here on purpose: its v1 URI, method, parameters and HTML are
// unknown (REFERENCE §4.20: "A client must not guess"). bank-site.ts holds every guess about it in ONE
// function, so that the real interface, once known, changes that function and nothing else.
import type { PaymentList } from '../../shared/payment.js';
import type { EgovCaller } from './http.js';
import { checkListEcho } from './notices-codec.js';
import { PAYMENTS_ARRAY_ELEMENTS, decodePaymentList, paymentsPath } from './payment-codec.js';

export async function payments(client: EgovCaller, accessKey: string, arriveId: string): Promise<PaymentList> {
  const path = paymentsPath(arriveId);
  const reply = await client.call({ method: 'GET', path: `access/${path}`, accessKey, arrayElements: PAYMENTS_ARRAY_ELEMENTS });
  const list = decodePaymentList(reply.applData);
  checkListEcho(list, arriveId);
  return list;
}

// Sandbox (Node). The sandbox's 電子納付対応金融機関一覧 (REFERENCE §4.18): the banks e-Gov's verification
// environment listed (A.29, SEEN — among them an http test bank, which a careful client refuses to
// open) and one stand-in bank of the sandbox's own under the initial と.
//
// [SIM-CHOICE] The stand-in bank's Url is configurable (`standInBankUrl`); its default
// https://127.0.0.1/standin-bank/ is a placeholder that nothing serves — with `standInBank` the server
// starts the stand-in bank site on loopback (stand-in-bank.ts) and passes its real address here.
import type { BankListAnswer } from '../wire/payment-family.js';

export const DEFAULT_STAND_IN_BANK_URL = 'https://127.0.0.1/standin-bank/';
export const STAND_IN_BANK_NAME = 'Todoke練習銀行（サンドボックス）';
export const STAND_IN_BANK_INITIAL = 'と';

/** SEEN (A.29): the list's date as the verification environment gave it */
const RECORDED_LIST_DATE = '20150326';

export function sandboxBankList(standInBankUrl: string = DEFAULT_STAND_IN_BANK_URL): BankListAnswer {
  return {
    initials: [
      { initial: 'き', banks: [{ financialName: '擬似インターネット銀行１', serviceName: 'NULL', url: 'http://www.mpntest.jp/mpnib/PO_0001.aspx' }] },
      { initial: STAND_IN_BANK_INITIAL, banks: [{ financialName: STAND_IN_BANK_NAME, serviceName: 'NULL', url: standInBankUrl }] },
      { initial: 'ゆ', banks: [{ financialName: 'ゆうちょ銀行', serviceName: 'NULL', url: 'https://direct6.dcdebug.com/tp1web31/U010101WAK.do' }] },
    ],
    shinkin: [{ financialName: '信用金庫', url: 'https://www.shinkin.co.jp/mpn/cgi-bin/ilink.cgi' }],
    creditUnion: [{ financialName: '信用組合', url: 'https://www.shinkumi.jp/ssl/mpn/ilink.cgi' }],
    norinchukin: [{ financialName: '農協・漁協（農林中央金庫）', url: 'https://www.jabank.jp/ib/mp/choice.asp' }],
    labour: [{ financialName: '労働金庫', url: 'https://ibsecure.rokin.jp/mpngw/' }],
    listDate: RECORDED_LIST_DATE,
  };
}

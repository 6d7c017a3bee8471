// Contract tests of 電子納付対応金融機関一覧 and 電子納付情報一覧 against real traffic
// (test/fixtures/egov-v1/recorded/banks, recorded/payments): each recorded answer decodes through the
// gateway to what its XML says, with the exact request; a bank with an http or malformed URL is left
// out and reported, a 納付 with odd values is kept and flagged, never fixed; broken, hostile, huge and
// truncated answers are refused with typed errors, and hostile arguments never reach a request.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BANKS_ARRAY_ELEMENTS, MAX_BANKS, bankUrlProblem, decodeBankList } from '../../src/main/egov/bank-codec.js';
import { isEgovError } from '../../src/main/egov/errors.js';
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import { MAX_PAYMENTS, PAYMENTS_ARRAY_ELEMENTS, decodePaymentList } from '../../src/main/egov/payment-codec.js';
import { interpretResponse } from '../../src/main/egov/reply.js';
import { isKnownPayStatus } from '../../src/shared/payment.js';
import { cannedCaller, recordedExchange, swapped } from '../support/recorded-exchange.js';

const bankRec = recordedExchange('recorded/banks');
const paymentRec = recordedExchange('recorded/payments');
const RECORDED_ID = '9002015000243934';
const PROC = 'ＡＰＩテスト用手続（労働保険適用徴収関係手続）（通）０００２／ＡＰＩテスト用手続（労働保険適用徴収関係手続）（通）０００２';

const malformed = (e: unknown): boolean => isEgovError(e, 'EGOV_MALFORMED_RESPONSE');
const invalidArg = (e: unknown): boolean => isEgovError(e, 'EGOV_INVALID_ARGUMENT') && e.delivery === 'not-sent';
const gatewayFor = (status: number, body: Buffer | string) => {
  const caller = cannedCaller(status, body);
  return { caller, gateway: new EgovV1Gateway(caller) };
};
const bankBody = (body: Buffer | string) => decodeBankList(interpretResponse(200, body, { arrayElements: BANKS_ARRAY_ELEMENTS }).applData);
const paymentBody = (body: Buffer | string) => decodePaymentList(interpretResponse(200, body, { arrayElements: PAYMENTS_ARRAY_ELEMENTS }).applData);

/** The recorded ApplyPay block, for answers with several entries. */
const APPLY_PAY = /\t<ApplyPay>[\s\S]*?<\/ApplyPay>\r\n/.exec(paymentRec.response.toString('utf8'))![0];

void describe('電子納付対応金融機関一覧 (A.29)', () => {
  void it('recorded/banks decodes through the gateway, with the exact request: the http test bank is skipped, NULL ServiceName is null', async () => {
    const { caller, gateway } = gatewayFor(bankRec.status, bankRec.response);
    const list = await gateway.banks('KEY');
    assert.deepEqual(caller.requests, [{ method: 'GET', path: 'access/bank', accessKey: 'KEY', arrayElements: BANKS_ARRAY_ELEMENTS }]);
    assert.equal(`/shinsei/1/${caller.requests[0]!.path}`, bankRec.path);
    assert.equal(bankRec.method, 'GET');
    assert.deepEqual(list, {
      banks: [
        { group: 'bank', initial: 'ゆ', name: 'ゆうちょ銀行', serviceName: null, url: 'https://direct6.dcdebug.com/tp1web31/U010101WAK.do' },
        { group: 'shinkin', initial: null, name: '信用金庫', serviceName: null, url: 'https://www.shinkin.co.jp/mpn/cgi-bin/ilink.cgi' },
        { group: 'creditUnion', initial: null, name: '信用組合', serviceName: null, url: 'https://www.shinkumi.jp/ssl/mpn/ilink.cgi' },
        { group: 'norinchukin', initial: null, name: '農協・漁協（農林中央金庫）', serviceName: null, url: 'https://www.jabank.jp/ib/mp/choice.asp' },
        { group: 'labour', initial: null, name: '労働金庫', serviceName: null, url: 'https://ibsecure.rokin.jp/mpngw/' },
      ],
      skipped: [{ group: 'bank', initial: 'き', name: '擬似インターネット銀行１', url: 'http://www.mpntest.jp/mpnib/PO_0001.aspx', reason: '暗号化されていない接続（http）の URL です' }],
      listDate: '20150326',
    });
  });

  void it('a real ServiceName is kept; an empty one is null', () => {
    const named = bankBody(swapped(bankRec.response, '<ServiceName>NULL</ServiceName>\r\n\t\t\t\t<Url>https', '<ServiceName>ゆうちょダイレクト</ServiceName>\r\n\t\t\t\t<Url>https'));
    assert.equal(named.banks[0]!.serviceName, 'ゆうちょダイレクト');
    const empty = bankBody(swapped(bankRec.response, '<ServiceName>NULL</ServiceName>\r\n\t\t\t\t<Url>https', '<ServiceName></ServiceName>\r\n\t\t\t\t<Url>https'));
    assert.equal(empty.banks[0]!.serviceName, null);
  });

  void it('malformed, hostile and credential-bearing URLs are skipped with their reason, the rest of the list stays', () => {
    const cases: Array<[string, RegExp]> = [
      ['not-a-url', /形式/],
      ['https://[::1', /形式/],
      ['javascript:alert(1)', /暗号化されていない接続（javascript）/],
      ['file:///etc/passwd', /暗号化されていない接続（file）/],
      ['https://user:pass@bank.example/', /利用者名やパスワード/],
      ['https://bank.example/a b', /空白や制御文字/],
      [`https://bank.example/${'a'.repeat(3000)}`, /長すぎます/],
      ['', /URL がありません/],
    ];
    for (const [url, reason] of cases) {
      const list = bankBody(swapped(bankRec.response, 'https://www.shinkin.co.jp/mpn/cgi-bin/ilink.cgi', url.replace(/&/g, '&amp;')));
      assert.equal(list.banks.length, 4, url);
      const skipped = list.skipped.find((s) => s.group === 'shinkin');
      assert.ok(skipped, url);
      assert.match(skipped.reason, reason);
      assert.ok(skipped.url.length <= 200);
    }
    assert.equal(bankUrlProblem('https://bank.example/path?x=1'), null);
  });

  void it('a bank without a name is skipped; a missing group or list date is simply absent', () => {
    const nameless = bankBody(swapped(bankRec.response, '<FinancialName>労働金庫</FinancialName>', ''));
    assert.deepEqual(nameless.skipped.map((s) => [s.group, s.reason]), [['bank', '暗号化されていない接続（http）の URL です'], ['labour', '金融機関名がありません']]);
    const noLabour = bankBody(swapped(bankRec.response, /\t<LabourBank>[\s\S]*<\/LabourBank>\r\n/.exec(bankRec.response.toString('utf8'))![0], ''));
    assert.equal(noLabour.banks.some((b) => b.group === 'labour'), false);
    const noDate = bankBody(swapped(bankRec.response, '\t<FinancialTypeListDate>20150326</FinancialTypeListDate>\r\n', ''));
    assert.equal(noDate.listDate, '');
  });

  void it('a bank outside any initial is kept without one; an Initial without a Name gives an empty initial', () => {
    const loose = bankBody(swapped(bankRec.response, '\t</TrustBank>', '\t\t<Bank><FinancialName>外</FinancialName><ServiceName>NULL</ServiceName><Url>https://loose.example/</Url></Bank>\r\n\t</TrustBank>'));
    assert.deepEqual(loose.banks.filter((b) => b.name === '外').map((b) => [b.group, b.initial]), [['bank', null]]);
    const nameless = bankBody(swapped(bankRec.response, '<Initial Name="ゆ">', '<Initial>'));
    assert.equal(nameless.banks[0]!.initial, '');
  });

  void it('a repeated group, a Bank holding text, a nested list, a bad list date and a huge list are malformed answers', () => {
    const shinkin = /\t<ShinkinBank>[\s\S]*<\/ShinkinBank>\r\n/.exec(bankRec.response.toString('utf8'))![0];
    const bodies = [
      swapped(bankRec.response, shinkin, shinkin + shinkin),
      swapped(bankRec.response, '<Bank>\r\n\t\t\t<FinancialName>信用金庫', '<Bank>text<FinancialName>信用金庫'),
      swapped(bankRec.response, '<FinancialTypeListDate>20150326<', '<FinancialTypeListDate>20151332<'),
      swapped(bankRec.response, '<FinancialName>労働金庫</FinancialName>', '<FinancialName><b>労働金庫</b></FinancialName>'),
      swapped(bankRec.response, '<Bank>\r\n\t\t\t<FinancialName>労働金庫</FinancialName>\r\n\t\t\t<Url>https://ibsecure.rokin.jp/mpngw/</Url>\r\n\t\t</Bank>', '<Bank><FinancialName>x</FinancialName><Url>https://a.example/</Url></Bank>'.repeat(MAX_BANKS)),
    ];
    for (const body of bodies) assert.throws(() => bankBody(body), malformed);
  });

  void it('truncated, DTD-bearing and non-UTF-8 answers are refused through the gateway', async () => {
    const text = bankRec.response.toString('utf8');
    const bodies: Array<Buffer | string> = [
      text.slice(0, text.length / 2),
      text.replace('<DataRoot>', '<!DOCTYPE DataRoot [<!ENTITY a "aaaa">]><DataRoot>'),
      Buffer.concat([bankRec.response.subarray(0, 200), Buffer.from([0xff, 0xfe]), bankRec.response.subarray(200)]),
      '',
    ];
    for (const body of bodies) await assert.rejects(gatewayFor(200, body).gateway.banks('KEY'), malformed);
  });
});

void describe('電子納付情報一覧 (A.30)', () => {
  void it('recorded/payments decodes through the gateway, with the exact request and path', async () => {
    const { caller, gateway } = gatewayFor(paymentRec.status, paymentRec.response);
    const list = await gateway.payments('KEY', RECORDED_ID);
    assert.deepEqual(caller.requests, [{ method: 'GET', path: `access/payment/${RECORDED_ID}`, accessKey: 'KEY', arrayElements: PAYMENTS_ARRAY_ELEMENTS }]);
    assert.equal(`/shinsei/1/${caller.requests[0]!.path}`, paymentRec.path);
    assert.deepEqual(list, {
      arriveId: RECORDED_ID,
      procedureName: PROC,
      payments: [
        {
          payNumber: '0000000000000203',
          confirmNumber: '100001',
          facilityNumber: '10005',
          payNameKana: 'テツヅキメイ',
          deadline: '20150314',
          totalFee: '10000',
          status: '納付期限切れ',
          payDate: '',
          memo: '納付登録が完了しましたので、納付して下さい。',
          payFlag: '0',
          problems: [],
        },
      ],
    });
  });

  void it('a case without 納付 gives an empty list; several entries keep their order', () => {
    assert.deepEqual(paymentBody(swapped(paymentRec.response, APPLY_PAY, '')).payments, []);
    const second = APPLY_PAY.replace('0000000000000203', '0000000000000204').replace('納付期限切れ', '納付済').replace('<PayDate></PayDate>', '<PayDate>20150301</PayDate>');
    const list = paymentBody(swapped(paymentRec.response, APPLY_PAY, APPLY_PAY + second));
    assert.deepEqual(list.payments.map((p) => [p.payNumber, p.status, p.payDate, p.problems]), [
      ['0000000000000203', '納付期限切れ', '', []],
      ['0000000000000204', '納付済', '20150301', []],
    ]);
  });

  void it('odd values are kept as sent and flagged, never fixed; an unknown PayStatus is kept as it came', () => {
    const odd = [
      ['<PayNumber>0000000000000203<', '<PayNumber>203<', '203', '納付番号が16桁ではありません（3桁）'],
      ['<PayNumber>0000000000000203<', '<PayNumber>00000000000002O3<', '00000000000002O3', '納付番号が数字ではありません'],
      ['<ConfirmNumber>100001<', '<ConfirmNumber>1000010<', '1000010', '確認番号が6桁ではありません（7桁）'],
      ['<FacilityNumber>10005<', '<FacilityNumber><', '', '収納機関番号がありません'],
      ['<TotalFee>10000<', '<TotalFee>10,000<', '10,000', '金額が数字ではありません'],
      ['<TotalFee>10000<', '<TotalFee>１００００<', '１００００', '金額が数字ではありません'],
      ['<TotalFee>10000<', '<TotalFee>-10000<', '-10000', '金額が数字ではありません'],
      ['<TotalFee>10000<', '<TotalFee>123456789012<', '123456789012', '金額の桁数が多すぎます'],
      ['<PayExpiredDate>20150314<', '<PayExpiredDate>20150231<', '20150231', '納付期限が日付（YYYYMMDD）ではありません'],
      ['<PayDate><', '<PayDate>yesterday<', 'yesterday', '納付日が日付ではありません'],
    ] as const;
    for (const [from, to, kept, problem] of odd) {
      const [p] = paymentBody(swapped(paymentRec.response, from, to)).payments;
      assert.ok(p);
      assert.ok(Object.values(p).includes(kept), `${to}: kept as sent`);
      assert.deepEqual(p.problems, [problem], to);
    }
    const unknown = paymentBody(swapped(paymentRec.response, '納付期限切れ', '一部納付（新しい状態）')).payments[0]!;
    assert.equal(unknown.status, '一部納付（新しい状態）');
    assert.deepEqual(unknown.problems, []);
    assert.equal(isKnownPayStatus(unknown.status), false);
    assert.equal(isKnownPayStatus('納付期限切れ'), true);
    const missing = paymentBody(swapped(paymentRec.response, '\t\t<PayNumber>0000000000000203</PayNumber>\r\n', '')).payments[0]!;
    assert.equal(missing.payNumber, '');
    assert.deepEqual(missing.problems, ['納付番号がありません']);
  });

  void it('two entries with one 納付番号 are both kept and flagged', () => {
    const list = paymentBody(swapped(paymentRec.response, APPLY_PAY, APPLY_PAY + APPLY_PAY));
    assert.equal(list.payments.length, 2);
    for (const p of list.payments) assert.deepEqual(p.problems, ['同じ納付番号の納付がほかにもあります']);
  });

  void it('an answer about another case, without ArriveID, with ApplyPay holding text, or far too long is refused', async () => {
    await assert.rejects(gatewayFor(200, paymentRec.response).gateway.payments('KEY', '9002015000243935'), malformed);
    assert.throws(() => paymentBody(swapped(paymentRec.response, `\t<ArriveID>${RECORDED_ID}</ArriveID>\r\n`, '')), malformed);
    assert.throws(() => paymentBody(swapped(paymentRec.response, '<ApplyPay>\r\n', '<ApplyPay>text\r\n')), malformed);
    assert.throws(() => paymentBody(swapped(paymentRec.response, '<PayStatus>納付期限切れ</PayStatus>', '<PayStatus><i>x</i></PayStatus>')), malformed);
    assert.throws(() => paymentBody(swapped(paymentRec.response, APPLY_PAY, '\t<ApplyPay><PayNumber>1</PayNumber></ApplyPay>\r\n'.repeat(MAX_PAYMENTS + 1))), malformed);
  });

  void it('truncated and hostile answers are refused; an error answer is an API error', async () => {
    const text = paymentRec.response.toString('utf8');
    for (const body of [text.slice(0, 300), text.replace('<DataRoot>', '<!DOCTYPE x SYSTEM "file:///etc/passwd"><DataRoot>'), text.replace('</ApplData>', '')]) {
      await assert.rejects(gatewayFor(200, body).gateway.payments('KEY', RECORDED_ID), malformed);
    }
    const error = text.replace('<Code>0</Code>', '<Code>1</Code>').replace('<Message></Message>', '<Message>該当する申請情報が存在しません。</Message>');
    await assert.rejects(gatewayFor(400, error).gateway.payments('KEY', RECORDED_ID), (e: unknown) => isEgovError(e) && !malformed(e));
  });

  void it('a hostile 到達番号 never reaches a request', async () => {
    for (const id of ['../bank', '9002015000243934/../x', '900201500024393', '9002015000243934;id=1', '', '９００２０１５０００２４３９３４']) {
      const { caller, gateway } = gatewayFor(200, paymentRec.response);
      await assert.rejects(gateway.payments('KEY', id), invalidArg);
      assert.equal(caller.requests.length, 0);
    }
  });
});

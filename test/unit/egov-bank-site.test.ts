// Unit (Node): the client side of 電子納付金融機関サイト表示 (REFERENCE §4.20, SIM-CHOICE): the one form of
// the sandbox-shaped page is found, an HTML error page comes back for showing, and a hostile page (two
// forms, javascript: / http / unlisted action, missing or extra fields, truncated, huge, not UTF-8)
// is refused with EGOV_UNSAFE_HAND_OFF; the codec's loopback exception holds only when asked for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bankUrlProblem } from '../../src/main/egov/bank-codec.js';
import { bankSiteHandOff, MAX_HAND_OFF_BYTES } from '../../src/main/egov/bank-site.js';
import { isEgovError, type EgovErrorCode } from '../../src/main/egov/errors.js';
import { decodeEntities, pageText, scanForms } from '../../src/main/egov/html-form.js';
import type { BankList } from '../../src/shared/payment.js';
import { cannedCaller } from '../support/recorded-exchange.js';

const ARRIVE_ID = '9002015000243934';
const PAY_NUMBER = '1234567890123456';
const BANK_URL = 'https://bank.example/pay/ilink.cgi';
const STAND_IN = 'http://127.0.0.1:40123/standin-bank/';
const LIST: BankList = {
  banks: [
    { group: 'bank', initial: 'き', name: '銀行A', serviceName: null, url: BANK_URL },
    { group: 'bank', initial: 'と', name: '練習銀行', serviceName: null, url: STAND_IN },
  ],
  skipped: [],
  listDate: '20150326',
};
const REQUEST = { arriveId: ARRIVE_ID, payNumber: PAY_NUMBER, bankName: '銀行A' };
const FIELDS = `<input type="hidden" name="facility" value="12345"><input type="hidden" name="payNumber" value="${PAY_NUMBER}"><input type="hidden" name="confirmNumber" value="654321"><input type="hidden" name="amount" value="1200"><input type="hidden" name="deadline" value="20150331">`;
const page = (inner: string) => `<!DOCTYPE html><html lang="ja"><head><meta charset="UTF-8"><title>t</title></head><body>${inner}</body></html>`;
const form = (action: string, fields = FIELDS, extra = '') => `<form method="post" action="${action}"${extra}>${fields}<noscript><button type="submit">進む</button></noscript></form><script>document.forms[0].submit();</script>`;

async function handOff(status: number, body: string | Buffer, options: { allowLoopbackStandIn?: boolean; request?: typeof REQUEST } = {}) {
  const caller = cannedCaller(status, body);
  const result = await bankSiteHandOff(caller, 'KEY', options.request ?? REQUEST, { bankList: LIST, ...(options.allowLoopbackStandIn ? { allowLoopbackStandIn: true } : {}) });
  return { result, caller };
}

async function refused(body: string | Buffer, code: EgovErrorCode = 'EGOV_UNSAFE_HAND_OFF', options: { allowLoopbackStandIn?: boolean; request?: typeof REQUEST } = {}): Promise<void> {
  await assert.rejects(handOff(200, body, options), (e: unknown) => isEgovError(e, code));
}

void describe('bankSiteHandOff', () => {
  void it('posts the SIM-CHOICE request and reads the one form: action and the five hidden fields', async () => {
    const { result, caller } = await handOff(200, page(form(BANK_URL)));
    assert.deepEqual(result.form, { action: BANK_URL, fields: { facility: '12345', payNumber: PAY_NUMBER, confirmNumber: '654321', amount: '1200', deadline: '20150331' } });
    assert.equal(result.status, 200);
    assert.equal(caller.requests.length, 1);
    const r = caller.requests[0]!;
    assert.deepEqual([r.method, r.path, r.accessKey], ['POST', 'access/bank/site', 'KEY']);
    assert.ok(r.body!.includes(`<ArriveID>${ARRIVE_ID}</ArriveID><PayNumber>${PAY_NUMBER}</PayNumber><FinancialName>銀行A</FinancialName>`));
  });

  void it('escapes the bank name in the request and decodes character references in the page', async () => {
    const list = { ...LIST, banks: [...LIST.banks, { group: 'bank' as const, initial: 'あ', name: 'A&B<銀行>', serviceName: null, url: 'https://ab.example/?x=1&y=2' }] };
    const caller = cannedCaller(200, page(form('https://ab.example/?x=1&amp;y=2')));
    const result = await bankSiteHandOff(caller, 'KEY', { ...REQUEST, bankName: 'A&B<銀行>' }, { bankList: list });
    assert.ok(caller.requests[0]!.body!.includes('<FinancialName>A&amp;B&lt;銀行&gt;</FinancialName>'));
    assert.equal(result.form!.action, 'https://ab.example/?x=1&y=2');
  });

  void it('an HTML error page comes back with form null and its words, whatever forms it holds', async () => {
    const { result } = await handOff(400, page('<h1>電子納付を開始できません</h1><p>納付番号 &lt;x&gt; の納付はありません。</p><script>evil()</script>'));
    assert.equal(result.form, null);
    assert.equal(result.status, 400);
    assert.equal(result.text, 't 電子納付を開始できません 納付番号 <x> の納付はありません。');
  });

  void it('an XML answer is read like any API error (an access-key refusal stays an auth failure)', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?><DataRoot><Result><Code>1</Code><Message>アクセスキーが不正です</Message></Result><ApplData/></DataRoot>';
    await assert.rejects(handOff(401, xml), (e: unknown) => isEgovError(e, 'EGOV_AUTH_FAILED'));
    await assert.rejects(handOff(400, xml), (e: unknown) => isEgovError(e, 'EGOV_API_ERROR'));
    await assert.rejects(handOff(200, xml.replace('<Code>1', '<Code>0')), (e: unknown) => isEgovError(e, 'EGOV_MALFORMED_RESPONSE'));
  });

  void it('refuses hostile pages: two forms, nested, javascript:, http, unlisted, GET, formaction, base, visible inputs', async () => {
    await refused(page(form(BANK_URL) + form(BANK_URL)));
    await refused(page(`<form method="post" action="${BANK_URL}">${form(BANK_URL)}`));
    await refused(page(form('javascript:alert(1)')));
    await refused(page(form('JaVaScRiPt&#58;alert(1)')));
    await refused(page(form('http://bank.example/pay/ilink.cgi')));
    await refused(page(form('https://evil.example/steal')));
    await refused(page(form('https://user:pw@bank.example/pay/ilink.cgi')));
    await refused(page(form('/relative')));
    await refused(page(form(BANK_URL).replace('method="post"', 'method="get"')));
    await refused(page(form(BANK_URL).replace('method="post" ', '')));
    await refused(page(form(BANK_URL, `${FIELDS}<button formaction="https://evil.example/">x</button>`)));
    await refused(page(`<base href="https://evil.example/">${form(BANK_URL)}`));
    await refused(page(form(BANK_URL, `${FIELDS}<input name="password" type="password">`)));
    await refused(page(form(BANK_URL, `${FIELDS}<input name="note">`)));
    await refused(page(form(BANK_URL) + `<input type="hidden" form="f" name="x" value="y">`));
    await refused(page(form(BANK_URL, FIELDS, ' action="https://evil.example/"')));
    await refused(page('<p>no form at all</p>'));
  });

  void it('refuses missing, repeated, extra or malformed fields and another 納付番号', async () => {
    for (const name of ['facility', 'payNumber', 'confirmNumber', 'amount', 'deadline']) {
      await refused(page(form(BANK_URL, FIELDS.replace(new RegExp(`<input type="hidden" name="${name}" value="[^"]*">`), ''))));
    }
    await refused(page(form(BANK_URL, `${FIELDS}<input type="hidden" name="amount" value="1">`)));
    await refused(page(form(BANK_URL, `${FIELDS}<input type="hidden" name="returnUrl" value="https://evil.example/">`)));
    await refused(page(form(BANK_URL, FIELDS.replace('value="1200"', 'value="1,200"'))));
    await refused(page(form(BANK_URL, FIELDS.replace('value="12345"', 'value="1234"'))));
    await refused(page(form(BANK_URL, FIELDS.replace(`value="${PAY_NUMBER}"`, 'value="9999999999999999"'))));
    await refused(page(form(BANK_URL, FIELDS.replace('name="deadline"', 'name="deadline" name="x"'))));
  });

  void it('refuses truncated, huge and non-UTF-8 pages; a form hidden in a comment does not count', async () => {
    const full = page(form(BANK_URL));
    await refused(full.slice(0, full.indexOf('</form>')));
    await refused(full.slice(0, 60));
    await refused(page(form(BANK_URL)) + ' '.repeat(MAX_HAND_OFF_BYTES), 'EGOV_MALFORMED_RESPONSE');
    await refused(Buffer.concat([Buffer.from(page('')), Buffer.from([0xff, 0xfe, 0x80])]), 'EGOV_MALFORMED_RESPONSE');
    const { result } = await handOff(200, page(`<!-- <form method="post" action="https://evil.example/"></form> -->${form(BANK_URL)}`));
    assert.equal(result.form!.action, BANK_URL);
    // an unclosed comment runs to the end, as in a browser: the form after it is not there
    await refused(page(`<!-- ${form(BANK_URL)}`));
  });

  void it('checks the request before sending: 到達番号, 納付番号, a bank not in the list', async () => {
    for (const request of [
      { ...REQUEST, arriveId: '12' },
      { ...REQUEST, payNumber: '123' },
      { ...REQUEST, bankName: '' },
      { ...REQUEST, bankName: 'どこかの銀行' },
      { ...REQUEST, bankName: '銀行A\n' },
      { ...REQUEST, bankName: 'あ'.repeat(201) },
    ]) {
      const caller = cannedCaller(200, page(form(BANK_URL)));
      await assert.rejects(bankSiteHandOff(caller, 'KEY', request, { bankList: LIST }), (e: unknown) => isEgovError(e, 'EGOV_INVALID_ARGUMENT'));
      assert.equal(caller.requests.length, 0);
    }
  });

  void it('the loopback stand-in bank: refused by default, accepted with allowLoopbackStandIn', async () => {
    const request = { ...REQUEST, bankName: '練習銀行' };
    await refused(page(form(STAND_IN)), 'EGOV_UNSAFE_HAND_OFF', { request });
    const { result } = await handOff(200, page(form(STAND_IN)), { request, allowLoopbackStandIn: true });
    assert.equal(result.form!.action, STAND_IN);
    // the exception is the stand-in bank only: other loopback http pages stay refused
    await refused(page(form('http://127.0.0.1:40123/other/')), 'EGOV_UNSAFE_HAND_OFF', { request, allowLoopbackStandIn: true });
  });
});

void describe('bankUrlProblem allowLoopbackStandIn', () => {
  void it('accepts only http://127.0.0.1|[::1]:PORT/standin-bank/ and only when asked', () => {
    assert.match(bankUrlProblem(STAND_IN)!, /暗号化されていない/);
    assert.equal(bankUrlProblem(STAND_IN, { allowLoopbackStandIn: true }), null);
    assert.equal(bankUrlProblem('http://[::1]:8080/standin-bank/x', { allowLoopbackStandIn: true }), null);
    for (const url of ['http://127.0.0.1/standin-bank/', 'http://localhost:8080/standin-bank/', 'http://127.0.0.2:8080/standin-bank/', 'http://127.0.0.1:8080/other/', 'http://bank.example:8080/standin-bank/', 'http://a:b@127.0.0.1:8080/standin-bank/', 'ftp://127.0.0.1:8080/standin-bank/']) {
      assert.notEqual(bankUrlProblem(url, { allowLoopbackStandIn: true }), null, url);
    }
    assert.equal(bankUrlProblem('https://bank.example/', { allowLoopbackStandIn: true }), null);
  });
});

void describe('html-form', () => {
  void it('decodes references, keeps unknown ones, replaces invalid code points', () => {
    assert.equal(decodeEntities('&amp;&lt;&#x41;&#66;&unknown;&#xD800;&#0;'), '&<AB&unknown;\uFFFD\uFFFD');
  });

  void it('reads attributes quoted three ways and refuses a repeated attribute', () => {
    const scan = scanForms(`<FORM Method=POST action='https://a.example/'><input type=hidden name="a" value='1'></form>`);
    assert.ok(scan.ok);
    assert.deepEqual(scan.forms[0]!.attributes, { method: 'POST', action: 'https://a.example/' });
    assert.deepEqual(scan.forms[0]!.controls[0]!.attributes, { type: 'hidden', name: 'a', value: '1' });
    assert.equal(scanForms('<form action="a" action="b"></form>').ok, false);
    assert.equal(scanForms('</form>').ok, false);
  });

  void it('pageText drops scripts, styles and control characters and is bounded', () => {
    assert.equal(pageText('<style>x{}</style><p>a\u001b[31m\u202eb</p><script>c</script>'), 'a [31m b');
    assert.equal(pageText(`<p>${'あ'.repeat(1000)}</p>`).length, 500);
  });
});

// Integration (Node): the sandbox's 電子納付金融機関サイト表示 (REFERENCE §4.20, SIM-CHOICE: POST
// access/bank/site answering HTML) and the stand-in bank site on loopback, driven over HTTP: the
// hand-off form, its error pages, the bank's steps tied by the session cookie, its refusals, a 納付
// expired meanwhile, and a payment that 送信案件一覧 / 電子納付情報一覧 show as 納付済 at once.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { EgovV1Gateway } from '../../src/main/egov/gateway-v1.js';
import { EgovClient } from '../../src/main/egov/http.js';
import { isEgovError } from '../../src/main/egov/errors.js';
import { STAND_IN_BANK_NAME } from '../../src/sandbox/payments/bank-list.js';
import { EXTERNAL_NOTICE_URL } from '../../src/sandbox/payments/stand-in-bank.js';
import type { PaymentView } from '../../src/sandbox/operator/payment-actions.js';
import { item, rawRequest, startTestSandbox, type RawResponse, type TestSandbox } from './sandbox-support.js';
import { APPLY, arriveSample, call, egovCertificates, userWithKey } from './sandbox-withdrawal-support.js';

const SITE = '/shinsei/1/access/bank/site';
const LONG_KEY_TTL = 20 * 365 * 24 * 3600;

const siteBody = (arriveId: string, payNumber: string, bank: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><DataRoot><ApplData><ArriveID>${arriveId}</ArriveID><PayNumber>${payNumber}</PayNumber><FinancialName>${bank}</FinancialName></ApplData></DataRoot>`;

/** the hidden inputs of a page, in order */
function hiddenInputs(html: string): Array<[string, string]> {
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]);
}

function handOffForm(p: PaymentView): string {
  return new URLSearchParams({ facility: p.facilityNumber, payNumber: p.payNumber, confirmNumber: p.confirmNumber, amount: p.totalFee, deadline: p.payExpiredDate }).toString();
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

void describe('sandbox 電子納付金融機関サイト表示 and the stand-in bank', () => {
  let t: TestSandbox;
  let bank = '';
  let key = '';
  let otherKey = '';
  let id = '';
  const bankPost = (path: string, body: string, cookie?: string): Promise<RawResponse> =>
    rawRequest(bank, path, { method: 'POST', headers: { ...FORM, ...(cookie ? { Cookie: cookie } : {}) }, body });
  const addPayment = (amount = '1200') => t.sandbox.operatePayment({ action: 'add-payment', arriveId: id, amount, deadline: '20150331' });
  /** the hand-off form posted: the session cookie of the login page */
  async function startAtBank(p: PaymentView): Promise<string> {
    const res = await bankPost('/standin-bank/', handOffForm(p));
    assert.equal(res.status, 200, res.text);
    return String(res.headers['set-cookie']![0]).split(';')[0]!;
  }

  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, keyTtlSeconds: LONG_KEY_TTL, standInBank: true, at: '2015-03-01T10:00:00+09:00' });
    bank = t.sandbox.standInBankUrl!;
    key = await userWithKey(t, 'banksite01');
    otherKey = await userWithKey(t, 'banksite02');
    id = await arriveSample(t, key);
  });
  after(() => t.close());

  void it('standInBankUrl is loopback http and the bank list points its stand-in bank there', async () => {
    assert.match(bank, /^http:\/\/127\.0\.0\.1:\d+\/standin-bank\/$/);
    const list = await call(t, key, 'GET', '/shinsei/1/access/bank');
    assert.ok(list.text.includes(`<FinancialName>${STAND_IN_BANK_NAME}</FinancialName>\r\n\t\t\t\t<ServiceName>NULL</ServiceName>\r\n\t\t\t\t<Url>${bank}</Url>`), list.text);
  });

  void it('bank/site: an auto-submitting HTML form to the bank with the five numbers, under a CSP that allows only its own script', async () => {
    const p = addPayment();
    const res = await call(t, key, 'POST', SITE, siteBody(id, p.payNumber, STAND_IN_BANK_NAME));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], 'text/html;charset=UTF-8');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    assert.ok(csp.includes(`form-action ${new URL(bank).origin}`), csp);
    assert.ok(res.text.includes(`<form method="post" action="${bank}">`), res.text);
    assert.deepEqual(hiddenInputs(res.text), [
      ['facility', p.facilityNumber],
      ['payNumber', p.payNumber],
      ['confirmNumber', p.confirmNumber],
      ['amount', '1200'],
      ['deadline', '20150331'],
    ]);
    assert.ok(res.text.includes('<noscript>'));
  });

  void it('bank/site: HTML error pages (400) for an unknown 納付番号, another user, a bank not in the list, a bad body; the access key is checked first', async () => {
    const p = addPayment();
    const refused = async (k: string, body: string, words: RegExp) => {
      const res = await call(t, k, 'POST', SITE, body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.headers['content-type'], 'text/html;charset=UTF-8');
      assert.match(res.text, words);
      assert.doesNotMatch(res.text, /<form/);
    };
    await refused(key, siteBody(id, '1234567890123456', STAND_IN_BANK_NAME), /納付はありません/);
    await refused(otherKey, siteBody(id, p.payNumber, STAND_IN_BANK_NAME), /納付はありません/);
    await refused(key, siteBody(id, p.payNumber, 'どこかの銀行'), /金融機関一覧にありません/);
    await refused(key, siteBody(id, p.payNumber.slice(1), STAND_IN_BANK_NAME), /16 桁/);
    await refused(key, siteBody(id, p.payNumber, '&lt;script&gt;alert(1)&lt;/script&gt;'), /&lt;script&gt;/);
    await refused(key, '<DataRoot><ApplData><ArriveID>1</ArriveID>', /XML/);
    await refused(key, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><DataRoot/>', /DOCTYPE/);
    await refused(key, `<DataRoot><ApplData><ArriveID>${id}</ArriveID><PayNumber>${p.payNumber}</PayNumber></ApplData></DataRoot>`, /項目/);
    await refused(key, `<DataRoot><ApplData><ArriveID>${id}</ArriveID>${'<X/>'.repeat(5000)}</ApplData></DataRoot>`, /./);
    const noKey = await rawRequest(t.sandbox.url, SITE, { method: 'POST', headers: { 'x-eGovAPI-SoftwareID': 'TODOKESANDBOX1' }, body: siteBody(id, p.payNumber, STAND_IN_BANK_NAME) });
    assert.notEqual(noKey.status, 200);
    assert.match(String(noKey.headers['content-type']), /text\/xml/);
    const get = await call(t, key, 'GET', SITE);
    assert.equal(get.status, 405);
  });

  void it('the client over HTTP: the gateway finds the form to the stand-in bank only while allowLoopbackStandIn, and it is what the bank accepts', async () => {
    const p = addPayment('900');
    const client = new EgovClient({ baseUrl: t.sandbox.apiBaseUrl, softwareId: 'TODOKESANDBOX1' });
    const request = { arriveId: id, payNumber: p.payNumber, bankName: STAND_IN_BANK_NAME };
    const handOff = await new EgovV1Gateway(client, { allowLoopbackStandIn: true }).bankSite(key, request);
    assert.equal(handOff.form!.action, bank);
    assert.deepEqual(handOff.form!.fields, { facility: p.facilityNumber, payNumber: p.payNumber, confirmNumber: p.confirmNumber, amount: '900', deadline: '20150331' });
    const atBank = await bankPost('/standin-bank/', new URLSearchParams(handOff.form!.fields).toString());
    assert.equal(atBank.status, 200, atBank.text);
    const strict = new EgovV1Gateway(client);
    assert.deepEqual((await strict.banks(key)).skipped.map((b) => b.name), ['擬似インターネット銀行１', STAND_IN_BANK_NAME]);
    await assert.rejects(strict.bankSite(key, request), (e: unknown) => isEgovError(e, 'EGOV_INVALID_ARGUMENT'));
    const unknown = await new EgovV1Gateway(client, { allowLoopbackStandIn: true }).bankSite(key, { ...request, payNumber: '1111222233334444' });
    assert.equal(unknown.form, null);
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /納付はありません/);
  });

  void it('the stand-in bank: form → login → confirm → pay; the case shows 納付済 with PayWaitCount 0 at once, and the 納付 cannot be handed off again', async () => {
    const p = addPayment('3400');
    const start = await bankPost('/standin-bank/', handOffForm(p));
    assert.equal(start.status, 200, start.text);
    const cookie = String(start.headers['set-cookie']![0]);
    assert.match(cookie, /^standin_session=[0-9a-f]{64}; Path=\/standin-bank\/; HttpOnly; SameSite=Strict$/);
    // no script; the one stylesheet of the page allowed by its hash, nothing else
    const csp = /^default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; style-src 'sha256-([A-Za-z0-9+/]+=*)'$/.exec(String(start.headers['content-security-policy']));
    assert.ok(csp, String(start.headers['content-security-policy']));
    const style = /<style>([^<]*)<\/style>/.exec(start.text)?.[1] ?? '';
    assert.equal(createHash('sha256').update(style).digest('base64'), csp[1]);
    assert.match(start.text, /<html lang="ja">/);
    // no script, nothing loaded from elsewhere: the one outside URL is the labelled practice link to a site
    // off the bank list (the hand-off window must refuse it)
    assert.doesNotMatch(start.text.replace(`<a href="${EXTERNAL_NOTICE_URL}">お知らせ（外部サイト・練習用）</a>`, ''), /<script|https?:\/\/(?!127)/);
    assert.match(start.text, /3,400 円/);
    const session = cookie.split(';')[0]!;
    const confirm = await bankPost('/standin-bank/login', 'loginId=taro&password=x', session);
    assert.equal(confirm.status, 200, confirm.text);
    assert.match(confirm.text, /納付内容の確認/);
    assert.ok(confirm.text.includes(p.payNumber) && confirm.text.includes('2015年03月31日') && confirm.text.includes('3,400 円'));
    t.setClock('2015-03-01T10:10:00+09:00');
    const done = await bankPost('/standin-bank/pay', 'confirm=yes', session);
    assert.equal(done.status, 200, done.text);
    assert.match(done.text, /納付が完了しました/);
    const payments = await call(t, key, 'GET', `/shinsei/1/access/payment/${id}`);
    const block = payments.text.split('<ApplyPay>').find((b) => b.includes(p.payNumber))!;
    assert.equal(item(block, 'PayStatus'), '納付済');
    assert.equal(item(block, 'PayDate'), '20150301');
    // the other 納付 of this case are still 未納; paying them all leaves PayWaitCount 0 and PayStatus 納付済
    for (const other of await listUnpaid()) t.sandbox.operatePayment({ action: 'pay', arriveId: id, payNumber: other });
    const sends = await call(t, key, 'GET', `${APPLY};date=20150301-20150301`);
    assert.deepEqual([item(sends.text, 'PayStatus'), item(sends.text, 'PayWaitCount')], ['納付済', '0']);
    const again = await bankPost('/standin-bank/pay', 'confirm=yes', session);
    assert.equal(again.status, 400);
    const site = await call(t, key, 'POST', SITE, siteBody(id, p.payNumber, STAND_IN_BANK_NAME));
    assert.equal(site.status, 400);
    assert.match(site.text, /納付済み/);
    const restart = await bankPost('/standin-bank/', handOffForm(p));
    assert.equal(restart.status, 400);
  });

  async function listUnpaid(): Promise<string[]> {
    const payments = await call(t, key, 'GET', `/shinsei/1/access/payment/${id}`);
    return payments.text
      .split('<ApplyPay>')
      .slice(1)
      .filter((b) => item(b, 'PayStatus') === '未納')
      .map((b) => item(b, 'PayNumber')!);
  }

  void it('the stand-in bank refuses: GET, unknown pages, missing / extra / wrong fields, a huge body, steps out of order or without the cookie', async () => {
    const p = addPayment('500');
    const get = await rawRequest(bank, '/standin-bank/', { method: 'GET' });
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
    assert.equal((await bankPost('/standin-bank/other', handOffForm(p))).status, 404);
    assert.equal((await rawRequest(bank, '/', { method: 'POST', body: '' })).status, 404);
    const fields = new URLSearchParams(handOffForm(p));
    const variants: string[] = [];
    for (const name of [...fields.keys()]) {
      const missing = new URLSearchParams(fields);
      missing.delete(name);
      variants.push(missing.toString());
    }
    variants.push(`${fields.toString()}&extra=1`, `${fields.toString()}&amount=1`, fields.toString().replace('amount=500', 'amount=1'), fields.toString().slice(0, 30), '%FF%FE', 'x'.repeat(100_000));
    for (const body of variants) {
      const res = await bankPost('/standin-bank/', body);
      assert.equal(res.status, 400, body.slice(0, 80));
      assert.equal(res.headers['set-cookie'], undefined);
    }
    assert.equal((await bankPost('/standin-bank/login', 'loginId=a&password=b')).status, 400);
    assert.equal((await bankPost('/standin-bank/login', 'loginId=a&password=b', `standin_session=${'0'.repeat(64)}`)).status, 400);
    const session = await startAtBank(p);
    assert.equal((await bankPost('/standin-bank/pay', 'confirm=yes', session)).status, 400);
    assert.equal((await bankPost('/standin-bank/login', 'loginId=&password=b', session)).status, 400);
    assert.equal((await bankPost('/standin-bank/login', `loginId=${'a'.repeat(65)}&password=b`, session)).status, 400);
    assert.equal((await bankPost('/standin-bank/login', 'loginId=a&password=b', session)).status, 200);
    assert.equal((await bankPost('/standin-bank/login', 'loginId=a&password=b', session)).status, 400);
    assert.equal((await bankPost('/standin-bank/pay', 'confirm=no&x=1', session)).status, 400);
    const view = (await call(t, key, 'GET', `/shinsei/1/access/payment/${id}`)).text.split('<ApplyPay>').find((b) => b.includes(p.payNumber))!;
    assert.equal(item(view, 'PayStatus'), '未納');
  });

  void it('a 納付 expired meanwhile: the bank shows an error page and nothing is paid', async () => {
    const p = addPayment('700');
    const session = await startAtBank(p);
    assert.equal((await bankPost('/standin-bank/login', 'loginId=a&password=b', session)).status, 200);
    t.sandbox.operatePayment({ action: 'expire-payment', arriveId: id, payNumber: p.payNumber });
    const res = await bankPost('/standin-bank/pay', 'confirm=yes', session);
    assert.equal(res.status, 400);
    assert.match(res.text, /納付期限/);
    const view = (await call(t, key, 'GET', `/shinsei/1/access/payment/${id}`)).text.split('<ApplyPay>').find((b) => b.includes(p.payNumber))!;
    assert.deepEqual([item(view, 'PayStatus'), item(view, 'PayDate')], ['納付期限切れ', '']);
    const site = await call(t, key, 'POST', SITE, siteBody(id, p.payNumber, STAND_IN_BANK_NAME));
    assert.equal(site.status, 400);
    assert.match(site.text, /納付期限/);
  });

  void it('a session older than 30 minutes is refused', async () => {
    const p = addPayment('800');
    const session = await startAtBank(p);
    t.setClock(new Date(t.now().getTime() + 31 * 60 * 1000));
    const res = await bankPost('/standin-bank/login', 'loginId=a&password=b', session);
    assert.equal(res.status, 400);
    assert.match(res.text, /30 分/);
  });
});

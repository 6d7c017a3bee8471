// Integration (Node + Debian's Chromium through Playwright): the web harness's 電子納付 hand-off window
// (test/harness/payment-window.ts) against the sandbox's real stand-in bank, and a hostile page of a
// second loopback server the test lists as a bank: the form posted lands on the login page; a link,
// a redirect, a frame or a pop-up to an unlisted origin is refused and reported with its origin
// only; a listed pop-up opens in the same page; a download, plain-http subresources and an empty
// pop-up are refused; a move to another listed origin is reported as 'navigated'; a certificate the
// browser does not trust fails the load and is reported; the countdown reports expiry and leaves the
// page; closing reports 'closed'.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { handOffFields } from '../../src/sandbox/routes/bank-site.js';
import { EXTERNAL_NOTICE_URL } from '../../src/sandbox/payments/stand-in-bank.js';
import type { PaymentWindowEvent, PaymentWindowRequest } from '../../src/shared/payment.js';
import { CHROMIUM_PATH } from '../harness/print-pdf.js';
import { harnessPaymentWindows, type HarnessPaymentWindows } from '../harness/payment-window.js';
import { makeTestTlsPki } from '../support/fault-server.js';
import { startTestSandbox, type TestSandbox } from './sandbox-support.js';
import { arriveSample, egovCertificates, userWithKey } from './sandbox-withdrawal-support.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A listed "bank" that misbehaves; `other` is an unlisted loopback origin it sends the window to. */
function hostileServer(other: () => string): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/start') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        [
          '<!doctype html><title>hostile bank</title><h1>hostile bank</h1>',
          `<a id="away" href="${other()}/phish?session=SECRET">away</a>`,
          '<a id="redirect" href="/redirect">redirect</a>',
          '<a id="file" href="/file">file</a>',
          '<a id="second" href="/second">second</a>',
          '<img src="http://insecure.example/pixel.png" alt="">',
          '<button id="ask" type="button">ask</button><output id="answers"></output>',
          // a script of its own: what a bank page asking for permissions does (the CSP of the harness is not in play here)
          '<script src="/ask.js"></script>',
        ].join('\n'),
      );
      return;
    }
    if (path === '/ask.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(
        [
          "document.getElementById('ask').addEventListener('click', async () => {",
          '  const answers = [];',
          "  answers.push('notifications:' + (await Notification.requestPermission()));",
          "  answers.push('geolocation:' + (await new Promise((resolve) => navigator.geolocation.getCurrentPosition(() => resolve('granted'), (e) => resolve('denied ' + e.code)))));",
          "  answers.push('media:' + (await navigator.mediaDevices.getUserMedia({ video: true }).then(() => 'granted', (e) => 'denied ' + e.name)));",
          "  document.getElementById('answers').textContent = answers.join(' ');",
          '});',
        ].join('\n'),
      );
      return;
    }
    if (path === '/second') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>second</title><h1>second page</h1>');
      return;
    }
    if (path === '/redirect') {
      res.writeHead(302, { location: `${other()}/redirected?token=SECRET` });
      res.end();
      return;
    }
    if (path === '/file') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="statement.exe"' });
      res.end('MZ');
      return;
    }
    res.writeHead(404);
    res.end();
  });
}

function plainServer(): Server {
  return createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>unlisted</title><h1>unlisted site</h1>');
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

void describe('harness payment window', () => {
  let t: TestSandbox;
  let browser: Browser;
  let windows: HarnessPaymentWindows;
  let bank = '';
  let arriveId = '';
  let hostileOrigin = '';
  let otherOrigin = '';
  const servers: Server[] = [];
  const events: PaymentWindowEvent[] = [];
  const waiters: Array<{ match: (e: PaymentWindowEvent) => boolean; resolve: (e: PaymentWindowEvent) => void }> = [];

  /** the first event (seen already or to come) that matches */
  function eventWhere(match: (e: PaymentWindowEvent) => boolean): Promise<PaymentWindowEvent> {
    const seen = events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ match, resolve }));
  }
  const blocked = (id: string, kind: string, target: string) => eventWhere((e) => e.handOffId === id && e.state === 'blocked' && e.kind === kind && e.target === target);

  function request(form: PaymentWindowRequest['form'], allowedOrigins: string[], expiresInMs = 30 * 60_000): PaymentWindowRequest {
    const start = Date.now();
    return {
      handOffId: randomUUID(),
      arriveId,
      payNumber: form.fields.payNumber ?? '0000000000000001',
      bankName: 'Todoke練習銀行',
      form,
      allowedOrigins,
      startedAt: new Date(start).toISOString(),
      expiresAt: new Date(start + expiresInMs).toISOString(),
    };
  }

  async function openHostile(expiresInMs?: number): Promise<{ id: string; page: Page }> {
    const r = request({ action: `${hostileOrigin}/start`, fields: { payNumber: '0000000000000001' } }, [hostileOrigin, 'https://bank.example'], expiresInMs);
    await windows.open(r);
    const page = windows.pageOf(r.handOffId)!;
    await page.getByRole('heading', { name: 'hostile bank' }).waitFor();
    return { id: r.handOffId, page };
  }

  before(async () => {
    t = await startTestSandbox({ trust: egovCertificates, bundledTrust: false, formatCheckDelayMs: 600_000, standInBank: true, at: '2015-03-01T10:00:00+09:00' });
    bank = t.sandbox.standInBankUrl!;
    arriveId = await arriveSample(t, await userWithKey(t, 'paywindow01'));
    const other = plainServer();
    servers.push(other);
    otherOrigin = await listen(other);
    const hostile = hostileServer(() => otherOrigin);
    servers.push(hostile);
    hostileOrigin = await listen(hostile);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    windows = harnessPaymentWindows({
      browser: async () => browser,
      emit: (e) => {
        events.push(e);
        for (const w of waiters.filter((x) => x.match(e))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
      },
    });
  });
  after(async () => {
    await windows?.closeAll();
    await browser?.close();
    for (const s of servers) s.close();
    await t?.close();
  });

  void it('posts the hand-off form and lands on the stand-in bank login page; its external link is blocked', async () => {
    const p = t.sandbox.operatePayment({ action: 'add-payment', arriveId, amount: '1200', deadline: '20150331' });
    const r = request({ action: bank, fields: Object.fromEntries(handOffFields(p)) }, [new URL(bank).origin, 'https://bank.example']);
    await windows.open(r);
    const opened = await eventWhere((e) => e.handOffId === r.handOffId && e.state === 'opened');
    assert.ok(opened.state === 'opened' && opened.origin === new URL(bank).origin && opened.expiresAt === r.expiresAt);
    const page = windows.pageOf(r.handOffId)!;
    await page.getByRole('heading', { name: 'Todoke練習銀行 ログイン' }).waitFor();
    assert.ok((await page.content()).includes(p.payNumber));
    await page.getByRole('link', { name: 'お知らせ（外部サイト・練習用）' }).click();
    await blocked(r.handOffId, 'navigation', new URL(EXTERNAL_NOTICE_URL).origin);
    assert.equal(page.url(), bank);
    await page.getByRole('heading', { name: 'Todoke練習銀行 ログイン' }).waitFor();
    // the bank's steps still work after the refusal
    await page.getByLabel('ID').fill('taro');
    await page.getByLabel('パスワード').fill('pw');
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByRole('heading', { name: '納付内容の確認' }).waitFor();
    assert.equal(await windows.close(r.handOffId), true);
    await eventWhere((e) => e.handOffId === r.handOffId && e.state === 'closed');
    assert.equal(await windows.close(r.handOffId), false);
    assert.equal(windows.pageOf(r.handOffId), null);
  });

  void it('refuses a link, a redirect and a frame to an unlisted origin, reporting the origin only', async () => {
    const { id, page } = await openHostile();
    await page.locator('#away').click();
    await blocked(id, 'navigation', otherOrigin);
    await page.getByRole('heading', { name: 'hostile bank' }).waitFor();
    await page.locator('#redirect').click();
    await eventWhere((e) => e.handOffId === id && e.state === 'blocked' && e.kind === 'navigation' && e.target === otherOrigin && events.filter((x) => x.handOffId === id && x.state === 'blocked' && x.target === otherOrigin).length >= 2);
    await page.getByRole('heading', { name: 'hostile bank' }).waitFor();
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      document.body.append(f);
    }, `${otherOrigin}/framed`);
    await eventWhere((e) => e.handOffId === id && e.state === 'blocked' && e.kind === 'navigation' && e.target === otherOrigin && events.filter((x) => x.handOffId === id && x.state === 'blocked' && x.target === otherOrigin).length >= 3);
    assert.ok(!JSON.stringify(events).includes('SECRET'), 'no URL with its query ever leaves the window');
    await windows.close(id);
  });

  void it('pop-ups: unlisted and empty ones refused, a listed one opened in the same page', async () => {
    const { id, page } = await openHostile();
    await page.evaluate(() => void window.open('https://evil.example/login?sid=SECRET'));
    await blocked(id, 'window', 'https://evil.example');
    await page.evaluate(() => void window.open());
    await blocked(id, 'window', 'about:blank');
    await page.evaluate((url) => void window.open(url, '_blank'), `${hostileOrigin}/second`);
    await page.getByRole('heading', { name: 'second page' }).waitFor();
    assert.equal(page.url(), `${hostileOrigin}/second`);
    assert.deepEqual(page.context().pages(), [page]);
    await windows.close(id);
  });

  void it('refuses a download and plain-http subresources', async () => {
    const { id, page } = await openHostile();
    await blocked(id, 'insecure', 'http://insecure.example');
    await page.locator('#file').click();
    await blocked(id, 'download', 'statement.exe');
    await page.getByRole('heading', { name: 'hostile bank' }).waitFor();
    await windows.close(id);
  });

  void it('refuses every permission the bank page asks for, and reports each', async () => {
    const { id, page } = await openHostile();
    await page.locator('#ask').click();
    const answers = page.locator('#answers');
    await answers.filter({ hasText: /media:/ }).waitFor();
    // a machine without a camera answers NotFoundError before any permission question: never granted either way
    assert.match(await answers.innerText(), /^notifications:denied geolocation:denied 1 media:denied (NotAllowedError|NotFoundError)$/);
    for (const permission of ['notifications', 'geolocation', 'media']) await blocked(id, 'permission', permission);
    // asked again: refused again, reported once
    await page.locator('#ask').click();
    await windows.close(id);
    assert.equal(events.filter((e) => e.handOffId === id && e.state === 'blocked' && e.kind === 'permission').length, 3);
  });

  void it('reports a move to another listed origin as navigated, with its origin only', async () => {
    const r = request({ action: `${hostileOrigin}/start`, fields: { payNumber: '0000000000000001' } }, [hostileOrigin, otherOrigin]);
    await windows.open(r);
    const page = windows.pageOf(r.handOffId)!;
    await page.getByRole('heading', { name: 'hostile bank' }).waitFor();
    await page.locator('#away').click();
    await page.getByRole('heading', { name: 'unlisted site' }).waitFor();
    const moved = await eventWhere((e) => e.handOffId === r.handOffId && e.state === 'navigated');
    assert.ok(moved.state === 'navigated' && moved.origin === otherOrigin);
    assert.equal(events.some((e) => e.handOffId === r.handOffId && e.state === 'blocked' && e.kind === 'navigation'), false);
    await windows.close(r.handOffId);
  });

  void it('never overrides a certificate error: the load fails and is reported', async () => {
    const pki = makeTestTlsPki();
    const tls = createHttpsServer({ key: pki.serverKey, cert: pki.serverCert }, (_req, res) => res.end('<h1>should not show</h1>'));
    servers.push(tls as unknown as Server);
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const origin = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    const r = request({ action: `${origin}/start`, fields: {} }, [origin]);
    await windows.open(r);
    await blocked(r.handOffId, 'certificate-error', origin);
    assert.equal(await windows.pageOf(r.handOffId)!.getByRole('heading', { name: 'should not show' }).count(), 0);
    await windows.close(r.handOffId);
  });

  void it('reports the end of the 30 minutes without closing or blanking the page, then closes on request', async () => {
    const { id, page } = await openHostile(1500);
    await eventWhere((e) => e.handOffId === id && e.state === 'expired');
    assert.equal(page.isClosed(), false);
    await page.getByRole('heading', { name: 'hostile bank' }).waitFor();
    assert.equal(events.some((e) => e.handOffId === id && e.state === 'closed'), false);
    await windows.close(id);
    await eventWhere((e) => e.handOffId === id && e.state === 'closed');
  });

  void it('refuses a request the host check refuses, before any window exists', async () => {
    const pages = browser.contexts().length;
    const bad = { ...request({ action: 'https://evil.example/', fields: {} }, ['https://bank.example']) };
    await assert.rejects(windows.open(bad), /PAYMENT_WINDOW_REQUEST_INVALID|not on an allowed origin/);
    assert.equal(browser.contexts().length, pages);
  });
});

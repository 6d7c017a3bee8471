// Harness (Node). The host service of the 電子納付 hand-off window where there is no Electron: each
// hand-off is a Playwright BrowserContext of its own (memory only, no downloads, no permissions, no
// service workers, certificate errors fatal) in the browser the harness or the E2E rig started, ruled
// by the same policy as the Electron window (src/main/payments/hand-off-policy.ts). What this host can
// and cannot see, compared with Electron's:
// - documents, subresources and pop-ups: every request passes context.route, judged there; a pop-up's
//   request is judged as a pop-up, the pop-up closed, and an allowed URL loaded in the hand-off page;
// - a redirect: the route is asked for the redirected request too (checked with this Playwright);
//   each committed document is judged again all the same, and one off the list is reported and the
//   page sent back — a second line, should a Playwright version stop routing redirects;
// - downloads: refused by the context (acceptDownloads: false) and reported from the page's event;
// - certificate errors: the navigation fails (never overridden) and the failure is reported;
// - permission requests: refused (no permission is granted) and reported by a probe script added to
//   the bank's frames (PERMISSION_PROBE below) — neither Playwright nor CDP tells of them;
// - client-certificate requests: refused (this Chromium has no client certificate to offer) but NOT
//   reported: nothing tells of them here. The Electron window reports them.
// There is no chrome strip here: the app's own hand-off panel shows the origin and the countdown
// (and the browser's address bar, when headed).
import type { Browser, BrowserContext, Frame, Page, Request, Route } from 'playwright-core';
import { checkPaymentWindowRequest } from '../../src/main/payments/window-request.js';
import { FORM_CONTENT_TYPE, formBody, judgeDocument, judgePopup, judgeSubresource, shortTarget, targetOf, type Verdict } from '../../src/main/payments/hand-off-policy.js';
import type { PaymentWindowBlockKind, PaymentWindowEvent, PaymentWindowRequest, PaymentWindows } from '../../src/shared/payment.js';

/** Chromium's flags for the harness's browsers (as test/harness/print-pdf.ts and the E2E launcher use) */
export const HARNESS_CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface HarnessPaymentWindows extends PaymentWindows {
  /** the page of an open hand-off, for a spec to drive; null when it is not open */
  pageOf(handOffId: string): Page | null;
  /** called with each hand-off page once it exists (before the bank answered); returns an unsubscribe */
  onOpened(listener: (handOffId: string, page: Page) => void): () => void;
  /** closes every open hand-off window */
  closeAll(): Promise<void>;
}

export interface HarnessPaymentWindowsOptions {
  /** the browser to open hand-off windows in, asked at each hand-off (late-bound: the rig starts it later) */
  browser: () => Promise<Browser>;
  emit: (event: PaymentWindowEvent) => void;
  now?: () => number;
  log?: (line: string) => void;
}

/**
 * The harness's stand-in for Electron's permission-request handler: Playwright and CDP refuse a
 * page's permission requests (the context grants none) but tell nobody, so this script, added to the
 * bank's frames in the harness only, reports each request before the browser refuses it. The bank
 * page could call the binding itself: it can only add 'permission' entries, which are deduplicated
 * and capped like every other report. Electron reports from the session instead
 * (src/main/electron/payment-window.ts).
 */
const PERMISSION_BINDING = '__todokeHandOffPermission';
const PERMISSION_PROBE = `(() => {
  const report = (name) => { try { window.${PERMISSION_BINDING}(name); } catch {} };
  const wrap = (owner, key, name) => {
    const original = owner && owner[key];
    if (typeof original !== 'function') return;
    Object.defineProperty(owner, key, { configurable: true, writable: true, value: function (...args) { report(name); return original.apply(this, args); } });
  };
  if (window.Notification) wrap(window.Notification, 'requestPermission', 'notifications');
  if (window.Geolocation) { wrap(Geolocation.prototype, 'getCurrentPosition', 'geolocation'); wrap(Geolocation.prototype, 'watchPosition', 'geolocation'); }
  if (window.MediaDevices) { wrap(MediaDevices.prototype, 'getUserMedia', 'media'); wrap(MediaDevices.prototype, 'getDisplayMedia', 'display-capture'); }
  if (window.Clipboard) { wrap(Clipboard.prototype, 'readText', 'clipboard-read'); wrap(Clipboard.prototype, 'read', 'clipboard-read'); }
  if (window.Navigator) wrap(Navigator.prototype, 'requestMIDIAccess', 'midi');
  for (const [api, name] of [['USB', 'usb'], ['HID', 'hid'], ['Serial', 'serial'], ['Bluetooth', 'bluetooth']]) if (window[api]) wrap(window[api].prototype, 'requestDevice' in window[api].prototype ? 'requestDevice' : 'requestPort', name);
  if (window.IdleDetector) wrap(window.IdleDetector, 'requestPermission', 'idle-detection');
})();`;

interface HandOff {
  request: PaymentWindowRequest;
  context: BrowserContext;
  page: Page;
  timer: NodeJS.Timeout | null;
  /** the origin last reported as opened or navigated */
  origin: string;
  /** subresource refusals already reported (a page may ask for the same thing many times) */
  reported: Set<string>;
}

export function harnessPaymentWindows(options: HarnessPaymentWindowsOptions): HarnessPaymentWindows {
  const now = options.now ?? (() => Date.now());
  const log = options.log ?? (() => undefined);
  const open = new Map<string, HandOff>();
  const listeners = new Set<(handOffId: string, page: Page) => void>();

  const emit = (request: PaymentWindowRequest, rest: DistributiveOmit<PaymentWindowEvent, 'handOffId' | 'arriveId' | 'payNumber' | 'bankName' | 'at'>) => {
    const { handOffId, arriveId, payNumber, bankName } = request;
    options.emit({ handOffId, arriveId, payNumber, bankName, at: new Date(now()).toISOString(), ...rest } as PaymentWindowEvent);
  };
  const block = (h: HandOff, kind: PaymentWindowBlockKind, target: string) => {
    log(`payment window ${h.request.handOffId}: blocked ${kind} ${target}`);
    emit(h.request, { state: 'blocked', kind, target: shortTarget(target) });
  };

  async function onRoute(h: HandOff, route: Route, request: Request, firstPost: { pending: boolean }): Promise<void> {
    const frame = frameOf(request);
    // Playwright gives no frame for a pop-up's first request (the pop-up is not announced yet): judged
    // as a pop-up here; 'blockedbyclient' commits an error page, so the pop-up is announced and closed
    if (frame === null || frame.page() !== h.page) {
      if (request.isNavigationRequest() && (frame === null || frame === frame.page().mainFrame())) {
        const verdict = judgePopup(h.request, request.url());
        if (verdict.action === 'same-window') void h.page.goto(verdict.url).catch(() => undefined);
        else block(h, verdict.kind, verdict.target);
      }
      await route.abort('blockedbyclient').catch(() => undefined);
      return;
    }
    const isDocument = request.isNavigationRequest() || request.resourceType() === 'document';
    const verdict: Verdict = isDocument ? judgeDocument(h.request, request.url()) : judgeSubresource(h.request, request.url());
    if (!verdict.allowed) {
      const key = `${verdict.kind} ${verdict.target}`;
      if (isDocument || !h.reported.has(key)) block(h, verdict.kind, verdict.target);
      h.reported.add(key);
      // 'aborted' leaves the bank page as it was: 'blockedbyclient' would put an error page in its place
      await route.abort('aborted').catch(() => undefined);
      return;
    }
    // the hand-off page's first navigation is e-Gov's form, posted to the bank
    if (firstPost.pending && isDocument && frame === h.page.mainFrame() && request.url() === new URL(h.request.form.action).href) {
      firstPost.pending = false;
      const headers = { ...request.headers(), 'content-type': FORM_CONTENT_TYPE };
      await route.continue({ method: 'POST', postData: formBody(h.request.form.fields), headers }).catch(() => undefined);
      return;
    }
    await route.continue().catch(() => undefined);
  }

  function watch(h: HandOff): void {
    const { page, context } = h;
    page.on('framenavigated', (frame) => {
      const url = frame.url();
      // an error page is the browser's own; an about: frame inside the page has the page's origin and no request
      if (url.startsWith('chrome-error:') || (frame !== page.mainFrame() && url.startsWith('about:'))) return;
      const verdict = judgeDocument(h.request, url);
      if (!verdict.allowed) {
        // the route refuses these first (see the head of this file): this is the second line
        block(h, verdict.kind, verdict.target);
        if (frame === page.mainFrame()) void page.goBack().catch(() => undefined);
        return;
      }
      if (frame === page.mainFrame() && verdict.origin !== h.origin) {
        h.origin = verdict.origin;
        emit(h.request, { state: 'navigated', origin: verdict.origin });
      }
    });
    page.on('requestfailed', (request) => {
      const failure = request.failure()?.errorText ?? '';
      if (/^net::ERR_(CERT_|SSL_|BAD_SSL)/.test(failure)) block(h, 'certificate-error', targetOf(request.url()));
    });
    page.on('download', (download) => {
      block(h, 'download', download.suggestedFilename() || targetOf(download.url()));
      void download.cancel().catch(() => undefined);
    });
    context.on('page', (popup) => {
      if (popup === page) return;
      // window.open() with no URL sends no request: an empty window the opener could write into (a
      // pop-up that asked for a URL was judged by the route and shows the error page of its refusal)
      if (popup.url() === 'about:blank') block(h, 'window', 'about:blank');
      void popup.close().catch(() => undefined);
    });
    page.on('close', () => {
      if (open.get(h.request.handOffId) !== h) return;
      open.delete(h.request.handOffId);
      if (h.timer) clearTimeout(h.timer);
      emit(h.request, { state: 'closed' });
      void context.close().catch(() => undefined);
    });
  }

  return {
    async open(value) {
      const request = checkPaymentWindowRequest(value);
      if (open.has(request.handOffId)) throw new Error(`hand-off ${request.handOffId} is already open`);
      const browser = await options.browser();
      const context = await browser.newContext({ acceptDownloads: false, serviceWorkers: 'block', ignoreHTTPSErrors: false, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', permissions: [] });
      try {
        const page = await context.newPage();
        const h: HandOff = { request, context, page, timer: null, origin: new URL(request.form.action).origin, reported: new Set() };
        const firstPost = { pending: true };
        await context.route('**/*', (route, req) => onRoute(h, route, req, firstPost));
        await context.exposeBinding(PERMISSION_BINDING, (_source, name: unknown) => {
          const permission = typeof name === 'string' ? name.slice(0, 40) : '';
          if (!permission || h.reported.has(`permission ${permission}`)) return;
          h.reported.add(`permission ${permission}`);
          block(h, 'permission', permission);
        });
        await context.addInitScript(PERMISSION_PROBE);
        open.set(request.handOffId, h);
        watch(h);
        // the countdown: the page stays as it is at expiry (the filer may be mid-confirmation)
        h.timer = setTimeout(() => emit(request, { state: 'expired' }), Math.max(0, Date.parse(request.expiresAt) - now()));
        h.timer.unref();
        emit(request, { state: 'opened', origin: h.origin, expiresAt: request.expiresAt });
        for (const listener of listeners) listener(request.handOffId, page);
        void page.goto(request.form.action).catch((e: unknown) => log(`payment window ${request.handOffId}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`));
      } catch (e) {
        await context.close().catch(() => undefined);
        throw e;
      }
    },
    async close(handOffId) {
      const h = open.get(handOffId);
      if (!h) return false;
      await h.page.close();
      return true;
    },
    pageOf: (handOffId) => open.get(handOffId)?.page ?? null,
    onOpened(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async closeAll() {
      await Promise.all([...open.keys()].map((id) => this.close(id)));
    },
  };
}

function frameOf(request: Request): Frame | null {
  try {
    return request.frame();
  } catch {
    // a service worker's request has no frame (service workers are blocked; refused all the same)
    return null;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

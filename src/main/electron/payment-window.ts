// Main process (Electron). The 電子納付 hand-off window (issue #11 item 3): per hand-off a BaseWindow
// with two views — Todoke's chrome strip on top (app://todoke/payment-chrome.html: bank, origin,
// countdown, the last refusal) and the bank below. The bank view is a page of the bank's, never of
// Todoke's: its own in-memory partition (no `persist:`), no preload, no IPC, sandboxed; every
// permission, client certificate, download and webview refused and reported; documents only from
// the request's origins and pop-ups only into the same view (src/main/payments/hand-off-policy.ts,
// through the per-contents registry of security.ts). The strip hears the host only through its URL
// fragment (src/shared/payment-chrome.ts). Thin on purpose: the decisions are in the pure modules.
import { randomBytes } from 'node:crypto';
import type { BaseWindow as BaseWindowClass, Session, WebContents, WebContentsView as WebContentsViewClass } from 'electron';
import { FORM_CONTENT_TYPE, formBody, judgeDocument, judgePopup, judgeSubresource, shortTarget, targetOf } from '../payments/hand-off-policy.js';
import { checkPaymentWindowRequest } from '../payments/window-request.js';
import { chromeStateFragment, type ChromeLanguage, type ChromeState } from '../../shared/payment-chrome.js';
import type { PaymentWindowBlockKind, PaymentWindowEvent, PaymentWindowRequest, PaymentWindows } from '../../shared/payment.js';
import type { ContentsPolicies } from './security.js';
import { APP_ORIGIN } from './policy.js';

export const PAYMENT_CHROME_URL = `${APP_ORIGIN}/payment-chrome.html`;
/** the strip's height in DIPs: two lines of large text */
const CHROME_HEIGHT = 84;

export interface ElectronPaymentWindowsDeps {
  BaseWindow: typeof BaseWindowClass;
  WebContentsView: typeof WebContentsViewClass;
  /** Electron's `session.fromPartition` */
  fromPartition: (partition: string, options: { cache: boolean }) => Session;
  policies: ContentsPolicies;
  emit: (event: PaymentWindowEvent) => void;
  /** the OS's language decides the strip's */
  language: () => ChromeLanguage;
  /** DevTools only in development builds */
  devTools: boolean;
  now?: () => number;
  log?: (line: string) => void;
}

export interface ElectronPaymentWindows extends PaymentWindows {
  /**
   * App-level events name a web contents: true (and reported) when it is a bank view. main.ts
   * refuses client certificates for every contents and never trusts a certificate error; these
   * only tell the hand-off's chrome and the app.
   */
  reportClientCertificate(contents: WebContents, url: string): boolean;
  reportCertificateError(contents: WebContents, url: string): boolean;
}

interface HandOff {
  request: PaymentWindowRequest;
  win: BaseWindowClass;
  bank: WebContentsViewClass;
  chrome: WebContentsViewClass;
  session: Session;
  state: ChromeState;
  timer: NodeJS.Timeout | null;
  /** subresource refusals already reported (a page may ask for the same thing many times) */
  reported: Set<string>;
  forgetPolicy: () => void;
}

export function electronPaymentWindows(deps: ElectronPaymentWindowsDeps): ElectronPaymentWindows {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? (() => undefined);
  const open = new Map<string, HandOff>();
  const byContents = new Map<number, HandOff>();

  const emit = (h: HandOff, rest: DistributiveOmit<PaymentWindowEvent, 'handOffId' | 'arriveId' | 'payNumber' | 'bankName' | 'at'>) => {
    const { handOffId, arriveId, payNumber, bankName } = h.request;
    deps.emit({ handOffId, arriveId, payNumber, bankName, at: new Date(now()).toISOString(), ...rest } as PaymentWindowEvent);
  };
  // a fragment-only change of the URL is a same-document navigation: the strip hears it as hashchange
  const showState = (h: HandOff) => {
    if (!h.chrome.webContents.isDestroyed()) void h.chrome.webContents.loadURL(`${PAYMENT_CHROME_URL}${chromeStateFragment(h.state)}`).catch(() => undefined);
  };
  const block = (h: HandOff, kind: PaymentWindowBlockKind, target: string) => {
    const short = shortTarget(target);
    log(`payment window ${h.request.handOffId}: blocked ${kind} ${short}`);
    emit(h, { state: 'blocked', kind, target: short });
    h.state = { ...h.state, blocked: { kind, target: short } };
    showState(h);
  };

  function guardSession(h: HandOff): void {
    const ses = h.session;
    ses.setPermissionRequestHandler((_contents, permission, callback) => {
      callback(false);
      block(h, 'permission', permission);
    });
    // checks are frequent and silent (a page asking whether it may): refused, not reported
    ses.setPermissionCheckHandler(() => false);
    ses.setDevicePermissionHandler(() => false);
    ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
    ses.setSpellCheckerEnabled(false);
    ses.on('will-download', (event, item) => {
      event.preventDefault();
      block(h, 'download', item.getFilename() || targetOf(item.getURL()));
    });
    // the network-level line behind will-frame-navigate and will-redirect: nothing unjudged leaves
    ses.webRequest.onBeforeRequest((details, callback) => {
      const isDocument = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
      const verdict = isDocument ? judgeDocument(h.request, details.url) : judgeSubresource(h.request, details.url);
      if (!verdict.allowed) {
        const key = `${verdict.kind} ${verdict.target}`;
        if (isDocument || !h.reported.has(key)) block(h, verdict.kind, verdict.target);
        h.reported.add(key);
      }
      callback({ cancel: !verdict.allowed });
    });
  }

  function watchBank(h: HandOff): void {
    const contents = h.bank.webContents;
    contents.on('did-navigate', (_event, url) => {
      const verdict = judgeDocument(h.request, url);
      if (!verdict.allowed || verdict.origin === h.state.origin) return;
      h.state = { ...h.state, origin: verdict.origin };
      emit(h, { state: 'navigated', origin: verdict.origin });
      showState(h);
    });
    // the window's title is Todoke's, never the bank page's
    contents.on('page-title-updated', (event) => event.preventDefault());
  }

  function layout(h: HandOff): void {
    const { width, height } = h.win.getContentBounds();
    h.chrome.setBounds({ x: 0, y: 0, width, height: CHROME_HEIGHT });
    h.bank.setBounds({ x: 0, y: CHROME_HEIGHT, width, height: Math.max(0, height - CHROME_HEIGHT) });
  }

  function closed(h: HandOff): void {
    if (open.get(h.request.handOffId) !== h) return;
    open.delete(h.request.handOffId);
    byContents.delete(h.bank.webContents.id);
    if (h.timer) clearTimeout(h.timer);
    h.forgetPolicy();
    emit(h, { state: 'closed' });
    // a BaseWindow does not destroy its views' contents; the partition is memory only, and emptied now
    for (const view of [h.bank, h.chrome]) if (!view.webContents.isDestroyed()) view.webContents.close();
    void h.session.clearStorageData().catch(() => undefined);
    void h.session.clearCache().catch(() => undefined);
  }

  return {
    async open(value) {
      const request = checkPaymentWindowRequest(value);
      if (open.has(request.handOffId)) throw new Error(`hand-off ${request.handOffId} is already open`);
      const partition = `payment-${randomBytes(16).toString('hex')}`;
      const session = deps.fromPartition(partition, { cache: false });
      const win = new deps.BaseWindow({ title: `Todoke — 銀行サイト（${request.bankName}）`, width: 1100, height: 860, minWidth: 720, minHeight: 560, show: false });
      // the strip: Todoke's own page on app://, deny-all like the app window, no preload either
      const chrome = new deps.WebContentsView({
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false, navigateOnDragDrop: false, spellcheck: false, devTools: false },
      });
      const bank = new deps.WebContentsView({
        webPreferences: {
          session,
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          nodeIntegrationInSubFrames: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          webviewTag: false,
          navigateOnDragDrop: false,
          safeDialogs: true,
          spellcheck: false,
          devTools: deps.devTools,
        },
      });
      const origin = new URL(request.form.action).origin;
      const h: HandOff = {
        request,
        win,
        bank,
        chrome,
        session,
        state: { lang: deps.language(), bankName: request.bankName, origin, expiresAt: request.expiresAt, blocked: null },
        timer: null,
        reported: new Set(),
        forgetPolicy: () => undefined,
      };
      h.forgetPolicy = deps.policies.use(bank.webContents.id, {
        navigate: (url) => {
          const verdict = judgeDocument(request, url);
          if (!verdict.allowed) block(h, verdict.kind, verdict.target);
          return verdict.allowed;
        },
        openWindow: (url) => {
          const verdict = judgePopup(request, url);
          if (verdict.action === 'same-window') void bank.webContents.loadURL(verdict.url).catch(() => undefined);
          else block(h, verdict.kind, verdict.target);
        },
        attachWebview: () => block(h, 'webview', ''),
      });
      open.set(request.handOffId, h);
      byContents.set(bank.webContents.id, h);
      guardSession(h);
      watchBank(h);
      win.contentView.addChildView(chrome);
      win.contentView.addChildView(bank);
      layout(h);
      win.on('resize', () => layout(h));
      win.on('closed', () => closed(h));
      // the countdown: at expiry the strip turns red and says so; the bank page stays (the filer may be mid-confirmation)
      h.timer = setTimeout(() => {
        emit(h, { state: 'expired' });
        showState(h);
      }, Math.max(0, Date.parse(request.expiresAt) - now()));
      showState(h);
      win.show();
      emit(h, { state: 'opened', origin, expiresAt: request.expiresAt });
      void bank.webContents
        .loadURL(request.form.action, {
          postData: [{ type: 'rawData', bytes: Buffer.from(formBody(request.form.fields), 'utf8') }],
          extraHeaders: `Content-Type: ${FORM_CONTENT_TYPE}\n`,
        })
        .catch((e: unknown) => log(`payment window ${request.handOffId}: ${e instanceof Error ? e.message : String(e)}`));
    },
    async close(handOffId) {
      const h = open.get(handOffId);
      if (!h) return false;
      h.win.close();
      return true;
    },
    reportClientCertificate(contents, url) {
      const h = byContents.get(contents.id);
      if (h) block(h, 'client-certificate', targetOf(url));
      return h !== undefined;
    },
    reportCertificateError(contents, url) {
      const h = byContents.get(contents.id);
      if (h) block(h, 'certificate-error', targetOf(url));
      return h !== undefined;
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

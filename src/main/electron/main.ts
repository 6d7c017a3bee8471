// Main process (Electron entry, bundled to build/electron/main.js). Keeps the windows, the IPC
// relay, safeStorage, notifications and the 電子納付 hand-off windows; the core — signing,
// PKCS#11 drivers, HTTP, SQLite — runs in a utility process of its own (src/main/core-host), and the
// built-in sandbox in another, reached over HTTP like e-Gov. Runs top to bottom before `ready`, so
// scheme registration happens in time.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BaseWindow, BrowserWindow, ipcMain, Notification, protocol, safeStorage, session, utilityProcess, WebContentsView } from 'electron';
import type { WebContents } from 'electron';
import type { PaymentWindowEvent } from '../../shared/payment.js';
import { sandboxProcess } from '../core-host/sandbox-process.js';
import { CoreSupervisor } from '../core-host/supervisor.js';
import { CORE_HOST_V8_FLAGS } from '../core-host/v8-flags.js';
import { todokeHome } from '../profiles/home.js';
import { printHtmlToPdf } from './print-pdf.js';
import { sealerIsSafe } from '../profiles/secret-store.js';
import { safeStorageSealer } from './safe-storage.js';
import { bindIpc, forwardEvents } from './ipc.js';
import { registerAppScheme, serveNoticePages, serveRenderer } from './protocol.js';
import { applySecurityBaseline, ContentsPolicies, type BlockedAction } from './security.js';
import { electronPaymentWindows } from './payment-window.js';
import { utilityProcessSpawner } from './utility-process.js';
import { createMainWindow } from './window.js';
import { notifyCaseEvents } from './notifications.js';
import { caseNoticeOf, caseNoticesSummary, paymentNoticesOf } from '../../shared/case-notices.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererRoot = join(here, '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'preload.cjs');
const coreHostEntry = join(here, '..', 'core-host', 'entry.js');
const sandboxEntry = join(here, '..', 'core-host', 'sandbox-entry.js');

registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // The CLI's folder too ($TODOKE_HOME or the platform's app-data folder): one set of profiles.
  const home = todokeHome(process.env);
  // The sandbox is the default endpoint of a new user: training with the bundled test certificates.
  // electron-builder copies assets/sandbox-pki to resources/sandbox-pki (electron-builder.yml)
  const pkiDir = app.isPackaged ? join(process.resourcesPath, 'sandbox-pki') : join(here, '..', '..', 'assets', 'sandbox-pki');
  const fork = utilityProcess.fork.bind(utilityProcess);
  const sandbox = sandboxProcess({ spawn: utilityProcessSpawner(fork, sandboxEntry, 'Todoke sandbox'), dataDir: join(home, 'sandbox'), pkiDir });
  const sealer = safeStorageSealer(safeStorage);
  // the OS's language decides the notifications' and the payment strip's (the window's own choice lives in the renderer)
  const japanese = () => app.getLocale().toLowerCase().startsWith('ja');
  const policies = new ContentsPolicies();
  // late-bound: the hand-off windows report to the core, which is built with them as a service
  let emitPaymentEvent: (payload: PaymentWindowEvent) => void = () => undefined;
  const paymentWindows = electronPaymentWindows({
    BaseWindow,
    WebContentsView,
    fromPartition: (partition, options) => session.fromPartition(partition, options),
    policies,
    emit: (payload) => emitPaymentEvent(payload),
    language: () => (japanese() ? 'ja' : 'en'),
    devTools: !app.isPackaged,
    log: (line) => console.warn(line),
  });
  const core = new CoreSupervisor({
    spawn: utilityProcessSpawner(fork, coreHostEntry, 'Todoke core', CORE_HOST_V8_FLAGS),
    // read at each start, after `ready`: safeStorage can only be asked then
    config: () => ({
      host: 'electron',
      version: app.getVersion(),
      home,
      sandbox: true,
      secrets: { kind: 'sealed-by-host', safe: sealerIsSafe(sealer) },
      trainingCertificatesDir: pkiDir,
    }),
    services: {
      seal: async (text) => Buffer.from(await sealer.encryptString(text)).toString('base64'),
      unseal: async (sealedBase64) => sealer.decryptString(Buffer.from(sealedBase64, 'base64')),
      sandboxEndpoint: () => sandbox.endpoint(),
      printPdf: (html) => printHtmlToPdf(html),
      paymentWindows,
    },
  });
  emitPaymentEvent = (payload) => core.events.emit({ name: 'payment.window', payload });
  const appWindows = new Set<number>();
  const isAppWindow = (contents: WebContents) => appWindows.has(contents.id);

  const onBlocked = (action: BlockedAction) => {
    console.warn(`blocked ${action.kind}: ${action.target}`);
    core.events.emit({
      name: 'app.notice',
      payload: {
        level: 'warning',
        code: 'BLOCKED_BY_SECURITY_POLICY',
        message: `blocked ${action.kind}`,
        messageJa: 'セキュリティのため、アプリの外のページや新しいウィンドウを開く操作を止めました。',
      },
    });
  };

  // the app's own window, tracked by hand: the hand-off windows are windows too, and never the one to show a case in
  let mainWindow: BrowserWindow | null = null;
  const openWindow = () => {
    const win = createMainWindow(BrowserWindow, { preloadPath, devTools: !app.isPackaged });
    const id = win.webContents.id;
    appWindows.add(id);
    forwardEvents(core, win.webContents);
    mainWindow = win;
    win.on('closed', () => {
      appWindows.delete(id);
      if (mainWindow === win) mainWindow = null;
    });
    return win;
  };

  // A notification chosen brings the window forward and shows the case (or the list, for several).
  const showCase = (arriveId: string | null) => {
    const win = mainWindow ?? openWindow();
    if (win.isMinimized()) win.restore();
    win.focus();
    core.events.emit({ name: 'case.open', payload: { arriveId } });
  };
  const stopNotifying = notifyCaseEvents({
    subscribe: (listener) => core.events.subscribe(listener),
    createNotification: (options) => new Notification(options),
    isSupported: () => Notification.isSupported(),
    describe: caseNoticeOf,
    describePayments: paymentNoticesOf,
    word: (n) => (japanese() ? { title: n.titleJa, body: n.messageJa } : { title: n.title, body: n.message }),
    summarize: (notices, cases) => {
      const s = caseNoticesSummary(notices, cases);
      return japanese() ? { title: s.titleJa, body: s.messageJa } : { title: s.title, body: s.message };
    },
    open: showCase,
  });

  app.on('second-instance', () => {
    const win = mainWindow;
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  // No page is ever given a client certificate (the default would pick the first one on its own);
  // a payment window's bank asking for one is shown in its strip.
  app.on('select-client-certificate', (event, contents, url, _list, callback) => {
    event.preventDefault();
    callback();
    paymentWindows.reportClientCertificate(contents, url);
  });
  // A certificate error is never overridden (callback(true) is never called): the load fails; a
  // payment window's is shown in its strip.
  // electronegativity-ignore: CERTIFICATE_ERROR_EVENT_JS_CHECK — the handler only reports: it
  // neither calls preventDefault nor the callback, so Electron's default (refuse the connection) holds.
  app.on('certificate-error', (_event, contents, url) => {
    paymentWindows.reportCertificateError(contents, url);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    stopNotifying();
    void core.close();
    void sandbox.close();
  });

  app
    .whenReady()
    .then(() => {
      applySecurityBaseline(app, session.defaultSession, policies, isAppWindow, onBlocked);
      serveRenderer(protocol, rendererRoot);
      serveNoticePages(protocol, async (id) => {
        const answer = await core.dispatch('notice.page', { id });
        return answer.ok ? (answer.value as { html: string }).html : null;
      });
      bindIpc(ipcMain, core, isAppWindow);
      core.start();
      openWindow();
      app.on('activate', () => {
        if (mainWindow === null) openWindow();
      });
    })
    .catch((e: unknown) => {
      console.error('Todoke failed to start', e);
      app.exit(1);
    });
}

// Main process (Electron entry, bundled to build/electron/main.js). Binds the core to one window
// and nothing more: every decision lives in the core (src/main/app) or in the policies beside
// this file. Runs top to bottom before `ready`, so scheme registration happens in time.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, protocol, safeStorage, session } from 'electron';
import type { WebContents } from 'electron';
import { createApp } from '../app/create-app.js';
import { embeddedSandbox } from '../app/embedded-sandbox.js';
import { todokeHome } from '../profiles/home.js';
import { SealedSecretStore } from '../profiles/secret-store.js';
import { safeStorageSealer } from './safe-storage.js';
import { bindIpc, forwardEvents } from './ipc.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { applySecurityBaseline, type BlockedAction } from './security.js';
import { createMainWindow } from './window.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererRoot = join(here, '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'preload.cjs');

registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // The CLI's folder too ($TODOKE_HOME or the platform's app-data folder): one set of profiles.
  const home = todokeHome(process.env);
  // The sandbox is the default endpoint of a new user: training with the bundled test certificates.
  // electron-builder copies assets/sandbox-pki to resources/sandbox-pki (electron-builder.yml)
  const pkiDir = app.isPackaged ? join(process.resourcesPath, 'sandbox-pki') : join(here, '..', '..', 'assets', 'sandbox-pki');
  const sandbox = embeddedSandbox(join(home, 'sandbox'), { pkiDir });
  const sealer = safeStorageSealer(safeStorage);
  const core = createApp({
    host: 'electron',
    version: app.getVersion(),
    home,
    // safeStorage can only be asked after `ready`; the store is made at the first secret access.
    secrets: (dir) => new SealedSecretStore(dir, sealer),
    sandbox: sandbox.provider,
    trainingCertificatesDir: pkiDir,
  });
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

  const openWindow = () => {
    const win = createMainWindow(BrowserWindow, { preloadPath, devTools: !app.isPackaged });
    const id = win.webContents.id;
    appWindows.add(id);
    forwardEvents(core, win.webContents);
    win.on('closed', () => appWindows.delete(id));
    return win;
  };

  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    core.credentials.withdrawAll();
    void sandbox.close();
  });

  app
    .whenReady()
    .then(() => {
      applySecurityBaseline(app, session.defaultSession, onBlocked);
      serveRenderer(protocol, rendererRoot);
      bindIpc(ipcMain, core, isAppWindow);
      openWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) openWindow();
      });
    })
    .catch((e: unknown) => {
      console.error('Todoke failed to start', e);
      app.exit(1);
    });
}

// Main process (Electron). The one app window: sandboxed, isolated, no Node in the page, loading
// only app://todoke/. The preload is the page's only way to reach the core.
import type { BrowserWindow as BrowserWindowClass } from 'electron';
import { APP_ENTRY_URL } from './policy.js';

export interface MainWindowOptions {
  preloadPath: string;
  /** DevTools only in development builds */
  devTools: boolean;
}

export function createMainWindow(BrowserWindow: typeof BrowserWindowClass, options: MainWindowOptions): BrowserWindowClass {
  // electronegativity-ignore: AUXCLICK_JS_CHECK — a middle-click on a link asks the main process
  // for a new window like any other request, and setWindowOpenHandler (security.ts) denies every
  // one; the check only accepts disableBlinkFeatures 'Auxclick', which would not be what stops it.
  const win = new BrowserWindow({
    title: 'Todoke',
    width: 1200,
    height: 800,
    minWidth: 880,
    minHeight: 600,
    show: false,
    backgroundColor: '#f5f6f8',
    webPreferences: {
      // electronegativity-ignore: PRELOAD_JS_CHECK — reviewed: the preload (src/preload) runs
      // sandboxed and context-isolated and exposes only window.todoke, one typed function per
      // contract operation plus onEvent; never ipcRenderer, never a channel the page can name.
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

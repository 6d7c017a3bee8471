// Electron main. The host service `print.pdf`: a rendered notice (sanitised HTML from the core host)
// printed to PDF by Chromium, in a window that is never shown and can do nothing else — no script,
// no network, no preload, an in-memory session of its own, every permission refused. The document
// reaches it as a data: URL, the one request this window's session lets through.
import { randomBytes } from 'node:crypto';
import { BrowserWindow, session } from 'electron';

/** the largest document printed: a notice's rendered HTML is kilobytes; the renderer's cap is 8 MB */
const MAX_HTML_CHARS = 16 * 1024 * 1024;
const PRINT_TIMEOUT_MS = 30_000;

export async function printHtmlToPdf(html: string): Promise<string> {
  if (html.length > MAX_HTML_CHARS) throw new Error(`document of ${html.length} characters is too large to print`);
  const partition = `print-${randomBytes(8).toString('hex')}`; // no "persist:" prefix: memory only
  const printSession = session.fromPartition(partition, { cache: false });
  printSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  printSession.setPermissionCheckHandler(() => false);
  printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith('data:') }));
  const win = new BrowserWindow({
    show: false,
    webPreferences: { partition, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false, spellcheck: false },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  try {
    const loaded = win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('printing took too long')), PRINT_TIMEOUT_MS);
    });
    try {
      await Promise.race([loaded, timeout]);
      const pdf = await Promise.race([win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' }), timeout]);
      return pdf.toString('base64');
    } finally {
      clearTimeout(timer);
    }
  } finally {
    win.destroy();
  }
}

// Harness (Node). The host service `print.pdf` where there is no Electron: Debian's Chromium through
// Playwright prints the sanitised HTML, with scripts off and every request refused — the harness's
// counterpart of src/main/electron/print-pdf.ts. One browser, started at the first print.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface HarnessPrinter {
  printPdf(html: string): Promise<string>;
  close(): Promise<void>;
}

export function harnessPrinter(): HarnessPrinter {
  let browser: Promise<Browser> | null = null;
  return {
    async printPdf(html) {
      browser ??= chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
      const context = await (await browser).newContext({ javaScriptEnabled: false, offline: true });
      try {
        await context.route('**/*', (route) => route.abort('blockedbyclient'));
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true });
        return pdf.toString('base64');
      } finally {
        await context.close();
      }
    },
    async close() {
      const b = await browser?.catch(() => null);
      browser = null;
      await b?.close();
    },
  };
}

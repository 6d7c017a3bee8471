// Harness (Node). `npm run harness [-- --port N]`: serves the built renderer with the core behind
// it, for a normal browser. As in the desktop app, the core runs in a process of its own (a
// child_process.fork of the core host entry Electron starts with utilityProcess), and the built-in
// sandbox in another. Build the renderer first (`npx vite build`). The 電子納付 hand-off windows open
// in a headed Chromium of their own (Debian's), started at the first hand-off — only where there is
// a display; without one the harness says so at start and each hand-off is refused with a reason.
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { TodokeError } from '../../src/shared/errors.js';
import { join } from 'node:path';
import { forkCoreHost } from '../../src/main/core-host/fork.js';
import { sandboxProcess } from '../../src/main/core-host/sandbox-process.js';
import { CoreSupervisor } from '../../src/main/core-host/supervisor.js';
import { todokeHome } from '../../src/main/profiles/home.js';
import { HARNESS_CHROMIUM_ARGS, harnessPaymentWindows } from './payment-window.js';
import { CHROMIUM_PATH, harnessPrinter } from './print-pdf.js';
import { packageVersion, repoRoot, startHarness } from './server.js';

const { values } = parseArgs({ options: { port: { type: 'string' } }, strict: true });
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0-65535), not ${values.port}`);
  process.exit(2);
}

try {
  // Same home as the CLI, so a profile made here is the CLI's default profile too.
  const home = todokeHome(process.env);
  const pkiDir = join(repoRoot, 'assets', 'sandbox-pki');
  const sandbox = sandboxProcess({ spawn: forkCoreHost({ process: 'sandbox-entry' }), dataDir: join(home, 'sandbox'), pkiDir });
  const printer = harnessPrinter();
  const display = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  let paymentBrowser: Promise<Browser> | null = null;
  const paymentWindows = harnessPaymentWindows({
    browser: () => {
      if (!display) {
        return Promise.reject(
          new TodokeError('PAYMENT_WINDOW_UNAVAILABLE', {
            ja: 'このハーネスには画面（DISPLAY）がないため、銀行サイトのウィンドウを開けません。画面のある環境でハーネスを起動するか、納付番号を控えて ATM で支払ってください。',
            en: 'the harness has no display (DISPLAY / WAYLAND_DISPLAY), so it cannot open the bank window',
          }),
        );
      }
      paymentBrowser ??= chromium.launch({ executablePath: CHROMIUM_PATH, headless: false, args: HARNESS_CHROMIUM_ARGS });
      return paymentBrowser;
    },
    emit: (payload) => core.events.emit({ name: 'payment.window', payload }),
    log: (line) => console.log(line),
  });
  const core = new CoreSupervisor({
    spawn: forkCoreHost(),
    config: () => ({ host: 'harness', version: packageVersion(), home, sandbox: true, secrets: { kind: 'file' }, trainingCertificatesDir: pkiDir }),
    services: { sandboxEndpoint: () => sandbox.endpoint(), printPdf: (html) => printer.printPdf(html), paymentWindows },
  });
  if (!display) console.log('no display (DISPLAY / WAYLAND_DISPLAY): the 電子納付 bank window cannot open; each hand-off is refused with a reason');
  core.start();
  const harness = await startHarness({ port, app: core, stagingDir: join(home, 'staging') });
  console.log(`data: ${home}`);
  console.log(`Todoke harness: ${harness.url}`);
  console.log('Open this URL (token included) in Chromium. Ctrl+C stops the harness.');
  const stop = () => {
    // the hand-off windows first: their 'closed' still reaches the core
    void paymentWindows
      .closeAll()
      .then(() => harness.close())
      .then(() => core.close())
      .then(() => sandbox.close())
      .then(() => printer.close())
      .then(async () => (await paymentBrowser?.catch(() => null))?.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}

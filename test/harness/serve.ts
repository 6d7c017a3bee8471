// Harness (Node). `npm run harness [-- --port N]`: serves the built renderer with the core behind
// it, for a normal browser. As in the desktop app, the core runs in a process of its own (a
// child_process.fork of the core host entry Electron starts with utilityProcess), and the built-in
// sandbox in another. Build the renderer first (`npx vite build`).
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { forkCoreHost } from '../../src/main/core-host/fork.js';
import { sandboxProcess } from '../../src/main/core-host/sandbox-process.js';
import { CoreSupervisor } from '../../src/main/core-host/supervisor.js';
import { todokeHome } from '../../src/main/profiles/home.js';
import { harnessPrinter } from './print-pdf.js';
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
  const core = new CoreSupervisor({
    spawn: forkCoreHost(),
    config: () => ({ host: 'harness', version: packageVersion(), home, sandbox: true, secrets: { kind: 'file' }, trainingCertificatesDir: pkiDir }),
    services: { sandboxEndpoint: () => sandbox.endpoint(), printPdf: (html) => printer.printPdf(html) },
  });
  core.start();
  const harness = await startHarness({ port, app: core, stagingDir: join(home, 'staging') });
  console.log(`data: ${home}`);
  console.log(`Todoke harness: ${harness.url}`);
  console.log('Open this URL (token included) in Chromium. Ctrl+C stops the harness.');
  const stop = () => {
    void harness
      .close()
      .then(() => core.close())
      .then(() => sandbox.close())
      .then(() => printer.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}

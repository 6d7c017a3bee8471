// Harness (Node). `npm run harness [-- --port N]`: serves the built renderer with the core behind
// it, for a normal browser. Build the renderer first (`npx vite build`).
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { createApp } from '../../src/main/app/create-app.js';
import { embeddedSandbox } from '../../src/main/app/embedded-sandbox.js';
import { todokeHome } from '../../src/main/profiles/home.js';
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
  const sandbox = embeddedSandbox(join(home, 'sandbox'), { pkiDir });
  const app = createApp({ host: 'harness', version: packageVersion(), home, sandbox: sandbox.provider, trainingCertificatesDir: pkiDir });
  const harness = await startHarness({ port, app });
  console.log(`data: ${home}`);
  console.log(`Todoke harness: ${harness.url}`);
  console.log('Open this URL (token included) in Chromium. Ctrl+C stops the harness.');
  const stop = () => {
    void harness
      .close()
      .then(() => sandbox.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}

// Built-in sandbox process entry (bundled to build/core-host/sandbox-entry.js for Electron's
// utilityProcess; forked from the sources by the web harness). The app reaches the sandbox over
// HTTP exactly as it reaches e-Gov; running it in a process of its own keeps a stand-in server's
// work and failures out of the core and the window. Started by the host on the core's first need.
import { dirname, join } from 'node:path';
import { DEFAULT_SOFTWARE_ID } from '../../sandbox/config.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/server.js';
import { parentChannel } from './channel.js';
import { parseSandboxStart } from './sandbox-protocol.js';

const channel = parentChannel();
let handle: SandboxHandle | null = null;

channel.onMessage((raw) => {
  const start = parseSandboxStart(raw);
  if (!start) {
    console.error('sandbox process: refused a malformed message from the host');
    return;
  }
  if (handle) return;
  // the stylesheets sit beside the PKI: assets/ in the sources, resources/ when packaged (electron-builder.yml)
  const trust =
    start.pkiDir === undefined
      ? {}
      : { bundledTrust: false, trust: [join(start.pkiDir, 'sandbox-ca.cert.pem')], pkiDir: start.pkiDir, noticesDir: join(dirname(start.pkiDir), 'sandbox-notices') };
  startSandbox({ dataDir: start.dataDir, port: 0, softwareIds: [DEFAULT_SOFTWARE_ID], standInBank: true, ...trust }).then(
    (h) => {
      handle = h;
      channel.send({ t: 'listening', baseUrl: h.apiBaseUrl, softwareId: h.softwareIds[0] ?? DEFAULT_SOFTWARE_ID, caPem: h.tlsCaPem });
    },
    (e: unknown) => {
      channel.send({ t: 'failed', message: e instanceof Error ? e.message : String(e) });
    },
  );
});

channel.onDisconnect(() => {
  void (handle?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
process.once('SIGTERM', () => {
  void (handle?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});

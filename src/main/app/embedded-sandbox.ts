// Main process (core). The sandbox built into the app: started on first use (on loopback, a free
// port, plain http), its state in a folder of the app's own data so that training IDs, keys and
// cases survive restarts; with the stand-in bank of 電子納付 on a loopback port of its own. The
// desktop app, `npm run harness` and `todoke --sandbox` use it.
import { dirname, join } from 'node:path';
import { DEFAULT_SOFTWARE_ID } from '../../sandbox/config.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/server.js';
import type { SandboxEndpoint, SandboxProvider } from '../identity/endpoint.js';

export interface EmbeddedSandbox {
  provider: SandboxProvider;
  /** stops it if it was started */
  close(): Promise<void>;
}

export interface EmbeddedSandboxOptions {
  /**
   * The folder of the sandbox's test PKI (assets/sandbox-pki; resources/sandbox-pki when
   * packaged). A bundled app must say where it is: the sandbox's own default is found relative to
   * its source file, which a bundle moves.
   */
  pkiDir?: string;
  log?: (line: string) => void;
}

export function embeddedSandbox(dataDir: string, options: EmbeddedSandboxOptions = {}): EmbeddedSandbox {
  // the stylesheets sit beside the PKI: assets/ in the sources, resources/ when packaged (electron-builder.yml)
  const trust =
    options.pkiDir === undefined
      ? {}
      : { bundledTrust: false, trust: [join(options.pkiDir, 'sandbox-ca.cert.pem')], pkiDir: options.pkiDir, noticesDir: join(dirname(options.pkiDir), 'sandbox-notices') };
  let started: Promise<SandboxHandle> | null = null;
  return {
    provider: async (): Promise<SandboxEndpoint> => {
      started ??= startSandbox({ dataDir, port: 0, softwareIds: [DEFAULT_SOFTWARE_ID], standInBank: true, ...trust, ...(options.log ? { log: options.log } : {}) }).catch((e: unknown) => {
        started = null;
        throw e;
      });
      const handle = await started;
      return { baseUrl: handle.apiBaseUrl, softwareId: handle.softwareIds[0] ?? DEFAULT_SOFTWARE_ID, caPem: handle.tlsCaPem };
    },
    async close() {
      const handle = await started?.catch(() => null);
      started = null;
      await handle?.close();
    },
  };
}

// Host side (Electron main, web harness), Electron-free. The built-in sandbox in a process of its
// own, started when the core first asks for its address and started again on the next request if
// it has died. Its state is in SQLite under its data folder, so a restart loses nothing.
import type { SandboxEndpoint } from '../identity/endpoint.js';
import { parseSandboxReply } from './sandbox-protocol.js';
import type { CoreProcess } from './supervisor.js';

export interface SandboxProcessOptions {
  spawn: () => CoreProcess;
  dataDir: string;
  pkiDir?: string;
  startTimeoutMs?: number;
}

export interface SandboxProcess {
  endpoint(): Promise<SandboxEndpoint>;
  close(): Promise<void>;
}

export function sandboxProcess(options: SandboxProcessOptions): SandboxProcess {
  let current: { process: CoreProcess; endpoint: Promise<SandboxEndpoint> } | null = null;
  let closed = false;

  const start = (): { process: CoreProcess; endpoint: Promise<SandboxEndpoint> } => {
    const child = options.spawn();
    const entry = {
      process: child,
      endpoint: new Promise<SandboxEndpoint>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill();
          reject(new Error('the sandbox process did not start in time'));
        }, options.startTimeoutMs ?? 30_000);
        child.onMessage((raw) => {
          const reply = parseSandboxReply(raw);
          if (!reply) return;
          clearTimeout(timer);
          if (reply.t === 'failed') {
            child.kill();
            reject(new Error(`the sandbox did not start: ${reply.message}`));
          } else {
            resolve({ baseUrl: reply.baseUrl, softwareId: reply.softwareId, caPem: reply.caPem });
          }
        });
        child.onExit((exit) => {
          clearTimeout(timer);
          if (current?.process === child) current = null;
          reject(new Error(`the sandbox process stopped (${exit.signal ?? `exit code ${exit.code ?? 'unknown'}`})`));
        });
      }),
    };
    // a failed start is not kept: the next request tries again
    entry.endpoint.catch(() => {
      if (current === entry) current = null;
    });
    child.send({ t: 'start', dataDir: options.dataDir, ...(options.pkiDir !== undefined ? { pkiDir: options.pkiDir } : {}) });
    return entry;
  };

  return {
    endpoint() {
      if (closed) return Promise.reject(new Error('the sandbox is closed'));
      current ??= start();
      return current.endpoint;
    },
    async close() {
      closed = true;
      const c = current;
      current = null;
      c?.process.kill();
    },
  };
}

// Main process (Electron). Electron's utilityProcess as a spawner for the core host and the
// built-in sandbox: the supervisor (src/main/core-host/supervisor.ts) is Electron-free and only sees
// a CoreProcess. A utility process is a Node process Electron starts and watches for us, without the
// RunAsNode fuse that child_process.fork of Electron's own binary would need.
import type { ForkOptions, UtilityProcess } from 'electron';
import type { CoreProcess } from '../core-host/supervisor.js';

type Fork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityProcess;

/** `execArgv`: V8 / Node flags of the process (the core host's: CORE_HOST_V8_FLAGS). */
export function utilityProcessSpawner(fork: Fork, modulePath: string, serviceName: string, execArgv: readonly string[] = []): () => CoreProcess {
  return () => {
    const child = fork(modulePath, [], { serviceName, stdio: 'inherit', execArgv: [...execArgv] });
    let exited = false;
    const exitListeners: Array<(exit: { code: number | null; signal: string | null }) => void> = [];
    child.once('exit', (code) => {
      exited = true;
      // a utility process reports an exit code only; a crash inside a native driver has none of its own
      for (const l of exitListeners) l({ code, signal: null });
    });
    return {
      get pid() {
        return child.pid;
      },
      send(message) {
        child.postMessage(message);
      },
      onMessage(listener) {
        child.on('message', listener);
      },
      onExit(listener) {
        exitListeners.push(listener);
      },
      kill() {
        if (!exited) child.kill();
      },
    };
  };
}

// Host side (web harness, tests), Node only. Starts the core host with child_process.fork: the
// same entry file Electron starts with utilityProcess. From the sources (tsx), the TypeScript entry;
// from a bundle, the bundled one beside it.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoreProcess } from './supervisor.js';
import { CORE_HOST_V8_FLAGS } from './v8-flags.js';

const here = dirname(fileURLToPath(import.meta.url));

/** An entry beside this file: `<name>.ts` when running from the sources, `<name>.js` in a bundle. */
export function entryBesideThis(name: 'entry' | 'sandbox-entry'): { entry: string; execArgv: string[] } {
  const ts = join(here, `${name}.ts`);
  if (existsSync(ts)) return { entry: ts, execArgv: ['--import', 'tsx'] };
  return { entry: join(here, `${name}.js`), execArgv: [] };
}

export interface ForkOptions {
  /** which process: the core host (default) or the built-in sandbox */
  process?: 'entry' | 'sandbox-entry';
  /** another entry file (tests: one that does not exist, one that crashes at start) */
  entry?: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** hears the process's stderr line by line (default: passed through to ours) */
  onStderr?: (line: string) => void;
}

/** A spawner for the supervisor (or the sandbox process): each call forks a new process. */
export function forkCoreHost(options: ForkOptions = {}): () => CoreProcess {
  return () => {
    const which = options.process ?? 'entry';
    const fallback = entryBesideThis(which);
    const entry = options.entry ?? fallback.entry;
    const v8Flags = which === 'entry' ? CORE_HOST_V8_FLAGS : [];
    const child = fork(entry, [], {
      execArgv: [...v8Flags, ...(options.execArgv ?? (options.entry ? [] : fallback.execArgv))],
      env: options.env ?? process.env,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'json',
    });
    return childCoreProcess(child, options.onStderr ?? ((line) => process.stderr.write(`${line}\n`)));
  };
}

export function childCoreProcess(child: ChildProcess, onStderr: (line: string) => void): CoreProcess {
  let exited = false;
  const exitListeners: Array<(exit: { code: number | null; signal: string | null }) => void> = [];
  const finish = (code: number | null, signal: string | null) => {
    if (exited) return;
    exited = true;
    for (const l of exitListeners) l({ code, signal });
  };
  child.on('exit', (code, signal) => finish(code, signal));
  // spawn failures (no such executable) come as 'error' without an 'exit'
  child.on('error', () => {
    if (child.exitCode === null && child.signalCode === null && child.pid === undefined) finish(null, null);
  });
  let pending = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onStderr(line);
  });
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (!child.connected) throw new Error('the core host is not connected');
      child.send(message as object);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      exitListeners.push(listener);
    },
    kill() {
      if (!exited) child.kill('SIGTERM');
    },
  };
}

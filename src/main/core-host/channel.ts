// Core host process. The one line to the host that started this process: Electron's
// `process.parentPort` in a utilityProcess, Node's IPC channel (`process.send`) under
// child_process.fork. Messages are plain JSON-able objects either way.

export interface ParentChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** the host went away: the core host has nobody to serve */
  onDisconnect(listener: () => void): void;
}

/** Electron's MessagePortMain as far as this file needs it (no electron import in the core). */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
}

export function parentChannel(proc: NodeJS.Process = process): ParentChannel {
  const port = (proc as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
  if (port) {
    return {
      send: (m) => port.postMessage(m),
      onMessage: (l) => port.on('message', (e) => l(e.data)),
      onDisconnect: (l) => port.on('close', l),
    };
  }
  const send = proc.send?.bind(proc);
  if (!send) throw new Error('the core host must be started by a host (utilityProcess or child_process.fork)');
  return {
    send: (m) => {
      send(m);
    },
    onMessage: (l) => proc.on('message', l),
    onDisconnect: (l) => proc.on('disconnect', l),
  };
}

// Preload (sandboxed renderer, bundled to CommonJS). The TodokeApi over Electron IPC: each
// operation invokes its own `todoke:<name>` channel; events arrive on `todoke:event`. The page
// never sees ipcRenderer or an IPC event object, and cannot name a channel itself.
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { createBridge, transportError, type TodokeApi } from '../shared/bridge.js';
import { channelFor, EVENT_CHANNEL } from '../shared/contract.js';
import type { Envelope, TodokeEvent } from '../shared/contract.js';

export type IpcRendererPort = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createIpcBridge(ipc: IpcRendererPort): TodokeApi {
  return createBridge({
    async invoke(name, args) {
      try {
        return (await ipc.invoke(channelFor(name), args)) as Envelope<unknown>;
      } catch (e) {
        return { ok: false, error: transportError(e instanceof Error ? e.message : String(e)) };
      }
    },
    subscribe(listener) {
      const handler = (_event: IpcRendererEvent, payload: TodokeEvent) => listener(payload);
      ipc.on(EVENT_CHANNEL, handler);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, handler);
      };
    },
  });
}

// Main process (Electron). Binds the core to IPC: one `ipcMain.handle` per contract operation on
// `todoke:<name>`, each refusing requests that do not come from the app's own top-level page.
// Arguments are validated by the core's dispatcher, never here, so every host validates alike.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Envelope, TodokeEvent } from '../../shared/contract.js';
import { EVENT_CHANNEL } from '../../shared/contract.js';
import type { CoreEndpoint } from '../core-host/supervisor.js';
import { forbiddenSender } from '../app/errors.js';
import { ipcBindings } from './channels.js';
import { isTrustedSender } from './policy.js';

export function bindIpc(ipcMain: IpcMain, core: CoreEndpoint, isAppWindow: (contents: WebContents) => boolean): () => void {
  const bindings = ipcBindings();
  for (const { channel, operation } of bindings) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, args: unknown): Promise<Envelope<unknown>> => {
      if (!isTrustedSender(senderFacts(event, isAppWindow))) return { ok: false, error: forbiddenSender().toPayload() };
      return core.dispatch(operation, args);
    });
  }
  return () => {
    for (const { channel } of bindings) ipcMain.removeHandler(channel);
  };
}

/** Forwards core events to one window for as long as it lives. */
export function forwardEvents(core: CoreEndpoint, contents: WebContents): void {
  const unsubscribe = core.events.subscribe((event: TodokeEvent) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
  });
  contents.once('destroyed', unsubscribe);
}

function senderFacts(event: IpcMainInvokeEvent, isAppWindow: (contents: WebContents) => boolean) {
  const frame = event.senderFrame;
  return {
    frameUrl: frame?.url ?? null,
    // Compared by frame tree node id: WebFrameMain wrappers are not promised to be the same object.
    isMainFrame: frame !== null && frame.parent === null && frame.frameTreeNodeId === event.sender.mainFrame.frameTreeNodeId,
    isAppWindow: isAppWindow(event.sender),
  };
}

// Preload (sandboxed renderer, bundled to CommonJS). The TodokeApi over Electron IPC: each
// operation invokes its own `todoke:<name>` channel; events arrive on `todoke:event`. The page
// never sees ipcRenderer or an IPC event object, and cannot name a channel itself. Chosen files
// become paths here (webUtils.getPathForFile): their bytes never cross IPC.
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { createBridge, filesNotStaged, transportError, type TodokeApi } from '../shared/bridge.js';
import { channelFor, EVENT_CHANNEL } from '../shared/contract.js';
import { electronNoticePageUrl } from '../shared/notice-page.js';
import type { Envelope, TodokeEvent } from '../shared/contract.js';

export type IpcRendererPort = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/** Electron's `webUtils`, as far as the bridge uses it. */
export interface FilePaths {
  /** the file's path on disk; '' for a file that is not on disk (made in the page, dragged from a browser) */
  getPathForFile(file: File): string;
}

export function createIpcBridge(ipc: IpcRendererPort, filePaths: FilePaths): TodokeApi {
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
    noticePageUrl: (id) => electronNoticePageUrl(id),
    async stageFiles(files) {
      const paths: string[] = [];
      for (const file of files) {
        const root = chosenRoot(filePaths.getPathForFile(file), typeof file.webkitRelativePath === 'string' ? file.webkitRelativePath : '');
        if (root === null) return { ok: false, error: filesNotStaged('a chosen file has no path on disk') };
        if (!paths.includes(root)) paths.push(root);
      }
      return { ok: true, value: { paths } };
    },
  });
}

/**
 * What the person chose, from one of its files: the file itself, or, for a file picked with a
 * folder (`webkitRelativePath` = `<chosen folder>/<sub folders>/<name>`), the chosen folder — the
 * file's path with as many trailing components removed as the relative path has below the folder.
 * Null when the path is empty or does not end with the relative path.
 */
export function chosenRoot(path: string, relativePath: string): string | null {
  if (path === '') return null;
  if (relativePath === '') return path;
  const below = relativePath.split('/').slice(1);
  let end = path.length;
  for (let i = 0; i < below.length; i++) {
    const cut = Math.max(path.lastIndexOf('/', end - 1), path.lastIndexOf('\\', end - 1));
    if (cut <= 0) return null;
    end = cut;
  }
  const tail = path.slice(end + 1).replace(/\\/g, '/');
  return tail === below.join('/') ? path.slice(0, end) : null;
}

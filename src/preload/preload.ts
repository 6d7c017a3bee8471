// Preload (sandboxed renderer, bundled to build/preload/preload.cjs). Exposes `window.todoke`:
// exactly one function per contract operation, plus onEvent and stageFiles. Nothing else crosses
// the bridge.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createIpcBridge } from './ipc-bridge.js';

contextBridge.exposeInMainWorld('todoke', createIpcBridge(ipcRenderer, webUtils));

// Preload (sandboxed renderer, bundled to build/preload/preload.cjs). Exposes `window.todoke`:
// exactly one function per contract operation, plus onEvent. Nothing else crosses the bridge.
import { contextBridge, ipcRenderer } from 'electron';
import { createIpcBridge } from './ipc-bridge.js';

contextBridge.exposeInMainWorld('todoke', createIpcBridge(ipcRenderer));

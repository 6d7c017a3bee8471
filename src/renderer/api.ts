// Renderer. The core, as the host gave it to this page: the Electron preload or the web harness
// both define `window.todoke` before the app starts. Nothing else in the renderer reaches out.
import type { TodokeApi } from '../shared/bridge.js';

declare global {
  interface Window {
    readonly todoke?: TodokeApi;
  }
}

export function coreApi(): TodokeApi | null {
  return window.todoke ?? null;
}

export function requireCoreApi(): TodokeApi {
  const api = coreApi();
  if (!api) throw new Error('window.todoke is not defined');
  return api;
}

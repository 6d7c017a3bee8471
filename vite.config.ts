// Build of the renderer (React) into build/renderer. Relative base, so the same files work under
// Electron's app://todoke/ and under the web harness's http://127.0.0.1:PORT/.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  // No .env files are read into the renderer: it has no configuration of its own.
  envDir: false,
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./build/renderer', import.meta.url)),
    emptyOutDir: true,
    // Electron 41 ships Chromium 146; the harness runs Debian's Chromium 156.
    target: 'chrome140',
    // Nothing inline: the CSP allows only files from the app's own origin.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
    // two pages: the app, and the chrome strip of the 電子納付 hand-off window (src/main/electron/payment-window.ts)
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./src/renderer/index.html', import.meta.url)),
        'payment-chrome': fileURLToPath(new URL('./src/renderer/payment-chrome.html', import.meta.url)),
      },
    },
  },
  server: { host: '127.0.0.1', strictPort: true },
});

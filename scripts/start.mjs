// `npm start`: builds, then runs the desktop app in Electron. Where the Electron binary was never
// downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1, offline machines), says so and points to the
// web harness, which serves the same UI to a normal browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
if (!electron) {
  console.error(`Electron の実行ファイルがありません（node_modules/electron に dist/ がありません）。
The Electron binary is not installed.

This happens when dependencies were installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (or offline),
which skips downloading Electron itself. To run the desktop app, download it with network access
(and ELECTRON_SKIP_BINARY_DOWNLOAD unset); this re-runs electron's own install script:

    npm rebuild electron

Without Electron, the same UI and core run in a normal browser through the web harness:

    npx vite build && npm run harness     # prints a http://127.0.0.1:PORT/#token=... URL to open
`);
  process.exit(1);
}

const built = spawnSync(process.execPath, [`${root}scripts/build.mjs`], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const child = spawn(electron, [`${root}build/electron/main.js`, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));

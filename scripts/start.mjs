// `npm start`: builds, then runs the desktop app in Electron, on the built-in sandbox by default.
// Where the Electron binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1, offline
// machines), says so and serves the same UI and core to a normal browser (the web harness).
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
  // Without Electron (ELECTRON_SKIP_BINARY_DOWNLOAD=1, offline machines) the same UI and core run
  // in a normal browser through the web harness, on the same built-in sandbox.
  console.error(`Electron の実行ファイルがないため、同じ画面をブラウザー用のハーネスで起動します。
The Electron binary is not installed: starting the same UI in the web harness instead.
(To run the desktop app, download Electron with network access: npm rebuild electron)
`);
  const renderer = spawnSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build', '--config', `${root}vite.config.ts`, '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (renderer.status !== 0) process.exit(renderer.status ?? 1);
  const harness = spawn(process.execPath, ['--import', 'tsx', `${root}test/harness/serve.ts`, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  harness.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => harness.kill(sig));
} else {
  const built = spawnSync(process.execPath, [`${root}scripts/build.mjs`], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);

  const child = spawn(electron, [`${root}build/electron/main.js`, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}

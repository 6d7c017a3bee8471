// `npm run build`: everything Electron runs, into build/.
//   build/electron/main.js    main process (ESM, Node platform; native modules stay external)
//   build/core-host/entry.js  the core host process (Electron utilityProcess): use cases, signing, HTTP
//   build/core-host/sandbox-entry.js  the built-in sandbox's process (utilityProcess)
//   build/core-host/xslt-worker.js    the core host's XSLT worker (worker_threads; render/xslt-runner.ts finds it beside entry.js)
//   build/preload/preload.cjs preload (CommonJS: Electron's sandboxed preloads cannot be ES modules)
//   build/renderer/           the React renderer (vite build)
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { mainBundleOptions } from './main-bundle.mjs';

const root = new URL('..', import.meta.url).pathname;

rmSync(`${root}build/electron`, { recursive: true, force: true });
rmSync(`${root}build/preload`, { recursive: true, force: true });
rmSync(`${root}build/core-host`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/main/electron/main.ts'],
  outfile: 'build/electron/main.js',
  ...mainBundleOptions,
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The processes main starts with utilityProcess.fork (src/main/electron/main.ts names these files).
await build({
  absWorkingDir: root,
  entryPoints: {
    entry: 'src/main/core-host/entry.ts',
    'sandbox-entry': 'src/main/core-host/sandbox-entry.ts',
    'xslt-worker': 'src/main/documents/render/xslt-worker.ts',
  },
  outdir: 'build/core-host',
  ...mainBundleOptions,
  sourcemap: 'linked',
  logLevel: 'warning',
});

await build({
  absWorkingDir: root,
  entryPoints: ['src/preload/preload.ts'],
  outfile: 'build/preload/preload.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'chrome140',
  // A sandboxed preload may require only electron (and a few polyfilled built-ins); everything else is bundled.
  external: ['electron'],
  sourcemap: 'inline',
  logLevel: 'warning',
});

const vite = spawnSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (vite.status !== 0) process.exit(vite.status ?? 1);
console.log('built build/electron/main.js, build/core-host/, build/preload/preload.cjs, build/renderer/');

// How the Electron main process is bundled (esbuild options), shared by scripts/build.mjs and the
// test that runs the built-in sandbox from a bundle (test/integration/main-bundle.test.ts).

/** Electron 41 embeds Node 22 (electron/electron#releases). */
export const electronTarget = 'node22';

export const mainBundleOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: electronTarget,
  // Native modules are loaded from node_modules at run time (rebuilt for Electron by electron-builder).
  external: ['electron', 'pkcs11js', 'better-sqlite3'],
  // CommonJS dependencies bundled into an ES module still call require() for Node built-ins.
  banner: { js: "import { createRequire as __todokeCreateRequire } from 'node:module'; const require = __todokeCreateRequire(import.meta.url);" },
};

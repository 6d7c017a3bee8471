// Packaging (Node, no Electron). Which Electron fuses the packaged app flips, and where the Electron
// binary sits inside electron-builder's output — pure data and path arithmetic, so that
// test/unit/electron-fuses.test.ts checks the exact map. scripts/electron-builder-after-pack.mjs
// applies it (ARCHITECTURE.md "Security baseline": no RunAsNode, no NODE_OPTIONS, no inspect, asar
// only with integrity). Fuses are compiled into the binary: they hold whatever the environment or
// command line says, and only matter in the packaged app (`npm start` runs node_modules' Electron).
import { join } from 'node:path';

/**
 * Every fuse @electron/fuses 1.x can name (FuseV1Options), set explicitly — Electron's default is
 * written out where we keep it, so an Electron upgrade that changes a default cannot change ours.
 */
export const todokeFuses = Object.freeze({
  // ELECTRON_RUN_AS_NODE would turn the signed app binary into a plain Node for anyone. Nothing in
  // Todoke needs it: background work runs in utilityProcess, which does not depend on this fuse
  // (child_process.fork(process.execPath) would, and must not be used).
  RunAsNode: false,
  // Cookies written to disk are encrypted with the OS keystore (as safeStorage is). Todoke's windows
  // keep none on disk today (the bank hand-off partition is in memory); any that appear are sealed.
  EnableCookieEncryption: true,
  // NODE_OPTIONS (--require, --import) would load arbitrary code into the main process.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect / --inspect-brk would open a debugger on the main process. (Playwright's _electron
  // needs it, so end-to-end tests drive node_modules' Electron, never the packaged app.)
  EnableNodeCliInspectArguments: false,
  // app.asar's header hash is checked against the one electron-builder embeds (macOS Info.plist,
  // Windows resource). Electron has no asar integrity on Linux: there this fuse changes nothing.
  EnableEmbeddedAsarIntegrityValidation: true,
  // Only resources/app.asar is loaded, never a resources/app/ folder dropped beside it.
  OnlyLoadAppFromAsar: true,
  // Electron's default: we ship no browser-process-specific V8 snapshot.
  LoadBrowserProcessSpecificV8Snapshot: false,
  // Content comes from app://, never file:, so file: pages need none of their legacy privileges.
  GrantFileProtocolExtraPrivileges: false,
});

/**
 * The config object flipFuses() takes: { version, [FuseV1Options.X]: boolean, ... }. The enums are
 * passed in (from @electron/fuses) so this module imports nothing but node:path.
 * @param {{ FuseV1Options: Record<string, string | number>, FuseVersion: { V1: string } }} fuses
 * @param {{ resetAdHocDarwinSignature?: boolean }} [options]
 */
export function fuseConfig({ FuseV1Options, FuseVersion }, options = {}) {
  /** @type {Record<string | number, unknown>} */
  const config = { version: FuseVersion.V1, resetAdHocDarwinSignature: options.resetAdHocDarwinSignature === true };
  for (const [name, value] of Object.entries(todokeFuses)) {
    const index = FuseV1Options[name];
    if (typeof index !== 'number') throw new Error(`@electron/fuses does not know the fuse ${name}`);
    config[index] = value;
  }
  return config;
}

/**
 * The path flipFuses() takes for electron-builder's output folder of one platform: the .app bundle
 * on macOS (@electron/fuses finds the Electron Framework inside it), the renamed .exe on Windows,
 * the renamed executable on Linux — the same names electron-builder itself gives them.
 * @param {{ appOutDir: string, platform: string, productFilename: string, executableName?: string }} target
 */
export function electronBinaryPath({ appOutDir, platform, productFilename, executableName }) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return join(appOutDir, `${productFilename}.exe`);
    case 'linux':
      if (!executableName) throw new Error('a Linux build needs the packager’s executableName');
      return join(appOutDir, executableName);
    default:
      throw new Error(`no Electron binary layout known for platform ${platform}`);
  }
}

/** FuseState bytes of @electron/fuses (constants.js): '0', '1', 'r'. */
const STATE = Object.freeze({ DISABLE: 48, ENABLE: 49, REMOVED: 114 });

/**
 * What is wrong with a fuse wire read back from the binary (getCurrentFuseWire()): one line per
 * fuse of todokeFuses that is missing, removed, or not in the wanted state. Empty when all is well.
 * @param {Record<string | number, unknown>} wire
 * @param {Record<string, string | number>} FuseV1Options
 */
export function fuseWireProblems(wire, FuseV1Options) {
  const problems = [];
  for (const [name, wanted] of Object.entries(todokeFuses)) {
    const state = wire[FuseV1Options[name] ?? -1];
    if (state === undefined) problems.push(`${name}: not in this Electron's fuse wire`);
    else if (state === STATE.REMOVED) problems.push(`${name}: removed from this Electron`);
    else if (state !== (wanted ? STATE.ENABLE : STATE.DISABLE)) problems.push(`${name}: is ${state === STATE.ENABLE ? 'on' : 'off'}, wanted ${wanted ? 'on' : 'off'}`);
  }
  return problems;
}

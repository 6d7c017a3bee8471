// Packaging (Node, run by electron-builder: `afterPack` in electron-builder.yml). Flips the Electron
// fuses of scripts/electron-fuses.mjs in the packed app, then reads the fuse wire back and stops
// the build if any fuse is not as wanted. afterPack runs after the app files and app.asar are in
// place (and the asar integrity is embedded) and before electron-builder signs: flipping changes
// the binary, so it must come before the signature.
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { electronBinaryPath, fuseConfig, fuseWireProblems, todokeFuses } from './electron-fuses.mjs';

/** @param {import('app-builder-lib').AfterPackContext} context */
export async function afterPack(context) {
  const platform = context.electronPlatformName;
  const { packager } = context;
  const binary = electronBinaryPath({
    appOutDir: context.appOutDir,
    platform,
    productFilename: packager.appInfo.productFilename,
    executableName: /** @type {{ executableName?: string }} */ (packager).executableName,
  });
  // On macOS the flip breaks the ad-hoc signature an arm64 binary needs to start at all; codesign
  // gives it a fresh one (a real signature, when electron-builder signs next, replaces it).
  const resetAdHocDarwinSignature = (platform === 'darwin' || platform === 'mas') && process.platform === 'darwin';
  await flipFuses(binary, /** @type {import('@electron/fuses').FuseConfig} */ (fuseConfig({ FuseV1Options, FuseVersion }, { resetAdHocDarwinSignature })));

  const wire = await getCurrentFuseWire(binary);
  const problems = fuseWireProblems(wire, FuseV1Options);
  if (problems.length > 0) throw new Error(`Electron fuses of ${binary} are not as scripts/electron-fuses.mjs wants:\n  ${problems.join('\n  ')}`);
  // Newer Electrons have fuses @electron/fuses 1.x cannot name (e.g. WasmTrapHandlers): they keep
  // Electron's default. Said here so an upgrade that adds one is seen in the build log.
  const unnamed = Object.keys(wire).filter((k) => /^\d+$/.test(k) && FuseV1Options[Number(k)] === undefined);
  console.log(`  • electron fuses set  ${Object.keys(todokeFuses).length} fuses on ${binary}${unnamed.length ? `; fuse(s) ${unnamed.join(', ')} left at Electron's default (unknown to @electron/fuses)` : ''}`);
}

export default afterPack;

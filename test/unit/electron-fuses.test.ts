// Unit (Node): the Electron fuses the packaged app gets (scripts/electron-fuses.mjs) and the
// electron-builder afterPack hook that flips them (scripts/electron-builder-after-pack.mjs), run
// here on stand-in binaries: a file with Electron's fuse sentinel, laid out as electron-builder
// leaves each platform's output folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { afterPack } from '../../scripts/electron-builder-after-pack.mjs';
import { electronBinaryPath, fuseConfig, fuseWireProblems, todokeFuses } from '../../scripts/electron-fuses.mjs';

const enums = { FuseV1Options: FuseV1Options as unknown as Record<string, string | number>, FuseVersion };

void describe('the fuse map', () => {
  void test('is exactly the security baseline: no RunAsNode, NODE_OPTIONS or inspect; asar only, with integrity; cookies encrypted; no file: privileges', () => {
    assert.deepEqual({ ...todokeFuses }, {
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  void test('sets every fuse the installed @electron/fuses can name (a new one needs a decision here)', () => {
    const known = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)));
    assert.deepEqual(Object.keys(todokeFuses).sort(), known.sort());
  });

  void test('becomes the flipFuses config by fuse index, V1 wire', () => {
    assert.deepEqual(fuseConfig(enums), {
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: false,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    assert.equal(fuseConfig(enums, { resetAdHocDarwinSignature: true }).resetAdHocDarwinSignature, true);
  });

  void test('refuses a @electron/fuses that lacks one of our fuses', () => {
    const { GrantFileProtocolExtraPrivileges: _gone, ...older } = enums.FuseV1Options;
    assert.throws(() => fuseConfig({ FuseV1Options: older, FuseVersion }), /GrantFileProtocolExtraPrivileges/);
  });
});

void describe('the Electron binary in electron-builder’s output', () => {
  const out = join('release', 'x-unpacked');
  void test('macOS and Mac App Store: the .app bundle, named after productFilename', () => {
    assert.equal(electronBinaryPath({ appOutDir: out, platform: 'darwin', productFilename: 'Todoke' }), join(out, 'Todoke.app'));
    assert.equal(electronBinaryPath({ appOutDir: out, platform: 'mas', productFilename: 'Todoke' }), join(out, 'Todoke.app'));
  });
  void test('Windows: productFilename.exe', () => {
    assert.equal(electronBinaryPath({ appOutDir: out, platform: 'win32', productFilename: 'Todoke' }), join(out, 'Todoke.exe'));
  });
  void test('Linux: the packager’s executableName (lower-case by default), which a Linux build must give', () => {
    assert.equal(electronBinaryPath({ appOutDir: out, platform: 'linux', productFilename: 'Todoke', executableName: 'todoke' }), join(out, 'todoke'));
    assert.throws(() => electronBinaryPath({ appOutDir: out, platform: 'linux', productFilename: 'Todoke' }), /executableName/);
  });
  void test('an unknown platform is an error, not a guess', () => {
    assert.throws(() => electronBinaryPath({ appOutDir: out, platform: 'freebsd', productFilename: 'Todoke' }), /freebsd/);
  });
});

// A stand-in Electron binary: bytes, the fuse sentinel, wire version 1, wire length, one byte per fuse.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's shipped defaults for the nine fuses of recent versions (index 8: WasmTrapHandlers). */
const ELECTRON_DEFAULT_WIRE = '101100011';

function fakeElectron(file: string, wire: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, Buffer.concat([Buffer.from('\x7fELF fake electron…'), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), Buffer.from('…rest')]));
}

function wireOf(file: string): string {
  const bytes = readFileSync(file);
  const at = bytes.indexOf(SENTINEL) + SENTINEL.length;
  const length = bytes[at + 1] ?? 0;
  return bytes.subarray(at + 2, at + 2 + length).toString('latin1');
}

void describe('the afterPack hook', () => {
  const root = mkdtempSync(join(tmpdir(), 'todoke-fuses-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  const layouts = [
    { platform: 'linux', file: 'todoke', packager: { appInfo: { productFilename: 'Todoke' }, executableName: 'todoke' } },
    { platform: 'win32', file: 'Todoke.exe', packager: { appInfo: { productFilename: 'Todoke' } } },
    { platform: 'darwin', file: 'Todoke.app/Contents/Frameworks/Electron Framework.framework/Electron Framework', packager: { appInfo: { productFilename: 'Todoke' } } },
  ];
  for (const layout of layouts) {
    void test(`${layout.platform}: flips our eight fuses and leaves the one it cannot name at Electron's default`, async () => {
      const appOutDir = join(root, layout.platform);
      const file = join(appOutDir, layout.file);
      fakeElectron(file, ELECTRON_DEFAULT_WIRE);
      await afterPack({ appOutDir, electronPlatformName: layout.platform, packager: layout.packager });
      assert.equal(wireOf(file), '010011001');
    });
  }

  void test('stops the build on an Electron whose fuse wire lacks one of our fuses', async () => {
    const appOutDir = join(root, 'old');
    fakeElectron(join(appOutDir, 'todoke'), '1011000');
    await assert.rejects(afterPack({ appOutDir, electronPlatformName: 'linux', packager: { appInfo: { productFilename: 'Todoke' }, executableName: 'todoke' } }), /not long enough/);
  });

  void test('stops the build when the binary is not where electron-builder puts it', async () => {
    const appOutDir = join(root, 'empty');
    mkdirSync(appOutDir, { recursive: true });
    await assert.rejects(afterPack({ appOutDir, electronPlatformName: 'win32', packager: { appInfo: { productFilename: 'Todoke' } } }), /ENOENT/);
  });
});

void describe('reading the wire back', () => {
  const wire = (s: string) => Object.fromEntries([...s].map((c, i) => [i, c.charCodeAt(0)]));
  void test('finds nothing wrong with the wanted wire', () => {
    assert.deepEqual(fuseWireProblems(wire('010011001'), enums.FuseV1Options), []);
  });
  void test('names each fuse that is off, on, removed or missing against our wish', () => {
    assert.deepEqual(fuseWireProblems(wire('110r110'), enums.FuseV1Options), [
      'RunAsNode: is on, wanted off',
      'EnableNodeCliInspectArguments: removed from this Electron',
      "GrantFileProtocolExtraPrivileges: not in this Electron's fuse wire",
    ]);
  });
});

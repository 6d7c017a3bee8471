// Unit (Node): electron-builder.yml is a configuration electron-builder accepts — loaded and
// validated by electron-builder's own code (app-builder-lib's getConfig and validateConfiguration:
// ajv over its scheme.json), as `npm run dist` would before packaging anything — and every file it
// names exists. Broken copies prove the validation catches an unknown key and a wrong type.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths.js';

type Configuration = Record<string, unknown>;
interface BuilderConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: { isEnabled: boolean }): Promise<void>;
}

// app-builder-lib as electron-builder itself resolves it.
const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const builderConfig = requireFromBuilder('app-builder-lib/out/util/config/config.js') as BuilderConfigModule;
// electron-builder logs ("• loaded configuration") to stdout, which Node's test runner reads as its
// own channel; send those lines to stderr.
(requireFromBuilder('builder-util') as { log: { stream: NodeJS.WritableStream } }).log.stream = process.stderr;
const configFile = join(repoRoot, 'electron-builder.yml');

async function loadAndValidate(file: string): Promise<Configuration> {
  const config = await builderConfig.getConfig(repoRoot, file, null);
  await builderConfig.validateConfiguration(config, { isEnabled: false });
  return config;
}

const scratch = mkdtempSync(join(tmpdir(), 'todoke-builder-config-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of electron-builder.yml with one edit; the edit must apply exactly once. */
function brokenCopy(name: string, edit: (yml: string) => string): string {
  const original = readFileSync(configFile, 'utf8');
  const edited = edit(original);
  assert.notEqual(edited, original, `the ${name} edit did not apply`);
  const file = join(scratch, `${name}.yml`);
  writeFileSync(file, edited);
  return file;
}

void describe('electron-builder.yml against electron-builder’s schema', () => {
  void test('is valid', async () => {
    await loadAndValidate(configFile);
  });

  void test('an unknown key is refused (a typo does not pass silently)', async () => {
    const file = brokenCopy('unknown-key', (yml) => yml.replace(/^asar: true$/m, 'asar: true\nasarIntegrity: true'));
    await assert.rejects(loadAndValidate(file), /unknown property 'asarIntegrity'/);
  });

  void test('an unknown key inside a platform section is refused', async () => {
    const file = brokenCopy('unknown-nested-key', (yml) => yml.replace(/^ {2}hardenedRuntime: true$/m, '  hardenedRuntime: true\n  hardendRuntime: true'));
    // electron-builder reports the section (`mac` may be an object or null), not the key itself.
    await assert.rejects(loadAndValidate(file), /configuration\.mac should be/);
  });

  void test('a value of the wrong type is refused', async () => {
    const file = brokenCopy('wrong-type', (yml) => yml.replace(/^ {2}oneClick: false$/m, '  oneClick: sometimes'));
    await assert.rejects(loadAndValidate(file), /configuration\.nsis\.oneClick should be a boolean/);
  });
});

void describe('what electron-builder.yml says about the packaged app', async () => {
  const config = await builderConfig.getConfig(repoRoot, configFile, null);
  const buildResources = join(repoRoot, String((config.directories as Configuration | undefined)?.buildResources ?? 'build'));

  void test('the app is an asar archive, with the integrity hash electron-builder embeds left on', () => {
    assert.equal(config.asar, true);
    assert.notEqual(config.disableAsarIntegrity, true);
    assert.notEqual(config.disableSanityCheckAsar, true);
  });

  void test('fuses come from the afterPack hook, which exists and exports the hook; electron-builder’s own fuse option is unused', async () => {
    assert.equal(config.afterPack, './scripts/electron-builder-after-pack.mjs');
    assert.equal(config.electronFuses, undefined, 'two places flipping fuses would disagree sooner or later');
    const hook = resolve(repoRoot, String(config.afterPack));
    assert.ok(existsSync(hook), `${hook} is missing`);
    const loaded = (await import(pathToFileURL(hook).href)) as { afterPack?: unknown; default?: unknown };
    assert.equal(typeof loaded.afterPack, 'function');
    assert.equal(loaded.default, loaded.afterPack);
  });

  void test('every extraResources / extraFiles source exists and is not empty', () => {
    const sets = [config.extraResources, config.extraFiles].flatMap((v) => (Array.isArray(v) ? v : v == null ? [] : [v]));
    assert.ok(sets.length > 0, 'the sandbox certificates are expected among extraResources');
    for (const set of sets) {
      const from = typeof set === 'string' ? set : String((set as Configuration).from);
      const source = resolve(repoRoot, from);
      assert.ok(existsSync(source), `extra file source ${from} is missing`);
      if (statSync(source).isDirectory()) assert.ok(readdirSync(source).length > 0, `extra file source ${from} is empty`);
    }
  });

  // Keys whose value is a file electron-builder reads (icons, installer art, licences, scripts,
  // entitlements, hooks), looked up where electron-builder looks: buildResources, then the project.
  const fileKeys = new Set(['icon', 'installerIcon', 'uninstallerIcon', 'installerHeader', 'installerHeaderIcon', 'installerSidebar', 'uninstallerSidebar', 'background', 'license', 'include', 'script', 'entitlements', 'entitlementsInherit', 'provisioningProfile', 'afterSign', 'afterAllArtifactBuild', 'beforeBuild', 'beforePack', 'afterExtract', 'artifactBuildStarted', 'artifactBuildCompleted']);
  function namedFiles(value: unknown, path: string): Array<{ key: string; file: string }> {
    if (Array.isArray(value)) return value.flatMap((v, i) => namedFiles(v, `${path}[${i}]`));
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value as Configuration).flatMap(([key, v]) => {
      const where = path ? `${path}.${key}` : key;
      return fileKeys.has(key) && typeof v === 'string' ? [{ key: where, file: v }] : namedFiles(v, where);
    });
  }

  void test('(the walk finds file-valued keys at any depth)', () => {
    assert.deepEqual(namedFiles({ icon: 'a.png', mac: { icon: 'b.icns', target: ['dmg'] }, nsis: { include: 'c.nsh' }, fileAssociations: [{ icon: 'd.ico' }] }, ''), [
      { key: 'icon', file: 'a.png' },
      { key: 'mac.icon', file: 'b.icns' },
      { key: 'nsis.include', file: 'c.nsh' },
      { key: 'fileAssociations[0].icon', file: 'd.ico' },
    ]);
  });

  void test('every icon, installer resource and hook file it names exists', () => {
    for (const { key, file } of namedFiles(config, '')) {
      if (/^https?:/.test(file)) continue;
      const candidates = isAbsolute(file) ? [file] : [join(buildResources, file), resolve(repoRoot, file)];
      assert.ok(candidates.some((c) => existsSync(c)), `${key}: ${file} is in neither ${buildResources} nor the project`);
    }
  });
});

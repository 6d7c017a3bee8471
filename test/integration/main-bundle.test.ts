// Integration: the built-in sandbox and the core host as the desktop app runs them — bundled by
// esbuild with the main process's own options (scripts/main-bundle.mjs) into a folder that is not
// where the sources are. A path found relative to a source file (import.meta.url) silently points
// elsewhere in a bundle; this proves the bundled processes start, trust the test CA and register a user.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { mainBundleOptions } from '../../scripts/main-bundle.mjs';
import { registerUser } from '../../src/main/egov/authentication.js';
import { EgovClient } from '../../src/main/egov/http.js';
import { forkCoreHost } from '../../src/main/core-host/fork.js';
import { sandboxProcess } from '../../src/main/core-host/sandbox-process.js';
import { CoreSupervisor } from '../../src/main/core-host/supervisor.js';
import type * as EmbeddedModule from '../../src/main/app/embedded-sandbox.js';
import { openPkcs12 } from '../../src/main/signing/file-signer.js';
import { readFileSync } from 'node:fs';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';

// Deeper than build/electron/, inside the repository so that node_modules (better-sqlite3) resolves as it does for the app.
const outDir = join(repoRoot, 'build', 'bundle-check', 'a', 'b', 'c');
const pkiDir = join(repoRoot, 'assets', 'sandbox-pki');
let embedded: typeof EmbeddedModule;

before(async () => {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'embedded-sandbox.mjs');
  await build({ ...mainBundleOptions, absWorkingDir: repoRoot, entryPoints: ['src/main/app/embedded-sandbox.ts'], outfile, logLevel: 'error' });
  embedded = (await import(pathToFileURL(outfile).href)) as typeof EmbeddedModule;
  // as scripts/build.mjs bundles the utility processes' entries
  await build({
    ...mainBundleOptions,
    absWorkingDir: repoRoot,
    entryPoints: { entry: 'src/main/core-host/entry.ts', 'sandbox-entry': 'src/main/core-host/sandbox-entry.ts' },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  });
});

after(() => {
  rmSync(join(repoRoot, 'build', 'bundle-check'), { recursive: true, force: true });
});

void test('the bundled built-in sandbox starts, trusts the test CA from pkiDir and registers a user', async () => {
  const sandbox = embedded.embeddedSandbox(scratchHome('todoke-bundle-sandbox-'), { pkiDir });
  try {
    const endpoint = await sandbox.provider();
    assert.match(endpoint.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/shinsei\/1\/$/);
    const signer = openPkcs12(readFileSync(join(pkiDir, 'yamada-taro.p12')), 'todoke');
    try {
      const result = await registerUser(new EgovClient({ baseUrl: endpoint.baseUrl, softwareId: endpoint.softwareId }), signer, { userId: 'bundle-check' });
      assert.equal(result.userId, 'bundle-check');
    } finally {
      await signer.close();
    }
  } finally {
    await sandbox.close();
  }
});

void test('a wrong pkiDir is a clear sandbox error, not a crash', async () => {
  const sandbox = embedded.embeddedSandbox(scratchHome('todoke-bundle-sandbox-'), { pkiDir: join(repoRoot, 'nowhere') });
  await assert.rejects(sandbox.provider(), { code: 'SANDBOX_TRUST_FILE' });
  await sandbox.close();
});

void test('the bundled core host and sandbox processes start, and a user registers through them', async () => {
  const home = scratchHome('todoke-bundle-core-');
  const sandbox = sandboxProcess({ spawn: forkCoreHost({ entry: join(outDir, 'sandbox-entry.mjs') }), dataDir: join(home, 'sandbox'), pkiDir });
  const core = new CoreSupervisor({
    spawn: forkCoreHost({ entry: join(outDir, 'entry.mjs') }),
    config: () => ({ host: 'electron', version: 'bundle', home, sandbox: true, secrets: { kind: 'file' }, trainingCertificatesDir: pkiDir }),
    services: { sandboxEndpoint: () => sandbox.endpoint() },
  });
  core.start();
  try {
    const info = await core.dispatch('app.info', {});
    assert.deepEqual(info, { ok: true, value: { version: 'bundle', platform: process.platform, host: 'electron' } });
    const file = readFileSync(join(pkiDir, 'yamada-taro.p12')).toString('base64');
    const setup = await core.dispatch('identity.setup', {
      environment: { kind: 'sandbox' },
      signer: { kind: 'file', fileName: 'yamada-taro.p12', dataBase64: file, password: 'todoke' },
      userId: 'bundle-core',
      mode: 'register',
    });
    assert.ok(setup.ok, JSON.stringify(setup));
    assert.equal((setup.value as { userId: string }).userId, 'bundle-core');
  } finally {
    await core.close();
    await sandbox.close();
  }
});

// Unit: the core host runs with CORE_HOST_V8_FLAGS wherever it is started (child_process.fork for the
// harness and the CLI's tests, Electron's utilityProcess in the app), and `npm run bench` runs its
// in-process figures under the same flags — the memory figure of issue #8 is the core host's.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ForkOptions, UtilityProcess } from 'electron';
import { forkCoreHost } from '../../src/main/core-host/fork.js';
import { CORE_HOST_V8_FLAGS } from '../../src/main/core-host/v8-flags.js';
import { utilityProcessSpawner } from '../../src/main/electron/utility-process.js';
import { scratchHome } from '../support/home.js';
import { repoRoot } from '../support/paths.js';

void describe('core host V8 flags', () => {
  void it('are real flags this Node accepts', () => {
    assert.ok(CORE_HOST_V8_FLAGS.length > 0);
    for (const flag of CORE_HOST_V8_FLAGS) assert.match(flag, /^--[a-z0-9-]+=\d+$/);
  });

  void it('child_process.fork starts the core host with them (and the sandbox without)', async () => {
    const entry = join(scratchHome('todoke-v8-flags-'), 'entry.mjs');
    writeFileSync(entry, 'process.send(process.execArgv, () => process.exit(0));\n');
    const argvOf = (which: 'entry' | 'sandbox-entry') =>
      new Promise<string[]>((resolve, reject) => {
        const child = forkCoreHost({ entry, process: which, onStderr: () => undefined })();
        child.onMessage((m) => resolve(m as string[]));
        child.onExit(({ code }) => {
          if (code !== 0) reject(new Error(`exit ${code}`));
        });
      });
    assert.deepEqual(await argvOf('entry'), [...CORE_HOST_V8_FLAGS]);
    assert.deepEqual(await argvOf('sandbox-entry'), []);
  });

  void it('Electron utilityProcess.fork gets them as execArgv', () => {
    let seen: ForkOptions | undefined;
    const fakeFork = (_path: string, _args?: string[], options?: ForkOptions) => {
      seen = options;
      return { once: () => undefined, on: () => undefined, pid: 1 } as unknown as UtilityProcess;
    };
    utilityProcessSpawner(fakeFork, '/core.js', 'Todoke core', CORE_HOST_V8_FLAGS)();
    assert.deepEqual(seen?.execArgv, [...CORE_HOST_V8_FLAGS]);
    assert.equal(seen?.serviceName, 'Todoke core');
  });

  void it('npm run bench runs under them', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const flag of CORE_HOST_V8_FLAGS) assert.ok(pkg.scripts.bench!.split(' ').includes(flag), `bench script lacks ${flag}`);
  });
});

// Test support (Node). A PKCS#11 module that crashes like a bad vendor driver: it forwards every
// call to SoftHSM2 but calls abort() in C_Sign (test/support/pkcs11-crash/crash-module.c). Built
// here with the system C compiler, once per source version, into os.tmpdir(); only ever load it in
// a child process, since signing through it kills the process that loaded it (SIGABRT).
//
//   const modulePath = buildCrashModule();
//   const token = createSoftHsmToken({ label: 'Crash Card', pin: '246810', objects: [sandboxTokenUser()] });
//   spawn(..., { env: { ...process.env, ...crashModuleEnv(token) } })  // then use modulePath there
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './paths.js';
import type { SoftHsmToken } from './softhsm.js';

const SOURCE = join(repoRoot, 'test', 'support', 'pkcs11-crash', 'crash-module.c');

/** The PKCS#11 2.40 headers pkcs11js ships and was built with: the exact CK_FUNCTION_LIST it reads. */
function pkcs11jsIncludes(): string {
  const dir = join(dirname(createRequire(import.meta.url).resolve('pkcs11js')), 'includes');
  if (!existsSync(join(dir, 'pkcs11', 'pkcs11.h'))) throw new Error(`pkcs11js ships no PKCS#11 headers in ${dir}`);
  return dir;
}

let built: string | undefined;

/**
 * Compiles crash-module.c (if this version is not built yet) and returns the .so path. The build
 * lands in `<tmpdir>/todoke-pkcs11-crash-<hash of source, headers and compiler>/`, shared by every
 * test file and run; a changed source gets a new folder.
 */
export function buildCrashModule(): string {
  if (built && existsSync(built)) return built;
  const compiler = process.env.CC || 'cc';
  const includes = pkcs11jsIncludes();
  const hash = createHash('sha256');
  hash.update(compiler).update('\0');
  for (const file of [SOURCE, ...['pkcs11.h', 'pkcs11t.h', 'pkcs11f.h'].map((h) => join(includes, 'pkcs11', h))]) {
    hash.update(readFileSync(file)).update('\0');
  }
  const dir = join(tmpdir(), `todoke-pkcs11-crash-${hash.digest('hex').slice(0, 16)}`);
  const output = join(dir, 'crash-module.so');
  if (!existsSync(output)) {
    mkdirSync(dir, { recursive: true });
    // build under a private name and rename: several test processes may build at once
    const partial = join(dir, `crash-module.${process.pid}.so.partial`);
    try {
      execFileSync(compiler, ['-shared', '-fPIC', '-O1', '-Wall', '-I', includes, '-o', partial, SOURCE, '-ldl'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      renameSync(partial, output);
    } catch (e) {
      rmSync(partial, { force: true });
      try {
        rmdirSync(dir); // only when empty: another process may be building here too
      } catch {
        // not empty, or gone already
      }
      const error = e as NodeJS.ErrnoException & { stderr?: string };
      if (error.code === 'ENOENT') {
        throw new Error(
          `no C compiler: "${compiler}" was not found. The PKCS#11 crash-module tests build a small C library; install gcc and libc6-dev (node scripts/system-deps.mjs) or set CC.`,
          { cause: e },
        );
      }
      throw new Error(`building ${SOURCE} with ${compiler} failed:\n${error.stderr ?? error.message}`, { cause: e });
    }
  }
  built = output;
  return output;
}

/**
 * Environment for a process that loads the crash module: which SoftHSM config and library it
 * forwards to, and which function aborts ('C_Sign' by default; 'none' forwards everything).
 */
export function crashModuleEnv(token: Pick<SoftHsmToken, 'configPath' | 'modulePath'>, crashIn = 'C_Sign'): Record<string, string> {
  return { SOFTHSM2_CONF: token.configPath, TODOKE_CRASH_TARGET: token.modulePath, TODOKE_CRASH_IN: crashIn };
}

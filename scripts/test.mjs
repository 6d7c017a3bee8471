// `npm test`: system prerequisites, type check, lint, renderer build, then every test file under
// test/ with Node's test runner (unit, integration and the Playwright end-to-end specs).
//   --no-checks   skip type check and lint      --no-e2e   skip test/e2e
//   any other argument: run only those test files
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureSystemDeps } from './system-deps.mjs';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const only = args.filter((a) => !a.startsWith('--'));
const root = new URL('..', import.meta.url).pathname;

function run(label, cmd, cmdArgs, env = {}) {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`✖ ${label} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : findTests(p);
    return /\.test\.tsx?$/.test(name) ? [relative(root, p)] : [];
  });
}

ensureSystemDeps();
if (!flags.has('--no-checks')) {
  run('type check', 'npm', ['run', 'typecheck']);
  run('lint', 'npx', ['eslint', '--max-warnings', '0', '.']);
}
let files = only.length ? only : findTests(join(root, 'test')).sort();
if (flags.has('--no-e2e')) files = files.filter((f) => !f.startsWith('test/e2e/'));
if (files.some((f) => f.startsWith('test/e2e/'))) run('renderer build', 'npx', ['vite', 'build', '--logLevel', 'warn']);
run(`tests (${files.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { TODOKE_TEST: '1' });

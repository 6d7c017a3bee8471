// Test support (Node). Runs the `todoke` CLI in-process with captured output, and as a real
// process through bin/todoke.mjs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../src/main/cli/main.js';
import { repoRoot } from './paths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string; now?: Date; secrets?: (string | null)[] } = {},
): Promise<CliRun & { prompts: string[] }> {
  let stdout = '';
  let stderr = '';
  const prompts: string[] = [];
  const secrets = [...(options.secrets ?? [])];
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: options.env ?? {},
    cwd: options.cwd ?? repoRoot,
    now: () => options.now ?? new Date(),
    promptSecret: async (prompt) => {
      prompts.push(prompt);
      return secrets.length ? (secrets.shift() ?? null) : null;
    },
  });
  return { code, stdout, stderr, prompts };
}

export function cliProcess(argv: string[], env: Record<string, string> = {}, cwd = repoRoot): CliRun {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'todoke.mjs'), ...argv], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

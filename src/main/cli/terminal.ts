// Main process (CLI host). The real terminal behind CliIo, and the process entry point.
import { runCli } from './main.js';
import type { CliIo } from './io.js';

/** Reads a line from the terminal without echoing it; null without a terminal or on Ctrl-C/Ctrl-D. */
function promptSecretOnTty(prompt: string): Promise<string | null> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.resolve(null);
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let value = '';
    const finish = (result: string | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(value);
        if (ch === '\u0003' || ch === '\u0004') return finish(null);
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

const terminalIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  promptSecret: promptSecretOnTty,
  now: () => new Date(),
};

export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), terminalIo);
}

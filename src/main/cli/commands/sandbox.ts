// Main process (CLI host). `todoke sandbox`: runs the e-Gov v1 sandbox (src/sandbox) in the
// foreground until Ctrl+C; `todoke sandbox tls-ca` prints the CA its HTTPS clients must trust;
// `todoke sandbox op …` acts as the ministry on a running sandbox, over its admin port.
import { runSandbox } from '../../../sandbox/run.js';
import type { CliIo } from '../io.js';
import { sandboxOpCommand } from '../sandbox-op.js';

export async function sandboxCommand(args: string[], io: CliIo, opts: { signal?: AbortSignal } = {}): Promise<number> {
  if (args[0] === 'op') return sandboxOpCommand(args.slice(1), io);
  return runSandbox(args, io, opts);
}

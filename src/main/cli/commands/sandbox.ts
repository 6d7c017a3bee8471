// Main process (CLI host). `todoke sandbox`: runs the e-Gov v1 sandbox (src/sandbox) in the
// foreground until Ctrl+C; `todoke sandbox tls-ca` prints the CA its HTTPS clients must trust.
import { runSandbox } from '../../../sandbox/run.js';
import type { CliIo } from '../io.js';

export async function sandboxCommand(args: string[], io: CliIo, opts: { signal?: AbortSignal } = {}): Promise<number> {
  return runSandbox(args, io, opts);
}

// Benchmarks (Node), bench-only core host entry. Started by the round-trip benchmark through the
// real forkCoreHost + CoreSupervisor machinery in place of src/main/core-host/entry.ts: it serves
// the contract exactly as entry.ts does (serveCoreHost over the parent channel), and in addition,
// on a `{ bench: 'work', dir }` message, runs the read + check + sign + pack of the batch in `dir`
// IN THIS PROCESS — where a filing operation of the core will run — then answers
// `{ bench: 'done', ... }`. The contract has no such operation yet; this stands in for it.
// Bench messages never reach serveCoreHost (it would refuse them as malformed).
import { parentChannel, type ParentChannel } from '../src/main/core-host/channel.js';
import { serveCoreHost } from '../src/main/core-host/serve.js';
import { checkSignPack, openBenchSigner } from './filing-work.js';

export interface BenchWorkMessage {
  bench: 'work';
  dir: string;
}

export interface BenchDoneMessage {
  bench: 'done';
  applications: number;
  ms: number;
  error?: string;
}

function isBenchMessage(m: unknown): m is BenchWorkMessage {
  return typeof m === 'object' && m !== null && (m as { bench?: unknown }).bench === 'work';
}

const base = parentChannel();
const contract: ParentChannel = {
  send: (m) => base.send(m),
  onMessage: (listener) => base.onMessage((m) => (isBenchMessage(m) ? undefined : listener(m))),
  onDisconnect: (listener) => base.onDisconnect(listener),
};
serveCoreHost(contract);
base.onDisconnect(() => process.exit(0));

const signer = openBenchSigner();
base.onMessage((m) => {
  if (!isBenchMessage(m)) return;
  const start = performance.now();
  checkSignPack(m.dir, signer).then(
    (outcome) => base.send({ bench: 'done', applications: outcome.applications, ms: performance.now() - start } satisfies BenchDoneMessage),
    (e: unknown) => base.send({ bench: 'done', applications: 0, ms: performance.now() - start, error: String(e) } satisfies BenchDoneMessage),
  );
});

// Benchmarks (Node), the "page" of the round-trip benchmark, in a process of its own as a browser
// tab would be: connects to the harness WebSocket with the token of the harness URL and the Host and
// Origin the harness expects, then sends `app.info` every 10 ms (`{id, op, args}` → `{id, ok, value}`)
// and records each round trip. Controlled by its parent over IPC: `begin` clears the samples (what
// came before is warm-up), `end` sends back the samples `{ latencies, skipped, failed }`.
// A tick is skipped (and counted) when 30 calls are already in flight: the harness closes a socket
// with more than 32 in flight, and such a wait already fails the target many times over.
import WebSocket from 'ws';

const INTERVAL_MS = 10;
const MAX_IN_FLIGHT = 30;

export interface ClientSamples {
  latencies: number[];
  skipped: number;
  failed: number;
}

const url = new URL(process.argv[2] ?? '');
const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
const socketUrl = `ws://${url.host}/__harness/ws?token=${encodeURIComponent(token)}`;
const ws = new WebSocket(socketUrl, { headers: { Host: url.host }, origin: url.origin });

const sentAt = new Map<number, number>();
let samples: ClientSamples = { latencies: [], skipped: 0, failed: 0 };
let nextId = 1;

ws.on('message', (data) => {
  const message = JSON.parse(String(data)) as { id?: number; ok?: boolean; event?: unknown };
  if (typeof message.id !== 'number') return;
  const at = sentAt.get(message.id);
  if (at === undefined) return;
  sentAt.delete(message.id);
  if (message.ok) samples.latencies.push(performance.now() - at);
  else samples.failed++;
});
ws.on('error', (e) => {
  console.error(`ui-client: ${e.message}`);
  process.exit(1);
});
ws.on('open', () => {
  setInterval(() => {
    if (sentAt.size >= MAX_IN_FLIGHT) {
      samples.skipped++;
      return;
    }
    const id = nextId++;
    sentAt.set(id, performance.now());
    ws.send(JSON.stringify({ id, op: 'app.info', args: {} }));
  }, INTERVAL_MS);
  process.send?.({ t: 'open' });
});

process.on('message', (m: { t?: string }) => {
  if (m.t === 'begin') samples = { latencies: [], skipped: 0, failed: 0 };
  if (m.t === 'end') {
    // calls still in flight have waited at least this long: count them at what they have waited so far
    const now = performance.now();
    for (const at of sentAt.values()) samples.latencies.push(now - at);
    process.send?.({ t: 'samples', samples }, () => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));

// Core host (Node). One warm XSLT worker, used one transformation at a time: starting a worker and
// loading xslt-processor costs far more than rendering a 公文書, so it stays up between documents.
// A transformation that overruns its time is stopped by terminating the worker; one that exhausts
// the worker's heap ends it. Either way the next transformation gets a fresh worker.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { XsltReply, XsltRequest } from './xslt-protocol.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The worker beside this file: JavaScript in a bundle; from the sources, the TypeScript file loaded
 * through tsx's API (Node 20 does not apply the parent's `--import tsx` hooks inside a worker).
 */
function workerEntry(): { code: string | URL; eval: boolean } {
  const ts = join(here, 'xslt-worker.ts');
  if (!existsSync(ts)) return { code: pathToFileURL(join(here, 'xslt-worker.js')), eval: false };
  const tsxApi = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/esm/api')), 'index.mjs')).href;
  const worker = pathToFileURL(ts).href;
  return { code: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`, eval: true };
}

export interface XsltRunnerOptions {
  /** the worker's old-generation heap, MB */
  heapMb: number;
}

export type XsltOutcome = XsltReply | { ok: false; kind: 'timeout' | 'out-of-memory' | 'crashed'; reason: string };

interface Job {
  request: Omit<XsltRequest, 'id'>;
  timeoutMs: number;
  resolve: (outcome: XsltOutcome) => void;
}

export class XsltRunner {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private current: { id: number; job: Job; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;
  /** workers started so far (tests prove a stopped one is replaced) */
  started = 0;

  constructor(private readonly options: XsltRunnerOptions) {}

  run(request: Omit<XsltRequest, 'id'>, timeoutMs: number): Promise<XsltOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ request, timeoutMs, resolve });
      this.pump();
    });
  }

  /** Stops the worker (a transformation in progress ends as 'crashed'). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private pump(): void {
    if (this.current !== null) return;
    const job = this.queue.shift();
    if (!job) {
      this.worker?.unref();
      return;
    }
    const worker = this.worker ?? this.spawn();
    worker.ref();
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.discard(worker);
      this.finish(id, { ok: false, kind: 'timeout', reason: `${job.timeoutMs} ms` });
    }, job.timeoutMs);
    this.current = { id, job, timer };
    worker.postMessage({ id, ...job.request } satisfies XsltRequest);
  }

  private spawn(): Worker {
    const entry = workerEntry();
    const worker = new Worker(entry.code, {
      eval: entry.eval,
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    this.started++;
    this.worker = worker;
    worker.on('message', (reply: XsltReply & { id: number }) => this.finish(reply.id, reply));
    worker.on('error', (e: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      const kind = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crashed';
      this.discard(worker);
      if (this.current) this.finish(this.current.id, { ok: false, kind, reason: e.message });
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.discard(worker);
      if (this.current) this.finish(this.current.id, { ok: false, kind: 'crashed', reason: 'worker exited' });
    });
    return worker;
  }

  /** Forgets and stops a worker; the next job starts a new one. */
  private discard(worker: Worker): void {
    if (this.worker === worker) this.worker = null;
    void worker.terminate();
  }

  private finish(id: number, outcome: XsltOutcome): void {
    if (!this.current || this.current.id !== id) return;
    clearTimeout(this.current.timer);
    const { job } = this.current;
    this.current = null;
    job.resolve(outcome);
    this.pump();
  }
}

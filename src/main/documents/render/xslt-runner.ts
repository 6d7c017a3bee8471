// Core host (Node). One warm XSLT worker, used one transformation at a time: starting a worker and
// loading xslt-processor costs far more than rendering a 公文書, so it stays up between documents.
// A transformation that overruns its time is stopped by terminating the worker; one that exhausts
// the worker's heap ends it. Either way the next transformation gets a fresh worker.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { XsltReply, XsltRequest, XsltWorkerMessage } from './xslt-protocol.js';

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
  /** another worker file (tests: one that does not exist, one that crashes at start) */
  entry?: URL;
}

export type XsltOutcome = XsltReply | { ok: false; kind: 'timeout' | 'out-of-memory' | 'crashed'; reason: string };

interface Job {
  request: Omit<XsltRequest, 'id'>;
  timeoutMs: number;
  resolve: (outcome: XsltOutcome) => void;
}

interface WorkerState {
  thread: Worker;
  /** xslt-processor is loaded: a job's time limit starts only then, not while the worker boots */
  ready: boolean;
  startTimer: NodeJS.Timeout;
}

/** A worker that has not loaded within this is taken for broken (it boots in about a second). */
const STARTUP_LIMIT_MS = 60_000;

export class XsltRunner {
  private worker: WorkerState | null = null;
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

  /** Stops the worker; a transformation in progress or waiting ends as 'crashed'. */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.discard(w);
    const stopped = { ok: false, kind: 'crashed', reason: 'the XSLT worker was stopped' } as const;
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.job.resolve(stopped);
      this.current = null;
    }
    for (const job of this.queue.splice(0)) job.resolve(stopped);
    await w.thread.terminate();
  }

  private pump(): void {
    if (this.current !== null) return;
    if (this.queue.length === 0) {
      this.worker?.thread.unref();
      return;
    }
    const w = this.worker ?? this.spawn();
    w.thread.ref();
    if (!w.ready) return; // its 'ready' pumps again
    const job = this.queue.shift()!;
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.discard(w);
      this.finish(id, { ok: false, kind: 'timeout', reason: `${job.timeoutMs} ms` });
    }, job.timeoutMs);
    this.current = { id, job, timer };
    w.thread.postMessage({ id, ...job.request } satisfies XsltRequest);
  }

  private spawn(): WorkerState {
    const entry = this.options.entry ? { code: this.options.entry, eval: false } : workerEntry();
    const thread = new Worker(entry.code, {
      eval: entry.eval,
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    const w: WorkerState = { thread, ready: false, startTimer: setTimeout(() => this.lost(w, 'crashed', 'the XSLT worker did not start'), STARTUP_LIMIT_MS) };
    this.started++;
    this.worker = w;
    thread.on('message', (message: XsltWorkerMessage) => {
      if ('ready' in message) {
        clearTimeout(w.startTimer);
        w.ready = true;
        this.pump();
        return;
      }
      this.finish(message.id, message);
    });
    thread.on('error', (e: Error & { code?: string }) => this.lost(w, e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crashed', e.message));
    thread.on('exit', () => this.lost(w, 'crashed', 'the XSLT worker exited'));
    return w;
  }

  /**
   * The worker is gone. The job it ran fails; so does the next one if it never got to start (a
   * worker that cannot boot would otherwise be restarted for ever).
   */
  private lost(w: WorkerState, kind: 'out-of-memory' | 'crashed', reason: string): void {
    if (this.worker !== w) return;
    this.discard(w);
    if (this.current) {
      this.finish(this.current.id, { ok: false, kind, reason });
      return;
    }
    this.queue.shift()?.resolve({ ok: false, kind, reason });
    this.pump();
  }

  /** Forgets and stops a worker; the next job starts a new one. */
  private discard(w: WorkerState): void {
    clearTimeout(w.startTimer);
    if (this.worker === w) this.worker = null;
    void w.thread.terminate();
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

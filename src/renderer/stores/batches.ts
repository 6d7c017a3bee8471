// Renderer. 一括申請 as the 申請 and 送信履歴 screens see it: the one send under way (its steps
// from batch.progress, then the batch it became, followed through batch.changed until its
// applications arrive) and the list of every batch in the outbox, kept current by batch.changed.
// The core does the work and keeps the records; this store only remembers what it was told.
import { create } from 'zustand';
import type { ErrorPayload } from '../../shared/errors.js';
import type { BatchProgress, BatchSendStep, BatchView } from '../../shared/filing.js';
import { requireCoreApi } from '../api.js';

export type SendState =
  | { status: 'idle' }
  | { status: 'running'; jobId: string; step: BatchSendStep; done: number; total: number; cancelling: boolean }
  /** the same data was sent before: the person confirms by the 送信番号 or stops */
  | { status: 'same-data'; paths: string[]; earlierSendNumbers: string[] }
  | { status: 'sent'; entryId: string; resumed: boolean }
  | { status: 'cancelled' }
  | { status: 'error'; error: ErrorPayload };

export type ListState = { status: 'idle' | 'loading' | 'ready' } | { status: 'error'; error: ErrorPayload };

interface BatchStore {
  send: SendState;
  /** every batch heard of, by outbox id */
  batches: Record<string, BatchView>;
  list: ListState;
  startSend(paths: readonly string[], confirmedEarlierSends?: readonly string[]): Promise<void>;
  cancel(): Promise<void>;
  /** forgets the finished send (a new choice of data) */
  resetSend(): void;
  applyProgress(progress: BatchProgress): void;
  applyChange(view: BatchView): void;
  loadList(): Promise<void>;
}

let jobs = 0;
function newJobId(): string {
  const random = crypto.getRandomValues(new Uint32Array(2));
  return `job-${Date.now().toString(36)}-${random[0]!.toString(36)}${random[1]!.toString(36)}-${++jobs}`;
}

export const useBatchStore = create<BatchStore>()((set, get) => ({
  send: { status: 'idle' },
  batches: {},
  list: { status: 'idle' },

  async startSend(paths, confirmedEarlierSends) {
    if (get().send.status === 'running') return;
    const jobId = newJobId();
    set({ send: { status: 'running', jobId, step: 'check', done: 0, total: 0, cancelling: false } });
    const result = await requireCoreApi()['batch.send']({
      jobId,
      paths: [...paths],
      ...(confirmedEarlierSends?.length ? { confirmedEarlierSends: [...confirmedEarlierSends] } : {}),
    });
    if (result.ok) {
      get().applyChange(result.value);
      set({ send: { status: 'sent', entryId: result.value.id, resumed: result.value.resumed } });
      return;
    }
    const { error } = result;
    if (error.code === 'FILING_CANCELLED' || error.code === 'CREDENTIAL_CANCELLED') {
      set({ send: { status: 'cancelled' } });
      return;
    }
    const earlier = error.detail?.earlierSendNumbers;
    if (error.code === 'FILING_SAME_DATA_SENT' && Array.isArray(earlier) && earlier.every((n) => typeof n === 'string')) {
      set({ send: { status: 'same-data', paths: [...paths], earlierSendNumbers: earlier as string[] } });
      return;
    }
    set({ send: { status: 'error', error } });
  },

  async cancel() {
    const send = get().send;
    if (send.status !== 'running' || send.step === 'send') return;
    set({ send: { ...send, cancelling: true } });
    const result = await requireCoreApi()['batch.cancel']({ jobId: send.jobId });
    const now = get().send;
    // too late (already sending): the send goes on and its result arrives as usual
    if (result.ok && !result.value.cancelled && now.status === 'running' && now.jobId === send.jobId) set({ send: { ...now, cancelling: false } });
  },

  resetSend() {
    if (get().send.status !== 'running') set({ send: { status: 'idle' } });
  },

  applyProgress(progress) {
    const send = get().send;
    if (send.status !== 'running' || send.jobId !== progress.jobId) return;
    set({ send: { ...send, step: progress.step, done: progress.done ?? send.done, total: progress.total ?? send.total } });
  },

  applyChange(view) {
    set({ batches: { ...get().batches, [view.id]: view } });
  },

  async loadList() {
    if (get().list.status !== 'ready') set({ list: { status: 'loading' } });
    const result = await requireCoreApi()['batch.list']();
    if (!result.ok) {
      set({ list: { status: 'error', error: result.error } });
      return;
    }
    const batches = { ...get().batches };
    for (const view of result.value) batches[view.id] = view;
    set({ batches, list: { status: 'ready' } });
  },
}));

/** Newest first: by creation time, as the outbox lists them. */
export function batchesNewestFirst(batches: Record<string, BatchView>): BatchView[] {
  return Object.values(batches).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
}

// Renderer. The core's open `credential.request`s, oldest first. Only the request (what is asked,
// for which token or file) is kept here; the PIN or password itself never enters a store: it
// lives in the dialog's own state until it is handed to `credential.answer`.
import { create } from 'zustand';
import type { CredentialRequest } from '../../shared/domain.js';
import { requireCoreApi } from '../api.js';
import { en } from '../messages/en.js';
import { ja } from '../messages/ja.js';
import { useNoticeStore } from './notices.js';

interface CredentialState {
  requests: CredentialRequest[];
  /** a new request, or a repeated one (same id, e.g. after a wrong PIN) that replaces the old */
  add(request: CredentialRequest): void;
  /** answered here, withdrawn by the core, or cancelled */
  remove(requestId: string): void;
  /**
   * Hands the person's answer (the secret, or a cancel) to the core for `requestId`, which is no
   * longer open from then on. A failure to deliver it is said as a notice: the dialog is gone.
   */
  answer(requestId: string, answer: { secret: string } | { cancel: true }): Promise<void>;
}

/** More open requests than this is a runaway core, not a person's work; the oldest are dropped. */
const MAX_REQUESTS = 8;

export const useCredentialStore = create<CredentialState>()((set, get) => ({
  requests: [],
  add: (request) =>
    set((s) => {
      const at = s.requests.findIndex((r) => r.requestId === request.requestId);
      if (at >= 0) return { requests: s.requests.map((r, i) => (i === at ? request : r)) };
      return { requests: [...s.requests, request].slice(-MAX_REQUESTS) };
    }),
  remove: (requestId) => set((s) => ({ requests: s.requests.filter((r) => r.requestId !== requestId) })),
  async answer(requestId, answer) {
    get().remove(requestId);
    const result = await requireCoreApi()['credential.answer']({ requestId, ...answer });
    if (!result.ok) useNoticeStore.getState().add({ level: 'error', code: result.error.code, message: en.credential.answerFailed, messageJa: ja.credential.answerFailed });
  },
}));

// Renderer. Who this app files as: the `identity.status` the core last reported (on start, after
// each identity operation, and on every `identity.changed` event), and what the person last did
// to it, so the 利用者 screen can say so. No password, PIN or access key ever comes through here.
import { create } from 'zustand';
import type { CertificateDescription, IdentityStatus, IdentityView } from '../../shared/domain.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';

export type IdentityLoad =
  | { status: 'loading' }
  | { status: 'error'; error: ErrorPayload }
  | { status: 'ready'; identity: IdentityView | null; sandboxAvailable: boolean };

export type IdentityOutcomeKind = 'register' | 'setupLogin' | 'login' | 'certificate.add' | 'certificate.update' | 'certificate.delete';

/** The last thing that changed the identity on this screen, said once as a success message. */
export interface IdentityOutcome {
  kind: IdentityOutcomeKind;
  /** the certificate added, the new one after an update, or the one deleted */
  certificate: CertificateDescription | null;
}

interface IdentityState {
  load: IdentityLoad;
  outcome: IdentityOutcome | null;
  /**
   * The first run registered the 利用者ID but the login right after it failed: the ID exists (at
   * e-Gov and here), so the 利用者 screen replaces the first-run flow and says what is left to do.
   */
  registeredLoginFailure: ErrorPayload | null;
  noteRegisteredLoginFailure(error: ErrorPayload): void;
  /** Increments per refresh, so an answer to a superseded request is dropped. */
  request: number;
  refresh(): Promise<void>;
  /** a whole status from the core (`identity.forget`, the `identity.changed` event) */
  apply(status: IdentityStatus): void;
  /** the identity an operation returned, with what to tell the person about it */
  settle(identity: IdentityView, outcome: IdentityOutcome | null): void;
  clearOutcome(): void;
}

export const useIdentityStore = create<IdentityState>()((set, get) => ({
  load: { status: 'loading' },
  outcome: null,
  registeredLoginFailure: null,
  request: 0,
  noteRegisteredLoginFailure(error) {
    set({ registeredLoginFailure: error });
  },
  async refresh() {
    const request = get().request + 1;
    const current = get().load;
    // Keep what is shown while asking again; only the very first load shows a loading state.
    set({ request, load: current.status === 'ready' ? current : { status: 'loading' } });
    const result = await requireCoreApi()['identity.status']();
    if (get().request !== request) return;
    if (result.ok) set({ load: { status: 'ready', identity: result.value.identity, sandboxAvailable: result.value.sandboxAvailable } });
    else set({ load: { status: 'error', error: result.error } });
  },
  apply(status) {
    set((s) => ({
      request: s.request + 1,
      load: { status: 'ready', identity: status.identity, sandboxAvailable: status.sandboxAvailable },
      outcome: status.identity ? s.outcome : null,
    }));
  },
  settle(identity, outcome) {
    set((s) => ({
      registeredLoginFailure: null,
      request: s.request + 1,
      load: { status: 'ready', identity, sandboxAvailable: s.load.status === 'ready' ? s.load.sandboxAvailable : false },
      outcome,
    }));
  },
  clearOutcome() {
    set({ outcome: null, registeredLoginFailure: null });
  },
}));

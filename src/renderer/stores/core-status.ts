// Renderer. The core's process as its host reports it (`core.status`): running, restarting after a
// crash, or failed to start and waiting for the person's retry. When the core is back after a
// restart, what the screens show is fetched again: the new process may know more (or less) than
// the page remembers.
import { create } from 'zustand';
import type { CoreStatus } from '../../shared/domain.js';
import { requireCoreApi } from '../api.js';
import { useIdentityStore } from './identity.js';

interface CoreStatusState {
  status: CoreStatus | null;
  retrying: boolean;
  load(): Promise<void>;
  apply(status: CoreStatus): void;
  retry(): Promise<void>;
}

export const useCoreStatusStore = create<CoreStatusState>()((set, get) => ({
  status: null,
  retrying: false,
  async load() {
    const result = await requireCoreApi()['core.status']();
    if (result.ok) get().apply(result.value);
  },
  apply(status) {
    const before = get().status;
    set({ status, retrying: status.state === 'starting' && get().retrying });
    if (before !== null && before.state !== 'running' && status.state === 'running') void useIdentityStore.getState().refresh();
  },
  async retry() {
    set({ retrying: true });
    const result = await requireCoreApi()['core.restart']();
    if (result.ok) get().apply(result.value);
    else set({ retrying: false });
  },
}));

// Renderer. What the core says about itself (version, host), fetched once at start.
import { create } from 'zustand';
import type { AppInfo } from '../../shared/domain.js';
import { requireCoreApi } from '../api.js';

interface AppInfoState {
  info: AppInfo | null;
  load(): Promise<void>;
}

export const useAppInfoStore = create<AppInfoState>()((set) => ({
  info: null,
  async load() {
    const result = await requireCoreApi()['app.info']();
    if (result.ok) set({ info: result.value });
  },
}));

// Renderer. The bundled training certificates (test-only), fetched once from the core. Their
// password is public (it ships beside them); it is kept here only to hand it back to the core.
import { create } from 'zustand';
import type { TrainingCertificate } from '../../shared/domain.js';
import { requireCoreApi } from '../api.js';

interface TrainingState {
  certificates: TrainingCertificate[] | null;
  load(): Promise<void>;
}

export const useTrainingStore = create<TrainingState>()((set, get) => ({
  certificates: null,
  async load() {
    if (get().certificates !== null) return;
    const result = await requireCoreApi()['sandbox.trainingCertificates']();
    // Training is a convenience: when the list cannot be read, the file picker is still there.
    set({ certificates: result.ok ? result.value : [] });
  },
}));

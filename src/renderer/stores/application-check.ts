// Renderer. The 申請 screen's state: the 申請データ the person chose (a folder or one ZIP), turned
// into paths by the host (`stageFiles`: the preload's webUtils, or the harness's staging upload),
// then read and checked by the core (`application.check`). Only the answer is kept, never bytes.
import { create } from 'zustand';
import type { ApplicationCheckView } from '../../shared/domain.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';

export type ApplicationCheckState =
  | { status: 'empty' }
  /** the chosen files are being handed to the core (in the harness: uploaded) */
  | { status: 'reading'; name: string }
  | { status: 'checking'; name: string }
  /** `paths`: where the core reads the data (the staging copy in the harness): what batch.send is given */
  | { status: 'checked'; name: string; view: ApplicationCheckView; paths: string[] }
  | { status: 'error'; name: string; error: ErrorPayload };

interface ApplicationCheckStore {
  state: ApplicationCheckState;
  /** Increments per choice, so the answer to a superseded choice is dropped. */
  request: number;
  /** Files from the folder input, the ZIP input or a drop; an empty list (a cancelled dialog) changes nothing. */
  choose(files: readonly File[]): Promise<void>;
  /** checks the same paths again (the person fixed the files in place) */
  recheck(): Promise<void>;
}

/** What the person chose, in words: the folder (from a file's relative path) or the file name. */
export function chosenName(files: readonly File[]): string {
  const names: string[] = [];
  for (const file of files) {
    const name = file.webkitRelativePath ? (file.webkitRelativePath.split('/')[0] ?? file.name) : file.name;
    if (!names.includes(name)) names.push(name);
  }
  return names.join('、');
}

export const useApplicationCheckStore = create<ApplicationCheckStore>()((set, get) => {
  async function check(name: string, paths: string[], request: number): Promise<void> {
    set({ state: { status: 'checking', name } });
    const checked = await requireCoreApi()['application.check']({ paths });
    if (get().request !== request) return;
    set({ state: checked.ok ? { status: 'checked', name, view: checked.value, paths } : { status: 'error', name, error: checked.error } });
  }
  return {
    state: { status: 'empty' },
    request: 0,
    async choose(files) {
      if (files.length === 0) return;
      const request = get().request + 1;
      const name = chosenName(files);
      set({ request, state: { status: 'reading', name } });
      const api = requireCoreApi();
      const staged = await api.stageFiles([...files]);
      if (get().request !== request) return;
      if (!staged.ok) {
        set({ state: { status: 'error', name, error: staged.error } });
        return;
      }
      await check(name, staged.value.paths, request);
    },
    async recheck() {
      const state = get().state;
      if (state.status !== 'checked') return;
      const request = get().request + 1;
      set({ request });
      await check(state.name, state.paths, request);
    },
  };
});

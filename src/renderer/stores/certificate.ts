// Renderer. The 証明書 screen's state. The password is an argument of `openWithPassword` and
// nothing else: it is never put into this store, so it cannot linger in memory snapshots of it.
import { create } from 'zustand';
import type { Envelope } from '../../shared/contract.js';
import type { ErrorPayload } from '../../shared/errors.js';
import type { CertificateDescription } from '../../shared/domain.js';
import { requireCoreApi } from '../api.js';
import { isPkcs12FileName, readChosenFile, type ChosenFile, type FileProblem } from '../files.js';

export type CertificateView =
  | { status: 'empty' }
  | { status: 'needsPassword'; file: ChosenFile; error: ErrorPayload | null }
  | { status: 'loading'; fileName: string }
  | { status: 'loaded'; fileName: string; description: CertificateDescription }
  | { status: 'error'; fileName: string | null; error: ErrorPayload | null; problem: FileProblem | 'multipleFiles' | null };

interface CertificateState {
  view: CertificateView;
  /** Increments per request, so an answer to a superseded request is dropped. */
  request: number;
  choose(files: readonly File[]): Promise<void>;
  openWithPassword(password: string): Promise<void>;
  cancelPassword(): void;
  /**
   * `certificate.describe` for a file chosen anywhere else (the 利用者 screen's certificate
   * fields keep their own state): the core's answer, nothing kept here.
   */
  describe(file: ChosenFile, password: string | undefined): Promise<Envelope<CertificateDescription>>;
}

const PASSWORD_ERRORS = new Set(['BAD_PASSWORD', 'PASSWORD_REQUIRED']);

function describeFile(file: ChosenFile, password: string | undefined): Promise<Envelope<CertificateDescription>> {
  return requireCoreApi()['certificate.describe']({ fileName: file.name, dataBase64: file.dataBase64, ...(password === undefined ? {} : { password }) });
}

export const useCertificateStore = create<CertificateState>()((set, get) => {
  async function describe(file: ChosenFile, password: string | undefined): Promise<void> {
    const request = get().request + 1;
    set({ request, view: { status: 'loading', fileName: file.name } });
    const result = await describeFile(file, password);
    if (get().request !== request) return;
    if (result.ok) {
      set({ view: { status: 'loaded', fileName: file.name, description: result.value } });
    } else if (PASSWORD_ERRORS.has(result.error.code)) {
      set({ view: { status: 'needsPassword', file, error: result.error.code === 'BAD_PASSWORD' ? result.error : null } });
    } else {
      set({ view: { status: 'error', fileName: file.name, error: result.error, problem: null } });
    }
  }

  return {
    view: { status: 'empty' },
    request: 0,
    async choose(files) {
      const [file] = files;
      if (!file) return;
      const request = get().request + 1;
      if (files.length > 1) {
        set({ request, view: { status: 'error', fileName: null, error: null, problem: 'multipleFiles' } });
        return;
      }
      set({ request, view: { status: 'loading', fileName: file.name } });
      const chosen = await readChosenFile(file);
      if (get().request !== request) return;
      if (typeof chosen === 'string') {
        set({ view: { status: 'error', fileName: file.name, error: null, problem: chosen } });
        return;
      }
      if (isPkcs12FileName(chosen.name)) {
        set({ view: { status: 'needsPassword', file: chosen, error: null } });
        return;
      }
      await describe(chosen, undefined);
    },
    async openWithPassword(password) {
      const view = get().view;
      if (view.status !== 'needsPassword') return;
      await describe(view.file, password);
    },
    cancelPassword() {
      set((s) => ({ request: s.request + 1, view: { status: 'empty' } }));
    },
    describe: describeFile,
  };
});

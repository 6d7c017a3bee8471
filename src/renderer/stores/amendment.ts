// Renderer. The 補正 workbench's state (screens/AmendScreen.tsx): the draft of one case as the core
// keeps it (case.amendmentDraft), changed one file at a time — a file picked in the page becomes a
// path (`stageFiles`) and the core copies it into the draft (case.amendmentReplace), or puts the
// filed one back (case.amendmentRestore) — and the 補正 sent from it (case.amend, which asks for the
// PIN itself). Beside it, the newest 補正通知 of the case (notice.inbox, notice.get). Only the core's
// answers are kept, never file bytes. An answer for a case or a step the person has left is dropped.
import { create } from 'zustand';
import type { AmendmentDraftView, AmendmentView } from '../../shared/amendment.js';
import type { NoticeDetailView } from '../../shared/documents.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { requireCoreApi } from '../api.js';
import { attachmentName, sendBlock } from '../amendment-workbench.js';

export type DraftLoad = { status: 'loading' } | { status: 'ready'; draft: AmendmentDraftView } | { status: 'error'; error: ErrorPayload };

/** The 補正通知 beside the draft: none may have reached Todoke yet (the sync fetches them). */
export type NoticeLoad = { status: 'loading' } | { status: 'none' } | { status: 'ready'; notice: NoticeDetailView } | { status: 'error'; error: ErrorPayload };

/** A change to the draft under way: one at a time, so two answers never race over the same draft. */
export type DraftStep = { kind: 'replace' | 'restore' | 'add'; fileName: string } | { kind: 'folder' | 'fresh'; fileName: null };

export type SendState =
  | { status: 'idle' }
  | { status: 'sending' }
  | { status: 'done'; result: AmendmentView }
  /** the person cancelled at the PIN: nothing was sent */
  | { status: 'cancelled' }
  | { status: 'failed'; error: ErrorPayload };

interface AmendmentStore {
  arriveId: string | null;
  draft: DraftLoad;
  notice: NoticeLoad;
  /** 状況照会 said the case may be filed again (ReintroductionFlag 1): e-Gov takes a 補正 then too */
  reintroduction: boolean;
  step: DraftStep | null;
  /** the last change to the draft that failed, with the file it concerned */
  stepError: { step: DraftStep; error: ErrorPayload } | null;
  send: SendState;
  /** bumps with every open() so that answers for a case left behind are dropped */
  generation: number;
  open(arriveId: string): Promise<void>;
  /** the draft and its 補正 read again in place (after 「e-Gov に確認」 or a settle); a send failure is dropped */
  refresh(): Promise<void>;
  /** `files`: what the file input gave; an empty list (a cancelled dialog) changes nothing */
  replace(fileName: string, files: readonly File[]): Promise<void>;
  add(files: readonly File[]): Promise<void>;
  restore(fileName: string): Promise<void>;
  /** the filed application from a folder the person picked (`<input webkitdirectory>`) */
  chooseFolder(files: readonly File[]): Promise<void>;
  /** drops every replacement: a new draft from the filed application */
  startOver(): Promise<void>;
  sendAmendment(): Promise<void>;
  dismissSend(): void;
}

const JOB_PREFIX = 'amend-';

export const useAmendmentStore = create<AmendmentStore>()((set, get) => {
  /** whether an answer started under `generation` may still be shown */
  const current = (generation: number) => get().generation === generation;

  async function loadNotice(arriveId: string, generation: number): Promise<void> {
    const api = requireCoreApi();
    const inbox = await api['notice.inbox']({ arriveId, kind: 'amend', limit: 20 });
    if (!current(generation)) return;
    if (!inbox.ok) {
      set({ notice: { status: 'error', error: inbox.error } });
      return;
    }
    // the newest 補正通知 is the one being answered (issue dates are JST text that sorts as numbers)
    const newest = [...inbox.value.items].sort((a, b) => (a.issueDate < b.issueDate ? 1 : a.issueDate > b.issueDate ? -1 : b.id - a.id))[0];
    if (!newest) {
      set({ notice: { status: 'none' } });
      return;
    }
    const detail = await api['notice.get']({ id: newest.id });
    if (!current(generation)) return;
    set({ notice: detail.ok ? { status: 'ready', notice: detail.value } : { status: 'error', error: detail.error } });
  }

  /** Runs one change of the draft; its answer replaces the draft shown, its failure is kept with the step. */
  async function change(step: DraftStep, run: (draft: AmendmentDraftView | null) => Promise<{ ok: true; value: AmendmentDraftView } | { ok: false; error: ErrorPayload } | null>): Promise<void> {
    const { generation, step: busy, draft } = get();
    if (busy !== null) return;
    set({ step, stepError: null, send: { status: 'idle' } });
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run(draft.status === 'ready' ? draft.draft : null);
    } finally {
      if (current(generation)) set({ step: null });
    }
    if (!current(generation) || result === null) return;
    if (result.ok) set({ draft: { status: 'ready', draft: result.value } });
    else set({ stepError: { step, error: result.error } });
  }

  /** The paths of picked files, or the error that kept them from the core; null for an empty pick. */
  async function staged(files: readonly File[]): Promise<{ ok: true; value: string[] } | { ok: false; error: ErrorPayload } | null> {
    if (files.length === 0) return null;
    const result = await requireCoreApi().stageFiles([...files]);
    return result.ok ? { ok: true, value: result.value.paths } : result;
  }

  async function replaceWith(draft: AmendmentDraftView | null, fileName: string, files: readonly File[]) {
    if (!draft?.draftId) return null;
    const paths = await staged(files);
    if (paths === null || !paths.ok) return paths;
    const path = paths.value[0];
    if (path === undefined) return null;
    return requireCoreApi()['case.amendmentReplace']({ arriveId: draft.case.arriveId, draftId: draft.draftId, fileName, path });
  }

  return {
    arriveId: null,
    draft: { status: 'loading' },
    notice: { status: 'loading' },
    reintroduction: false,
    step: null,
    stepError: null,
    send: { status: 'idle' },
    generation: 0,

    async open(arriveId) {
      const generation = get().generation + 1;
      set({ arriveId, generation, draft: { status: 'loading' }, notice: { status: 'loading' }, reintroduction: false, step: null, stepError: null, send: { status: 'idle' } });
      const api = requireCoreApi();
      const draft = api['case.amendmentDraft']({ arriveId });
      const notice = loadNotice(arriveId, generation);
      const detail = api['case.get']({ arriveId });
      const result = await draft;
      if (current(generation)) set({ draft: result.ok ? { status: 'ready', draft: result.value } : { status: 'error', error: result.error } });
      const c = await detail;
      if (current(generation) && c.ok) set({ reintroduction: c.value.reference?.reintroductionFlag === '1' });
      await notice;
    },

    async refresh() {
      const { arriveId, generation } = get();
      if (arriveId === null) return;
      const result = await requireCoreApi()['case.amendmentDraft']({ arriveId });
      // a send failure above the workbench is history once the 補正 was checked or settled: the list says where it stands
      if (current(generation) && result.ok) set((s) => ({ draft: { status: 'ready', draft: result.value }, send: s.send.status === 'failed' ? { status: 'idle' } : s.send }));
    },

    replace: (fileName, files) => (files.length === 0 ? Promise.resolve() : change({ kind: 'replace', fileName }, (d) => replaceWith(d, fileName, files))),

    async add(files) {
      const file = files[0];
      if (!file) return;
      const fileName = attachmentName(file);
      await change({ kind: 'add', fileName }, (d) => replaceWith(d, fileName, [file]));
    },

    restore: (fileName) =>
      change({ kind: 'restore', fileName }, async (d) => (d?.draftId ? requireCoreApi()['case.amendmentRestore']({ arriveId: d.case.arriveId, draftId: d.draftId, fileName }) : null)),

    async chooseFolder(files) {
      const arriveId = get().arriveId;
      if (files.length === 0 || arriveId === null) return;
      await change({ kind: 'folder', fileName: null }, async () => {
        const paths = await staged(files);
        if (paths === null || !paths.ok) return paths;
        // a folder picked with webkitdirectory is staged as that one folder
        const folder = paths.value[0];
        return folder === undefined ? null : requireCoreApi()['case.amendmentDraft']({ arriveId, folder });
      });
    },

    async startOver() {
      const arriveId = get().arriveId;
      if (arriveId === null) return;
      await change({ kind: 'fresh', fileName: null }, () => requireCoreApi()['case.amendmentDraft']({ arriveId, fresh: true }));
    },

    async sendAmendment() {
      const { generation, draft, send, step } = get();
      // the screen disables the button then too; a 補正 that changes nothing is never sent
      if (draft.status !== 'ready' || sendBlock(draft.draft) !== null || !draft.draft.draftId || send.status === 'sending' || step !== null) return;
      const { arriveId } = draft.draft.case;
      set({ send: { status: 'sending' }, stepError: null });
      const result = await requireCoreApi()['case.amend']({ jobId: `${JOB_PREFIX}${crypto.randomUUID()}`, arriveId, draftId: draft.draft.draftId });
      if (!current(generation)) return;
      if (result.ok) {
        set({ send: { status: 'done', result: result.value } });
        return;
      }
      set({ send: result.error.code === 'CREDENTIAL_CANCELLED' ? { status: 'cancelled' } : { status: 'failed', error: result.error } });
      // the 補正 may be recorded now (refused, unknown …): the list and whether another may be made change
      const again = await requireCoreApi()['case.amendmentDraft']({ arriveId });
      if (current(generation) && again.ok) set({ draft: { status: 'ready', draft: again.value } });
    },

    dismissSend: () => set((s) => (s.send.status === 'sending' ? {} : { send: { status: 'idle' } })),
  };
});

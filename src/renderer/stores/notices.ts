// Renderer. Notices the core sent (the `app.notice` event), until the person dismisses them.
import { create } from 'zustand';
import type { AppNotice } from '../../shared/domain.js';

export interface ShownNotice extends AppNotice {
  id: number;
}

interface NoticeState {
  notices: ShownNotice[];
  add(notice: AppNotice): void;
  dismiss(id: number): void;
}

/** Older notices drop off rather than pile up without bound. */
const MAX_NOTICES = 5;
let nextId = 1;

export const useNoticeStore = create<NoticeState>()((set) => ({
  notices: [],
  add: (notice) => set((s) => ({ notices: [...s.notices, { ...notice, id: nextId++ }].slice(-MAX_NOTICES) })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));

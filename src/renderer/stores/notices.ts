// Renderer. Notices for the person: those the core sent (the `app.notice` event) and those made
// from what the case sync found (shared/case-notices.ts), shown in a corner until dismissed; the
// case notices are also kept, newest first, in the notice centre reachable from the header.
import { create } from 'zustand';
import type { CaseNotice } from '../../shared/case-notices.js';
import type { AppNotice } from '../../shared/domain.js';

export interface ShownNotice extends AppNotice {
  id: number;
  /** a case notice: its title, and the case it opens */
  title?: string;
  titleJa?: string;
  arriveId?: string;
}

export interface CentreEntry extends CaseNotice {
  id: number;
  /** ISO time the renderer heard of it */
  at: string;
  read: boolean;
}

interface NoticeState {
  notices: ShownNotice[];
  centre: CentreEntry[];
  add(notice: AppNotice): void;
  addCase(notice: CaseNotice, at?: Date): void;
  dismiss(id: number): void;
  markAllRead(): void;
  clearCentre(): void;
}

/** Older notices drop off rather than pile up without bound. */
const MAX_NOTICES = 5;
/** the centre keeps this many; a sync that changes thousands of cases does not fill the memory */
const MAX_CENTRE = 200;
let nextId = 1;

export const useNoticeStore = create<NoticeState>()((set) => ({
  notices: [],
  centre: [],
  add: (notice) => set((s) => ({ notices: [...s.notices, { ...notice, id: nextId++ }].slice(-MAX_NOTICES) })),
  addCase: (notice, at = new Date()) =>
    set((s) => {
      const id = nextId++;
      const shown: ShownNotice = {
        id,
        level: notice.level,
        code: `case.${notice.kind}`,
        message: notice.message,
        messageJa: notice.messageJa,
        title: notice.title,
        titleJa: notice.titleJa,
        arriveId: notice.arriveId,
      };
      return {
        notices: [...s.notices, shown].slice(-MAX_NOTICES),
        centre: [{ ...notice, id, at: at.toISOString(), read: false }, ...s.centre].slice(0, MAX_CENTRE),
      };
    }),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  markAllRead: () => set((s) => (s.centre.some((e) => !e.read) ? { centre: s.centre.map((e) => (e.read ? e : { ...e, read: true })) } : s)),
  clearCentre: () => set({ centre: [] }),
}));

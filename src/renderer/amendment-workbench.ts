// Renderer (pure). What the 補正 workbench (screens/AmendScreen.tsx) computes from the core's views:
// a field path of the diff in a form a person reads, the 補正 deadline in days left (JST, as e-Gov
// dates it), what the draft changes (for the confirmation), and whether 「補正申請を送信」 may be
// pressed. No DOM, no React, so node:test checks it directly.
import type { AmendmentDraftView, AmendmentFileView } from '../shared/amendment.js';
import type { CaseSummaryView } from '../shared/case.js';

/** One step of a diff path: an element (with its 1-based index when its name repeats) or an attribute. */
export interface FieldPathStep {
  name: string;
  /** the element's position among siblings of the same name; null when the name does not repeat */
  index: number | null;
  attribute: boolean;
}

/**
 * The steps of a path as the core writes it (src/main/filing/xml-diff.ts): element names from the
 * root joined by `/`, `[n]` after a repeated name, `@name` last for an attribute. Anything the core
 * would not write (an empty step, a bracket that is not a number) is kept as a plain name: the path
 * is still shown, only less tidily.
 */
export function fieldPathSteps(path: string): FieldPathStep[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((step) => {
      if (step.startsWith('@') && step.length > 1) return { name: step.slice(1), index: null, attribute: true };
      const m = /^(.+)\[([1-9][0-9]{0,8})\]$/.exec(step);
      return m ? { name: m[1] ?? step, index: Number(m[2]), attribute: false } : { name: step, index: null, attribute: false };
    });
}

/** Words the readable path is made with, from the messages of the language shown. */
export interface FieldPathWords {
  /** 「氏名（2件目）」 */
  nth: (name: string, n: number) => string;
  /** 「属性 code」 */
  attribute: (name: string) => string;
}

/**
 * A diff path for a person: the field itself (`leaf`) and where it sits (`trail`, the elements
 * above it without the root, which every row of one file shares). `申請書/届出者[2]/氏名` →
 * leaf 「氏名」, trail 「届出者（2件目）」.
 */
export function readableFieldPath(path: string, words: FieldPathWords): { leaf: string; trail: string[] } {
  const steps = fieldPathSteps(path);
  const label = (s: FieldPathStep) => (s.attribute ? words.attribute(s.name) : s.index !== null ? words.nth(s.name, s.index) : s.name);
  if (steps.length === 0) return { leaf: path, trail: [] };
  const leaf = steps[steps.length - 1] as FieldPathStep;
  return { leaf: label(leaf), trail: steps.slice(1, -1).map(label) };
}

const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000;

/** Days from today (in Japan) to a 補正 deadline; how urgent it reads. */
export interface DeadlineView {
  /** the deadline as a date in Japan, for formatting */
  date: Date;
  /** 0 on the day itself, negative once past */
  daysLeft: number;
  /** past, or within URGENT_DAYS: shown in red */
  urgent: boolean;
}

/** A deadline this near (or past) is shown in red: a 補正 needs re-signing and sending in time. */
export const URGENT_DAYS = 3;

/**
 * e-Gov's 補正 deadline (`YYYYMMDD`, a day in Japan) seen from `now`; null when there is none ('')
 * or it is not such a date (then the screen shows e-Gov's text as sent).
 */
export function deadlineOf(deadline: string, now: Date): DeadlineView | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(deadline.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(year, month - 1, day);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  // today's date in Japan, as a UTC midnight, so both sides count whole days alike
  const jstNow = new Date(now.getTime() + JST_OFFSET_MS);
  const today = Date.UTC(jstNow.getUTCFullYear(), jstNow.getUTCMonth(), jstNow.getUTCDate());
  const daysLeft = Math.round((utc - today) / DAY_MS);
  // noon in Japan: the same calendar day whatever zone formats it
  return { date: new Date(utc + 3 * 3_600_000), daysLeft, urgent: daysLeft <= URGENT_DAYS };
}

/** What a draft changes, for the confirmation and the send button's hint. */
export interface DraftChanges {
  /** filed files replaced by another */
  replaced: string[];
  /** attachments that were not filed */
  added: string[];
  /** fields that differ across the replaced XML files (their totals, beyond any cap) */
  fields: number;
}

export function draftChanges(files: readonly AmendmentFileView[]): DraftChanges {
  const changed = files.filter((f) => f.change === 'changed' || f.change === 'removed');
  return {
    replaced: changed.map((f) => f.name),
    added: files.filter((f) => f.change === 'added').map((f) => f.name),
    fields: changed.reduce((n, f) => n + (f.fields?.total ?? 0), 0),
  };
}

/** Why 「補正申請を送信」 cannot be pressed now, or null when it can. */
export type SendBlock = 'no-draft' | 'blocked' | 'unchanged';

export function sendBlock(draft: Pick<AmendmentDraftView, 'draftId' | 'allowed' | 'changed'>): SendBlock | null {
  if (draft.draftId === null) return 'no-draft';
  if (!draft.allowed) return 'blocked';
  if (!draft.changed) return 'unchanged';
  return null;
}

/**
 * The ministry asks for a correction: 状況照会's CorrectStatus says so (anything but なし or
 * nothing), or the case may be filed again (ReintroductionFlag 1). Only then does e-Gov take a
 * 補正; the workbench opens for any case, but the case screen offers it first for these.
 */
export function awaitsAmendment(c: Pick<CaseSummaryView, 'correctStatus'>, reintroductionFlag: string | null): boolean {
  const status = c.correctStatus.trim();
  return (status !== '' && status !== 'なし') || reintroductionFlag === '1';
}

/** The name an added attachment goes by: the file's own, as the core will check it. */
export function attachmentName(file: { name: string }): string {
  return file.name.normalize('NFC');
}

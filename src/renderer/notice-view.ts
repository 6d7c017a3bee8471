// Renderer (pure). How the 公文書 screens read a notice: the badge a verdict gets (only `valid` is ever
// shown as good: a signature that fails, an unknown issuer or no signature at all must never look
// like a checked one), the label of a stage, and how near a 補正 deadline is. No DOM, no React.
import type { LocalVerdict, NoticeKind, NoticeStage, NoticeSummaryView } from '../shared/documents.js';

export type BadgeTone = 'success' | 'danger' | 'warning' | 'neutral';

/** The verdicts in the order the panel explains them; the badge of each, keyed for the messages. */
export const VERDICT_TONES: { readonly [V in LocalVerdict]: BadgeTone } = {
  valid: 'success',
  invalid: 'danger',
  untrusted: 'warning',
  unsigned: 'neutral',
  unverifiable: 'warning',
};

export interface VerdictBadge {
  /** key of messages.inbox.verdict; 'unchecked' before Todoke verified the document */
  key: LocalVerdict | 'unchecked';
  tone: BadgeTone;
}

export function verdictBadge(verdict: LocalVerdict | null): VerdictBadge {
  if (verdict === null) return { key: 'unchecked', tone: 'neutral' };
  // a verdict a newer core invents is not known to be good: shown as not checkable, never as valid
  const tone = Object.hasOwn(VERDICT_TONES, verdict) ? VERDICT_TONES[verdict] : 'warning';
  return { key: Object.hasOwn(VERDICT_TONES, verdict) ? verdict : 'unverifiable', tone };
}

/** No stage is green: 取得完了 next to a failed signature must not read as a good document. */
export const STAGE_TONES: { readonly [S in NoticeStage]: BadgeTone } = {
  listed: 'neutral',
  kept: 'neutral',
  done: 'neutral',
  refused: 'danger',
};

export const NOTICE_KINDS: readonly NoticeKind[] = ['document', 'comment', 'amend'];

/**
 * Where a 補正 deadline stands, judged by the calendar in Japan (e-Gov's dates are JST days):
 * `overdue` once the day has passed, `soon` from three days before it to the day itself.
 * `days` counts whole days from today to the deadline (negative when past).
 */
export type DeadlineState = { kind: 'none' } | { kind: 'done'; date: Date } | { kind: 'overdue' | 'soon' | 'later'; days: number; date: Date };

/** How many days before the deadline it turns red. */
export const DEADLINE_WARNING_DAYS = 3;
const DAY_MS = 86_400_000;
const JST_MS = 9 * 3600_000;

/** A JST calendar day YYYYMMDD as the UTC midnight of that day (a day number, not an instant); null when not one. */
export function parseEgovDay(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [year, month, day] = m.slice(1).map(Number) as [number, number, number];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? d : null;
}

export function deadlineState(notice: Pick<NoticeSummaryView, 'kind' | 'deadline' | 'completedDate'>, now: Date): DeadlineState {
  if (notice.kind !== 'amend') return { kind: 'none' };
  const date = parseEgovDay(notice.deadline);
  if (!date) return { kind: 'none' };
  if (notice.completedDate.trim() !== '') return { kind: 'done', date };
  const today = Math.floor((now.getTime() + JST_MS) / DAY_MS);
  const days = Math.round(date.getTime() / DAY_MS) - today;
  return { kind: days < 0 ? 'overdue' : days <= DEADLINE_WARNING_DAYS ? 'soon' : 'later', days, date };
}

/** A count of bytes for a file list: 812 B, 14.2 KB, 3.1 MB (1 KB = 1024 B, as file managers count). */
export function formatBytes(size: number, locale: string): string {
  if (!Number.isFinite(size) || size < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB'] as const;
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${units[unit]}`;
}

/** The PDF files among a notice's kept files, in the order e-Gov listed them. */
export function pdfFiles<T extends { name: string; media: string }>(files: readonly T[]): T[] {
  return files.filter((f) => f.media === 'pdf');
}

/** Base64 (as notice.pdf answers) into bytes; null when it is not base64 (a broken answer is not shown as a PDF). */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> | null {
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return null;
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A PDF starts with `%PDF-`: anything else is offered as a file, never handed to the PDF viewer. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46 && bytes[4] === 0x2d;
}

// Core host (pure). 照合: deciding whether an outbox entry whose answer never came (`unknown`)
// reached e-Gov, from the batches 送信案件一覧 lists for the days of the attempt (REFERENCE §4.4).
// No I/O: the caller asks 送信案件一覧 with reconcileQuery() and hands the answer in (an HTTP 400
// with Code 1, "該当する申請情報が存在しません", is an empty list).
//
// What can be matched (§4.3–4.4): e-Gov does not echo anything of ours but the FileName (which
// every batch may share), so a batch is recognised by its send time, its AllCount and, once its
// applications are listed (after the 形式チェック; none while WorkStatus is 処理待ち), their
// folder names and applicant names. The rule leans one way: when in doubt the answer is
// `ambiguous` (the user decides, nothing is resent), never `not-found` (which allows a resend).
import type { SendQuery, SendSummary } from '../../shared/filing.js';

export interface ReconcileSubject {
  /** epoch ms when the attempt started (recorded before the request left) */
  attemptStartedAt: number;
  applicationCount: number;
  /** one per application folder in the ZIP, e.g. `900A020700013000(3)` */
  folderNames: readonly string[];
  /** 申請者情報/氏名 of each application, in any order */
  applicantNames: readonly string[];
}

export interface ReconcileOptions {
  /** 送信番号 already recorded for other outbox entries: a batch that is theirs is not this one's */
  claimed: ReadonlySet<string>;
  /** now, epoch ms: `not-found` is only said once the window has passed */
  now: number;
  /** how far before the attempt a batch's SendDate may lie (our clock ahead of e-Gov's); default 10 min */
  earlyMs?: number;
  /** how far after the attempt (upload time + our clock behind); default 30 min */
  lateMs?: number;
  /**
   * how long after the attempt started a `not-found` is trusted (e-Gov may still be writing down a
   * request it received when our side died); default 5 min
   */
  settleMs?: number;
}

export type ReconcileDecision =
  | { kind: 'matched'; sendNumber: string }
  | { kind: 'not-found' }
  | { kind: 'ambiguous'; candidates: string[] }
  /** asked too soon for `not-found` to be trusted: ask again at `retryAt` (epoch ms) */
  | { kind: 'too-early'; retryAt: number };

export const DEFAULT_EARLY_MS = 10 * 60 * 1000;
export const DEFAULT_LATE_MS = 30 * 60 * 1000;
export const DEFAULT_SETTLE_MS = 5 * 60 * 1000;

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** `YYYYMMDD` of the JST day `at` falls on. */
export function jstDay(at: number): string {
  return new Date(at + JST_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** epoch ms of a JST `YYYYMMDDhhmmss` (e-Gov's SendDate), or null when it is not one. */
export function parseJstTimestamp(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - JST_OFFSET_MS;
  // reject 20150231… rather than roll it over
  return jstTimestampOf(ms) === text ? ms : null;
}

function jstTimestampOf(ms: number): string {
  return new Date(ms + JST_OFFSET_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * The `;date=` range to ask 送信案件一覧 for: the JST days the send-time window touches. An attempt
 * at 23:59:59 JST spans two days (from = that day, to = the next).
 */
export function reconcileQuery(attemptStartedAt: number, options: Pick<ReconcileOptions, 'earlyMs' | 'lateMs'> = {}): Extract<SendQuery, { from: string }> {
  const earlyMs = options.earlyMs ?? DEFAULT_EARLY_MS;
  const lateMs = options.lateMs ?? DEFAULT_LATE_MS;
  return { from: jstDay(attemptStartedAt - earlyMs), to: jstDay(attemptStartedAt + lateMs) };
}

/** NFKC, no white space of any width (U+3000 included): `窓口 一郎` and `窓口一郎` are one name. */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, '');
}

/** Whether every item of `listed` can be paired with a different item of `ours`. */
function fitsAsMultiset(listed: readonly string[], ours: readonly string[]): boolean {
  const left = new Map<string, number>();
  for (const o of ours) left.set(o, (left.get(o) ?? 0) + 1);
  for (const l of listed) {
    const n = left.get(l) ?? 0;
    if (n === 0) return false;
    left.set(l, n - 1);
  }
  return true;
}

export function reconcile(subject: ReconcileSubject, summaries: readonly SendSummary[], options: ReconcileOptions): ReconcileDecision {
  const earlyMs = options.earlyMs ?? DEFAULT_EARLY_MS;
  const lateMs = options.lateMs ?? DEFAULT_LATE_MS;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const from = subject.attemptStartedAt - earlyMs;
  const to = subject.attemptStartedAt + lateMs;

  const exact: string[] = [];
  const loose: string[] = [];
  const seen = new Set<string>();
  for (const s of summaries) {
    if (seen.has(s.sendNumber)) continue; // the same batch listed twice (overlapping pages)
    seen.add(s.sendNumber);
    if (options.claimed.has(s.sendNumber)) continue;
    const sentAt = parseJstTimestamp(s.sendDate);
    // a SendDate that cannot be read cannot be ruled out by time
    if (sentAt !== null && (sentAt < from || sentAt > to)) continue;
    if (s.allCount !== subject.applicationCount) continue;
    if (s.applications.length === 0) {
      // 処理待ち (or nothing arrived): only the count and the time can say it is ours
      exact.push(s.sendNumber);
      continue;
    }
    // the listed applications are those that arrived: a subset of what we sent
    if (!fitsAsMultiset(s.applications.map((a) => a.procedureFolderName), subject.folderNames)) continue;
    const names = subject.applicantNames.map(normalizeName);
    if (fitsAsMultiset(s.applications.map((a) => normalizeName(a.applicantName)), names)) exact.push(s.sendNumber);
    // folders fit, names do not (a spelling e-Gov changed?): never a reason to resend
    else loose.push(s.sendNumber);
  }

  if (exact.length === 1 && loose.length === 0) return { kind: 'matched', sendNumber: exact[0]! };
  if (exact.length + loose.length > 0) return { kind: 'ambiguous', candidates: [...exact, ...loose] };
  const settledAt = Math.max(subject.attemptStartedAt + settleMs, 0);
  if (options.now < settledAt) return { kind: 'too-early', retryAt: settledAt };
  return { kind: 'not-found' };
}

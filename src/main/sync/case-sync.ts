// Core host (pure). The decisions of one case sync, without I/O (the cycle that asks e-Gov and
// writes the store is ./sync-cycle.ts): which 送信案件一覧 `;date=` calls cover every tracked case,
// whether an answer looks cut short by e-Gov's record cap, which cases changed, and what each change
// means for the person (case changed, 補正, 公文書, コメント, 納付).
//
// Why 送信案件一覧 and not 状況照会 per case: one `;date=` answer lists every application of the
// batches sent on those days with the counters that move (Status, StatusDate, CorrectStatus,
// CommentCountNotRead, DocCountNotDownload, PayWaitCount …), so a cycle costs one list call per
// range of days plus one 状況照会 per case that changed — not one call per case.
import type { CaseCounterName, CaseCounters, CaseEvent, CaseFieldChange, CaseSyncEvent } from '../../shared/case.js';
import type { ArrivedApplication, SendSummary } from '../../shared/filing.js';

/**
 * Days per `;date=` call. e-Gov's maximum span is UNKNOWN (REFERENCE §4.4: a 10-day span worked,
 * nothing longer was tried), so a longer range of send days is asked in pieces of at most this many
 * days: a refused long span would cost the whole cycle, a few more calls cost little.
 */
export const DEFAULT_MAX_SPAN_DAYS = 10;

/** A `;date=` call: JST days YYYYMMDD, inclusive. */
export interface DayRange {
  from: string;
  to: string;
}

/** The send days of the tracked cases: a day and how many tracked batches were sent on it. */
export interface SendDay {
  day: string;
  sends: number;
}

export interface PlanOptions {
  maxSpanDays?: number;
  /**
   * Batches one answer may hold, once a cap was noticed (see looksCapped); undefined while none
   * was. Ranges are then planned to hold at most this many tracked batches.
   */
  maxSendsPerCall?: number;
}

const DAY_MS = 86_400_000;

/** epoch ms of 00:00 UTC of a YYYYMMDD day (only differences of days are used). */
function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8))) / DAY_MS;
}

function dayOf(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The day `n` days after `day`. */
export function addDays(day: string, n: number): string {
  return dayOf(dayNumber(day) + n);
}

export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

/**
 * The fewest ranges covering every send day, each at most `maxSpanDays` long and, when a cap is
 * known, holding fewer tracked batches than it. Greedy from the oldest day: a range starts at the
 * first day not yet covered and reaches as far as the limits allow (optimal for covering points
 * with intervals of bounded length). Days without sends inside a range cost nothing.
 */
export function planListCalls(days: readonly SendDay[], options: PlanOptions = {}): DayRange[] {
  const span = Math.max(1, Math.floor(options.maxSpanDays ?? DEFAULT_MAX_SPAN_DAYS));
  const cap = options.maxSendsPerCall;
  const sorted = [...days].filter((d) => /^\d{8}$/.test(d.day)).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const ranges: DayRange[] = [];
  let current: { from: string; to: string; sends: number } | null = null;
  for (const d of sorted) {
    if (current && current.to === d.day) {
      current.sends += d.sends;
      continue;
    }
    const fitsSpan = current !== null && daysBetween(current.from, d.day) <= span;
    const fitsCap = current !== null && (cap === undefined || current.sends + d.sends <= cap);
    if (current && fitsSpan && fitsCap) {
      current.to = d.day;
      current.sends += d.sends;
      continue;
    }
    if (current) ranges.push({ from: current.from, to: current.to });
    current = { from: d.day, to: d.day, sends: d.sends };
  }
  if (current) ranges.push({ from: current.from, to: current.to });
  return ranges;
}

/** The two halves of a range of more than one day (to ask again after a capped answer). */
export function splitRange(range: DayRange): [DayRange, DayRange] | null {
  const n = daysBetween(range.from, range.to);
  if (n < 2) return null;
  const mid = addDays(range.from, Math.floor(n / 2) - 1);
  return [
    { from: range.from, to: mid },
    { from: addDays(mid, 1), to: range.to },
  ];
}

/** The JST send day of a 送信番号 (its first 8 digits: e-Gov writes the send time first). */
export function sendDayOf(sendNumber: string): string {
  return sendNumber.slice(0, 8);
}

export type CapVerdict =
  | { capped: false }
  /** `cap`: the number of batches the answer held, the best guess of e-Gov's cap */
  | { capped: true; cap: number; missing: string[] };

/**
 * Whether a `;date=` answer looks cut short. e-Gov caps how many records one answer holds (value
 * UNKNOWN, REFERENCE §4.4) and says nothing when it does, so the sign is indirect: a batch we know
 * was sent in the range is not listed although the answer is not empty. An empty answer is not
 * capped (nothing was cut). An answer merely as large as a cap seen before is not suspect by itself:
 * what it could have cut is only batches Todoke does not track, and asking again for them on every
 * cycle would cost more than finding them later.
 */
export function looksCapped(range: DayRange, sends: readonly SendSummary[], trackedSendNumbers: readonly string[]): CapVerdict {
  if (sends.length === 0) return { capped: false };
  const listed = new Set(sends.map((s) => s.sendNumber));
  const missing = trackedSendNumbers.filter((n) => {
    const day = sendDayOf(n);
    return day >= range.from && day <= range.to && !listed.has(n);
  });
  if (missing.length > 0) return { capped: true, cap: sends.length, missing };
  return { capped: false };
}

// ---------------------------------------------------------------------------------------------
// What changed

export const COUNTER_NAMES: readonly CaseCounterName[] = [
  'status',
  'statusDate',
  'payStatus',
  'payWaitCount',
  'correctStatus',
  'commentCountNotRead',
  'commentCount',
  'docCountNotDownload',
  'docCount',
];

export function countersOf(a: CaseCounters): CaseCounters {
  return {
    status: a.status,
    statusDate: a.statusDate,
    payStatus: a.payStatus,
    payWaitCount: a.payWaitCount,
    correctStatus: a.correctStatus,
    commentCountNotRead: a.commentCountNotRead,
    commentCount: a.commentCount,
    docCountNotDownload: a.docCountNotDownload,
    docCount: a.docCount,
  };
}

/** True when no counter differs: the common case of a cycle, checked without building anything. */
export function sameCounters(a: CaseCounters, b: CaseCounters): boolean {
  return (
    a.status === b.status &&
    a.statusDate === b.statusDate &&
    a.payStatus === b.payStatus &&
    a.payWaitCount === b.payWaitCount &&
    a.correctStatus === b.correctStatus &&
    a.commentCountNotRead === b.commentCountNotRead &&
    a.commentCount === b.commentCount &&
    a.docCountNotDownload === b.docCountNotDownload &&
    a.docCount === b.docCount
  );
}

/** The fields that differ (every field, with `before` null, for a case not known before). */
export function counterChanges(before: CaseCounters | null, after: CaseCounters): CaseFieldChange[] {
  const changes: CaseFieldChange[] = [];
  for (const field of COUNTER_NAMES) {
    const b = before === null ? null : before[field];
    if (b !== after[field]) changes.push({ field, before: b, after: after[field] } as CaseFieldChange);
  }
  return changes;
}

/** What the sync knows of a case before it compares (the store's row). */
export interface StoredCase {
  sendNumber: string;
  counters: CaseCounters;
  /** a 状況照会 owed from an earlier cycle (it failed) */
  needsReference: boolean;
}

export interface ListedCase {
  sendNumber: string;
  application: ArrivedApplication;
}

export interface CaseDiff {
  arriveId: string;
  sendNumber: string;
  application: ArrivedApplication;
  /** null: not known before */
  before: CaseCounters | null;
  changes: CaseFieldChange[];
}

export interface SyncDecision {
  /** listed cases whose counters differ from the store, or that the store did not hold */
  changed: CaseDiff[];
  /** 到達番号 to ask 状況照会 for: the changed ones, then those owed from earlier cycles */
  toReference: string[];
  /** how many listed cases were the same as stored */
  unchanged: number;
  /** how many different cases the lists showed */
  listed: number;
  /**
   * listed under another 送信番号 than the one stored: e-Gov's numbers are unique, so one side is
   * wrong; such a case is left as stored and reported, never overwritten
   */
  conflicts: { arriveId: string; listedSendNumber: string; storedSendNumber: string }[];
}

/**
 * Compares what the lists said with the store. A case listed twice (overlapping answers) counts
 * once, the later answer winning. A case owed a 状況照会 is asked whether or not it was listed.
 */
export function decideChanges(stored: ReadonlyMap<string, StoredCase>, listed: readonly ListedCase[]): SyncDecision {
  const latest = new Map<string, ListedCase>();
  for (const l of listed) latest.set(l.application.arriveId, l);
  const changed: CaseDiff[] = [];
  const conflicts: SyncDecision['conflicts'] = [];
  let unchanged = 0;
  for (const [arriveId, l] of latest) {
    const s = stored.get(arriveId);
    if (s && s.sendNumber !== l.sendNumber) {
      conflicts.push({ arriveId, listedSendNumber: l.sendNumber, storedSendNumber: s.sendNumber });
      continue;
    }
    const before = s ? s.counters : null;
    if (before && sameCounters(before, l.application)) {
      unchanged++;
      continue;
    }
    const after = countersOf(l.application);
    const changes = counterChanges(before, after);
    if (changes.length === 0) unchanged++;
    else changed.push({ arriveId, sendNumber: l.sendNumber, application: l.application, before, changes });
  }
  const toReference = changed.map((c) => c.arriveId);
  const asked = new Set(toReference);
  for (const [arriveId, s] of stored) {
    if (s.needsReference && !asked.has(arriveId)) {
      toReference.push(arriveId);
      asked.add(arriveId);
    }
  }
  return { changed, toReference, unchanged, listed: latest.size, conflicts };
}

/** Events of the history that are not stored yet (by SubID), oldest first. */
export function newHistoryEvents(storedSubIds: ReadonlySet<number>, history: readonly CaseEvent[]): CaseEvent[] {
  return history.filter((e) => !storedSubIds.has(e.subId));
}

/** CorrectStatus when no 補正 is pending (§4.4: あり / なし; '' seen for none as well). */
const NO_CORRECTION = new Set(['なし', '']);

/**
 * The events for one case: `case.changed` when anything changed (or 状況照会 found new history),
 * then 補正 / 公文書 / コメント / 納付 when their counters say so. A case new to Todoke is compared
 * with an empty one (no 補正, no documents…), so a case found with a pending 補正 is reported.
 */
export function caseEvents(input: {
  arriveId: string;
  before: CaseCounters | null;
  after: CaseCounters;
  newHistory: readonly CaseEvent[];
  referenced: boolean;
}): CaseSyncEvent[] {
  const { arriveId, before, after } = input;
  const changes = counterChanges(before, after);
  if (changes.length === 0 && input.newHistory.length === 0) return [];
  const events: CaseSyncEvent[] = [
    { type: 'case.changed', arriveId, isNew: before === null, changes, status: after.status, newHistory: [...input.newHistory], referenced: input.referenced },
  ];
  const correctionBefore = before?.correctStatus ?? null;
  if (!NO_CORRECTION.has(after.correctStatus) && after.correctStatus !== correctionBefore) {
    events.push({ type: 'case.correction', arriveId, correctStatus: after.correctStatus, before: correctionBefore });
  }
  const grew = (now: number, was: number | undefined) => Math.max(0, now - (was ?? 0));
  const docsAdded = Math.max(grew(after.docCount, before?.docCount), grew(after.docCountNotDownload, before?.docCountNotDownload));
  if (docsAdded > 0) events.push({ type: 'case.document', arriveId, docCount: after.docCount, docCountNotDownload: after.docCountNotDownload, added: docsAdded });
  const commentsAdded = Math.max(grew(after.commentCount, before?.commentCount), grew(after.commentCountNotRead, before?.commentCountNotRead));
  if (commentsAdded > 0) {
    events.push({ type: 'case.comment', arriveId, commentCount: after.commentCount, commentCountNotRead: after.commentCountNotRead, added: commentsAdded });
  }
  if (after.payWaitCount > (before?.payWaitCount ?? 0)) {
    events.push({ type: 'case.payment-due', arriveId, payWaitCount: after.payWaitCount, payStatus: after.payStatus, before: before?.payWaitCount ?? null });
  }
  return events;
}

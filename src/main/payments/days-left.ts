// Main process (core). How far a 納付期限 is, counted in whole JST days: e-Gov's deadlines are JST
// calendar days (YYYYMMDD), so "today" is the JST date of `now`, whatever the machine's time zone.
import type { PaymentDueView } from '../../shared/payment.js';

/** Due within this many days (or past): the dashboard makes it stand out. */
export const URGENT_DAYS = 3;

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The JST calendar day of an instant, as days since 1970-01-01. */
function jstDayNumber(now: Date): number {
  return Math.floor((now.getTime() + JST_OFFSET_MS) / DAY_MS);
}

/** YYYYMMDD as days since 1970-01-01, or null when it is not a real calendar day. */
function dayNumber(yyyymmdd: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  // Date.UTC rolls 20250230 over to March: a day that does not exist is unreadable, not "fixed"
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t / DAY_MS;
}

/** Whole days from today (JST) to the deadline: 0 = today, negative = past; null when the date cannot be read. */
export function daysLeft(deadline: string, now: Date): number | null {
  const day = dayNumber(deadline);
  if (day === null || Number.isNaN(now.getTime())) return null;
  return day - jstDayNumber(now);
}

/** Due within URGENT_DAYS, past included. An unreadable deadline is not urgent (it is shown as it came). */
export function isUrgent(left: number | null): boolean {
  return left !== null && left <= URGENT_DAYS;
}

/** The JST date of an instant as YYYYMMDD (the bank list is kept for this day). */
export function jstDate(now: Date): string {
  return new Date(now.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** The due list with each 納付's days left, and how many stand out. */
export function dueView<T extends Omit<PaymentDueView, 'daysLeft'>>(unpaid: readonly T[], now: Date): { payments: (T & { daysLeft: number | null })[]; urgent: number } {
  const payments = unpaid.map((p) => ({ ...p, daysLeft: daysLeft(p.deadline, now) }));
  return { payments, urgent: payments.filter((p) => isUrgent(p.daysLeft)).length };
}

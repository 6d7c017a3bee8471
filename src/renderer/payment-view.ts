// Renderer (pure). How the 電子納付 screens read a 納付 (payment) as e-Gov sent it: the amount in yen
// with separators, how near its 納付期限 is (judged by the calendar in Japan, as e-Gov's dates are JST
// days), the badge its PayStatus gets, and whether it can be handed to a bank. Nothing is "fixed":
// an amount or a deadline that cannot be read is shown exactly as it came, and a PayStatus Todoke
// does not know is never mapped onto one it does. No DOM, no React.
import { isKnownPayStatus, type Payment } from '../shared/payment.js';
import type { Messages } from './messages/index.js';
import { parseEgovDay } from './notice-view.js';

/** A 納付 due within this many days (or past) stands out, in colour and in words. */
export const URGENT_DAYS = 3;

/** 20 digits is far beyond any fee (10^19 yen); a longer "amount" is not one and is shown as sent. */
const MAX_AMOUNT_DIGITS = 20;
const DAY_MS = 86_400_000;
const JST_MS = 9 * 3600_000;

/** The amount as digits with the language's separators and a yen sign (¥12,000); null when `text` is not digits. */
export function formatYen(text: string, locale: string): string | null {
  if (!/^\d+$/.test(text) || text.length > MAX_AMOUNT_DIGITS) return null;
  // BigInt: an amount past 2^53 keeps every digit (a Number would round it)
  return `¥${BigInt(text).toLocaleString(locale)}`;
}

/**
 * Where a 納付期限 stands seen from today in Japan: `days` whole days from today to the deadline
 * (0 = today, negative = past). `unreadable` when the deadline is not a JST day (shown as sent).
 */
export type DueState = { kind: 'unreadable' } | { kind: 'past' | 'today' | 'soon' | 'later'; days: number };

/** From whole days left (as payment.upcoming computes them, or daysUntil below); null/NaN/fractions are unreadable. */
export function dueStateOf(days: number | null): DueState {
  if (days === null || !Number.isSafeInteger(days)) return { kind: 'unreadable' };
  if (days < 0) return { kind: 'past', days };
  if (days === 0) return { kind: 'today', days };
  return { kind: days <= URGENT_DAYS ? 'soon' : 'later', days };
}

/** Whole days from today (JST) to the JST day `deadline` (YYYYMMDD); null when it is not one. */
export function daysUntil(deadline: string, now: Date): number | null {
  const date = parseEgovDay(deadline);
  if (!date || Number.isNaN(now.getTime())) return null;
  const today = Math.floor((now.getTime() + JST_MS) / DAY_MS);
  return Math.round(date.getTime() / DAY_MS) - today;
}

/** Due within URGENT_DAYS, today, or past: what stands out. */
export function isUrgent(state: DueState): boolean {
  return state.kind === 'past' || state.kind === 'today' || state.kind === 'soon';
}

/** 「あと 2 日」「今日まで」「期限切れ」; '' when the deadline cannot be read (the date is then shown as sent). */
export function daysLeftText(state: DueState, m: Messages): string {
  const p = m.payments;
  switch (state.kind) {
    case 'unreadable':
      return '';
    case 'past':
      return p.overdue;
    case 'today':
      return p.dueToday;
    default:
      return p.daysLeft(state.days);
  }
}

/** The 納付期限 as the language writes a date (2026年12月3日); the text as sent when it is not a JST day. */
export function formatDeadline(deadline: string, m: Messages): string {
  const date = parseEgovDay(deadline);
  if (!date) return deadline;
  return new Intl.DateTimeFormat(m.dates.locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(date);
}

export type PayStatusTone = 'warning' | 'success' | 'danger' | 'neutral';

/** The badge of a PayStatus: the three Todoke knows styled, any other one neutral and marked unknown. */
export function payStatusBadge(status: string): { tone: PayStatusTone; known: boolean } {
  if (!isKnownPayStatus(status)) return { tone: 'neutral', known: false };
  return { tone: status === '納付済' ? 'success' : status === '納付期限切れ' ? 'danger' : 'warning', known: true };
}

/**
 * Whether 「銀行で支払う」 is offered: only for a 未納 one whose 納付番号 is the 16 digits
 * 電子納付金融機関サイト表示 takes (anything else e-Gov would refuse; the numbers stay shown for an ATM).
 */
export function canHandOff(payment: Pick<Payment, 'status' | 'payNumber'>): boolean {
  return payment.status === '未納' && /^\d{16}$/.test(payment.payNumber);
}

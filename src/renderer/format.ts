// Renderer. Dates and numbers the way the chosen language writes them. Certificate times are
// shown in Japan time whatever the computer's zone: e-Gov and the filer both think in JST.
import type { Messages } from './messages/index.js';

const TIME_ZONE = 'Asia/Tokyo';

export function formatDateTime(iso: string, m: Messages): string {
  return new Intl.DateTimeFormat(m.dates.locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: TIME_ZONE,
  }).format(new Date(iso));
}

/** 和暦 (平成26年11月28日), which many filers and forms still use; null where it does not apply. */
export function formatJapaneseEraDate(iso: string, m: Messages): string | null {
  if (!m.dates.japaneseEra) return null;
  return new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: TIME_ZONE }).format(new Date(iso));
}

/**
 * e-Gov's timestamps are `YYYYMMDDhhmmss` in Japan time with no zone (REFERENCE §2.7). The
 * instant they name, or null when the text is not such a timestamp (shown as e-Gov sent it then).
 */
export function parseEgovTimestamp(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour - 9, minute, second);
  const back = new Date(utc + 9 * 3600_000);
  const same =
    back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day && back.getUTCHours() === hour && back.getUTCMinutes() === minute;
  return same && second < 60 ? new Date(utc) : null;
}

/** e-Gov's date as a person reads it; an ISO 8601 text is accepted too, anything else is shown as is. */
export function formatEgovDate(text: string, m: Messages): string {
  const parsed = parseEgovTimestamp(text) ?? (Number.isNaN(Date.parse(text)) ? null : new Date(text));
  return parsed ? formatDateTime(parsed.toISOString(), m) + m.dates.zoneNote : text;
}

/** "3 分前", "2 時間前", "昨日", "たった今" — how long ago `iso` was, seen from `now`. */
export function formatAge(iso: string, now: Date, m: Messages): string {
  const seconds = Math.round((Date.parse(iso) - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(m.dates.locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  // A time ahead of this clock (the core's clock runs a little ahead) is "just now" too.
  if (abs < 60 || seconds > 0) return m.identity.justNow;
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

/** e-Gov's timestamp compactly, for a table cell (2026/11/30 09:15, Japan time); anything else as sent. */
export function formatEgovShort(text: string, m: Messages): string {
  const parsed = parseEgovTimestamp(text);
  if (!parsed) return text;
  return new Intl.DateTimeFormat(m.dates.locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: TIME_ZONE,
  }).format(parsed);
}

/** e-Gov's timestamp as a date and time without the zone note (2026年11月30日 10:05), for lists; anything else as sent. */
export function formatEgovMinute(text: string, m: Messages): string {
  const parsed = parseEgovTimestamp(text);
  return parsed ? formatDateTime(parsed.toISOString(), m) : text;
}

/** A JST calendar day (e-Gov's YYYYMMDD, already read as its UTC midnight) as the language writes a date. */
export function formatDay(day: Date, m: Messages): string {
  return new Intl.DateTimeFormat(m.dates.locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(day);
}

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

export type ValidityStatus = 'valid' | 'expired' | 'notYetValid';

export function validityStatus(notBefore: string, notAfter: string, now: Date): ValidityStatus {
  if (now.getTime() < Date.parse(notBefore)) return 'notYetValid';
  if (now.getTime() > Date.parse(notAfter)) return 'expired';
  return 'valid';
}

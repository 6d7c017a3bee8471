// Renderer (pure). A file size the way the chosen language writes numbers: bytes below 1 KB, then
// KB and MB with one decimal (the sizes the 補正 workbench compares: a form of a few KB, a PDF of MB).
import type { Messages } from './messages/index.js';

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

export function formatBytes(bytes: number, m: Pick<Messages, 'dates'>): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(m.dates.locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${UNITS[unit]}`;
}

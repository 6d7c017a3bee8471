// Runs in every process. e-Gov writes times in JST without a zone designator (REFERENCE §2.7).

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** `YYYYMMDDhhmmss` in JST, as e-Gov's timestamps and its sample Signature Ids. */
export function jstTimestamp(date: Date): string {
  return new Date(date.getTime() + JST_OFFSET_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

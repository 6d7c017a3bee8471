// Main process. e-Gov's timestamps: `YYYYMMDDhhmmss` in JST with no zone designator (REFERENCE §2.7).
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** The instant a JST `YYYYMMDDhhmmss` names, or undefined when it is not a real date and time. */
export function parseJstTimestamp(text: string): Date | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  // Date.UTC rolls 20150231 over into March; a round trip catches every impossible field
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  return new Date(utc - JST_OFFSET_MS);
}

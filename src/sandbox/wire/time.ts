// Sandbox (Node). The two time formats on e-Gov's wire: JST `YYYYMMDDhhmmss` in bodies
// (REFERENCE §2.7) and the RFC 1123 GMT `Date` header. Kept here, not shared with the client, so
// that the sandbox's output is checked against the recordings rather than against the client.

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

export function jstTimestamp(at: Date): string {
  const t = new Date(at.getTime() + JST_OFFSET_MS);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    pad(t.getUTCFullYear(), 4) +
    pad(t.getUTCMonth() + 1) +
    pad(t.getUTCDate()) +
    pad(t.getUTCHours()) +
    pad(t.getUTCMinutes()) +
    pad(t.getUTCSeconds())
  );
}

/** `Tue, 28 Apr 2015 02:45:08 GMT` */
export function httpDate(at: Date): string {
  return at.toUTCString();
}

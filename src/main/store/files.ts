// Core host. The names the store owns inside a profile folder (the database, its WAL and shared
// memory, request bytes kept beside it). Forgetting a 利用者ID removes the profile's identity files
// and must leave these: the outbox is the only record of what was sent, and a batch whose delivery
// is unknown must still be reconciled after the ID is set up again.
export const STORE_ENTRIES: ReadonlySet<string> = new Set(['todoke.sqlite', 'todoke.sqlite-wal', 'todoke.sqlite-shm', 'todoke.sqlite-journal', 'outbox']);

export function isStoreEntry(name: string): boolean {
  return STORE_ENTRIES.has(name);
}

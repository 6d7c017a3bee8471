// Main process (core). The profile's database as the app's use cases share it: opened once, at the
// first need (a profile that is never set up gets no database file), by whichever of filing and
// cases comes first; one Store, one connection, closed by the app when both are done.
import { openStore, type Store } from '../store/db.js';

export interface ProfileDatabase {
  /** The profile's Store, opened at the first call; throws once closed. */
  get(): Store;
  close(): void;
}

export function profileDatabase(home: string, profileName: string): ProfileDatabase {
  let store: Store | null = null;
  let closed = false;
  return {
    get() {
      if (closed) throw new Error('the profile database is closed');
      store ??= openStore(home, profileName);
      return store;
    },
    close() {
      closed = true;
      store?.close();
      store = null;
    },
  };
}

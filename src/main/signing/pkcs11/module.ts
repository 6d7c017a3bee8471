// Main process. One loaded PKCS#11 library per file per process: C_Initialize once (a second call
// answers CKR_CRYPTOKI_ALREADY_INITIALIZED), C_Finalize when the last user lets go. Users hold a
// lease. Logins are per application and token in PKCS#11, so the lease also counts who relies on
// a token's login, and only the last one logs out.
import { realpathSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import type { PKCS11 } from 'pkcs11js';
import { ckrName, mapPkcs11Error } from './errors.js';
import { watchedLibrary } from './native-watch.js';

export interface ModuleLease {
  readonly p11: PKCS11;
  /** the path as the caller gave it (for messages) */
  readonly modulePath: string;
  /** record that this lease relies on the user being logged in to `slotId` */
  holdLogin(slotId: string): void;
  /** give up a login hold; true when nobody else holds it (the caller should C_Logout) */
  dropLogin(slotId: string): boolean;
  /** idempotent */
  release(): void;
}

interface LoadedModule {
  p11: PKCS11;
  users: number;
  /** false when someone else in this process initialized the library: then they finalize it */
  ownsInitialization: boolean;
  logins: Map<string, number>;
}

const loaded = new Map<string, LoadedModule>();

export function acquireModule(modulePath: string): ModuleLease {
  let realPath: string;
  try {
    // one entry per file: /usr/lib/softhsm/libsofthsm2.so is a symlink, and dlopen would hand
    // both names the same already-initialized library
    realPath = realpathSync(modulePath);
  } catch (cause) {
    throw mapPkcs11Error(cause, { operation: 'load', modulePath });
  }
  let module = loaded.get(realPath);
  if (!module) {
    module = load(realPath, modulePath);
    loaded.set(realPath, module);
  }
  module.users += 1;
  const m = module;
  let released = false;
  return {
    p11: m.p11,
    modulePath,
    holdLogin(slotId) {
      m.logins.set(slotId, (m.logins.get(slotId) ?? 0) + 1);
    },
    dropLogin(slotId) {
      const left = (m.logins.get(slotId) ?? 1) - 1;
      if (left > 0) {
        m.logins.set(slotId, left);
        return false;
      }
      m.logins.delete(slotId);
      return true;
    },
    release() {
      if (released) return;
      released = true;
      m.users -= 1;
      if (m.users > 0) return;
      loaded.delete(realPath);
      if (m.ownsInitialization) {
        try {
          m.p11.C_Finalize();
        } catch {
          // finalizing a library whose token vanished can fail; nothing is left to release
        }
      }
      try {
        m.p11.close();
      } catch {
        // as above
      }
    },
  };
}

/** How many PKCS#11 libraries this process holds open (for tests: leases must all be released). */
export function loadedModuleCount(): number {
  return loaded.size;
}

function load(realPath: string, modulePath: string): LoadedModule {
  const p11 = watchedLibrary(new pkcs11js.PKCS11());
  try {
    p11.load(realPath);
  } catch (cause) {
    throw mapPkcs11Error(cause, { operation: 'load', modulePath });
  }
  let ownsInitialization = true;
  try {
    initialize(p11);
  } catch (cause) {
    if (ckrName(cause) === 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      ownsInitialization = false;
    } else {
      try {
        p11.close();
      } catch {
        // the load error below is the one worth reporting
      }
      throw mapPkcs11Error(cause, { operation: 'initialize', modulePath });
    }
  }
  return { p11, users: 0, ownsInitialization, logins: new Map() };
}

function initialize(p11: PKCS11): void {
  // Signing runs on libuv's thread pool (C_SignAsync), so ask the library to lock for itself;
  // a library that cannot answers CKR_CANT_LOCK and is initialized plainly.
  try {
    p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (e) {
    if (ckrName(e) !== 'CKR_CANT_LOCK') throw e;
    p11.C_Initialize();
  }
}

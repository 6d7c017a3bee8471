// Main process (core host). Tells whoever watches when this process is inside a vendor's PKCS#11
// library. A driver that crashes takes the whole process with it; the host that sees the process
// die can then say "the IC card driver crashed" instead of a generic failure, because it was told
// beforehand that a native call had begun. Each call into a function other than the one last
// reported is reported; the move back to "none" waits a tick, so a run of calls to one function
// costs one message, not two per call.
import type { PKCS11 } from 'pkcs11js';

export type NativeObserver = (active: boolean, what: string) => void;

let observer: NativeObserver | null = null;
let depth = 0;
/** the call last reported as under way, or null when "none" was reported (or nothing yet) */
let reported: string | null = null;
let settleScheduled = false;

/** One observer per process (the core host's channel); null stops reporting. */
export function observeNativeCalls(next: NativeObserver | null): void {
  observer = next;
  reported = null;
}

function enter(what: string): void {
  depth += 1;
  // a new function name is reported too, so a crash is put down to the call that was running
  if (observer && reported !== what) {
    reported = what;
    observer(true, what);
  }
}

function leave(what: string): void {
  depth = Math.max(0, depth - 1);
  if (depth > 0 || reported === null || settleScheduled) return;
  settleScheduled = true;
  setImmediate(() => {
    settleScheduled = false;
    if (depth === 0 && reported !== null && observer) {
      reported = null;
      observer(false, what);
    }
  });
}

/** Runs `call` bracketed as a native call; a promise it returns keeps the bracket open until it settles. */
export function nativeCall<T>(what: string, call: () => T): T {
  enter(what);
  let result: T;
  try {
    result = call();
  } catch (e) {
    leave(what);
    throw e;
  }
  if (result instanceof Promise) {
    return result.finally(() => leave(what)) as T;
  }
  leave(what);
  return result;
}

/**
 * The library object with every `C_*` function, `load` and `close` bracketed. One wrapper where the
 * library is loaded, rather than a bracket at each of the thirty places that call into it.
 */
export function watchedLibrary(p11: PKCS11): PKCS11 {
  return new Proxy(p11, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string' || !(name.startsWith('C_') || name === 'load' || name === 'close')) return value;
      const fn = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => nativeCall(`PKCS#11 ${name}`, () => fn.apply(target, args));
    },
  });
}

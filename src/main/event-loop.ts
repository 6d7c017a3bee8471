// Main process (core host). Long loops (checking, hashing and signing a thousand applications) hand
// the event loop back between items, so every other operation of the core — the window's next
// call, a PIN answer, a sync tick — is served meanwhile. `await` of a settled promise is not enough:
// it only runs other microtasks; IPC messages and timers wait for a macrotask turn.
export function giveWay(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

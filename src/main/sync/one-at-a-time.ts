// Core host. Calls to one e-Gov API made one after another (issue #9: "one request in flight per
// endpoint"): the poller's cycle and a person's 今すぐ確認 share the wrapped function, so a click
// during a cycle waits for the cycle's call in flight instead of doubling the load on e-Gov.
// A failed call does not block the next one.
export function oneAtATime<A extends unknown[], R>(call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let tail: Promise<unknown> = Promise.resolve();
  return (...args) => {
    const run = tail.then(() => call(...args));
    tail = run.catch(() => undefined);
    return run;
  };
}

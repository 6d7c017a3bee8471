// Test support (Node). Calling an in-process core the way the UI does (dispatch, an envelope back) and
// waiting for what it does by itself, for the app integration tests.
import assert from 'node:assert/strict';
import type { App } from '../../src/main/app/create-app.js';
import type { Envelope } from '../../src/shared/contract.js';

export interface FailedCall {
  code: string;
  messageJa: string;
  detail?: Record<string, unknown>;
}

/** The operation's value; the test fails naming the error when it did not succeed. */
export async function dispatchOk<T>(app: App, name: string, args: unknown = {}): Promise<T> {
  const result = (await app.dispatch(name, args)) as Envelope<T>;
  if (!result.ok) assert.fail(`${name} failed: ${result.error.code} ${result.error.messageJa}`);
  return result.value;
}

/** The operation's error; the test fails when it succeeded. */
export async function dispatchFails(app: App, name: string, args: unknown = {}): Promise<FailedCall> {
  const result = await app.dispatch(name, args);
  assert.equal(result.ok, false, `${name} ${JSON.stringify(args).slice(0, 120)} should fail`);
  return (result as { ok: false; error: FailedCall }).error;
}

/** The first truthy answer of `find`, asked every 20 ms; the test fails after `tries` asks. */
export async function until<T>(find: () => T | undefined | false | Promise<T | undefined | false>, tries = 750): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const hit = await find();
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail('waited too long');
}

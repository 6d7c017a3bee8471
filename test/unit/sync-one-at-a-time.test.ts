// Unit: oneAtATime (src/main/sync/one-at-a-time.ts) — calls through it never overlap, keep their
// order and their own results, and a failure neither blocks nor poisons the calls after it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneAtATime } from '../../src/main/sync/one-at-a-time.js';

void describe('oneAtATime', () => {
  void it('never two calls in flight; each gets its own result, in order; a failure is its own', async () => {
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const call = oneAtATime(async (id: string, fail: boolean) => {
      inFlight++;
      most = Math.max(most, inFlight);
      order.push(`start ${id}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`end ${id}`);
      inFlight--;
      if (fail) throw new Error(`failed ${id}`);
      return id.toUpperCase();
    });
    const results = await Promise.allSettled([call('a', false), call('b', true), call('c', false)]);
    assert.equal(most, 1);
    assert.deepEqual(order, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      ['A', 'failed b', 'C'],
    );
    assert.equal(await call('d', false), 'D', 'usable after a failure');
  });

  void it('a call that throws at once (not a rejected promise) is still its own failure', async () => {
    const call = oneAtATime((x: number): Promise<number> => {
      if (x < 0) throw new Error('negative');
      return Promise.resolve(x * 2);
    });
    await assert.rejects(call(-1), /negative/);
    assert.equal(await call(2), 4);
  });
});

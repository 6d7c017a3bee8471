// Unit: the outbox state machine (src/main/sync/outbox-states.ts). The table below is written out
// again here, on purpose: a change to the machine must change this test too. Every (state, event)
// pair is tried: the legal ones give their state, every other one throws the typed error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OUTBOX_STATES,
  OutboxTransitionError,
  TRANSITIONS,
  canTransition,
  nextState,
  type OutboxEvent,
  type OutboxState,
} from '../../src/main/sync/outbox-states.js';

const LEGAL: [OutboxState, OutboxEvent, OutboxState][] = [
  ['ready', 'attempt', 'sending'],
  ['ready-for-resend', 'attempt', 'sending'],
  ['sending', 'accepted', 'sent'],
  ['sending', 'refused', 'failed'],
  ['sending', 'not-delivered', 'ready'],
  ['sending', 'delivery-unknown', 'unknown'],
  ['unknown', 'reconciled-matched', 'sent'],
  ['unknown', 'reconciled-not-found', 'ready-for-resend'],
  ['unknown', 'reconciled-ambiguous', 'ambiguous'],
  ['ambiguous', 'reconciled-matched', 'sent'],
  ['ambiguous', 'reconciled-ambiguous', 'ambiguous'],
  ['ambiguous', 'user-chose-send', 'sent'],
  ['ambiguous', 'user-confirmed-resend', 'ready-for-resend'],
  ['sent', 'processing', 'following'],
  ['following', 'processing', 'following'],
  ['sent', 'completed', 'done'],
  ['following', 'completed', 'done'],
  ['sending', 'withdrawal-arrived', 'done'],
  ['unknown', 'reconciled-withdrawal-arrived', 'done'],
  ['ambiguous', 'reconciled-withdrawal-arrived', 'done'],
  ['sending', 'amendment-arrived', 'done'],
  ['unknown', 'reconciled-amendment-arrived', 'done'],
  ['ambiguous', 'reconciled-amendment-arrived', 'done'],
  ['ready', 'replaced', 'failed'],
  ['ready-for-resend', 'replaced', 'failed'],
];

const EVENTS = Object.keys(TRANSITIONS) as OutboxEvent[];

void describe('outbox state machine', () => {
  void it('allows exactly the transitions of the table', () => {
    let legal = 0;
    for (const from of OUTBOX_STATES) {
      for (const event of EVENTS) {
        const expected = LEGAL.find(([f, e]) => f === from && e === event)?.[2];
        if (expected) {
          legal += 1;
          assert.equal(nextState(from, event), expected, `${from} --${event}-->`);
          assert.equal(canTransition(from, event), true);
        } else {
          assert.equal(canTransition(from, event), false, `${from} --${event}--> must be illegal`);
          assert.throws(
            () => nextState(from, event, 'entry-1'),
            (e: unknown) =>
              e instanceof OutboxTransitionError &&
              e.code === 'OUTBOX_ILLEGAL_TRANSITION' &&
              e.from === from &&
              e.event === event &&
              e.detail?.entryId === 'entry-1',
            `${from} --${event}--> must throw`,
          );
        }
      }
    }
    assert.equal(legal, LEGAL.length);
  });

  void it('never lets an entry that may have reached e-Gov become sendable without a reconciliation or the user', () => {
    // the only ways into ready / ready-for-resend
    const intoSendable = LEGAL.filter(([, , to]) => to === 'ready' || to === 'ready-for-resend').map(([f, e]) => `${f}:${e}`);
    assert.deepEqual(intoSendable.sort(), ['ambiguous:user-confirmed-resend', 'sending:not-delivered', 'unknown:reconciled-not-found']);
    // a crash recovery (delivery-unknown) from sending leads to unknown only
    assert.equal(nextState('sending', 'delivery-unknown'), 'unknown');
    // an ambiguous entry is never resent by a reconciliation
    assert.equal(canTransition('ambiguous', 'reconciled-not-found'), false);
  });

  void it('done and failed are final', () => {
    for (const event of EVENTS) {
      assert.equal(canTransition('done', event), false);
      assert.equal(canTransition('failed', event), false);
    }
  });
});

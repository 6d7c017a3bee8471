// Unit: a hand-off window as the app knows it (src/renderer/hand-off-view.ts), from payment.handOff's
// answer and the host's payment.window events in any order and repeated: the origin of the latest
// event, closed and expired for good, the refused things in the order they happened, each once,
// at most MAX_BLOCKS of them, and whatever the bank's side sent cleaned before it is shown; the
// countdown's mm:ss and its phases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyHandOff,
  applyWindowEvent,
  blockText,
  countdownPhase,
  displayTarget,
  ENDING_MS,
  formatCountdown,
  MAX_BLOCKS,
  MAX_TARGET_LENGTH,
  readWindowEvent,
  remainingMs,
  type HandOffWindow,
} from '../../src/renderer/hand-off-view.js';
import { en } from '../../src/renderer/messages/en.js';
import { ja } from '../../src/renderer/messages/ja.js';
import type { PaymentHandOffView, PaymentWindowEvent } from '../../src/shared/payment.js';

const ids = { handOffId: 'h1', arriveId: '2026113000000042', payNumber: '1234567890123456', bankName: 'スタンドイン銀行' };
const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 5, 0, second)).toISOString();
const STARTED = at(0);
const EXPIRES = new Date(Date.parse(STARTED) + 30 * 60_000).toISOString();

const opened: PaymentWindowEvent = { ...ids, at: at(1), state: 'opened', origin: 'https://bank.example', expiresAt: EXPIRES };
const moved: PaymentWindowEvent = { ...ids, at: at(5), state: 'navigated', origin: 'https://login.bank.example' };
const blocked = (second: number, target: string, kind: 'navigation' | 'window' = 'navigation'): PaymentWindowEvent => ({ ...ids, at: at(second), state: 'blocked', kind, target });
const closed: PaymentWindowEvent = { ...ids, at: at(9), state: 'closed' };
const expired: PaymentWindowEvent = { ...ids, at: at(8), state: 'expired' };

const view: PaymentHandOffView = {
  handOffId: 'h1',
  arriveId: ids.arriveId,
  payNumber: ids.payNumber,
  bank: { group: 'bank', initial: 'す', name: 'スタンドイン銀行', serviceName: null, url: 'https://bank.example/pay' },
  origin: 'https://bank.example',
  startedAt: STARTED,
  expiresAt: EXPIRES,
};

const fold = (events: PaymentWindowEvent[], start?: HandOffWindow) => events.reduce<HandOffWindow | undefined>((w, e) => applyWindowEvent(w, e), start)!;

/** every order of a list (small lists only) */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

void describe('applyWindowEvent', () => {
  void it('ends in the same window whatever order the events and the answer arrive in', () => {
    const events = [opened, moved, blocked(3, 'https://evil.example'), blocked(6, 'https://other.example', 'window'), closed];
    const expected = fold(events, applyHandOff(undefined, view));
    assert.equal(expected.origin, 'https://login.bank.example');
    assert.equal(expected.closed, true);
    assert.deepEqual(expected.blocked.map((b) => b.target), ['https://evil.example', 'https://other.example']);
    for (const order of permutations(events)) {
      for (let answerAt = 0; answerAt <= order.length; answerAt += 1) {
        let w: HandOffWindow | undefined;
        order.forEach((e, i) => {
          if (i === answerAt) w = applyHandOff(w, view);
          w = applyWindowEvent(w, e);
        });
        if (answerAt === order.length) w = applyHandOff(w, view);
        assert.deepEqual(w, expected, `order ${order.map((e) => e.state).join(',')} answer at ${answerAt}`);
      }
    }
  });

  void it('a window once closed stays closed, once expired stays expired', () => {
    const w = fold([closed, opened, moved]);
    assert.equal(w.closed, true);
    assert.equal(w.origin, 'https://login.bank.example');
    const x = fold([expired, opened]);
    assert.equal(x.expired, true);
    assert.equal(countdownPhase(x, Date.parse(STARTED)), 'expired');
  });

  void it('the same event twice is kept once; blocks at the same moment keep their arrival order', () => {
    const w = fold([blocked(3, 'https://a.example'), blocked(3, 'https://a.example'), blocked(3, 'https://b.example'), blocked(2, 'https://first.example')]);
    assert.deepEqual(w.blocked.map((b) => b.target), ['https://first.example', 'https://a.example', 'https://b.example']);
  });

  void it('a page refused a thousand times: the newest MAX_BLOCKS kept and the rest counted', () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({ ...blocked(0, `https://x${i}.example`), at: new Date(Date.parse(STARTED) + i).toISOString() }));
    const w = fold(events);
    assert.equal(w.blocked.length, MAX_BLOCKS);
    assert.equal(w.droppedBlocks, 1000 - MAX_BLOCKS);
    assert.equal(w.blocked.at(-1)?.target, 'https://x999.example');
  });

  void it('an event with an unreadable time neither moves the origin back nor breaks the order', () => {
    const w = fold([moved, { ...opened, at: 'yesterday' }, { ...blocked(0, 'https://late.example'), at: '' }, blocked(4, 'https://b.example')]);
    assert.equal(w.origin, 'https://login.bank.example');
    assert.deepEqual(w.blocked.map((b) => b.target), ['https://late.example', 'https://b.example']);
  });

  void it('a state or a kind a newer host adds: the window as it was, the kind kept as it came', () => {
    const w = fold([opened]);
    const future = { ...ids, at: at(3), state: 'minimised' } as unknown as PaymentWindowEvent;
    assert.deepEqual(applyWindowEvent(w, future), w);
    const k = applyWindowEvent(w, { ...ids, at: at(4), state: 'blocked', kind: 'bluetooth' as 'navigation', target: 'device' });
    assert.equal(k.blocked[0]?.kind, 'bluetooth');
  });

  void it('the answer does not undo an origin the window already moved to', () => {
    const w = applyHandOff(fold([moved]), view);
    assert.equal(w.origin, 'https://login.bank.example');
    assert.deepEqual(w.bank, view.bank);
  });
});

void describe('displayTarget', () => {
  void it('removes control characters and bidi overrides', () => {
    assert.equal(displayTarget('https://evil\u202Eelpmaxe.com'), 'https://evilelpmaxe.com');
    assert.equal(displayTarget('a\u0000b\nc\u0085d\u2066e'), 'abcde');
  });

  void it('cuts a huge target to MAX_TARGET_LENGTH with an ellipsis', () => {
    const t = displayTarget(`https://${'a'.repeat(100_000)}.example`);
    assert.equal(t.length, MAX_TARGET_LENGTH);
    assert.ok(t.endsWith('…'));
    assert.equal(displayTarget('x'.repeat(MAX_TARGET_LENGTH)), 'x'.repeat(MAX_TARGET_LENGTH));
  });

  void it('is applied to origins and blocked targets from events', () => {
    const w = fold([{ ...opened, origin: 'https://bank.example\u202E' }, blocked(3, '\u0007https://x.example')]);
    assert.equal(w.origin, 'https://bank.example');
    assert.equal(w.blocked[0]?.target, 'https://x.example');
  });
});

void describe('readWindowEvent', () => {
  void it('passes each well-formed state', () => {
    for (const e of [opened, moved, blocked(3, 'https://x.example'), expired, closed]) assert.equal(readWindowEvent(e), e);
  });

  void it('drops what is not an event, or has lost a field it needs (truncated)', () => {
    for (const bad of [null, undefined, 'opened', 42, [], {}, { ...opened, handOffId: '' }]) assert.equal(readWindowEvent(bad), null, JSON.stringify(bad));
    for (const key of ['handOffId', 'arriveId', 'payNumber', 'bankName', 'at', 'state']) {
      const { [key as keyof typeof opened]: _gone, ...rest } = opened;
      void _gone;
      assert.equal(readWindowEvent(rest), null, key);
    }
    const { origin: _o, ...noOrigin } = moved as Extract<PaymentWindowEvent, { state: 'navigated' }>;
    void _o;
    assert.equal(readWindowEvent(noOrigin), null);
    assert.equal(readWindowEvent({ ...opened, expiresAt: undefined }), null);
    assert.equal(readWindowEvent({ ...blocked(3, 'x'), kind: 7 }), null);
    assert.equal(readWindowEvent({ ...blocked(3, 'x'), target: { toString: () => 'x' } }), null);
  });

  void it('drops huge fields and states it does not know (even __proto__), rather than inventing a window', () => {
    assert.equal(readWindowEvent({ ...opened, handOffId: 'h'.repeat(1_000_000) }), null);
    assert.equal(readWindowEvent({ ...moved, origin: `https://${'a'.repeat(1_000_000)}` }), null);
    for (const state of ['minimised', '__proto__', 'constructor', '']) assert.equal(readWindowEvent({ ...ids, at: at(1), state }), null, state);
  });
});

void describe('blockText', () => {
  void it('words each kind the contract names, in both languages', () => {
    assert.equal(blockText({ at: at(1), kind: 'navigation', target: 'https://evil.example' }, ja), '銀行一覧にないサイト https://evil.example への移動を止めました');
    assert.equal(blockText({ at: at(1), kind: 'navigation', target: 'https://evil.example' }, en), 'Stopped a move to https://evil.example, a site not in the list of banks');
    for (const kind of ['navigation', 'window', 'permission', 'client-certificate', 'certificate-error', 'download', 'webview', 'insecure']) {
      const said = blockText({ at: at(1), kind, target: 'T' }, ja);
      assert.ok(said.includes('T') && !said.includes(kind), kind);
    }
  });

  void it('a kind it does not know, even one named like an object property, is named as it came', () => {
    for (const kind of ['constructor', '__proto__', 'toString', 'bluetooth']) {
      assert.equal(blockText({ at: at(1), kind, target: 'x' }, ja), `x を止めました（${kind}）`);
    }
    assert.equal(blockText({ at: at(1), kind: 'a\u202Eb', target: 'x' }, en), 'Stopped x (ab)');
  });
});

void describe('countdown', () => {
  const start = Date.parse(STARTED);

  void it('formats mm:ss rounded up to the second, never below 00:00', () => {
    assert.equal(formatCountdown(30 * 60_000), '30:00');
    assert.equal(formatCountdown(299_001), '05:00');
    assert.equal(formatCountdown(1), '00:01');
    assert.equal(formatCountdown(0), '00:00');
    assert.equal(formatCountdown(-5000), '00:00');
    assert.equal(formatCountdown(Number.NaN), '00:00');
    assert.equal(formatCountdown(125 * 60_000), '125:00');
  });

  void it('remaining time from expiresAt; unreadable is null', () => {
    assert.equal(remainingMs(EXPIRES, start), 30 * 60_000);
    assert.equal(remainingMs(EXPIRES, start + 31 * 60_000), 0);
    assert.equal(remainingMs('not a time', start), null);
    assert.equal(remainingMs(null, start), null);
    assert.equal(remainingMs(EXPIRES, Number.NaN), null);
  });

  void it('running, then ending in the last 5 minutes, then expired; unknown without a readable time', () => {
    const w = { expired: false, expiresAt: EXPIRES };
    const end = Date.parse(EXPIRES);
    assert.equal(countdownPhase(w, start), 'running');
    assert.equal(countdownPhase(w, end - ENDING_MS - 1), 'running');
    assert.equal(countdownPhase(w, end - ENDING_MS), 'ending');
    assert.equal(countdownPhase(w, end - 1), 'ending');
    assert.equal(countdownPhase(w, end), 'expired');
    assert.equal(countdownPhase({ expired: false, expiresAt: 'garbage' }, start), 'unknown');
    assert.equal(countdownPhase({ expired: true, expiresAt: 'garbage' }, start), 'expired');
  });
});

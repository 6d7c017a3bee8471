// Unit: PIN / password prompts as requests from the core (src/main/app/credentials.ts): each is
// announced once, answered once, withdrawn from every window when settled, and a prompt nobody
// answers ends the operation with CREDENTIAL_TIMEOUT instead of hanging it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TodokeEvent } from '../../src/shared/contract.js';
import { createCredentialBroker } from '../../src/main/app/credentials.js';
import { createEventHub } from '../../src/main/app/events.js';
import type { CredentialAsk } from '../../src/main/identity/signer-reference.js';

const pinAsk: CredentialAsk = { kind: 'pin', subject: 'Todoke IC', attempt: 1, previousError: null, pinCountLow: false, pinFinalTry: false, purpose: 'login' };

function rig(timeoutMs = 60_000) {
  const events = createEventHub();
  const seen: TodokeEvent[] = [];
  events.subscribe((e) => seen.push(e));
  return { broker: createCredentialBroker(events, { timeoutMs }), seen };
}

function lastRequestId(seen: TodokeEvent[]): string {
  const request = seen.filter((e) => e.name === 'credential.request').at(-1);
  assert.ok(request && request.name === 'credential.request');
  return request.payload.requestId;
}

void describe('credential broker', () => {
  void test('an answer reaches the asker once; the request carries no secret and is withdrawn after', async () => {
    const { broker, seen } = rig();
    const asked = broker.ask(pinAsk);
    const requestId = lastRequestId(seen);
    assert.match(requestId, /^[A-Za-z0-9_-]{16}$/);
    assert.equal(broker.pending, 1);
    assert.deepEqual(broker.answer({ requestId, secret: '1234' }), { accepted: true });
    assert.equal(await asked, '1234');
    assert.deepEqual(broker.answer({ requestId, secret: '9999' }), { accepted: false }, 'a second answer is not taken');
    assert.deepEqual(
      seen.map((e) => e.name),
      ['credential.request', 'credential.withdrawn'],
    );
    assert.equal(JSON.stringify(seen).includes('1234'), false);
  });

  void test('cancel and an answer without a secret resolve to null', async () => {
    const { broker, seen } = rig();
    const first = broker.ask(pinAsk);
    broker.answer({ requestId: lastRequestId(seen), cancel: true });
    assert.equal(await first, null);
    const second = broker.ask(pinAsk);
    broker.answer({ requestId: lastRequestId(seen) });
    assert.equal(await second, null);
  });

  void test('nobody answers: CREDENTIAL_TIMEOUT in Japanese, and the dialog is withdrawn', async () => {
    const { broker, seen } = rig(30);
    // the broker's timer does not keep a process alive (unref); this test has nothing else running
    const keepAlive = setTimeout(() => undefined, 5_000);
    await assert.rejects(broker.ask({ ...pinAsk, kind: 'password', subject: 'a.p12' }), (e: { code?: string; messageJa?: string }) => {
      assert.equal(e.code, 'CREDENTIAL_TIMEOUT');
      assert.match(e.messageJa ?? '', /パスワードの入力を .* 分間待ちましたが入力がなかったため、中止しました。/);
      return true;
    });
    assert.deepEqual(
      seen.map((e) => e.name),
      ['credential.request', 'credential.withdrawn'],
    );
    assert.equal(broker.pending, 0);
    clearTimeout(keepAlive);
  });

  void test('withdrawAll (window closed, app quitting) settles every prompt as cancelled', async () => {
    const { broker } = rig();
    const prompts = [broker.ask(pinAsk), broker.ask(pinAsk)];
    broker.withdrawAll();
    assert.deepEqual(await Promise.all(prompts), [null, null]);
    assert.equal(broker.pending, 0);
  });
});

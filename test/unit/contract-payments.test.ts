// Unit: the arguments of the 電子納付 operations as every transport checks them (src/shared/contract.ts)
// before the core sees them: malformed, huge and hostile values refused, good ones copied as given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operations } from '../../src/shared/contract.js';
import { SchemaViolation } from '../../src/shared/schema.js';

const ARRIVE = '9002026000000001';
const PAY = '1234567890123456';

function refused(name: keyof typeof operations, args: unknown): boolean {
  try {
    operations[name].args.check(args, 'args');
    return false;
  } catch (e) {
    if (e instanceof SchemaViolation) return true;
    throw e;
  }
}

void describe('電子納付 operation arguments', () => {
  void it('payment.handOff takes a 到達番号, a 16-digit 納付番号 and one line of bank name', () => {
    assert.deepEqual(operations['payment.handOff'].args.check({ arriveId: ARRIVE, payNumber: PAY, bankName: 'ゆうちょ銀行' }, 'args'), { arriveId: ARRIVE, payNumber: PAY, bankName: 'ゆうちょ銀行' });
    const bad: unknown[] = [
      null,
      [],
      { arriveId: ARRIVE, payNumber: PAY },
      { arriveId: ARRIVE, payNumber: PAY.slice(1), bankName: 'x' },
      { arriveId: ARRIVE, payNumber: `${PAY}0`, bankName: 'x' },
      { arriveId: ARRIVE, payNumber: '１２３４５６７８９０１２３４５６', bankName: 'x' },
      { arriveId: ARRIVE, payNumber: 1234567890123456, bankName: 'x' },
      { arriveId: ARRIVE, payNumber: PAY, bankName: '' },
      { arriveId: ARRIVE, payNumber: PAY, bankName: 'x'.repeat(201) },
      { arriveId: ARRIVE, payNumber: PAY, bankName: 'ゆうちょ\n銀行' },
      { arriveId: ARRIVE, payNumber: PAY, bankName: 'ゆうちょ\u0000' },
      { arriveId: 'x', payNumber: PAY, bankName: 'x' },
      { arriveId: ARRIVE, payNumber: PAY, bankName: 'x', url: 'https://evil.example' },
      JSON.parse(`{"arriveId":"${ARRIVE}","payNumber":"${PAY}","bankName":"x","__proto__":{"polluted":1}}`),
    ];
    for (const args of bad) assert.ok(refused('payment.handOff', args), JSON.stringify(args)?.slice(0, 80));
  });

  void it('payment.list, payment.banks and payment.closeWindow refuse what is not theirs', () => {
    assert.ok(refused('payment.list', { arriveId: ARRIVE, refresh: 'yes' }));
    assert.ok(refused('payment.list', { arriveId: `${ARRIVE}0000` }));
    assert.ok(refused('payment.banks', { refresh: 1 }));
    assert.ok(refused('payment.banks', { group: 'bank' }));
    assert.ok(refused('payment.closeWindow', { handOffId: 'not-a-uuid' }));
    assert.ok(refused('payment.closeWindow', { handOffId: 'A0000000-0000-0000-0000-000000000000' }));
    assert.ok(refused('payment.upcoming', { arriveId: ARRIVE }));
    assert.deepEqual(operations['payment.list'].args.check({ arriveId: ARRIVE, refresh: true }, 'args'), { arriveId: ARRIVE, refresh: true });
  });
});

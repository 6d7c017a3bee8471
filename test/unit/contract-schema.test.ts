// The runtime validator every argument from the renderer goes through (src/shared/schema.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as s from '../../src/shared/schema.js';
import { SchemaViolation, type Schema } from '../../src/shared/schema.js';

function violation<T>(schema: Schema<T>, value: unknown): { path: string; reason: string; message: string } {
  try {
    schema.check(value, 'args');
  } catch (e) {
    assert.ok(e instanceof SchemaViolation, `expected a SchemaViolation, got ${String(e)}`);
    return e.issue;
  }
  assert.fail(`accepted ${String(value)}`);
}

void describe('string', () => {
  const name = s.string({ minLength: 1, maxLength: 5 });
  void it('accepts strings within the bounds, exactly at both ends', () => {
    assert.equal(name.check('a', 'x'), 'a');
    assert.equal(name.check('abcde', 'x'), 'abcde');
  });
  void it('refuses other types, and strings outside the bounds', () => {
    for (const v of [5, null, undefined, {}, [], true, Symbol('s'), 1n, new String('a')]) assert.equal(violation(name, v).reason, 'type');
    assert.equal(violation(name, '').reason, 'tooShort');
    assert.equal(violation(name, 'abcdef').reason, 'tooLong');
  });
  void it('rejects a 50 MB string by its length, without echoing it', () => {
    const issue = violation(name, 'x'.repeat(50 * 1024 * 1024));
    assert.equal(issue.reason, 'tooLong');
    assert.ok(issue.message.length < 100);
  });
  void it('checks a pattern when given', () => {
    const digits = s.string({ maxLength: 10, pattern: /^\d+$/ });
    assert.equal(digits.check('123', 'x'), '123');
    assert.equal(violation(digits, '12a').reason, 'pattern');
  });
});

void describe('base64', () => {
  const b64 = s.base64({ minBytes: 1, maxBytes: 10 });
  void it('accepts standard padded base64 and computes the decoded size without decoding', () => {
    for (let n = 1; n <= 10; n++) {
      const text = Buffer.alloc(n, 0xff).toString('base64');
      assert.equal(s.base64DecodedSize(text), n);
      assert.equal(b64.check(text, 'x'), text);
    }
  });
  void it('refuses one byte over the limit, whatever the padding', () => {
    for (const n of [11, 12, 13]) assert.equal(violation(b64, Buffer.alloc(n).toString('base64')).reason, 'tooLarge');
  });
  void it('refuses text that is not standard padded base64', () => {
    for (const bad of ['@@@@', 'AAA', 'AA=A', 'AAAA====', 'AA AA', 'AAAA\n', '-_-_', 'QQ==QQ==', 'Q===']) {
      assert.equal(violation(b64, bad).reason, 'base64', bad);
    }
  });
  void it('refuses empty data when at least one byte is required, and non-strings', () => {
    assert.equal(violation(b64, '').reason, 'tooSmall');
    assert.equal(violation(b64, Buffer.from('AAAA')).reason, 'type');
  });
  void it('refuses an oversize value by length alone (a 1 MiB limit and a 100 MB value)', () => {
    const mib = s.base64({ maxBytes: 1024 * 1024 });
    assert.equal(violation(mib, 'A'.repeat(100 * 1024 * 1024)).reason, 'tooLarge');
    assert.equal(s.base64LengthFor(1024 * 1024), 1398104);
    const exactly = Buffer.alloc(1024 * 1024, 7).toString('base64');
    assert.equal(mib.check(exactly, 'x'), exactly);
    assert.equal(violation(mib, Buffer.alloc(1024 * 1024 + 1).toString('base64')).reason, 'tooLarge');
  });
});

void describe('object', () => {
  const shape = s.object({ a: s.string({ maxLength: 3 }), b: s.optional(s.integer({ min: 0, max: 9 })) });

  void it('returns a fresh plain object with only the declared members', () => {
    const input = { a: 'x', b: 3 };
    const out = shape.check(input, 'args');
    assert.deepEqual(out, { a: 'x', b: 3 });
    assert.notEqual(out, input);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
  });

  void it('treats an optional member that is absent or undefined as absent', () => {
    assert.deepEqual(shape.check({ a: 'x' }, 'args'), { a: 'x' });
    const out = shape.check({ a: 'x', b: undefined }, 'args');
    assert.equal(Object.hasOwn(out, 'b'), false);
  });

  void it('accepts an object without prototype (what some serializers produce)', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 'x' });
    assert.deepEqual(shape.check(bare, 'args'), { a: 'x' });
  });

  void it('refuses missing required members, with the path', () => {
    assert.deepEqual(violation(shape, {}), { path: 'args.a', reason: 'missing', message: 'is required' });
    assert.equal(violation(shape, { a: undefined }).reason, 'missing');
  });

  void it('refuses unknown keys, including __proto__ and constructor as own keys (JSON.parse makes them)', () => {
    for (const json of ['{"a":"x","__proto__":{"polluted":true}}', '{"a":"x","constructor":{"prototype":{"polluted":true}}}', '{"a":"x","prototype":1}', '{"a":"x","c":1}']) {
      const issue = violation(shape, JSON.parse(json));
      assert.equal(issue.reason, 'unknownKey', json);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  });

  void it('refuses symbol keys, accessors and non-plain objects', () => {
    assert.equal(violation(shape, { a: 'x', [Symbol('s')]: 1 }).reason, 'unknownKey');
    let reads = 0;
    const getter = Object.defineProperty({}, 'a', { enumerable: true, get: () => (reads++, 'x') });
    assert.equal(violation(shape, getter).reason, 'accessor');
    assert.equal(reads, 0, 'the getter was never run');
    class Args {
      a = 'x';
    }
    for (const v of [new Args(), [], new Map([['a', 'x']]), new Date(), null, 'a', 1, () => ({ a: 'x' })]) {
      assert.equal(violation(shape, v).reason, 'type');
    }
  });

  void it('reports the path of a nested problem and shortens hostile key names', () => {
    assert.equal(violation(shape, { a: 'toolong' }).path, 'args.a');
    assert.equal(violation(shape, { a: 'x', b: 10 }).path, 'args.b');
    const key = `\u0000${'k'.repeat(500)}`;
    const issue = violation(shape, { a: 'x', [key]: 1 });
    assert.ok(issue.path.length < 60);
    assert.ok(!issue.path.includes('\u0000'));
  });

  void it('cannot declare a key that would change an object prototype', () => {
    assert.throws(() => s.object(JSON.parse('{"__proto__": 1}') as Record<string, Schema<unknown>>), /__proto__/);
    assert.throws(() => s.object({ constructor: s.boolean() }), /constructor/);
  });
});

void describe('integer, boolean, oneOf, array', () => {
  void it('check their values', () => {
    const n = s.integer({ min: 1, max: 3 });
    assert.equal(n.check(2, 'x'), 2);
    for (const bad of [0, 4, 1.5, Number.NaN, Infinity, '2', 2n]) assert.ok(violation(n, bad));
    assert.equal(s.boolean().check(false, 'x'), false);
    assert.equal(violation(s.boolean(), 'true').reason, 'type');
    const kind = s.oneOf(['a', 'b'] as const);
    assert.equal(kind.check('b', 'x'), 'b');
    assert.equal(violation(kind, 'c').reason, 'oneOf');
    assert.equal(violation(kind, 'toString').reason, 'oneOf');
    const list = s.array(s.string({ maxLength: 2 }), { maxItems: 2 });
    assert.deepEqual(list.check(['a', 'b'], 'x'), ['a', 'b']);
    assert.equal(violation(list, ['a', 'b', 'c']).reason, 'tooMany');
    assert.equal(violation(list, ['a', 'abc']).path, 'args[1]');
    assert.equal(violation(list, { length: 1, 0: 'a' }).reason, 'type');
  });
});

void describe('variant', () => {
  const signer = s.variant('kind', {
    file: { path: s.string({ maxLength: 10 }) },
    token: { serial: s.string({ maxLength: 4 }), id: s.optional(s.string({ maxLength: 2 })) },
  });

  void it('accepts each shape with its tag and copies only declared keys', () => {
    assert.deepEqual(signer.check({ kind: 'file', path: 'a.p12' }, 'args'), { kind: 'file', path: 'a.p12' });
    assert.deepEqual(signer.check({ kind: 'token', serial: '1234' }, 'args'), { kind: 'token', serial: '1234' });
  });

  void it('refuses unknown tags, missing tags, members of the other shape and non-objects', () => {
    const bad: Array<[unknown, string]> = [
      [{ kind: 'shell', path: 'x' }, 'oneOf'],
      [{ path: 'x' }, 'oneOf'],
      [{ kind: 'file', serial: '1' }, 'unknownKey'],
      [{ kind: 'token', serial: '12345' }, 'tooLong'],
      [{ kind: 'toString', path: 'x' }, 'oneOf'],
      [{ kind: '__proto__' }, 'oneOf'],
      [null, 'type'],
      [['file'], 'type'],
      ['file', 'type'],
    ];
    for (const [value, reason] of bad) {
      assert.throws(() => signer.check(value, 'args'), (e: unknown) => e instanceof SchemaViolation && e.issue.reason === reason, JSON.stringify(value));
    }
  });

  void it('does not run a getter on the tag', () => {
    let ran = false;
    const hostile = Object.defineProperty({}, 'kind', {
      enumerable: true,
      get() {
        ran = true;
        return 'file';
      },
    });
    assert.throws(() => signer.check(hostile, 'args'), SchemaViolation);
    assert.equal(ran, false);
  });
});

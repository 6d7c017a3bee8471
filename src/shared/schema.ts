// Runs in every process (main, preload, renderer, harness). A deliberately tiny runtime validator
// for what crosses a process boundary: arguments arrive from a renderer we do not trust, so every
// value is checked against a closed shape and copied into a fresh object before the core sees it.
// No dependencies, and no Node globals (Buffer), so the preload bundle can carry it too.

export interface SchemaIssue {
  /** where in the argument, e.g. `args.password` */
  path: string;
  /** a stable machine word: `type`, `tooLong`, `unknownKey`, ... */
  reason: string;
  /** English, for logs and error detail; never echoes the rejected value */
  message: string;
}

export class SchemaViolation extends Error {
  constructor(readonly issue: SchemaIssue) {
    super(`${issue.path}: ${issue.message}`);
    this.name = 'SchemaViolation';
  }
}

export interface Schema<T> {
  /** A description for docs and error detail (`string ≤ 255`, `base64 ≤ 1048576 bytes`, ...). */
  readonly describe: string;
  /** Returns a checked copy of `value`, or throws SchemaViolation. */
  check(value: unknown, path: string): T;
}

/** Optional object members: the key may be absent or hold `undefined` (structured clone keeps such keys). */
export interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
export type InferShape<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };

function fail(path: string, reason: string, message: string): never {
  throw new SchemaViolation({ path, reason, message });
}

export function string(options: { maxLength: number; minLength?: number; pattern?: RegExp }): Schema<string> {
  const { maxLength, minLength = 0, pattern } = options;
  return {
    describe: `string ${minLength}..${maxLength}`,
    check(value, path) {
      if (typeof value !== 'string') return fail(path, 'type', `expected a string, got ${kindOf(value)}`);
      if (value.length > maxLength) return fail(path, 'tooLong', `longer than ${maxLength} characters`);
      if (value.length < minLength) return fail(path, 'tooShort', `shorter than ${minLength} characters`);
      if (pattern && !pattern.test(value)) return fail(path, 'pattern', 'does not match the expected form');
      return value;
    },
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Length of the base64 text that encodes at most `bytes` bytes. */
export function base64LengthFor(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** Decoded size of well-formed padded base64 text, without decoding it. */
export function base64DecodedSize(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/**
 * Standard padded base64 (RFC 4648 §4) of at most `maxBytes` decoded bytes. The length is checked
 * before the pattern so that an oversize value costs nothing to reject.
 */
export function base64(options: { maxBytes: number; minBytes?: number }): Schema<string> {
  const { maxBytes, minBytes = 0 } = options;
  const maxLength = base64LengthFor(maxBytes);
  return {
    describe: `base64 ${minBytes}..${maxBytes} bytes`,
    check(value, path) {
      if (typeof value !== 'string') return fail(path, 'type', `expected base64 text, got ${kindOf(value)}`);
      if (value.length > maxLength) return fail(path, 'tooLarge', `decodes to more than ${maxBytes} bytes`);
      if (value.length % 4 !== 0 || !BASE64.test(value)) return fail(path, 'base64', 'is not standard padded base64');
      const size = base64DecodedSize(value);
      if (size > maxBytes) return fail(path, 'tooLarge', `decodes to more than ${maxBytes} bytes`);
      if (size < minBytes) return fail(path, 'tooSmall', `decodes to fewer than ${minBytes} bytes`);
      return value;
    },
  };
}

export function boolean(): Schema<boolean> {
  return {
    describe: 'boolean',
    check(value, path) {
      if (typeof value !== 'boolean') return fail(path, 'type', `expected a boolean, got ${kindOf(value)}`);
      return value;
    },
  };
}

export function integer(options: { min: number; max: number }): Schema<number> {
  return {
    describe: `integer ${options.min}..${options.max}`,
    check(value, path) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return fail(path, 'type', `expected an integer, got ${kindOf(value)}`);
      if (value < options.min || value > options.max) return fail(path, 'range', `outside ${options.min}..${options.max}`);
      return value;
    },
  };
}

export function oneOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  return {
    describe: values.map((v) => JSON.stringify(v)).join(' | '),
    check(value, path) {
      if (typeof value !== 'string' || !values.includes(value)) return fail(path, 'oneOf', `expected one of ${values.join(', ')}`);
      return value as V[number];
    },
  };
}

export function optional<T>(schema: Schema<T>): OptionalSchema<T> {
  return { describe: `${schema.describe}?`, optional: true, check: (value, path) => schema.check(value, path) };
}

export function array<T>(item: Schema<T>, options: { maxItems: number }): Schema<T[]> {
  return {
    describe: `${item.describe}[] ≤ ${options.maxItems}`,
    check(value, path) {
      if (!Array.isArray(value)) return fail(path, 'type', `expected an array, got ${kindOf(value)}`);
      if (value.length > options.maxItems) return fail(path, 'tooMany', `more than ${options.maxItems} items`);
      return value.map((v, i) => item.check(v, `${path}[${i}]`));
    },
  };
}

/**
 * A tagged union of object shapes: `tag` names the member that picks the shape, e.g.
 * `variant('kind', { file: {...}, pkcs11: {...} })` accepts `{ kind: 'file', ... }` or
 * `{ kind: 'pkcs11', ... }`, each checked as a closed object with its tag.
 */
export function variant<const T extends string, V extends Record<string, Shape>>(
  tag: T,
  shapes: V,
): Schema<{ [K in keyof V & string]: { [P in T]: K } & InferShape<V[K]> }[keyof V & string]> {
  const names = Object.keys(shapes);
  const checkers = new Map(names.map((name) => [name, object({ ...shapes[name], [tag]: oneOf([name] as const) } as Shape)]));
  return {
    describe: names.map((n) => `${tag}=${n}`).join(' | '),
    check(value, path) {
      if (!isPlainObject(value)) return fail(path, 'type', `expected a plain object, got ${kindOf(value)}`);
      const desc = Object.getOwnPropertyDescriptor(value, tag);
      const name = desc && 'value' in desc ? (desc.value as unknown) : undefined;
      const checker = typeof name === 'string' && Object.hasOwn(shapes, name) ? checkers.get(name) : undefined;
      if (!checker) return fail(`${path}.${tag}`, 'oneOf', `expected one of ${names.join(', ')}`);
      return checker.check(value, path) as never;
    },
  };
}

// Keys that change an object's prototype or shadow its machinery when assigned. A shape may not
// declare them, so they can only ever arrive as unknown keys and be refused.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A plain object with exactly the declared keys: unknown keys (including `__proto__` as an own
 * key, which JSON.parse creates), getters, symbols and non-plain objects (arrays, class
 * instances, Maps) are refused. The result is a new object holding only the checked members.
 */
export function object<S extends Shape>(shape: S): Schema<InferShape<S>> {
  const keys = Object.keys(shape);
  for (const k of keys) if (FORBIDDEN_KEYS.has(k)) throw new Error(`schema may not declare the key ${k}`);
  return {
    describe: `{ ${keys.map((k) => `${k}: ${shape[k]?.describe ?? ''}`).join('; ')} }`,
    check(value, path) {
      if (!isPlainObject(value)) return fail(path, 'type', `expected a plain object, got ${kindOf(value)}`);
      if (Object.getOwnPropertySymbols(value).length > 0) return fail(path, 'unknownKey', 'has symbol keys');
      for (const k of Object.getOwnPropertyNames(value)) {
        if (!Object.hasOwn(shape, k)) return fail(`${path}.${safeKey(k)}`, 'unknownKey', 'is not an accepted key');
        const desc = Object.getOwnPropertyDescriptor(value, k);
        if (!desc || !('value' in desc)) return fail(`${path}.${safeKey(k)}`, 'accessor', 'is an accessor, not a value');
      }
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const member = shape[k] as Schema<unknown> | OptionalSchema<unknown>;
        const v = Object.hasOwn(value, k) ? (value as Record<string, unknown>)[k] : undefined;
        if (v === undefined) {
          if ('optional' in member) continue;
          return fail(`${path}.${k}`, 'missing', 'is required');
        }
        out[k] = member.check(v, `${path}.${k}`);
      }
      return out as InferShape<S>;
    },
  };
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Keys come from the untrusted side: keep error text short and printable. */
function safeKey(key: string): string {
  const printable = key.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/**
 * fast-check arbitraries derived from zod 4 schemas: mostly values the contract accepts, mixed
 * with values just outside it and with hostile text (NUL, lone surrogates, huge strings), so a
 * property test over every route reaches both the domain code and the rejections.
 */
import fc from 'fast-check';
import type { z } from 'zod';

type Bag = {
  minimum?: number | bigint;
  maximum?: number | bigint;
  format?: string;
  patterns?: Set<RegExp>;
};

/** Text Postgres or UTF-8 cannot hold, and other classic troublemakers. */
export const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '%',
  '%zz',
  '../../etc/passwd',
  "'; drop table runs; --",
  '{{'.repeat(500),
  'x'.repeat(5000),
  '\u202e\ufeff',
  '0',
  '-1',
  '1e309',
  'null',
];

export interface ArbitraryOptions {
  /** Values to offer for object fields of this name (ids of fixtures that exist). */
  known?: Record<string, string[]>;
}

export function arbitraryFor(schema: z.core.$ZodType, options: ArbitraryOptions = {}) {
  return build(schema, options, 0, undefined);
}

function hostile(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
  );
}

function build(
  schema: z.core.$ZodType,
  o: ArbitraryOptions,
  depth: number,
  key: string | undefined,
): fc.Arbitrary<unknown> {
  const valid = validFor(schema, o, depth, key);
  // One value in eight is off-contract: hostile text, a wrong type, or nothing at all.
  return fc.oneof({ arbitrary: valid, weight: 7 }, { arbitrary: hostile(), weight: 1 });
}

function validFor(
  schema: z.core.$ZodType,
  o: ArbitraryOptions,
  depth: number,
  key: string | undefined,
): fc.Arbitrary<unknown> {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const bag = (schema._zod as unknown as { bag: Bag }).bag ?? {};
  const known = key ? o.known?.[key] : undefined;
  if (depth > 6) return fc.constant(undefined);
  switch (def.type) {
    case 'string': {
      const base = stringFor(bag);
      return known?.length
        ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, base)
        : base;
    }
    case 'number': {
      const min = typeof bag.minimum === 'number' ? bag.minimum : -1e6;
      const max = typeof bag.maximum === 'number' ? bag.maximum : 1e6;
      const lo = Math.max(min, -1e9);
      const hi = Math.min(max, 1e9);
      const isInt = bag.format?.includes('int');
      return isInt
        ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
        : fc.double({ min: lo, max: hi, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'array': {
      const minLength = typeof bag.minimum === 'number' ? bag.minimum : 0;
      const maxLength = Math.min(typeof bag.maximum === 'number' ? bag.maximum : 4, minLength + 3);
      return fc.array(build(def.element as z.core.$ZodType, o, depth + 1, key), {
        minLength,
        maxLength,
      });
    }
    case 'object': {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const [k, v] of Object.entries(shape)) {
        model[k] = build(v, o, depth + 1, k);
        const t = (v._zod.def as { type: string }).type;
        if (t !== 'optional' && t !== 'default') required.push(k);
      }
      return fc.record(model, { requiredKeys: required }).chain((value) =>
        // Now and then a field the contract does not know.
        fc.oneof(
          { arbitrary: fc.constant(value), weight: 9 },
          { arbitrary: fc.constant({ ...value, unexpectedField: 1 }), weight: 1 },
        ),
      );
    }
    case 'record':
      return fc.dictionary(
        fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/), fc.string({ maxLength: 5 })),
        build(def.valueType as z.core.$ZodType, o, depth + 1, undefined),
        { maxKeys: 3 },
      );
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return fc.option(build(def.innerType as z.core.$ZodType, o, depth, key), {
        nil: undefined,
        freq: 3,
      });
    case 'nullable':
      return fc.option(build(def.innerType as z.core.$ZodType, o, depth, key), { nil: null });
    case 'union':
      return fc.oneof(
        ...(def.options as z.core.$ZodType[]).map((x) => build(x, o, depth + 1, key)),
      );
    case 'pipe':
      return validFor(def.in as z.core.$ZodType, o, depth, key);
    case 'lazy':
      return fc.constant({});
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(bag: Bag): fc.Arbitrary<string> {
  const maxLength = typeof bag.maximum === 'number' ? Math.min(bag.maximum, 60) : 60;
  const minLength = typeof bag.minimum === 'number' ? Math.min(bag.minimum, maxLength) : 0;
  switch (bag.format) {
    case 'uuid':
    case 'guid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress();
    case 'url':
      return fc.oneof(fc.webUrl(), fc.constantFrom('https://a:99999', 'http://[::1', 'ftp://x'));
    case 'datetime':
      return fc
        .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
  }
  const pattern = [...(bag.patterns ?? [])][0];
  if (pattern) return fc.stringMatching(pattern);
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

/**
 * json and jsonb arrive as their JSON text on every driver, as the Data API sends them (ADR 173).
 * node-postgres and PGlite parse them by default, and drizzle's json columns then parse any string
 * again, so a JSON string such as `"42"` or `"true"` came back as a number or a boolean there and
 * as a string in AWS. With the text, drizzle's column decoder parses each value exactly once.
 */
import type { PoolClient } from 'pg';

const JSON_OID = 114;
const JSONB_OID = 3802;
const asText = (value: string) => value;

/** PGlite's parsers: merged by PGlite under each query's own (drizzle's name neither type). */
export const JSON_AS_TEXT_PARSERS: Readonly<Record<number, (value: string) => string>> = {
  [JSON_OID]: asText,
  [JSONB_OID]: asText,
};

type TypeParser = (value: string) => unknown;
interface TypeParsers {
  getTypeParser(oid: number, format?: string): TypeParser;
}

const isTypeParsers = (value: unknown): value is TypeParsers =>
  typeof value === 'object' &&
  value !== null &&
  typeof Reflect.get(value, 'getTypeParser') === 'function';

const wrapped = new WeakMap<TypeParsers, TypeParsers>();

/** `types` that give json and jsonb as text and defer every other type to `inner`. */
export function jsonAsTextTypes(inner: TypeParsers): TypeParsers {
  let types = wrapped.get(inner);
  if (!types) {
    types = {
      getTypeParser: (oid, format) =>
        oid === JSON_OID || oid === JSONB_OID ? asText : inner.getTypeParser(oid, format),
    };
    wrapped.set(inner, types);
  }
  return types;
}

/**
 * Patches a new pool client so that queries which bring their own `types` (drizzle's do, for
 * dates and intervals) also get json as text; queries without them use the pool's `types`.
 */
export function keepJsonAsText(client: PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [config, ...rest] = args;
    if (typeof config !== 'object' || config === null) return query(...args);
    const types: unknown = Reflect.get(config, 'types');
    // A submittable (a cursor, a stream) is a class instance that a copy would break.
    if (!isTypeParsers(types) || typeof Reflect.get(config, 'submit') === 'function')
      return query(...args);
    return query({ ...config, types: jsonAsTextTypes(types) }, ...rest);
  };
}

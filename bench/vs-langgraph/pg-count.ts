/**
 * Counts statements and transactions by wrapping `pg`'s Client.prototype.query: Pool.query checks
 * out a Client and calls it, so one patch sees both systems (they share the deduplicated `pg`).
 */
import { createRequire } from 'node:module';

export interface PgCounts {
  statements: number;
  transactions: number;
  /** Messages that wait for the server's answer: a pipeline of statements is one. */
  roundTrips: number;
}

export const counts: PgCounts = { statements: 0, transactions: 0, roundTrips: 0 };

/** The statements a query object sends around its own in the same round trip, if any. */
export function pipelined(query: unknown): { prefix: string[]; suffix: string[] } {
  const list = (key: string) => {
    const value: unknown =
      typeof query === 'object' && query !== null ? Reflect.get(query, key) : undefined;
    return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
  };
  return { prefix: list('prefix'), suffix: list('suffix') };
}

/** Statement texts by count, only while `recordShapes` is on (the --breakdown option). */
export const shapes = new Map<string, number>();
export let recordShapes = false;
export function setRecordShapes(on: boolean): void {
  recordShapes = on;
  shapes.clear();
}

export function resetCounts(): PgCounts {
  const before = { ...counts };
  counts.statements = 0;
  counts.transactions = 0;
  counts.roundTrips = 0;
  return before;
}

type QueryFn = (this: unknown, ...args: unknown[]) => unknown;

/** Patches every distinct copy of `pg` the given packages resolve (usually one). */
export function installPgCounter(fromPackages: string[]): number {
  const require = createRequire(import.meta.url);
  const patched = new Set<unknown>();
  for (const from of ['.', ...fromPackages]) {
    let pgPath: string;
    try {
      const base = from === '.' ? require : createRequire(require.resolve(from));
      pgPath = base.resolve('pg');
    } catch {
      continue;
    }
    const pg = require(pgPath) as { Client: { prototype: { query: QueryFn } } };
    const proto = pg.Client.prototype;
    if (patched.has(proto)) continue;
    patched.add(proto);
    const original = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0];
      const text =
        typeof first === 'string'
          ? first
          : typeof (first as { text?: unknown })?.text === 'string'
            ? (first as { text: string }).text
            : '';
      // A framed query (shared/db/pg-scope-framing.ts) runs its prefix (BEGIN, the scope) first
      // and its suffix (COMMIT) last, in the same round trip: each is a statement of its own.
      const { prefix, suffix } = pipelined(first);
      counts.statements += 1 + prefix.length + suffix.length;
      counts.roundTrips++;
      if (/^\s*(begin|start transaction)\b/i.test(prefix[0] ?? text)) counts.transactions++;
      if (recordShapes) {
        const shape = text.replace(/\s+/g, ' ').trim().slice(0, 90);
        shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
      }
      return original.apply(this, args);
    };
  }
  return patched.size;
}

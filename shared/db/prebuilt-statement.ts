/**
 * Hot writes rendered once per shape (issue 12, ADR 172). A step's completion statement is built
 * from drizzle builders and templates, then rendered to text on every call: about 0.3 ms of CPU a
 * step, more than the statement's server time. A statement made of `StatementPart`s is rendered
 * the first time its shape is seen; later calls only encode the values and bind them.
 */
import {
  Column,
  is,
  Param,
  Placeholder,
  type QueryTypingsValue,
  type QueryWithTypings,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from './client';

/**
 * A piece of a prebuilt statement. Every part with the same `shape` must build the same SQL text,
 * so a shape starts with the name of what builds it (`step_call(…)`, `run_started`) and names
 * every choice that changes the text, including placeholder prefixes;
 * what varies between calls is a placeholder (`sql.placeholder(name)`, or a column-bound one,
 * `placeholderFor`) whose value is in `values`. Names are unique across a statement's parts.
 * A part without a shape was built for this call (its values inline): it is rendered every time.
 */
export interface StatementPart {
  readonly shape: string | undefined;
  build(tx: Tx): SQL;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * A placeholder bound to `column`: its value is encoded by the column, and its type travels with
 * the statement (the Data API needs the uuid, json and timestamp hints a bare placeholder lacks).
 */
export function placeholderFor(column: Column, name: string): Param {
  return new Param(sql.placeholder(name), column);
}

interface Dialect {
  sqlToQuery(query: SQL): QueryWithTypings;
  prepareTyping(encoder: unknown): QueryTypingsValue;
}

function isDialect(value: unknown): value is Dialect {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'sqlToQuery') === 'function' &&
    typeof Reflect.get(value, 'prepareTyping') === 'function'
  );
}

/**
 * The transaction's own dialect (`$1` on node-postgres and PGlite, `:1` on the Data API). Drizzle
 * keeps it internal; importing a dialect instead would add ~20 KiB to every engine bundle.
 */
function dialectOf(tx: Tx): Dialect {
  const dialect: unknown = Reflect.get(tx, 'dialect');
  if (!isDialect(dialect)) throw new TypeError('prebuilt statement: no dialect on the transaction');
  return dialect;
}

/** Where a rendered parameter's value comes from: a placeholder's value, or a constant. */
type Slot = { name: string; column?: Column } | { constant: unknown };

export interface Rendered {
  readonly text: string;
  readonly typings: QueryTypingsValue[];
  readonly slots: Slot[];
}

/**
 * `query` as `dialect` writes it. Drizzle gives a placeholder no type hint; a column-bound one
 * gets its column's, as drizzle gives a value of that column.
 */
function renderWith(dialect: Dialect, query: SQL): Rendered {
  const { sql: text, params, typings = [] } = dialect.sqlToQuery(query);
  const slots: Slot[] = [];
  const hints: QueryTypingsValue[] = [];
  params.forEach((param, i) => {
    if (is(param, Param) && is(param.value, Placeholder)) {
      const column = is(param.encoder, Column) ? param.encoder : undefined;
      slots.push({ name: param.value.name, column });
      hints.push(column ? dialect.prepareTyping(column) : 'none');
    } else if (is(param, Placeholder)) {
      slots.push({ name: param.name });
      hints.push('none');
    } else {
      slots.push({ constant: param });
      hints.push(typings[i] ?? 'none');
    }
  });
  return { text, typings: hints, slots };
}

/** The driver values of `rendered`'s parameters: SQL null stays null (drizzle would encode it). */
function bind(rendered: Rendered, values: Readonly<Record<string, unknown>>): unknown[] {
  return rendered.slots.map((slot) => {
    if ('constant' in slot) return slot.constant;
    if (!(slot.name in values))
      throw new TypeError(`prebuilt statement: no value for placeholder ${slot.name}`);
    const value = values[slot.name];
    if (value === null || value === undefined) return null;
    return slot.column ? slot.column.mapToDriverValue(value) : value;
  });
}

/** Statements kept per dialect; past it a statement is rendered on every call (still correct). */
const MAX_STATEMENTS = 256;

export interface Prebuilt {
  readonly rendered: Rendered;
  /** The statement's name on node-postgres (prepared once per connection); none past the cap. */
  readonly name: string | undefined;
}

/** By dialect: a process may hold databases of two drivers, whose texts differ (`$1`, `:1`). */
const rendered = new WeakMap<Dialect, Map<string, Prebuilt>>();

/**
 * `build`'s statement as `tx`'s driver writes it, rendered the first time `key` is seen; `nameOf`
 * names it from the number of statements kept before it.
 */
export function prebuilt(
  tx: Tx,
  key: string,
  nameOf: (index: number) => string,
  build: () => SQL,
): Prebuilt {
  const dialect = dialectOf(tx);
  let kept = rendered.get(dialect);
  if (!kept) {
    kept = new Map();
    rendered.set(dialect, kept);
  }
  const known = kept.get(key);
  if (known) return known;
  const entry = { rendered: renderWith(dialect, build()), name: nameOf(kept.size) };
  if (kept.size >= MAX_STATEMENTS) return { ...entry, name: undefined };
  kept.set(key, entry);
  return entry;
}

/**
 * Runs `part` as one statement named `name` (node-postgres prepares it once per connection per
 * shape). The statement's result rows are not read.
 */
export async function runPrebuilt(tx: Tx, name: string, part: StatementPart): Promise<void> {
  const { shape } = part;
  const statement =
    shape === undefined
      ? { rendered: renderWith(dialectOf(tx), part.build(tx)), name: undefined }
      : prebuilt(
          tx,
          `${name}\u0000${shape}`,
          (i) => `${name}_${i}`,
          () => part.build(tx),
        );
  await execute(tx, statement, part.values);
}

async function execute(
  tx: Tx,
  { rendered, name }: Prebuilt,
  values: Readonly<Record<string, unknown>>,
): Promise<void> {
  await tx._.session.prepareQuery(queryOf(rendered, values), undefined, name, false).execute();
}

/** The query to run: `rendered`'s text and type hints, with `values` bound. */
export function queryOf(rendered: Rendered, values: Readonly<Record<string, unknown>>) {
  return { sql: rendered.text, params: bind(rendered, values), typings: rendered.typings };
}

/** The shape of a statement made of `parts` (none when one of them has none). */
export function shapeOf(label: string, parts: readonly StatementPart[]): string | undefined {
  if (parts.some((part) => part.shape === undefined)) return undefined;
  return `${label}(${parts.map((part) => part.shape).join(';')})`;
}

/** The placeholders' values of `parts` together (their names are distinct). */
export function valuesOf(parts: readonly StatementPart[]): Record<string, unknown> {
  return Object.assign({}, ...parts.map((part) => part.values));
}

/**
 * `last` with `writes` ahead of it as data-modifying CTEs (each always runs): one round trip where
 * they were several (issue 12).
 */
export function withWrites(writes: readonly StatementPart[], last: StatementPart): StatementPart {
  if (!writes.length) return last;
  const parts = [...writes, last];
  return {
    shape: shapeOf('with', parts),
    build: (tx) => {
      const ctes = writes.map((w, i) => sql`${sql.raw(`write_${i}`)} as (${w.build(tx)})`);
      return sql`with ${sql.join(ctes, sql`, `)} ${last.build(tx)}`;
    },
    values: valuesOf(parts),
  };
}

/** The columns `row` sets: a key whose value is undefined sets none. */
export function columnsSet(row: object): string[] {
  return Object.keys(row).filter((key) => Reflect.get(row, key) !== undefined);
}

/** `row` with the value of each of `keys` replaced by the placeholder `nameOf(key)`. */
export function placeholderRow<T extends PgTable>(
  row: PgInsertValue<T>,
  keys: readonly string[],
  nameOf: (key: string) => string,
): PgInsertValue<T> {
  // The column encodes the value when it is bound.
  const placeholders: PgInsertValue<T> = { ...row };
  for (const key of keys) Reflect.set(placeholders, key, sql.placeholder(nameOf(key)));
  return placeholders;
}

/**
 * Inserts `rows` into `table` as a prebuilt part: every value a placeholder (named `label`, the
 * row's index and the column), so the statement's shape is its table, its row count and the
 * columns the rows set. Every row must set the same columns; a column they leave out gets its
 * default.
 */
export function insertWrite<T extends PgTable>(
  table: T,
  label: string,
  rows: readonly PgInsertValue<T>[],
): StatementPart {
  const keys = columnsSet(rows[0] ?? {});
  const nameOf = (i: number) => (key: string) => `${label}${i}_${key}`;
  const values: Record<string, unknown> = {};
  for (const [i, row] of rows.entries()) {
    const set = columnsSet(row);
    if (set.length !== keys.length || !set.every((key) => keys.includes(key)))
      throw new TypeError(`insertWrite ${label}: every row must set the same columns`);
    for (const key of keys) values[nameOf(i)(key)] = Reflect.get(row, key);
  }
  return {
    shape: `insert(${label},${rows.length},${keys.join(',')})`,
    build: (tx) =>
      tx
        .insert(table)
        .values(rows.map((row, i) => placeholderRow(row, keys, nameOf(i))))
        .getSQL(),
    values,
  };
}

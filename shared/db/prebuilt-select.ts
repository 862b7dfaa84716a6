/**
 * A hot select built once per process (issue 12, ADR 171). Drizzle builds a query's text, walks its
 * selection and maps each row through entity checks on every call: about a tenth of a
 * millisecond of CPU per engine select, more than the select's own server time. A prebuilt select
 * keeps the text, its parameter typings (the Data API's casts) and the flattened columns from the
 * first call; later calls only bind the named placeholders on the transaction's own session and
 * map rows by column position, with the same column decoders drizzle uses.
 */
import {
  Column,
  is,
  Param,
  Placeholder,
  type Query,
  type QueryTypingsValue,
  type QueryWithTypings,
  SQL,
  sql,
} from 'drizzle-orm';
import type { Tx } from './client';

/**
 * A selection of columns, flat or one level nested (`{ run: RUN_COLUMNS, step: STEP_COLUMNS }`),
 * and SQL expressions, whose values come as the driver gives them (e.g. json-rows.ts's aggregates).
 */
export type PrebuiltFields = Record<string, Column | SQL | Record<string, Column>>;

interface Built {
  query: QueryWithTypings;
  /** Per result position: where the value goes and its decoder (none for an SQL expression). */
  columns: { path: [string] | [string, string]; column?: Column }[];
}

/**
 * The Data API's type hint for a value of `column`, as drizzle's Postgres dialect gives it
 * (`prepareTyping`), which is not imported for this: its module would add ~20 KiB to every
 * engine bundle's cold start (issue 12's budget is 300 KiB).
 */
function typingOf(column: Column): QueryTypingsValue {
  switch (column.columnType) {
    case 'PgJson':
    case 'PgJsonb':
      return 'json';
    case 'PgNumeric':
      return 'decimal';
    case 'PgTime':
      return 'time';
    case 'PgTimestamp':
    case 'PgTimestampString':
      return 'timestamp';
    case 'PgDate':
    case 'PgDateString':
      return 'date';
    case 'PgUUID':
      return 'uuid';
    default:
      return 'none';
  }
}

/**
 * A placeholder bound to `column`: its value is encoded by the column, and its type travels with
 * the statement (the Data API needs the uuid, json and timestamp hints a bare placeholder lacks).
 */
export function placeholderFor(column: Column, name: string): Param {
  return new Param(sql.placeholder(name), column);
}

/**
 * The statement as the transaction's driver writes it (`toSQL` uses its dialect: `$1` on
 * node-postgres and PGlite, `:1` on the Data API), with the type hints of its column-bound
 * placeholders (drizzle gives placeholders none). Constants get none: a value that needs one
 * (a uuid, json, a timestamp) must be a placeholder.
 */
function render(select: { toSQL(): Query }): QueryWithTypings {
  const { sql: text, params } = select.toSQL();
  const typings = params.map((param) =>
    is(param, Param) && is(param.value, Placeholder) && is(param.encoder, Column)
      ? typingOf(param.encoder)
      : 'none',
  );
  return { sql: text, params, typings };
}

function flatten(fields: PrebuiltFields): Built['columns'] {
  const out: Built['columns'] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (is(value, Column)) {
      out.push({ path: [key], column: value });
      continue;
    }
    if (is(value, SQL)) {
      out.push({ path: [key] });
      continue;
    }
    for (const [inner, column] of Object.entries(value)) {
      if (!is(column, Column))
        throw new TypeError(`prebuilt select: ${key}.${inner} is not a column`);
      out.push({ path: [key, inner], column });
    }
  }
  return out;
}

function toRecord(columns: Built['columns'], row: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  columns.forEach(({ path, column }, i) => {
    const raw = row[i];
    const value =
      raw === null || raw === undefined ? null : column ? column.mapFromDriverValue(raw) : raw;
    if (path.length === 1) {
      record[path[0]] = value;
      return;
    }
    const inner = (record[path[0]] ??= {});
    if (typeof inner === 'object' && inner !== null) Reflect.set(inner, path[1], value);
  });
  return record;
}

/**
 * `build` must select exactly `fields` (in that order) with `placeholderFor(column, name)` for
 * every value that varies; `name` names the statement on node-postgres (prepared once per connection).
 */
export function prebuiltSelect<Row, F extends PrebuiltFields>(
  name: string,
  fields: F,
  build: (tx: Tx, fields: F) => { toSQL(): Query; execute(): Promise<Row[]> },
): (tx: Tx, values: Record<string, unknown>) => Promise<Row[]> {
  let built: Built | undefined;
  return (tx, values) => {
    built ??= {
      query: render(build(tx, fields)),
      columns: flatten(fields),
    };
    const { query, columns } = built;
    // The row has the shape drizzle infers for `build`'s select: the same columns, in order,
    // decoded by the same column decoders (drizzle's mapResultRow without its per-row entity checks).
    const map = (rows: unknown[][]) => rows.map((row) => toRecord(columns, row) as Row);
    return tx._.session
      .prepareQuery<{ execute: Row[]; all: unknown; values: unknown }>(
        query,
        undefined,
        name,
        true,
        map,
      )
      .execute(values);
  };
}

/**
 * A hot select built once per process (issue 12, ADR 171). Drizzle builds a query's text, walks its
 * selection and maps each row through entity checks on every call: about a tenth of a
 * millisecond of CPU per engine select, more than the select's own server time. A prebuilt select
 * keeps the text, its parameter typings (the Data API's casts) and the flattened columns from the
 * first call; later calls only bind the named placeholders on the transaction's own session and
 * map rows by column position, with the same column decoders drizzle uses.
 */
import { Column, is, SQL } from 'drizzle-orm';
import type { Tx } from './client';
import { prebuilt, queryOf } from './prebuilt-statement';

export { placeholderFor } from './prebuilt-statement';

/**
 * A selection of columns, flat or one level nested (`{ run: RUN_COLUMNS, step: STEP_COLUMNS }`),
 * and SQL expressions, whose values come as the driver gives them (e.g. json-rows.ts's aggregates).
 */
export type PrebuiltFields = Record<string, Column | SQL | Record<string, Column>>;

/** Per result position: where the value goes and its decoder (none for an SQL expression). */
type Columns = { path: [string] | [string, string]; column?: Column }[];

function flatten(fields: PrebuiltFields): Columns {
  const out: Columns = [];
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

function toRecord(columns: Columns, row: unknown[]): Record<string, unknown> {
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
  build: (tx: Tx, fields: F) => { getSQL(): SQL; execute(): Promise<Row[]> },
): (tx: Tx, values: Record<string, unknown>) => Promise<Row[]> {
  let columns: Columns | undefined;
  return (tx, values) => {
    columns ??= flatten(fields);
    const statement = prebuilt(
      tx,
      name,
      () => name,
      () => build(tx, fields).getSQL(),
    );
    // The row has the shape drizzle infers for `build`'s select: the same columns, in order,
    // decoded by the same column decoders (drizzle's mapResultRow without its per-row entity checks).
    const decode = columns;
    const map = (rows: unknown[][]) => rows.map((row) => toRecord(decode, row) as Row);
    return tx._.session
      .prepareQuery<{ execute: Row[]; all: unknown; values: unknown }>(
        queryOf(statement.rendered, values),
        undefined,
        statement.name,
        true,
        map,
      )
      .execute();
  };
}

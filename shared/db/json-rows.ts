/**
 * Child rows read in their parent's statement (issue 12, ADR 171): `jsonObjectOf` renders a row's
 * columns as a JSON object inside an aggregate (`json_agg(…)`), one round trip where the parent and
 * its rows were two; `decodeJsonRows` turns the aggregate back into the row type drizzle would
 * return, decoding each value with its column's own decoder.
 */
import { type Column, type SQL, sql } from 'drizzle-orm';

/** `json_build_object('<column name>', <alias>."<column name>", …)` for `columns`. */
export function jsonObjectOf(columns: Record<string, Column>, alias: string): SQL {
  return sql`json_build_object(${sql.join(
    Object.values(columns).map(
      (c) =>
        sql`${sql.raw(`'${c.name.replace(/'/g, "''")}'`)}, ${sql.identifier(alias)}.${sql.identifier(c.name)}`,
    ),
    sql`, `,
  )})`;
}

/**
 * `(select coalesce(json_agg(<row object> order by …), '[]'::json) from …)`: the rows of `from`
 * (a FROM and WHERE clause naming the table `alias`) as one JSON array, for a sub-select.
 */
export function jsonRowsOf(
  columns: Record<string, Column>,
  alias: string,
  from: SQL,
  orderBy?: SQL,
): SQL {
  const order = orderBy ? sql` order by ${orderBy}` : sql``;
  return sql`(select coalesce(json_agg(${jsonObjectOf(columns, alias)}${order}), '[]'::json) ${from})`;
}

const JSON_TYPES = new Set(['PgJson', 'PgJsonb']);

/**
 * The rows of a JSON array of `jsonObjectOf(columns)` objects (a string on the Data API, parsed on
 * the other drivers), keyed and decoded as drizzle keys and decodes `columns`. JSON columns keep
 * their value as it is: a JSON string that looks like JSON must stay a string.
 */
export function decodeJsonRows<Row>(columns: { [K in keyof Row]: Column }, value: unknown): Row[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed)) throw new TypeError('json rows: expected a JSON array');
  const entries = Object.entries<Column>(columns);
  return parsed.map((item: unknown) => {
    if (typeof item !== 'object' || item === null)
      throw new TypeError('json rows: expected objects');
    const row: Record<string, unknown> = {};
    for (const [key, column] of entries) {
      const raw: unknown = Reflect.get(item, column.name);
      row[key] =
        raw === null || raw === undefined
          ? null
          : JSON_TYPES.has(column.columnType)
            ? raw
            : column.mapFromDriverValue(raw);
    }
    // Every column of the row type, decoded by its column (the shape drizzle infers for them).
    return row as Row;
  });
}

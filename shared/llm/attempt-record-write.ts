/** An attempt's usage record as a part of a prebuilt statement (ADR 172). */
import { getTableColumns, sql } from 'drizzle-orm';
import { columnsSet, placeholderRow, type StatementPart } from '../db/prebuilt-statement';
import { usageRecords } from '../db/schema';

export type AttemptRow = typeof usageRecords.$inferInsert;

const COLUMNS = getTableColumns(usageRecords);
type Key = keyof typeof COLUMNS;

const isKey = (key: string): key is Key => key in COLUMNS;

/**
 * Inserts `row`; with `replace`, a row with its id (the attempt's in-flight record) becomes this
 * one, keeping its `createdAt`. The keys `row` sets make the shape: a column it leaves out gets its
 * default. `prefix` keeps the placeholders of several records in one statement apart.
 */
export function attemptRecordWrite(
  row: AttemptRow,
  prefix: string,
  { replace }: { replace: boolean },
): StatementPart {
  const keys = columnsSet(row).filter(isKey);
  const values: Record<string, unknown> = {};
  for (const key of keys) values[prefix + key] = row[key];
  return {
    shape: `attempt_record(${prefix},${replace ? 'replace' : 'insert'},${keys.join(',')})`,
    build: (tx) => {
      const insert = tx
        .insert(usageRecords)
        .values(placeholderRow<typeof usageRecords>(row, keys, (key) => prefix + key));
      if (!replace) return insert.getSQL();
      // The proposed row's own values: one placeholder per column, not two. The record keeps its
      // first created_at (the attempt's start): with no indexed column changed, PostgreSQL updates
      // the row in place (HOT) instead of adding an entry to each of the table's four indexes.
      const set = Object.fromEntries(
        keys
          .filter((key) => key !== 'id' && key !== 'createdAt')
          .map((key) => [key, sql`excluded.${sql.identifier(COLUMNS[key].name)}`]),
      );
      return insert.onConflictDoUpdate({ target: usageRecords.id, set }).getSQL();
    },
    values,
  };
}

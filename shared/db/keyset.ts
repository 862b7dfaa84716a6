/**
 * Keyset paging over (time, id): the condition after a cursor, the matching order, and the page
 * with its next cursor. One definition, so every list pages, orders and rejects cursors alike.
 */
import { and, asc, desc, eq, gt, lt, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { decodeCursor, encodeCursor } from './cursor';

export interface Keyset {
  readonly at: AnyPgColumn;
  readonly id: AnyPgColumn;
  /** @default 'desc' (newest first) */
  readonly direction?: 'asc' | 'desc';
  /** Narrows the cursor row's lookup when `id` alone is not unique in its table (memberships). */
  readonly within?: SQL;
}

/** Rows strictly after the cursor in the keyset's order; undefined (no condition) without one. */
export function afterCursor(key: Keyset, cursor: string | undefined): SQL | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const after = decodeCursor(cursor);
  // The cursor's time has milliseconds, PostgreSQL's microseconds: compare with the cursor row's
  // stored (time, id) (the inner FROM shadows the outer table). A deleted row falls back to the cursor.
  const op = sql.raw(key.direction === 'asc' ? '>' : '<');
  const row = sql`select ${key.at}, ${key.id} from ${key.id.table} where ${key.id} = ${after.id}::uuid${
    key.within ? sql` and ${key.within}` : sql``
  }`;
  const beyond = key.direction === 'asc' ? gt : lt;
  return or(
    sql`(${key.at}, ${key.id}) ${op} (${row})`,
    and(
      sql`not exists (${row})`,
      or(beyond(key.at, after.at), and(eq(key.at, after.at), beyond(key.id, after.id))),
    ),
  );
}

export function keysetOrder(key: Keyset): [SQL, SQL] {
  const dir = key.direction === 'asc' ? asc : desc;
  return [dir(key.at), dir(key.id)];
}

/** Query `limit + 1` rows; this keeps `limit` and names the cursor of the last one kept. */
export function pageOf<R>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => { at: Date; id: string },
): { rows: R[]; nextCursor?: string } {
  const kept = rows.slice(0, limit);
  const last = rows.length > limit ? kept[kept.length - 1] : undefined;
  if (last === undefined) return { rows: kept };
  const k = keyOf(last);
  return { rows: kept, nextCursor: encodeCursor(k.at, k.id) };
}

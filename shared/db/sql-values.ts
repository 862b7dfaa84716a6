/**
 * Typed parameters for hand-written SQL. The RDS Data API binds a string without a typeHint as
 * `text` and a JS number as `bigint` or `double precision`, so SQL written by hand casts.
 */
import { type SQL, sql } from 'drizzle-orm';

/** Dollars as an exact `numeric` (money columns are numeric(14, 6)): a decimal string, never a float. */
export function money(usd: number): SQL {
  return sql`${usd.toFixed(6)}::numeric`;
}

/** The drizzle schema and the committed SQL migrations describe the same columns. */
import { sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import * as foundation from '../../../shared/db/schema';
import { rowsOf } from '../../../shared/db/client';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ env: {} });
});
afterAll(async () => stack?.close());

async function schemaModules(): Promise<Record<string, unknown>[]> {
  const { readdirSync } = await import('node:fs');
  const dir = new URL('../../../shared/db/', import.meta.url);
  const extra = readdirSync(dir).filter((f) => /^schema-.+\.ts$/.test(f));
  return [foundation, ...(await Promise.all(extra.map((f) => import(new URL(f, dir).href))))];
}

test('every drizzle table and column exists in the migrated database with a matching nullability', async () => {
  const live = rowsOf<{ table_name: string; column_name: string; is_nullable: string }>(
    await stack.platform.db.owner.execute(
      sql`select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public'`,
    ),
  );
  const missing: string[] = [];
  const checked = new Set<string>();
  for (const mod of await schemaModules()) {
    for (const value of Object.values(mod)) {
      if (
        !value ||
        typeof value !== 'object' ||
        !(Symbol.for('drizzle:IsDrizzleTable') in (value as object))
      )
        continue;
      const table = getTableConfig(value as PgTable);
      checked.add(table.name);
      for (const column of table.columns) {
        const row = live.find((c) => c.table_name === table.name && c.column_name === column.name);
        if (!row) missing.push(`${table.name}.${column.name} (missing)`);
        else if ((row.is_nullable === 'NO') !== column.notNull)
          missing.push(`${table.name}.${column.name} (nullability)`);
      }
    }
  }
  expect(checked.size).toBeGreaterThanOrEqual(13);
  expect(missing).toEqual([]);
});

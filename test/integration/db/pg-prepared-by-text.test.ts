/**
 * node-postgres (pg-prepared-by-text.ts): a statement marked `preparedByText` is prepared once per
 * connection under a name derived from its text and then only bound and executed; unmarked
 * statements stay unnamed; the statement still runs under the tenant's row-level security.
 */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf, type Database, type Tx } from '../../../shared/db/client';
import { migrate } from '../../../shared/db/migrate';
import { preparedByText } from '../../../shared/db/pg-prepared-by-text';
import { freshServerDatabase } from '../../support/databases';
import { ROOT } from '../../support/stack';

const TENANT_A = '00000000-0000-4000-8000-0000000000a1';
const TENANT_B = '00000000-0000-4000-8000-0000000000b1';
let database: { url: string; drop: () => Promise<void> };
let db: Database;

beforeAll(async () => {
  database = await freshServerDatabase('hishamos_prepared');
  // One connection: every transaction below sees the same session's prepared statements.
  db = await openDatabase({ driver: 'pg', url: database.url, max: 1 });
  await migrate(db.owner, join(ROOT, 'shared/db/migrations'));
  for (const [id, slug] of [
    [TENANT_A, 'prepared-a'],
    [TENANT_B, 'prepared-b'],
  ])
    await db.owner.execute(
      sql`insert into tenants (id, slug, name) values (${id}, ${slug}, ${slug})`,
    );
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

const prepared = (tx: Tx) =>
  tx
    .execute(sql`select name, statement from pg_prepared_statements order by name`)
    .then((r) => rowsOf<{ name: string; statement: string }>(r));
const tenantSlugs = (tx: Tx, marked: boolean) => {
  const q = sql`select slug from tenants where slug like ${'prepared-%'} order by slug`;
  return tx.execute(marked ? preparedByText(q) : q).then((r) => rowsOf<{ slug: string }>(r));
};

test('a marked statement is prepared once under a name from its text; an unmarked one is not', async () => {
  // Act
  const first = await db.withTenant({ tenantId: TENANT_A }, (tx) => tenantSlugs(tx, true));
  const second = await db.withTenant({ tenantId: TENANT_A }, (tx) => tenantSlugs(tx, true));
  await db.withTenant({ tenantId: TENANT_A }, (tx) => tenantSlugs(tx, false));
  const statements = await db.withTenant({ tenantId: TENANT_A }, prepared);

  // Assess
  expect(first).toEqual(second);
  const marked = statements.filter((s) => s.statement.startsWith('/* prepared */'));
  expect(marked).toHaveLength(1);
  expect(marked[0].name).toMatch(/^p_[\w-]{27}$/);
  expect(statements.filter((s) => s.statement.includes('slug like'))).toHaveLength(1);
});

test('the prepared statement still sees only the tenant of its transaction (row-level security)', async () => {
  // Act: the same prepared text under two tenants on the same connection
  const a = await db.withTenant({ tenantId: TENANT_A }, (tx) => tenantSlugs(tx, true));
  const b = await db.withTenant({ tenantId: TENANT_B }, (tx) => tenantSlugs(tx, true));
  const none = await db.withoutTenant((tx) => tenantSlugs(tx, true));

  // Assess
  expect(a).toEqual([{ slug: 'prepared-a' }]);
  expect(b).toEqual([{ slug: 'prepared-b' }]);
  expect(none).toEqual([]);
});

import { eq, like, sql } from 'drizzle-orm';
import { rowsOf, type Database, type Tx } from '../../../shared/db/client';
import { runPrebuilt, type StatementPart } from '../../../shared/db/prebuilt-statement';
import { tenants } from '../../../shared/db/schema';
import { migratedServerDatabase } from '../../support/databases';

const TENANT_A = '00000000-0000-4000-8000-0000000000a1';
const TENANT_B = '00000000-0000-4000-8000-0000000000b1';
let database: Awaited<ReturnType<typeof migratedServerDatabase>>;
let db: Database;

beforeAll(async () => {
  // One connection: every transaction below sees the same session's prepared statements.
  database = await migratedServerDatabase('hishamos_prebuilt_named', { max: 1 });
  db = database.db;
  for (const [id, slug] of [
    [TENANT_A, 'named-a'],
    [TENANT_B, 'named-b'],
  ])
    await db.owner.execute(
      sql`insert into tenants (id, slug, name) values (${id}, ${slug}, ${slug})`,
    );
});
afterAll(async () => {
  await database?.close();
});

/** Renames every tenant the transaction sees; with `bySlug`, only those whose slug matches too. */
const rename = (name: string, bySlug?: string): StatementPart => ({
  shape: bySlug ? 'by-slug' : 'all',
  build: (tx) =>
    tx
      .update(tenants)
      .set({ name: sql`${sql.placeholder('name')}` })
      .where(bySlug ? eq(tenants.slug, sql.placeholder('slug')) : like(tenants.slug, 'named-%'))
      .getSQL(),
  values: bySlug ? { name, slug: bySlug } : { name },
});
const prepared = (tx: Tx) =>
  tx
    .execute(sql`select name, statement from pg_prepared_statements where statement like 'update%'`)
    .then((r) => rowsOf<{ name: string; statement: string }>(r));
const names = () =>
  db.owner
    .select({ slug: tenants.slug, name: tenants.name })
    .from(tenants)
    .where(like(tenants.slug, 'named-%'))
    .orderBy(tenants.slug);

test('a prebuilt statement is prepared once per shape under its own name', async () => {
  // Act
  await db.withTenant({ tenantId: TENANT_A }, (tx) =>
    runPrebuilt(tx, 'test_rename', rename('one')),
  );
  await db.withTenant({ tenantId: TENANT_A }, (tx) =>
    runPrebuilt(tx, 'test_rename', rename('two')),
  );
  await db.withTenant({ tenantId: TENANT_A }, (tx) =>
    runPrebuilt(tx, 'test_rename', rename('three', 'named-a')),
  );
  const statements = await db.withTenant({ tenantId: TENANT_A }, prepared);

  // Assess
  expect(statements.map((s) => s.name).sort()).toEqual(['test_rename_0', 'test_rename_1']);
  expect(statements.every((s) => s.statement.includes('$1'))).toBe(true);
  expect(await names()).toEqual([
    { slug: 'named-a', name: 'three' },
    { slug: 'named-b', name: 'named-b' },
  ]);
});

test('the prepared statement still reaches only the tenant of its transaction (row-level security)', async () => {
  // Act: the same prepared statement under two tenants on the same connection, then none
  await db.withTenant({ tenantId: TENANT_A }, (tx) => runPrebuilt(tx, 'test_rename', rename('a')));
  await db.withTenant({ tenantId: TENANT_B }, (tx) => runPrebuilt(tx, 'test_rename', rename('b')));
  await db.withoutTenant((tx) => runPrebuilt(tx, 'test_rename', rename('nobody')));

  // Assess
  expect(await names()).toEqual([
    { slug: 'named-a', name: 'a' },
    { slug: 'named-b', name: 'b' },
  ]);
});

/**
 * The application's database client in its AWS mode (drizzle's aws-data-api driver through the real
 * SDK) against the local Data API endpoint on the real PostgreSQL: jsonb stays an object on both
 * paths (drizzle-orm#4701), money is exact, and a failed statement inside a transaction surfaces
 * its own error, not the TransactionNotFoundException of the rollback that follows.
 */
import { eq, sql } from 'drizzle-orm';
import { jsonb, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { type LocalDataApi, startDataApi } from '../../../infra/local/data-api/server';
import { type Database, openDatabase, rowsOf } from '../../../shared/db/client';
import { money } from '../../../shared/db/sql-values';
import { freshDatabase } from '../../support/fresh-database';

const things = pgTable('things', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  spec: jsonb('spec').notNull(),
  cost: numeric('cost', { precision: 14, scale: 6, mode: 'number' }).notNull(),
});

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let api: LocalDataApi;
let db: Database;

beforeAll(async () => {
  fresh = await freshDatabase(process.env.DATABASE_URL ?? '');
  api = await startDataApi({ databaseUrl: fresh.url });
  db = await openDatabase({
    driver: 'data-api',
    endpoint: api.url,
    resourceArn: 'arn:aws:rds:us-east-1:000000000000:cluster:hishamos',
    secretArn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db',
    database: fresh.name,
    region: 'us-east-1',
  });
  await db.owner.execute(
    sql.raw(
      'create table things (id uuid primary key default gen_random_uuid(), name text not null unique, spec jsonb not null, cost numeric(14,6) not null)',
    ),
  );
});
afterAll(async () => {
  await db?.close();
  await api?.close();
  await fresh?.drop();
});

test('jsonb is written and read as an object, numbers in it stay numbers', async () => {
  const spec = { nodes: [{ id: 'pm', n: 1.5 }], ok: true, text: '{"not":"parsed"}' };
  const [row] = await db.owner.insert(things).values({ name: 'a', spec, cost: 0 }).returning();
  expect(row.spec).toEqual(spec);
  const [typed] = rowsOf<{ t: string }>(
    await db.owner.execute(
      sql`select jsonb_typeof(spec) as t from things where id = ${row.id}::uuid`,
    ),
  );
  expect(typed.t).toBe('object');
  const [read] = await db.owner.select().from(things).where(eq(things.id, row.id));
  expect(read.spec).toEqual(spec);
});

test('money is carried exactly: typed columns get DECIMAL hints, hand-written sums cast', async () => {
  const [row] = await db.owner
    .insert(things)
    .values({ name: 'b', spec: {}, cost: 0.1 })
    .returning({ id: things.id });
  for (let i = 0; i < 2; i++)
    await db.owner
      .update(things)
      .set({ cost: sql`${things.cost} + ${money(0.2)}` })
      .where(eq(things.id, row.id));
  const [raw] = rowsOf<{ cost: string }>(
    await db.owner.execute(sql`select cost from things where id = ${row.id}::uuid`),
  );
  expect(raw.cost).toBe('0.500000');
  const [read] = await db.owner
    .select({ cost: things.cost })
    .from(things)
    .where(eq(things.id, row.id));
  expect(read.cost).toBe(0.5);
});

test('a failed statement in a transaction throws its own error', async () => {
  await db.owner.insert(things).values({ name: 'taken', spec: {}, cost: 0 });
  const error = await db.owner
    .transaction(async (tx) => {
      await tx.insert(things).values({ name: 'taken', spec: {}, cost: 0 });
    })
    .then(
      () => undefined,
      (e: Error & { cause?: Error }) => e,
    );
  expect(error?.cause?.name).toBe('DatabaseErrorException');
  expect(error?.cause?.message).toMatch(
    /duplicate key value violates unique constraint[\s\S]*SQLState: 23505/,
  );
});

/**
 * A run's event order (events.ts, ADRs 070 and 177), on a PostgreSQL server in every phase: two
 * transactions append to one run and commit out of seq order. Writers do not wait on each other;
 * a reader waits for the writer still open, so a page never ends past an event that commits later
 * and a reader resuming "after seq N" skips nothing.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../../../shared/db/client';
import {
  appendEvent,
  awaitEventWriters,
  listEvents,
  type RunEventInput,
} from '../../../shared/runs/events';
import { migratedServerDatabase } from '../../support/databases';

const TENANT = '00000000-0000-4000-8000-0000000000e1';
const OTHER_TENANT = '00000000-0000-4000-8000-0000000000e2';
const RUN = randomUUID();
let database: Awaited<ReturnType<typeof migratedServerDatabase>>;
let db: Database;

beforeAll(async () => {
  database = await migratedServerDatabase('hishamos_event_order', { max: 4 });
  db = database.db;
  for (const id of [TENANT, OTHER_TENANT])
    await db.owner.execute(
      sql`insert into tenants (id, slug, name) values (${id}::uuid, ${`order-${id.slice(-2)}`}, 'order')`,
    );
  const workflow = randomUUID();
  await db.owner.execute(
    sql`insert into workflows (id, tenant_id, slug, current_version, published_version) values (${workflow}::uuid, ${TENANT}::uuid, 'w', 1, 1)`,
  );
  await db.owner.execute(
    sql`insert into runs (id, tenant_id, workflow_id, workflow_version, agent_versions, status, input, cost_usd)
        values (${RUN}::uuid, ${TENANT}::uuid, ${workflow}::uuid, 1, '{}'::jsonb, 'RUNNING', '{}'::jsonb, 0)`,
  );
});
afterAll(async () => {
  await database?.close();
});

const auth = { tenantId: TENANT };
const event = (type: string): RunEventInput => ({
  tenantId: TENANT,
  runId: RUN,
  type,
  message: type,
});

/** Starts a transaction that appends `type` and stays open until `release` is called. */
function openWriter(type: string) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let appended!: () => void;
  const drawn = new Promise<void>((r) => (appended = r));
  const done = db.withTenant(auth, async (tx) => {
    await appendEvent(tx, event(type));
    appended();
    await released;
  });
  return { drawn, release, done };
}

/** Resolves once some session waits for an advisory lock it has not been granted, or `settled`. */
async function someoneWaitsForTheEventLock(settled: Promise<unknown>): Promise<void> {
  let over = false;
  void settled.finally(() => (over = true));
  while (!over) {
    const result = await db.owner.execute(
      sql`select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted`,
    );
    if (rowsOf<{ waiting: number }>(result)[0].waiting > 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const typesAfter = async (after: number) =>
  (await db.withTenant(auth, (tx) => listEvents(tx, RUN, after, 100))).items;

test('events that commit out of seq order are read in seq order, none skipped', async () => {
  // Prepare: the first writer draws its seq and stays open.
  const before = await typesAfter(0);
  const cursor = before.length ? before[before.length - 1].seq : 0;
  const first = openWriter('first');
  await first.drawn;

  // Act: a second writer appends and commits while the first is open (it does not wait on it),
  // then a reader asks for the events after the cursor.
  await db.withTenant(auth, (tx) => appendEvent(tx, event('second')));
  const unguarded = await db.withTenant(auth, (tx) =>
    tx.execute(sql`select type from run_events where run_id = ${RUN}::uuid and seq > ${cursor}`),
  );
  const reading = typesAfter(cursor);
  // The reader waits for the open writer (a reader that did not would answer here at once).
  await someoneWaitsForTheEventLock(reading);
  first.release();
  await first.done;
  const page = await reading;

  // Assess: a read that does not wait sees only the later seq, the one a resuming reader would
  // have jumped past; the page has both, in seq order.
  expect(rowsOf<{ type: string }>(unguarded).map((r) => r.type)).toEqual(['second']);
  expect(page.map((e) => e.type)).toEqual(['first', 'second']);
  expect(page[0].seq).toBeLessThan(page[1].seq);
});

test('the wait returns the run status in the same statement, null for a run not visible', async () => {
  // Act
  const own = await db.withTenant(auth, (tx) => awaitEventWriters(tx, RUN));
  const other = await db.withTenant({ tenantId: OTHER_TENANT }, (tx) => awaitEventWriters(tx, RUN));

  // Assess
  expect(own).toBe('RUNNING');
  expect(other).toBeNull();
});

test('a rolled-back writer leaves no event behind and does not hold readers up', async () => {
  // Prepare
  const before = await typesAfter(0);
  const cursor = before[before.length - 1].seq;

  // Act
  await expect(
    db.withTenant(auth, async (tx) => {
      await appendEvent(tx, event('abandoned'));
      throw new Error('the writer fails after its event');
    }),
  ).rejects.toThrow('the writer fails after its event');
  await db.withTenant(auth, (tx) => appendEvent(tx, event('kept')));

  // Assess
  expect((await typesAfter(cursor)).map((e) => e.type)).toEqual(['kept']);
});

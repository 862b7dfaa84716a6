import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type Database } from '../../../shared/db/client';
import { rowsOf } from '../../../shared/db/client';
import {
  asLastStatement,
  frameScopeOnBegin,
  queryClass,
  scopeStatement,
  withPendingScope,
} from '../../../shared/db/pg-scope-framing';
import { migratedServerDatabase } from '../../support/databases';

const TENANT = '00000000-0000-4000-8000-0000000000a1';
const USER = '00000000-0000-4000-8000-0000000000b2';
let database: Awaited<ReturnType<typeof migratedServerDatabase>>;
let db: Database;
const sent: string[] = [];
const original = pg.Client.prototype.query;
// Round trips the client starts: a Sync ends an extended-protocol pipeline, a Query is one message.
let roundTrips = 0;
const connection = pg.Connection.prototype as unknown as Record<'sync' | 'query', () => void>;
const { sync, query: simpleQuery } = connection;

beforeAll(async () => {
  // Counts what each connection sends (installed before the pool makes its first client).
  connection.sync = function (this: unknown) {
    roundTrips++;
    return sync.apply(this);
  };
  connection.query = function (this: unknown, ...args: unknown[]) {
    roundTrips++;
    return (simpleQuery as (...a: unknown[]) => void).apply(this, args);
  };
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    sent.push(typeof first === 'string' ? first : (first?.text ?? ''));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  // The migrations create the application role the scope switches to.
  database = await migratedServerDatabase('hishamos_framing', { max: 1 });
  db = database.db;
});
afterAll(async () => {
  pg.Client.prototype.query = original;
  connection.sync = sync;
  connection.query = simpleQuery;
  await database?.close();
});

const whoAmI = (tx: Parameters<Parameters<Database['withTenant']>[1]>[0]) =>
  tx
    .execute(
      sql`select current_user as role, current_setting('app.tenant_id', true) as tenant, current_setting('app.user_id', true) as "user"`,
    )
    .then((r) => rowsOf<{ role: string; tenant: string; user: string }>(r)[0]);

test('one round trip opens the transaction and sets role, tenant and user', async () => {
  // Act
  sent.length = 0;
  const inside = await db.withTenant({ tenantId: TENANT, userId: USER }, whoAmI);

  // Assess
  expect(inside).toEqual({ role: 'hishamos_app', tenant: TENANT, user: USER });
  expect(sent).toHaveLength(3);
  expect(sent[0]).toMatch(/^begin; select set_config\('role', 'hishamos_app', true\)/);
  expect(sent[0]).toContain(`'${TENANT}'`);
  expect(sent[2]).toBe('commit');
});

test('an id that is not a UUID is never inlined: the scope goes in a parameterised statement', async () => {
  // Act
  sent.length = 0;
  const inside = await db.withTenant({ tenantId: "x'); drop table t; --" }, whoAmI);

  // Assess
  expect(inside).toEqual({ role: 'hishamos_app', tenant: "x'); drop table t; --", user: '' });
  expect(sent[0]).toBe('begin');
  expect(sent[1]).toMatch(
    /^select set_config\('role', 'hishamos_app', true\), set_config\('app.tenant_id', \$1/,
  );
});

test('nothing of the scope outlives its transaction on the pooled connection, failed or not', async () => {
  // Prepare: one connection in the pool, so the owner's transaction reuses it
  await db.withTenant({ tenantId: TENANT, userId: USER }, whoAmI);
  await expect(
    db.withTenant({ tenantId: TENANT }, async (tx) => {
      await whoAmI(tx);
      throw new Error('rolled back');
    }),
  ).rejects.toThrow('rolled back');

  // Act
  const after = await db.owner.transaction(whoAmI);
  const noTenant = await db.withoutTenant(whoAmI);

  // Assess
  expect(after.role).not.toBe('hishamos_app');
  expect(after.tenant ?? '').toBe('');
  expect(noTenant).toEqual({ role: 'hishamos_app', tenant: '', user: '' });
});

test('a tenant transaction opened inside another gets its own scope', async () => {
  // Prepare: a second pool, so the inner transaction has a connection of its own
  const two = await openDatabase({ driver: 'pg', url: database.url, max: 2 });
  const other = '00000000-0000-4000-8000-0000000000c3';

  // Act
  const [outer, inner] = await two.withTenant({ tenantId: TENANT }, async (tx) => {
    const i = await two.withTenant({ tenantId: other }, whoAmI);
    return [await whoAmI(tx), i];
  });
  await two.close();

  // Assess
  expect(outer.tenant).toBe(TENANT);
  expect(inner.tenant).toBe(other);
});

test('a first statement with parameters carries the BEGIN and the scope: one round trip for all three', async () => {
  // Act
  roundTrips = 0;
  const inside = await db.withTenant({ tenantId: TENANT, userId: USER }, (tx) =>
    tx
      .execute(
        sql`select current_user as role, current_setting('app.tenant_id', true) as tenant, ${'given'}::text as v`,
      )
      .then((r) => rowsOf<{ role: string; tenant: string; v: string }>(r)),
  );

  // Assess: the statement's own rows only (not the scope's), then the COMMIT
  expect(inside).toEqual([{ role: 'hishamos_app', tenant: TENANT, v: 'given' }]);
  expect(roundTrips).toBe(2);
});

test('a transaction that sends no statement sends no BEGIN either', async () => {
  // Act
  roundTrips = 0;
  const answer = await db.withTenant({ tenantId: TENANT }, async () => 42);

  // Assess
  expect(answer).toBe(42);
  expect(roundTrips).toBe(0);
});

test('a failed first statement fails the transaction, and the connection is clean after it', async () => {
  // Act
  const failed = db.withTenant({ tenantId: TENANT }, (tx) =>
    tx.execute(sql`select 1 / ${0}::int as x`),
  );

  // Assess
  // drizzle wraps the server's error as its cause (22012: division_by_zero).
  await expect(failed).rejects.toMatchObject({ cause: { code: '22012' } });
  const after = await db.owner.transaction(whoAmI);
  expect(after.role).not.toBe('hishamos_app');
  expect(after.tenant ?? '').toBe('');
  expect(await db.withTenant({ tenantId: USER }, whoAmI)).toMatchObject({ tenant: USER });
});

test('a named statement whose parse failed behind the scope is parsed again next time', async () => {
  // Prepare: a pool of one framed client, as openDatabase makes them
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  pool.on('connect', (client) => frameScopeOnBegin(client, queryClass(pg.Query)));
  const client = await pool.connect();
  const statement = { name: 'framing_probe', text: 'select x from framing_probe where x = $1' };
  const inTenant = (fn: () => Promise<unknown>) =>
    withPendingScope(scopeStatement({ tenantId: TENANT }), async () => {
      await client.query('begin');
      try {
        return await fn();
      } finally {
        await client.query('rollback');
      }
    });

  // Act: the first parse fails (no such table), then the table exists
  const first = inTenant(() => client.query(statement, [1]));
  await expect(first).rejects.toThrow(/framing_probe/);
  await client.query('create table framing_probe (x int)');
  await client.query('grant select on framing_probe to hishamos_app');
  await client.query('insert into framing_probe values (1)');
  const second = await inTenant(() => client.query(statement, [1]));
  client.release();
  await pool.end();

  // Assess
  expect(second).toMatchObject({ rows: [{ x: 1 }] });
});

describe('a statement sent as the last of its transaction', () => {
  beforeAll(async () => {
    await db.owner.execute(sql`create table framing_rows (x int)`);
    await db.owner.execute(sql`grant select, insert on framing_rows to hishamos_app`);
  });
  const count = async (x: number) =>
    rowsOf<{ n: string | number }>(
      await db.owner.execute(sql`select count(*) as n from framing_rows where x = ${x}`),
    ).map((r) => Number(r.n))[0];

  test('carries the BEGIN, the scope and the COMMIT: the whole transaction is one round trip', async () => {
    // Act
    roundTrips = 0;
    await db.withTenant({ tenantId: TENANT }, (tx) =>
      asLastStatement(() => tx.execute(sql`insert into framing_rows values (${1})`)),
    );

    // Assess
    expect(roundTrips).toBe(1);
    expect(await count(1)).toBe(1);
  });

  test('after other statements, commits with its own round trip', async () => {
    // Act
    roundTrips = 0;
    await db.withTenant({ tenantId: TENANT }, async (tx) => {
      await tx.execute(sql`insert into framing_rows values (${2})`);
      await asLastStatement(() => tx.execute(sql`insert into framing_rows values (${2})`));
    });

    // Assess
    expect(roundTrips).toBe(2);
    expect(await count(2)).toBe(2);
  });

  test('that fails, leaves nothing of its transaction written', async () => {
    // Act
    const failed = db.withTenant({ tenantId: TENANT }, async (tx) => {
      await tx.execute(sql`insert into framing_rows values (${3})`);
      await asLastStatement(() => tx.execute(sql`select 1 / ${0}::int`));
    });

    // Assess
    await expect(failed).rejects.toMatchObject({ cause: { code: '22012' } });
    expect(await count(3)).toBe(0);
    expect(await db.withTenant({ tenantId: TENANT }, whoAmI)).toMatchObject({ tenant: TENANT });
  });

  test('is the last: a statement after it fails and is not run', async () => {
    // Act
    const misused = db.withTenant({ tenantId: TENANT }, async (tx) => {
      await asLastStatement(() => tx.execute(sql`insert into framing_rows values (${4})`));
      await tx.execute(sql`insert into framing_rows values (${5})`);
    });

    // Assess: the first committed; the second never reached the server
    await expect(misused).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/after its transaction committed/) },
    });
    expect(await count(4)).toBe(1);
    expect(await count(5)).toBe(0);
    expect(await db.withTenant({ tenantId: TENANT }, whoAmI)).toMatchObject({ tenant: TENANT });
  });
});

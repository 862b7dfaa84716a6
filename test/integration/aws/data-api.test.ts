/**
 * The local RDS Data API endpoint, driven through the real `@aws-sdk/client-rds-data` client with
 * an endpoint override, on the real PostgreSQL (DATABASE_URL; the suite needs a server because a
 * transaction id is bound to one connection). Each case is a documented Aurora behaviour
 * (docs/adr/040-local-data-api.md).
 */
import {
  BatchExecuteStatementCommand,
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  type ExecuteStatementCommandInput,
  RDSDataClient,
  RollbackTransactionCommand,
  type SqlParameter,
} from '@aws-sdk/client-rds-data';
import { type LocalDataApi, startDataApi } from '../../../infra/local/data-api/server';
import { freshDatabase } from '../../support/fresh-database';

const BASE = process.env.DATABASE_URL ?? '';
const ARNS = {
  resourceArn: 'arn:aws:rds:us-east-1:000000000000:cluster:hishamos',
  secretArn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:hishamos-db-abc123',
};

let db: Awaited<ReturnType<typeof freshDatabase>>;
let api: LocalDataApi;
let client: RDSDataClient;

const exec = (
  sql: string,
  parameters?: SqlParameter[],
  extra: Partial<ExecuteStatementCommandInput> = {},
) => client.send(new ExecuteStatementCommand({ ...ARNS, sql, parameters, ...extra }));
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as Error & { name: string; dbConnectionId?: number };
  }
  throw new Error('expected the call to fail');
};
const str = (name: string, value: string, typeHint?: SqlParameter['typeHint']): SqlParameter => ({
  name,
  value: { stringValue: value },
  ...(typeHint ? { typeHint } : {}),
});

beforeAll(async () => {
  db = await freshDatabase(BASE);
  api = await startDataApi({
    databaseUrl: db.url,
    transactionIdleMs: 300,
    statementTimeoutMs: 1500,
  });
  client = new RDSDataClient({
    endpoint: api.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await exec('create extension if not exists vector');
  await exec(
    'create table t (id uuid primary key, tenant_id uuid not null, amount numeric(20,10), at timestamptz, day date, tm time, doc jsonb, note text, n int, big bigint, flag boolean, f double precision, bin bytea, tags text[], nums int[], search tsvector, span interval)',
  );
  await exec(
    'create function owns(p uuid) returns boolean language sql as $$ select p is not null $$',
  );
});
afterAll(async () => {
  client?.destroy();
  await api?.close();
  await db?.drop();
});

describe('parameter typing (a string without typeHint is text)', () => {
  const id = '00000000-0000-4000-8000-000000000001';
  const tenant = '00000000-0000-4000-8000-0000000000aa';

  it('refuses an untyped string where a uuid is expected, in comparisons, inserts and function calls', async () => {
    const cmp = await failure(exec('select 1 from t where id = :id', [str('id', id)]));
    expect(cmp.name).toBe('DatabaseErrorException');
    expect(cmp.message).toMatch(/operator does not exist: uuid = text[\s\S]*SQLState: 42883/);
    const ins = await failure(
      exec('insert into t (id, tenant_id) values (:id, :t)', [
        str('id', id, 'UUID'),
        str('t', tenant),
      ]),
    );
    expect(ins.message).toMatch(
      /column "tenant_id" is of type uuid but expression is of type text/,
    );
    const fn = await failure(exec('select owns(:p)', [str('p', id)]));
    expect(fn.message).toMatch(/function owns\(text\) does not exist/);
    const money = await failure(exec('update t set amount = :a', [str('a', '1.5')]));
    expect(money.message).toMatch(
      /column "amount" is of type numeric but expression is of type text/,
    );
  });

  it('binds UUID, DECIMAL, TIMESTAMP, DATE, TIME and JSON hints as those types, exactly', async () => {
    const res = await exec(
      'insert into t (id, tenant_id, amount, at, day, tm, doc) values (:id, :t, :a, :at, :d, :tm, :doc) returning amount, at, day, tm, doc, owns(id)',
      [
        str('id', id, 'UUID'),
        str('t', tenant, 'UUID'),
        str('a', '1234567890.0123456789', 'DECIMAL'),
        str('at', '2026-11-29 14:05:06.789', 'TIMESTAMP'),
        str('d', '2026-11-29', 'DATE'),
        str('tm', '14:05:06', 'TIME'),
        str('doc', '{"a":[1,2],"b":"x"}', 'JSON'),
      ],
    );
    expect(res.records?.[0]).toEqual([
      { stringValue: '1234567890.0123456789' },
      { stringValue: '2026-11-29 14:05:06.789' },
      { stringValue: '2026-11-29' },
      { stringValue: '14:05:06' },
      { stringValue: '{"a": [1, 2], "b": "x"}' },
      { booleanValue: true },
    ]);
    expect(res.numberOfRecordsUpdated).toBe(1);
  });

  it('rejects hinted values in the wrong format, and array parameters', async () => {
    const ts = await failure(exec('select :at', [str('at', '2026-11-29T14:05:06Z', 'TIMESTAMP')]));
    expect(ts.name).toBe('BadRequestException');
    const arr = await failure(
      exec('select :a', [{ name: 'a', value: { arrayValue: { longValues: [1, 2] } } }]),
    );
    expect(arr.name).toBe('BadRequestException');
    expect(arr.message).toBe('Array parameters are not supported.');
  });

  it('binds long, double, boolean, blob and null as their own types', async () => {
    const res = await exec(
      'select :l + 1 as l, :d * 2 as d, not :b as b, length(:blob) as len, :nothing::int is null as nul',
      [
        { name: 'l', value: { longValue: 41 } },
        { name: 'd', value: { doubleValue: 1.25 } },
        { name: 'b', value: { booleanValue: false } },
        { name: 'blob', value: { blobValue: new Uint8Array([1, 2, 3]) } },
        { name: 'nothing', value: { isNull: true } },
      ],
    );
    expect(res.records?.[0]).toEqual([
      { longValue: 42 },
      { doubleValue: 2.5 },
      { booleanValue: true },
      { longValue: 3 },
      { booleanValue: true },
    ]);
  });
});

describe('result encoding', () => {
  it('encodes each supported type as Aurora does, timestamptz in UTC, arrays as arrayValue', async () => {
    const res = await exec(
      `select 7::int2, 8::int8, 1.5::float4, 12.50::numeric, true, null::text, 'x'::varchar, '\\x0102'::bytea,
              '2026-11-29 15:00:00+01'::timestamptz, array[1,2]::int[], array['a','b c']::text[], array[true,false],
              '[1,2,3]'::vector, gen_random_uuid() is not null`,
      undefined,
      { includeResultMetadata: true },
    );
    const row = res.records?.[0] ?? [];
    expect(row.slice(0, 12)).toEqual([
      { longValue: 7 },
      { longValue: 8 },
      { doubleValue: 1.5 },
      { stringValue: '12.50' },
      { booleanValue: true },
      { isNull: true },
      { stringValue: 'x' },
      { blobValue: new Uint8Array([1, 2]) },
      { stringValue: '2026-11-29 14:00:00' },
      { arrayValue: { longValues: [1, 2] } },
      { arrayValue: { stringValues: ['a', 'b c'] } },
      { arrayValue: { booleanValues: [true, false] } },
    ]);
    expect(row[12]).toEqual({ stringValue: '[1,2,3]' });
    expect(res.columnMetadata?.map((c) => c.typeName)).toContain('vector');
  });

  it('answers UnsupportedResultException for types outside the documented list', async () => {
    for (const expr of ["to_tsvector('simple', 'a b')", "interval '1 day'", "'{}'::jsonb[]"]) {
      const e = await failure(exec(`select ${expr}`));
      expect(e.name).toBe('UnsupportedResultException');
    }
  });

  it('returns records as a JSON string with formatRecordsAs JSON', async () => {
    const res = await exec("select 1 as a, 'x' as b, null::int as c", undefined, {
      formatRecordsAs: 'JSON',
    });
    expect(res.records).toBeUndefined();
    expect(JSON.parse(res.formattedRecords ?? '')).toEqual([{ a: 1, b: 'x', c: null }]);
  });

  it('honours decimalReturnType DOUBLE_OR_LONG', async () => {
    const res = await exec('select 2.5::numeric, 3::numeric', undefined, {
      resultSetOptions: { decimalReturnType: 'DOUBLE_OR_LONG' },
    });
    expect(res.records?.[0]).toEqual([{ doubleValue: 2.5 }, { longValue: 3 }]);
  });
});

describe('statements', () => {
  it('refuses multistatements', async () => {
    const e = await failure(exec('select 1; select 2'));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe("Multistatements aren't supported.");
    // a trailing semicolon, a ';' inside a literal and a '::' cast are one statement
    const ok = await exec("select ';'::text as s, :x::int as n;", [
      { name: 'x', value: { longValue: 1 } },
    ]);
    expect(ok.records?.[0]).toEqual([{ stringValue: ';' }, { longValue: 1 }]);
  });

  it('runs a batch over parameter sets', async () => {
    await exec('create table b (n int, label text)');
    const res = await client.send(
      new BatchExecuteStatementCommand({
        ...ARNS,
        sql: 'insert into b (n, label) values (:n, :l)',
        parameterSets: [1, 2, 3].map((n) => [
          { name: 'n', value: { longValue: n } },
          str('l', `row ${n}`),
        ]),
      }),
    );
    expect(res.updateResults).toHaveLength(3);
    const count = await exec('select count(*) from b');
    expect(count.records?.[0]).toEqual([{ longValue: 3 }]);
  });

  it('stops a call at the statement timeout and cancels the statement', async () => {
    const e = await failure(exec('select pg_sleep(30)'));
    expect(e.name).toBe('StatementTimeoutException');
    expect(typeof e.dbConnectionId).toBe('number');
    const still = await exec(
      "select count(*) from pg_stat_activity where query = 'select pg_sleep(30)' and state = 'active'",
    );
    expect(still.records?.[0]).toEqual([{ longValue: 0 }]);
  });
});

describe('transactions', () => {
  const begin = async () =>
    (await client.send(new BeginTransactionCommand(ARNS))).transactionId as string;

  it('binds a transaction id to one connection: uncommitted rows are invisible elsewhere, then committed', async () => {
    await exec('create table tx (v text)');
    const transactionId = await begin();
    await exec('insert into tx values (:v)', [str('v', 'in tx')], { transactionId });
    const mine = await exec('select count(*) from tx', undefined, { transactionId });
    const theirs = await exec('select count(*) from tx');
    expect(mine.records?.[0]).toEqual([{ longValue: 1 }]);
    expect(theirs.records?.[0]).toEqual([{ longValue: 0 }]);
    const done = await client.send(new CommitTransactionCommand({ ...ARNS, transactionId }));
    expect(done.transactionStatus).toBe('Transaction Committed');
    expect((await exec('select count(*) from tx')).records?.[0]).toEqual([{ longValue: 1 }]);
    const again = await failure(exec('select 1', undefined, { transactionId }));
    expect(again.name).toBe('TransactionNotFoundException');
    expect(again.message).toContain(`Transaction ${transactionId} isn't found`);
  });

  it('rolls back, and an error ends the transaction (its id is then not found)', async () => {
    const transactionId = await begin();
    await exec('insert into tx values (:v)', [str('v', 'rolled back')], { transactionId });
    const status = await client.send(new RollbackTransactionCommand({ ...ARNS, transactionId }));
    expect(status.transactionStatus).toBe('Rollback Complete');
    const failed = await begin();
    await exec('insert into tx values (:v)', [str('v', 'lost')], { transactionId: failed });
    await failure(exec('select 1/0', undefined, { transactionId: failed }));
    const after = await failure(exec('select 1', undefined, { transactionId: failed }));
    expect(after.name).toBe('TransactionNotFoundException');
    expect(after.message).toMatch(/aborted due to an error from a previous call/);
    const rows = await exec("select count(*) from tx where v in ('rolled back', 'lost')");
    expect(rows.records?.[0]).toEqual([{ longValue: 0 }]);
  });

  it('refuses a second call while the transaction is running one', async () => {
    const holder = await begin();
    await exec('select pg_advisory_xact_lock(4242)', undefined, { transactionId: holder });
    const transactionId = await begin();
    const waiting = exec('select pg_advisory_xact_lock(4242)', undefined, { transactionId });
    const blocked = async () =>
      (
        await exec(
          "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%4242%'",
        )
      ).records?.[0][0].longValue;
    while ((await blocked()) !== 1) await new Promise((r) => setTimeout(r, 20));
    const busy = await failure(exec('select 1', undefined, { transactionId }));
    expect(busy.name).toBe('DatabaseErrorException');
    expect(busy.message).toBe('Transaction is still running a query');
    await client.send(new RollbackTransactionCommand({ ...ARNS, transactionId: holder }));
    await waiting;
    await client.send(new RollbackTransactionCommand({ ...ARNS, transactionId }));
  });

  it('rolls back a transaction left idle past the timeout', async () => {
    const transactionId = await begin();
    await exec('insert into tx values (:v)', [str('v', 'idle')], { transactionId });
    // Wait (without touching the transaction, which would keep it alive) until its session ends.
    const idleSessions = async () =>
      (
        await exec(
          "select count(*) from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'",
        )
      ).records?.[0][0].longValue;
    while ((await idleSessions()) !== 0) await new Promise((r) => setTimeout(r, 50));
    const error = await failure(
      client.send(new CommitTransactionCommand({ ...ARNS, transactionId })),
    );
    expect(error.name).toBe('TransactionNotFoundException');
    expect(error.message).toMatch(/expired/);
    expect((await exec("select count(*) from tx where v = 'idle'")).records?.[0]).toEqual([
      { longValue: 0 },
    ]);
  });
});

describe('size limits', () => {
  it('refuses a row over 64 KB, a response over 1 MiB and a request over 4 MiB', async () => {
    const row = await failure(exec("select repeat('x', 70000)"));
    expect(row.name).toBe('BadRequestException');
    expect(row.message).toBe('Packet for query is too large');
    const fine = await exec("select repeat('x', 60000)");
    expect(fine.records?.[0][0].stringValue).toHaveLength(60000);
    const response = await failure(exec("select repeat('x', 60000) from generate_series(1, 20)"));
    expect(response.name).toBe('BadRequestException');
    expect(response.message).toBe('Database response exceeded size limit');
    const request = await failure(exec('select :big', [str('big', 'y'.repeat(4 * 1024 * 1024))]));
    expect(request.name).toBe('BadRequestException');
    expect(api.largest.row).toBeGreaterThan(60000);
  });
});

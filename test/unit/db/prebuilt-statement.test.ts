/**
 * A prebuilt statement (prebuilt-statement.ts, ADR 172) is rendered once per dialect: a process
 * holding databases of two drivers gets each driver's own text and type hints. Neither database
 * is reached: rendering only needs the dialect.
 */
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { eq, sql } from 'drizzle-orm';
import { drizzle as dataApi } from 'drizzle-orm/aws-data-api/pg';
import { drizzle as nodePostgres } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Tx } from '../../../shared/db/client';
import { insertWrite, placeholderFor, prebuilt } from '../../../shared/db/prebuilt-statement';
import { runSteps, runs } from '../../../shared/db/schema';

// Rendering reads only the dialect, which a database and its transactions share.
const asTx = (db: object) => db as Tx;

const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
const client = new RDSDataClient({ region: 'eu-west-1' });
afterAll(async () => {
  await pool.end();
  client.destroy();
});

test('each driver gets its own text and hints for the same key, each rendered once', () => {
  // Prepare
  const onPg = asTx(nodePostgres({ client: pool }));
  const onDataApi = asTx(
    dataApi(client, { database: 'd', resourceArn: 'arn:r', secretArn: 'arn:s' }),
  );
  let builds = 0;
  const build = () => {
    builds++;
    return sql`select ${runSteps.status} from ${runSteps} where ${eq(runSteps.id, placeholderFor(runSteps.id, 'id'))} and ${runSteps.nodeId} = ${sql.placeholder('node')}`;
  };

  // Act
  const first = prebuilt(onPg, 'k', (i) => `k_${i}`, build);
  const dataApiFirst = prebuilt(onDataApi, 'k', (i) => `k_${i}`, build);
  const again = prebuilt(onPg, 'k', (i) => `k_${i}`, build);

  // Assess
  expect(first.rendered.text).toContain('"run_steps"."id" = $1 and "run_steps"."node_id" = $2');
  expect(dataApiFirst.rendered.text).toContain(
    '"run_steps"."id" = :1 and "run_steps"."node_id" = :2',
  );
  expect(dataApiFirst.rendered.typings).toEqual(['uuid', 'none']);
  expect(again).toBe(first);
  expect(builds).toBe(2);
  expect([first.name, dataApiFirst.name]).toEqual(['k_0', 'k_0']);
});

const step = (nodeId: string) => ({
  tenantId: 't',
  runId: 'r',
  nodeId,
  type: 'agent',
  status: 'PENDING',
});

test('an insert of rows shares its shape per row count, its values placeholders with column hints', () => {
  // Prepare
  const onDataApi = asTx(
    dataApi(client, { database: 'd', resourceArn: 'arn:r', secretArn: 'arn:s' }),
  );
  const run = insertWrite(runs, 'run', [
    {
      id: 'i',
      tenantId: 't',
      workflowId: 'w',
      workflowVersion: 1,
      agentVersions: {},
      status: 'QUEUED',
      input: {},
    },
  ]);

  // Act
  const two = insertWrite(runSteps, 'step', [step('a'), step('b')]);
  const again = insertWrite(runSteps, 'step', [step('c'), step('d')]);
  const three = insertWrite(runSteps, 'step', [step('a'), step('b'), step('c')]);
  const rendered = prebuilt(
    onDataApi,
    run.shape ?? '',
    (i) => `r_${i}`,
    () => run.build(onDataApi),
  );

  // Assess
  expect(two.shape).toBe(again.shape);
  expect(three.shape).not.toBe(two.shape);
  expect(two.values).toMatchObject({ step0_nodeId: 'a', step1_nodeId: 'b' });
  expect(Object.keys(two.values)).toHaveLength(10);
  // uuid id, tenant and workflow; jsonb agent versions and input: what the Data API needs.
  expect(rendered.rendered.typings).toEqual([
    'uuid',
    'uuid',
    'uuid',
    'none',
    'json',
    'none',
    'json',
  ]);
});

test('an insert whose rows set different columns is refused', () => {
  // Act
  const mixed = () => insertWrite(runSteps, 'step', [step('a'), { ...step('b'), prompt: 'extra' }]);

  // Assess
  expect(mixed).toThrow(/every row must set the same columns/);
});

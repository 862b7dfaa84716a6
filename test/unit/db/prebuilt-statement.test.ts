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
import { placeholderFor, prebuilt } from '../../../shared/db/prebuilt-statement';
import { runSteps } from '../../../shared/db/schema';

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

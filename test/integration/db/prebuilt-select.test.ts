/**
 * A prebuilt select (prebuilt-select.ts) answers exactly what drizzle's own builder answers for the
 * same query: timestamps as Dates, jsonb as values, money as numbers, nulls as null, nested
 * selections nested; its placeholders are bound per call (the first call's values are not kept in
 * the text); it runs in the caller's transaction under row-level security. On PGlite, PostgreSQL
 * and the Data API, whichever the suite runs on.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Tx } from '../../../shared/db/client';
import { decodeJsonRows, jsonObjectOf } from '../../../shared/db/json-rows';
import { placeholderFor, prebuiltSelect } from '../../../shared/db/prebuilt-select';
import { runSteps, runs, tenants } from '../../../shared/db/schema';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
const TENANT_A = randomUUID();
const TENANT_B = randomUUID();
const RUN_A = randomUUID();
const RUN_A2 = randomUUID();
const RUN_B = randomUUID();

beforeAll(async () => {
  stack = await startTestStack();
  const owner = stack.platform.db.owner;
  for (const [tenant, slug, policy] of [
    [TENANT_A, `prebuilt-a-${TENANT_A.slice(0, 8)}`, '{"email":"mask"}'],
    [TENANT_B, `prebuilt-b-${TENANT_B.slice(0, 8)}`, null],
  ] as const) {
    await owner.execute(
      sql`insert into tenants (id, slug, name, pii_policy) values (${tenant}::uuid, ${slug}, ${slug}, ${policy}::jsonb)`,
    );
    const workflow = randomUUID();
    await owner.execute(
      sql`insert into workflows (id, tenant_id, slug, current_version, published_version) values (${workflow}::uuid, ${tenant}::uuid, 'w', 1, 1)`,
    );
    for (const [run, cost, finished] of tenant === TENANT_A
      ? [
          [RUN_A, '0.012345', '2026-11-30T08:00:00.123Z'],
          [RUN_A2, '0', null],
        ]
      : [[RUN_B, '1.5', null]])
      await owner.execute(
        sql`insert into runs (id, tenant_id, workflow_id, workflow_version, agent_versions, status, input, cost_usd, finished_at)
            values (${run}::uuid, ${tenant}::uuid, ${workflow}::uuid, 1, '{"a":{"version":2}}'::jsonb, 'RUNNING',
                    ${JSON.stringify({ feature: `of ${run}`, n: [1, 2] })}::jsonb, ${cost}::numeric, ${finished}::timestamptz)`,
      );
  }
  for (const [node, status, finished, error] of [
    ['first', 'SUCCEEDED', '2026-11-30T08:01:02.345Z', null],
    ['second', 'FAILED', null, '{"name":"ProviderError","message":"[1, 2]"}'],
  ] as const)
    await owner.execute(
      sql`insert into run_steps (tenant_id, run_id, node_id, type, status, output, error, cost_usd, input_tokens, started_at, finished_at)
          values (${TENANT_A}::uuid, ${RUN_A}::uuid, ${node}, 'agent', ${status}, '{"text":"123"}'::jsonb, ${error}::jsonb,
                  0.5, 7, now(), ${finished}::timestamptz)`,
    );
});
afterAll(async () => stack?.close());

const { output: _output, ...RUN_COLUMNS } = getTableColumns(runs);
const fields = { run: RUN_COLUMNS, policy: tenants.piiPolicy, slug: tenants.slug };
const selectRun = prebuiltSelect('test_prebuilt_run', fields, (tx, f) =>
  tx
    .select(f)
    .from(runs)
    .innerJoin(tenants, eq(tenants.id, runs.tenantId))
    .where(
      and(
        eq(runs.id, placeholderFor(runs.id, 'runId')),
        eq(runs.status, placeholderFor(runs.status, 'status')),
      ),
    ),
);
const drizzleRun = (tx: Tx, runId: string) =>
  tx
    .select(fields)
    .from(runs)
    .innerJoin(tenants, eq(tenants.id, runs.tenantId))
    .where(and(eq(runs.id, runId), eq(runs.status, 'RUNNING')));

test("answers exactly what drizzle's builder answers, with each call's own values", async () => {
  // Act
  // One statement at a time: a Data API transaction runs no two at once.
  const [prebuilt, builder] = await stack.platform.db.withTenant(
    { tenantId: TENANT_A },
    async (tx) => [
      [
        await selectRun(tx, { runId: RUN_A, status: 'RUNNING' }),
        await selectRun(tx, { runId: RUN_A2, status: 'RUNNING' }),
        await selectRun(tx, { runId: RUN_A, status: 'SUCCEEDED' }),
      ],
      [await drizzleRun(tx, RUN_A), await drizzleRun(tx, RUN_A2)],
    ],
  );

  // Assess
  expect(prebuilt[0]).toEqual(builder[0]);
  expect(prebuilt[1]).toEqual(builder[1]);
  expect(prebuilt[2]).toEqual([]);
  const [a] = prebuilt[0];
  expect(a.run.id).toBe(RUN_A);
  expect(a.run.finishedAt).toEqual(new Date('2026-11-30T08:00:00.123Z'));
  expect(a.run.startedAt).toBeInstanceOf(Date);
  expect(a.run.costUsd).toBe(0.012345);
  expect(a.run.input).toEqual({ feature: `of ${RUN_A}`, n: [1, 2] });
  expect(a.run.agentVersions).toEqual({ a: { version: 2 } });
  expect(a.policy).toEqual({ email: 'mask' });
  expect(prebuilt[1][0].run.finishedAt).toBeNull();
});

test("runs in the caller's transaction, under its tenant's row-level security", async () => {
  // Act
  const mine = await stack.platform.db.withTenant({ tenantId: TENANT_B }, (tx) =>
    selectRun(tx, { runId: RUN_B, status: 'RUNNING' }),
  );
  const theirs = await stack.platform.db.withTenant({ tenantId: TENANT_B }, (tx) =>
    selectRun(tx, { runId: RUN_A, status: 'RUNNING' }),
  );
  const uncommitted = await stack.platform.db.withTenant({ tenantId: TENANT_B }, async (tx) => {
    await tx.update(runs).set({ status: 'SUCCEEDED' }).where(eq(runs.id, RUN_B));
    return selectRun(tx, { runId: RUN_B, status: 'SUCCEEDED' });
  });

  // Assess
  expect(mine.map((r) => [r.run.id, r.policy, r.run.costUsd])).toEqual([[RUN_B, null, 1.5]]);
  expect(theirs).toEqual([]);
  expect(uncommitted.map((r) => r.run.status)).toEqual(['SUCCEEDED']);
});

test("a run's steps aggregated as JSON decode to what drizzle's select of the same columns returns", async () => {
  // Prepare
  const STEP_COLUMNS = getTableColumns(runSteps);
  const selectWithSteps = prebuiltSelect(
    'test_prebuilt_run_steps',
    {
      id: runs.id,
      steps: sql`(select coalesce(json_agg(${jsonObjectOf(STEP_COLUMNS, 's')} order by s.node_id), '[]'::json)
        from run_steps s where s.run_id = runs.id)`,
    },
    (tx, f) =>
      tx
        .select(f)
        .from(runs)
        .where(eq(runs.id, placeholderFor(runs.id, 'runId'))),
  );

  // Act
  const [aggregated, selected, none] = await stack.platform.db.withTenant(
    { tenantId: TENANT_A },
    async (tx) => [
      await selectWithSteps(tx, { runId: RUN_A }),
      await tx.select().from(runSteps).where(eq(runSteps.runId, RUN_A)).orderBy(runSteps.nodeId),
      await selectWithSteps(tx, { runId: RUN_A2 }),
    ],
  );

  // Assess
  const steps = decodeJsonRows<typeof runSteps.$inferSelect>(STEP_COLUMNS, aggregated[0].steps);
  expect(steps).toEqual(selected);
  expect(steps.map((s) => [s.output, s.costUsd, s.inputTokens])).toEqual([
    [{ text: '123' }, 0.5, 7],
    [{ text: '123' }, 0.5, 7],
  ]);
  expect(steps[0].finishedAt).toEqual(new Date('2026-11-30T08:01:02.345Z'));
  expect(steps[1].error).toEqual({ name: 'ProviderError', message: '[1, 2]' });
  expect(decodeJsonRows(STEP_COLUMNS, none[0].steps)).toEqual([]);
  // A JSON column's string that looks like JSON stays a string (no second parse).
  expect(decodeJsonRows({ output: runSteps.output }, '[{"output":"123"}]')).toEqual([
    { output: '123' },
  ]);
});

/**
 * The run reads have their index (migration 0172): a run's children are read by their parent run on
 * every GET /v1/runs/{id} (polled by the console and the CLI), a workflow's runs newest first, the
 * approval inbox, a failed run's in-flight attempts by run. Sequential scans are switched off so
 * the plan shows which index the query can use at all.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.close());

/** The plan of `query` with sequential scans off, as one text. */
async function planOf(query: ReturnType<typeof sql>) {
  return stack.platform.db.owner.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const rows = rowsOf<Record<string, string>>(await tx.execute(sql`explain ${query}`));
    return rows.map((r) => Object.values(r).join(' ')).join('\n');
  });
}

test("a run's children are found through runs_parent_run, not a scan of the tenant's runs", async () => {
  // Act
  const plan = await planOf(
    sql`select id, parent_step_id, item_index, status from runs
        where parent_run_id = ${randomUUID()}::uuid and parent_step_id is not null
        order by item_index`,
  );

  // Assess
  expect(plan).toContain('runs_parent_run');
});

test("a workflow's runs, newest first, are found through runs_workflow_started", async () => {
  // Act
  const plan = await planOf(
    sql`select id from runs where workflow_id = ${randomUUID()}::uuid
        order by started_at desc, id desc limit 21`,
  );

  // Assess
  expect(plan).toContain('runs_workflow_started');
});

test("a tenant's waiting approvals, oldest first, are found through run_steps_approvals", async () => {
  // Act
  const plan = await planOf(
    sql`select id from run_steps
        where tenant_id = ${randomUUID()}::uuid and type = 'approval' and status = 'WAITING'
        order by started_at, id limit 51`,
  );

  // Assess
  expect(plan).toContain('run_steps_approvals');
});

test("a run's in-flight attempts are found through usage_records_run", async () => {
  // Act
  const plan = await planOf(
    sql`select id from usage_records where run_id = ${randomUUID()}::uuid and outcome = 'in_flight'`,
  );

  // Assess
  expect(plan).toContain('usage_records_run');
});

test('usage records keep one index on (step, execution, attempt): the unique one', async () => {
  // Act
  const indexes = rowsOf<{ indexdef: string }>(
    await stack.platform.db.owner.execute(
      sql`select indexdef from pg_indexes where tablename = 'usage_records'`,
    ),
  ).map((r) => r.indexdef);

  // Assess
  expect(indexes.filter((d) => d.includes('(step_id, execution_id, attempt)'))).toEqual([
    expect.stringContaining('UNIQUE'),
  ]);
});

test('no index of run_steps names a column a step changes, so its updates stay in place (HOT)', async () => {
  // Prepare: what the engine updates on a step as it runs (status, timings, prompt, output, cost)
  const changing = [
    'status',
    'started_at',
    'finished_at',
    'prompt',
    'output',
    'payloads',
    'error',
    'provider',
    'model',
    'input_tokens',
    'output_tokens',
    'cost_usd',
    'pii',
    'skip_reason',
  ];

  // Act
  const indexes = rowsOf<{ indexdef: string }>(
    await stack.platform.db.owner.execute(
      sql`select indexdef from pg_indexes where tablename = 'run_steps'`,
    ),
  ).map((r) => r.indexdef);

  // Assess
  expect(indexes.length).toBeGreaterThan(0);
  for (const def of indexes)
    for (const column of changing) expect(def).not.toMatch(new RegExp(`\\b${column}\\b`));
});

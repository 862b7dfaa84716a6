/**
 * Reads that run on every request have an index: a run's children are read by their parent run on
 * every GET /v1/runs/{id} (polled by the console and the CLI) and by the cascade of a deleted run.
 * Sequential scans are switched off so the plan shows which index the query can use at all.
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

test("a run's children are found through runs_parent_run, not a scan of the tenant's runs", async () => {
  // Act
  const plan = await stack.platform.db.owner.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const rows = rowsOf<Record<string, string>>(
      await tx.execute(
        sql`explain select id, parent_step_id, item_index, status from runs
            where parent_run_id = ${randomUUID()}::uuid and parent_step_id is not null
            order by item_index`,
      ),
    );
    return rows.map((r) => Object.values(r).join(' ')).join('\n');
  });

  // Assess
  expect(plan).toContain('runs_parent_run');
});

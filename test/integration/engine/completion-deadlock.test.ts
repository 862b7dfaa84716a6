/**
 * A step's completion chosen as a deadlock's victim (a cancel or a settlement locking the run, then
 * the step, while the completion locks the step, then the run): its transaction runs again, so the
 * model's answer is recorded once and the model is not called a second time.
 */
import { eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { runSteps, usageRecords } from '../../../shared/db/schema';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let aborted = 0;

beforeAll(async () => {
  stack = await startTestStack({ env: { SIMULATOR_LATENCY_MS: '0' } });
  token = await stack.adminToken();
  const agent = await stack.call('POST', '/v1/agents', {
    token,
    body: { slug: 'victim', name: 'victim', model: 'simulator:sim-1', systemPrompt: 'x' },
  });
  expect(agent.status).toBe(201);
  const created = await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'victim-once',
      name: 'victim-once',
      nodes: [{ id: 'only', type: 'agent', agent: 'victim', prompt: '{{input.topic}}' }],
    },
  });
  expect(created.status).toBe(201);
  // The first transaction that records a step's success is rolled back at its end with the error
  // PostgreSQL gives a deadlock's victim (SQLSTATE 40P01), after all its writes. Only a planning
  // transaction (its result is a plan) is checked: one whose COMMIT rode with its last statement
  // (ADR 176) takes no statement after it.
  const db = stack.platform.db;
  const withTenant = db.withTenant.bind(db);
  db.withTenant = (scope, fn) =>
    withTenant(scope, async (tx) => {
      const result = await fn(tx);
      if (typeof result !== 'object' || result === null || !('done' in result)) return result;
      const [done] = rowsOf<{ n: number }>(
        await tx.execute(
          sql`select count(*)::int as n from run_events where type = 'step.succeeded'`,
        ),
      );
      if (done.n > 0 && aborted === 0) {
        aborted++;
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      }
      return result;
    });
});
afterAll(async () => stack?.close());

test('the completion runs again: one answer recorded, one model call, the run succeeds', async () => {
  // Act
  const started = await stack.call('POST', '/v1/workflows/victim-once/runs', {
    token,
    body: { input: { topic: 'deadlock' } },
  });
  await stack.executions.idle();
  const run = await stack.call('GET', `/v1/runs/${started.body.runId}`, { token });

  // Assess
  expect(aborted).toBe(1);
  expect(run.body.status).toBe('SUCCEEDED');
  const steps = await stack.platform.db.owner
    .select({ status: runSteps.status })
    .from(runSteps)
    .where(eq(runSteps.runId, started.body.runId));
  expect(steps).toEqual([{ status: 'SUCCEEDED' }]);
  const usage = await stack.platform.db.owner
    .select({ outcome: usageRecords.outcome, attempt: usageRecords.attempt })
    .from(usageRecords)
    .where(eq(usageRecords.runId, started.body.runId));
  expect(usage).toEqual([{ outcome: 'success', attempt: 1 }]);
});

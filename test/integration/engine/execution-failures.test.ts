/**
 * The function the run machine's execution-status rule targets (and the local runtime calls when an
 * execution rejects): given the "Step Functions Execution Status Change" event, the run settles
 * FAILED with the reason, once, and only for the execution that currently carries the run.
 */
import { eq, sql } from 'drizzle-orm';
import { invoke } from '../../../infra/local/handlers';
import { runSteps, runs, usageRecords } from '../../../shared/db/schema';
import { budgetReservations } from '../../../shared/db/schema-gateway';
import { ROOT, startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
  await stack.call('POST', '/v1/agents', {
    token,
    body: { slug: 'slow', name: 'Slow', model: 'simulator:slow-1500', systemPrompt: 'x' },
  });
  await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'slow-one',
      name: 'Slow one',
      nodes: [{ id: 'a', type: 'agent', agent: 'slow', prompt: 'a' }],
    },
  });
});
afterAll(async () => stack?.close());

const statusChange = (
  run: { tenantId: string; id: string },
  executionArn: string,
  status: string,
) => ({
  version: '0',
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  detail: {
    executionArn,
    name: run.id,
    status,
    input: JSON.stringify({ tenantId: run.tenantId, runId: run.id }),
    inputDetails: { included: true },
    error: status === 'FAILED' ? 'States.Runtime' : null,
    cause: status === 'FAILED' ? 'An error occurred while executing the state Plan' : null,
  },
});

async function runningRun() {
  const started = await stack.call('POST', '/v1/workflows/slow-one/runs', {
    token,
    body: { input: {} },
  });
  expect(started.status).toBe(202);
  const id = started.body.runId as string;
  for (;;) {
    const run = await stack.call('GET', `/v1/runs/${id}`, { token });
    if (run.body.steps.some((s: any) => s.status === 'RUNNING')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const [row] = await stack.platform.db.owner.select().from(runs).where(eq(runs.id, id));
  return row!;
}

test('a timed-out execution settles its RUNNING run FAILED with the reason, once', async () => {
  // Prepare
  const run = await runningRun();
  const executionArn = (run.executionIds as string[]).at(-1)!;
  // Act
  const first = await invoke(ROOT, 'settleFailedRun', statusChange(run, executionArn, 'TIMED_OUT'));
  const again = await invoke(ROOT, 'settleFailedRun', statusChange(run, executionArn, 'TIMED_OUT'));
  const after = await stack.call('GET', `/v1/runs/${run.id}`, { token });
  const events = await stack.call('GET', `/v1/runs/${run.id}/events?after=0`, { token });
  // Assess
  expect(first).toEqual({ status: 'FAILED', settled: true });
  expect(again).toEqual({ status: 'FAILED', settled: false });
  expect(after.body.status).toBe('FAILED');
  expect(after.body.error).toEqual({
    name: 'ExecutionTimedOut',
    message: 'the workflow execution timed out',
  });
  expect(after.body.finishedAt).toEqual(expect.any(String));
  expect(events.body.items.filter((e: any) => e.type === 'run.failed')).toHaveLength(1);
  await stack.executions.idle();
});

test('a failed execution names the error; a superseded execution settles nothing', async () => {
  // Prepare: the run has moved on to a newer execution (as after an approval)
  const run = await runningRun();
  const original = (run.executionIds as string[]).at(-1)!;
  const newer = `${original}-continued`;
  await stack.platform.db.owner
    .update(runs)
    .set({ executionIds: sql`${runs.executionIds} || ${JSON.stringify([newer])}::jsonb` })
    .where(eq(runs.id, run.id));
  // Act
  const stale = await invoke(ROOT, 'settleFailedRun', statusChange(run, original, 'ABORTED'));
  const current = await invoke(ROOT, 'settleFailedRun', statusChange(run, newer, 'FAILED'));
  const after = await stack.call('GET', `/v1/runs/${run.id}`, { token });
  // Assess
  expect(stale).toEqual({ status: 'RUNNING', settled: false });
  expect(current).toEqual({ status: 'FAILED', settled: true });
  expect(after.body.error).toEqual({
    name: 'ExecutionFailed',
    message:
      'the workflow execution failed: States.Runtime: An error occurred while executing the state Plan',
  });
  expect(after.body.steps[0]).toMatchObject({
    status: 'FAILED',
    error: { name: 'ExecutionFailed' },
  });
  await stack.executions.idle();
});

test('a provider call in flight when its execution died is charged at its estimate, flagged, and its reservation settled', async () => {
  // Prepare: a priced attempt (openai:gpt-4.1-mini, $0.40/$1.60 per Mtok) in flight with a reservation
  const run = await runningRun();
  const executionId = (run.executionIds as string[]).at(-1)!;
  const [step] = await stack.platform.db.owner
    .select()
    .from(runSteps)
    .where(eq(runSteps.runId, run.id));
  await stack.platform.db.withTenant({ tenantId: run.tenantId }, async (tx) => {
    await tx.insert(usageRecords).values({
      tenantId: run.tenantId,
      workflowId: run.workflowId,
      runId: run.id,
      stepId: step!.id,
      executionId,
      attempt: 7,
      provider: 'openai',
      model: 'gpt-4.1-mini',
      modelRef: 'openai:gpt-4.1-mini',
      outcome: 'in_flight',
      inputTokens: 1000,
      outputTokens: 500,
      costUsd: 0,
    });
    await tx.insert(budgetReservations).values({
      id: `${step!.id}:${executionId}:7`,
      tenantId: run.tenantId,
      workflowId: run.workflowId,
      amountUsd: 0.0012,
      expiresAt: new Date(Date.now() + 600_000),
    });
  });
  // Act
  await invoke(ROOT, 'settleFailedRun', statusChange(run, executionId, 'FAILED'));
  // Assess: 1000 × 0.40/1e6 + 500 × 1.60/1e6 = 0.0012
  const rows = await stack.platform.db.withTenant({ tenantId: run.tenantId }, (tx) =>
    tx.select().from(usageRecords).where(eq(usageRecords.runId, run.id)),
  );
  const charged = rows.find((r) => r.attempt === 7)!;
  expect({ outcome: charged.outcome, errorName: charged.errorName, cost: charged.costUsd }).toEqual(
    {
      outcome: 'error',
      errorName: 'AttemptInterrupted',
      cost: 0.0012,
    },
  );
  expect(charged.errorMessage).toContain('estimate');
  expect(rows.filter((r) => r.outcome === 'in_flight')).toEqual([]);
  const reservations = await stack.platform.db.owner
    .select()
    .from(budgetReservations)
    .where(eq(budgetReservations.id, `${step!.id}:${executionId}:7`));
  expect(reservations).toEqual([]);
  const after = await stack.call('GET', `/v1/runs/${run.id}`, { token });
  expect(after.body.costUsd).toBeCloseTo(0.0012, 6);
  await stack.executions.idle();
});

test('a run that already settled is left as it is', async () => {
  // Prepare
  const started = await stack.call('POST', '/v1/workflows/slow-one/runs', {
    token,
    body: { input: {} },
  });
  const done = await stack.waitForRun(token, started.body.runId);
  const [row] = await stack.platform.db.owner.select().from(runs).where(eq(runs.id, done.id));
  // Act
  const result = await invoke(
    ROOT,
    'settleFailedRun',
    statusChange(row!, (row!.executionIds as string[]).at(-1)!, 'FAILED'),
  );
  // Assess
  expect(done.status).toBe('SUCCEEDED');
  expect(result).toEqual({ status: 'SUCCEEDED', settled: false });
});

test('an event whose execution input names no run is refused by name', async () => {
  // Act
  const attempt = invoke(ROOT, 'settleFailedRun', {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: { executionArn: 'arn:x', status: 'FAILED', input: '{}' },
  });
  // Assess
  await expect(attempt).rejects.toMatchObject({ name: 'ValidationError' });
});

/**
 * A chain's next agent step is prepared in the completion that plans it (ADR 186): its claim, its
 * `prepared` usage record and its start ride with that completion's statement, and its task in the
 * same process calls at once. A task that finds no prepared call in its process writes its first
 * attempt over the prepared record; a later invocation (the one that took it may have died
 * mid-call) charges it; a cancel releases it with its reservation.
 */
import { and, eq, like, sql } from 'drizzle-orm';
import { runEvents, runSteps, runs, usageRecords } from '../../../shared/db/schema';
import { budgetReservations } from '../../../shared/db/schema-gateway';
import { PREPARED, preparedRecordId } from '../../../shared/llm/attempt-outcomes';
import { runAgentStep } from '../../../shared/runs/engine/agent-step';
import { planAndPrepare } from '../../../shared/runs/engine/plan-task';
import { chainOf, createWorkflow, runToEnd, startEngineStack } from '../../support/engine-fixtures';
import type { TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  ({ stack, token } = await startEngineStack('prepared'));
  await createWorkflow(stack, token, 'prepared-chain', chainOf(3, 'prepared'));
  await createWorkflow(stack, token, 'prepared-pair', chainOf(2, 'prepared'));
});
afterAll(async () => stack?.close());

const db = () => stack.platform.db.owner;

async function runOf(runId: string) {
  const [run] = await db().select().from(runs).where(eq(runs.id, runId));
  const steps = await db().select().from(runSteps).where(eq(runSteps.runId, runId));
  const byNode = Object.fromEntries(steps.map((s) => [s.nodeId, s]));
  const executionIds = run.executionIds as string[];
  return { run, byNode, executionId: executionIds[executionIds.length - 1] };
}

const usageOf = (stepId: string) =>
  db()
    .select()
    .from(usageRecords)
    .where(eq(usageRecords.stepId, stepId))
    .orderBy(usageRecords.attempt);

const eventsOf = (runId: string) =>
  db()
    .select({ seq: runEvents.seq, type: runEvents.type, nodeId: runEvents.nodeId })
    .from(runEvents)
    .where(eq(runEvents.runId, runId))
    .orderBy(runEvents.seq);

const reservationsOf = (stepId: string) =>
  db()
    .select({ id: budgetReservations.id })
    .from(budgetReservations)
    .where(like(budgetReservations.id, `${stepId}:%`));

/**
 * A finished two-step run whose last step is set back to how its predecessor's completion leaves
 * a prepared step: RUNNING, with a `prepared` usage record (in `executionId`) and its reservation.
 */
async function preparedLastStep(executionId: string) {
  const runId = await runToEnd(stack, token, 'prepared-pair', { topic: executionId });
  const { run, byNode } = await runOf(runId);
  const s2 = byNode.s2;
  await db().delete(usageRecords).where(eq(usageRecords.stepId, s2.id));
  await db()
    .update(runSteps)
    .set({ status: 'RUNNING', output: null })
    .where(eq(runSteps.id, s2.id));
  await db().update(runs).set({ status: 'RUNNING', finishedAt: null }).where(eq(runs.id, runId));
  await db()
    .insert(usageRecords)
    .values({
      id: preparedRecordId(s2.id, executionId),
      tenantId: run.tenantId,
      workflowId: run.workflowId,
      runId,
      stepId: s2.id,
      executionId,
      attempt: 1,
      provider: 'simulator',
      model: 'sim-1',
      modelRef: 'simulator:sim-1',
      outcome: PREPARED,
      inputTokens: 12,
      outputTokens: 256,
      latencyMs: 0,
      costUsd: 0,
      priced: true,
    });
  await db()
    .insert(budgetReservations)
    .values({
      id: `${s2.id}:${executionId}:1:${PREPARED}`,
      tenantId: run.tenantId,
      workflowId: run.workflowId,
      amountUsd: 0.01,
      expiresAt: new Date(Date.now() + 60_000),
    });
  const seqBefore = (await eventsOf(runId)).at(-1)?.seq ?? 0;
  const task = { tenantId: run.tenantId, runId, stepId: s2.id, executionId, plan: true };
  return { runId, s2, task, seqBefore };
}

test('a chain step after the first is prepared by the completion before it: one record per step, its start after the answer it reads', async () => {
  // Act
  const runId = await runToEnd(stack, token, 'prepared-chain', { topic: 'fold' });

  // Assess: each step's only usage record is its prepared one, answered (the first step's was
  // prepared by the Plan turn, ADR 187); the timeline says each step started once, after the step
  // before it succeeded
  const { run, byNode, executionId } = await runOf(runId);
  expect(run.status).toBe('SUCCEEDED');
  for (const node of ['s1', 's2', 's3']) {
    const usage = await usageOf(byNode[node].id);
    expect(usage.map((u) => [u.id, u.attempt, u.outcome])).toEqual([
      [preparedRecordId(byNode[node].id, executionId), 1, 'success'],
    ]);
  }
  const events = (await eventsOf(runId)).filter((e) => e.type.startsWith('step.'));
  expect(events.map((e) => `${e.nodeId} ${e.type}`)).toEqual([
    's1 step.started',
    's1 step.succeeded',
    's2 step.started',
    's2 step.succeeded',
    's3 step.started',
    's3 step.succeeded',
  ]);
  expect(await reservationsOf(byNode.s2.id)).toEqual([]);
});

test('a prepared step whose task finds no prepared call in its process writes its first attempt over the prepared record', async () => {
  // Prepare
  const { runId, s2, task, seqBefore } = await preparedLastStep('exec-cold');

  // Act: the step's first invocation (PreparedAgentStep), in a process that holds nothing for it
  const result = await runAgentStep(stack.platform, { ...task, prepared: true });

  // Assess: one attempt, over the prepared record, answered; the prepared reservation released;
  // nothing charged as interrupted and no second start on the timeline; the last step's
  // completion settled the run (ADR 188)
  expect(result.status).toBe('SUCCEEDED');
  expect(result.plan?.next).toBe('finalized');
  const usage = await usageOf(s2.id);
  expect(usage.map((u) => [u.id, u.attempt, u.outcome])).toEqual([
    [preparedRecordId(s2.id, 'exec-cold'), 1, 'success'],
  ]);
  expect(await reservationsOf(s2.id)).toEqual([]);
  const after = (await eventsOf(runId)).filter((e) => e.seq > seqBefore);
  expect(after.map((e) => e.type)).toEqual(['step.succeeded', 'run.succeeded']);
});

test('a prepared call that may have been made is charged when the step runs again', async () => {
  // Prepare
  const { runId, s2, task, seqBefore } = await preparedLastStep('exec-retried');

  // Act: AgentStep after PreparedAgentStep failed (its task may have died mid-call)
  const result = await runAgentStep(stack.platform, task);

  // Assess: the prepared attempt is settled as interrupted, its reservation with it; attempt 2
  // answers
  expect(result.status).toBe('SUCCEEDED');
  const usage = await usageOf(s2.id);
  expect(usage.map((u) => [u.attempt, u.outcome, u.errorName])).toEqual([
    [1, 'error', 'AttemptInterrupted'],
    [2, 'success', null],
  ]);
  expect(await reservationsOf(s2.id)).toEqual([]);
  const after = (await eventsOf(runId)).filter((e) => e.seq > seqBefore);
  expect(after.map((e) => e.type)).toEqual([
    'step.attempt_interrupted',
    'step.retrying',
    'step.succeeded',
    'run.succeeded',
  ]);
});

test('cancelling a run releases its prepared attempts and their reservations', async () => {
  // Prepare
  const { runId, s2 } = await preparedLastStep('exec-cancelled');

  // Act
  const cancelled = await stack.call('POST', `/v1/runs/${runId}/cancel`, { token });

  // Assess: no prepared record or reservation is left to count against the tenant's budget
  expect(cancelled.status).toBe(200);
  expect(await usageOf(s2.id)).toEqual([]);
  expect(await reservationsOf(s2.id)).toEqual([]);
  const [step] = await db()
    .select({ status: runSteps.status })
    .from(runSteps)
    .where(and(eq(runSteps.id, s2.id)));
  expect(step.status).toBe('CANCELLED');
});

test('a Plan turn whose claim finds the step changed since its read plans again, leaving the step to prepare itself', async () => {
  // Prepare: a finished two-step run set back to QUEUED, and a trigger that cancels its first step
  // when the run starts: inside the turn, after its read, as a cancel committing then would
  const runId = await runToEnd(stack, token, 'prepared-pair', { topic: 'plan-stale' });
  const { run, byNode } = await runOf(runId);
  await db().delete(usageRecords).where(eq(usageRecords.runId, runId));
  await db()
    .update(runSteps)
    .set({ status: 'PENDING', output: null })
    .where(eq(runSteps.runId, runId));
  await db().update(runs).set({ status: 'QUEUED', finishedAt: null }).where(eq(runs.id, runId));
  await db().execute(
    sql.raw(`create function cancel_first_step() returns trigger language plpgsql as $$
      begin
        update run_steps set status = 'CANCELLED' where id = '${byNode.s1.id}';
        return new;
      end $$`),
  );
  await db().execute(
    sql.raw(`create trigger cancel_first_step after insert on run_events for each row
      when (new.type = 'run.started' and new.run_id = '${runId}') execute function cancel_first_step()`),
  );

  // Act
  const result = await planAndPrepare(stack.platform, {
    tenantId: run.tenantId,
    runId,
    executionId: 'exec-plan-stale',
  }).finally(async () => {
    await db().execute(sql.raw('drop trigger cancel_first_step on run_events'));
    await db().execute(sql.raw('drop function cancel_first_step()'));
  });

  // Assess: the claim failed and rolled the turn back; the turn planned again and did not prepare
  // (the run's starts: its first run's and the second turn's; the first turn's is gone)
  expect(result).toMatchObject({ next: 'agent', stepId: byNode.s1.id });
  expect(await usageOf(byNode.s1.id)).toEqual([]);
  const started = (await eventsOf(runId)).filter((e) => e.type === 'run.started');
  expect(started).toHaveLength(2);
});

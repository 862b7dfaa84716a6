/**
 * A run whose last step's completion finds nothing left to run settles SUCCEEDED in that
 * completion's transaction (ADR 188): its output is the answer the completion holds, its cost its
 * steps', its `run.succeeded` follows the step's `step.succeeded`, and the state machine ends
 * without a Finalize task. A settlement from an earlier read fails when a cancel came first.
 */
import { and, eq } from 'drizzle-orm';
import { runPrebuilt } from '../../../shared/db/prebuilt-statement';
import { runEvents, runSteps, runs } from '../../../shared/db/schema';
import { runAgentStep } from '../../../shared/runs/engine/agent-step';
import { loadRunContextWithPolicy } from '../../../shared/runs/engine/context';
import { decidePlan } from '../../../shared/runs/engine/plan-run';
import { runSettlementWrite } from '../../../shared/runs/engine/run-writes';
import { isStaleRead } from '../../../shared/runs/engine/step-writes';
import { chainOf, createWorkflow, runToEnd, startEngineStack } from '../../support/engine-fixtures';
import type { TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let transactions: string[][];

beforeAll(async () => {
  ({ stack, token, transactions } = await startEngineStack('settled'));
  await createWorkflow(stack, token, 'settled-pair', chainOf(2, 'settled'));
  await stack.executions.idle();
});
afterAll(async () => stack?.close());

const db = () => stack.platform.db.owner;

/** The run's row, its steps by node and its events in order. */
async function runOf(runId: string) {
  const [run] = await db().select().from(runs).where(eq(runs.id, runId));
  const steps = await db().select().from(runSteps).where(eq(runSteps.runId, runId));
  const events = await db()
    .select({ type: runEvents.type, nodeId: runEvents.nodeId, data: runEvents.data })
    .from(runEvents)
    .where(eq(runEvents.runId, runId))
    .orderBy(runEvents.seq);
  return { run, byNode: Object.fromEntries(steps.map((s) => [s.nodeId, s])), events };
}

/** The statement that settles a run from a completion's read (`whileRunning`). */
const SETTLES = `run_unchanged("runs"."status" = 'RUNNING')`;

test("the last step's completion settles the run: its answer is the run's output, nothing reads it after", async () => {
  // Act
  transactions.length = 0;
  const runId = await runToEnd(stack, token, 'settled-pair', { topic: 'settled' });
  const sent = transactions.map((t) => [...t]);

  // Assess: the run ended SUCCEEDED with s2's output, its end after its last step's
  const { run, byNode, events } = await runOf(runId);
  expect(run.status).toBe('SUCCEEDED');
  expect(run.output).toEqual(byNode.s2.output);
  expect(run.finishedAt).toBeInstanceOf(Date);
  expect(events.slice(-2).map((e) => [e.type, e.nodeId])).toEqual([
    ['step.succeeded', 's2'],
    ['run.succeeded', null],
  ]);
  expect(events.at(-1)?.data).toEqual({ costUsd: 0 });
  // The settlement is the last tenant transaction's: no Finalize read the run afterwards.
  const settling = sent.findIndex((t) => t.some((q) => q.includes(SETTLES)));
  expect(settling).toBeGreaterThanOrEqual(0);
  expect(sent.slice(settling + 1).flat()).toEqual([]);
});

test("the settlement's cost is every step's, the completing step's answer included", async () => {
  // Prepare: a finished pair whose s2 is RUNNING again (its task started) and whose s1 cost
  // $0.25; the run RUNNING
  const runId = await runToEnd(stack, token, 'settled-pair', { topic: 'cost' });
  const { run, byNode } = await runOf(runId);
  await db().update(runSteps).set({ costUsd: 0.25 }).where(eq(runSteps.id, byNode.s1.id));
  await db()
    .update(runSteps)
    .set({ status: 'RUNNING', output: null })
    .where(eq(runSteps.id, byNode.s2.id));
  await db().update(runs).set({ status: 'RUNNING', finishedAt: null }).where(eq(runs.id, runId));
  await db()
    .delete(runEvents)
    .where(and(eq(runEvents.runId, runId), eq(runEvents.type, 'run.succeeded')));

  // Act: s2's task, at the top level, from a fresh read
  const result = await runAgentStep(stack.platform, {
    tenantId: run.tenantId,
    runId,
    stepId: byNode.s2.id,
    executionId: 'exec-cost',
    plan: true,
  });

  // Assess
  expect(result.plan?.next).toBe('finalized');
  const after = await runOf(runId);
  expect(after.run.status).toBe('SUCCEEDED');
  expect(after.run.costUsd).toBe(0.25);
  expect(after.events.at(-1)).toMatchObject({ type: 'run.succeeded', data: { costUsd: 0.25 } });
});

test("planning from a snapshot counts the completing step's answer in its cost", async () => {
  // Prepare: a finished pair, as s2's completion would see it from s1's completion's snapshot
  const runId = await runToEnd(stack, token, 'settled-pair', { topic: 'snapshot' });
  const { run, byNode } = await runOf(runId);
  const decision = await stack.platform.db.withTenant({ tenantId: run.tenantId }, async (tx) => {
    const context = await loadRunContextWithPolicy(tx, runId);
    const steps = context.steps.map((s) =>
      s.nodeId === 's2' ? { ...s, status: 'RUNNING', costUsd: 0.5 } : s,
    );
    const snapshot = { run: { ...context.run, status: 'RUNNING' }, steps, piiPolicy: undefined };
    const completing = { stepId: byNode.s2.id, nodeId: 's2', output: 'x', costUsd: 0.125 };
    return decidePlan(stack.platform, tx, runId, completing, {
      ...snapshot,
      piiPolicy: context.piiPolicy,
    });
  });

  // Assess: the step as its completion leaves it, its earlier cost and this answer's
  if (decision.settled) throw new Error('the run was settled');
  expect(decision.steps.find((s) => s.nodeId === 's2')).toMatchObject({
    status: 'SUCCEEDED',
    costUsd: 0.625,
  });
  expect(decision.plan).toMatchObject({ done: true, outcome: 'SUCCEEDED' });
});

test('a settlement from an earlier read fails when a cancel came first, leaving the run CANCELLED', async () => {
  // Prepare: a run cancelled after its last step's completion read it RUNNING
  const runId = await runToEnd(stack, token, 'settled-pair', { topic: 'cancelled' });
  const { run } = await runOf(runId);
  await db().update(runs).set({ status: 'CANCELLED' }).where(eq(runs.id, runId));
  const settlement = { status: 'SUCCEEDED', costUsd: 0, output: 'late', finishedAt: new Date() };

  // Act
  const settle = stack.platform.db.withTenant({ tenantId: run.tenantId }, (tx) =>
    runPrebuilt(tx, 'settle', runSettlementWrite(runId, settlement, { whileRunning: true })),
  );

  // Assess: the stale read's error, which sends the completion to plan from a fresh read
  const error = await settle.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStaleRead(error)).toBe(true);
  expect((await runOf(runId)).run).toMatchObject({ status: 'CANCELLED', output: run.output });
});

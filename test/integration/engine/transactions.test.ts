/**
 * Transactions per agent step (issue 12, ADRs 165 and 186): a step's completion plans the next step
 * (ADR 110) and prepares its call (its claim and in-flight record), so a plain agent step of a
 * linear chain after the first costs one tenant transaction. Counted by wrapping the platform's
 * `withTenant`, as the difference between a chain of 4 and a chain of 1 (the start request and
 * Finalize cost the same in both). The simulator answers at once: an answer that streams for a
 * while also writes its partial output, in transactions of its own (ADR 142).
 */
import { eq } from 'drizzle-orm';
import { runSteps, usageRecords } from '../../../shared/db/schema';
import { chainOf, createWorkflow, startEngineStack, runToEnd } from '../../support/engine-fixtures';
import type { TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
/** Each tenant transaction's statements, as its drizzle session prepared them. */
let statements: string[][];

beforeAll(async () => {
  ({ stack, token, transactions: statements } = await startEngineStack('tx-steps'));
});
afterAll(async () => stack?.close());

/** Creates a linear chain of `n` agent steps, runs it; returns the run and its transactions. */
async function chain(n: number) {
  const slug = `tx-chain-${n}`;
  await createWorkflow(stack, token, slug, chainOf(n, 'tx-steps'));
  await stack.executions.idle();
  statements.length = 0;
  const runId = await runToEnd(stack, token, slug, { topic: 'transactions' });
  const sent = statements.map((t) => [...t]);
  return { runId, transactions: sent.length, statements: sent };
}

test('a plain agent step after the first costs one transaction: its predecessor prepared it, it completes with the plan', async () => {
  // Act
  const one = await chain(1);
  const four = await chain(4);

  // Assess: every step succeeded, each with one attempt whose in-flight row was replaced
  for (const { runId, steps } of [
    { runId: one.runId, steps: 1 },
    { runId: four.runId, steps: 4 },
  ]) {
    const rows = await stack.platform.db.owner
      .select({ status: runSteps.status })
      .from(runSteps)
      .where(eq(runSteps.runId, runId));
    expect(rows.map((r) => r.status)).toEqual(Array(steps).fill('SUCCEEDED'));
    const usage = await stack.platform.db.owner
      .select({ outcome: usageRecords.outcome })
      .from(usageRecords)
      .where(eq(usageRecords.runId, runId));
    expect(usage.map((u) => u.outcome)).toEqual(Array(steps).fill('success'));
  }
  expect((four.transactions - one.transactions) / 3).toBe(1);
});

test('a completion that plans ends with its write, which can carry the COMMIT, and plans from what its planner read', async () => {
  // Act
  const { statements: sent } = await chain(3);

  // Assess: each step's completion (its call's metering on the step) is its transaction's only
  // statement: it plans from what the Plan turn or the completion before it read (ADRs 181, 187).
  // The Plan turn read the run, then claimed the first step in its last statement.
  const completions = sent.filter((t) => t.some(isCompletion));
  expect(completions).toHaveLength(3);
  expect(completions.map((t) => t.length)).toEqual([1, 1, 1]);
  const claims = sent.filter((t) => !t.some(isCompletion) && t.some(isClaim));
  expect(claims).toHaveLength(1);
  expect(claims[0].some(isPlanningRead)).toBe(true);
  expect(isClaim(claims[0][claims[0].length - 1])).toBe(true);
});

/** The statement that writes a call's answer on its step (and whose event says how it went). */
const isCompletion = (q: string) => q.includes('decider as (update "run_steps"');
/** A step's claim from what its planner read (ADR 181). */
const isClaim = (q: string) => q.includes("run_unchanged(run_steps.status = 'PENDING'");
/** Planning's read of the run with its steps (context.ts). */
const isPlanningRead = (q: string) => q.includes('from run_steps s where s.run_id = runs.id');

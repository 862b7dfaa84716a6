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

test('a completion that plans reads the run first and ends with its write, which can carry the COMMIT', async () => {
  // Act
  const { statements: sent } = await chain(3);

  // Assess: each step's completion (its call's metering on the step) is its transaction's last
  // statement. The first step's comes after the planning read of the run with its steps (ADR
  // 178); the next ones plan from what that read gave (ADR 181) and are their only statement.
  const completions = sent.filter((t) => t.some(isCompletion));
  expect(completions).toHaveLength(3);
  for (const t of completions) expect(t.findIndex(isCompletion)).toBe(t.length - 1);
  expect(completions.map((t) => t.slice(0, -1).some(isPlanningRead))).toEqual([true, false, false]);
  expect(completions.slice(1).map((t) => t.length)).toEqual([1, 1]);
});

/** The statement that writes a call's answer on its step (and whose event says how it went). */
const isCompletion = (q: string) => q.includes('decider as (update "run_steps"');
/** Planning's read of the run with its steps (context.ts). */
const isPlanningRead = (q: string) => q.includes('from run_steps s where s.run_id = runs.id');

/**
 * What the engine and a poll read (issue 12, ADRs 171, 181): a step the planner made ready in this
 * process reads its context and the outputs its prompt references in one statement (none when the
 * completion before it holds them), and a planning
 * turn reads the run with its steps in one; the outputs read that way are the ones a separate read
 * returns, a JSON string output included; a poll of a run is one statement. Statements are counted
 * at the transaction's drizzle session, where every driver's statements pass.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../shared/db/client';
import { runSteps } from '../../../shared/db/schema';
import { loadOutputs, loadStepContext, referencedSteps } from '../../../shared/runs/engine/context';
import {
  agentNode,
  createWorkflow,
  startEngineStack,
  runToEnd,
} from '../../support/engine-fixtures';
import type { TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let transactions: string[][];

beforeAll(async () => {
  ({ stack, token, transactions } = await startEngineStack('reads'));
});
afterAll(async () => stack?.close());

const STEPS = 4;

async function runChain() {
  // Each step reads the previous one's output; the last also reads the first's.
  const nodes = Array.from({ length: STEPS }, (_, i) =>
    agentNode(
      `s${i + 1}`,
      'reads',
      i === 0
        ? '{{input.topic}}'
        : `{{steps.s${i}.output}}${i === STEPS - 1 ? ' and {{steps.s1.output}}' : ''}`,
    ),
  );
  const edges = nodes.slice(1).map((node, i) => ({ from: nodes[i].id, to: node.id }));
  await createWorkflow(stack, token, 'reads-chain', { nodes, edges }, { existing: 'keep' });
  await stack.executions.idle();
  transactions.length = 0;
  const runId = await runToEnd(stack, token, 'reads-chain', { topic: 'reads' });
  return { runId, during: transactions.flat() };
}

test("a step's context and the outputs it references come in one statement; a plan reads the run with its steps in one", async () => {
  // Act
  const { runId, during } = await runChain();
  const run = await stack.call('GET', `/v1/runs/${runId}`, { token });

  // Assess: the run succeeded, and each step's prompt carries what it referenced
  expect(run.body.status).toBe('SUCCEEDED');
  const steps = run.body.steps as { nodeId: string; output: unknown; prompt?: string }[];
  expect(steps.map((s) => s.nodeId)).toEqual(['s1', 's2', 's3', 's4']);
  const prompts = await stack.platform.db.owner
    .select({ nodeId: runSteps.nodeId, prompt: runSteps.prompt })
    .from(runSteps)
    .where(eq(runSteps.runId, runId));
  const byNode = Object.fromEntries(prompts.map((p) => [p.nodeId, p.prompt]));
  const outputOf = (id: string) => String(steps.find((s) => s.nodeId === id)?.output);
  expect(byNode.s2).toBe(outputOf('s1'));
  expect(byNode.s4).toBe(`${outputOf('s3')} and ${outputOf('s1')}`);
  // s4 (it reads s1 too, whose output the completion of s3 does not hold) reads its context, with
  // the outputs it references; s1 starts from what the Plan turn read (ADR 187), s2 and s3 from
  // what the completion before them read (ADR 181). No step read its outputs apart.
  const contextReads = during.filter((q) => q.includes('from "run_steps" inner join "runs"'));
  expect(contextReads).toHaveLength(1);
  expect(
    contextReads.filter((q) => q.includes('"o"."node_id"') || q.includes('o.node_id')),
  ).toHaveLength(1);
  const outputsApart = during.filter(
    (q) => q.includes('o.node_id in') && !q.includes('inner join'),
  );
  // Nor does the run's end: the last step's completion settles it with its answer (ADR 188).
  expect(outputsApart).toEqual([]);
  // Planning (the start's Plan task and each completion) reads the run and its steps together.
  const stepsApart = during.filter(
    (q) =>
      q.startsWith('select') &&
      q.includes('"skip_reason"') &&
      !q.includes('json_agg') &&
      !q.includes('inner join'),
  );
  expect(stepsApart).toEqual([]);
});

test('the outputs read with the context are those a separate read returns, a JSON string kept a string', async () => {
  // Prepare: s1's output becomes a JSON string that looks like a number
  const { runId } = await runChain();
  const [s1] = await stack.platform.db.owner
    .select({ id: runSteps.id, tenantId: runSteps.tenantId })
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), eq(runSteps.nodeId, 's1')));
  await stack.platform.db.owner
    .update(runSteps)
    .set({ output: '123' })
    .where(eq(runSteps.id, s1.id));
  const [s4] = await stack.platform.db.owner
    .select({ id: runSteps.id })
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), eq(runSteps.nodeId, 's4')));
  const reads = (node: { prompt?: string } | undefined) => referencedSteps(node?.prompt ?? '');

  // Act
  const [together, apart] = await stack.platform.db.withTenant(
    { tenantId: s1.tenantId },
    async (tx: Tx) => {
      const context = await loadStepContext(stack.platform, tx, runId, s4.id, reads);
      return [
        await context.outputs(),
        await loadOutputs(stack.platform, tx, context.run, ['s3', 's1']),
      ];
    },
  );

  // Assess
  expect(together).toEqual(apart);
  expect(Object.keys(together).sort()).toEqual(['s1', 's3']);
  expect(together.s1).toEqual({ output: '123', iterations: [] });
  // The API shows the same value in the run and in the step.
  const run = await stack.call('GET', `/v1/runs/${runId}`, { token });
  const step = await stack.call('GET', `/v1/runs/${runId}/steps/s1`, { token });
  expect(run.body.steps[0]).toMatchObject({ nodeId: 's1', output: '123' });
  expect(step.body).toMatchObject({ nodeId: 's1', output: '123' });
});

test('a poll of a run reads the run, its steps, children and attempts in one statement', async () => {
  // Prepare
  const { runId } = await runChain();
  await stack.call('GET', `/v1/runs/${runId}`, { token });

  // Act
  transactions.length = 0;
  const run = await stack.call('GET', `/v1/runs/${runId}`, { token });

  // Assess
  expect(run.status).toBe(200);
  expect(run.body.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['s1', 's2', 's3', 's4']);
  expect(
    run.body.steps.map((s: { attempts: { outcome: string }[] }) =>
      s.attempts.map((a) => a.outcome),
    ),
  ).toEqual([['success'], ['success'], ['success'], ['success']]);
  expect(transactions.flat()).toHaveLength(1);
});

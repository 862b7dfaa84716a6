/**
 * State transitions per step, counted from the local execution history (aws-local-stepfunctions'
 * StateEntered events, Map iterations included): what Step Functions bills. A single ready step
 * runs at the top level and its completion plans the next (ADR 110), so a linear chain costs a
 * Task and a Choice per step; several ready steps still go through the Map and then Plan.
 */
import { eq } from 'drizzle-orm';
import { runs } from '../../../shared/db/schema';
import {
  agentNode,
  chainOf,
  createSimulatorAgent,
  createWorkflow,
  type WorkflowEdge,
  type WorkflowNode,
} from '../../support/engine-fixtures';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
  await createSimulatorAgent(stack, token, 'steps');
});
afterAll(async () => stack?.close());

const node = (id: string, prompt: string) => agentNode(id, 'steps', prompt);

/** Runs the workflow to its end; returns the run and its execution's transition count. */
async function runAndCount(slug: string, nodes: WorkflowNode[], edges: WorkflowEdge[]) {
  await createWorkflow(stack, token, slug, { nodes, edges });
  const started = await stack.call('POST', `/v1/workflows/${slug}/runs`, {
    token,
    body: { input: { topic: 'transitions' } },
  });
  expect(started.status).toBe(202);
  const run = await stack.waitForRun(token, started.body.runId);
  await stack.executions.idle();
  // Typed: the Data API returns a raw jsonb column as text.
  const [row] = await stack.platform.db.owner
    .select({ executionIds: runs.executionIds })
    .from(runs)
    .where(eq(runs.id, started.body.runId));
  const executionIds = row.executionIds as string[];
  expect(executionIds).toHaveLength(1);
  return { run, transitions: stack.executions.transitionsOf(executionIds[0]) };
}

test('a linear chain of 10 costs at most 2.5 state transitions per step', async () => {
  // Prepare
  const { nodes: chain, edges } = chainOf(10, 'steps');

  // Act
  const { run, transitions } = await runAndCount('chain-10', chain, edges);

  // Assess: every step ran, in order, and each one cost a Task and a Choice (plus Plan, its
  // Choice and Finalize once per run)
  expect(run.status).toBe('SUCCEEDED');
  expect(run.steps.map((s: { status: string }) => s.status)).toEqual(Array(10).fill('SUCCEEDED'));
  expect(transitions).toBeDefined();
  expect((transitions ?? 0) / 10).toBeLessThanOrEqual(2.5);
  expect(transitions).toBe(2 * 10 + 3);
});

test('parallel steps still run through the Map, then Plan', async () => {
  // Prepare: three branches and a join
  const nodes = [
    node('a', '{{input.topic}}'),
    node('b', '{{input.topic}}'),
    node('c', '{{input.topic}}'),
    node('join', '{{steps.a.output}} {{steps.b.output}} {{steps.c.output}}'),
  ];
  const edges = ['a', 'b', 'c'].map((from) => ({ from, to: 'join' }));

  // Act
  const { run, transitions } = await runAndCount('fan-out-3', nodes, edges);

  // Assess: Plan, Next?, Map, 3 × (StepType, RunAgentStep), Plan, Next?, AgentStep, Next?, Finalize
  expect(run.status).toBe('SUCCEEDED');
  expect(run.output).toEqual(expect.anything());
  expect(transitions).toBe(3 + 3 * 2 + 5);
});

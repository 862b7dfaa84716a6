/**
 * A chain's next agent step starts from what the completion before it read (ADR 181): its
 * preparation sends no read, only its write, whose claim checks in SQL what the read would have,
 * and its completion plans from the same snapshot, its write checking that no other step changed.
 * When the run changed since, the check fails and the task reads afresh: a finished step is not
 * run again, a cancelled run's step is not started, a plan follows the steps as they are.
 */
import { and, eq } from 'drizzle-orm';
import { runEvents, runSteps, runs, usageRecords } from '../../../shared/db/schema';
import { runAgentStep } from '../../../shared/runs/engine/agent-step';
import { loadRunContextWithPolicy } from '../../../shared/runs/engine/context';
import { decidePlan } from '../../../shared/runs/engine/plan-run';
import { rememberWarmStep, warmNextStep } from '../../../shared/runs/engine/warm-steps';
import {
  agentNode,
  chainOf,
  createSimulatorAgent,
  createWorkflow,
  startEngineStack,
  runToEnd,
} from '../../support/engine-fixtures';
import type { TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let transactions: string[][];

beforeAll(async () => {
  ({ stack, token, transactions } = await startEngineStack('warm'));
  await createWorkflow(stack, token, 'warm-chain', chainOf(3, 'warm'));
});
afterAll(async () => stack?.close());

/** A finished chain run, and its second step as the completion of the first left it in memory. */
async function finishedChain() {
  const runId = await runToEnd(stack, token, 'warm-chain', { topic: 'warm' });
  const [{ tenantId }] = await stack.platform.db.owner
    .select({ tenantId: runs.tenantId })
    .from(runs)
    .where(eq(runs.id, runId));
  const context = await stack.platform.db.withTenant({ tenantId }, (tx) =>
    loadRunContextWithPolicy(tx, runId),
  );
  const s1 = context.steps.find((s) => s.nodeId === 's1');
  const s2 = context.steps.find((s) => s.nodeId === 's2');
  if (!s1 || !s2) throw new Error('the chain has no s1 or s2');
  const [{ output }] = await stack.platform.db.owner
    .select({ output: runSteps.output })
    .from(runSteps)
    .where(eq(runSteps.id, s1.id));
  // As the completion of s1 left them: s1 SUCCEEDED, the others PENDING.
  const steps = context.steps.map((s) => (s.id === s1.id ? s : { ...s, status: 'PENDING' }));
  const warm = (padding = 0) =>
    rememberWarmStep({
      run: { ...context.run, status: 'RUNNING' },
      step: { ...s2, status: 'PENDING' },
      // Rows of other steps, as a long run would have
      steps: [...steps, ...Array.from({ length: padding }, (_, i) => ({ ...s1, id: `pad-${i}` }))],
      piiPolicy: context.piiPolicy,
      outputs: { s1: { output, iterations: [] } },
    });
  return { runId, tenantId, s2, warm };
}

/** The step PENDING again and its run `status`, as if the step had not run yet. */
async function reopen(runId: string, stepId: string, status: 'RUNNING' | 'CANCELLED') {
  await stack.platform.db.owner
    .update(runSteps)
    .set({ status: 'PENDING' })
    .where(eq(runSteps.id, stepId));
  await stack.platform.db.owner.update(runs).set({ status }).where(eq(runs.id, runId));
}

/** A workflow of `warm` agent steps (node id → prompt) and its edges, ready to run. */
async function warmWorkflow(slug: string, prompts: Record<string, string>, edges: string[][]) {
  await createWorkflow(stack, token, slug, {
    nodes: Object.entries(prompts).map(([id, prompt]) => agentNode(id, 'warm', prompt)),
    edges: edges.map(([from, to]) => ({ from, to })),
  });
  await stack.executions.idle();
}

/** The run's steps by node: each one's prompt and output as stored. */
async function stepsByNode(runId: string) {
  const rows = await stack.platform.db.owner
    .select({ nodeId: runSteps.nodeId, prompt: runSteps.prompt, output: runSteps.output })
    .from(runSteps)
    .where(eq(runSteps.runId, runId));
  return Object.fromEntries(rows.map((r) => [r.nodeId, r]));
}

/** Runs `slug` to its end: its status, the transactions it sent and its steps by node. */
async function runWarm(slug: string, topic: string) {
  transactions.length = 0;
  const runId = await runToEnd(stack, token, slug, { topic });
  const sent = transactions.map((t) => [...t]);
  const run = await stack.call('GET', `/v1/runs/${runId}`, { token });
  return { status: run.body.status as string, sent, byNode: await stepsByNode(runId) };
}

/** The reads of a step's context (context.ts) among the statements sent. */
const contextReadsIn = (sent: string[][]) =>
  sent.flat().filter((q) => q.includes('from "run_steps" inner join "runs"'));

/** The step's task, invoked as the state machine does (`plan`: it runs alone at the top level). */
const runStep = (
  step: { tenantId: string; runId: string; stepId: string },
  executionId: string,
  plan = false,
) => runAgentStep(stack.platform, { ...step, executionId, ...(plan ? { plan } : {}) });

const countOf = async (runId: string, stepId: string) => ({
  usage: (
    await stack.platform.db.owner
      .select({ id: usageRecords.id })
      .from(usageRecords)
      .where(eq(usageRecords.stepId, stepId))
  ).length,
  events: (
    await stack.platform.db.owner
      .select({ seq: runEvents.seq })
      .from(runEvents)
      .where(and(eq(runEvents.runId, runId), eq(runEvents.stepId, stepId)))
  ).length,
});

test("each step is claimed in its planner's last statement, and the run's prompts are those a read gives", async () => {
  // Act
  transactions.length = 0;
  const runId = await runToEnd(stack, token, 'warm-chain', { topic: 'warm' });

  // Assess: s1 was claimed in the last statement of the Plan turn, after its read of the run
  // (ADR 187); s2 and s3 in the last statement of the completion before them (ADR 186); every
  // completion planned without a read, its one statement checking the run's other steps
  const checked = (what: string) =>
    transactions.filter((t) => t.some((q) => q.includes('run_unchanged(') && q.includes(what)));
  const claims = checked("run_steps.status = 'PENDING'");
  const completions = checked('md5(');
  expect(claims).toHaveLength(3);
  expect(completions).toHaveLength(3);
  for (const t of claims) expect(t[t.length - 1]).toContain("run_steps.status = 'PENDING'");
  expect(claims[0].some((q) => q.includes('from run_steps s where s.run_id = runs.id'))).toBe(true);
  for (const t of claims.slice(1))
    expect(t[t.length - 1]).toContain('decider as (update "run_steps"');
  for (const t of completions) expect(t).toHaveLength(1);
  const run = await stack.call('GET', `/v1/runs/${runId}`, { token });
  expect(run.body.status).toBe('SUCCEEDED');
  const byNode = await stepsByNode(runId);
  expect(byNode.s2.prompt).toBe(byNode.s1.output);
  expect(byNode.s3.prompt).toBe(byNode.s2.output);
});

test("a Map's branches that read only the run's input start without a read; the join is prepared by the Plan turn after the Map", async () => {
  // Prepare: three branches on the input, a join reading them
  const branches = ['b1', 'b2', 'b3'];
  await warmWorkflow(
    'warm-fan-out',
    {
      ...Object.fromEntries(branches.map((id) => [id, `${id}: {{input.topic}}`])),
      join: branches.map((id) => `{{steps.${id}.output}}`).join(' '),
    },
    branches.map((id) => [id, 'join']),
  );

  // Act
  const { status, sent, byNode } = await runWarm('warm-fan-out', 'fan');

  // Assess: every step was claimed from what its planner read (ADR 181); each branch's claim is
  // its transaction's only statement (no read of its context), the join's the last of the Plan
  // turn that read the run after the Map (ADR 187)
  expect(status).toBe('SUCCEEDED');
  const isClaim = (q: string) => q.includes("run_unchanged(run_steps.status = 'PENDING'");
  const claims = sent.filter((t) => t.some(isClaim));
  expect(claims).toHaveLength(4);
  expect(contextReadsIn(sent)).toEqual([]);
  expect(claims.filter((t) => t.length === 1)).toHaveLength(3);
  expect(['b1', 'b2', 'b3'].map((id) => byNode[id].prompt)).toEqual([
    'b1: fan',
    'b2: fan',
    'b3: fan',
  ]);
});

test("a Map a completion plans: its branches that read only that step's output start without a read", async () => {
  // Prepare: spec, then two branches reading it (one the input too), then a join
  await warmWorkflow(
    'warm-spec-fan-out',
    {
      spec: '{{input.topic}}',
      left: 'left: {{steps.spec.output}}',
      right: 'right: {{steps.spec.output}} {{input.topic}}',
      join: '{{steps.left.output}} {{steps.right.output}}',
    },
    [
      ['spec', 'left'],
      ['spec', 'right'],
      ['left', 'join'],
      ['right', 'join'],
    ],
  );

  // Act
  const { status, sent, byNode } = await runWarm('warm-spec-fan-out', 'fan');

  // Assess: no step read its context: spec and join were prepared by Plan turns, the branches
  // started from what spec's completion read, each claim its transaction's only statement
  expect(status).toBe('SUCCEEDED');
  expect(contextReadsIn(sent)).toEqual([]);
  const isClaim = (q: string) => q.includes("run_unchanged(run_steps.status = 'PENDING'");
  expect(sent.filter((t) => t.length === 1 && isClaim(t[0]))).toHaveLength(2);
  expect(byNode.left.prompt).toBe(`left: ${byNode.spec.output}`);
  expect(byNode.right.prompt).toBe(`right: ${byNode.spec.output} fan`);
});

test('the outputs a step read pass on with its own: branches reading both start without a read', async () => {
  // Prepare: the feature pipeline's shape; reviewer and qa read pm's output and coder's
  await warmWorkflow(
    'warm-pipeline',
    {
      pm: 'Spec: {{input.topic}}',
      coder: 'Code: {{steps.pm.output}}',
      reviewer: 'Review: {{steps.pm.output}} / {{steps.coder.output}}',
      qa: 'Test: {{steps.pm.output}} / {{steps.coder.output}}',
      summary: 'Sum: {{steps.reviewer.output}} / {{steps.qa.output}}',
    },
    [
      ['pm', 'coder'],
      ['coder', 'reviewer'],
      ['coder', 'qa'],
      ['reviewer', 'summary'],
      ['qa', 'summary'],
    ],
  );

  // Act
  const { status, sent, byNode } = await runWarm('warm-pipeline', 'pipe');

  // Assess: no step read its context; the branches' prompts are those a read gives
  expect(status).toBe('SUCCEEDED');
  expect(contextReadsIn(sent)).toEqual([]);
  const both = `${byNode.pm.output} / ${byNode.coder.output}`;
  expect(byNode.reviewer.prompt).toBe(`Review: ${both}`);
  expect(byNode.qa.prompt).toBe(`Test: ${both}`);
});

test('a structured output reaches the next step without a read, as a read gives it', async () => {
  // Prepare: an agent whose answers are objects (its schema lists the longer key first)
  await createSimulatorAgent(stack, token, 'warm-json', {
    outputSchema: {
      type: 'object',
      properties: { summary: { type: 'string' }, id: { type: 'string' } },
      required: ['summary', 'id'],
    },
  });
  await createWorkflow(stack, token, 'warm-json-chain', chainOf(2, 'warm-json'));
  transactions.length = 0;

  // Act
  const runId = await runToEnd(stack, token, 'warm-json-chain', { topic: 'json' });

  // Assess: s2 started without a read, and its prompt is s1's output as the column returns it
  // (the simulator writes keys in its schema's order, which jsonb already holds in its own)
  const claims = transactions.filter((t) => t.some((q) => q.includes('run_unchanged(')));
  expect(claims.length).toBeGreaterThan(0);
  const byNode = await stepsByNode(runId);
  expect(Object.keys(byNode.s1.output as object)).toEqual(['id', 'summary']);
  expect(byNode.s2.prompt).toBe(JSON.stringify(byNode.s1.output, null, 2));
});

test("the warm entry holds a completion's object output with its keys in jsonb's order", async () => {
  // Prepare: s2 and s3 PENDING again, s1 completing with keys written longest first
  const { runId, tenantId, s2 } = await finishedChain();
  await reopen(runId, s2.id, 'RUNNING');
  await stack.platform.db.owner
    .update(runSteps)
    .set({ status: 'PENDING' })
    .where(and(eq(runSteps.runId, runId), eq(runSteps.nodeId, 's3')));
  const [s1] = await stack.platform.db.owner
    .select({ id: runSteps.id })
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), eq(runSteps.nodeId, 's1')));
  const completing = { stepId: s1.id, nodeId: 's1', output: { summary: 'x', id: 'y' } };

  // Act
  const warm = await stack.platform.db.withTenant({ tenantId }, async (tx) => {
    const decision = await decidePlan(stack.platform, tx, runId, completing);
    return warmNextStep(decision, completing, {
      done: false,
      ready: [{ stepId: s2.id, type: 'agent' }],
      next: 'agent',
      stepId: s2.id,
    });
  });

  // Assess
  expect(Object.keys(warm?.outputs.s1?.output as object)).toEqual(['id', 'summary']);
});

test('a step that finished since its completion planned it is not run again', async () => {
  // Prepare: s2 succeeded, but this process still holds it as the planner saw it, PENDING
  const { runId, tenantId, s2, warm } = await finishedChain();
  const before = await countOf(runId, s2.id);
  warm();

  // Act
  const result = await runStep({ tenantId, runId, stepId: s2.id }, 'warm-finished');

  // Assess: the claim failed, the fresh read found it SUCCEEDED: no call, no record, no event
  expect(result.status).toBe('SUCCEEDED');
  expect(await countOf(runId, s2.id)).toEqual(before);
});

test("a cancelled run's step is not started", async () => {
  // Prepare: s2 is PENDING again, and its run was cancelled after the planner read it
  const { runId, tenantId, s2, warm } = await finishedChain();
  await reopen(runId, s2.id, 'CANCELLED');
  const before = await countOf(runId, s2.id);
  warm();

  // Act
  const result = await runStep({ tenantId, runId, stepId: s2.id }, 'warm-cancelled');

  // Assess: skipped after a fresh read; the step was not marked RUNNING
  expect(result.status).toBe('SKIPPED');
  expect(await countOf(runId, s2.id)).toEqual(before);
  const [step] = await stack.platform.db.owner
    .select({ status: runSteps.status })
    .from(runSteps)
    .where(eq(runSteps.id, s2.id));
  expect(step.status).toBe('PENDING');
});

test("a completion whose run's other steps changed since its snapshot plans from a fresh read", async () => {
  // Prepare: s2 is PENDING again; s3 SUCCEEDED, where the snapshot has it PENDING
  const { runId, tenantId, s2, warm } = await finishedChain();
  await reopen(runId, s2.id, 'RUNNING');
  const before = await countOf(runId, s2.id);
  warm();

  // Act
  const result = await runStep({ tenantId, runId, stepId: s2.id }, 'warm-changed', true);

  // Assess: the snapshot would make s3 ready; the steps as they are leave nothing to run. The
  // answer is recorded once (one attempt, its started and succeeded events).
  expect(result).toEqual({
    status: 'SUCCEEDED',
    plan: { done: true, ready: [], next: 'done', stepId: null },
  });
  expect(await countOf(runId, s2.id)).toEqual({
    usage: before.usage + 1,
    events: before.events + 2,
  });
});

test('the outputs a step read do not pass on when its completion finds the run changed', async () => {
  // Prepare: s3 reads s1 and s2. A finished run whose s2 and s3 are PENDING again, s2 kept in
  // memory with a stale s1 output, as a planner's entry whose run changed since would hold it
  // (the snapshot has s1 RUNNING: its check fails)
  await warmWorkflow(
    'warm-inherit',
    {
      s1: '{{input.topic}}',
      s2: 'two: {{steps.s1.output}}',
      s3: 'three: {{steps.s1.output}} {{steps.s2.output}}',
    },
    [
      ['s1', 's2'],
      ['s2', 's3'],
    ],
  );
  const runId = await runToEnd(stack, token, 'warm-inherit', { topic: 'inherit' });
  const [{ tenantId }] = await stack.platform.db.owner
    .select({ tenantId: runs.tenantId })
    .from(runs)
    .where(eq(runs.id, runId));
  const context = await stack.platform.db.withTenant({ tenantId }, (tx) =>
    loadRunContextWithPolicy(tx, runId),
  );
  const byNode = Object.fromEntries(context.steps.map((s) => [s.nodeId, s]));
  for (const id of ['s2', 's3']) await reopen(runId, byNode[id].id, 'RUNNING');
  const steps = context.steps.map((s) => ({
    ...s,
    status: s.nodeId === 's1' ? 'RUNNING' : 'PENDING',
  }));
  rememberWarmStep({
    run: { ...context.run, status: 'RUNNING' },
    step: { ...byNode.s2, status: 'PENDING' },
    steps,
    piiPolicy: context.piiPolicy,
    outputs: { s1: { output: 'STALE', iterations: [] } },
  });

  // Act: s2's task, then s3's
  await runStep({ tenantId, runId, stepId: byNode.s2.id }, 'warm-inherit', true);
  await runStep({ tenantId, runId, stepId: byNode.s3.id }, 'warm-inherit', true);

  // Assess: s3 read s1's output as stored, not the stale one s2 was given
  const after = await stepsByNode(runId);
  expect(after.s2.prompt).toBe('two: STALE');
  expect(after.s3.prompt).toBe(`three: ${after.s1.output} ${after.s2.output}`);
});

test('a step of a run of more than 500 steps is not kept: it reads', async () => {
  // Prepare: s2 is PENDING again, in a run the snapshot makes 501 steps long
  const { runId, tenantId, s2, warm } = await finishedChain();
  await reopen(runId, s2.id, 'RUNNING');
  warm(498);
  transactions.length = 0;

  // Act
  const result = await runStep({ tenantId, runId, stepId: s2.id }, 'warm-long', true);

  // Assess: prepared and planned from reads, with no check
  expect(result.status).toBe('SUCCEEDED');
  expect(transactions.flat().some((q) => q.includes('run_unchanged('))).toBe(false);
});

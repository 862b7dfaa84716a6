/**
 * The workflow language through the real ASL (aws-local-stepfunctions) and the real task handlers:
 * conditional edges with skip reasons, router nodes, bounded loops with iterations. The simulator
 * answers an enum with the value its prompt mentions first, which steers routers and reviewers.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
  await agent('drafter');
});
afterAll(async () => stack?.close());

async function agent(slug: string, extra: object = {}) {
  const res = await stack.call('POST', '/v1/agents', {
    token,
    body: { slug, name: slug, model: 'simulator:local', systemPrompt: `${slug} agent`, ...extra },
  });
  expect(res.status).toBe(201);
}
async function workflow(slug: string, nodes: object[], edges: object[] = []) {
  const res = await stack.call('POST', '/v1/workflows', {
    token,
    body: { slug, name: slug, nodes, edges },
  });
  expect(res.status).toBe(201);
}
async function run(slug: string, input: object = {}) {
  const started = await stack.call('POST', `/v1/workflows/${slug}/runs`, {
    token,
    body: { input },
  });
  expect(started.status).toBe(202);
  return stack.waitForRun(token, started.body.runId);
}
const steps = (result: any, nodeId: string) => result.steps.filter((s: any) => s.nodeId === nodeId);
const only = (result: any, nodeId: string) => {
  const found = steps(result, nodeId);
  expect(found).toHaveLength(1);
  return found[0];
};

test('a router sends two inputs down two different branches; the untaken one is skipped with its reason', async () => {
  // Prepare: triage -> fix (bug) | answer (question), both joining in summary.
  await agent('sorter');
  await agent('fixer');
  await agent('answerer');
  await workflow(
    'triage-flow',
    [
      {
        id: 'triage',
        type: 'router',
        agent: 'sorter',
        prompt: '{{input.text}}',
        routes: ['bug', 'question'],
      },
      { id: 'fix', type: 'agent', agent: 'fixer', prompt: 'Fix: {{input.text}}' },
      { id: 'answer', type: 'agent', agent: 'answerer', prompt: 'Answer: {{input.text}}' },
      { id: 'summary', type: 'agent', agent: 'answerer', prompt: 'Summarise' },
    ],
    [
      { from: 'triage', to: 'fix', if: { path: 'steps.triage.output', equals: 'bug' } },
      { from: 'triage', to: 'answer', if: { path: 'steps.triage.output', equals: 'question' } },
      { from: 'fix', to: 'summary' },
      { from: 'answer', to: 'summary' },
    ],
  );

  // Act
  const bug = await run('triage-flow', { text: 'the login page crashes: a bug' });
  const question = await run('triage-flow', { text: 'a question: how do I export a run?' });

  // Assess
  expect(bug.status).toBe('SUCCEEDED');
  expect(only(bug, 'triage').output).toBe('bug');
  expect(only(bug, 'fix').status).toBe('SUCCEEDED');
  expect(only(bug, 'answer')).toMatchObject({
    status: 'SKIPPED',
    skipReason: 'no branch leads here: the condition on triage -> answer is false',
  });
  expect(only(bug, 'summary').status).toBe('SUCCEEDED');
  expect(question.status).toBe('SUCCEEDED');
  expect(only(question, 'triage').output).toBe('question');
  expect(only(question, 'answer').status).toBe('SUCCEEDED');
  expect(only(question, 'fix').status).toBe('SKIPPED');
  expect(only(question, 'summary').status).toBe('SUCCEEDED');
  const events = await stack.call('GET', `/v1/runs/${question.id}/events`, { token });
  expect(events.body.items.map((e: any) => e.message)).toContain(
    'fix skipped: no branch leads here: the condition on triage -> fix is false',
  );
});

test('a router with fewer than two routes is refused at save time', async () => {
  // Prepare
  await agent('picky');
  const res = await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'bad-router',
      name: 'bad-router',
      nodes: [{ id: 'r', type: 'router', agent: 'picky', routes: ['only'] }],
    },
  });

  // Assess
  expect(res.status).toBe(400);
  expect(res.body.error.details[0].path).toContain('routes');
});

const loopEdges = (maxIterations: number) => [
  { from: 'write', to: 'review' },
  {
    from: 'review',
    to: 'write',
    maxIterations,
    if: { path: 'steps.review.output.verdict', equals: 'REVISE' },
  },
  { from: 'review', to: 'publish', if: { path: 'steps.review.output.verdict', equals: 'APPROVE' } },
];

test('a review loop runs again until the reviewer approves, then continues', async () => {
  // Prepare: the reviewer's `note` can only be APPROVE, and its prompt starts with the previous
  // note, so the simulator answers REVISE first (no previous note) and APPROVE the second time.
  await agent('critic', {
    outputSchema: {
      type: 'object',
      properties: {
        verdict: { type: 'string', enum: ['APPROVE', 'REVISE'] },
        note: { type: 'string', enum: ['APPROVE'] },
      },
      required: ['verdict', 'note'],
    },
  });
  await workflow(
    'review-loop',
    [
      {
        id: 'write',
        type: 'agent',
        agent: 'drafter',
        prompt: 'Write the draft. Feedback: {{steps.review.output.verdict}}',
      },
      {
        id: 'review',
        type: 'agent',
        agent: 'critic',
        prompt: '{{steps.review.output.note}} REVISE unless good: {{steps.write.output}}',
      },
      {
        id: 'publish',
        type: 'agent',
        agent: 'drafter',
        prompt: 'Publish after {{steps.review.iterations.0.verdict}}: {{steps.write.output}}',
      },
    ],
    loopEdges(3),
  );

  // Act
  const result = await run('review-loop');

  // Assess: two iterations of write and review, then publish once
  expect(result.status).toBe('SUCCEEDED');
  expect(steps(result, 'write').map((s: any) => [s.iteration, s.status])).toEqual([
    [1, 'SUCCEEDED'],
    [2, 'SUCCEEDED'],
  ]);
  expect(steps(result, 'review').map((s: any) => [s.iteration, s.output.verdict])).toEqual([
    [1, 'REVISE'],
    [2, 'APPROVE'],
  ]);
  expect(steps(result, 'write')[1].prompt).toBe('Write the draft. Feedback: REVISE');
  const publish = only(result, 'publish');
  expect(publish.status).toBe('SUCCEEDED');
  expect(publish.prompt).toContain('Publish after REVISE:');
  const events = await stack.call('GET', `/v1/runs/${result.id}/events`, { token });
  expect(events.body.items.filter((e: any) => e.type === 'loop.iteration')).toHaveLength(1);
});

test('a review loop stops at maxIterations and skips what needed an approval', async () => {
  // Prepare: this reviewer never approves (its prompt names REVISE first).
  await agent('harsh', {
    outputSchema: {
      type: 'object',
      properties: { verdict: { type: 'string', enum: ['APPROVE', 'REVISE'] } },
      required: ['verdict'],
    },
  });
  await workflow(
    'endless-review',
    [
      { id: 'write', type: 'agent', agent: 'drafter', prompt: 'Draft {{steps.review.output}}' },
      { id: 'review', type: 'agent', agent: 'harsh', prompt: 'REVISE? {{steps.write.output}}' },
      { id: 'publish', type: 'agent', agent: 'drafter', prompt: 'Publish' },
    ],
    loopEdges(3),
  );

  // Act
  const result = await run('endless-review');

  // Assess
  expect(result.status).toBe('SUCCEEDED');
  expect(steps(result, 'write').map((s: any) => s.iteration)).toEqual([1, 2, 3]);
  expect(steps(result, 'review').map((s: any) => s.output.verdict)).toEqual([
    'REVISE',
    'REVISE',
    'REVISE',
  ]);
  expect(only(result, 'publish')).toMatchObject({
    status: 'SKIPPED',
    skipReason: 'no branch leads here: the condition on review -> publish is false',
  });
});

test('a loop without a bound is refused at save time with the edge named', async () => {
  const res = await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'unbounded',
      name: 'unbounded',
      nodes: [
        { id: 'a', type: 'agent', agent: 'drafter' },
        { id: 'b', type: 'agent', agent: 'drafter' },
      ],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a', maxIterations: 3 },
      ],
    },
  });

  expect(res.status).toBe(400);
  expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'edges[1].if' })]);
});

test('the seeded issue-triage workflow routes a bug into its review loop and replies', async () => {
  // Act: the demo agents run on the simulator here; its gatekeeper asks for revisions every round.
  const result = await run('issue-triage', {
    issue: 'Export crashes with a bug in the CSV writer',
  });

  // Assess
  expect(result.status).toBe('SUCCEEDED');
  expect(only(result, 'triage').output).toBe('bug');
  expect(steps(result, 'fix').map((s: any) => s.iteration)).toEqual([1, 2, 3]);
  expect(steps(result, 'review').map((s: any) => s.output.verdict)).toEqual([
    'REVISE',
    'REVISE',
    'REVISE',
  ]);
  expect(only(result, 'answer').status).toBe('SKIPPED');
  expect(only(result, 'spec').status).toBe('SKIPPED');
  expect(only(result, 'reply').status).toBe('SUCCEEDED');
});

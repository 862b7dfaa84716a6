/**
 * Sub-workflow and map nodes through the real ASL: child runs linked both ways, outputs in item
 * order, partial failure visible per item and following the node's failure edge, a failed child
 * failing its node.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
  await agent('worker', 'simulator:local');
  await agent('crasher', 'simulator:fail');
  // The child: reviews one file; a file named bad-* goes to an agent that always fails.
  await workflow(
    'review-file',
    [
      { id: 'look', type: 'agent', agent: 'worker', prompt: 'Review {{input.file}}' },
      { id: 'crash', type: 'agent', agent: 'crasher', prompt: '{{input.file}}' },
    ],
    [{ from: 'look', to: 'crash', if: { path: 'input.file', matches: '^bad-' } }],
  );
});
afterAll(async () => stack?.close());

async function agent(slug: string, model: string) {
  const res = await stack.call('POST', '/v1/agents', {
    token,
    body: { slug, name: slug, model, systemPrompt: `${slug} agent` },
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
  return stack.waitForRun(token, started.body.runId, 60_000);
}
const stepOf = (result: any, nodeId: string) => result.steps.find((s: any) => s.nodeId === nodeId);

test('a map over 20 items with 2 failures: outputs in item order, failures per item, the failure edge taken', async () => {
  // Prepare
  await workflow(
    'review-all',
    [
      {
        id: 'each',
        type: 'map',
        workflow: 'review-file',
        items: 'input.files',
        as: 'file',
        maxConcurrency: 4,
      },
      { id: 'report', type: 'agent', agent: 'worker', prompt: 'Report: {{steps.each.output}}' },
    ],
    [{ from: 'each', to: 'report', when: 'failure' }],
  );
  const files = Array.from({ length: 20 }, (_, i) =>
    i === 3 || i === 11 ? `bad-${i}.ts` : `f${i}.ts`,
  );

  // Act
  const result = await run('review-all', { files });

  // Assess: the failure is handled by the report, so the run succeeds
  expect(result.status).toBe('SUCCEEDED');
  const each = stepOf(result, 'each');
  expect(each.status).toBe('FAILED');
  expect(each.error.name).toBe('ChildRunFailed');
  expect(each.error.message).toMatch(
    /^2 of 20 items failed: item 3 \(run [0-9a-f-]+: FAILED.*; item 11 /,
  );
  expect(each.children.map((c: any) => [c.index, c.status])).toEqual(
    files.map((f, i) => [i, f.startsWith('bad-') ? 'FAILED' : 'SUCCEEDED']),
  );
  expect(each.output).toHaveLength(20);
  expect(each.output.map((o: unknown) => o === null)).toEqual(
    files.map((f) => f.startsWith('bad-')),
  );
  expect(stepOf(result, 'report').status).toBe('SUCCEEDED');

  // The child links back to its parent, and ran its item
  const child = await stack.call('GET', `/v1/runs/${each.children[5].runId}`, { token });
  expect(child.body).toMatchObject({
    parentRunId: result.id,
    parentStepId: each.id,
    itemIndex: 5,
    input: { file: 'f5.ts' },
    status: 'SUCCEEDED',
  });
  expect(each.output[5]).toEqual(child.body.output);
});

test('a sub-workflow whose child fails fails its node and the run; a succeeding one passes its output on', async () => {
  // Prepare
  await workflow(
    'call-child',
    [
      { id: 'prep', type: 'agent', agent: 'worker', prompt: 'prep' },
      { id: 'sub', type: 'workflow', workflow: 'review-file', input: { file: '{{input.file}}' } },
      { id: 'after', type: 'agent', agent: 'worker', prompt: 'After: {{steps.sub.output}}' },
    ],
    [
      { from: 'prep', to: 'sub' },
      { from: 'sub', to: 'after' },
    ],
  );

  // Act
  const failed = await run('call-child', { file: 'bad-one.ts' });
  const passed = await run('call-child', { file: 'good.ts' });

  // Assess
  expect(failed.status).toBe('FAILED');
  const sub = stepOf(failed, 'sub');
  expect(sub).toMatchObject({ status: 'FAILED', error: { name: 'ChildRunFailed' } });
  expect(sub.error.message).toContain(sub.children[0].runId);
  expect(stepOf(failed, 'after').status).toBe('SKIPPED');
  expect(failed.error.message).toContain('sub');
  const child = await stack.call('GET', `/v1/runs/${sub.children[0].runId}`, { token });
  expect(child.body).toMatchObject({
    status: 'FAILED',
    parentRunId: failed.id,
    parentStepId: sub.id,
  });

  expect(passed.status).toBe('SUCCEEDED');
  const ok = stepOf(passed, 'sub');
  const okChild = await stack.call('GET', `/v1/runs/${ok.children[0].runId}`, { token });
  expect(ok.output).toEqual(okChild.body.output);
  expect(ok.costUsd).toBeCloseTo(okChild.body.costUsd, 6);
  expect(stepOf(passed, 'after').prompt).toContain('Simulated answer');
});

test('a map or sub-workflow naming an unknown workflow is refused at save time', async () => {
  const res = await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'dangling',
      name: 'dangling',
      nodes: [{ id: 'm', type: 'map', workflow: 'no-such-flow', items: 'input.list' }],
    },
  });

  expect(res.status).toBe(400);
  expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'nodes[0].workflow' })]);
});

test('cancelling a parent cancels its child runs still in flight', async () => {
  // Prepare: slow children, so they are still running when the parent is cancelled
  await agent('sloth', 'simulator:slow-5000');
  await workflow('slow-file', [
    { id: 'wait', type: 'agent', agent: 'sloth', prompt: '{{input.file}}' },
  ]);
  await workflow('slow-all', [
    {
      id: 'each',
      type: 'map',
      workflow: 'slow-file',
      items: 'input.files',
      as: 'file',
      maxConcurrency: 2,
    },
  ]);
  const started = await stack.call('POST', '/v1/workflows/slow-all/runs', {
    token,
    body: { input: { files: ['a', 'b', 'c'] } },
  });
  let children: any[] = [];
  while (children.length === 0) {
    const now = await stack.call('GET', `/v1/runs/${started.body.runId}`, { token });
    children = stepOf(now.body, 'each').children ?? [];
    if (children.length === 0) await new Promise((r) => setTimeout(r, 50));
  }

  // Act
  const cancelled = await stack.call('POST', `/v1/runs/${started.body.runId}/cancel`, { token });

  // Assess: every child is settled as cancelled, none left running
  expect(cancelled.status).toBe(200);
  const statuses = await Promise.all(
    children.map(
      async (c) => (await stack.call('GET', `/v1/runs/${c.runId}`, { token })).body.status,
    ),
  );
  expect(statuses).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
});

test('a workflow another runs as a sub-workflow or map cannot be deleted; the 409 names the users', async () => {
  // Prepare
  await workflow('leaf', [{ id: 'a', type: 'agent', agent: 'worker', prompt: 'Leaf {{input.x}}' }]);
  await workflow('uses-leaf', [{ id: 's', type: 'workflow', workflow: 'leaf', input: {} }]);
  await workflow('maps-leaf', [{ id: 'm', type: 'map', workflow: 'leaf', items: 'input.list' }]);

  // Act
  const refused = await stack.call('DELETE', '/v1/workflows/leaf', { token });
  await stack.call('DELETE', '/v1/workflows/uses-leaf', { token });
  await stack.call('DELETE', '/v1/workflows/maps-leaf', { token });
  const deleted = await stack.call('DELETE', '/v1/workflows/leaf', { token });

  // Assess
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toContain('workflow "maps-leaf"');
  expect(refused.body.error.message).toContain('workflow "uses-leaf"');
  expect(deleted.status).toBe(204);
});

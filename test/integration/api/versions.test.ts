/** Agents and workflows keep immutable versions; a run is pinned to the versions it started with. */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

test('PATCH creates a new version and keeps the old one', async () => {
  const created = await stack.call('POST', '/v1/agents', {
    token,
    body: { slug: 'writer', name: 'Writer', model: 'simulator:sim-1', systemPrompt: 'v1 prompt' },
  });
  const patched = await stack.call('PATCH', '/v1/agents/writer', {
    token,
    body: { systemPrompt: 'v2 prompt' },
  });
  const versions = await stack.call('GET', '/v1/agents/writer/versions', { token });

  expect(created.body.version).toBe(1);
  expect(patched.body).toMatchObject({ version: 2, systemPrompt: 'v2 prompt', name: 'Writer' });
  expect(versions.body.items.map((v: any) => [v.version, v.spec.systemPrompt])).toEqual([
    [2, 'v2 prompt'],
    [1, 'v1 prompt'],
  ]);
});

test('a run uses the agent and workflow versions current when it started', async () => {
  // Prepare
  await stack.call('POST', '/v1/agents', {
    token,
    body: {
      slug: 'pinned',
      name: 'Pinned',
      model: 'simulator:slow-400',
      systemPrompt: 'ORIGINAL persona',
    },
  });
  await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'pin-test',
      name: 'Pin',
      nodes: [
        { id: 'a', type: 'agent', agent: 'pinned', prompt: 'first prompt' },
        { id: 'b', type: 'agent', agent: 'pinned', prompt: 'second prompt' },
      ],
      edges: [{ from: 'a', to: 'b' }],
    },
  });

  // Act: change both while the run is in flight
  const started = await stack.call('POST', '/v1/workflows/pin-test/runs', {
    token,
    body: { input: {} },
  });
  await stack.call('PATCH', '/v1/agents/pinned', {
    token,
    body: { systemPrompt: 'CHANGED persona', model: 'simulator:fail' },
  });
  await stack.call('PATCH', '/v1/workflows/pin-test', {
    token,
    body: {
      nodes: [
        { id: 'a', type: 'agent', agent: 'pinned', prompt: 'first prompt' },
        { id: 'b', type: 'agent', agent: 'pinned', prompt: 'CHANGED prompt' },
      ],
    },
  });
  const run = await stack.waitForRun(token, started.body.runId);

  // Assess
  expect(run.status).toBe('SUCCEEDED');
  expect(run.workflowVersion).toBe(1);
  expect(run.steps.find((s: any) => s.nodeId === 'b').prompt).toBe('second prompt');
  expect(String(run.steps.find((s: any) => s.nodeId === 'b').output)).toContain('ORIGINAL persona');
});

test('an Idempotency-Key makes starting a run safe to retry', async () => {
  const headers = { 'idempotency-key': 'order-42' };
  const [a, b] = await Promise.all([
    stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
      token,
      headers,
      body: { input: { feature: 'once' } },
    }),
    stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
      token,
      headers,
      body: { input: { feature: 'once' } },
    }),
  ]);
  const c = await stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
    token,
    headers,
    body: { input: { feature: 'once' } },
  });

  expect([a.status, b.status, c.status]).toEqual([202, 202, 202]);
  expect(new Set([a.body.runId, b.body.runId, c.body.runId]).size).toBe(1);
  await stack.executions.idle();
});

test('deleting an agent frees its slug and keeps past runs readable', async () => {
  await stack.call('POST', '/v1/agents', {
    token,
    body: { slug: 'temp', name: 'Temp', model: 'simulator:sim-1' },
  });
  const del = await stack.call('DELETE', '/v1/agents/temp', { token });
  const gone = await stack.call('GET', '/v1/agents/temp', { token });
  const again = await stack.call('POST', '/v1/agents', {
    token,
    body: { slug: 'temp', name: 'Temp 2', model: 'simulator:sim-1' },
  });

  expect(del.status).toBe(204);
  expect(gone.status).toBe(404);
  expect(again.status).toBe(201);
});

test('lists page with a cursor', async () => {
  const first = await stack.call('GET', '/v1/agents?limit=2', { token });
  const second = await stack.call('GET', `/v1/agents?limit=2&cursor=${first.body.nextCursor}`, {
    token,
  });

  expect(first.body.items).toHaveLength(2);
  expect(first.body.nextCursor).toBeDefined();
  const ids = new Set([...first.body.items, ...second.body.items].map((a: any) => a.id));
  expect(ids.size).toBe(first.body.items.length + second.body.items.length);
});

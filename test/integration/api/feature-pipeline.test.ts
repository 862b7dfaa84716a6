/**
 * The user story of the foundation: log in as the seeded admin, run feature-pipeline through the
 * real ASL, follow it step by step, see reviewer ∥ qa overlap, cancel a run.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.close());

test('feature-pipeline runs to SUCCEEDED with every step traced and reviewer ∥ qa overlapping', async () => {
  // Prepare
  const token = await stack.adminToken();

  // Act
  const started = await stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
    token,
    body: { input: { feature: 'Add dark mode to the console' } },
  });
  const run = await stack.waitForRun(token, started.body.runId);
  const events = await stack.call('GET', `/v1/runs/${started.body.runId}/events`, { token });

  // Assess
  expect(started.status).toBe(202);
  expect(run.status).toBe('SUCCEEDED');
  expect(run.workflowSlug).toBe('feature-pipeline');
  expect(run.steps.map((s: any) => s.nodeId).sort()).toEqual([
    'coder',
    'pm',
    'qa',
    'reviewer',
    'summary',
  ]);
  for (const step of run.steps) {
    expect(step.status).toBe('SUCCEEDED');
    expect(step.attempts).toHaveLength(1);
    expect(step.attempts[0]).toMatchObject({ n: 1, provider: 'simulator', outcome: 'success' });
    expect(step.inputTokens).toBeGreaterThan(0);
    expect(step.outputTokens).toBeGreaterThan(0);
    expect(step.provider).toBe('simulator');
    expect(String(step.output)).toContain('local simulator');
    expect(Date.parse(step.finishedAt)).toBeGreaterThanOrEqual(Date.parse(step.startedAt));
  }
  const pm = run.steps.find((s: any) => s.nodeId === 'pm');
  expect(pm.prompt).toContain('Add dark mode to the console');
  const coder = run.steps.find((s: any) => s.nodeId === 'coder');
  expect(coder.prompt).toContain(String(pm.output).slice(0, 40));
  const [reviewer, qa] = ['reviewer', 'qa'].map((id) =>
    run.steps.find((s: any) => s.nodeId === id),
  );
  expect(Date.parse(reviewer.startedAt)).toBeLessThan(Date.parse(qa.finishedAt));
  expect(Date.parse(qa.startedAt)).toBeLessThan(Date.parse(reviewer.finishedAt));
  expect(events.body.items.map((e: any) => e.type)).toEqual(
    expect.arrayContaining([
      'run.queued',
      'run.started',
      'step.started',
      'step.succeeded',
      'run.succeeded',
    ]),
  );
  expect(events.body.items[events.body.items.length - 1].type).toBe('run.succeeded');
});

test('events are paged with ?after=', async () => {
  const token = await stack.adminToken();
  const started = await stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
    token,
    body: { input: { feature: 'x' } },
  });
  await stack.waitForRun(token, started.body.runId);

  const first = await stack.call('GET', `/v1/runs/${started.body.runId}/events?limit=3`, { token });
  const rest = await stack.call(
    'GET',
    `/v1/runs/${started.body.runId}/events?after=${first.body.nextAfter}`,
    { token },
  );

  expect(first.body.items).toHaveLength(3);
  expect(rest.body.items[0].seq).toBeGreaterThan(first.body.items[2].seq);
});

test('a running run can be cancelled and ends CANCELLED', async () => {
  // Prepare: a slow agent so the run is still going when we cancel
  const token = await stack.adminToken();
  await stack.call('POST', '/v1/agents', {
    token,
    body: { slug: 'slowpoke', name: 'Slow', model: 'simulator:slow-1500', systemPrompt: 'x' },
  });
  await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'two-steps',
      name: 'Two',
      nodes: [
        { id: 'a', type: 'agent', agent: 'slowpoke', prompt: 'a' },
        { id: 'b', type: 'agent', agent: 'slowpoke', prompt: '{{steps.a.output}}' },
      ],
      edges: [{ from: 'a', to: 'b' }],
    },
  });
  const started = await stack.call('POST', '/v1/workflows/two-steps/runs', {
    token,
    body: { input: {} },
  });

  // Act
  const cancelled = await stack.call('POST', `/v1/runs/${started.body.runId}/cancel`, { token });
  await stack.executions.idle();
  const run = await stack.call('GET', `/v1/runs/${started.body.runId}`, { token });
  const again = await stack.call('POST', `/v1/runs/${started.body.runId}/cancel`, { token });

  // Assess
  expect(cancelled.status).toBe(200);
  expect(run.body.status).toBe('CANCELLED');
  expect(run.body.steps.find((s: any) => s.nodeId === 'b').status).toBe('SKIPPED');
  expect(again.status).toBe(409);
});

/**
 * run-workflow.asl.json in aws-local-stepfunctions with the real task handlers: retries by error
 * name, Catch → FAILED with the reason, parallel branches. The simulator scripts failures by model.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
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
async function run(slug: string) {
  const started = await stack.call('POST', `/v1/workflows/${slug}/runs`, {
    token,
    body: { input: {} },
  });
  expect(started.status).toBe(202);
  return stack.waitForRun(token, started.body.runId);
}

test('a step throwing ProviderThrottled twice is retried by the ASL and succeeds on attempt 3', async () => {
  // Prepare
  await agent('flaky', 'simulator:flaky-2');
  await workflow('retry-me', [{ id: 'only', type: 'agent', agent: 'flaky', prompt: 'hello' }]);

  // Act
  const result = await run('retry-me');

  // Assess
  expect(result.status).toBe('SUCCEEDED');
  const step = result.steps[0];
  expect(step.status).toBe('SUCCEEDED');
  expect(step.attempts.map((a: any) => [a.outcome, a.errorName ?? null])).toEqual([
    ['error', 'ProviderThrottled'],
    ['error', 'ProviderThrottled'],
    ['success', null],
  ]);
});

test('a permanent error is caught, the run ends FAILED and the reason is recorded', async () => {
  // Prepare
  await agent('broken', 'simulator:fail');
  await workflow(
    'fail-me',
    [
      { id: 'first', type: 'agent', agent: 'broken', prompt: 'x' },
      { id: 'after', type: 'agent', agent: 'broken', prompt: '{{steps.first.output}}' },
    ],
    [{ from: 'first', to: 'after' }],
  );

  // Act
  const result = await run('fail-me');

  // Assess: not retried (one attempt), the step and the run carry the error name
  const first = result.steps.find((s: any) => s.nodeId === 'first');
  expect(result.status).toBe('FAILED');
  expect(first.status).toBe('FAILED');
  expect(first.attempts).toHaveLength(1);
  expect(first.error).toMatchObject({ name: 'InvalidRequest' });
  expect(result.error.message).toContain('first');
  expect(result.error.message).toContain('InvalidRequest');
  expect(result.steps.find((s: any) => s.nodeId === 'after').status).toBe('SKIPPED');
});

test('retryable errors past the step policy end as RetriesExhausted', async () => {
  await agent('always-down', 'simulator:down');
  await workflow('exhaust', [
    { id: 'x', type: 'agent', agent: 'always-down', prompt: 'x', maxAttempts: 2 },
  ]);

  const result = await run('exhaust');

  expect(result.status).toBe('FAILED');
  expect(result.steps[0].attempts).toHaveLength(2);
  expect(result.steps[0].error.name).toBe('RetriesExhausted');
});

test('a failure edge routes around a failed step and the run succeeds', async () => {
  await agent('ok', 'simulator:sim-1');
  await workflow(
    'recover',
    [
      { id: 'risky', type: 'agent', agent: 'broken', prompt: 'x' },
      { id: 'fallback', type: 'agent', agent: 'ok', prompt: 'recover' },
    ],
    [{ from: 'risky', to: 'fallback', when: 'failure' }],
  );

  const result = await run('recover');

  expect(result.steps.find((s: any) => s.nodeId === 'risky').status).toBe('FAILED');
  expect(result.steps.find((s: any) => s.nodeId === 'fallback').status).toBe('SUCCEEDED');
  expect(result.status).toBe('SUCCEEDED');
});

test('parallel branches both run, concurrently', async () => {
  await agent('slow', 'simulator:slow-300');
  await workflow('fan-out', [
    { id: 'left', type: 'agent', agent: 'slow', prompt: 'l' },
    { id: 'right', type: 'agent', agent: 'slow', prompt: 'r' },
  ]);

  const result = await run('fan-out');

  const [l, r] = ['left', 'right'].map((id) => result.steps.find((s: any) => s.nodeId === id));
  expect(result.status).toBe('SUCCEEDED');
  expect(Date.parse(l.startedAt)).toBeLessThan(Date.parse(r.finishedAt));
  expect(Date.parse(r.startedAt)).toBeLessThan(Date.parse(l.finishedAt));
});

test('an approval step ends the execution WAITING; approving continues the run', async () => {
  await workflow(
    'gated',
    [
      { id: 'draft', type: 'agent', agent: 'ok', prompt: 'draft' },
      { id: 'signoff', type: 'approval' },
      { id: 'ship', type: 'agent', agent: 'ok', prompt: '{{steps.draft.output}}' },
    ],
    [
      { from: 'draft', to: 'signoff' },
      { from: 'signoff', to: 'ship' },
    ],
  );

  const waiting = await run('gated');
  const approved = await stack.call('POST', `/v1/runs/${waiting.id}/steps/signoff/approve`, {
    token,
    body: { comment: 'ship it' },
  });
  const done = await stack.waitForRun(token, waiting.id);

  expect(waiting.status).toBe('WAITING');
  expect(waiting.steps.find((s: any) => s.nodeId === 'signoff').status).toBe('WAITING');
  expect(approved.status).toBe(202);
  expect(done.status).toBe('SUCCEEDED');
  expect(done.steps.find((s: any) => s.nodeId === 'ship').status).toBe('SUCCEEDED');
});

test('a failed run re-runs from the failed step, reusing finished outputs', async () => {
  // Prepare: step b fails; then the agent is fixed (a new version), and the re-run uses pinned versions
  await agent('good', 'simulator:sim-1');
  await workflow(
    'partial',
    [
      { id: 'a', type: 'agent', agent: 'good', prompt: 'a' },
      { id: 'b', type: 'agent', agent: 'broken', prompt: '{{steps.a.output}}' },
    ],
    [{ from: 'a', to: 'b' }],
  );
  const failed = await run('partial');

  // Act
  const again = await stack.call('POST', `/v1/runs/${failed.id}/rerun`, { token, body: {} });
  const rerun = await stack.waitForRun(token, again.body.runId);

  // Assess: a is reused (no new attempts), b ran again (and fails again: versions are pinned)
  expect(failed.status).toBe('FAILED');
  expect(again.status).toBe(202);
  const a = rerun.steps.find((s: any) => s.nodeId === 'a');
  expect(a.status).toBe('SUCCEEDED');
  expect(a.attempts).toHaveLength(0);
  expect(a.output).toEqual(failed.steps.find((s: any) => s.nodeId === 'a').output);
  expect(rerun.steps.find((s: any) => s.nodeId === 'b').attempts).toHaveLength(1);
});

/**
 * With the simulator not allowed (AWS without `-c allowSimulator=true`), an agent step whose chain
 * has no provider key fails fast with ProviderNotConfigured: every entry skipped and recorded, no
 * provider call, no ASL retry, and the run FAILED naming it.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack({
    env: { SIMULATOR_ALLOWED: 'false', OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' },
  });
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

async function runOne(slug: string, model: string, fallbacks: string[] = []) {
  const agent = await stack.call('POST', '/v1/agents', {
    token,
    body: { slug, name: slug, model, fallbacks, systemPrompt: 'x' },
  });
  expect(agent.status).toBe(201);
  const wf = await stack.call('POST', '/v1/workflows', {
    token,
    body: { slug: `${slug}-wf`, name: slug, nodes: [{ id: 'only', type: 'agent', agent: slug }] },
  });
  expect(wf.status).toBe(201);
  const started = await stack.call('POST', `/v1/workflows/${slug}-wf/runs`, {
    token,
    body: { input: {} },
  });
  return stack.waitForRun(token, started.body.runId);
}

test('a keyless chain fails fast with ProviderNotConfigured, each entry skipped, nothing retried', async () => {
  // Act
  const run = await runOne('keyless', 'openai:gpt-4.1-mini', ['anthropic:claude-sonnet-4']);
  const events = await stack.call('GET', `/v1/runs/${run.id}/events?after=0`, { token });
  // Assess
  const step = run.steps[0];
  expect(run.status).toBe('FAILED');
  expect(step.status).toBe('FAILED');
  expect(step.error.name).toBe('ProviderNotConfigured');
  expect(step.error.message).toContain('PUT /v1/providers/openai/key');
  expect(step.attempts.map((a: any) => [a.provider, a.outcome, a.errorName])).toEqual([
    ['openai', 'skipped', 'ProviderNotConfigured'],
    ['anthropic', 'skipped', 'ProviderNotConfigured'],
  ]);
  const types = events.body.items.map((e: any) => e.type);
  expect(types).not.toContain('step.retrying');
  expect(run.error.message).toContain('ProviderNotConfigured');
});

test('an explicit simulator model is refused too', async () => {
  // Act
  const run = await runOne('simulated', 'simulator:echo');
  // Assess
  expect(run.status).toBe('FAILED');
  expect(run.steps[0].error).toEqual({
    name: 'ProviderNotConfigured',
    message: expect.stringContaining('allowSimulator=true'),
  });
});

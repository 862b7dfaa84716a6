/**
 * Writes do exactly what was asked (issue 11, item 1): PATCH changes only the named fields, unknown
 * fields are refused by name, runs name versions, re-runs fork with new input, agents in use cannot
 * be deleted, idempotency keys bind to their request, runs that cannot start are refused before
 * they exist, steps come in workflow order, and multi-store writes leave nothing half-done.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  stack.call(method, path, { token, body, headers });

async function agent(slug: string, extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/v1/agents', {
    slug,
    name: slug,
    model: 'simulator:sim-1',
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function workflow(slug: string, body: Record<string, unknown>) {
  const res = await call('POST', '/v1/workflows', { slug, name: slug, ...body });
  expect(res.status).toBe(201);
  return res.body;
}

async function runCount(): Promise<number> {
  const res = await call('GET', '/v1/runs?limit=200');
  return res.body.items.length;
}

describe('PATCH changes exactly the named fields', () => {
  test('an agent PATCH of systemPrompt keeps role, fallbacks and parameters', async () => {
    await agent('keeper', {
      role: 'reviewer',
      systemPrompt: 'v1',
      fallbacks: ['simulator:sim-2'],
      parameters: { temperature: 0.3, maxTokens: 500 },
      tools: ['http.get'],
    });
    const res = await call('PATCH', '/v1/agents/keeper', { systemPrompt: 'v2' });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: 2,
      systemPrompt: 'v2',
      role: 'reviewer',
      fallbacks: ['simulator:sim-2'],
      parameters: { temperature: 0.3, maxTokens: 500 },
      tools: ['http.get'],
    });
  });

  test('explicit null clears an optional field and leaves the others', async () => {
    await agent('clearer', { role: 'writer', tools: ['http.get'] });
    const res = await call('PATCH', '/v1/agents/clearer', { tools: null });

    expect(res.status).toBe(200);
    expect(res.body.tools).toBeUndefined();
    expect(res.body.role).toBe('writer');
  });

  test('null on a required field is a 400 naming it', async () => {
    await agent('required-model');
    const res = await call('PATCH', '/v1/agents/required-model', { model: null });

    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('model');
  });

  test('a workflow PATCH of description keeps nodes, edges and inputs', async () => {
    await agent('wf-agent');
    await workflow('keep-edges', {
      inputs: [{ name: 'topic', required: true }],
      nodes: [
        { id: 'a', type: 'agent', agent: 'wf-agent', prompt: '{{input.topic}}' },
        { id: 'b', type: 'agent', agent: 'wf-agent' },
      ],
      edges: [{ from: 'a', to: 'b' }],
    });
    const res = await call('PATCH', '/v1/workflows/keep-edges', { description: 'now described' });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: 2,
      description: 'now described',
      inputs: [{ name: 'topic', required: true }],
      edges: [{ from: 'a', to: 'b' }],
    });
    expect(res.body.nodes).toHaveLength(2);
  });
});

describe('every body is strict', () => {
  test('an unknown top-level field is a 400 naming it', async () => {
    const res = await call('POST', '/v1/agents', {
      slug: 'strict-a',
      name: 'A',
      model: 'simulator:sim-1',
      colour: 'blue',
    });

    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'colour', message: 'unknown field' }]);
  });

  test('an unknown nested field is a 400 naming its path', async () => {
    await agent('strict-b');
    const res = await call('POST', '/v1/workflows', {
      slug: 'strict-wf',
      name: 'S',
      nodes: [{ id: 'a', type: 'agent', agent: 'strict-b', promt: 'typo' }],
    });

    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'nodes[0].promt', message: 'unknown field' }]);
  });
});

describe('runs', () => {
  test('a run may name an earlier version; a version that does not exist is a 400', async () => {
    await agent('versioned-agent');
    await workflow('two-versions', {
      nodes: [{ id: 'first', type: 'agent', agent: 'versioned-agent' }],
    });
    await call('PATCH', '/v1/workflows/two-versions', {
      nodes: [{ id: 'second', type: 'agent', agent: 'versioned-agent' }],
    });

    const started = await call('POST', '/v1/workflows/two-versions/runs', {
      input: {},
      version: 1,
    });
    const missing = await call('POST', '/v1/workflows/two-versions/runs', {
      input: {},
      version: 9,
    });
    const run = await stack.waitForRun(token, started.body.runId);

    expect(started.status).toBe(202);
    expect(run.workflowVersion).toBe(1);
    expect(run.steps.map((s: any) => s.nodeId)).toEqual(['first']);
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe('version');
  });

  test('a re-run with new input is a fork recorded on the new run', async () => {
    await agent('fork-agent');
    await workflow('forkable', {
      inputs: [{ name: 'topic' }],
      nodes: [{ id: 'a', type: 'agent', agent: 'fork-agent', prompt: 'about {{input.topic}}' }],
    });
    const first = await call('POST', '/v1/workflows/forkable/runs', { input: { topic: 'old' } });
    await stack.waitForRun(token, first.body.runId);

    const fork = await call('POST', `/v1/runs/${first.body.runId}/rerun`, {
      input: { topic: 'new' },
    });
    const run = await stack.waitForRun(token, fork.body.runId);
    const events = await call('GET', `/v1/runs/${fork.body.runId}/events`);

    expect(fork.status).toBe(202);
    expect(run.input).toEqual({ topic: 'new' });
    expect(run.steps[0].prompt).toContain('about new');
    expect(events.body.items[0]).toMatchObject({
      type: 'run.queued',
      data: { rerunOf: first.body.runId, fork: true },
    });
  });

  test('deleting an agent that a current workflow uses is a 409 naming the workflows', async () => {
    await agent('in-use');
    await workflow('user-one', { nodes: [{ id: 'a', type: 'agent', agent: 'in-use' }] });
    await workflow('user-two', { nodes: [{ id: 'a', type: 'agent', agent: 'in-use' }] });

    const res = await call('DELETE', '/v1/agents/in-use');
    const still = await call('GET', '/v1/agents/in-use');

    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('"user-one"');
    expect(res.body.error.message).toContain('"user-two"');
    expect(still.status).toBe(200);
  });

  test('an agent used only by an old version can go; running that version is refused before it exists', async () => {
    await agent('retired');
    await agent('successor');
    await workflow('moved-on', { nodes: [{ id: 'a', type: 'agent', agent: 'retired' }] });
    await call('PATCH', '/v1/workflows/moved-on', {
      nodes: [{ id: 'a', type: 'agent', agent: 'successor' }],
    });
    const deleted = await call('DELETE', '/v1/agents/retired');
    const before = await runCount();

    const res = await call('POST', '/v1/workflows/moved-on/runs', { input: {}, version: 1 });

    expect(deleted.status).toBe(204);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('retired');
    expect(await runCount()).toBe(before);
  });

  test('an Idempotency-Key reused with a different body is a 422; the same body replays', async () => {
    await agent('idem-agent');
    await workflow('idem', {
      inputs: [{ name: 'n' }],
      nodes: [{ id: 'a', type: 'agent', agent: 'idem-agent' }],
    });
    const headers = { 'idempotency-key': 'key-11-a' };
    const first = await call('POST', '/v1/workflows/idem/runs', { input: { n: 1 } }, headers);
    const again = await call('POST', '/v1/workflows/idem/runs', { input: { n: 1 } }, headers);
    const other = await call('POST', '/v1/workflows/idem/runs', { input: { n: 2 } }, headers);

    expect(first.status).toBe(202);
    expect(again.body.runId).toBe(first.body.runId);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IdempotencyKeyReused');
  });

  test('a run on an exhausted budget is refused before it is created, with the reason', async () => {
    const tenant = await stack.signup('Budget Co');
    const t = tenant.accessToken;
    await stack.call('POST', '/v1/agents', {
      token: t,
      body: { slug: 'spender', name: 'S', model: 'simulator:sim-1' },
    });
    await stack.call('POST', '/v1/workflows', {
      token: t,
      body: { slug: 'spend', name: 'S', nodes: [{ id: 'a', type: 'agent', agent: 'spender' }] },
    });
    await stack.call('PUT', '/v1/budgets', { token: t, body: { monthlyLimitUsd: 0 } });

    const res = await stack.call('POST', '/v1/workflows/spend/runs', { token: t, body: {} });
    const list = await stack.call('GET', '/v1/runs', { token: t });

    expect(res.status).toBe(402);
    expect(res.body.error.code).toBe('BudgetExceeded');
    expect(res.body.error.message).toContain('budget');
    expect(list.body.items).toEqual([]);
  });

  test('steps come back in workflow order, and ?workflowId= takes a slug', async () => {
    await agent('order-agent');
    await workflow('ordered', {
      nodes: [
        { id: 'zeta', type: 'agent', agent: 'order-agent' },
        { id: 'mid', type: 'agent', agent: 'order-agent' },
        { id: 'alpha', type: 'agent', agent: 'order-agent' },
      ],
      edges: [
        { from: 'zeta', to: 'mid' },
        { from: 'mid', to: 'alpha' },
      ],
    });
    const started = await call('POST', '/v1/workflows/ordered/runs', { input: {} });
    const run = await stack.waitForRun(token, started.body.runId);
    const bySlug = await call('GET', '/v1/runs?workflowId=ordered');

    expect(run.steps.map((s: any) => s.nodeId)).toEqual(['zeta', 'mid', 'alpha']);
    expect(bySlug.status).toBe(200);
    expect(bySlug.body.items.map((r: any) => r.id)).toEqual([started.body.runId]);
  });

  test('cancel settles an in-flight step as CANCELLED, and it stays so', async () => {
    await agent('slow-agent', { model: 'simulator:slow-1500' });
    await workflow('slow', { nodes: [{ id: 'only', type: 'agent', agent: 'slow-agent' }] });
    const started = await call('POST', '/v1/workflows/slow/runs', { input: {} });
    const runId = started.body.runId;
    for (;;) {
      const r = await call('GET', `/v1/runs/${runId}`);
      if (r.body.steps[0].status === 'RUNNING') break;
      await new Promise((res) => setTimeout(res, 25));
    }

    const cancelled = await call('POST', `/v1/runs/${runId}/cancel`);
    // The simulator answers after the cancel; wait for the step's late answer to be recorded.
    let events: any[] = [];
    for (;;) {
      events = (await call('GET', `/v1/runs/${runId}/events`)).body.items;
      if (events.some((e) => e.type === 'step.cancelled' || e.type === 'step.succeeded')) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const run = (await call('GET', `/v1/runs/${runId}`)).body;

    expect(cancelled.status).toBe(200);
    expect(run.status).toBe('CANCELLED');
    expect(run.steps[0].status).toBe('CANCELLED');
    expect(run.steps[0].attempts.length).toBeGreaterThan(0);
    expect(events.map((e) => e.type)).not.toContain('step.succeeded');
  });
});

describe('lists page', () => {
  test('version lists honour limit and cursor', async () => {
    await agent('many-versions', { systemPrompt: 'v1' });
    for (const v of ['v2', 'v3', 'v4'])
      await call('PATCH', '/v1/agents/many-versions', { systemPrompt: v });

    const first = await call('GET', '/v1/agents/many-versions/versions?limit=2');
    const second = await call(
      'GET',
      `/v1/agents/many-versions/versions?limit=2&cursor=${first.body.nextCursor}`,
    );
    const bad = await call('GET', '/v1/agents/many-versions/versions?cursor=abc');

    expect(first.body.items.map((v: any) => v.version)).toEqual([4, 3]);
    expect(second.body.items.map((v: any) => v.version)).toEqual([2, 1]);
    expect(second.body.nextCursor).toBeUndefined();
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('query.cursor');
  });
});

describe('provider keys: secret store and database change together or not at all', () => {
  test('a failing secret write leaves no row and no key', async () => {
    const tenant = await stack.signup('Secret Co');
    const secrets = stack.platform.secrets;
    const put = secrets.put.bind(secrets);
    secrets.put = async () => {
      throw new Error('secret store unavailable');
    };
    let res: Awaited<ReturnType<TestStack['call']>>;
    try {
      res = await stack.call('PUT', '/v1/providers/openai/key', {
        token: tenant.accessToken,
        body: { apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa1234' },
      });
    } finally {
      secrets.put = put;
    }
    const list = await stack.call('GET', '/v1/providers', { token: tenant.accessToken });

    expect(res.status).toBe(500);
    expect(list.body.items.find((i: any) => i.provider === 'openai').configured).not.toBe('tenant');
  });

  test('a failing database write restores the previous key', async () => {
    const tenant = await stack.signup('Restore Co');
    const t = tenant.accessToken;
    await stack.call('PUT', '/v1/providers/openai/key', {
      token: t,
      body: { apiKey: 'sk-old-key-aaaaaaaaaaaaaaaa1111' },
    });
    const db = stack.platform.db;
    const withTenant = db.withTenant.bind(db);
    // The transaction runs (secret written inside it), then the commit fails.
    db.withTenant = (async (...args: Parameters<typeof withTenant>) => {
      await withTenant(...args);
      throw new Error('commit failed');
    }) as typeof withTenant;
    let res: Awaited<ReturnType<TestStack['call']>>;
    try {
      res = await stack.call('PUT', '/v1/providers/openai/key', {
        token: t,
        body: { apiKey: 'sk-new-key-bbbbbbbbbbbbbbbb2222' },
      });
    } finally {
      db.withTenant = withTenant;
    }
    const me = await stack.call('GET', '/v1/me', { token: t });
    const { providerSecretId } = await import('../../../shared/llm/tenant-credentials');
    const secret = await stack.platform.secrets.get(
      providerSecretId(stack.platform, me.body.tenant.id, 'openai'),
    );

    expect(res.status).toBe(500);
    expect(secret).toContain('sk-old-key');
  });
});

describe('credentials are bound to the URL they were entered with', () => {
  test('changing a trigger apiBaseUrl without entering credentials again is a 400; with them it works', async () => {
    await agent('bound-agent');
    await workflow('bound-wf', { nodes: [{ id: 'a', type: 'agent', agent: 'bound-agent' }] });
    const created = await call('POST', '/v1/triggers', {
      name: 'bound',
      source: 'github',
      workflowId: 'bound-wf',
      rules: { events: ['pull_request.opened'] },
      credentials: { type: 'token', token: 'ghp_original_token_1234' },
      apiBaseUrl: 'https://ghe.example.com/api/v3',
    });
    expect(created.status).toBe(201);

    const moved = await call('PATCH', `/v1/triggers/${created.body.id}`, {
      apiBaseUrl: 'https://attacker.example.net/api/v3',
    });
    const unchanged = await call('GET', `/v1/triggers/${created.body.id}`);
    const reentered = await call('PATCH', `/v1/triggers/${created.body.id}`, {
      apiBaseUrl: 'https://ghe2.example.com/api/v3',
      credentials: { type: 'token', token: 'ghp_new_token_for_new_host' },
    });

    expect(moved.status).toBe(400);
    expect(moved.body.error.details[0].path).toBe('credentials');
    expect(unchanged.body.apiBaseUrl).toBe('https://ghe.example.com/api/v3');
    expect(reentered.status).toBe(200);
    expect(reentered.body.apiBaseUrl).toBe('https://ghe2.example.com/api/v3');
  });

  test('internal and metadata base URLs are refused when entered', async () => {
    for (const baseUrl of [
      'https://[::ffff:169.254.169.254]/v1',
      'https://[::ffff:a9fe:a9fe]/v1',
      'https://100.100.100.200/v1',
      'https://metadata.google.internal/v1',
    ]) {
      const res = await call('PUT', '/v1/providers/compatible/key', {
        apiKey: 'sk-local-aaaaaaaa',
        baseUrl,
      });
      expect([baseUrl, res.status]).toEqual([baseUrl, 400]);
    }
  });
});

/**
 * Agents that call tools (issue 13, ADR 130), end to end through the real ASL: the real SDKs talk
 * to the loopback provider fakes, whose validators hold each provider's native tool-call wire
 * format (OpenAI Chat tool_calls / role tool, Anthropic tool_use / tool_result, Gemini
 * functionCall / functionResponse). Every model turn is a metered attempt; every tool call is a
 * `step.tool_call` event of the step's trace.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createAnthropicFake,
  createGeminiFake,
  createOpenAIFake,
  type FakeProviderServer,
} from '../../fakes/providers';
import { startTestStack, type TestStack } from '../../support/stack';

const KEYS = {
  openai: 'tk-openai-Tools81LmX0pW4vB7nR2',
  anthropic: 'tk-anthropic-Tools5Dk2Lm9QxT3',
  gemini: 'tk-gemini-Tools4Wn7Pb2Xz6Mk9J',
} as const;
const MODELS = {
  openai: 'openai:gpt-4.1-mini',
  anthropic: 'anthropic:claude-sonnet-4',
  gemini: 'gemini:gemini-2.5-flash',
} as const;
type Provider = keyof typeof KEYS;

let stack: TestStack;
let token: string;
let kbId: string;
const fakes = {} as Record<Provider, FakeProviderServer>;

async function call(method: string, path: string, body?: unknown, as = token) {
  return stack.call(method, path, { token: as, body });
}
async function agent(slug: string, spec: Record<string, unknown>, as = token) {
  const res = await call('POST', '/v1/agents', { slug, name: slug, ...spec }, as);
  expect(res.status).toBe(201);
}
/** A one-node workflow around the agent, run to its end: the run, its step and the step's events. */
async function runAgent(agentSlug: string, prompt: string, as = token) {
  const slug = `flow-${agentSlug}`;
  const created = await call(
    'POST',
    '/v1/workflows',
    {
      slug,
      name: slug,
      nodes: [{ id: 'ask', type: 'agent', agent: agentSlug, prompt }],
      edges: [],
    },
    as,
  );
  expect(created.status).toBe(201);
  const started = await call('POST', `/v1/workflows/${slug}/runs`, { input: {} }, as);
  expect(started.status).toBe(202);
  await stack.waitForRun(as, started.body.runId, 30_000);
  const run = (await call('GET', `/v1/runs/${started.body.runId}`, undefined, as)).body;
  const events = (
    await call('GET', `/v1/runs/${started.body.runId}/events?limit=200`, undefined, as)
  ).body.items as Array<{ type: string; message: string; stepId?: string; data?: any }>;
  return {
    run,
    step: run.steps[0],
    events,
    toolCalls: events.filter((e) => e.type === 'step.tool_call'),
  };
}

beforeAll(async () => {
  const [o, a, g] = await Promise.all([
    createOpenAIFake({ apiKey: KEYS.openai }),
    createAnthropicFake({ apiKey: KEYS.anthropic }),
    createGeminiFake({ apiKey: KEYS.gemini }),
  ]);
  Object.assign(fakes, { openai: o, anthropic: a, gemini: g });
  stack = await startTestStack();
  token = await stack.adminToken();
  for (const provider of ['openai', 'anthropic', 'gemini'] as const) {
    const res = await call('PUT', `/v1/providers/${provider}/key`, {
      apiKey: KEYS[provider],
      baseUrl: fakes[provider].baseUrl,
    });
    expect(res.status).toBe(200);
  }
  kbId = (await call('POST', '/v1/knowledge-bases', { name: 'runbooks' })).body.id;
  await call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    title: 'Quokka runbook',
    text: '# Quokka\n\nThe quokka daemon listens on port 4242. Restart it with `systemctl restart quokka`.',
  });
  await call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    title: 'Lunch',
    text: 'Lunch is served at noon in the cafeteria.',
  });
  await stack.executions.idle();
});

beforeEach(() => {
  for (const f of Object.values(fakes)) f.reset();
});

afterAll(async () => {
  await stack?.close();
  await Promise.all(Object.values(fakes).map((f) => f.close()));
});

/** Where each provider's second request carries the tool result, in its own wire format. */
const toolResultOf: Record<Provider, (body: any) => { id?: string; text: string }> = {
  openai: (b) => {
    const m = b.messages.find((x: any) => x.role === 'tool');
    return { id: m.tool_call_id, text: m.content };
  },
  anthropic: (b) => {
    const blk = b.messages
      .flatMap((x: any) => (Array.isArray(x.content) ? x.content : []))
      .find((x: any) => x.type === 'tool_result');
    return { id: blk.tool_use_id, text: blk.content };
  },
  gemini: (b) => {
    const part = b.contents.flatMap((c: any) => c.parts).find((p: any) => p.functionResponse);
    return { id: part.functionResponse.id, text: part.functionResponse.response.output };
  },
};

test.each(['openai', 'anthropic', 'gemini'] as const)(
  '%s: the agent calls knowledge.search natively, then answers citing the passage',
  async (provider) => {
    // Prepare: the fake asks for the tool, then answers from what it read
    await agent(`kb-${provider}`, {
      model: MODELS[provider],
      systemPrompt: 'Answer from the knowledge base and cite sources as [n].',
      knowledgeBaseIds: [kbId],
      tools: ['knowledge.search'],
    });
    fakes[provider].enqueue(
      {
        kind: 'success',
        reply: {
          toolCalls: [
            { id: 'call_kb_1', name: 'knowledge_search', arguments: { query: 'quokka port' } },
          ],
        },
      },
      { kind: 'success', reply: { text: 'The quokka daemon listens on port 4242 [1].' } },
    );

    // Act
    const { run, step, toolCalls } = await runAgent(
      `kb-${provider}`,
      'Which port does quokka use?',
    );

    // Assess: the run, the metered turns, the trace and the native wire format
    expect(fakes[provider].violations).toEqual([]);
    expect(run.status).toBe('SUCCEEDED');
    expect(step.output).toBe('The quokka daemon listens on port 4242 [1].');
    expect(step.attempts.map((a: any) => [a.provider, a.outcome])).toEqual([
      [provider, 'success'],
      [provider, 'success'],
    ]);
    const first = fakes[provider].requests[0].body;
    const offered = JSON.stringify(provider === 'gemini' ? first.tools : first.tools);
    expect(offered).toContain('knowledge_search');
    const result = toolResultOf[provider](fakes[provider].requests[1].body);
    expect(result.id).toBe('call_kb_1');
    expect(result.text).toContain('[1] Quokka runbook');
    expect(result.text).toContain('4242');
    expect(toolCalls).toHaveLength(1);
    expect(toolCalls[0].data).toMatchObject({
      turn: 1,
      tool: 'knowledge.search',
      arguments: { query: 'quokka port' },
      truncated: false,
    });
    expect(toolCalls[0].data.result).toContain('4242');
    expect(toolCalls[0].data.durationMs).toEqual(expect.any(Number));
    expect(toolCalls[0].data.error).toBeUndefined();
  },
);

test('a retried turn resumes from the saved turns: the earlier turn is not asked again, its tool not re-run', async () => {
  // Prepare: turn 1 asks for the tool; turn 2 meets a 500 (the ASL retries the task), then answers
  await agent('resumer', {
    model: MODELS.openai,
    knowledgeBaseIds: [kbId],
    tools: ['knowledge.search'],
  });
  fakes.openai.enqueue(
    {
      kind: 'success',
      reply: {
        toolCalls: [{ id: 'call_r1', name: 'knowledge_search', arguments: { query: 'quokka' } }],
      },
    },
    { kind: 'serverError', status: 500 },
    { kind: 'success', reply: { text: 'Port 4242 [1].' } },
  );

  // Act
  const { run, step, toolCalls, events } = await runAgent('resumer', 'Which port?');

  // Assess: three model requests in all (one per metered attempt), one tool call
  expect(fakes.openai.violations).toEqual([]);
  expect(run.status).toBe('SUCCEEDED');
  expect(step.output).toBe('Port 4242 [1].');
  expect(fakes.openai.requests).toHaveLength(3);
  expect(step.attempts.map((a: any) => [a.outcome, a.errorName ?? null])).toEqual([
    ['success', null],
    ['error', 'ProviderUnavailable'],
    ['success', null],
  ]);
  expect(toolCalls).toHaveLength(1);
  expect(events.filter((e) => e.type === 'step.retrying')).toHaveLength(1);
  for (const r of fakes.openai.requests.slice(1))
    expect(r.body.messages.find((m: any) => m.role === 'tool').tool_call_id).toBe('call_r1');
});

test('a run cancelled while a tool runs asks the model nothing more', async () => {
  // Prepare: http.get reaches a loopback page that answers only when the test lets it
  let arrived!: () => void;
  const requested = new Promise<void>((r) => {
    arrived = r;
  });
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  const page = createServer((_req, res) => {
    arrived();
    void released.then(() => res.end('late page'));
  });
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}/slow`;
  await agent('canceller', { model: MODELS.openai, tools: ['http.get'] });
  fakes.openai.enqueue({
    kind: 'success',
    reply: { toolCalls: [{ id: 'call_c1', name: 'http_get', arguments: { url } }] },
  });
  const flow = await call('POST', '/v1/workflows', {
    slug: 'flow-canceller',
    name: 'canceller',
    nodes: [{ id: 'ask', type: 'agent', agent: 'canceller', prompt: 'Read the page' }],
    edges: [],
  });
  expect(flow.status).toBe(201);

  // Act: cancel while the tool waits, then let the page answer
  const started = await call('POST', '/v1/workflows/flow-canceller/runs', { input: {} });
  await requested;
  const cancelled = await call('POST', `/v1/runs/${started.body.runId}/cancel`);
  release();
  // The execution may be stopped while its task still runs: wait for the task's own last word.
  let events: Array<{ type: string }> = [];
  for (let i = 0; i < 200 && !events.some((e) => e.type === 'step.tool_loop_stopped'); i++) {
    await new Promise((r) => setTimeout(r, 50));
    events = (await call('GET', `/v1/runs/${started.body.runId}/events?limit=200`)).body.items;
  }
  await stack.executions.idle();
  page.close();

  // Assess: one model call only; the stop is on the timeline
  expect(cancelled.status).toBeLessThan(300);
  expect(fakes.openai.requests).toHaveLength(1);
  expect(events.map((e) => e.type)).toContain('step.tool_loop_stopped');
  expect((await call('GET', `/v1/runs/${started.body.runId}`)).body.status).toBe('CANCELLED');
});

test('the simulator scripts the tool call offline and answers citing the result', async () => {
  // Prepare
  await agent('kb-sim', {
    model: 'simulator:echo',
    knowledgeBaseIds: [kbId],
    tools: ['knowledge.search'],
  });

  // Act
  const { run, step, toolCalls } = await runAgent(
    'kb-sim',
    'Which port does the quokka daemon listen on?',
  );

  // Assess
  expect(run.status).toBe('SUCCEEDED');
  expect(toolCalls).toHaveLength(1);
  expect(toolCalls[0].data.arguments).toEqual({
    query: 'Which port does the quokka daemon listen on?',
  });
  expect(step.output).toContain('From knowledge_search: [1] Quokka runbook');
  expect(step.output).toContain('4242');
  expect(step.attempts).toHaveLength(2);
});

test('maxTurns: a model that never stops calling tools fails the step with MaxTurnsExceeded', async () => {
  // Prepare: `loop` models of the simulator call a tool on every turn
  await agent('looper', {
    model: 'simulator:loop',
    knowledgeBaseIds: [kbId],
    tools: ['knowledge.search'],
    maxTurns: 2,
  });

  // Act
  const { run, step, toolCalls } = await runAgent('looper', 'quokka');

  // Assess: two metered model turns; the second turn's calls are not run
  expect(run.status).toBe('FAILED');
  expect(step.status).toBe('FAILED');
  expect(step.error.name).toBe('MaxTurnsExceeded');
  expect(step.error.message).toContain('all 2 model turns');
  expect(step.attempts.map((a: any) => a.outcome)).toEqual(['success', 'success']);
  expect(toolCalls).toHaveLength(1);
});

test('the budget stops the loop: a turn that would exceed it is blocked before reaching the provider', async () => {
  // Prepare: turn 1 costs 200,000 input tokens of gpt-4.1-mini ($0.08) against a $0.05 budget
  await agent('spender', {
    model: MODELS.openai,
    knowledgeBaseIds: [kbId],
    tools: ['knowledge.search'],
    parameters: { maxTokens: 100 },
  });
  const flow = await call('POST', '/v1/workflows', {
    slug: 'flow-spender',
    name: 'spender',
    nodes: [{ id: 'ask', type: 'agent', agent: 'spender', prompt: 'Which port?' }],
    edges: [],
  });
  expect(flow.status).toBe(201);
  const budget = await call('PUT', '/v1/budgets', {
    workflows: [{ workflow: 'flow-spender', monthlyLimitUsd: 0.05 }],
  });
  expect(budget.status).toBe(200);
  fakes.openai.enqueue({
    kind: 'success',
    reply: {
      toolCalls: [{ id: 'call_b1', name: 'knowledge_search', arguments: { query: 'port' } }],
      usage: { input: 200_000, output: 10 },
    },
  });

  // Act
  const started = await call('POST', '/v1/workflows/flow-spender/runs', { input: {} });
  await stack.waitForRun(token, started.body.runId, 30_000);
  const run = (await call('GET', `/v1/runs/${started.body.runId}`)).body;

  // Assess: one real call, then the second turn blocked without any HTTP call
  expect(fakes.openai.requests).toHaveLength(1);
  expect(run.status).toBe('FAILED');
  expect(run.steps[0].error.name).toBe('BudgetExceeded');
  expect(run.steps[0].attempts.map((a: any) => [a.outcome, a.errorName ?? null])).toEqual([
    ['success', null],
    ['blocked', 'BudgetExceeded'],
  ]);
  expect(run.costUsd).toBeCloseTo(0.08, 4);
});

test('a failing tool call is fed back to the model as an error result, and the step goes on', async () => {
  // Prepare: the model asks http.get for the cloud metadata address, which the guard refuses
  await agent('fetcher', { model: MODELS.anthropic, tools: ['http.get'] });
  fakes.anthropic.enqueue(
    {
      kind: 'success',
      reply: {
        toolCalls: [
          {
            id: 'toolu_meta',
            name: 'http_get',
            arguments: { url: 'http://169.254.169.254/latest/meta-data' },
          },
        ],
      },
    },
    { kind: 'success', reply: { text: 'I could not fetch that address.' } },
  );

  // Act
  const { run, step, toolCalls } = await runAgent('fetcher', 'Read the instance metadata');

  // Assess
  expect(fakes.anthropic.violations).toEqual([]);
  expect(run.status).toBe('SUCCEEDED');
  expect(step.output).toBe('I could not fetch that address.');
  const blocks = fakes.anthropic.requests[1].body.messages.at(-1).content;
  expect(blocks[0]).toMatchObject({
    type: 'tool_result',
    tool_use_id: 'toolu_meta',
    is_error: true,
  });
  expect(blocks[0].content).toContain('ForbiddenDestination');
  expect(toolCalls[0].data.error).toContain('link-local');
});

test('knowledge.search cannot read another tenant’s base, even when the agent names it', async () => {
  // Prepare: a second tenant's agent lists the first tenant's knowledge base
  const rival = (await stack.signup('Rival')).accessToken as string;
  await agent(
    'thief',
    { model: 'simulator:echo', knowledgeBaseIds: [kbId], tools: ['knowledge.search'] },
    rival,
  );

  // Act
  const { run, step, toolCalls } = await runAgent('thief', 'quokka daemon port', rival);

  // Assess: the search ran under the rival's tenant (RLS) and found no such base
  expect(run.status).toBe('SUCCEEDED');
  expect(toolCalls).toHaveLength(1);
  expect(toolCalls[0].data.error).toContain('NotFound');
  expect(toolCalls[0].data.result).not.toContain('4242');
  expect(step.output).not.toContain('4242');
});

test('an agent’s tools are an allow-list: unknown names, unknown workflows and maxTurns are checked', async () => {
  // Act
  const unknown = await call('POST', '/v1/agents', {
    slug: 'bad-tools',
    name: 'bad',
    model: 'simulator:echo',
    tools: ['knowledge.search', 'shell.exec'],
  });
  const workflowTool = await call('POST', '/v1/agents', {
    slug: 'wf-tools',
    name: 'wf',
    model: 'simulator:echo',
    tools: ['workflow:triage'],
  });
  const turns = await call('POST', '/v1/agents', {
    slug: 'many-turns',
    name: 'turns',
    model: 'simulator:echo',
    tools: ['http.get'],
    maxTurns: 21,
  });

  // Assess
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.details[0].path).toBe('tools[1]');
  expect(unknown.body.error.details[0].message).toContain('unknown tool "shell.exec"');
  expect(workflowTool.status).toBe(400);
  expect(workflowTool.body.error.details[0].path).toBe('tools[0]');
  expect(workflowTool.body.error.details[0].message).toContain('no workflow "triage"');
  expect(turns.status).toBe(400);
  expect(turns.body.error.details[0].path).toBe('maxTurns');
});

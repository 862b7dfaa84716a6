/**
 * `workflow:<slug>` agent tools and PII masking of tool results (issue 13, ADR 162), end to end
 * through the real ASL: a call starts a child run (linked both ways, its cost rolled up), the
 * agent step waits in the state machine and resumes its tool loop with the child's output; a
 * failed child is an error result; self-recursion stops at the depth limit; tool results reach
 * the provider with the tenant's PII placeholders and the trace masked.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createAnthropicFake,
  createOpenAIFake,
  type FakeProviderServer,
} from '../../fakes/providers';
import { startTestStack, type TestStack } from '../../support/stack';

const KEYS = {
  openai: 'tk-openai-WfTools81LmX0pW4vB7nR2',
  anthropic: 'tk-anthropic-WfTools5Dk2Lm9QxT3',
} as const;

let stack: TestStack;
let token: string;
let openai: FakeProviderServer;
let anthropic: FakeProviderServer;

type Event = { type: string; message: string; stepId?: string; data?: any };

async function call(method: string, path: string, body?: unknown, as = token) {
  return stack.call(method, path, { token: as, body });
}
async function created(path: string, body: Record<string, unknown>, as = token) {
  const res = await call('POST', path, body, as);
  expect(res.status).toBe(201);
  return res.body;
}
/** A one-node workflow around the agent. */
async function flow(slug: string, agent: string, prompt: string, extra: object = {}) {
  return created('/v1/workflows', {
    slug,
    name: slug,
    nodes: [{ id: 'ask', type: 'agent', agent, prompt }],
    edges: [],
    ...extra,
  });
}
async function runOf(runId: string) {
  const run = (await call('GET', `/v1/runs/${runId}`)).body;
  const events = (await call('GET', `/v1/runs/${runId}/events?limit=200`)).body.items as Event[];
  return {
    run,
    step: run.steps[0],
    events,
    toolCalls: events.filter((e) => e.type === 'step.tool_call'),
  };
}
async function start(slug: string, input: Record<string, unknown>) {
  const started = await call('POST', `/v1/workflows/${slug}/runs`, { input });
  expect(started.status).toBe(202);
  await stack.waitForRun(token, started.body.runId, 60_000);
  return runOf(started.body.runId);
}

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([
    createOpenAIFake({ apiKey: KEYS.openai }),
    createAnthropicFake({ apiKey: KEYS.anthropic }),
  ]);
  stack = await startTestStack();
  token = await stack.adminToken();
  for (const [provider, fake] of [
    ['openai', openai],
    ['anthropic', anthropic],
  ] as const) {
    const res = await call('PUT', `/v1/providers/${provider}/key`, {
      apiKey: KEYS[provider],
      baseUrl: fake.baseUrl,
    });
    expect(res.status).toBe(200);
  }
  // The workflow offered as a tool: one declared input, a description the model is told.
  await created('/v1/agents', {
    slug: 'summarizer',
    name: 'summarizer',
    model: 'anthropic:claude-sonnet-4',
  });
  await flow('summarize', 'summarizer', 'Summarise in one line: {{input.text}}', {
    description: 'Summarises a text in one line.',
    inputs: [{ name: 'text', description: 'The text to summarise', required: true }],
  });
});

beforeEach(() => {
  openai.reset();
  anthropic.reset();
});

afterAll(async () => {
  await stack?.close();
  await Promise.all([openai.close(), anthropic.close()]);
});

test('openai: the agent calls workflow:summarize natively, answers with the child output; the child is linked and its cost rolls up', async () => {
  // Prepare: the parent model asks for the workflow, then answers from its output
  await created('/v1/agents', {
    slug: 'delegator',
    name: 'delegator',
    model: 'openai:gpt-4.1-mini',
    tools: ['workflow:summarize'],
  });
  await flow('delegate', 'delegator', 'Summarise the incident notes.');
  openai.enqueue(
    {
      kind: 'success',
      reply: {
        toolCalls: [
          {
            id: 'call_wf_1',
            name: 'workflow_summarize',
            arguments: { text: 'The quokka daemon crashed at 03:00 and restarted at 03:05.' },
          },
        ],
        usage: { input: 1000, output: 20 },
      },
    },
    {
      kind: 'success',
      reply: { text: 'Summary: quokka was down five minutes.', usage: { input: 1200, output: 10 } },
    },
  );
  anthropic.enqueue({
    kind: 'success',
    reply: { text: 'Quokka down 03:00-03:05.', usage: { input: 50_000, output: 100 } },
  });

  // Act
  const { run, step, toolCalls, events } = await start('delegate', {});

  // Assess: the answer, the wire format, the tool's schema from the workflow's inputs
  expect(openai.violations).toEqual([]);
  expect(anthropic.violations).toEqual([]);
  expect(run.status).toBe('SUCCEEDED');
  expect(step.output).toBe('Summary: quokka was down five minutes.');
  const offered = openai.requests[0].body.tools.find(
    (t: any) => t.function.name === 'workflow_summarize',
  );
  expect(offered.function.description).toContain('Summarises a text in one line.');
  expect(offered.function.parameters).toMatchObject({
    type: 'object',
    properties: { text: { type: 'string', description: 'The text to summarise' } },
    required: ['text'],
  });
  const toolMessage = openai.requests[1].body.messages.find((m: any) => m.role === 'tool');
  expect(toolMessage).toMatchObject({
    tool_call_id: 'call_wf_1',
    content: 'Quokka down 03:00-03:05.',
  });
  expect(anthropic.requests[0].body.messages[0].content).toContain('The quokka daemon crashed');
  // The child: linked both ways, listed on the step, its cost rolled into the step and the run
  expect(toolCalls).toHaveLength(1);
  const childId = toolCalls[0].data.childRunId;
  expect(toolCalls[0].data).toMatchObject({ tool: 'workflow:summarize', callId: 'call_wf_1' });
  const child = (await call('GET', `/v1/runs/${childId}`)).body;
  expect(child).toMatchObject({
    status: 'SUCCEEDED',
    workflowSlug: 'summarize',
    parentRunId: run.id,
    parentStepId: step.id,
    input: { text: 'The quokka daemon crashed at 03:00 and restarted at 03:05.' },
  });
  expect(step.children.map((c: any) => c.runId)).toEqual([childId]);
  expect(child.costUsd).toBeGreaterThan(0);
  const ownCost = step.attempts.reduce((sum: number, a: any) => sum + a.costUsd, 0);
  expect(step.attempts).toHaveLength(2);
  expect(step.costUsd).toBeCloseTo(ownCost + child.costUsd, 6);
  expect(run.costUsd).toBeCloseTo(ownCost + child.costUsd, 6);
  expect(events.map((e) => e.type)).toContain('step.tool_run_started');
});

test('the simulator scripts the workflow call offline: a failed child is an error result, the step goes on', async () => {
  // Prepare: the tool's workflow fails for good (a permanent provider error)
  await created('/v1/agents', { slug: 'breaker', name: 'breaker', model: 'simulator:fail' });
  await flow('broken', 'breaker', 'Check: {{input.text}}', {
    inputs: [{ name: 'text', required: true }],
  });
  await created('/v1/agents', {
    slug: 'sim-caller',
    name: 'sim-caller',
    model: 'simulator:echo',
    tools: ['workflow:broken'],
  });
  await flow('call-broken', 'sim-caller', '{{input.question}}', {
    inputs: [{ name: 'question', required: true }],
  });

  // Act
  const { run, step, toolCalls } = await start('call-broken', { question: 'Is the port open?' });

  // Assess: the child failed, the model read why, the step answered
  expect(run.status).toBe('SUCCEEDED');
  expect(step.status).toBe('SUCCEEDED');
  expect(toolCalls).toHaveLength(1);
  expect(toolCalls[0].data.arguments).toEqual({ text: 'Is the port open?' });
  expect(toolCalls[0].data.error).toContain('ChildRunFailed');
  const child = (await call('GET', `/v1/runs/${toolCalls[0].data.childRunId}`)).body;
  expect(child.status).toBe('FAILED');
  expect(child.parentRunId).toBe(run.id);
  expect(step.output).toContain('From workflow_broken (failed): ChildRunFailed');
});

test('an agent step running beside another (in the Map) waits for its tool run there too', async () => {
  // Prepare: two ready steps at once; one of them calls a workflow
  await created('/v1/agents', { slug: 'echoer', name: 'echoer', model: 'simulator:echo' });
  await flow('echo-flow', 'echoer', 'Echo: {{input.text}}', {
    inputs: [{ name: 'text', required: true }],
  });
  await created('/v1/agents', {
    slug: 'sim-delegate',
    name: 'sim-delegate',
    model: 'simulator:echo',
    tools: ['workflow:echo-flow'],
  });
  await created('/v1/workflows', {
    slug: 'fan',
    name: 'fan',
    nodes: [
      { id: 'a', type: 'agent', agent: 'sim-delegate', prompt: 'port of quokka' },
      { id: 'b', type: 'agent', agent: 'echoer', prompt: 'plain' },
    ],
    edges: [],
  });

  // Act
  const { run, events } = await start('fan', {});

  // Assess: both steps done; step a answered from its child's output
  expect(run.status).toBe('SUCCEEDED');
  const a = run.steps.find((s: any) => s.nodeId === 'a');
  expect(run.steps.map((s: any) => s.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  const toolCall = events.find((e) => e.type === 'step.tool_call' && e.stepId === a.id);
  const child = (await call('GET', `/v1/runs/${toolCall?.data.childRunId}`)).body;
  expect(child).toMatchObject({ status: 'SUCCEEDED', parentRunId: run.id, parentStepId: a.id });
  expect(a.output).toContain('From workflow_echo-flow: ');
  expect(a.children).toHaveLength(1);
});

test('a workflow that calls itself through its agent stops at the depth limit', async () => {
  // Prepare: the agent is created first, then its workflow, then the agent lists the workflow
  await created('/v1/agents', { slug: 'recurser', name: 'recurser', model: 'simulator:echo' });
  await flow('recurse', 'recurser', '{{input.question}}', {
    inputs: [{ name: 'question', required: true }],
  });
  const patched = await call('PATCH', '/v1/agents/recurser', { tools: ['workflow:recurse'] });
  expect(patched.status).toBe(200);

  // Act
  const { run } = await start('recurse', { question: 'again' });

  // Assess: the root and five nested children; the sixth level's call was refused, as a result
  expect(run.status).toBe('SUCCEEDED');
  const chain = [run.id];
  let deepest!: Awaited<ReturnType<typeof runOf>>;
  for (;;) {
    deepest = await runOf(chain[chain.length - 1]);
    expect(deepest.run.status).toBe('SUCCEEDED');
    const next = deepest.toolCalls[0]?.data.childRunId;
    if (!next) break;
    chain.push(next);
  }
  expect(chain).toHaveLength(6);
  expect(deepest.toolCalls[0].data.error).toContain('5 levels deep');
  expect(deepest.step.output).toContain('From workflow_recurse (failed)');
});

test('saving an agent checks its workflow tools: unknown, malformed and another tenant’s slugs are 400s naming tools[i]', async () => {
  // Act
  const unknown = await call('POST', '/v1/agents', {
    slug: 'lost',
    name: 'lost',
    model: 'simulator:echo',
    tools: ['http.get', 'workflow:no-such-flow'],
  });
  const malformed = await call('POST', '/v1/agents', {
    slug: 'malformed',
    name: 'malformed',
    model: 'simulator:echo',
    tools: ['workflow:Not_A_Slug'],
  });
  const rival = (await stack.signup('Rival')).accessToken as string;
  const foreign = await call(
    'POST',
    '/v1/agents',
    { slug: 'thief', name: 'thief', model: 'simulator:echo', tools: ['workflow:summarize'] },
    rival,
  );
  const patch = await call('PATCH', '/v1/agents/summarizer', { tools: ['workflow:nowhere'] });

  // Assess
  for (const res of [unknown, malformed, foreign, patch]) expect(res.status).toBe(400);
  expect(unknown.body.error.details[0]).toMatchObject({ path: 'tools[1]' });
  expect(unknown.body.error.details[0].message).toContain('no workflow "no-such-flow"');
  expect(malformed.body.error.details[0].path).toBe('tools[0]');
  expect(foreign.body.error.details[0]).toMatchObject({ path: 'tools[0]' });
  expect(foreign.body.error.details[0].message).toContain('no workflow "summarize"');
  expect(patch.body.error.details[0].path).toBe('tools[0]');
});

test('PII: an http.get result reaches the model with the tenant’s placeholders, the answer restored, the trace masked', async () => {
  // Prepare: a page with an email, a phone number and a card number; the tenant masks all three
  const EMAIL = 'jane.doe@example.com';
  const PHONE = '+44 20 7946 0958';
  const CARD = '4111 1111 1111 1111';
  const page: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`Contact ${EMAIL} or ${PHONE}. Card on file: ${CARD}.`);
  });
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}/contact`;
  const policy = await call('PUT', '/v1/settings/pii', {
    classes: { email: 'mask_provider', phone: 'mask_provider', card: 'mask_provider' },
    patterns: [],
  });
  expect(policy.status).toBe(200);
  await created('/v1/agents', {
    slug: 'reader',
    name: 'reader',
    model: 'openai:gpt-4.1-mini',
    tools: ['http.get'],
  });
  await flow('read-contact', 'reader', 'Who do I contact?');
  openai.enqueue(
    {
      kind: 'success',
      reply: { toolCalls: [{ id: 'call_pii', name: 'http_get', arguments: { url } }] },
    },
    { kind: 'success', reply: { text: 'Write to [EMAIL_1].' } },
  );

  // Act
  const { run, step, toolCalls } = await start('read-contact', {});
  page.close();

  // Assess: the provider never saw the values; the answer has them back; the trace shows none
  expect(openai.violations).toEqual([]);
  expect(run.status).toBe('SUCCEEDED');
  const toolMessage = openai.requests[1].body.messages.find((m: any) => m.role === 'tool');
  expect(toolMessage.content).toContain('Contact [EMAIL_1] or [PHONE_1]. Card on file: [CARD_1].');
  const sent = JSON.stringify(openai.requests.map((r) => r.body));
  for (const value of [EMAIL, PHONE, CARD]) expect(sent).not.toContain(value);
  expect(step.output).toBe(`Write to ${EMAIL}.`);
  expect(toolCalls[0].data.result).toContain('Contact [EMAIL] or [PHONE]. Card on file: [CARD].');
  expect(toolCalls[0].data.pii).toEqual({ email: 1, phone: 1, card: 1 });
  const trace = JSON.stringify(toolCalls);
  for (const value of [EMAIL, PHONE, CARD]) expect(trace).not.toContain(value);
});

test('a workflow an agent uses as a tool cannot be deleted until the agent stops using it', async () => {
  // Prepare
  await created('/v1/agents', { slug: 'plain', name: 'plain', model: 'simulator:echo' });
  await flow('lookup', 'plain', 'Look up {{input.q}}');
  await created('/v1/agents', {
    slug: 'looker',
    name: 'looker',
    model: 'simulator:echo',
    tools: ['workflow:lookup'],
  });

  // Act
  const refused = await call('DELETE', '/v1/workflows/lookup');
  const stillThere = await call('GET', '/v1/workflows/lookup');
  await call('PATCH', '/v1/agents/looker', { tools: [] });
  // The published version still names the tool until the new one is published.
  await call('POST', '/v1/agents/looker/publish', { version: 2 });
  const deleted = await call('DELETE', '/v1/workflows/lookup');

  // Assess
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toContain('agent "looker"');
  expect(stillThere.status).toBe(200);
  expect(deleted.status).toBe(204);
});

/**
 * The approval inbox (`GET /v1/approvals`), trying an agent alone (`POST /v1/agents/{id}/try`,
 * ADR 164) and the seeded demo agent that uses tools, through the real ASL on the simulator.
 * Another tenant sees none of the inbox and can neither decide nor try what is not its own.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { APPROVAL_PREVIEW_CHARS } from '../../../shared/runs/approvals';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let other: string;

async function call(method: string, path: string, body?: unknown, as = token) {
  return stack.call(method, path, { token: as, body });
}
async function eventsOf(runId: string, as = token) {
  return (await call('GET', `/v1/runs/${runId}/events?limit=500`, undefined, as)).body
    .items as Array<{ type: string; stepId?: string; data?: any }>;
}
/** The seeded handbook is ingested in the background after the first start. */
async function handbookReady() {
  const kbs = (await call('GET', '/v1/knowledge-bases')).body.items as Array<any>;
  const kb = kbs.find((k) => k.name === 'Team handbook');
  expect(kb).toBeDefined();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const docs = (await call('GET', `/v1/knowledge-bases/${kb.id}/documents`)).body.items;
    if (docs[0]?.status === 'ready') return kb;
    if (Date.now() > deadline || docs[0]?.status === 'failed')
      throw new Error(`handbook not ready: ${JSON.stringify(docs)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
  other = (await stack.signup('Other')).accessToken;
});
afterAll(async () => {
  await stack?.close();
});

test('the inbox lists waiting approvals with their message and gated output, pages, and is per tenant', async () => {
  const created = await call('POST', '/v1/workflows', {
    slug: 'inbox-flow',
    name: 'Inbox flow',
    inputs: [{ name: 'topic', required: true }],
    nodes: [
      { id: 'draft', type: 'agent', agent: 'pm', prompt: 'Draft a note about {{input.topic}}' },
      {
        id: 'signoff',
        type: 'approval',
        prompt: 'Publish the note about {{input.topic}}?',
      },
      { id: 'ship', type: 'agent', agent: 'pm', prompt: 'Ship {{steps.draft.output}}' },
    ],
    edges: [
      { from: 'draft', to: 'signoff' },
      { from: 'signoff', to: 'ship' },
    ],
  });
  expect(created.status).toBe(201);
  const runIds: string[] = [];
  for (const topic of ['dark mode', 'billing']) {
    const started = await call('POST', '/v1/workflows/inbox-flow/runs', { input: { topic } });
    expect(started.status).toBe(202);
    expect((await stack.waitForRun(token, started.body.runId)).status).toBe('WAITING');
    runIds.push(started.body.runId);
  }

  const inbox = await call('GET', '/v1/approvals?status=waiting');
  expect(inbox.status).toBe(200);
  const mine = inbox.body.items.filter((i: any) => runIds.includes(i.runId));
  expect(mine.map((i: any) => i.runId)).toEqual(runIds); // oldest first
  const [first] = mine;
  expect(first).toMatchObject({
    nodeId: 'signoff',
    iteration: 1,
    workflowSlug: 'inbox-flow',
    message: 'Publish the note about dark mode?',
  });
  const draft = (await call('GET', `/v1/runs/${runIds[0]}/steps/draft`)).body.output as string;
  expect(first.gates).toEqual([
    {
      nodeId: 'draft',
      output: draft.slice(0, APPROVAL_PREVIEW_CHARS),
      chars: draft.length,
      truncated: draft.length > APPROVAL_PREVIEW_CHARS,
    },
  ]);

  // Paging: one at a time reaches both, without repeats.
  const page1 = await call('GET', '/v1/approvals?limit=1');
  expect(page1.body.items).toHaveLength(1);
  expect(page1.body.nextCursor).toBeDefined();
  const page2 = await call(
    'GET',
    `/v1/approvals?limit=1&cursor=${encodeURIComponent(page1.body.nextCursor)}`,
  );
  expect(page2.body.items[0].stepId).not.toBe(page1.body.items[0].stepId);

  // Bad input is a 400 naming the field.
  const bad = await call('GET', '/v1/approvals?status=done');
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('status');

  // Another tenant: an empty inbox, a foreign cursor refused, and no deciding of this run.
  const foreign = await call('GET', '/v1/approvals', undefined, other);
  expect(foreign.status).toBe(200);
  expect(foreign.body.items).toEqual([]);
  const foreignCursor = await call(
    'GET',
    `/v1/approvals?cursor=${encodeURIComponent(page1.body.nextCursor)}`,
    undefined,
    other,
  );
  expect(foreignCursor.body.items ?? []).toEqual([]);
  const cross = await call(
    'POST',
    `/v1/runs/${runIds[0]}/steps/signoff/approve`,
    { comment: 'not mine' },
    other,
  );
  expect(cross.status).toBe(404);

  // Deciding through the existing routes empties the inbox.
  const approved = await call('POST', `/v1/runs/${runIds[0]}/steps/signoff/approve`, {
    comment: 'ship it',
  });
  expect(approved.status).toBe(202);
  const rejected = await call('POST', `/v1/runs/${runIds[1]}/steps/signoff/reject`, {
    comment: 'not this quarter',
  });
  expect(rejected.status).toBe(202);
  const after = (await call('GET', '/v1/approvals')).body.items;
  expect(after.filter((i: any) => runIds.includes(i.runId))).toEqual([]);
  expect((await stack.waitForRun(token, runIds[0])).status).toBe('SUCCEEDED');
  expect((await stack.waitForRun(token, runIds[1])).status).toBe('FAILED');
});

test('the seed creates the researcher with tools, and its workflow succeeds with a tool call', async () => {
  const kb = await handbookReady();
  const agent = (await call('GET', '/v1/agents/researcher')).body;
  expect(agent.tools).toEqual(['knowledge.search', 'http.get']);
  expect(agent.knowledgeBaseIds).toEqual([kb.id]);

  const started = await call('POST', '/v1/workflows/handbook-answer/runs', {
    input: { question: 'How often does on-call rotate?' },
  });
  expect(started.status).toBe(202);
  const run = await stack.waitForRun(token, started.body.runId, 30_000);
  expect(run.status).toBe('SUCCEEDED');
  const research = run.steps.find((s: any) => s.nodeId === 'research');
  const calls = (await eventsOf(run.id)).filter(
    (e) => e.type === 'step.tool_call' && e.stepId === research.id,
  );
  expect(calls.map((c) => c.data.tool)).toEqual(['knowledge.search']);
  expect(calls[0].data.arguments).toEqual({ query: 'How often does on-call rotate?' });
  expect(calls[0].data.result).toContain('On-call rotates weekly');
  // Two metered model turns: the tool call, then the answer quoting the handbook.
  expect(research.attempts.filter((a: any) => a.outcome === 'success')).toHaveLength(2);
  expect(research.output).toContain('On-call rotates weekly');
});

test('an agent is tried alone as a one-step run: answer, tool calls, attempts, usage', async () => {
  await handbookReady();
  const tried = await call('POST', '/v1/agents/researcher/try', {
    prompt: 'Who reviews security-sensitive changes?',
  });
  expect(tried.status).toBe(202);
  const run = await stack.waitForRun(token, tried.body.runId, 30_000);
  expect(run.status).toBe('SUCCEEDED');
  expect(run.steps).toHaveLength(1);
  const [step] = run.steps;
  expect(step).toMatchObject({ nodeId: 'agent', type: 'agent', status: 'SUCCEEDED' });
  expect(step.prompt).toBe('Who reviews security-sensitive changes?');
  expect(step.output).toContain('second reviewer from the platform team');
  expect(step.attempts.length).toBeGreaterThanOrEqual(2);
  expect(step.inputTokens).toBeGreaterThan(0);
  const calls = (await eventsOf(run.id)).filter((e) => e.type === 'step.tool_call');
  expect(calls.map((c) => c.data.tool)).toEqual(['knowledge.search']);

  // Recorded like any run: usage shows it; its hidden workflow is in no list.
  const usage = await call('GET', '/v1/usage?groupBy=run');
  const row = usage.body.items.find((i: any) => i.runId === run.id);
  expect(row).toMatchObject({ inputTokens: step.inputTokens, outputTokens: step.outputTokens });
  const flows = (await call('GET', '/v1/workflows?limit=200')).body.items;
  expect(flows.map((w: any) => w.slug)).not.toContain('try-researcher');
  expect(flows.map((w: any) => w.id)).not.toContain(run.workflowId);

  // A pinned version runs that version's prompt.
  const patched = await call('PATCH', '/v1/agents/pm', { systemPrompt: 'You are terse.' });
  expect(patched.status).toBe(200);
  const v1 = await call('POST', '/v1/agents/pm/try', { prompt: 'Say hi', version: 1 });
  expect(v1.status).toBe(202);
  const v1Run = await stack.waitForRun(token, v1.body.runId);
  expect(v1Run.status).toBe('SUCCEEDED');
  const queued = (await eventsOf(v1Run.id)).find((e) => e.type === 'run.queued');
  expect(queued?.data).toMatchObject({ agent: 'pm', agentVersion: 1, try: true });
});

test('trying refuses bad input with a 400 naming the field, and other tenants get a 404', async () => {
  const empty = await call('POST', '/v1/agents/researcher/try', { prompt: '   ' });
  expect(empty.status).toBe(400);
  expect(JSON.stringify(empty.body)).toContain('prompt');
  const version = await call('POST', '/v1/agents/researcher/try', { prompt: 'hi', version: 99 });
  expect(version.status).toBe(400);
  expect(JSON.stringify(version.body)).toContain('version');
  const extra = await call('POST', '/v1/agents/researcher/try', { prompt: 'hi', model: 'x' });
  expect(extra.status).toBe(400);
  expect((await call('POST', '/v1/agents/nobody/try', { prompt: 'hi' })).status).toBe(404);
  const cross = await call('POST', '/v1/agents/researcher/try', { prompt: 'hi' }, other);
  expect(cross.status).toBe(404);
  const viewer = await stack.addMember(
    token,
    'viewer-try@example.test',
    'viewer',
    'viewer pass 123!',
  );
  const asViewer = await call(
    'POST',
    '/v1/agents/researcher/try',
    { prompt: 'hi' },
    viewer.accessToken,
  );
  expect(asViewer.status).toBe(403);
});

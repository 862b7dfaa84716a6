/**
 * Published versions (ADR 120): saving publishes, `POST …/publish` moves the pointer to any saved
 * version (the rollback), and runs that name no version run the published one, with the agents'
 * published versions unless a node pins one.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

const flow = (prompt: string, node: Record<string, unknown> = {}) => ({
  nodes: [{ id: 'say', type: 'agent', agent: 'speaker', prompt, ...node }],
});

async function outputOf(path: string, body: unknown): Promise<{ run: any; output: string }> {
  const started = await stack.call('POST', path, { token, body });
  expect(started.status).toBe(202);
  const run = await stack.waitForRun(token, started.body.runId);
  return { run, output: String(run.steps.find((s: any) => s.nodeId === 'say').output) };
}

beforeAll(async () => {
  await stack.call('POST', '/v1/agents', {
    token,
    body: { slug: 'speaker', name: 'Speaker', model: 'simulator:sim-1', systemPrompt: 'PERSONA-1' },
  });
  await stack.call('POST', '/v1/workflows', {
    token,
    body: { slug: 'speech', name: 'Speech', ...flow('PROMPT-1') },
  });
  await stack.call('PATCH', '/v1/workflows/speech', { token, body: flow('PROMPT-2') });
  await stack.call('PATCH', '/v1/workflows/speech', { token, body: flow('PROMPT-3') });
});

test('saving publishes; publishing an older version rolls back what runs without a version', async () => {
  // Prepare
  const before = await stack.call('GET', '/v1/workflows/speech', { token });

  // Act
  const published = await stack.call('POST', '/v1/workflows/speech/publish', {
    token,
    body: { version: 2 },
  });
  const after = await stack.call('GET', '/v1/workflows/speech', { token });
  const listed = await stack.call('GET', '/v1/workflows', { token });
  const unnamed = await outputOf('/v1/workflows/speech/runs', { input: {} });
  const named = await outputOf('/v1/workflows/speech/runs', { input: {}, version: 3 });

  // Assess
  expect(before.body).toMatchObject({ version: 3, publishedVersion: 3 });
  expect(published.status).toBe(200);
  expect(published.body).toMatchObject({ version: 3, publishedVersion: 2 });
  expect(after.body).toMatchObject({ version: 3, publishedVersion: 2 });
  expect(listed.body.items.find((w: any) => w.slug === 'speech').publishedVersion).toBe(2);
  expect(unnamed.run.workflowVersion).toBe(2);
  expect(unnamed.run.steps[0].prompt).toBe('PROMPT-2');
  expect(named.run.workflowVersion).toBe(3);
});

test('a new save publishes the new version again', async () => {
  await stack.call('POST', '/v1/workflows/speech/publish', { token, body: { version: 1 } });

  const saved = await stack.call('PATCH', '/v1/workflows/speech', { token, body: flow('P-4') });
  const { run } = await outputOf('/v1/workflows/speech/runs', { input: {} });

  expect(saved.body).toMatchObject({ version: 4, publishedVersion: 4 });
  expect(run.workflowVersion).toBe(4);
});

test('an unsaved version is a 400 naming version; an unknown workflow a 404; bad bodies 400', async () => {
  const unsaved = await stack.call('POST', '/v1/workflows/speech/publish', {
    token,
    body: { version: 99 },
  });
  const unknown = await stack.call('POST', '/v1/workflows/nope/publish', {
    token,
    body: { version: 1 },
  });
  const zero = await stack.call('POST', '/v1/workflows/speech/publish', {
    token,
    body: { version: 0 },
  });
  const extra = await stack.call('POST', '/v1/workflows/speech/publish', {
    token,
    body: { version: 1, draft: true },
  });
  const agentUnsaved = await stack.call('POST', '/v1/agents/speaker/publish', {
    token,
    body: { version: 7 },
  });
  const still = await stack.call('GET', '/v1/workflows/speech', { token });

  expect(unsaved.status).toBe(400);
  expect(unsaved.body.error.details).toEqual([{ path: 'version', message: 'no saved version 99' }]);
  expect(unknown.status).toBe(404);
  expect(zero.status).toBe(400);
  expect(zero.body.error.details[0].path).toBe('version');
  expect(extra.status).toBe(400);
  expect(agentUnsaved.status).toBe(400);
  expect(still.body.publishedVersion).toBe(4);
});

test("an agent node runs the agent's published version unless it pins one", async () => {
  // Prepare: agent v2 saved (published), then rolled back to v1
  await stack.call('PATCH', '/v1/agents/speaker', { token, body: { systemPrompt: 'PERSONA-2' } });
  const rolledBack = await stack.call('POST', '/v1/agents/speaker/publish', {
    token,
    body: { version: 1 },
  });
  await stack.call('POST', '/v1/workflows', {
    token,
    body: { slug: 'pinned-speech', name: 'Pinned', ...flow('hello', { agentVersion: 2 }) },
  });

  // Act
  const published = await outputOf('/v1/workflows/speech/runs', { input: {} });
  const pinned = await outputOf('/v1/workflows/pinned-speech/runs', { input: {} });
  const badPin = await stack.call('POST', '/v1/workflows', {
    token,
    body: { slug: 'bad-pin', name: 'Bad', ...flow('hello', { agentVersion: 9 }) },
  });

  // Assess
  expect(rolledBack.body).toMatchObject({ version: 2, publishedVersion: 1 });
  expect(published.output).toContain('PERSONA-1');
  expect(published.output).not.toContain('PERSONA-2');
  expect(pinned.output).toContain('PERSONA-2');
  expect(badPin.status).toBe(400);
  expect(badPin.body.error.details[0].path).toBe('nodes[0].agentVersion');
});

test('nodes sharing an agent must agree on its version', async () => {
  const res = await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'mixed-pins',
      name: 'Mixed',
      nodes: [
        { id: 'a', type: 'agent', agent: 'speaker', prompt: 'x', agentVersion: 1 },
        { id: 'b', type: 'agent', agent: 'speaker', prompt: 'y' },
      ],
      edges: [{ from: 'a', to: 'b' }],
    },
  });

  expect(res.status).toBe(400);
  expect(res.body.error.details[0].path).toBe('nodes[1].agentVersion');
});

test('publishing is audited with the version and the one before', async () => {
  const audit = await stack.call('GET', '/v1/audit?action=workflow.publish', { token });
  const agentAudit = await stack.call('GET', '/v1/audit?action=agent.publish', { token });

  expect(audit.status).toBe(200);
  expect(audit.body.items.map((e: any) => e.data)).toEqual(
    expect.arrayContaining([
      { version: 2, previous: 3 },
      { version: 1, previous: 2 },
    ]),
  );
  expect(agentAudit.body.items.map((e: any) => e.data)).toEqual([{ version: 1, previous: 2 }]);
});

test('an agent used only by a published (older) workflow version cannot be deleted', async () => {
  // Prepare: v1 uses the agent, v2 does not, v1 is published
  await stack.call('POST', '/v1/agents', {
    token,
    body: { slug: 'old-helper', name: 'Old helper', model: 'simulator:sim-1' },
  });
  await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'rolled-back',
      name: 'Rolled back',
      nodes: [{ id: 'a', type: 'agent', agent: 'old-helper', prompt: 'x' }],
    },
  });
  await stack.call('PATCH', '/v1/workflows/rolled-back', {
    token,
    body: { nodes: [{ id: 'a', type: 'agent', agent: 'speaker', prompt: 'x' }] },
  });
  await stack.call('POST', '/v1/workflows/rolled-back/publish', { token, body: { version: 1 } });

  // Act
  const res = await stack.call('DELETE', '/v1/agents/old-helper', { token });

  // Assess
  expect(res.status).toBe(409);
  expect(res.body.error.message).toContain('"rolled-back"');
});

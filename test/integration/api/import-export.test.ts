/**
 * Workflows and agents as files through the API (ADR 140): export → import is the identity and
 * creates no version, a changed file is the next version, a bundle brings its agents along, and a
 * bad file is a 400 naming the field that writes nothing.
 */
import YAML from 'yaml';
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
const yamlImport = (path: string, text: string) =>
  stack.call('POST', path, {
    token,
    rawBody: text,
    headers: { 'content-type': 'application/yaml' },
  });
const versionsOf = async (path: string) =>
  (await call('GET', `${path}/versions`)).body.items.map((v: { version: number }) => v.version);

const agentFile = {
  slug: 'ie-writer',
  name: 'Writer',
  role: 'writes',
  systemPrompt: 'You write.',
  model: 'simulator:echo',
  fallbacks: [],
  parameters: { temperature: 0.2 },
  outputSchema: { type: 'object', properties: { text: { type: 'string' } } },
};
const workflowFile = {
  slug: 'ie-flow',
  name: 'Import export',
  description: 'as code',
  inputs: [{ name: 'topic', required: true }],
  nodes: [
    { id: 'draft', type: 'agent', agent: 'ie-writer', prompt: 'Draft {{input.topic}}' },
    { id: 'check', type: 'agent', agent: 'ie-writer', prompt: '{{steps.draft.output}}' },
  ],
  edges: [{ from: 'draft', to: 'check' }],
};

test('export then import of a workflow and its agent is identical and creates no version', async () => {
  // Prepare
  const agent = await call('POST', '/v1/agents/import', agentFile);
  const flow = await call('POST', '/v1/workflows/import', workflowFile);

  // Act
  const jsonAgent = await call('GET', '/v1/agents/ie-writer/export');
  const jsonFlow = await call('GET', '/v1/workflows/ie-flow/export');
  const yamlFlow = await call('GET', '/v1/workflows/ie-flow/export?format=yaml');
  const byAccept = await call('GET', '/v1/agents/ie-writer/export', undefined, {
    accept: 'application/yaml',
  });
  const again = await yamlImport('/v1/workflows/import', yamlFlow.body);
  const agentAgain = await yamlImport('/v1/agents/import', byAccept.body);

  // Assess
  expect(agent.body.items).toEqual([
    expect.objectContaining({ kind: 'agent', slug: 'ie-writer', outcome: 'created', version: 1 }),
  ]);
  expect(flow.body.items[0]).toMatchObject({ kind: 'workflow', outcome: 'created', version: 1 });
  expect(jsonAgent.body).toEqual(agentFile);
  expect(jsonFlow.body).toEqual(workflowFile);
  expect(jsonFlow.headers.get('content-disposition')).toBe(
    'attachment; filename="ie-flow.workflow.json"',
  );
  expect(yamlFlow.headers.get('content-type')).toMatch(/^application\/yaml/);
  expect(YAML.parse(yamlFlow.body)).toEqual(workflowFile);
  expect(YAML.parse(byAccept.body)).toEqual(agentFile);
  expect(again.status).toBe(200);
  expect(again.body.items).toEqual([
    expect.objectContaining({ slug: 'ie-flow', outcome: 'unchanged', version: 1, changed: [] }),
  ]);
  expect(agentAgain.body.items[0]).toMatchObject({ outcome: 'unchanged', version: 1 });
  expect(await versionsOf('/v1/workflows/ie-flow')).toEqual([1]);
  expect(await versionsOf('/v1/agents/ie-writer')).toEqual([1]);
});

test('a changed file becomes the next version; fields it leaves out are cleared', async () => {
  // Prepare
  await call('POST', '/v1/agents/import', { ...agentFile, slug: 'ie-editor' });
  const { outputSchema: _schema, ...withoutSchema } = agentFile;

  // Act
  const changed = await call('POST', '/v1/agents/import', {
    ...withoutSchema,
    slug: 'ie-editor',
    systemPrompt: 'You edit.',
  });
  const current = await call('GET', '/v1/agents/ie-editor');

  // Assess
  expect(changed.body.items[0]).toMatchObject({
    outcome: 'updated',
    version: 2,
    changed: ['systemPrompt', 'outputSchema'],
  });
  expect(current.body.systemPrompt).toBe('You edit.');
  expect(current.body.outputSchema).toBeUndefined();
  expect(await versionsOf('/v1/agents/ie-editor')).toEqual([2, 1]);
});

test('a bundle exports the agents a workflow uses and imports them before it', async () => {
  // Prepare
  const bundle = (await call('GET', '/v1/workflows/ie-flow/export?include=agents')).body;
  const moved = {
    ...bundle,
    slug: 'ie-moved',
    agents: [{ ...bundle.agents[0], slug: 'ie-moved-writer' }],
    nodes: bundle.nodes.map((n: object) => ({ ...n, agent: 'ie-moved-writer' })),
  };

  // Act
  const imported = await call('POST', '/v1/workflows/import', moved);
  const twice = await call('POST', '/v1/workflows/import', moved);

  // Assess
  expect(bundle.agents).toEqual([agentFile]);
  expect(imported.body.items.map((i: { kind: string; outcome: string }) => i.outcome)).toEqual([
    'created',
    'created',
  ]);
  expect(imported.body.items.map((i: { kind: string }) => i.kind)).toEqual(['agent', 'workflow']);
  expect(twice.body.items.map((i: { outcome: string }) => i.outcome)).toEqual([
    'unchanged',
    'unchanged',
  ]);
  expect((await call('GET', '/v1/workflows/ie-moved/export')).body.nodes[0].agent).toBe(
    'ie-moved-writer',
  );
});

test('a dry run reports what an import would do and writes nothing', async () => {
  // Prepare
  const changedFlow = { ...workflowFile, description: 'changed in the file' };
  const newFlow = { ...workflowFile, slug: 'ie-dry-new' };

  // Act
  const changed = await call('POST', '/v1/workflows/import?dryRun=true', changedFlow);
  const created = await call('POST', '/v1/workflows/import?dryRun=true', newFlow);
  const broken = await call('POST', '/v1/workflows/import?dryRun=true', {
    ...newFlow,
    nodes: [{ id: 'lost', type: 'agent', agent: 'nobody-here', prompt: 'x' }],
    edges: [],
  });

  // Assess
  expect(changed.body).toEqual({
    dryRun: true,
    items: [expect.objectContaining({ outcome: 'updated', version: 2, changed: ['description'] })],
  });
  expect(created.body.items).toEqual([
    { kind: 'workflow', slug: 'ie-dry-new', outcome: 'created', version: 1, changed: [] },
  ]);
  expect(broken.status).toBe(400);
  expect(broken.body.error.details[0].path).toBe('nodes[0].agent');
  expect(await versionsOf('/v1/workflows/ie-flow')).toEqual([1]);
  expect((await call('GET', '/v1/workflows/ie-dry-new')).status).toBe(404);
});

test('bad files are a 400 naming the field, and write nothing', async () => {
  // Prepare
  const before = await call('GET', '/v1/agents?limit=200');

  // Act
  const unknownAgent = await call('POST', '/v1/workflows/import', {
    ...workflowFile,
    slug: 'ie-bad',
    agents: [{ ...agentFile, slug: 'ie-bundled' }],
    nodes: [{ id: 'lost', type: 'agent', agent: 'nobody-here', prompt: 'x' }],
    edges: [],
  });
  const badField = await call('POST', '/v1/agents/import', { ...agentFile, temperature: 3 });
  const badModel = await yamlImport(
    '/v1/workflows/import',
    'slug: ie-bad\nname: Bad\nnodes:\n  - id: a\n    type: agent\n    agent: ie-writer\n    prompt: 7\n',
  );
  const notYaml = await yamlImport('/v1/agents/import', 'slug: [unclosed\nname: x');
  const twice = await call('POST', '/v1/workflows/import', {
    ...workflowFile,
    slug: 'ie-bad',
    agents: [agentFile, agentFile],
  });

  // Assess
  expect(unknownAgent.status).toBe(400);
  expect(unknownAgent.body.error.details).toEqual([
    expect.objectContaining({
      path: 'nodes[0].agent',
      message: expect.stringContaining('nobody-here'),
    }),
  ]);
  expect(badField.status).toBe(400);
  expect(badField.body.error.details[0]).toEqual({ path: 'temperature', message: 'unknown field' });
  expect(badModel.status).toBe(400);
  expect(badModel.body.error.details[0].path).toBe('nodes[0].prompt');
  expect(notYaml.status).toBe(400);
  expect(notYaml.body.error.code).toBe('MalformedYaml');
  expect(twice.status).toBe(400);
  expect(twice.body.error.details[0].path).toBe('agents[1].slug');
  expect((await call('GET', '/v1/agents/ie-bundled')).status).toBe(404);
  expect((await call('GET', '/v1/workflows/ie-bad')).status).toBe(404);
  expect((await call('GET', '/v1/agents?limit=200')).body.items).toHaveLength(
    before.body.items.length,
  );
});

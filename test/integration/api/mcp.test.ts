/**
 * POST /mcp with the official MCP TypeScript SDK client over streamable HTTP, authenticated with
 * an API key: the tenant's workflows are tools, and calling one runs it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let apiKey: string;
beforeAll(async () => {
  stack = await startTestStack();
  const token = await stack.adminToken();
  const key = await stack.call('POST', '/v1/api-keys', {
    token,
    body: { name: 'mcp client', role: 'dev' },
  });
  apiKey = key.body.secret;
});
afterAll(async () => stack?.close());

async function connect(credential: string | null): Promise<Client> {
  const client = new Client({ name: 'hishamos-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${stack.url}/mcp`), {
    requestInit: credential ? { headers: { Authorization: `Bearer ${credential}` } } : {},
  });
  await client.connect(transport);
  return client;
}

test('the MCP client lists the workflows as tools with their declared inputs', async () => {
  const client = await connect(apiKey);

  const { tools } = await client.listTools();

  const pipeline = tools.find((t) => t.name === 'feature-pipeline');
  expect(pipeline).toBeDefined();
  expect(pipeline?.inputSchema).toMatchObject({
    type: 'object',
    properties: { feature: { type: 'string' }, repository: { type: 'string' } },
    required: ['feature'],
  });
  await client.close();
});

test("a tool describes its workflow's published version, not a newer saved one", async () => {
  // Prepare: v2 adds a required input, then v1 is published again (a rollback)
  const token = await stack.adminToken();
  const base = {
    nodes: [{ id: 'a', type: 'agent', agent: 'pm', prompt: 'x {{input.topic}}' }],
  };
  await stack.call('POST', '/v1/workflows', {
    token,
    body: { slug: 'mcp-published', name: 'P', inputs: [{ name: 'topic' }], ...base },
  });
  await stack.call('PATCH', '/v1/workflows/mcp-published', {
    token,
    body: { inputs: [{ name: 'topic' }, { name: 'extra', required: true }] },
  });
  await stack.call('POST', '/v1/workflows/mcp-published/publish', { token, body: { version: 1 } });
  const client = await connect(apiKey);

  // Act
  const { tools } = await client.listTools();

  // Assess
  const tool = tools.find((t) => t.name === 'mcp-published');
  expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(['topic']);
  expect(tool?.inputSchema.required).toEqual([]);
  await client.close();
});

test('calling a tool runs the workflow and returns its output', async () => {
  const client = await connect(apiKey);

  const result = await client.callTool({
    name: 'feature-pipeline',
    arguments: { feature: 'Export runs as CSV' },
  });

  expect(result.isError).toBe(false);
  expect(result.structuredContent).toMatchObject({ status: 'SUCCEEDED' });
  const text = (result.content as { type: string; text: string }[])[0].text;
  expect(text).toContain('local simulator');
  const runId = (result.structuredContent as { runId: string }).runId;
  const token = await stack.adminToken();
  const run = await stack.call('GET', `/v1/runs/${runId}`, { token });
  expect(run.body.status).toBe('SUCCEEDED');
  await client.close();
});

test('bad tool input and unknown tools come back as tool errors naming the problem', async () => {
  const client = await connect(apiKey);

  const missing = await client.callTool({ name: 'feature-pipeline', arguments: {} });
  const unknown = await client.callTool({ name: 'no-such-workflow', arguments: {} });

  expect(missing.isError).toBe(true);
  expect((missing.content as { text: string }[])[0].text).toMatch(/ValidationError.*feature/);
  expect(unknown.isError).toBe(true);
  expect((unknown.content as { text: string }[])[0].text).toMatch(/NotFound/);
  await client.close();
});

test('without an API key the endpoint refuses to connect', async () => {
  await expect(connect(null)).rejects.toThrow(/401|Unauthorized/);
});

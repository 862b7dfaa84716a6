/**
 * Ordinary bad input is a 4xx naming the field, never a 500 (issue 11, item 2): text Postgres
 * cannot store, deep nesting, cursors the list never handed out, extreme dates, URLs `new URL`
 * throws on, bad percent-escapes in the path, and a signed webhook carrying a NUL byte.
 */
import { startTestStack, type TestStack } from '../../support/stack';
import {
  createTrigger,
  createWorkflow,
  githubDelivery,
  githubExamples,
  reviewWorkflow,
  send,
} from '../automation/support';

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

const call = (method: string, path: string, body?: unknown) =>
  stack.call(method, path, { token, body });

test.each([
  ['a NUL byte', 'bad\u0000name', 'NUL'],
  ['a lone high surrogate', 'bad\ud800name', 'surrogate'],
  ['a lone low surrogate', 'bad\udc00', 'surrogate'],
])('%s in a text field is a 400 naming the field', async (_what, name, reason) => {
  const res = await call('POST', '/v1/agents', {
    slug: 'guarded',
    name,
    model: 'simulator:sim-1',
  });

  expect(res.status).toBe(400);
  expect(res.body.error.details).toEqual([
    { path: 'name', message: expect.stringContaining(reason) },
  ]);
});

test('NUL nested inside free-form JSON (run input) names its path', async () => {
  const res = await call('POST', '/v1/workflows/feature-pipeline/runs', {
    input: { feature: { notes: ['ok', 'x\u0000'] } },
  });

  expect(res.status).toBe(400);
  expect(res.body.error.details[0].path).toBe('input.feature.notes[1]');
});

test('NUL in a query parameter is a 400 naming it', async () => {
  const res = await call('GET', '/v1/audit?action=a%00b');

  expect(res.status).toBe(400);
  expect(res.body.error.details[0].path).toBe('query.action');
});

test('JSON nested 5,000 levels deep is a 400', async () => {
  const deep = `${'{"a":['.repeat(5000)}1${']}'.repeat(5000)}`;
  const res = await stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
    token,
    rawBody: `{"input":${deep}}`,
  });

  expect(res.status).toBe(400);
  expect(res.body.error.message).toContain('nested deeper');
});

test.each([
  '/v1/runs?cursor=abc',
  `/v1/runs?cursor=${Buffer.from('2026-01-01T00:00:00.000Z|not-a-uuid').toString('base64url')}`,
  '/v1/agents?cursor=abc',
  '/v1/knowledge-bases?cursor=not-a-date',
  '/v1/audit?cursor=abc',
  '/v1/agents/pm/versions?cursor=-1',
])('the malformed cursor in %s is a 400 naming query.cursor', async (path) => {
  const res = await call('GET', path);

  expect(res.status).toBe(400);
  expect(res.body.error.details[0].path).toBe('query.cursor');
});

test.each(['/v1/usage?from=0001-01-01', '/v1/usage?to=9999-12-31', '/v1/usage?from=275760-09-13'])(
  '%s is a 400, not a database error',
  async (path) => {
    const res = await call('GET', path);

    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toMatch(/^query\.(from|to)/);
  },
);

test('a base URL with an invalid port is a 400 naming baseUrl', async () => {
  const res = await call('PUT', '/v1/providers/compatible/key', {
    apiKey: 'sk-local-aaaaaaaa',
    baseUrl: 'https://models.example.com:99999/v1',
  });

  expect(res.status).toBe(400);
  expect(res.body.error.details.map((d: any) => d.path)).toContain('baseUrl');
});

test('a bad percent-escape in the path is a 400', async () => {
  const res = await call('GET', '/v1/agents/%E0%A4%A');

  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('ValidationError');
});

test('a signed webhook whose payload carries a NUL byte is taken, not failed', async () => {
  await createWorkflow(stack, token, reviewWorkflow('nul-review'));
  const trigger = await createTrigger(stack, token, {
    name: 'nul',
    source: 'github',
    workflowId: 'nul-review',
    rules: { events: ['pull_request'] },
  });
  const [opened] = githubExamples('pull_request').filter((e) => e.payload.action === 'opened');
  const payload = structuredClone(opened.payload);
  payload.pull_request.title = 'title with \u0000 NUL';
  payload.pull_request.body = 'body with a lone \ud800 surrogate';

  const res = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'pull_request', payload),
  );

  expect(res.status).toBe(202);
  expect(res.body.outcome).toBe('started');
  const run = await stack.waitForRun(token, res.body.runId);
  expect(JSON.stringify(run.input)).not.toContain('\\u0000');
});

/**
 * Keyset paging (shared/db/keyset.ts) through the lists that share it: each page holds at most
 * `limit` items, pages never overlap or skip, the last page has no cursor, and a cursor the list
 * did not hand out is a 400 naming `query.cursor`.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

async function walk(path: string, limit: number): Promise<{ pages: string[][]; last: unknown }> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  let last: unknown;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await stack.call('GET', url, { token });
    expect(res.status).toBe(200);
    pages.push(res.body.items.map((i: { id: string }) => i.id));
    cursor = res.body.nextCursor;
    last = res.body.nextCursor;
  } while (cursor && pages.length < 20);
  return { pages, last };
}

test('API keys page newest first without overlap', async () => {
  // Prepare
  for (const name of ['k1', 'k2', 'k3', 'k4', 'k5']) {
    const res = await stack.call('POST', '/v1/api-keys', { token, body: { name, role: 'viewer' } });
    expect(res.status).toBe(201);
  }

  // Act
  const { pages, last } = await walk('/v1/api-keys', 2);
  const all = await stack.call('GET', '/v1/api-keys?limit=100', { token });

  // Assess
  expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
  expect(pages.flat()).toEqual(all.body.items.map((i: { id: string }) => i.id));
  expect(new Set(pages.flat()).size).toBe(5);
  expect(last).toBeUndefined();
});

test('triggers page without overlap', async () => {
  // Prepare
  for (const name of ['t1', 't2', 't3']) {
    const res = await stack.call('POST', '/v1/triggers', {
      token,
      body: {
        name,
        source: 'github',
        workflowId: 'feature-pipeline',
        rules: { events: ['pull_request'] },
      },
    });
    expect(res.status).toBe(201);
  }

  // Act
  const { pages } = await walk('/v1/triggers', 2);

  // Assess
  expect(pages.map((p) => p.length)).toEqual([2, 1]);
  expect(new Set(pages.flat()).size).toBe(3);
});

test('members page oldest first without overlap', async () => {
  // Prepare
  await stack.addMember(token, 'paging-a@example.com', 'viewer', 'paging-password-a-123');
  await stack.addMember(token, 'paging-b@example.com', 'dev', 'paging-password-b-123');

  // Act
  const { pages } = await walk('/v1/members', 1);
  const all = await stack.call('GET', '/v1/members?limit=100', { token });

  // Assess
  expect(pages.flat()).toEqual(all.body.items.map((i: { id: string }) => i.id));
  expect(all.body.items.at(-1).email).toBe('paging-b@example.com');
  expect(pages.flat().length).toBe(all.body.items.length);
});

test('agents, workflows and runs page newest first without overlap', async () => {
  // Prepare: runs started in a burst, several within one millisecond's reach of each other
  for (let i = 0; i < 4; i++) {
    const res = await stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
      token,
      body: { input: { feature: `paging ${i}` } },
    });
    expect(res.status).toBe(202);
  }

  // Act
  const agents = await walk('/v1/agents', 2);
  const allAgents = await stack.call('GET', '/v1/agents?limit=100', { token });
  const workflows = await walk('/v1/workflows', 1);
  const allWorkflows = await stack.call('GET', '/v1/workflows?limit=100', { token });
  const runs = await walk('/v1/runs', 1);
  const allRuns = await stack.call('GET', '/v1/runs?limit=100', { token });

  // Assess
  const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((i) => i.id);
  expect(agents.pages.length).toBeGreaterThan(1);
  expect(agents.pages.flat()).toEqual(ids(allAgents));
  expect(workflows.pages.flat()).toEqual(ids(allWorkflows));
  expect(runs.pages.flat()).toEqual(ids(allRuns));
  expect(runs.pages.flat().length).toBeGreaterThanOrEqual(4);
});

test.each([
  '/v1/api-keys',
  '/v1/triggers',
  '/v1/members',
  '/v1/agents',
  '/v1/runs',
  '/v1/schedules',
])('%s refuses a cursor it did not hand out', async (path) => {
  // Act
  const res = await stack.call('GET', `${path}?cursor=not-a-cursor`, { token });

  // Assess
  expect(res.status).toBe(400);
  expect(res.body.error.details[0].path).toBe('query.cursor');
});

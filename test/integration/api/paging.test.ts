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

test.each(['/v1/api-keys', '/v1/triggers', '/v1/members'])(
  '%s refuses a cursor it did not hand out',
  async (path) => {
    // Act
    const res = await stack.call('GET', `${path}?cursor=not-a-cursor`, { token });

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('query.cursor');
  },
);

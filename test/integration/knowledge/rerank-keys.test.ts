/**
 * Per-tenant rerank keys (issue 16, ADR 151): a tenant stores its Cohere / Voyage / Jina key the way
 * provider keys are stored (secret store; Postgres keeps the last four), its knowledge bases'
 * rerankers call the API with it (a loopback fake records the Authorization header), the key is
 * never returned or logged, and one tenant's key never serves another tenant.
 */
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestStack, type TestStack } from '../../support/stack';

const KEY_A = 'co-tenant-a-secret-key-7a7a';
const KEY_B = 'jina-tenant-b-secret-key-5b5b';
const calls: Array<{ path: string; auth?: string; body: any }> = [];
const logs: string[] = [];
let stack: TestStack;
let fake: Server;
let fakeUrl: string;
let a: { token: string; kbId: string };
let b: { token: string; kbId: string };

/** Cohere (/v2/rerank) and Jina (/v1/rerank) shapes: the passage mentioning "forty" first. */
function answer(req: IncomingMessage, res: ServerResponse) {
  let raw = '';
  req.on('data', (c) => {
    raw += c;
  });
  req.on('end', () => {
    const body = raw ? JSON.parse(raw) : {};
    calls.push({ path: req.url ?? '', auth: req.headers.authorization, body });
    const results = (body.documents as string[])
      .map((d, index) => ({ index, relevance_score: /forty/i.test(d) ? 0.97 : 0.05 }))
      .sort((x, y) => y.relevance_score - x.relevance_score);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ results, usage: { total_tokens: 42 } }));
  });
}

const DOCS = [
  { title: 'Vacation policy', text: 'Employees get twenty five days of paid vacation a year.' },
  { title: 'Expense policy', text: 'Meals on business trips are reimbursed up to forty euros.' },
  { title: 'Deploy runbook', text: 'Deploys to production happen on weekdays after review.' },
];

async function tenantWithBase(token: string, rerank?: string) {
  const kb = await stack.call('POST', '/v1/knowledge-bases', {
    token,
    body: { name: 'policies', ...(rerank ? { rerank } : {}) },
  });
  expect(kb.status).toBe(201);
  for (const d of DOCS)
    await stack.call('POST', `/v1/knowledge-bases/${kb.body.id}/documents`, { token, body: d });
  return { token, kbId: kb.body.id as string };
}

const search = (t: { token: string; kbId: string }, rerank: string) =>
  stack.call('POST', `/v1/knowledge-bases/${t.kbId}/search`, {
    token: t.token,
    body: { query: 'policy for vacation and meals and deploys', topK: 3, rerank },
  });

beforeAll(async () => {
  fake = createServer(answer);
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  // No platform keys for the rerank APIs: only what the tenants store.
  stack = await startTestStack({
    env: { LOG_LEVEL: 'debug' },
    logSink: (line) => logs.push(line),
  });
  a = await tenantWithBase(await stack.adminToken());
  b = await tenantWithBase(
    (await stack.signup('Rerank rival')).accessToken,
    'jina:jina-reranker-v2-base-multilingual',
  );
  await stack.executions.idle();
});
afterAll(async () => {
  await stack?.close();
  await new Promise((r) => fake?.close(r));
});

test('a stored Cohere key reranks the tenant’s searches, and is listed by its last four only', async () => {
  // Prepare
  const before = await search(a, 'cohere:rerank-v3.5');
  const put = await stack.call('PUT', '/v1/providers/cohere/key', {
    token: a.token,
    body: { apiKey: KEY_A, baseUrl: fakeUrl },
  });

  // Act
  const after = await search(a, 'cohere:rerank-v3.5');
  const list = await stack.call('GET', '/v1/providers', { token: a.token });

  // Assess: refused without a key, naming where to store one; then called with the tenant's key.
  expect(before.status).toBeGreaterThanOrEqual(400);
  expect(JSON.stringify(before.body)).toMatch(/PUT \/v1\/providers\/cohere\/key/);
  expect(put.status).toBe(200);
  expect(put.body).toMatchObject({
    provider: 'cohere',
    kind: 'rerank',
    configured: 'tenant',
    simulated: false,
    last4: '…7a7a',
    baseUrl: fakeUrl,
  });
  expect(after.status).toBe(200);
  expect(after.body.rerank).toMatchObject({ provider: 'cohere', model: 'rerank-v3.5' });
  expect(after.body.rerank.error).toBeUndefined();
  expect(after.body.items[0].title).toBe('Expense policy');
  const call = calls.find((c) => c.path === '/v2/rerank');
  expect(call?.auth).toBe(`Bearer ${KEY_A}`);
  expect(call?.body).toMatchObject({ model: 'rerank-v3.5', top_n: 3 });
  const jina = list.body.items.find((i: { provider: string }) => i.provider === 'jina');
  expect(jina).toMatchObject({ kind: 'rerank', configured: 'none', simulated: false });
  expect(jina.note).toMatch(/refused/);
  for (const body of [put.body, after.body, list.body])
    expect(JSON.stringify(body)).not.toContain(KEY_A);
});

test('a knowledge base reranks by default with the tenant’s stored Jina key', async () => {
  // Prepare
  await stack.call('PUT', '/v1/providers/jina/key', {
    token: b.token,
    body: { apiKey: KEY_B, baseUrl: fakeUrl },
  });
  calls.length = 0;

  // Act
  const res = await stack.call('POST', `/v1/knowledge-bases/${b.kbId}/search`, {
    token: b.token,
    body: { query: 'policy for vacation and meals and deploys', topK: 3 },
  });

  // Assess
  expect(res.status).toBe(200);
  expect(res.body.rerank).toMatchObject({ provider: 'jina' });
  expect(res.body.items[0].title).toBe('Expense policy');
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatchObject({ path: '/v1/rerank', auth: `Bearer ${KEY_B}` });
});

test('one tenant’s rerank key never serves another tenant', async () => {
  // Prepare: A has a Cohere key, B has none (B stored Jina only); A has no Jina key.
  calls.length = 0;

  // Act
  const bWithCohere = await search(b, 'cohere:rerank-v3.5');
  const aWithJina = await search(a, 'jina:jina-reranker-v2-base-multilingual');
  const bList = await stack.call('GET', '/v1/providers', { token: b.token });

  // Assess
  expect(bWithCohere.status).toBeGreaterThanOrEqual(400);
  expect(JSON.stringify(bWithCohere.body)).toMatch(/no cohere API key/);
  expect(aWithJina.status).toBeGreaterThanOrEqual(400);
  expect(calls).toHaveLength(0);
  expect(bList.body.items.find((i: { provider: string }) => i.provider === 'cohere')).toMatchObject(
    { configured: 'none' },
  );
});

test('bad rerank key input is a 400 naming the field; no key appears in any log line', async () => {
  // Act
  const short = await stack.call('PUT', '/v1/providers/voyage/key', {
    token: a.token,
    body: { apiKey: 'short' },
  });
  const unknown = await stack.call('PUT', '/v1/providers/rerankco/key', {
    token: a.token,
    body: { apiKey: 'long-enough-key-0000' },
  });

  // Assess
  expect(short.status).toBe(400);
  expect(JSON.stringify(short.body)).toMatch(/apiKey/);
  expect(unknown.status).toBe(400);
  expect(JSON.stringify(unknown.body)).toMatch(/provider/);
  expect(logs.length).toBeGreaterThan(0);
  for (const line of logs) {
    expect(line).not.toContain(KEY_A);
    expect(line).not.toContain(KEY_B);
  }
});

/**
 * A document far above the RDS Data API's 64 KB row limit goes in through the API, is ingested and
 * found. Its text lives in S3, so no row carries it: through the local Data API endpoint
 * (HISHAMOS_DB_DRIVER=data-api) a row over 64 KB or a response over 1 MiB fails the call.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

test('a 200 KB text document is ingested, listed, read and searched', async () => {
  // Prepare: ~200 KB of prose with one distinctive passage near the end
  const paragraphs = Array.from(
    { length: 2000 },
    (_, i) =>
      `Paragraph ${i} describes routine operations of the platform, with ordinary words that repeat often.`,
  );
  paragraphs.splice(
    1900,
    0,
    'The quartz-heron failover runbook promotes the standby cluster first.',
  );
  const text = paragraphs.join('\n\n');
  expect(Buffer.byteLength(text)).toBeGreaterThan(140 * 1024);
  const kb = await stack.call('POST', '/v1/knowledge-bases', {
    token,
    body: { name: 'large', embeddingModel: 'local', chunking: { size: 800, overlap: 100 } },
  });
  expect(kb.status).toBe(201);

  // Act
  const created = await stack.call('POST', `/v1/knowledge-bases/${kb.body.id}/documents`, {
    token,
    body: { title: 'Operations handbook', text },
  });
  await stack.executions.idle();
  const doc = await stack.call(
    'GET',
    `/v1/knowledge-bases/${kb.body.id}/documents/${created.body.id}`,
    { token },
  );
  const list = await stack.call('GET', `/v1/knowledge-bases/${kb.body.id}/documents`, { token });
  const search = await stack.call('POST', `/v1/knowledge-bases/${kb.body.id}/search`, {
    token,
    body: { query: 'quartz-heron failover runbook', topK: 3 },
  });

  // Assess
  expect(created.status).toBe(202);
  expect(doc.body).toMatchObject({ status: 'ready' });
  expect(doc.body.chunkCount).toBeGreaterThan(200);
  expect(list.body.items.map((d: { id: string }) => d.id)).toContain(created.body.id);
  expect(search.status).toBe(200);
  expect(search.body.items[0].text).toContain('quartz-heron failover runbook');
  const { start, end } = search.body.items[0];
  expect(text.slice(start, end)).toBe(search.body.items[0].text);
});

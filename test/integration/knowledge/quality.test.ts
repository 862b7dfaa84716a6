/**
 * Issue 16 end to end through the API on the real engines: the offline `local-semantic` embedder
 * answers the dinner question with the expense policy; reranking re-orders the fused candidates
 * with a provider reranker (a loopback fake speaking Cohere's and TEI's `/rerank`), or with an LLM
 * through the gateway (the offline simulator keeps the order and says so; a fake OpenAI-compatible
 * chat server reorders), per knowledge base and per search, metered; and a self-hosted
 * OpenAI-compatible embedder (loopback fake) with its stated 1024 dimensions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { MEANING_QUERIES, POLICY_DOCS } from '../../fixtures/rag/meaning-set';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let fake: Server;
const calls: Array<{ path: string; body: any; auth?: string }> = [];

/** Scores a passage by whether it mentions "forty" (the expense policy): a visible reorder. */
const favours = (text: string) => (/forty/i.test(text) ? 0.99 : 0.1);

function answer(req: IncomingMessage, res: ServerResponse) {
  let raw = '';
  req.on('data', (c) => {
    raw += c;
  });
  req.on('end', () => {
    const body = raw ? JSON.parse(raw) : {};
    calls.push({ path: req.url ?? '', body, auth: req.headers.authorization });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.url === '/v2/rerank')
      return json(200, {
        results: body.documents
          .map((d: string, index: number) => ({ index, relevance_score: favours(d) }))
          .sort((a: any, b: any) => b.relevance_score - a.relevance_score),
        meta: { billed_units: { search_units: 1 } },
      });
    // TEI's native form: `texts` in, a bare array of {index, score} out.
    if (req.url === '/v1/rerank')
      return json(
        200,
        body.texts.map((d: string, index: number) => ({ index, score: favours(d) })),
      );
    if (req.url === '/v1/embeddings')
      return json(200, {
        object: 'list',
        model: body.model,
        data: body.input.map((t: string, index: number) => ({
          object: 'embedding',
          index,
          // 1024 dimensions, not unit length (the client normalises): a one-hot per first letter.
          embedding: Array.from({ length: 1024 }, (_, i) => (i === t.charCodeAt(0) % 1024 ? 3 : 0)),
        })),
        usage: { prompt_tokens: body.input.length * 3, total_tokens: body.input.length * 3 },
      });
    if (req.url === '/v1/chat/completions') {
      // An LLM reranker that puts the passage mentioning "forty" first.
      const prompt: string = body.messages.at(-1).content;
      const passages = [...prompt.matchAll(/^\[(\d+)\] (.*)$/gm)].map((m) => ({
        n: Number(m[1]),
        text: m[2],
      }));
      const ranking = passages
        .sort((a, b) => favours(b.text) - favours(a.text) || a.n - b.n)
        .map((p) => p.n);
      return json(200, {
        id: 'x',
        object: 'chat.completion',
        created: 0,
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: JSON.stringify({ ranking }) },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 },
      });
    }
    json(404, { error: { message: `no route ${req.url}` } });
  });
}

async function createBase(body: Record<string, unknown>) {
  const res = await stack.call('POST', '/v1/knowledge-bases', { token, body });
  expect({ status: res.status, body: res.status === 201 ? {} : res.body }).toEqual({
    status: 201,
    body: {},
  });
  for (const d of POLICY_DOCS)
    await stack.call('POST', `/v1/knowledge-bases/${res.body.id}/documents`, {
      token,
      body: { title: d.title, text: d.text },
    });
  await stack.executions.idle();
  return res.body;
}

const search = (kbId: string, body: Record<string, unknown>) =>
  stack.call('POST', `/v1/knowledge-bases/${kbId}/search`, { token, body });

let semantic: { id: string };
const titleOf = (items: any[]) => items.map((h) => h.title);

beforeAll(async () => {
  fake = createServer(answer);
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  stack = await startTestStack({
    env: {
      COHERE_API_KEY: 'co-test-key-123456',
      COHERE_BASE_URL: base,
      COMPATIBLE_BASE_URL: `${base}/v1`,
    },
  });
  token = await stack.adminToken();
  semantic = await createBase({ name: 'policies', embeddingModel: 'local-semantic' });
});
afterAll(async () => {
  await stack?.close();
  await new Promise((r) => fake?.close(r));
});

test('the offline semantic embedder ranks the expense policy first for the dinner question', async () => {
  for (const mode of ['vector', 'hybrid']) {
    const res = await search(semantic.id, {
      query: 'how much can I spend on dinner while travelling',
      topK: 5,
      mode,
    });
    expect(res.status).toBe(200);
    expect(res.body.embeddingModel).toBe('local-semantic');
    expect(res.body.items[0].title).toBe('Expense policy');
  }
});

test('and most questions of the meaning set come first through the API too', async () => {
  let first = 0;
  for (const q of MEANING_QUERIES) {
    const res = await search(semantic.id, { query: q.query, topK: 5, mode: 'vector' });
    const key = POLICY_DOCS.find((d) => d.title === res.body.items[0]?.title)?.key;
    if (key && q.relevant.includes(key)) first++;
  }
  expect(first).toBeGreaterThanOrEqual(MEANING_QUERIES.length - 1);
});

test('a provider reranker re-orders the fused candidates per search, traced and metered', async () => {
  const query = 'rules for the company';
  const plain = await search(semantic.id, { query, topK: 5, mode: 'vector' });
  const reranked = await search(semantic.id, {
    query,
    topK: 5,
    mode: 'vector',
    rerank: 'cohere:rerank-v3.5',
  });

  expect(reranked.status).toBe(200);
  expect(plain.body.items[0].title).not.toBe('Expense policy');
  expect(reranked.body.items[0].title).toBe('Expense policy');
  expect(reranked.body.items[0].rerankScore).toBeCloseTo(0.99);
  expect(reranked.body.items[0].fusedRank).toBe(
    titleOf(plain.body.items).indexOf('Expense policy') + 1,
  );
  expect(reranked.body.rerank).toMatchObject({
    ref: 'cohere:rerank-v3.5',
    provider: 'cohere',
    simulated: false,
    candidates: 5,
  });
  expect(reranked.body.rerank.moved).toBeGreaterThan(0);
  const call = calls.find((c) => c.path === '/v2/rerank');
  expect(call?.auth).toBe('Bearer co-test-key-123456');
  expect(call?.body).toMatchObject({ model: 'rerank-v3.5', query, top_n: 5 });
  const rows = rowsOf<{ provider: string; outcome: string }>(
    await stack.platform.db.owner.execute(
      sql`select provider, outcome from usage_records where provider = 'cohere'`,
    ),
  );
  expect(rows).toEqual([{ provider: 'cohere', outcome: 'success' }]);
});

test('a base can rerank by default (self-hosted TEI /rerank), and a search can opt out', async () => {
  const kb = await createBase({
    name: 'tei',
    embeddingModel: 'local-semantic',
    rerank: 'compatible:BAAI/bge-reranker-base',
  });
  expect(kb.rerank).toBe('compatible:BAAI/bge-reranker-base');

  const byDefault = await search(kb.id, { query: 'rules for the company', topK: 3 });
  const optedOut = await search(kb.id, { query: 'rules for the company', topK: 3, rerank: 'none' });

  expect(byDefault.body.items[0].title).toBe('Expense policy');
  expect(byDefault.body.rerank.provider).toBe('compatible');
  expect(byDefault.body.items).toHaveLength(3);
  expect(optedOut.body.rerank).toBeUndefined();
  expect(calls.some((c) => c.path === '/v1/rerank' && c.body.texts?.length >= 3)).toBe(true);
});

test('the LLM reranker: the simulator keeps the order deterministically; a real model reorders', async () => {
  const query = 'rules for the company';
  const plain = await search(semantic.id, { query, topK: 5 });
  const sim1 = await search(semantic.id, { query, topK: 5, rerank: 'llm:simulator:judge' });
  const sim2 = await search(semantic.id, { query, topK: 5, rerank: 'llm:simulator:judge' });
  const real = await search(semantic.id, { query, topK: 5, rerank: 'llm:compatible:ranker-7b' });

  expect(titleOf(sim1.body.items)).toEqual(titleOf(plain.body.items));
  expect(sim2.body.items).toEqual(sim1.body.items);
  expect(sim1.body.rerank).toMatchObject({ provider: 'simulator', simulated: true, moved: 0 });
  expect(real.body.rerank).toMatchObject({ provider: 'compatible', simulated: false });
  expect(real.body.items[0].title).toBe('Expense policy');
  const rows = rowsOf<{ provider: string; n: number; out: number }>(
    await stack.platform.db.owner.execute(
      sql`select provider, count(*)::int as n, max(output_tokens)::int as out from usage_records
          where model in ('judge', 'ranker-7b') group by provider order by provider`,
    ),
  );
  expect(rows).toEqual([
    { provider: 'compatible', n: 1, out: 9 },
    { provider: 'simulator', n: 2, out: expect.any(Number) },
  ]);
});

test('a failing reranker keeps the fused order and says why; bad refs are 400s naming the field', async () => {
  const down = await search(semantic.id, {
    query: 'holidays',
    topK: 3,
    rerank: 'llm:simulator:down',
  });
  expect(down.status).toBe(200);
  expect(down.body.rerank.error).toMatch(/^ProviderUnavailable/);
  expect(down.body.items.map((h: any) => h.fusedRank)).toEqual([1, 2, 3]);

  const bad = await search(semantic.id, { query: 'holidays', rerank: 'magic:thing' });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body.error.details)).toMatch(/rerank/);
  const deep = await search(semantic.id, {
    query: 'holidays',
    rerank: 'llm:simulator:x',
    offset: 99,
    topK: 5,
  });
  expect(deep.status).toBe(400);
  expect(deep.body.error.details[0].path).toBe('offset');
  const noKb = await stack.call('POST', '/v1/knowledge-bases', {
    token,
    body: { name: 'x', rerank: 'cohere:' },
  });
  expect(noKb.status).toBe(400);
});

test('a self-hosted OpenAI-compatible embedder with its stated 1024 dimensions', async () => {
  const missing = await stack.call('POST', '/v1/knowledge-bases', {
    token,
    body: { name: 'ollama', embeddingModel: 'compatible:mxbai-embed-large' },
  });
  expect(missing.status).toBe(400);
  expect(missing.body.error.details[0].path).toBe('dimensions');

  const kb = await createBase({
    name: 'ollama',
    embeddingModel: 'compatible:mxbai-embed-large',
    dimensions: 1024,
  });
  expect(kb.dimensions).toBe(1024);
  const docs = await stack.call('GET', `/v1/knowledge-bases/${kb.id}/documents`, { token });
  expect(docs.body.items.every((d: any) => d.status === 'ready')).toBe(true);
  const res = await search(kb.id, { query: 'Expenses?', topK: 2, mode: 'vector' });
  expect(res.status).toBe(200);
  // The fake embeds by first letter; chunks are embedded with their heading ("Expense policy…").
  expect(res.body.items[0].title).toBe('Expense policy');
  const embedCall = calls.find((c) => c.path === '/v1/embeddings');
  expect(embedCall?.body.model).toBe('mxbai-embed-large');
  expect(embedCall?.body.dimensions).toBeUndefined();
});

/**
 * The HTTP rerankers against a loopback server: Voyage's and Jina's request and answer shapes,
 * failures classified like model calls (429 with Retry-After → ProviderThrottled, 401 → auth, a
 * garbled answer → ProviderUnavailable) with the key never in a message; partial rankings complete.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configureOutbound } from '../../../shared/net/outbound';
import { createHttpReranker } from '../../../shared/rag/rerank/providers';
import { completeOrder, parseRerankRef } from '../../../shared/rag/rerank/types';

let server: Server;
let base: string;
let reply: { status: number; body: unknown; headers?: Record<string, string> };
const seen: Array<{ url?: string; body: any; auth?: string }> = [];

beforeAll(async () => {
  // The fake is on loopback, which the guarded client allows only when told (the local runtime).
  configureOutbound({ allowLoopback: true, allow: [] });
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      seen.push({ url: req.url, body: JSON.parse(raw), auth: req.headers.authorization });
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const KEY = 'sk-rerank-secret-98765';
const docs = ['alpha', 'beta', 'gamma'];

test('voyage: top_k and data[] with usage tokens; jina: top_n and results[]', async () => {
  reply = {
    status: 200,
    body: {
      data: [
        { index: 2, relevance_score: 0.9 },
        { index: 0, relevance_score: 0.2 },
      ],
      usage: { total_tokens: 42 },
    },
  };
  const voyage = createHttpReranker(parseRerankRef('voyage:rerank-2'), {
    baseUrl: base,
    apiKey: KEY,
  });
  const out = await voyage.rerank({ query: 'q', documents: docs });
  expect(seen.at(-1)).toMatchObject({
    url: '/v1/rerank',
    body: { model: 'rerank-2', query: 'q', documents: docs, top_k: 3 },
    auth: `Bearer ${KEY}`,
  });
  expect(out.order.map((o) => o.index)).toEqual([2, 0, 1]);
  expect(out.inputTokens).toBe(42);

  reply = { status: 200, body: { results: [{ index: 1, relevance_score: 0.5 }] } };
  const jina = createHttpReranker(parseRerankRef('jina:jina-reranker-v2-base-multilingual'), {
    baseUrl: `${base}/`,
    apiKey: KEY,
  });
  expect((await jina.rerank({ query: 'q', documents: docs })).order[0].index).toBe(1);
  expect(seen.at(-1)?.body.top_n).toBe(3);
});

test('failures are named like model calls and never carry the key', async () => {
  const cohere = createHttpReranker(parseRerankRef('cohere:rerank-v3.5'), {
    baseUrl: base,
    apiKey: KEY,
  });

  reply = { status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '7' } };
  const throttled = await cohere.rerank({ query: 'q', documents: docs }).catch((e) => e);
  reply = { status: 401, body: { message: `invalid api token ${KEY}` } };
  const auth = await cohere.rerank({ query: 'q', documents: docs }).catch((e) => e);
  reply = { status: 200, body: { unexpected: true, results: 'nope' } };
  const garbled = await cohere.rerank({ query: 'q', documents: docs }).catch((e) => e);

  expect(throttled.name).toBe('ProviderThrottled');
  expect(throttled.retryAfterMs ?? throttled.retryAfterSeconds).toBeTruthy();
  expect(auth.name).toBe('ProviderAuthError');
  expect(String(auth.message)).not.toContain(KEY);
  expect(garbled.name).toBe('ProviderUnavailable');
  expect(seen.at(-1)?.url).toBe('/v2/rerank');
});

test('the guarded client refuses a reranker on a private address as a permanent error', async () => {
  configureOutbound({ allowLoopback: false, allow: [] });
  try {
    const internal = createHttpReranker(parseRerankRef('compatible:bge'), { baseUrl: base });
    const refused = await internal.rerank({ query: 'q', documents: docs }).catch((e) => e);
    expect(refused.name).toBe('InvalidRequest');
    expect(refused.message).toMatch(/destination refused/);
  } finally {
    configureOutbound({ allowLoopback: true, allow: [] });
  }
});

test('refs are validated with the field named; partial rankings are completed in fused order', () => {
  expect(parseRerankRef('llm:openai:gpt-4.1-mini')).toEqual({
    ref: 'llm:openai:gpt-4.1-mini',
    provider: 'llm',
    model: 'openai:gpt-4.1-mini',
  });
  expect(() => parseRerankRef('rerank-everything')).toThrow(/unsupported reranker/);
  expect(
    completeOrder(
      [
        { index: 2, score: 1 },
        { index: 2, score: 0.5 },
        { index: 9, score: 3 },
      ],
      3,
    ),
  ).toEqual([
    { index: 2, score: 1 },
    { index: 0, score: 0 },
    { index: 1, score: -1 },
  ]);
});

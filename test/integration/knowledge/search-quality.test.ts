/**
 * Search quality on the committed labelled set (test/fixtures/rag/search-set.ts) with the local
 * embedder: hybrid (RRF of vector + full text) must beat both vector-only and text-only on MRR.
 * The figures are also printed by bench/rag-quality.ts and recorded in docs/benchmarks.md.
 */
import { meanReciprocalRank, type Mode } from '../../fixtures/rag/evaluate';
import { INGEST_SEARCH_SET_TIMEOUT_MS, ingestSearchSet } from '../../fixtures/rag/ingest';
import { DOCS } from '../../fixtures/rag/search-set';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let kbId: string;
let keyOf: Map<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
  ({ kbId, keyOf } = await ingestSearchSet(stack, token));
}, INGEST_SEARCH_SET_TIMEOUT_MS);
afterAll(async () => stack?.close());

const ranker = (mode: Mode) => async (query: string) => {
  const res = await stack.call('POST', `/v1/knowledge-bases/${kbId}/search`, {
    token,
    body: { query, topK: 10, mode },
  });
  expect(res.status).toBe(200);
  return res.body.items.map((h: any) => keyOf.get(h.documentId)!);
};

test('every labelled document is ingested', async () => {
  const docs = await stack.call('GET', `/v1/knowledge-bases/${kbId}/documents?limit=200`, {
    token,
  });
  expect(docs.body.items).toHaveLength(DOCS.length);
  expect(docs.body.items.every((d: any) => d.status === 'ready')).toBe(true);
});

test('hybrid beats vector-only and text-only on MRR with the local embedder', async () => {
  // Act
  const hybrid = await meanReciprocalRank(ranker('hybrid'));
  const vector = await meanReciprocalRank(ranker('vector'));
  const text = await meanReciprocalRank(ranker('text'));

  // Assess (figures recorded in docs/benchmarks.md)
  process.stdout.write(
    `MRR@10 hybrid ${hybrid.mrr.toFixed(3)} vector ${vector.mrr.toFixed(3)} text ${text.mrr.toFixed(3)}\n`,
  );
  expect(hybrid.mrr).toBeGreaterThan(vector.mrr);
  expect(hybrid.mrr).toBeGreaterThan(text.mrr);
  expect(hybrid.mrr).toBeGreaterThan(0.7);
});

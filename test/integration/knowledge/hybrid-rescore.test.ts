/**
 * Hybrid search scores the text candidates the approximate vector scan missed by their exact
 * distance (ADR 150). An approximate scan that misses is made certain here: the base's HNSW index
 * (halfvec, as the search scans) is swapped for an IVFFlat index of two lists probed once, over two well separated clusters, so
 * the scan returns only the query's own cluster. The one chunk that matches the query's words
 * lies in the other cluster, nearer the query than the rest of it: exactly, it is the 31st
 * nearest chunk (inside the 40 vector candidates), so exact hybrid gives it vector rank 31.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { searchChunks, vectorLiteral } from '../../../shared/rag/search';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let tenantId: string;
let kbId: string;
const DIMS = 384;
const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
/** `a`·e0 + `b`·e_i: the query is e0, one cluster sits near it, the other near −e0. */
const vec = (a: number, i: number, b: number) =>
  unit(Array.from({ length: DIMS }, (_, k) => (k === 0 ? a : k === i ? b : 0)));
const QUERY = vec(1, 0, 0);

beforeAll(async () => {
  stack = await startTestStack();
  const token = await stack.adminToken();
  tenantId = (await stack.call('GET', '/v1/me', { token })).body.tenant.id;
  kbId = (await stack.call('POST', '/v1/knowledge-bases', { token, body: { name: 'clusters' } }))
    .body.id;
  const docId = randomUUID();
  const rows = [
    ...Array.from({ length: 30 }, (_, i) => ({ t: `alpha note ${i}`, e: vec(1, i + 1, 0.1) })),
    ...Array.from({ length: 29 }, (_, i) => ({ t: `omega note ${i}`, e: vec(-1, i + 40, 0.1) })),
    // cos 0.6 with −e0 (its cluster), −0.6 with the query: nearer than the other 29.
    { t: 'the bluefin launch code', e: vec(-0.6, 100, 0.8) },
  ].map((r, o) => ({ o, t: r.t, e: vectorLiteral(r.e) }));
  const db = stack.platform.db.owner;
  await db.execute(sql`insert into documents (id, tenant_id, knowledge_base_id, title, source, status, generation, live_generation, chunk_count)
    values (${docId}::uuid, ${tenantId}::uuid, ${kbId}::uuid, 'Clusters', 'text', 'ready', 1, 1, ${rows.length}::int)`);
  await db.execute(sql`insert into chunks (tenant_id, knowledge_base_id, document_id, generation, ordinal, text, text_hash, start_offset, end_offset, dims, embedding)
    select ${tenantId}::uuid, ${kbId}::uuid, ${docId}::uuid, 1, v.o, v.t, v.t, 0, length(v.t), ${DIMS}, v.e::vector
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(o int, t text, e text)`);
  await db.execute(sql.raw('DROP INDEX chunks_embedding_384_half'));
  await db.execute(
    sql.raw(
      `CREATE INDEX chunks_embedding_384_ivf ON chunks USING ivfflat ((embedding::halfvec(${DIMS})) halfvec_cosine_ops) WITH (lists = 2) WHERE dims = ${DIMS}`,
    ),
  );
});
afterAll(async () => stack?.close());

const search = (mode: 'hybrid' | 'vector', rescoreTextCandidates?: boolean) =>
  stack.platform.db.withTenant({ tenantId }, async (tx) => {
    // The ordered index scan (one list), not an exact sort of 60 rows.
    await tx.execute(sql.raw('SET LOCAL enable_seqscan = off'));
    await tx.execute(sql.raw('SET LOCAL enable_sort = off'));
    await tx.execute(sql.raw('SET LOCAL ivfflat.probes = 1'));
    return searchChunks(tx, {
      knowledgeBaseId: kbId,
      dimensions: DIMS,
      query: 'bluefin launch',
      vector: QUERY,
      topK: 60,
      mode,
      rescoreTextCandidates,
    });
  });

test('the approximate scan here misses the other cluster, the text match with it', async () => {
  const hits = await search('vector');

  expect(hits).toHaveLength(30);
  expect(hits.every((h) => h.text.startsWith('alpha'))).toBe(true);
});

test('hybrid gives the missed text match its exact vector rank; unrescored it has none', async () => {
  // Act
  const rescored = await search('hybrid');
  const approximate = await search('hybrid', false);
  const exactRank = rowsOf<{ r: number }>(
    await stack.platform.db.owner.execute(sql`select count(*)::int + 1 as r from chunks
      where knowledge_base_id = ${kbId}::uuid and embedding::vector(384) <=> ${vectorLiteral(QUERY)}::vector(384)
        < (select embedding::vector(384) <=> ${vectorLiteral(QUERY)}::vector(384) from chunks
           where knowledge_base_id = ${kbId}::uuid and text = 'the bluefin launch code')`),
  )[0].r;

  // Assess
  const hit = rescored.find((h) => h.text === 'the bluefin launch code');
  const before = approximate.find((h) => h.text === 'the bluefin launch code');
  expect(exactRank).toBe(31);
  expect(hit).toMatchObject({ textRank: 1, vectorRank: 31 });
  expect(before?.textRank).toBe(1);
  expect(before?.vectorRank).toBeUndefined();
  expect(hit?.score).toBeCloseTo(1 / 61 + 1 / 91, 10);
  expect(rescored[0].text).toBe('the bluefin launch code');
  expect(rescored.filter((h) => h.vectorRank !== undefined)).toHaveLength(31);
});

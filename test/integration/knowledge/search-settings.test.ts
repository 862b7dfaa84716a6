/**
 * The HNSW settings of a search (ef_search, iterative scan) are set inside the search statement
 * (ADR 166): a sub-select gating the index scan, which must run before the scan reads its first
 * tuple. Made observable with two bases of one tenant sharing the 384-dimension index: the
 * searched base's five chunks lie far from the query, the other base's 200 near it, so a scan
 * of 40 candidates (ef_search 40) finds only the other base's chunks and the base filter drops
 * them all. Only the iterative scan (`relaxed_order`), set before the scan starts, reaches the
 * searched base's chunks.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../../shared/db/client';
import { searchChunks, vectorLiteral } from '../../../shared/rag/search';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let tenantId: string;
let nearKb: string;
let farKb: string;
const DIMS = 384;
const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
/** `a`·e0 + `b`·e_i: the query is e0; the near base sits around it, the far one around −e0. */
const vec = (a: number, i: number, b: number) =>
  unit(Array.from({ length: DIMS }, (_, k) => (k === 0 ? a : k === i ? b : 0)));
const QUERY = vec(1, 0, 0);

beforeAll(async () => {
  stack = await startTestStack();
  const token = await stack.adminToken();
  tenantId = (await stack.call('GET', '/v1/me', { token })).body.tenant.id;
  const create = async (name: string) =>
    (await stack.call('POST', '/v1/knowledge-bases', { token, body: { name } })).body.id as string;
  nearKb = await create('near');
  farKb = await create('far');
  const db = stack.platform.db.owner;
  const load = async (kb: string, n: number, a: number) => {
    const docId = randomUUID();
    const rows = Array.from({ length: n }, (_, o) => ({
      o,
      t: `note ${o}`,
      e: vectorLiteral(vec(a, 1 + (o % 300), 0.2 + (o % 7) / 10)),
    }));
    await db.execute(sql`insert into documents (id, tenant_id, knowledge_base_id, title, source, status, generation, live_generation, chunk_count)
      values (${docId}::uuid, ${tenantId}::uuid, ${kb}::uuid, 'Doc', 'text', 'ready', 1, 1, ${n}::int)`);
    await db.execute(sql`insert into chunks (tenant_id, knowledge_base_id, document_id, generation, ordinal, text, text_hash, start_offset, end_offset, dims, embedding)
      select ${tenantId}::uuid, ${kb}::uuid, ${docId}::uuid, 1, v.o, v.t, v.t, 0, length(v.t), ${DIMS}, v.e::vector
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(o int, t text, e text)`);
  };
  await load(nearKb, 200, 1);
  await load(farKb, 5, -1);
});
afterAll(async () => stack?.close());

/**
 * The ordered HNSW scan, not an exact sort of 205 rows (the disabled plans' costs would start
 * PostgreSQL's JIT compiler, seconds for nothing).
 */
const scanOnly = async (tx: Tx) => {
  await tx.execute(sql.raw('SET LOCAL jit = off'));
  await tx.execute(sql.raw('SET LOCAL enable_seqscan = off'));
  await tx.execute(sql.raw('SET LOCAL enable_bitmapscan = off'));
  await tx.execute(sql.raw('SET LOCAL enable_sort = off'));
};

test('without the settings the scan of 40 candidates finds nothing of the far base', async () => {
  const rows = await stack.platform.db.withTenant({ tenantId }, async (tx) => {
    await scanOnly(tx);
    await tx.execute(sql.raw('SET LOCAL hnsw.ef_search = 40'));
    return rowsOf<{ id: string }>(
      await tx.execute(sql`SELECT c.id FROM chunks c
        WHERE c.dims = ${DIMS} AND c.knowledge_base_id = ${farKb}::uuid
        ORDER BY c.embedding::halfvec(${sql.raw(String(DIMS))}) <=> ${vectorLiteral(QUERY)}::halfvec(${sql.raw(String(DIMS))})
        LIMIT 40`),
    );
  });

  expect(rows).toHaveLength(0);
});

test.each([
  ['inside the search statement', false],
  ['in a statement of their own', true],
])(
  'with the settings %s the search reaches the far base and ef_search is set',
  async (_, settingsStatement) => {
    const out = await stack.platform.db.withTenant({ tenantId }, async (tx) => {
      await scanOnly(tx);
      const hits = await searchChunks(tx, {
        knowledgeBaseId: farKb,
        dimensions: DIMS,
        query: 'note',
        vector: QUERY,
        topK: 10,
        mode: 'vector',
        efSearch: 40,
        settingsStatement,
      });
      const ef = rowsOf<{ ef: string }>(
        await tx.execute(sql`SELECT current_setting('hnsw.ef_search') AS ef`),
      )[0].ef;
      return { hits, ef };
    });

    expect(out.hits).toHaveLength(5);
    expect(out.ef).toBe('40');
  },
);

/**
 * The full-text half of hybrid search ranks at most a budget of rows per coverage tier
 * (chunk_text_search, migration 0005, ADR 034). While every match fits the budget the ranking is
 * exact; with a budget far below the matches it narrows to chunks matching more query terms and
 * still fills the candidate list.
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { INGEST_SEARCH_SET_TIMEOUT_MS, ingestSearchSet } from '../../fixtures/rag/ingest';
import { QUERIES } from '../../fixtures/rag/search-set';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let tenantId: string;
let kbId: string;

beforeAll(async () => {
  stack = await startTestStack();
  const token = await stack.adminToken();
  tenantId = (await stack.call('GET', '/v1/me', { token })).body.tenant.id;
  ({ kbId } = await ingestSearchSet(stack, token));
}, INGEST_SEARCH_SET_TIMEOUT_MS);
afterAll(async () => stack?.close());

const textSearch = (query: string, limit: number, budget: number) =>
  stack.platform.db.withTenant({ tenantId }, async (tx) =>
    rowsOf<{ id: string; rank: number }>(
      await tx.execute(
        sql`select id, rank from chunk_text_search(${kbId}::uuid, ${query}::text, ${limit}::int, null, null, ${budget}::int)`,
      ),
    ),
  );

const anyTermMatches = (query: string) =>
  stack.platform.db.withTenant(
    { tenantId },
    async (tx) =>
      rowsOf<{ n: number }>(
        await tx.execute(sql`select count(*)::int as n from chunks
      where knowledge_base_id = ${kbId}::uuid and tsv @@ replace(plainto_tsquery('english', ${query})::text, ' & ', ' | ')::tsquery`),
      )[0].n,
  );

test('within the budget the ranking is exact: every match, best first', async () => {
  const query = 'rotate API keys and revoke refresh tokens';
  const all = await textSearch(query, 1000, 1000);

  expect(all.length).toBe(await anyTermMatches(query));
  expect(all.map((r) => Number(r.rank))).toEqual(
    [...all.map((r) => Number(r.rank))].sort((x, y) => y - x),
  );
});

test('a budget far below the matches keeps the best-covered chunks on top and still fills the list', async () => {
  // Arrange: queries with more any-term matches than the budget
  const budget = 4;
  const limit = 5;
  const broad: string[] = [];
  for (const q of QUERIES) if ((await anyTermMatches(q.query)) > budget + 1) broad.push(q.query);
  expect(broad.length).toBeGreaterThan(5);

  // Act
  let overlap = 0;
  let topSame = 0;
  for (const query of broad) {
    const exact = await textSearch(query, limit, 1_000_000);
    const bounded = await textSearch(query, limit, budget);
    // Assess: a full list, best first, and the ranks are the exact ts_rank values
    expect(bounded).toHaveLength(Math.min(limit, exact.length));
    expect(bounded.map((r) => Number(r.rank))).toEqual(
      [...bounded.map((r) => Number(r.rank))].sort((x, y) => y - x),
    );
    if (Number(bounded[0].rank) === Number(exact[0].rank)) topSame++;
    const exactIds = new Set(exact.map((r) => r.id));
    overlap += bounded.filter((r) => exactIds.has(r.id)).length / exact.length;
  }
  process.stdout.write(
    `bounded text search (budget ${budget}): top score kept ${topSame}/${broad.length}, top-${limit} overlap ${(overlap / broad.length).toFixed(2)}\n`,
  );
  expect(topSame / broad.length).toBeGreaterThan(0.9);
});

/**
 * A tenant cannot reach another tenant's knowledge: not through the API (bases, documents,
 * search in every mode) and not through SQL either, because row-level security covers chunks.
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { embedLocal } from '../../../shared/rag/embedders/local';
import { searchChunks } from '../../../shared/rag/search';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let a: { token: string; tenantId: string; kbId: string; docId: string };
let b: { token: string; tenantId: string; kbId: string; docId: string };
const SECRET = 'The xylophone-omega launch code for project bluefin is 7781.';

async function tenantWithDoc(token: string, text: string) {
  const tenantId = (await stack.call('GET', '/v1/me', { token })).body.tenant.id;
  const kbId = (
    await stack.call('POST', '/v1/knowledge-bases', { token, body: { name: 'private' } })
  ).body.id;
  const docId = (
    await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
      token,
      body: { title: 'Private notes', text },
    })
  ).body.id;
  return { token, tenantId, kbId, docId };
}

beforeAll(async () => {
  stack = await startTestStack();
  a = await tenantWithDoc(await stack.adminToken(), SECRET);
  b = await tenantWithDoc(
    (await stack.signup('Rival')).accessToken,
    'Our own notes about launches and projects and codes.',
  );
  await stack.executions.idle();
});
afterAll(async () => stack?.close());

test("another tenant's base, documents and search answer 404", async () => {
  const calls = await Promise.all([
    stack.call('GET', `/v1/knowledge-bases/${a.kbId}`, { token: b.token }),
    stack.call('GET', `/v1/knowledge-bases/${a.kbId}/documents`, { token: b.token }),
    stack.call('GET', `/v1/knowledge-bases/${a.kbId}/documents/${a.docId}`, { token: b.token }),
    stack.call('POST', `/v1/knowledge-bases/${a.kbId}/search`, {
      token: b.token,
      body: { query: 'xylophone-omega launch code' },
    }),
    stack.call('POST', `/v1/knowledge-bases/${a.kbId}/documents`, {
      token: b.token,
      body: { title: 'x', text: 'planted' },
    }),
    stack.call('POST', `/v1/knowledge-bases/${a.kbId}/documents/${a.docId}/ingest`, {
      token: b.token,
    }),
    stack.call('DELETE', `/v1/knowledge-bases/${a.kbId}/documents/${a.docId}`, { token: b.token }),
  ]);
  const list = await stack.call('GET', '/v1/knowledge-bases', { token: b.token });
  const stillThere = await stack.call('GET', `/v1/knowledge-bases/${a.kbId}/documents/${a.docId}`, {
    token: a.token,
  });

  expect(calls.map((c) => c.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
  expect(list.body.items.map((k: any) => k.id)).toEqual([b.kbId]);
  expect(stillThere.body.status).toBe('ready');
});

test("no query in any mode returns another tenant's chunks", async () => {
  const queries = ['xylophone-omega launch code', 'bluefin 7781', 'launch code project', SECRET];
  const texts: string[] = [];
  for (const query of queries) {
    for (const mode of ['hybrid', 'vector', 'text']) {
      const res = await stack.call('POST', `/v1/knowledge-bases/${b.kbId}/search`, {
        token: b.token,
        body: { query, mode, topK: 50 },
      });
      expect(res.status).toBe(200);
      texts.push(...res.body.items.map((h: any) => h.text));
    }
  }
  expect(texts.length).toBeGreaterThan(0);
  expect(texts.some((t) => t.includes('xylophone'))).toBe(false);
});

test("row-level security hides another tenant's chunks even from a query that names its base", async () => {
  // Act: the search SQL itself, as tenant B, pointed at tenant A's knowledge base
  const viaSearch = await stack.platform.db.withTenant({ tenantId: b.tenantId }, (tx) =>
    searchChunks(tx, {
      knowledgeBaseId: a.kbId,
      dimensions: 384,
      query: 'xylophone-omega launch code',
      vector: embedLocal(SECRET),
      topK: 50,
    }),
  );
  const visible = await stack.platform.db.withTenant({ tenantId: b.tenantId }, async (tx) =>
    rowsOf<{ tenant_id: string }>(await tx.execute(sql`select tenant_id from chunks`)),
  );
  const planted = await stack.platform.db
    .withTenant({ tenantId: b.tenantId }, (tx) =>
      tx.execute(sql`insert into chunks (tenant_id, knowledge_base_id, document_id, generation, ordinal, text, text_hash, start_offset, end_offset, dims)
                   values (${a.tenantId}::uuid, ${a.kbId}::uuid, ${a.docId}::uuid, 1, 99, 'planted', 'x', 0, 7, 384)`),
    )
    .then(
      () => 'inserted',
      (e) => String(e?.cause?.message ?? e?.message),
    );
  const ownerView = rowsOf<{ n: number }>(
    await stack.platform.db.owner.execute(
      sql`select count(*)::int as n from chunks where knowledge_base_id = ${a.kbId}::uuid`,
    ),
  );

  // Assess
  expect(viaSearch).toEqual([]);
  expect(visible.length).toBeGreaterThan(0);
  expect(new Set(visible.map((r) => r.tenant_id))).toEqual(new Set([b.tenantId]));
  expect(planted).toMatch(/row-level security/);
  expect(ownerView[0].n).toBe(1);
});

test('the full-text candidate function applies the tenant itself, whatever its arguments', async () => {
  // Arrange: a budget of 1 row forces the coverage-tier path as well as the exact one
  const call = (tenantId: string | null, kbId: string, budget: number) => {
    const run = async (tx: Parameters<Parameters<typeof stack.platform.db.withoutTenant>[0]>[0]) =>
      rowsOf<{ id: string }>(
        await tx.execute(
          sql`select id from chunk_text_search(${kbId}::uuid, 'xylophone-omega launch code bluefin', 50, null, null, ${budget}::int)`,
        ),
      );
    return tenantId
      ? stack.platform.db.withTenant({ tenantId }, run)
      : stack.platform.db.withoutTenant(run);
  };

  // Act
  const own = await call(a.tenantId, a.kbId, 1000);
  const crossExact = await call(b.tenantId, a.kbId, 1000);
  const crossTiers = await call(b.tenantId, a.kbId, 1);
  const noTenant = await call(null, a.kbId, 1000);

  // Assess
  expect(own.length).toBeGreaterThan(0);
  expect(crossExact).toEqual([]);
  expect(crossTiers).toEqual([]);
  expect(noTenant).toEqual([]);
});

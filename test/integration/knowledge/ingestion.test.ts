/**
 * Ingestion through statemachines/ingest-document.asl.json in aws-local-stepfunctions, with the
 * real task handlers, uploads to the local S3 engine through presigned URLs, and PGlite (or
 * DATABASE_URL).
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { corruptPdf, makePdf } from '../../fixtures/rag/pdf';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let tenantId: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
  tenantId = (await stack.call('GET', '/v1/me', { token })).body.tenant.id;
});
afterAll(async () => stack?.close());

async function kb(embeddingModel = 'local', chunking = { size: 300, overlap: 60 }) {
  const res = await stack.call('POST', '/v1/knowledge-bases', {
    token,
    body: { name: `kb ${embeddingModel}`, embeddingModel, chunking },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function settled(kbId: string, docId: string) {
  await stack.executions.idle();
  return (await stack.call('GET', `/v1/knowledge-bases/${kbId}/documents/${docId}`, { token }))
    .body;
}

async function upload(
  kbId: string,
  filename: string,
  contentType: string,
  bytes: Buffer,
  title?: string,
) {
  const created = await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: { filename, contentType, ...(title ? { title } : {}) },
  });
  expect(created.status).toBe(201);
  const put = await fetch(created.body.uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: new Uint8Array(bytes),
  });
  expect(put.status).toBe(200);
  return created.body.id as string;
}

const q = async <T>(query: ReturnType<typeof sql>) =>
  rowsOf<T>(await stack.platform.db.owner.execute(query));

/** ~80 chunks of 300 characters: two embedding batches of 64. */
function longMarkdown(sections: number): string {
  return Array.from(
    { length: sections },
    (_, s) =>
      `## Section ${s}\n\n${Array.from({ length: 4 }, (_, p) => `Paragraph ${p} of section ${s} talks about subject-${s}-${p} in some detail. It has a second sentence for good measure.`).join('\n\n')}`,
  ).join('\n\n');
}

test('API text is chunked by structure, embedded, indexed and found by search with exact offsets', async () => {
  // Prepare
  const kbId = await kb();
  const text =
    '# Deploy guide\n\nRun the migrations before you deploy. The zanzibar flag enables blue-green rollout.\n\n## Rollback\n\nTo roll back, redeploy the previous version.\n\n```sh\nnpx cdk deploy --rollback\n```';

  // Act
  const created = await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: { title: 'Deploy', text },
  });
  const doc = await settled(kbId, created.body.id);
  const list = await stack.call('GET', `/v1/knowledge-bases/${kbId}/documents`, { token });
  const search = await stack.call('POST', `/v1/knowledge-bases/${kbId}/search`, {
    token,
    body: { query: 'what does the zanzibar flag do?', topK: 3 },
  });

  // Assess
  expect(created.status).toBe(202);
  expect(created.body.status).toBe('queued');
  expect(doc).toMatchObject({ status: 'ready', chunkCount: 2 });
  expect(list.body.items.map((d: any) => d.id)).toContain(created.body.id);
  expect(search.status).toBe(200);
  const top = search.body.items[0];
  expect(top).toMatchObject({ documentId: created.body.id, title: 'Deploy' });
  expect(top.text).toContain('zanzibar');
  expect(text.slice(top.start, top.end)).toBe(top.text);
  const rollback = (
    await stack.call('POST', `/v1/knowledge-bases/${kbId}/search`, {
      token,
      body: { query: 'rollback', topK: 1 },
    })
  ).body.items[0];
  expect(rollback.heading).toBe('Deploy › Deploy guide › Rollback');
  expect(rollback.text).toContain('npx cdk deploy --rollback');
});

test('a batch that fails twice is retried on its own by the ASL, and the document ends ready', async () => {
  // Prepare: local:flaky-2 throttles batch 0 on its first two attempts
  const kbId = await kb('local:flaky-2');

  // Act
  const created = await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: { title: 'Long', text: longMarkdown(40) },
  });
  const doc = await settled(kbId, created.body.id);

  // Assess
  expect(doc.status).toBe('ready');
  expect(doc.chunkCount).toBeGreaterThan(64);
  const batches = await q<{
    batch: number;
    attempts: number;
    status: string;
    last_error: string | null;
  }>(
    sql`select batch, attempts, status, last_error from embedding_batches where document_id = ${doc.id}::uuid order by batch`,
  );
  expect(batches.map((b) => [b.batch, b.attempts, b.status])).toEqual([
    [0, 3, 'succeeded'],
    [1, 1, 'succeeded'],
  ]);
  expect(batches[0].last_error).toContain('ProviderThrottled');
  const usage = await q<{ outcome: string; error_name: string | null; input_tokens: number }>(
    sql`select outcome, error_name, input_tokens from usage_records where execution_id like ${`%${doc.id}%#0`} order by attempt`,
  );
  expect(usage.map((u) => [u.outcome, u.error_name])).toEqual([
    ['error', 'ProviderThrottled'],
    ['error', 'ProviderThrottled'],
    ['success', null],
  ]);
  const [{ missing }] = await q<{ missing: number }>(
    sql`select count(*)::int as missing from chunks where document_id = ${doc.id}::uuid and embedding is null`,
  );
  expect(missing).toBe(0);
});

test('a permanent embedding failure fails the document with the error name and reason', async () => {
  const kbId = await kb('local:fail');

  const created = await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: { title: 'Doomed', text: 'Some text that will never be embedded.' },
  });
  const doc = await settled(kbId, created.body.id);

  expect(doc.status).toBe('failed');
  expect(doc.error).toMatch(/^ProviderAuthError: local:fail: scripted permanent failure/);
  const [{ n }] = await q<{ n: number }>(
    sql`select count(*)::int as n from chunks where document_id = ${doc.id}::uuid`,
  );
  expect(n).toBe(0);
});

test('uploads: a PDF is extracted and searchable; a corrupt PDF uploaded alongside fails alone with a clear reason', async () => {
  // Prepare
  const kbId = await kb();
  const good = await upload(
    kbId,
    'manual.pdf',
    'application/pdf',
    makePdf([
      'Quokka service manual.',
      'The quokka daemon listens on port 4242 and rotates logs nightly.',
    ]),
  );
  const bad = await upload(kbId, 'broken.pdf', 'application/pdf', corruptPdf());
  const html = await upload(
    kbId,
    'page.html',
    'text/html',
    Buffer.from(
      '<html><head><script>var x=1</script></head><body><h1>Walrus FAQ</h1><p>Walruses &amp; tusks.</p></body></html>',
    ),
  );

  // Act: ingestion starts explicitly after the PUT (ADR 032)
  const started = await Promise.all(
    [good, bad, html].map((id) =>
      stack.call('POST', `/v1/knowledge-bases/${kbId}/documents/${id}/ingest`, { token }),
    ),
  );
  const [g, b, h] = await Promise.all([good, bad, html].map((id) => settled(kbId, id)));
  const hit = await stack.call('POST', `/v1/knowledge-bases/${kbId}/search`, {
    token,
    body: { query: 'which port does the quokka daemon listen on', topK: 1 },
  });

  // Assess
  expect(started.map((s) => s.status)).toEqual([202, 202, 202]);
  expect(g).toMatchObject({ status: 'ready', chunkCount: 1, filename: 'manual.pdf' });
  expect(b.status).toBe('failed');
  expect(b.error).toMatch(/not a readable PDF/);
  expect(h.status).toBe('ready');
  expect(hit.body.items[0]).toMatchObject({ documentId: good });
  expect(hit.body.items[0].text).toContain('port 4242');
  const htmlHit = (
    await stack.call('POST', `/v1/knowledge-bases/${kbId}/search`, {
      token,
      body: { query: 'walrus tusks', topK: 1 },
    })
  ).body.items[0];
  expect(htmlHit.text).toBe('# Walrus FAQ\n\nWalruses & tusks.');
});

test('ingest before the upload is a 409; an unsupported file type fails with the reason', async () => {
  const kbId = await kb();
  const created = await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: { filename: 'x.bin', contentType: 'application/octet-stream' },
  });

  const early = await stack.call(
    'POST',
    `/v1/knowledge-bases/${kbId}/documents/${created.body.id}/ingest`,
    { token },
  );
  await fetch(created.body.uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: Buffer.from([1, 2, 3]),
  });
  await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents/${created.body.id}/ingest`, {
    token,
  });
  const doc = await settled(kbId, created.body.id);

  expect(early.status).toBe(409);
  expect(doc.status).toBe('failed');
  expect(doc.error).toMatch(/unsupported file type application\/octet-stream/);
});

test('the same content is detected by hash and not embedded again', async () => {
  // Prepare
  const kbId = await kb();
  const text = longMarkdown(3);
  const first = await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: { title: 'Original', text },
  });
  await settled(kbId, first.body.id);
  const tokensBefore = await q<{ n: number }>(
    sql`select count(*)::int as n from usage_records where tenant_id = ${tenantId}::uuid and provider = 'local'`,
  );

  // Act: the same text again, the same file uploaded under the same title, and a re-ingest of that upload
  const again = await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: { title: 'Copy', text },
  });
  const uploaded = await upload(
    kbId,
    'original.md',
    'text/markdown',
    Buffer.from(text),
    'Original',
  );
  await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents/${uploaded}/ingest`, { token });
  const up = await settled(kbId, uploaded);
  await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents/${uploaded}/ingest`, { token });
  const reingested = await settled(kbId, uploaded);
  const tokensAfter = await q<{ n: number }>(
    sql`select count(*)::int as n from usage_records where tenant_id = ${tenantId}::uuid and provider = 'local'`,
  );

  // Assess
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ id: first.body.id, duplicate: true });
  expect(up.status).toBe('ready');
  expect(up.reusedChunkCount).toBe(up.chunkCount);
  expect(reingested).toMatchObject({ status: 'ready', chunkCount: up.chunkCount });
  expect(tokensAfter[0].n).toBe(tokensBefore[0].n);
});

test('deleting a document removes its chunks and its hits', async () => {
  const kbId = await kb();
  const created = await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: { title: 'Ephemeral', text: 'The ocelot migration runs every Tuesday.' },
  });
  await settled(kbId, created.body.id);

  const del = await stack.call(
    'DELETE',
    `/v1/knowledge-bases/${kbId}/documents/${created.body.id}`,
    { token },
  );
  const search = await stack.call('POST', `/v1/knowledge-bases/${kbId}/search`, {
    token,
    body: { query: 'ocelot migration' },
  });
  const [{ n }] = await q<{ n: number }>(
    sql`select count(*)::int as n from chunks where document_id = ${created.body.id}::uuid`,
  );
  const gone = await stack.call('GET', `/v1/knowledge-bases/${kbId}/documents/${created.body.id}`, {
    token,
  });

  expect(del.status).toBe(204);
  expect(search.body.items).toEqual([]);
  expect(n).toBe(0);
  expect(gone.status).toBe(404);
});

test('bad input gets a 400 naming the field', async () => {
  const badModel = await stack.call('POST', '/v1/knowledge-bases', {
    token,
    body: { name: 'x', embeddingModel: 'openai:gpt-4.1' },
  });
  const badChunking = await stack.call('POST', '/v1/knowledge-bases', {
    token,
    body: { name: 'x', chunking: { size: 200, overlap: 150 } },
  });
  const kbId = await kb();
  const badSearch = await stack.call('POST', `/v1/knowledge-bases/${kbId}/search`, {
    token,
    body: { query: '', topK: 500 },
  });

  expect(badModel.status).toBe(400);
  expect(badModel.body.error.details[0].path).toBe('embeddingModel');
  expect(badChunking.status).toBe(400);
  expect(badChunking.body.error.details[0].path).toBe('chunking.overlap');
  expect(badSearch.status).toBe(400);
});

test('a browser can PUT to the presigned URL: the documents bucket answers the CORS preflight', async () => {
  const kbId = await kb();
  const created = await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: { filename: 'notes.md', contentType: 'text/markdown' },
  });

  const preflight = await fetch(created.body.uploadUrl, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://127.0.0.1:3000',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type',
    },
  });

  expect(preflight.status).toBe(200);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
});

test('a used-up tenant budget stops provider embeddings before any call; the local embedder is free and unaffected', async () => {
  // Prepare: a fresh tenant (budgets are per tenant) with a monthly budget of $0
  const tenant = await stack.signup('Frugal');
  const t = tenant.accessToken;
  expect(
    (await stack.call('PUT', '/v1/budgets', { token: t, body: { monthlyLimitUsd: 0 } })).status,
  ).toBe(200);
  const paid = (
    await stack.call('POST', '/v1/knowledge-bases', {
      token: t,
      body: { name: 'paid', embeddingModel: 'openai:text-embedding-3-small' },
    })
  ).body.id;
  const free = (
    await stack.call('POST', '/v1/knowledge-bases', {
      token: t,
      body: { name: 'free', embeddingModel: 'local' },
    })
  ).body.id;

  // Act
  const a = await stack.call('POST', `/v1/knowledge-bases/${paid}/documents`, {
    token: t,
    body: { title: 'Costly', text: 'Text for a paid embedding model.' },
  });
  const b = await stack.call('POST', `/v1/knowledge-bases/${free}/documents`, {
    token: t,
    body: { title: 'Free', text: 'Text for the free local embedder.' },
  });
  await stack.executions.idle();
  const [costly, cheap] = await Promise.all([
    stack.call('GET', `/v1/knowledge-bases/${paid}/documents/${a.body.id}`, { token: t }),
    stack.call('GET', `/v1/knowledge-bases/${free}/documents/${b.body.id}`, { token: t }),
  ]);

  // Assess: refused by the budget (not by the missing OpenAI key, which a call would have hit)
  expect(costly.body.status).toBe('failed');
  expect(costly.body.error).toMatch(/^BudgetExceeded: monthly tenant budget of \$0\.00 is used up/);
  expect(cheap.body.status).toBe('ready');
});

/**
 * Ingestion throughput through the whole pipeline: the local platform (same handlers, the
 * ingest-document ASL in aws-local-stepfunctions) on the PostgreSQL at DATABASE_URL (PGlite when
 * unset, labelled), local embedder. Prints chunks/s end to end next to the embedder alone and the
 * chunker alone in the same run, so the share of each stage is visible.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/hishamos_rag npx tsx bench/rag-ingest.ts [documents=40] [sections=60]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocal } from '../infra/local/runtime';
import { chunkText } from '../shared/rag/chunk';
import { embedLocal } from '../shared/rag/embedders/local';

const DOCS = Number(process.argv[2] ?? 40);
const SECTIONS = Number(process.argv[3] ?? 60);
const root = join(import.meta.dirname, '..');
const dataDir = await mkdtemp(join(tmpdir(), 'hishamos-rag-ingest-'));
const password = 'bench-admin-password';

const words =
  'deploy rollback cluster snapshot tenant budget provider token chunk index vector search webhook trigger agent workflow approval retry backoff latency'.split(
    ' ',
  );
const para = (d: number, s: number, p: number) =>
  `Paragraph ${p} of section ${s} in document ${d}: ${Array.from({ length: 40 }, (_, i) => words[(d * 7 + s * 3 + p + i * i) % words.length]).join(' ')}.`;
const doc = (d: number) =>
  Array.from(
    { length: SECTIONS },
    (_, s) => `## Section ${s}\n\n${[0, 1, 2].map((p) => para(d, s, p)).join('\n\n')}`,
  ).join('\n\n');
const texts = Array.from({ length: DOCS }, (_, d) => doc(d));

const rt = await startLocal({
  root,
  dataDir,
  port: 0,
  seed: true,
  env: {
    ...process.env,
    HISHAMOS_PGLITE_MEMORY: '1',
    HISHAMOS_ADMIN_PASSWORD: password,
    LOG_LEVEL: 'warn',
  },
});
try {
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${rt.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.json() as Promise<any>;
  };
  const { accessToken } = await call('POST', '/v1/auth/login', undefined, {
    email: 'admin@localhost',
    password,
    tenant: 'demo',
  });
  const kb = await call('POST', '/v1/knowledge-bases', accessToken, {
    name: `bench ${Date.now()}`,
    embeddingModel: 'local',
    chunking: { size: 1000, overlap: 150 },
  });

  const t0 = performance.now();
  for (const [i, text] of texts.entries())
    await call('POST', `/v1/knowledge-bases/${kb.id}/documents`, accessToken, {
      title: `Doc ${i}`,
      text,
    });
  await rt.executions.idle();
  const seconds = (performance.now() - t0) / 1000;
  const docs = (await call('GET', `/v1/knowledge-bases/${kb.id}/documents?limit=200`, accessToken))
    .items as any[];
  const chunks = docs.reduce((n, d) => n + d.chunkCount, 0);
  const failed = docs.filter((d) => d.status !== 'ready').length;

  const c0 = performance.now();
  const pieces = texts.flatMap((t) =>
    chunkText(t, { size: 1000, overlap: 150 }).map((c) => c.text),
  );
  const chunkSeconds = (performance.now() - c0) / 1000;
  const e0 = performance.now();
  for (const p of pieces) embedLocal(p);
  const embedSeconds = (performance.now() - e0) / 1000;

  console.log(
    `database: ${rt.platform.db.driver === 'pg' ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (embedded; set DATABASE_URL for the real figure)'}`,
  );
  console.log(
    `${DOCS} documents, ${chunks} chunks (${failed} not ready), ${(texts.join('').length / 1e6).toFixed(1)} MB of text`,
  );
  console.log('| stage | chunks/s | share of end-to-end time |');
  console.log('| --- | --- | --- |');
  console.log(
    `| end to end (API → ASL → extract, chunk, embed batches, index) | ${Math.round(chunks / seconds)} | 100% |`,
  );
  console.log(
    `| chunker alone | ${Math.round(pieces.length / chunkSeconds)} | ${((chunkSeconds / seconds) * 100).toFixed(1)}% |`,
  );
  console.log(
    `| local embedder alone | ${Math.round(pieces.length / embedSeconds)} | ${((embedSeconds / seconds) * 100).toFixed(1)}% |`,
  );
} finally {
  await rt.close();
  await rm(dataDir, { recursive: true, force: true });
}

/**
 * Retrieval quality on labelled sets, through the real API and ingestion (local platform, PGlite in
 * memory, or PostgreSQL when DATABASE_URL is set): MRR@10 and recall@10 for full text, vector
 * (each offline embedder) and hybrid, with and without reranking.
 *
 *   npx tsx bench/rag-quality.ts [squad|handbook|meaning] [rerankers=local:align]
 *
 * Sets: `squad` (default) is a public slice no one here wrote: SQuAD 2.0 dev, 5 articles, 173
 * paragraphs as documents, the first answerable question of each as its query
 * (test/fixtures/rag/squad-slice.json, CC BY-SA 4.0); `handbook` and `meaning` are this
 * repository's own sets (test/fixtures/rag). Provider embedders/rerankers are measured the same
 * way by adding keys to the environment and their refs to the arguments.
 */
import { readFileSync } from 'node:fs';
import { startTestStack } from '../test/support/stack';
import { MEANING_QUERIES, POLICY_DOCS } from '../test/fixtures/rag/meaning-set';
import {
  DOCS,
  QUERIES,
  type LabelledDoc,
  type LabelledQuery,
} from '../test/fixtures/rag/search-set';

const setName = process.argv[2] ?? 'squad';
const rerankers = (process.argv[3] ?? 'local:align').split(',').filter(Boolean);
const embedders = (process.env.EMBEDDERS ?? 'local,local-semantic').split(',');

function load(): { docs: LabelledDoc[]; queries: LabelledQuery[]; source: string } {
  if (setName === 'handbook') return { docs: DOCS, queries: QUERIES, source: 'handbook (own)' };
  if (setName === 'meaning')
    return { docs: POLICY_DOCS, queries: MEANING_QUERIES, source: 'meaning set (own)' };
  const raw = JSON.parse(
    readFileSync(new URL('../test/fixtures/rag/squad-slice.json', import.meta.url), 'utf8'),
  );
  return { docs: raw.docs, queries: raw.queries, source: raw.source };
}

const { docs, queries, source } = load();
const stack = await startTestStack();
try {
  const token = await stack.adminToken();
  const keyOf = new Map<string, string>();
  const kbs: Record<string, string> = {};
  for (const model of embedders) {
    const kb = await stack.call('POST', '/v1/knowledge-bases', {
      token,
      body: { name: `${setName} ${model}`, embeddingModel: model },
    });
    kbs[model] = kb.body.id;
    for (const d of docs) {
      const res = await stack.call('POST', `/v1/knowledge-bases/${kb.body.id}/documents`, {
        token,
        body: { title: d.title, text: d.text },
      });
      keyOf.set(res.body.id, d.key);
    }
  }
  await stack.executions.idle();

  const evaluate = async (kbId: string, mode: string, rerank?: string) => {
    let rr = 0;
    let hits = 0;
    let moved = 0;
    for (const q of queries) {
      const res = await stack.call('POST', `/v1/knowledge-bases/${kbId}/search`, {
        token,
        body: {
          query: q.query,
          topK: 10,
          mode,
          rerank: rerank ?? 'none',
          ...(rerank ? { rerankCandidates: 30 } : {}),
        },
      });
      if (res.status !== 200) throw new Error(`search failed: ${JSON.stringify(res.body)}`);
      moved += res.body.rerank?.moved ?? 0;
      const ranked = [
        ...new Set(res.body.items.map((h: { documentId: string }) => keyOf.get(h.documentId))),
      ].slice(0, 10);
      const rank = ranked.findIndex((k) => q.relevant.includes(String(k)));
      if (rank >= 0) {
        rr += 1 / (rank + 1);
        hits++;
      }
    }
    return { mrr: rr / queries.length, recall: hits / queries.length, moved };
  };

  console.log(`\n${source}: ${docs.length} documents, ${queries.length} queries, top 10`);
  console.log('| ranking | embedder | reranker | MRR@10 | recall@10 | candidates moved / query |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const row = (
    mode: string,
    model: string,
    rerank: string | undefined,
    r: Awaited<ReturnType<typeof evaluate>>,
  ) =>
    console.log(
      `| ${mode} | ${mode === 'text' ? '–' : model} | ${rerank ?? 'none'} | ${r.mrr.toFixed(3)} | ${r.recall.toFixed(3)} | ${rerank ? (r.moved / queries.length).toFixed(1) : '–'} |`,
    );
  for (const rerank of [undefined, ...rerankers]) {
    row('text', embedders[0], rerank, await evaluate(kbs[embedders[0]], 'text', rerank));
    for (const model of embedders)
      for (const mode of ['vector', 'hybrid'])
        row(mode, model, rerank, await evaluate(kbs[model], mode, rerank));
  }
} finally {
  await stack.close();
}

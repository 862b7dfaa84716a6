/**
 * Search at 100k chunks on real PostgreSQL + pgvector (DATABASE_URL): p50/p95 of the hybrid query
 * and of vector-only ANN, and ANN recall@10 against an exact scan of the same rows, at two
 * ef_search settings. Synthetic corpus (Zipf-distributed pseudo-words), local embedder, one
 * knowledge base, queries through row-level security as the application role.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/hishamos_rag npx tsx bench/rag-search.ts [chunks=100000] [queries=200]
 *
 * RAG_BENCH_KEEP=1 keeps the generated tenant (slug `rag-bench-<chunks>-<ef_construction>`) and a
 * later run with the same arguments reuses it instead of loading again (the PRNG regenerates the
 * same texts and queries); without it the bench tenant is deleted at the end.
 *
 * Every run also times the hybrid default before ADR 166 (the baseline) and prints each row's p50
 * and p95 as ratios to it, so runs on a busy and a quiet machine compare. RAG_BENCH_VECTOR_EF,
 * RAG_BENCH_TEXT and RAG_BENCH_HYBRID choose the rows (see below); RAG_BENCH_REPS repeats them.
 *
 * Loading is bounded: multi-row INSERT … SELECT FROM jsonb_to_recordset in batches of 2 000 with the
 * vector and GIN indexes dropped, then one index build (halfvec HNSW as migration 0151, m=16,
 * ef_construction from the third argument, parallel workers).
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf } from '../shared/db/client';
import { migrate } from '../shared/db/migrate';
import { embedLocal } from '../shared/rag/embedders/local';
import {
  candidateCount,
  EF_SEARCH,
  RRF_K,
  searchChunks,
  TEXT_BUDGET,
  vectorLiteral,
} from '../shared/rag/search';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to a PostgreSQL database with pgvector');
const CHUNKS = Number(process.argv[2] ?? 100_000);
const QUERIES = Number(process.argv[3] ?? 200);
/** HNSW build parameter; migration 0004 uses 128 (see docs/benchmarks.md for the comparison). */
const EF_CONSTRUCTION = Number(process.argv[4] ?? 128);
const PER_DOC = 100;
const UNBOUNDED = 1_000_000_000;
const BATCH = 2_000;

// Deterministic PRNG (mulberry32) so every run searches the same corpus.
let seed = 42;
const rand = () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const SYL = [
  'ka',
  'lo',
  'mi',
  'ren',
  'tas',
  'vo',
  'quil',
  'dor',
  'pe',
  'zan',
  'eth',
  'ul',
  'bri',
  'nox',
  'sa',
  'tem',
  'gri',
  'fal',
];
// The most frequent ranks are real English function words (removed by the english text search
// configuration, as in real text); the rest are pseudo-words.
const FUNCTION_WORDS =
  'the of and to a in is it that was for on are with as be at by this from or have an they which one you were all we when there can your each she do how their if will up out many then them so some her would make like him into has two more no way could my than first been who its now people'.split(
    ' ',
  );
const VOCAB = [
  ...FUNCTION_WORDS,
  ...Array.from({ length: 8_000 }, () =>
    Array.from(
      { length: 2 + Math.floor(rand() * 3) },
      () => SYL[Math.floor(rand() * SYL.length)],
    ).join(''),
  ),
];
const zipf = () =>
  VOCAB[Math.min(VOCAB.length - 1, Math.floor(Math.exp(rand() * Math.log(VOCAB.length))) - 1)];
// Documents are topical, as real corpora are: each document draws 60% of its words from its topic's
// own 80-word vocabulary and the rest from the global Zipf distribution.
const TOPICS = Array.from({ length: 250 }, () =>
  Array.from(
    { length: 80 },
    () =>
      VOCAB[FUNCTION_WORDS.length + Math.floor(rand() * (VOCAB.length - FUNCTION_WORDS.length))],
  ),
);
let topic = TOPICS[0];
const word = () => (rand() < 0.6 ? topic[Math.floor(rand() * topic.length)] : zipf());
const sentence = (n: number) => Array.from({ length: n }, word).join(' ');

const ms = (t0: number) => performance.now() - t0;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const db = await openDatabase({ driver: 'pg', url, max: 4 });
await migrate(db.owner, join(import.meta.dirname, '..', 'shared', 'db', 'migrations'));
const KEEP = process.env.RAG_BENCH_KEEP === '1';
const slug = `rag-bench-${CHUNKS}-${EF_CONSTRUCTION}`;
const kept = rowsOf<{ tenant_id: string; kb_id: string; n: number }>(
  await db.owner.execute(sql`select t.id as tenant_id, k.id as kb_id,
  (select count(*)::int from chunks c where c.knowledge_base_id = k.id) as n
  from tenants t join knowledge_bases k on k.tenant_id = t.id where t.slug = ${slug}`),
)[0];
const reuse = KEEP && kept?.n === CHUNKS;
if (kept && !reuse) await db.owner.execute(sql`delete from tenants where slug = ${slug}`);
const tenantId = reuse ? kept.tenant_id : randomUUID();
const kbId = reuse ? kept.kb_id : randomUUID();
if (!reuse) {
  await db.owner.execute(
    sql`insert into tenants (id, slug, name) values (${tenantId}, ${KEEP ? slug : `bench-${tenantId.slice(0, 8)}`}, 'rag bench')`,
  );
  await db.owner.execute(
    sql`insert into knowledge_bases (id, tenant_id, name, embedding_model, dimensions, chunk_size, chunk_overlap) values (${kbId}, ${tenantId}, 'bench', 'local', 384, 1000, 150)`,
  );
}

try {
  const texts: string[] = [];
  if (reuse) {
    console.log(`reusing the kept ${CHUNKS}-chunk bench tenant ${slug}`);
    for (let j = 0; j < CHUNKS; j++) {
      if (j % PER_DOC === 0) topic = TOPICS[Math.floor(rand() * TOPICS.length)];
      texts.push(`${sentence(12)}. ${sentence(14)}. ${sentence(10)}.`);
    }
  } else {
    console.log(`generating ${CHUNKS} chunks (${CHUNKS / PER_DOC} documents) …`);
    let t0 = performance.now();
    const docIds = Array.from({ length: Math.ceil(CHUNKS / PER_DOC) }, () => randomUUID());
    for (let i = 0; i < docIds.length; i += 500) {
      const rows = docIds.slice(i, i + 500).map((id, k) => ({ id, t: `Document ${i + k}` }));
      await db.owner.execute(sql`insert into documents (id, tenant_id, knowledge_base_id, title, source, status, generation, live_generation, chunk_count)
      select v.id, ${tenantId}::uuid, ${kbId}::uuid, v.t, 'text', 'ready', 1, 1, ${PER_DOC}::int from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, t text)`);
    }
    await db.owner.execute(sql.raw('DROP INDEX IF EXISTS chunks_embedding_384_half'));
    await db.owner.execute(sql.raw('DROP INDEX IF EXISTS chunks_tsv'));
    let embedMs = 0;
    for (let i = 0; i < CHUNKS; i += BATCH) {
      const rows = [];
      for (let j = i; j < Math.min(CHUNKS, i + BATCH); j++) {
        if (j % PER_DOC === 0) topic = TOPICS[Math.floor(rand() * TOPICS.length)];
        const text = `${sentence(12)}. ${sentence(14)}. ${sentence(10)}.`;
        texts.push(text);
        const e0 = performance.now();
        const v = embedLocal(text);
        embedMs += ms(e0);
        rows.push({
          d: docIds[Math.floor(j / PER_DOC)],
          o: j % PER_DOC,
          t: text,
          x: String(j),
          e: vectorLiteral(v),
        });
      }
      await db.owner.execute(sql`insert into chunks (tenant_id, knowledge_base_id, document_id, generation, ordinal, text, text_hash, start_offset, end_offset, dims, embedding)
      select ${tenantId}::uuid, ${kbId}::uuid, v.d, 1, v.o, v.t, v.x, 0, length(v.t), 384, v.e::vector
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(d uuid, o int, t text, x text, e text)`);
    }
    const loadMs = ms(t0);
    console.log(
      `loaded in ${(loadMs / 1000).toFixed(1)} s (local embedding ${(embedMs / 1000).toFixed(1)} s, ${Math.round(CHUNKS / (embedMs / 1000))} chunks/s)`,
    );

    t0 = performance.now();
    await db.owner.transaction(async (tx) => {
      await tx.execute(sql.raw(`SET LOCAL maintenance_work_mem = '1GB'`));
      await tx.execute(sql.raw('SET LOCAL max_parallel_maintenance_workers = 2'));
      await tx.execute(
        sql.raw(
          `CREATE INDEX chunks_embedding_384_half ON chunks USING hnsw ((embedding::halfvec(384)) halfvec_cosine_ops) WITH (m = 16, ef_construction = ${EF_CONSTRUCTION}) WHERE dims = 384`,
        ),
      );
    });
    const hnswMs = ms(t0);
    t0 = performance.now();
    await db.owner.execute(sql.raw('CREATE INDEX chunks_tsv ON chunks USING gin (tsv)'));
    const ginMs = ms(t0);
    await db.owner.execute(sql.raw('ANALYZE chunks'));
    console.log(
      `HNSW build (m 16, ef_construction ${EF_CONSTRUCTION}) ${(hnswMs / 1000).toFixed(1)} s, GIN build ${(ginMs / 1000).toFixed(1)} s`,
    );
  }

  // Queries: 4-7 words of a random chunk, shuffled, with one unrelated word (a realistic partial match).
  const queries = Array.from({ length: QUERIES }, () => {
    const words = texts[Math.floor(rand() * texts.length)].replace(/\./g, '').split(' ');
    const start = Math.floor(rand() * (words.length - 7));
    return [...words.slice(start, start + 4 + Math.floor(rand() * 4)), zipf()]
      .sort(() => rand() - 0.5)
      .join(' ');
  });
  const scope = { tenantId };
  const CAND = candidateCount(10);
  const search = (
    query: string,
    mode: 'hybrid' | 'vector' | 'text',
    efSearch?: number,
    textBudget?: number,
    rescoreTextCandidates?: boolean,
    settingsStatement?: boolean,
  ) =>
    db.withTenant(scope, (tx) =>
      searchChunks(tx, {
        knowledgeBaseId: kbId,
        dimensions: 384,
        query,
        vector: embedLocal(query),
        topK: 10,
        mode,
        efSearch,
        textBudget,
        rescoreTextCandidates,
        settingsStatement,
      }),
    );
  // Exact references: the CAND nearest chunks by a sequential scan, and the full-text ranking of
  // every chunk matching any query term (chunk_text_search with an unlimited budget = migration
  // 0004's behaviour), fused exactly as searchChunks fuses (RRF, ties: vector rank, text rank, id).
  const exactVector = (query: string) =>
    db.withTenant(scope, async (tx) => {
      await tx.execute(sql.raw('SET LOCAL enable_indexscan = off'));
      await tx.execute(sql.raw('SET LOCAL enable_bitmapscan = off'));
      return rowsOf<{ id: string }>(
        await tx.execute(sql`select id from chunks where knowledge_base_id = ${kbId} and dims = 384
      order by embedding::vector(384) <=> ${vectorLiteral(embedLocal(query))}::vector(384), id limit ${CAND}`),
      ).map((r) => r.id);
    });
  const exactText = (query: string) =>
    db.withTenant(scope, async (tx) =>
      rowsOf<{ id: string; rank: number }>(
        await tx.execute(
          sql`select id, rank from chunk_text_search(${kbId}::uuid, ${query}::text, ${CAND}::int, null, null, ${UNBOUNDED}::int)`,
        ),
      ),
    );
  const fuse = (vec: string[], txt: { id: string; rank: number }[]) => {
    const rows = new Map<string, { id: string; v?: number; t?: number; score: number }>();
    vec.forEach((id, i) => rows.set(id, { id, v: i + 1, score: 1 / (RRF_K + i + 1) }));
    txt.forEach((row, i) => {
      let r = i + 1;
      while (r > 1 && Number(txt[r - 2].rank) === Number(row.rank)) r--; // rank(): ties share the first rank
      const hit = rows.get(row.id) ?? { id: row.id, score: 0 };
      hit.t = r;
      hit.score += 1 / (RRF_K + r);
      rows.set(row.id, hit);
    });
    return [...rows.values()]
      .sort(
        (x, y) =>
          y.score - x.score ||
          (x.v ?? 1e9) - (y.v ?? 1e9) ||
          (x.t ?? 1e9) - (y.t ?? 1e9) ||
          (x.id < y.id ? -1 : 1),
      )
      .slice(0, 10)
      .map((h) => h.id);
  };
  for (const q of queries.slice(0, 10)) await search(q, 'hybrid'); // warm the caches
  if (process.env.EXPLAIN) {
    // Prints the plan of one hybrid query (diagnostics only).
    await db.withTenant(scope, (tx) =>
      searchChunks(
        new Proxy(tx, {
          get: (t, k) =>
            k === 'execute'
              ? async (q: any) => {
                  const text = JSON.stringify(q);
                  if (!text.includes('fused AS')) return t.execute(q);
                  console.log(
                    rowsOf<any>(await t.execute(sql`EXPLAIN (ANALYZE, BUFFERS) ${q}`))
                      .map((r) => r['QUERY PLAN'])
                      .join('\n'),
                  );
                  return { rows: [] };
                }
              : (t as any)[k],
        }),
        {
          knowledgeBaseId: kbId,
          dimensions: 384,
          query: queries[0],
          vector: embedLocal(queries[0]),
          topK: 10,
          mode: 'hybrid',
        },
      ),
    );
  }

  const exactTimes: number[] = [];
  const exactVec: string[][] = [];
  const exactHybrid: string[][] = [];
  const exactTxt: string[][] = [];
  for (const q of queries) {
    const s = performance.now();
    exactVec.push(await exactVector(q));
    exactTimes.push(ms(s));
    const txt = await exactText(q);
    exactTxt.push(txt.slice(0, 10).map((r) => r.id));
    exactHybrid.push(fuse(exactVec[exactVec.length - 1], txt));
  }
  // Every configuration runs once per query, round robin, so load from elsewhere on the machine
  // affects them alike and the ratios of one run compare.
  type Config = {
    name: string;
    mode: 'hybrid' | 'vector' | 'text';
    ef?: number;
    budget?: number;
    rescore?: boolean;
    settingsStatement?: boolean;
  };
  // The hybrid default before ADR 166 (ef_search 400, budget 1 000, text candidates rescored, the
  // HNSW settings in a statement of their own): every run times it, and each row's last two
  // columns are its ratio to this baseline, so a re-run on a quieter machine compares directly.
  const BASELINE =
    'hybrid, ef 400, text budget 1000, settings statement (baseline: before ADR 166)';
  const configs: Config[] = [
    ...(process.env.RAG_BENCH_VECTOR_EF ?? '40,100,200,300,400,800')
      .split(',')
      .map(Number)
      .map(
        (ef): Config => ({
          name: `HNSW vector, ef_search ${ef}${ef === EF_SEARCH.vector ? ' (vector default)' : ''}`,
          mode: 'vector',
          ef,
        }),
      ),
    // RAG_BENCH_TEXT=budget,… the text-only rows (0: unbounded, as migration 0004).
    ...(process.env.RAG_BENCH_TEXT ?? `0,${TEXT_BUDGET}`)
      .split(',')
      .map(Number)
      .map(
        (budget): Config => ({
          name: budget ? `text only, budget ${budget}` : 'text only, unbounded (migration 0004)',
          mode: 'text',
          budget: budget || UNBOUNDED,
        }),
      ),
    {
      name: BASELINE,
      mode: 'hybrid',
      ef: 400,
      budget: 1000,
      rescore: true,
      settingsStatement: true,
    },
    // RAG_BENCH_HYBRID=ef:budget[:flags],… narrows the sweep (a run on a busy machine should be
    // short); budget 0 is unbounded (migration 0004); flag `a` leaves the text candidates the HNSW scan missed unscored (before ADR 150),
    // `s` sets the HNSW settings in a statement of their own (before ADR 166).
    ...(process.env.RAG_BENCH_HYBRID ?? '100:0:a,100:1000:a,300:1000,400:1000,400:500,400:300')
      .split(',')
      .map((spec) => spec.split(':'))
      .map(([ef, budget, flags = '']): Config => {
        const rescore = !flags.includes('a');
        const settingsStatement = flags.includes('s');
        const isDefault =
          Number(ef) === EF_SEARCH.hybrid &&
          Number(budget) === TEXT_BUDGET &&
          rescore &&
          !settingsStatement;
        return {
          name: `hybrid, ef ${ef}, text ${Number(budget) ? `budget ${budget}` : 'unbounded'}, ${rescore ? 'text candidates rescored' : 'approximate vector half'}${settingsStatement ? ', settings statement' : ''}${isDefault ? ' (hybrid default)' : ''}`,
          mode: 'hybrid',
          ef: Number(ef),
          budget: Number(budget) || UNBOUNDED,
          rescore,
          settingsStatement,
        };
      }),
  ];
  const times = configs.map(() => [] as number[]);
  const found = configs.map(() => 0);
  // RAG_BENCH_REPS repeats the whole round robin (latency from every repetition, recall from the
  // first: the results are deterministic); the load average is printed with the figures.
  const REPS = Number(process.env.RAG_BENCH_REPS ?? 1);
  const loadBefore = loadavg();
  for (let rep = 0; rep < REPS; rep++)
    for (const [i, q] of queries.entries()) {
      for (const [c, cfg] of configs.entries()) {
        const s = performance.now();
        const hits = await search(
          q,
          cfg.mode,
          cfg.ef,
          cfg.budget,
          cfg.rescore,
          cfg.settingsStatement,
        );
        times[c].push(ms(s));
        if (rep > 0) continue;
        const truth = new Set(
          cfg.mode === 'vector'
            ? exactVec[i].slice(0, 10)
            : cfg.mode === 'text'
              ? exactTxt[i]
              : exactHybrid[i],
        );
        found[c] += hits.filter((h) => truth.has(h.chunkId)).length;
      }
    }
  const loadAfter = loadavg();
  const results: Record<string, { p50: number; p95: number; recall?: number }> = {
    'exact scan (vector, no index)': {
      p50: pct(exactTimes, 50),
      p95: pct(exactTimes, 95),
      recall: 1,
    },
  };
  configs.forEach((cfg, c) => {
    results[cfg.name] = {
      p50: pct(times[c], 50),
      p95: pct(times[c], 95),
      recall: found[c] / (queries.length * 10),
    };
  });

  console.log(
    `\n${CHUNKS} chunks × 384 dims, ${QUERIES} queries × ${REPS} repetitions, top 10, through RLS (application role)`,
  );
  const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  console.log(
    `load average (1/5/15 min) before the timed queries ${la(loadBefore)}, after ${la(loadAfter)} (${new Date().toISOString()}, shared 2-core machine)`,
  );
  console.log(
    'recall@10: vector rows against the exact nearest 10; text rows against the full ranking of every match (ties by id); hybrid rows against exact hybrid (exact nearest 40 + the full-text top 40 of every match ranked, fused by RRF)',
  );
  console.log(
    '| query | p50 ms | p95 ms | recall@10 vs exact | p50 vs exact scan | p95 vs vector default | p50 vs baseline | p95 vs baseline |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const base = results[configs.find((c) => c.mode === 'vector' && c.ef === EF_SEARCH.vector)!.name];
  const before = results[BASELINE];
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `| ${name} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.recall === undefined ? '–' : r.recall.toFixed(3)} | ${(r.p50 / results['exact scan (vector, no index)'].p50).toFixed(3)}× | ${(r.p95 / base.p95).toFixed(2)}× | ${(r.p50 / before.p50).toFixed(2)}× | ${(r.p95 / before.p95).toFixed(2)}× |`,
    );
  }
} finally {
  if (!KEEP) await db.owner.execute(sql`delete from tenants where id = ${tenantId}`);
  await db.close();
}

/**
 * Hybrid retrieval in one SQL statement: the k nearest chunks by cosine distance (the partial
 * half-precision HNSW index of the base's dimension, ranked by exact distance; text candidates the
 * scan missed are rescored, ADR 150) and the best full-text matches (GIN over `tsv`), each ranked,
 * then fused by reciprocal rank fusion: score = Σ 1 / (60 + rank) (Cormack et al. 2009). Only
 * chunks of a document's live generation are returned, so a re-ingestion never shows half a
 * document. Row-level security adds the tenant to every scan of `chunks` and `documents`.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { SearchHitT } from '../api/contracts/knowledge';
import { rowsOf, type Tx } from '../db/client';

/** Reciprocal rank fusion constant from the original paper; dampens the weight of the very top ranks. */
export const RRF_K = 60;

export type SearchMode = 'hybrid' | 'vector' | 'text';

export interface ChunkSearch {
  knowledgeBaseId: string;
  dimensions: number;
  query: string;
  /** Required unless mode is `text`. */
  vector?: number[];
  topK: number;
  offset?: number;
  mode?: SearchMode;
  documentIds?: string[];
  metadata?: Record<string, unknown>;
  /**
   * HNSW candidate list size (at least the candidates asked for). Defaults (`EF_SEARCH`): 400 in
   * vector mode (recall@10 ≥ 0.95 at 100k chunks), 350 in hybrid mode (recall@10 0.956 against
   * exact hybrid with the text candidates rescored, ~10 % faster than 400; ADR 150, ADR 166,
   * docs/benchmarks.md).
   */
  efSearch?: number;
  /**
   * Full-text rows ranked per coverage tier before the text half narrows to chunks matching more
   * query terms (chunk_text_search, migration 0005). Exact ranking while all matches fit.
   */
  textBudget?: number;
  /**
   * Hybrid only: rank the text candidates the HNSW scan missed by their exact distance among the
   * vector candidates (default true; ADR 150). `false` is the approximate vector half alone, kept
   * for the benchmark's comparison.
   */
  rescoreTextCandidates?: boolean;
  /**
   * Set the HNSW settings in a statement of their own before the search (before ADR 166), instead
   * of inside the search statement; kept for the benchmark's comparison.
   */
  settingsStatement?: boolean;
}

/** Default full-text ranking budget per tier; see docs/benchmarks.md for the latency/recall trade. */
export const TEXT_BUDGET = 1000;
/** Default HNSW ef_search per mode (see `efSearch`). */
export const EF_SEARCH = { vector: 400, hybrid: 350 } as const;

export function vectorLiteral(v: number[]): string {
  return `[${v.map((x) => (Number.isFinite(x) ? Number(x.toFixed(7)) : 0)).join(',')}]`;
}

/** How many candidates each ranker contributes before fusion. */
export function candidateCount(topK: number, offset = 0): number {
  return Math.min(400, Math.max(40, (topK + offset) * 4));
}

export async function searchChunks(tx: Tx, s: ChunkSearch): Promise<SearchHitT[]> {
  const mode = s.mode ?? 'hybrid';
  const cand = candidateCount(s.topK, s.offset);
  const ctes: SQL[] = [];
  if (mode !== 'vector') ctes.push(textHalf(s, cand));
  if (mode !== 'text') ctes.push(await vectorHalf(tx, s, mode, cand));
  // Materialised steps keep the plan small: ≤ 2 × candidates ids, then their rows by primary key,
  // then their documents (RLS applies to both joins).
  const result = await tx.execute(sql`WITH ${sql.join(ctes, sql`, `)},
    fused AS MATERIALIZED (${fusion(mode)}),
    hits AS MATERIALIZED (
      SELECT f.id, f.vrank, f.trank, f.score, c.document_id, c.generation, c.text, c.heading, c.start_offset, c.end_offset
      FROM fused f CROSS JOIN LATERAL (SELECT * FROM chunks c WHERE c.id = f.id) c)
    SELECT h.*, d.title FROM hits h
    CROSS JOIN LATERAL (SELECT d.title FROM documents d WHERE d.id = h.document_id AND d.live_generation = h.generation) d
    ORDER BY h.score DESC, h.vrank NULLS LAST, h.trank NULLS LAST, h.id
    LIMIT ${s.topK} OFFSET ${s.offset ?? 0}`);
  return rowsOf<Record<string, unknown>>(result).map(toHit);
}

/** The base, document and metadata filters of the vector half (the text half applies its own). */
function vectorFilters(s: ChunkSearch): SQL {
  const filters: SQL[] = [sql`c.knowledge_base_id = ${s.knowledgeBaseId}::uuid`];
  if (s.documentIds?.length) {
    // Only uuid characters survive, so the literal array cannot carry SQL.
    const ids = s.documentIds.map((id) => `'${id.replace(/[^0-9a-f-]/gi, '')}'`).join(',');
    filters.push(sql`c.document_id = ANY(${sql.raw(`ARRAY[${ids}]::uuid[]`)})`);
  }
  if (s.metadata && Object.keys(s.metadata).length)
    filters.push(
      sql`c.document_id IN (SELECT d2.id FROM documents d2 WHERE d2.knowledge_base_id = ${s.knowledgeBaseId}::uuid AND d2.metadata @> ${JSON.stringify(s.metadata)}::jsonb)`,
    );
  return sql.join(filters, sql` AND `);
}

/** The k nearest chunks on the base's partial HNSW index, ranked (`vr`). */
async function vectorHalf(
  tx: Tx,
  s: ChunkSearch,
  mode: 'hybrid' | 'vector',
  cand: number,
): Promise<SQL> {
  if (!s.vector) throw new Error('vector search needs a query vector');
  const dims = sql.raw(String(Math.trunc(s.dimensions)));
  const ef = Math.min(1000, Math.max(s.efSearch ?? EF_SEARCH[mode], cand));
  // pgvector ≥ 0.8's iterative scan keeps scanning the graph when filters (tenant, base,
  // documents) drop candidates.
  const settings = sql`set_config('hnsw.ef_search', ${String(ef)}, true) || set_config('hnsw.iterative_scan', 'relaxed_order', true)`;
  // Inside the search statement (ADR 166): a qual without columns is planned as a one-time filter
  // above the index scan, so its sub-select runs before the scan reads its first tuple, when
  // pgvector reads the settings. One round trip less per search (on the Data API, one HTTPS call).
  const gate = s.settingsStatement ? sql`` : sql` AND (SELECT ${settings}) IS NOT NULL`;
  if (s.settingsStatement) await tx.execute(sql`SELECT ${settings}`);
  const v = vectorLiteral(s.vector);
  // The scan orders by half-precision distance (the halfvec HNSW index, migration 0151); the
  // candidates it returns are ranked by their exact single-precision distance.
  const ann = sql`vec AS MATERIALIZED (
      SELECT c.id, c.embedding::vector(${dims}) <=> ${v}::vector(${dims}) AS dist FROM chunks c
      WHERE c.dims = ${dims} AND c.embedding IS NOT NULL AND ${vectorFilters(s)}${gate}
      ORDER BY c.embedding::halfvec(${dims}) <=> ${v}::halfvec(${dims}) LIMIT ${cand})`;
  if (mode === 'vector' || s.rescoreTextCandidates === false)
    return sql`${ann}, vr AS (SELECT id, row_number() OVER (ORDER BY dist, id) AS r FROM vec)`;
  // The fused top ranks are chunks found by both halves, and what the approximate scan loses
  // there is mostly a text candidate it missed. Its exact distance costs one primary-key read
  // per text candidate (≤ cand), so it takes the vector rank it would have among the candidates.
  return sql`${ann},
      vx AS MATERIALIZED (
        SELECT c.id, c.embedding::vector(${dims}) <=> ${v}::vector(${dims}) AS dist
        FROM txt t CROSS JOIN LATERAL (SELECT * FROM chunks c WHERE c.id = t.id) c
        WHERE c.dims = ${dims} AND c.embedding IS NOT NULL AND t.id NOT IN (SELECT id FROM vec)),
      vr AS (SELECT id, r FROM (
        SELECT id, row_number() OVER (ORDER BY dist, id) AS r
        FROM (SELECT id, dist FROM vec UNION ALL SELECT id, dist FROM vx) u) ranked
        WHERE r <= ${cand})`;
}

/**
 * The best full-text matches, ranked (`tr`). Any query term may match (OR): questions rarely
 * contain every word of the passage; the rank rewards chunks that match more terms, more often,
 * and in the heading. ts_rank without length normalisation ranked best of the variants tried on
 * the labelled set (docs/benchmarks.md). chunk_text_search (migration 0005, ADR 034) uses the GIN
 * index under RLS and ranks at most TEXT_BUDGET rows per coverage tier.
 */
function textHalf(s: ChunkSearch, cand: number): SQL {
  const docs = s.documentIds?.length ? JSON.stringify(s.documentIds) : null;
  const meta = s.metadata && Object.keys(s.metadata).length ? JSON.stringify(s.metadata) : null;
  const budget = Math.max(s.textBudget ?? TEXT_BUDGET, cand);
  return sql`txt AS MATERIALIZED (SELECT t.id, t.rank FROM chunk_text_search(${s.knowledgeBaseId}::uuid, ${s.query}::text, ${cand}::int, ${docs}::jsonb, ${meta}::jsonb, ${budget}::int) t),
      -- Equal text scores share a rank (common for short queries), so no chunk gets an arbitrary
      -- lead from its id; the vector side breaks the tie in the fusion.
      tr AS (SELECT id, rank() OVER (ORDER BY rank DESC) AS r FROM txt)`;
}

/** Reciprocal rank fusion of the halves present; one half alone keeps its own ranks. */
function fusion(mode: SearchMode): SQL {
  const k = sql.raw(String(RRF_K));
  if (mode === 'vector')
    return sql`SELECT id, r AS vrank, NULL::bigint AS trank, 1.0 / (${k} + r) AS score FROM vr`;
  if (mode === 'text')
    return sql`SELECT id, NULL::bigint AS vrank, r AS trank, 1.0 / (${k} + r) AS score FROM tr`;
  return sql`SELECT coalesce(vr.id, tr.id) AS id, vr.r AS vrank, tr.r AS trank,
      coalesce(1.0 / (${k} + vr.r), 0) + coalesce(1.0 / (${k} + tr.r), 0) AS score
    FROM vr FULL OUTER JOIN tr ON vr.id = tr.id`;
}

function toHit(r: Record<string, unknown>): SearchHitT {
  return {
    documentId: String(r.document_id),
    title: String(r.title),
    chunkId: String(r.id),
    text: String(r.text),
    heading: String(r.heading ?? ''),
    score: Number(r.score),
    start: Number(r.start_offset),
    end: Number(r.end_offset),
    ...(r.vrank != null ? { vectorRank: Number(r.vrank) } : {}),
    ...(r.trank != null ? { textRank: Number(r.trank) } : {}),
  };
}

/**
 * The retrieval pipeline every caller shares (the search API, the playground, agent steps with
 * knowledge bases, and the knowledge-search tool): embed the query (outside any transaction; it
 * may be a network call) → hybrid SQL (search.ts) → optional reranking of the fused candidates
 * (ADR 038) → the requested page. Provider embeddings and every rerank attempt are metered.
 */
import type { RerankTraceT, SearchHitT, SearchRequest } from '../api/contracts/knowledge';
import { ValidationError, isAppError } from '../errors';
import { assertTenantBudgetLeft } from '../llm/budgets';
import type { Platform } from '../platform/platform';
import { embedderFor } from './embedders';
import { loadKnowledgeBase, type KnowledgeBaseRow } from './knowledge-bases';
import { rerankerFor } from './rerank';
import { RERANK_CANDIDATES, RERANK_PASSAGE_CHARS } from './rerank/types';
import { searchChunks } from './search';
import { recordEmbeddingUsage, type EmbeddingUsage } from './usage';

export interface SearchScope {
  tenantId: string;
  userId?: string | null;
  /** Set when an agent step searches: its usage rows carry the run. */
  runId?: string;
  workflowId?: string;
}

/** Most fused candidates a reranker reads; pages beyond it cannot be reranked. */
export const MAX_RERANK_WINDOW = 100;

export interface SearchOutcome {
  items: SearchHitT[];
  mode: SearchRequest['mode'];
  embeddingModel: string;
  rerank?: RerankTraceT;
}

export async function searchKnowledgeBase(
  p: Platform,
  scope: SearchScope,
  id: string,
  body: SearchRequest,
): Promise<SearchOutcome> {
  const kb = await p.db.withTenant(scope, (tx) => loadKnowledgeBase(tx, id));
  const rerankRef = body.rerank === 'none' ? undefined : (body.rerank ?? kb.rerank ?? undefined);
  const offset = body.offset ?? 0;
  const window = rerankRef
    ? Math.max(body.rerankCandidates ?? RERANK_CANDIDATES, body.topK + offset)
    : 0;
  if (window > MAX_RERANK_WINDOW)
    throw new ValidationError('too deep a page to rerank', [
      {
        path: 'offset',
        message: `offset + topK must be at most ${MAX_RERANK_WINDOW} when reranking`,
      },
    ]);
  const query = body.mode === 'text' ? undefined : await embedQuery(p, scope, kb, body.query);
  const hits = await p.db.withTenant(scope, async (tx) => {
    if (query?.usage) await recordEmbeddingUsage(tx, query.usage);
    return searchChunks(tx, {
      knowledgeBaseId: kb.id,
      dimensions: kb.dimensions,
      query: body.query,
      vector: query?.vector,
      topK: rerankRef ? window : body.topK,
      offset: rerankRef ? 0 : offset,
      mode: body.mode,
      documentIds: body.filter?.documentIds,
      metadata: body.filter?.metadata,
    });
  });
  const base = { mode: body.mode, embeddingModel: kb.embeddingModel };
  if (!rerankRef) return { ...base, items: hits };
  const reranked = await rerankHits(p, scope, rerankRef, body.query, hits);
  return {
    ...base,
    items: reranked.items.slice(offset, offset + body.topK),
    rerank: reranked.trace,
  };
}

async function embedQuery(
  p: Platform,
  scope: SearchScope,
  kb: KnowledgeBaseRow,
  text: string,
): Promise<{ vector: number[]; usage?: EmbeddingUsage }> {
  const embedder = await embedderFor(p, scope.tenantId, kb.embeddingModel, kb.dimensions);
  const started = p.now();
  const out = await embedder.embed([text], 'query');
  // Local query embeddings are free and not metered; provider calls are.
  const usage =
    embedder.provider === 'local'
      ? undefined
      : {
          tenantId: scope.tenantId,
          runId: scope.runId,
          workflowId: scope.workflowId,
          provider: embedder.provider,
          model: embedder.model,
          tokens: out.tokens,
          latencyMs: p.now() - started,
          outcome: 'success' as const,
        };
  return { vector: out.vectors[0], usage };
}

/**
 * Re-orders the fused candidates with the reranker. A failed rerank (provider down, throttled,
 * out of budget) keeps the fused order and says why in the trace: retrieval degrades, it does not
 * fail the search or the agent step that asked. Each attempt leaves one usage record.
 */
export async function rerankHits(
  p: Platform,
  scope: SearchScope,
  ref: string,
  query: string,
  hits: SearchHitT[],
): Promise<{ items: SearchHitT[]; trace: RerankTraceT }> {
  const fused = hits.map((h, i) => ({ ...h, fusedRank: i + 1 }));
  const started = p.now();
  const trace = (t: Partial<RerankTraceT>): RerankTraceT => ({
    ref,
    provider: ref.split(':')[0],
    model: ref.slice(ref.indexOf(':') + 1),
    simulated: false,
    candidates: hits.length,
    moved: 0,
    latencyMs: p.now() - started,
    ...t,
  });
  if (hits.length < 2) return { items: fused, trace: trace({}) };
  const reranker = await rerankerFor(p, scope.tenantId, ref);
  const meter = {
    tenantId: scope.tenantId,
    runId: scope.runId,
    workflowId: scope.workflowId,
  };
  try {
    if (!ref.startsWith('llm:simulator:') && !ref.startsWith('local:'))
      await p.db.withTenant(scope, (tx) =>
        assertTenantBudgetLeft(tx, scope.tenantId, new Date(p.now())),
      );
    const documents = hits.map((h) =>
      (h.heading ? `${h.heading}\n${h.text}` : h.text).slice(0, RERANK_PASSAGE_CHARS),
    );
    const out = await reranker.rerank({ query, documents });
    const latencyMs = p.now() - started;
    await p.db.withTenant(scope, (tx) =>
      recordEmbeddingUsage(tx, {
        ...meter,
        provider: out.provider,
        model: out.model,
        tokens: out.inputTokens,
        outputTokens: out.outputTokens,
        latencyMs,
        outcome: 'success',
      }),
    );
    const items = out.order.map(({ index, score }) => ({ ...fused[index], rerankScore: score }));
    return {
      items,
      trace: trace({
        provider: out.provider,
        model: out.model,
        simulated: out.simulated,
        moved: items.filter((h, i) => h.fusedRank !== i + 1).length,
        latencyMs,
      }),
    };
  } catch (e) {
    if (!isAppError(e)) throw e;
    const latencyMs = p.now() - started;
    if (e.name !== 'BudgetExceeded')
      await p.db.withTenant(scope, (tx) =>
        recordEmbeddingUsage(tx, {
          ...meter,
          provider: reranker.info.provider,
          model: reranker.info.model,
          tokens: 0,
          latencyMs,
          outcome: 'error',
          errorName: e.name,
          errorMessage: e.message,
        }),
      );
    p.log.warn('reranking failed; the fused order is kept', { ref, error: e.name });
    return { items: fused, trace: trace({ latencyMs, error: `${e.name}: ${e.message}` }) };
  }
}

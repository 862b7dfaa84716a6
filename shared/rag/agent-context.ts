/**
 * Retrieval for agent steps whose agent has knowledge bases attached: the top chunks for the
 * rendered prompt join the prompt as numbered sources, and the citations are recorded once per
 * step as a `step.citations` run event (document, chunk, offsets, score, excerpt), which the run page shows.
 * Runs outside any transaction (the query embedding may be a network call).
 */
import { and, eq } from 'drizzle-orm';
import { runEvents } from '../db/schema';
import { isAppError } from '../errors';
import type { Platform } from '../platform/platform';
import { appendEvent } from '../runs/events';
import type { RerankTraceT } from '../api/contracts/knowledge';

export interface KnowledgeStep {
  tenantId: string;
  runId: string;
  workflowId: string;
  stepId: string;
  nodeId: string;
  knowledgeBaseIds?: string[] | null;
  prompt: string;
}

export interface Citation {
  n: number;
  knowledgeBaseId: string;
  documentId: string;
  title: string;
  chunkId: string;
  heading: string;
  start: number;
  end: number;
  score: number;
  /** Set when the base reranks: the reranker's score and the position before reranking. */
  rerankScore?: number;
  fusedRank?: number;
  /** The start of the chunk, so the run page can show the source without searching again. */
  text: string;
}

/** Characters of each chunk kept in the citation event (the full chunk went into the prompt). */
export const CITATION_EXCERPT_CHARS = 600;

/** Sources given to the model per step, across all attached bases. */
export const TOP_CHUNKS = 5;

/** The prompt to send: unchanged without knowledge bases, else followed by numbered sources. */
export async function promptWithKnowledge(p: Platform, step: KnowledgeStep): Promise<string> {
  const ids = [...new Set(step.knowledgeBaseIds ?? [])];
  if (!ids.length || !step.prompt.trim()) return step.prompt;
  // Loaded on first use: an agent without knowledge bases never loads search, rerank, embedders.
  const { searchKnowledgeBase } = await import('./retrieval');
  const scope = { tenantId: step.tenantId, runId: step.runId, workflowId: step.workflowId };
  const hits = [];
  // The reranker each base used (its default, ADR 038), shown with the citations in the step trace.
  const reranks: Array<RerankTraceT & { knowledgeBaseId: string }> = [];
  for (const id of ids) {
    try {
      const found = await searchKnowledgeBase(p, scope, id, {
        query: step.prompt.slice(0, 4000),
        topK: TOP_CHUNKS,
        offset: 0,
        mode: 'hybrid',
      });
      hits.push(...found.items.map((h, pos) => ({ ...h, pos, knowledgeBaseId: id })));
      if (found.rerank) reranks.push({ ...found.rerank, knowledgeBaseId: id });
    } catch (e) {
      // A base deleted after the agent was saved must not fail the step.
      if (!(isAppError(e) && e.name === 'NotFound')) throw e;
      p.log.warn('knowledge base attached to an agent is gone', {
        knowledgeBaseId: id,
        runId: step.runId,
      });
    }
  }
  // Fused scores compare across bases; a reranked order does not, so with reranking the bases'
  // lists interleave by position (each base's own order kept), ties by fused score.
  const top = hits
    .sort((a, b) => (reranks.length ? a.pos - b.pos : 0) || b.score - a.score)
    .slice(0, TOP_CHUNKS);
  const citations: Citation[] = top.map((h, i) => ({
    n: i + 1,
    knowledgeBaseId: h.knowledgeBaseId,
    documentId: h.documentId,
    title: h.title,
    chunkId: h.chunkId,
    heading: h.heading,
    start: h.start,
    end: h.end,
    score: h.score,
    ...(h.rerankScore !== undefined ? { rerankScore: h.rerankScore, fusedRank: h.fusedRank } : {}),
    text: h.text.slice(0, CITATION_EXCERPT_CHARS),
  }));

  await p.db.withTenant({ tenantId: step.tenantId }, async (tx) => {
    // Retried attempts retrieve the same sources; the timeline lists them once.
    const [seen] = await tx
      .select({ seq: runEvents.seq })
      .from(runEvents)
      .where(and(eq(runEvents.stepId, step.stepId), eq(runEvents.type, 'step.citations')))
      .limit(1);
    if (!seen) {
      await appendEvent(tx, {
        tenantId: step.tenantId,
        runId: step.runId,
        stepId: step.stepId,
        nodeId: step.nodeId,
        type: 'step.citations',
        message: citations.length
          ? `${step.nodeId} retrieved ${citations.length} source${citations.length === 1 ? '' : 's'}: ${[...new Set(citations.map((c) => c.title))].join(', ')}`
          : `${step.nodeId} found no relevant sources`,
        data: { citations, ...(reranks.length ? { rerank: reranks } : {}) },
      });
    }
  });
  if (!top.length) return step.prompt;
  const sources = top
    .map(
      (h, i) =>
        `[${i + 1}] ${h.heading || h.title} (document ${h.documentId}, characters ${h.start}-${h.end})\n${h.text}`,
    )
    .join('\n\n');
  return `${step.prompt}\n\n---\nSources from the knowledge base. Use them where relevant and cite them as [n]:\n\n${sources}`;
}

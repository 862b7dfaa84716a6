/**
 * Reranking (ADR 038): an optional second stage that re-orders the fused candidates of a search
 * with a model that reads the query and each passage together. A reranker is named by a ref:
 * `cohere:<model>`, `voyage:<model>`, `jina:<model>` (their hosted rerank APIs),
 * `compatible:<model>` (a self-hosted `/rerank`: TEI, vLLM, Infinity) or `llm:<chat model ref>`
 * (a chat model through the LLM gateway, e.g. `llm:openai:gpt-4.1-mini`, `llm:simulator:judge`),
 * or `local:align` (offline word alignment over the local word vectors, rerank/local.ts).
 */
import { ValidationError } from '../../errors';

export type RerankProvider = 'cohere' | 'voyage' | 'jina' | 'compatible' | 'llm' | 'local';

export interface RerankerInfo {
  ref: string;
  provider: RerankProvider;
  /** The rerank model, or for `llm:` the chat model ref handed to the gateway. */
  model: string;
}

export interface RerankInput {
  query: string;
  documents: string[];
}

export interface RerankOutcome {
  /** Indexes into `documents`, best first, each with the reranker's score (higher is better). */
  order: Array<{ index: number; score: number }>;
  /** Who answered (the gateway may have stood the simulator in) and what it cost in tokens. */
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** True when the offline simulator answered: it cannot judge relevance, so the order is kept. */
  simulated: boolean;
}

export interface Reranker {
  readonly info: RerankerInfo;
  rerank(input: RerankInput): Promise<RerankOutcome>;
}

/** Candidates read by the reranker unless the search says otherwise (cost grows with it). */
export const RERANK_CANDIDATES = 20;
export const MAX_RERANK_CANDIDATES = 50;
/** Characters of each passage sent to a reranker (chunks are ≤ 8000; rerankers read ~512 tokens). */
export const RERANK_PASSAGE_CHARS = 2000;

export const RERANK_REF =
  /^(cohere|voyage|jina|compatible):[A-Za-z0-9._:/-]{1,100}$|^llm:[a-z]+:[A-Za-z0-9._:/-]{1,100}$|^local:align$/;

export function parseRerankRef(ref: string, path = 'rerank'): RerankerInfo {
  if (!RERANK_REF.test(ref))
    throw new ValidationError(`unsupported reranker ${ref}`, [
      {
        path,
        message:
          'use "cohere:<model>", "voyage:<model>", "jina:<model>", "compatible:<model>", "llm:<provider>:<model>" or "local:align"',
      },
    ]);
  const at = ref.indexOf(':');
  return {
    ref,
    provider: ref.slice(0, at) as RerankProvider,
    model: ref.slice(at + 1),
  };
}

/** Puts every index missing from a partial ranking after it, in the original order. */
export function completeOrder(
  ranked: Array<{ index: number; score: number }>,
  count: number,
): Array<{ index: number; score: number }> {
  const seen = new Set<number>();
  const out: Array<{ index: number; score: number }> = [];
  for (const r of ranked)
    if (Number.isInteger(r.index) && r.index >= 0 && r.index < count && !seen.has(r.index)) {
      seen.add(r.index);
      out.push(r);
    }
  const floor = out.length ? Math.min(...out.map((r) => r.score)) : 0;
  for (let i = 0; i < count; i++) if (!seen.has(i)) out.push({ index: i, score: floor - 1 - i });
  return out;
}

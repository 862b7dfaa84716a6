/**
 * The LLM reranker: one chat call through the gateway (the tenant's key, else the platform's, else
 * the offline simulator, exactly as an agent step resolves it), asking for the passage numbers in
 * order of relevance as structured output. One call = one attempt, metered by the caller like any
 * attempt. The simulator cannot judge relevance: its answer is recorded (and costs nothing) but the
 * fused order is kept, deterministically, and the outcome says `simulated`.
 */
import * as z from 'zod';
import type { Config } from '../../config';
import { callAttempt } from '../../llm/gateway';
import type { ProviderId } from '../../llm/model-ref';
import type { ProviderCredentials } from '../../llm/types';
import { completeOrder, RERANK_PASSAGE_CHARS, type Reranker, type RerankerInfo } from './types';

const SYSTEM =
  'You rank passages for a search engine. Judge only how well each passage answers the query. ' +
  'Answer with JSON: {"ranking": [passage numbers, most relevant first]}. Include every passage.';

export const RANKING_SCHEMA = {
  type: 'object',
  properties: { ranking: { type: 'array', items: { type: 'integer' } } },
  required: ['ranking'],
  additionalProperties: false,
} as const;

const Ranking = z.object({ ranking: z.array(z.number().int()) });

export function rerankPrompt(query: string, documents: string[]): string {
  const passages = documents
    .map((d, i) => `[${i + 1}] ${d.slice(0, RERANK_PASSAGE_CHARS).replace(/\s+/g, ' ')}`)
    .join('\n\n');
  return `Query: ${query}\n\nPassages:\n${passages}`;
}

export function createLlmReranker(
  info: RerankerInfo,
  deps: {
    config: Config;
    tenantCredentials(provider: ProviderId): Promise<ProviderCredentials | undefined>;
  },
): Reranker {
  return {
    info,
    async rerank({ query, documents }) {
      const outcome = await callAttempt({ ...deps, now: Date.now }, [info.model], 1, {
        system: SYSTEM,
        messages: [{ role: 'user', content: rerankPrompt(query, documents) }],
        temperature: 0,
        maxTokens: 20 + documents.length * 4,
        outputSchema: RANKING_SCHEMA as unknown as Record<string, unknown>,
        timeoutMs: 30_000,
      });
      if (outcome.error) throw outcome.error;
      const result = outcome.result;
      let ranked: Array<{ index: number; score: number }> = [];
      if (!outcome.simulated && result) {
        let json: unknown;
        try {
          json = JSON.parse(result.text);
        } catch {
          json = undefined;
        }
        const parsed = Ranking.safeParse(json);
        // A ranking the model garbled keeps the fused order rather than failing the search.
        if (parsed.success)
          ranked = parsed.data.ranking.map((n, i) => ({
            index: n - 1,
            score: documents.length - i,
          }));
      }
      return {
        order: completeOrder(ranked, documents.length),
        provider: outcome.provider,
        model: outcome.model,
        inputTokens: result?.inputTokens ?? 0,
        outputTokens: result?.outputTokens ?? 0,
        simulated: outcome.simulated,
      };
    },
  };
}

/**
 * Hosted and self-hosted rerank APIs over one JSON POST. Request/response shapes:
 * - Cohere `POST /v2/rerank` {model, query, documents, top_n} → {results: [{index, relevance_score}]}
 * - Voyage `POST /v1/rerank` {model, query, documents, top_k} → {data: [{index, relevance_score}],
 *   usage: {total_tokens}}
 * - Jina `POST /v1/rerank` {model, query, documents, top_n} → {results: [...], usage: {total_tokens}}
 * - compatible: `POST {base}/rerank`. vLLM and Infinity speak Jina/Cohere's form; TEI takes
 *   `texts` and answers a bare array of {index, score}: both fields are sent, both answers read.
 * Failures are classified like model calls (429 → ProviderThrottled with Retry-After, 401 → auth).
 */
import * as z from 'zod';
import { ProviderUnavailable } from '../../errors';
import { classifyHttpStatus, classifyProviderError } from '../../llm/classify';
import { guardedFetch } from '../../net/outbound';
import { completeOrder, type Reranker, type RerankerInfo } from './types';

export interface RerankEndpoint {
  baseUrl: string;
  apiKey?: string;
  timeoutMs?: number;
}

export const DEFAULT_BASE_URLS = {
  cohere: 'https://api.cohere.com',
  voyage: 'https://api.voyageai.com',
  jina: 'https://api.jina.ai',
} as const;

const Scored = z.object({
  index: z.number().int(),
  relevance_score: z.number().optional(),
  score: z.number().optional(),
});
const Answer = z.union([
  z.array(Scored),
  z.object({
    results: z.array(Scored).optional(),
    data: z.array(Scored).optional(),
    usage: z.object({ total_tokens: z.number().optional() }).partial().optional(),
    meta: z
      .object({ billed_units: z.object({ search_units: z.number().optional() }).partial() })
      .partial()
      .optional(),
  }),
]);

function pathFor(info: RerankerInfo): string {
  return info.provider === 'cohere'
    ? '/v2/rerank'
    : info.provider === 'compatible'
      ? '/rerank'
      : '/v1/rerank';
}

export function createHttpReranker(info: RerankerInfo, endpoint: RerankEndpoint): Reranker {
  const url = `${endpoint.baseUrl.endsWith('/') ? endpoint.baseUrl.slice(0, -1) : endpoint.baseUrl}${pathFor(info)}`;
  return {
    info,
    async rerank({ query, documents }) {
      const body: Record<string, unknown> = { model: info.model, query, documents };
      if (info.provider === 'voyage') body.top_k = documents.length;
      else body.top_n = documents.length;
      if (info.provider === 'compatible') body.texts = documents;
      let res: Response;
      try {
        // User-supplied base URLs go through the guarded client (ADR 052).
        res = await guardedFetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(endpoint.timeoutMs ?? 30_000),
        });
      } catch (e) {
        throw classifyProviderError(e, { provider: info.provider, secrets: [endpoint.apiKey] });
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      if (!res.ok)
        throw classifyHttpStatus(
          {
            status: res.status,
            body: json,
            message:
              typeof json === 'string' ? json.slice(0, 300) : JSON.stringify(json).slice(0, 300),
            headers: res.headers,
          },
          { provider: info.provider, secrets: [endpoint.apiKey] },
        );
      const parsed = Answer.safeParse(json);
      if (!parsed.success)
        throw new ProviderUnavailable(
          `${info.provider}: the rerank answer has an unexpected shape`,
        );
      const a = parsed.data;
      const rows = Array.isArray(a) ? a : (a.results ?? a.data ?? []);
      const order = completeOrder(
        rows
          .map((r) => ({ index: r.index, score: r.relevance_score ?? r.score ?? 0 }))
          .sort((x, y) => y.score - x.score),
        documents.length,
      );
      const tokens = Array.isArray(a) ? 0 : (a.usage?.total_tokens ?? 0);
      return {
        order,
        provider: info.provider,
        model: info.model,
        inputTokens: tokens,
        outputTokens: 0,
        simulated: false,
      };
    },
  };
}

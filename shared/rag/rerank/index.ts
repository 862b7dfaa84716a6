/**
 * The reranker for a ref, with its credentials: hosted APIs take the tenant's stored key (PUT
 * /v1/providers/{cohere|voyage|jina}/key, ADR 151), else the platform's from the environment
 * (COHERE_API_KEY, VOYAGE_API_KEY, JINA_API_KEY; base URLs overridable for proxies and tests);
 * `compatible:` uses the tenant's or the platform's OpenAI-compatible base URL, like chat
 * and embeddings; `llm:` goes through the gateway. A missing key is a ProviderAuthError (4xx on a
 * search), never a silent skip: the caller asked for reranking.
 */
import { ProviderAuthError } from '../../errors';
import { rerankEnvCredentials } from '../../llm/provider-keys';
import { tenantProviderCredentials } from '../../llm/tenant-credentials';
import type { Platform } from '../../platform/platform';
import { createLlmReranker } from './llm';
import { createLocalReranker } from './local';
import { createHttpReranker, DEFAULT_BASE_URLS } from './providers';
import { parseRerankRef, type Reranker } from './types';

export async function rerankerFor(p: Platform, tenantId: string, ref: string): Promise<Reranker> {
  const info = parseRerankRef(ref);
  const c = p.config;
  switch (info.provider) {
    case 'local':
      return createLocalReranker(info, c.WORD_VECTORS_PATH);
    case 'llm':
      return createLlmReranker(info, {
        config: c,
        tenantCredentials: (provider) => tenantProviderCredentials(p, tenantId, provider),
      });
    case 'compatible': {
      const stored = await tenantProviderCredentials(p, tenantId, 'compatible');
      const baseUrl = stored?.baseUrl ?? c.COMPATIBLE_BASE_URL;
      if (!baseUrl)
        throw new ProviderAuthError(
          `no base URL is configured for the self-hosted reranker ${ref}: set COMPATIBLE_BASE_URL or store one with PUT /v1/providers/compatible/key`,
        );
      return createHttpReranker(info, {
        baseUrl,
        apiKey: stored?.apiKey || c.COMPATIBLE_API_KEY,
      });
    }
    default: {
      const stored = await tenantProviderCredentials(p, tenantId, info.provider);
      const env = rerankEnvCredentials(c, info.provider);
      // The tenant's own key wins, with its own base URL (a proxy) if it stored one.
      const creds = stored?.apiKey ? stored : env;
      if (!creds.apiKey)
        throw new ProviderAuthError(
          `no ${info.provider} API key is configured for the reranker ${ref}: store one with PUT /v1/providers/${info.provider}/key`,
        );
      return createHttpReranker(info, {
        apiKey: creds.apiKey,
        baseUrl: creds.baseUrl ?? DEFAULT_BASE_URLS[info.provider],
      });
    }
  }
}

export { parseRerankRef, RERANK_CANDIDATES, MAX_RERANK_CANDIDATES } from './types';
export type { Reranker, RerankOutcome } from './types';

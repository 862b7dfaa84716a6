/**
 * The embedder for a knowledge base's model. Provider keys come from the tenant's secret store,
 * else the platform environment. Unlike chat, a missing key is an error (ProviderAuthError), not a
 * silent stand-in: local vectors in a 1536-dimension base would poison it.
 */
import { ProviderAuthError } from '../../errors';
import { tenantProviderCredentials } from '../../llm/tenant-credentials';
import type { Platform } from '../../platform/platform';
import { createLocalEmbedder } from './local';
import { parseEmbeddingModel, type Embedder } from './types';

const cache = new Map<string, Embedder>();

export async function embedderFor(p: Platform, tenantId: string, ref: string): Promise<Embedder> {
  const info = parseEmbeddingModel(ref);
  if (info.provider === 'local') return createLocalEmbedder(info.model);
  const stored = await tenantProviderCredentials(p, tenantId, info.provider);
  const env =
    info.provider === 'openai'
      ? { apiKey: p.config.OPENAI_API_KEY, baseUrl: p.config.OPENAI_BASE_URL }
      : { apiKey: p.config.GEMINI_API_KEY, baseUrl: p.config.GEMINI_BASE_URL };
  const creds = stored?.apiKey ? stored : env;
  if (!creds.apiKey)
    throw new ProviderAuthError(
      `no ${info.provider} API key is configured for embedding model ${ref}: store one with PUT /v1/providers/${info.provider}/key`,
    );
  const key = `${ref}\u0000${creds.baseUrl ?? ''}\u0000${creds.apiKey}`;
  let embedder = cache.get(key);
  if (!embedder) {
    const options = { apiKey: creds.apiKey, baseUrl: creds.baseUrl, dimensions: info.dimensions };
    embedder =
      info.provider === 'openai'
        ? (await import('./openai')).createOpenAIEmbedder(info.model, options)
        : (await import('./gemini')).createGeminiEmbedder(info.model, options);
    cache.set(key, embedder);
  }
  return embedder;
}

export { parseEmbeddingModel } from './types';
export type { Embedder } from './types';

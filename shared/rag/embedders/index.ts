/**
 * The embedder for a knowledge base's model. Provider keys come from the tenant's secret store,
 * else the platform environment. Unlike chat, a missing key is an error (ProviderAuthError), not a
 * silent stand-in: local vectors in a 1536-dimension base would poison it. Self-hosted
 * (`compatible:`) servers need a base URL instead; their key is optional.
 */
import { ProviderAuthError } from '../../errors';
import { tenantProviderCredentials } from '../../llm/tenant-credentials';
import type { Platform } from '../../platform/platform';
import { COMPATIBLE_PLACEHOLDER_KEY } from '../../llm/providers/common';
import { createLocalEmbedder } from './local';
import { parseEmbeddingModel, type Embedder, type EmbeddingModelInfo } from './types';

const cache = new Map<string, Embedder>();

/** `dimensions`: the knowledge base's (needed for `compatible:` models, checked for the others). */
export async function embedderFor(
  p: Platform,
  tenantId: string,
  ref: string,
  dimensions?: number,
): Promise<Embedder> {
  const info = parseEmbeddingModel(ref, dimensions);
  if (info.provider === 'local') {
    if (ref !== 'local-semantic') return createLocalEmbedder(info.model);
    const { createLocalSemanticEmbedder } = await import('./local-semantic');
    return createLocalSemanticEmbedder(info.model, info.dimensions, p.config.WORD_VECTORS_PATH);
  }
  const creds = await credentialsFor(p, tenantId, info);
  const key = `${ref}\u0000${info.dimensions}\u0000${creds.baseUrl ?? ''}\u0000${creds.apiKey}`;
  let embedder = cache.get(key);
  if (!embedder) {
    const options = { apiKey: creds.apiKey, baseUrl: creds.baseUrl, dimensions: info.dimensions };
    embedder =
      info.provider === 'openai'
        ? (await import('./openai')).createOpenAIEmbedder(info.model, options)
        : info.provider === 'compatible'
          ? (await import('./openai')).createCompatibleEmbedder(info.model, options)
          : (await import('./gemini')).createGeminiEmbedder(info.model, options);
    cache.set(key, embedder);
  }
  return embedder;
}

async function credentialsFor(
  p: Platform,
  tenantId: string,
  info: EmbeddingModelInfo,
): Promise<{ apiKey: string; baseUrl?: string }> {
  const provider = info.provider as 'openai' | 'gemini' | 'compatible';
  const stored = await tenantProviderCredentials(p, tenantId, provider);
  const env = {
    openai: { apiKey: p.config.OPENAI_API_KEY, baseUrl: p.config.OPENAI_BASE_URL },
    gemini: { apiKey: p.config.GEMINI_API_KEY, baseUrl: p.config.GEMINI_BASE_URL },
    compatible: { apiKey: p.config.COMPATIBLE_API_KEY, baseUrl: p.config.COMPATIBLE_BASE_URL },
  }[provider];
  if (provider === 'compatible') {
    const baseUrl = stored?.baseUrl ?? env.baseUrl;
    if (!baseUrl)
      throw new ProviderAuthError(
        `no base URL is configured for the self-hosted embedding model ${info.ref}: set COMPATIBLE_BASE_URL or store one with PUT /v1/providers/compatible/key`,
      );
    return { apiKey: stored?.apiKey || env.apiKey || COMPATIBLE_PLACEHOLDER_KEY, baseUrl };
  }
  const creds = stored?.apiKey ? stored : env;
  if (!creds.apiKey)
    throw new ProviderAuthError(
      `no ${provider} API key is configured for embedding model ${info.ref}: store one with PUT /v1/providers/${provider}/key`,
    );
  return { apiKey: creds.apiKey, baseUrl: creds.baseUrl };
}

export { parseEmbeddingModel } from './types';
export type { Embedder } from './types';

/**
 * Gemini embeddings on `@google/genai` (which supersedes `@google/generative-ai`). The output is
 * asked for at 768 dimensions (Matryoshka truncation) and re-normalised, as Google advises for
 * dimensions below the native size. The Gemini API reports no token count for embeddings, so
 * tokens are estimated (~4 characters per token) and flagged as estimated. Requests go through the
 * guarded outbound client (ADR 052): a tenant's stored base URL is a user-supplied address.
 */
import { GoogleGenAI } from '@google/genai';
import { guardedFetch } from '../../net/outbound';
import { ProviderUnavailable } from '../../errors';
import { classifyProviderError } from '../../llm/classify';
import type { RemoteEmbedderOptions } from './openai';
import { l2normalize, type Embedder, type EmbeddingResult } from './types';

export function createGeminiEmbedder(model: string, options: RemoteEmbedderOptions): Embedder {
  const http = {
    retryOptions: { attempts: 1 },
    timeout: options.timeoutMs ?? 60_000,
    fetch: guardedFetch,
  };
  const client = new GoogleGenAI({
    apiKey: options.apiKey,
    vertexai: false,
    // batchEmbedContents as documented (v1beta), like the chat adapter's pinned version.
    apiVersion: 'v1beta',
    httpOptions: { ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}), ...http },
  });
  return {
    provider: 'gemini',
    model,
    dimensions: options.dimensions,
    maxBatch: 100,
    async embed(texts, purpose): Promise<EmbeddingResult> {
      try {
        const res = await client.models.embedContent({
          model,
          contents: texts,
          config: {
            outputDimensionality: options.dimensions,
            taskType: purpose === 'query' ? 'RETRIEVAL_QUERY' : 'RETRIEVAL_DOCUMENT',
            // Per request too: the SDK takes its fetch from the request's options.
            httpOptions: http,
          },
        });
        const vectors = (res.embeddings ?? []).map((e) => l2normalize(e.values ?? []));
        if (
          vectors.length !== texts.length ||
          vectors.some((v) => v.length !== options.dimensions)
        ) {
          throw new ProviderUnavailable(
            `gemini: expected ${texts.length} embeddings of ${options.dimensions} dimensions, got ${vectors.length}`,
          );
        }
        return {
          vectors,
          tokens: texts.reduce((n, t) => n + Math.ceil(t.length / 4), 0),
          estimated: true,
        };
      } catch (e) {
        throw classifyProviderError(e, { provider: 'gemini', secrets: [options.apiKey] });
      }
    },
  };
}

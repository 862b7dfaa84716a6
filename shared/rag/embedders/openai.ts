/**
 * OpenAI embeddings on the official `openai` SDK. SDK retries are off (Step Functions retries the
 * batch, so every attempt is visible and metered); failures are classified into the gateway's
 * error names by shared/llm/classify. Vectors from OpenAI are already unit length.
 */
import OpenAI from 'openai';
import { ProviderUnavailable } from '../../errors';
import { classifyProviderError } from '../../llm/classify';
import type { Embedder, EmbeddingResult } from './types';

export interface RemoteEmbedderOptions {
  apiKey: string;
  baseUrl?: string;
  dimensions: number;
  timeoutMs?: number;
}

export function createOpenAIEmbedder(model: string, options: RemoteEmbedderOptions): Embedder {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
  });
  return {
    provider: 'openai',
    model,
    dimensions: options.dimensions,
    maxBatch: 256,
    async embed(texts): Promise<EmbeddingResult> {
      try {
        const res = await client.embeddings.create({
          model,
          input: texts,
          dimensions: options.dimensions,
          encoding_format: 'float',
        });
        const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        if (
          vectors.length !== texts.length ||
          vectors.some((v) => v.length !== options.dimensions)
        ) {
          throw new ProviderUnavailable(
            `openai: expected ${texts.length} embeddings of ${options.dimensions} dimensions, got ${vectors.length}`,
          );
        }
        return { vectors, tokens: res.usage?.prompt_tokens ?? 0, estimated: !res.usage };
      } catch (e) {
        throw classifyProviderError(e, { provider: 'openai', secrets: [options.apiKey] });
      }
    },
  };
}

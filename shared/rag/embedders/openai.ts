/**
 * OpenAI embeddings on the official `openai` SDK, and the same wire format for self-hosted
 * OpenAI-compatible servers (Ollama, vLLM, TEI, LM Studio: `POST {baseURL}/embeddings`). SDK retries are off (Step Functions retries the
 * batch, so every attempt is visible and metered); failures are classified into the gateway's
 * error names by shared/llm/classify. Vectors from OpenAI are already unit length.
 */
import OpenAI from 'openai';
import { ProviderUnavailable } from '../../errors';
import { classifyProviderError } from '../../llm/classify';
import { guardedFetch } from '../../net/outbound';
import { l2normalize, type Embedder, type EmbeddingResult } from './types';

export interface RemoteEmbedderOptions {
  apiKey: string;
  baseUrl?: string;
  dimensions: number;
  timeoutMs?: number;
}

export function createOpenAIEmbedder(model: string, options: RemoteEmbedderOptions): Embedder {
  return createEmbeddingsClient('openai', model, options);
}

/**
 * A self-hosted server: the base URL is required, the key optional (a placeholder is sent, as for
 * chat), and `dimensions` is not sent (most servers reject it; the model has one size, which the
 * knowledge base states and every answer is checked against). Vectors are re-normalised, since
 * not every model returns unit vectors and cosine search assumes them.
 */
export function createCompatibleEmbedder(model: string, options: RemoteEmbedderOptions): Embedder {
  return createEmbeddingsClient('compatible', model, options);
}

function createEmbeddingsClient(
  provider: 'openai' | 'compatible',
  model: string,
  options: RemoteEmbedderOptions,
): Embedder {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
    // User-supplied base URLs go through the guarded client (ADR 052).
    fetch: guardedFetch,
  });
  return {
    provider,
    model,
    dimensions: options.dimensions,
    maxBatch: provider === 'openai' ? 256 : 64,
    async embed(texts): Promise<EmbeddingResult> {
      try {
        const res = await client.embeddings.create({
          model,
          input: texts,
          ...(provider === 'openai' ? { dimensions: options.dimensions } : {}),
          encoding_format: 'float',
        });
        const vectors = [...res.data]
          .sort((a, b) => a.index - b.index)
          .map((d) => (provider === 'openai' ? d.embedding : l2normalize(d.embedding)));
        if (
          vectors.length !== texts.length ||
          vectors.some((v) => v.length !== options.dimensions)
        ) {
          throw new ProviderUnavailable(
            `${provider}: expected ${texts.length} embeddings of ${options.dimensions} dimensions, got ${vectors.length} of ${vectors[0]?.length ?? 0}`,
          );
        }
        return { vectors, tokens: res.usage?.prompt_tokens ?? 0, estimated: !res.usage };
      } catch (e) {
        throw classifyProviderError(e, { provider, secrets: [options.apiKey] });
      }
    },
  };
}

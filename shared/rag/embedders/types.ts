/**
 * One interface for every embedding model. A knowledge base records its model and dimension at
 * creation; both are fixed for its life, so every chunk and every query of one base live in the
 * same vector space (ADR 031).
 */
import { ValidationError } from '../../errors';

export type EmbeddingProvider = 'openai' | 'gemini' | 'compatible' | 'local';

/** Documents and queries may be embedded differently (Gemini's task types); local/OpenAI ignore it. */
export type EmbedPurpose = 'document' | 'query';

export interface EmbeddingResult {
  vectors: number[][];
  /** Input tokens as the provider counted them (estimated where it does not say; see `estimated`). */
  tokens: number;
  estimated: boolean;
}

export interface Embedder {
  readonly provider: EmbeddingProvider;
  /** The model name as metered in usage records. */
  readonly model: string;
  readonly dimensions: number;
  /** Most texts one call accepts; the ingestion batches are this size. */
  readonly maxBatch: number;
  embed(texts: string[], purpose: EmbedPurpose): Promise<EmbeddingResult>;
}

export interface EmbeddingModelInfo {
  ref: string;
  provider: EmbeddingProvider;
  model: string;
  dimensions: number;
  maxBatch: number;
}

/**
 * Dimensions with a partial HNSW index (384/768/1536 in migration 0004, 1024 in 0006); a model must
 * map onto one of them. 1024 is the size of most self-hosted models (bge-large, mxbai, bge-m3).
 */
export const INDEXED_DIMENSIONS = [384, 768, 1024, 1536] as const;
/** Output sizes asked of Gemini embedding models (both indexed). */
export const GEMINI_DIMENSIONS = [768, 1536] as const;

export const LOCAL_DIMENSIONS = 384;

/**
 * `local` (hashed n-grams, optionally `local:<failure script>`), `local-semantic` (word vectors +
 * n-grams, ADR 037), `openai:text-embedding-3-small|large` (large is asked for 1536 dimensions,
 * which OpenAI supports natively), `gemini:<model>` at 768 (default) or 1536 dimensions, and
 * `compatible:<model>` (a self-hosted OpenAI-compatible server: Ollama, vLLM, TEI, LM Studio) whose
 * dimension the base states at creation (`dimensions`, one of INDEXED_DIMENSIONS).
 */
export function parseEmbeddingModel(ref: string, dimensions?: number): EmbeddingModelInfo {
  const [provider, ...rest] = ref.split(':');
  const model = rest.join(':');
  if (provider === 'local') {
    if (model && !/^(flaky-\d{1,2}|fail)$/.test(model)) throw badModel(ref);
    return {
      ref,
      provider: 'local',
      model: model ? `hashed-ngrams-v1 (${model})` : 'hashed-ngrams-v1',
      dimensions: LOCAL_DIMENSIONS,
      maxBatch: 64,
    };
  }
  if (ref === 'local-semantic') {
    return {
      ref,
      provider: 'local',
      model: 'glove-sif-v1',
      dimensions: LOCAL_DIMENSIONS,
      maxBatch: 64,
    };
  }
  if (
    provider === 'openai' &&
    (model === 'text-embedding-3-small' || model === 'text-embedding-3-large')
  ) {
    return { ref, provider: 'openai', model, dimensions: 1536, maxBatch: 256 };
  }
  if (provider === 'gemini' && /^[a-z0-9.-]+$/.test(model) && /embedding/.test(model)) {
    // Gemini embeddings are Matryoshka-trained: asked for fewer dimensions, they stay useful
    // (768 by default; 1536 too, as Google recommends; 3072, the native size, has no index).
    const dims = dimensions ?? 768;
    if (!(GEMINI_DIMENSIONS as readonly number[]).includes(dims))
      throw new ValidationError(`embedding model ${ref} cannot return ${dims} dimensions`, [
        { path: 'dimensions', message: `one of ${GEMINI_DIMENSIONS.join(', ')} for Gemini` },
      ]);
    return { ref, provider: 'gemini', model, dimensions: dims, maxBatch: 100 };
  }
  if (provider === 'compatible' && /^[A-Za-z0-9._:/-]{1,100}$/.test(model)) {
    if (!dimensions || !(INDEXED_DIMENSIONS as readonly number[]).includes(dimensions))
      throw new ValidationError(`embedding model ${ref} needs its dimensions`, [
        {
          path: 'dimensions',
          message: `the vector size the server returns, one of ${INDEXED_DIMENSIONS.join(', ')}`,
        },
      ]);
    return { ref, provider: 'compatible', model, dimensions, maxBatch: 64 };
  }
  throw badModel(ref);
}

function badModel(ref: string): ValidationError {
  return new ValidationError(`unsupported embedding model ${ref}`, [
    {
      path: 'embeddingModel',
      message:
        'use "local", "local-semantic", "openai:text-embedding-3-small", "openai:text-embedding-3-large", "gemini:<embedding model>" (e.g. gemini:gemini-embedding-001) or "compatible:<model>" with dimensions',
    },
  ]);
}

/** Unit length, so cosine distance is 1 - dot product and truncated provider vectors stay comparable. */
export function l2normalize(v: number[]): number[] {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  return norm > 0 ? v.map((x) => x / norm) : v;
}

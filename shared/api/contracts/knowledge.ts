import * as z from 'zod';
import { Uuid } from './common';

export const EmbeddingModelRef = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^(local(:[a-z0-9-]+)?|local-semantic|openai:[a-z0-9.-]+|gemini:[a-z0-9.-]+|compatible:[A-Za-z0-9._:/-]+)$/,
    '"local", "local-semantic", "openai:<model>", "gemini:<model>" or "compatible:<model>"',
  );

/** A reranker: `cohere:`, `voyage:`, `jina:`, `compatible:<model>` or `llm:<provider>:<model>` (ADR 038). */
export const RerankRef = z
  .string()
  .max(120)
  .regex(
    /^(cohere|voyage|jina|compatible):[A-Za-z0-9._:/-]{1,100}$|^llm:[a-z]+:[A-Za-z0-9._:/-]{1,100}$|^local:align$/,
    '"cohere:<model>", "voyage:<model>", "jina:<model>", "compatible:<model>", "llm:<provider>:<model>" or "local:align"',
  );

export const Chunking = z
  .object({
    /** Most characters per chunk. */
    size: z.number().int().min(100).max(8000).default(1000),
    /** Characters repeated from the end of one chunk at the start of the next (same section). */
    overlap: z.number().int().min(0).max(2000).default(150),
  })
  .refine((c) => c.overlap < c.size / 2, {
    message: 'overlap must be less than half the chunk size',
    path: ['overlap'],
  });

export const KnowledgeBaseCreateBody = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    embeddingModel: EmbeddingModelRef.default('local'),
    /** Required for `compatible:` (self-hosted) models: the size of the vectors the server returns. */
    dimensions: z.number().int().positive().optional(),
    chunking: Chunking.default({ size: 1000, overlap: 150 }),
    /** Rerank every search of this base with this model unless the search says otherwise. */
    rerank: RerankRef.optional(),
  })
  .strict();

export const KnowledgeBase = z.object({
  id: Uuid,
  name: z.string(),
  description: z.string(),
  embeddingModel: z.string(),
  /** The vector dimension, fixed at creation. */
  dimensions: z.number().int(),
  chunking: z.object({ size: z.number().int(), overlap: z.number().int() }),
  rerank: z.string().nullable().optional(),
  documentCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const DocumentStatus = z.enum([
  'queued',
  'extracting',
  'chunking',
  'embedding',
  'ready',
  'failed',
]);

const Metadata = z.record(
  z.string().max(100),
  z.union([z.string().max(500), z.number(), z.boolean()]),
);

export const TextDocumentBody = z
  .object({
    title: z.string().min(1).max(300),
    text: z.string().min(1).max(1_000_000),
    metadata: Metadata.optional(),
  })
  .strict();

export const UploadDocumentBody = z
  .object({
    filename: z
      .string()
      .min(1)
      .max(300)
      // No slashes, backslashes or NUL (checked without a control character in the pattern).
      .regex(/^[^/\\]+$/, 'a file name without slashes')
      .refine((f) => !f.includes(String.fromCharCode(0)), 'a file name without NUL characters'),
    contentType: z.string().min(1).max(200),
    title: z.string().min(1).max(300).optional(),
    metadata: Metadata.optional(),
  })
  .strict();

export const DocumentCreateBody = z.union([TextDocumentBody, UploadDocumentBody]);

export const Document = z.object({
  id: Uuid,
  knowledgeBaseId: Uuid,
  title: z.string(),
  source: z.enum(['text', 'upload']),
  filename: z.string().optional(),
  contentType: z.string().optional(),
  status: DocumentStatus,
  chunkCount: z.number().int(),
  /** Chunks whose embedding was reused from identical content already in the base (not re-embedded). */
  reusedChunkCount: z.number().int(),
  error: z.string().optional(),
  contentHash: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
  ingestedAt: z.string().optional(),
});

export const DocumentCreated = Document.extend({
  /** Presigned S3 PUT (uploads only): PUT the bytes with this Content-Type, then POST …/ingest. */
  uploadUrl: z.string().optional(),
  uploadExpiresAt: z.string().optional(),
  /** True when identical text already existed in this base: the existing document is returned. */
  duplicate: z.boolean().optional(),
});

export const KbDocParams = z.object({ id: Uuid, docId: Uuid });

export const SearchBody = z
  .object({
    query: z.string().min(1).max(4000),
    topK: z.number().int().min(1).max(50).default(5),
    offset: z.number().int().min(0).max(500).default(0),
    /** `hybrid` (default) fuses vector and full-text ranks; the others are for comparison. */
    mode: z.enum(['hybrid', 'vector', 'text']).default('hybrid'),
    /** Rerank with this model (overrides the base's default); `none` searches without reranking. */
    rerank: z.union([RerankRef, z.literal('none')]).optional(),
    /** Fused candidates the reranker reads (default 20); the page is cut from its order. */
    rerankCandidates: z.number().int().min(1).max(50).optional(),
    filter: z
      .object({
        documentIds: z.array(Uuid).min(1).max(100).optional(),
        /** Documents whose metadata contains all these key/value pairs. */
        metadata: Metadata.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const SearchHit = z.object({
  documentId: Uuid,
  title: z.string(),
  chunkId: Uuid,
  text: z.string(),
  heading: z.string(),
  score: z.number(),
  /** Character offsets of the chunk in the document's extracted text. */
  start: z.number().int(),
  end: z.number().int(),
  vectorRank: z.number().int().optional(),
  textRank: z.number().int().optional(),
  /** Position in the fused order before reranking (1-based), and the reranker's score. */
  fusedRank: z.number().int().optional(),
  rerankScore: z.number().optional(),
});

export const RerankTrace = z.object({
  ref: z.string(),
  /** Who answered: the rerank provider, or for `llm:` the gateway's provider (`simulator` offline). */
  provider: z.string(),
  model: z.string(),
  simulated: z.boolean(),
  candidates: z.number().int(),
  /** Candidates whose position the reranker changed. */
  moved: z.number().int(),
  latencyMs: z.number(),
  /** Set when the reranker failed: the fused order was kept (the search itself succeeded). */
  error: z.string().optional(),
});

export const SearchResult = z.object({
  items: z.array(SearchHit),
  mode: z.enum(['hybrid', 'vector', 'text']),
  embeddingModel: z.string(),
  rerank: RerankTrace.optional(),
});

export type KnowledgeBaseCreate = z.infer<typeof KnowledgeBaseCreateBody>;
export type SearchRequest = z.infer<typeof SearchBody>;
export type SearchHitT = z.infer<typeof SearchHit>;
export type RerankTraceT = z.infer<typeof RerankTrace>;

/**
 * Drizzle view of the knowledge tables (migrations/0004_knowledge.sql is the DDL). `embedding` is an
 * unconstrained pgvector column (dimensions differ per knowledge base, ADR 031) and `tsv` is a
 * generated column: both are written and read through SQL in shared/rag, never through drizzle.
 */
import {
  customType,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** `vector` without a dimension: pgvector's text form `[1,2,3]`. */
const anyVector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (v) => `[${v.join(',')}]`,
  fromDriver: (v) => JSON.parse(v) as number[],
});

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const knowledgeBases = pgTable('knowledge_bases', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  embeddingModel: text('embedding_model').notNull(),
  dimensions: integer('dimensions').notNull(),
  chunkSize: integer('chunk_size').notNull(),
  chunkOverlap: integer('chunk_overlap').notNull(),
  /** Default reranker ref for searches of this base (ADR 038), or null for none. */
  rerank: text('rerank'),
  createdBy: text('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const documents = pgTable('documents', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  knowledgeBaseId: uuid('knowledge_base_id').notNull(),
  title: text('title').notNull(),
  source: text('source').notNull(),
  filename: text('filename'),
  contentType: text('content_type'),
  s3Key: text('s3_key'),
  contentHash: text('content_hash'),
  byteSize: integer('byte_size'),
  content: text('content'),
  metadata: jsonb('metadata').notNull().default({}),
  status: text('status').notNull(),
  error: text('error'),
  generation: integer('generation').notNull().default(0),
  liveGeneration: integer('live_generation'),
  chunkCount: integer('chunk_count').notNull().default(0),
  reusedChunkCount: integer('reused_chunk_count').notNull().default(0),
  executionId: text('execution_id'),
  createdBy: text('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  ingestedAt: ts('ingested_at'),
});

export const chunks = pgTable('chunks', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  knowledgeBaseId: uuid('knowledge_base_id').notNull(),
  documentId: uuid('document_id').notNull(),
  generation: integer('generation').notNull(),
  ordinal: integer('ordinal').notNull(),
  heading: text('heading').notNull().default(''),
  text: text('text').notNull(),
  textHash: text('text_hash').notNull(),
  startOffset: integer('start_offset').notNull(),
  endOffset: integer('end_offset').notNull(),
  dims: integer('dims').notNull(),
  embedding: anyVector('embedding'),
  tsv: tsvector('tsv'),
});

export const embeddingBatches = pgTable(
  'embedding_batches',
  {
    tenantId: uuid('tenant_id').notNull(),
    documentId: uuid('document_id').notNull(),
    generation: integer('generation').notNull(),
    batch: integer('batch').notNull(),
    attempts: integer('attempts').notNull().default(0),
    status: text('status').notNull(),
    embedded: integer('embedded').notNull().default(0),
    tokens: integer('tokens').notNull().default(0),
    lastError: text('last_error'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.generation, t.batch] })],
);

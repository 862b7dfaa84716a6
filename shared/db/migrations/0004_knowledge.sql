-- Knowledge bases (issue 6): knowledge_bases, documents, chunks and the per-batch embedding
-- trace. See docs/adr/030-035.
--
-- Dimensions differ per knowledge base (local 384, Gemini 768, OpenAI 1536). One unconstrained
-- `vector` column holds them all; each supported dimension gets its own partial HNSW index over
-- `embedding::vector(n)` WHERE dims = n (pgvector's documented pattern for mixed dimensions).
-- Search casts to the knowledge base's dimension and repeats `dims = n`, so the planner matches
-- exactly one partial index (ADR 031).
CREATE TABLE knowledge_bases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  embedding_model text NOT NULL,
  dimensions integer NOT NULL CHECK (dimensions IN (384, 768, 1536)),
  chunk_size integer NOT NULL CHECK (chunk_size BETWEEN 100 AND 8000),
  chunk_overlap integer NOT NULL CHECK (chunk_overlap >= 0 AND chunk_overlap < chunk_size),
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX knowledge_bases_tenant ON knowledge_bases (tenant_id, created_at DESC);
--> statement-breakpoint
CREATE TABLE documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  knowledge_base_id uuid NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
  title text NOT NULL,
  source text NOT NULL CHECK (source IN ('text', 'upload')),
  filename text,
  content_type text,
  s3_key text,
  -- sha256 of the source bytes: the same content is not embedded twice (ADR 033)
  content_hash text,
  byte_size integer,
  -- the extracted text; chunk offsets point into it
  content text,
  metadata jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('queued', 'extracting', 'chunking', 'embedding', 'ready', 'failed')),
  error text,
  -- each ingestion is a new generation; search shows the live one until the next is indexed
  generation integer NOT NULL DEFAULT 0,
  live_generation integer,
  chunk_count integer NOT NULL DEFAULT 0,
  reused_chunk_count integer NOT NULL DEFAULT 0,
  execution_id text,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  ingested_at timestamptz
);
--> statement-breakpoint
CREATE INDEX documents_kb ON documents (knowledge_base_id, created_at DESC);
--> statement-breakpoint
CREATE INDEX documents_kb_hash ON documents (knowledge_base_id, content_hash);
--> statement-breakpoint
CREATE TABLE chunks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  knowledge_base_id uuid NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
  document_id uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  generation integer NOT NULL,
  ordinal integer NOT NULL,
  heading text NOT NULL DEFAULT '',
  text text NOT NULL,
  text_hash text NOT NULL,
  start_offset integer NOT NULL,
  end_offset integer NOT NULL,
  dims integer NOT NULL,
  embedding vector,
  -- title and section heading weigh more than body text
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', heading), 'A') || setweight(to_tsvector('english', text), 'B')
  ) STORED,
  UNIQUE (document_id, generation, ordinal)
);
--> statement-breakpoint
CREATE INDEX chunks_kb_hash ON chunks (knowledge_base_id, text_hash);
--> statement-breakpoint
CREATE INDEX chunks_tsv ON chunks USING gin (tsv);
--> statement-breakpoint
-- HNSW: m = 16, ef_construction = 128 (64, the pgvector default, gave recall@10 0.93 at ef_search 400 on
-- 100k local-embedder chunks; 128 gives 0.95; build 37 s on 2 cores. docs/benchmarks.md).
CREATE INDEX chunks_embedding_384 ON chunks USING hnsw ((embedding::vector(384)) vector_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dims = 384;
--> statement-breakpoint
CREATE INDEX chunks_embedding_768 ON chunks USING hnsw ((embedding::vector(768)) vector_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dims = 768;
--> statement-breakpoint
CREATE INDEX chunks_embedding_1536 ON chunks USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dims = 1536;
--> statement-breakpoint
-- One row per embedding batch of one ingestion: its attempts (the ASL retries it) and outcome.
CREATE TABLE embedding_batches (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  document_id uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  generation integer NOT NULL,
  batch integer NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  embedded integer NOT NULL DEFAULT 0,
  tokens integer NOT NULL DEFAULT 0,
  last_error text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document_id, generation, batch)
);
--> statement-breakpoint
DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['knowledge_bases','documents','chunks','embedding_batches'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO hishamos_app', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- Full-text candidates for one knowledge base of the current tenant. `@@` is not leakproof, so under
-- row-level security Postgres may not use it as an index condition and scans every row of the
-- tenant; this narrow SECURITY DEFINER door applies the tenant filter itself and lets the GIN index
-- work. Search joins its ids back to `chunks` and `documents` under RLS, so a wrong id could never
-- surface another tenant's text (ADR 034).
CREATE OR REPLACE FUNCTION chunk_text_candidates(p_kb uuid, p_query tsquery, p_limit integer, p_documents jsonb, p_metadata jsonb)
RETURNS TABLE (id uuid, rank real)
LANGUAGE sql STABLE SECURITY DEFINER ROWS 50 SET search_path = public AS
$$ SELECT c.id, ts_rank(c.tsv, p_query) AS rank FROM chunks c
   WHERE c.tenant_id = app_tenant_id() AND c.knowledge_base_id = p_kb AND c.tsv @@ p_query
     AND (p_documents IS NULL OR c.document_id IN (SELECT (jsonb_array_elements_text(p_documents))::uuid))
     AND (p_metadata IS NULL OR c.document_id IN (
       SELECT d.id FROM documents d WHERE d.tenant_id = app_tenant_id() AND d.knowledge_base_id = p_kb AND d.metadata @> p_metadata))
   ORDER BY rank DESC, c.id LIMIT p_limit $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION chunk_text_candidates(uuid, tsquery, integer, jsonb, jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION chunk_text_candidates(uuid, tsquery, integer, jsonb, jsonb) TO hishamos_app;

-- Issue 16: self-hosted embedders at 1024 dimensions (bge-large, mxbai-embed-large, bge-m3) get
-- their own partial HNSW index (ADR 031's pattern), and a knowledge base may name a default
-- reranker (ADR 038). Existing bases keep working unchanged: `local` is still hashed n-grams, the
-- new offline embedder is a new name (`local-semantic`, ADR 037).
CREATE INDEX chunks_embedding_1024 ON chunks USING hnsw ((embedding::vector(1024)) vector_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dims = 1024;
--> statement-breakpoint
ALTER TABLE knowledge_bases ADD COLUMN rerank text;
--> statement-breakpoint
ALTER TABLE knowledge_bases DROP CONSTRAINT knowledge_bases_dimensions_check;
--> statement-breakpoint
ALTER TABLE knowledge_bases ADD CONSTRAINT knowledge_bases_dimensions_check CHECK (dimensions IN (384, 768, 1024, 1536));

-- The vector half of search scans half-precision HNSW indexes (issue 16, ADR 150): at 100k chunks
-- the halfvec graph answers ef_search 400 in about the time the single-precision one took for 200,
-- at the same recall (half the bytes per distance, an index half the size in the cache). Stored
-- embeddings stay single precision: the scan's candidates are ranked by their exact distance.
-- m and ef_construction as in 0004 (ef_construction 256 gained < 0.015 recall for twice the build).
CREATE INDEX IF NOT EXISTS chunks_embedding_384_half ON chunks USING hnsw ((embedding::halfvec(384)) halfvec_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dims = 384;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS chunks_embedding_768_half ON chunks USING hnsw ((embedding::halfvec(768)) halfvec_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dims = 768;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS chunks_embedding_1024_half ON chunks USING hnsw ((embedding::halfvec(1024)) halfvec_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dims = 1024;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS chunks_embedding_1536_half ON chunks USING hnsw ((embedding::halfvec(1536)) halfvec_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dims = 1536;
--> statement-breakpoint
DROP INDEX IF EXISTS chunks_embedding_384;
--> statement-breakpoint
DROP INDEX IF EXISTS chunks_embedding_768;
--> statement-breakpoint
DROP INDEX IF EXISTS chunks_embedding_1024;
--> statement-breakpoint
DROP INDEX IF EXISTS chunks_embedding_1536;

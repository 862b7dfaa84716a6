-- The workflow language (issue 13, ADR 090): a loop re-runs its body as a new iteration, so a
-- node may have several steps in one run, one per iteration; a skipped step records why.
ALTER TABLE run_steps ADD COLUMN iteration integer NOT NULL DEFAULT 1 CHECK (iteration BETWEEN 1 AND 20);
--> statement-breakpoint
ALTER TABLE run_steps ADD COLUMN skip_reason text;
--> statement-breakpoint
ALTER TABLE run_steps DROP CONSTRAINT IF EXISTS run_steps_run_id_node_id_key;
--> statement-breakpoint
ALTER TABLE run_steps ADD CONSTRAINT run_steps_run_node_iteration UNIQUE (run_id, node_id, iteration);

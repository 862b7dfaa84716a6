-- The workflow language (issue 13, ADR 090): a loop re-runs its body as a new iteration, so a
-- node may have several steps in one run, one per iteration; a skipped step records why.
ALTER TABLE run_steps ADD COLUMN iteration integer NOT NULL DEFAULT 1 CHECK (iteration BETWEEN 1 AND 20);
--> statement-breakpoint
ALTER TABLE run_steps ADD COLUMN skip_reason text;
--> statement-breakpoint
ALTER TABLE run_steps DROP CONSTRAINT IF EXISTS run_steps_run_id_node_id_key;
--> statement-breakpoint
ALTER TABLE run_steps ADD CONSTRAINT run_steps_run_node_iteration UNIQUE (run_id, node_id, iteration);
--> statement-breakpoint
-- Sub-workflow and map nodes start child runs: each is linked to its parent step (and the item it
-- runs for), and the parent step finds its children by this key; one child per item, ever.
ALTER TABLE runs ADD COLUMN parent_run_id uuid REFERENCES runs(id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE runs ADD COLUMN parent_step_id uuid REFERENCES run_steps(id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE runs ADD COLUMN item_index integer;
--> statement-breakpoint
CREATE UNIQUE INDEX runs_parent_step_item ON runs (parent_step_id, item_index) WHERE parent_step_id IS NOT NULL;

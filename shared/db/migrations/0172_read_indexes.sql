-- Indexes for reads that had none, and one index too many (issue 12: found by listing foreign keys
-- and filters without a matching index).
--
-- A run's children (sub-workflow, map and workflow-tool runs) are read by their parent run on every
-- read of the run (GET /v1/runs/{id}, which the console and the CLI poll) and by the cascade when a
-- run is deleted; the only index that fit was runs_parent_step_item, read whole: every child run of
-- every tenant, each time.
CREATE INDEX runs_parent_run ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
--> statement-breakpoint
-- A workflow's runs, newest first (GET /v1/runs?workflowId=, the console's workflow page) were the
-- tenant's runs in time order, filtered: a rarely run workflow read most of them for one page.
CREATE INDEX runs_workflow_started ON runs (workflow_id, started_at DESC);
--> statement-breakpoint
-- The approval inbox (GET /v1/approvals, and the console's waiting count) asks for a tenant's
-- waiting approval steps: run_steps, one row per step of every run, had no index for it. Keyed on
-- what never changes (tenant, type): a key or predicate on status or started_at would make every
-- step's updates write every index of run_steps instead of updating in place (HOT: 577 of 640
-- updates of a chain run are HOT without it, none with such an index; bench/engine-profile.ts).
CREATE INDEX run_steps_approvals ON run_steps (tenant_id) WHERE type = 'approval';
--> statement-breakpoint
-- A failed or timed-out run's attempts still in flight are charged by run (settleFailedRun); that
-- read scanned the tenant's usage records, the fastest-growing table. Not a partial index on the
-- in-flight outcome: a model call's final record updates that outcome, which would then move the
-- row in every index of the table instead of in place (HOT).
CREATE INDEX usage_records_run ON usage_records (run_id);
--> statement-breakpoint
-- The same columns as the unique constraint's own index (step_id, execution_id, attempt): every
-- usage write, two per model call, kept two identical trees.
DROP INDEX usage_records_step;

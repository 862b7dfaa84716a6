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
-- waiting approval steps, oldest first: run_steps, one row per step of every run, had no index for
-- it. Only waiting approvals are kept, so the index stays as small as the inbox.
CREATE INDEX run_steps_waiting_approvals ON run_steps (tenant_id, started_at, id)
  WHERE type = 'approval' AND status = 'WAITING';
--> statement-breakpoint
-- A failed or timed-out run's attempts still in flight are charged by run (settleFailedRun); that
-- read scanned the tenant's usage records, the fastest-growing table. Only in-flight rows are kept.
CREATE INDEX usage_records_run_in_flight ON usage_records (run_id) WHERE outcome = 'in_flight';
--> statement-breakpoint
-- The same columns as the unique constraint's own index (step_id, execution_id, attempt): every
-- usage write, two per model call, kept two identical trees.
DROP INDEX usage_records_step;

-- A run's children (sub-workflow, map and workflow-tool runs) are read by their parent run on every
-- read of the run (GET /v1/runs/{id}, which the console and the CLI poll) and by the cascade when a
-- run is deleted; without an index each was a scan of the tenant's runs.
CREATE INDEX runs_parent_run ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;

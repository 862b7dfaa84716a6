-- Batches (issue 13, ADR 160): one workflow run per input of a list, run by a Distributed Map
-- over the item list in the artifacts bucket. The row is the batch; its runs carry batch_id and
-- the index of their input, and a batch item starts at most one run, ever.
CREATE TABLE batches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  workflow_id uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  -- the version the batch runs: the named one or the published one when the batch started (ADR 120)
  workflow_version integer NOT NULL CHECK (workflow_version >= 1),
  status text NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
  total integer NOT NULL CHECK (total BETWEEN 1 AND 10000),
  max_concurrency integer NOT NULL CHECK (max_concurrency BETWEEN 1 AND 1000),
  items_key text NOT NULL CHECK (length(items_key) <= 300),
  execution_id text,
  error jsonb,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
--> statement-breakpoint
CREATE INDEX batches_tenant ON batches (tenant_id, created_at DESC);
--> statement-breakpoint
ALTER TABLE batches ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON batches USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON batches TO hishamos_app;
--> statement-breakpoint
ALTER TABLE runs ADD COLUMN batch_id uuid REFERENCES batches(id) ON DELETE SET NULL;
--> statement-breakpoint
ALTER TABLE runs ADD COLUMN batch_index integer CHECK (batch_index >= 0);
--> statement-breakpoint
-- A retried item (a task retry, a second map run) finds the run it started instead of a second.
CREATE UNIQUE INDEX runs_batch_item ON runs (batch_id, batch_index) WHERE batch_id IS NOT NULL;

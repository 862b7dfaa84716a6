-- Schedules (issue 13, ADR 121): a workflow run on a 5-field cron in an IANA time zone. The row
-- holds its next firing time; the timer (EventBridge Scheduler in AWS, the local runtime's poll)
-- fires that slot once and moves it past now, so missed slots collapse into one firing.
CREATE TABLE schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  workflow_id uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  -- null: the workflow's published version at each firing (ADR 120)
  workflow_version integer CHECK (workflow_version >= 1),
  cron text NOT NULL CHECK (length(cron) <= 200),
  timezone text NOT NULL CHECK (length(timezone) <= 64),
  input jsonb NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  next_fire_at timestamptz,
  last_fired_at timestamptz,
  last_run_id uuid,
  last_error text,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX schedules_tenant ON schedules (tenant_id, created_at DESC);
--> statement-breakpoint
CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE enabled;
--> statement-breakpoint
ALTER TABLE schedules ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON schedules USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON schedules TO hishamos_app;
--> statement-breakpoint
-- Every firing is a run marked with its schedule (and the slot it fired for).
ALTER TABLE runs ADD COLUMN schedule_id uuid REFERENCES schedules(id) ON DELETE SET NULL;
--> statement-breakpoint
ALTER TABLE runs ADD COLUMN scheduled_for timestamptz;
--> statement-breakpoint
CREATE INDEX runs_schedule ON runs (schedule_id, started_at DESC) WHERE schedule_id IS NOT NULL;
--> statement-breakpoint
-- The timers (the local poll; in AWS the safety net behind EventBridge Scheduler) find due
-- schedules across tenants; each firing then runs inside its own tenant.
CREATE OR REPLACE FUNCTION schedules_due(p_now timestamptz, p_limit integer)
RETURNS TABLE (id uuid, tenant_id uuid, next_fire_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT s.id, s.tenant_id, s.next_fire_at FROM schedules s WHERE s.enabled AND s.next_fire_at <= p_now ORDER BY s.next_fire_at LIMIT p_limit $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION schedules_due(timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION schedules_due(timestamptz, integer) TO hishamos_app;

-- Automation: triggers (webhook rules that start workflows) and every webhook delivery they receive.
CREATE TABLE triggers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name text NOT NULL,
  source text NOT NULL CHECK (source IN ('github', 'jira')),
  workflow_id uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  rules jsonb NOT NULL,
  input_mapping jsonb NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  -- last 4 characters of the webhook secret, so people can tell which one GitHub holds
  secret_hint text NOT NULL,
  -- what kind of provider credentials are stored in the secret store (never the credentials)
  credentials_kind text CHECK (credentials_kind IN ('token', 'app', 'basic')),
  credentials_hint text,
  -- Jira site / GitHub API base the tool steps talk to (not secret)
  api_base_url text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX triggers_tenant ON triggers (tenant_id, created_at DESC);
--> statement-breakpoint
CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  trigger_id uuid NOT NULL REFERENCES triggers(id) ON DELETE CASCADE,
  -- X-GitHub-Delivery / X-Atlassian-Webhook-Identifier (null when the request carried none)
  delivery_id text,
  event text,
  outcome text NOT NULL CHECK (outcome IN ('started', 'ignored', 'duplicate', 'rejected')),
  reason text,
  run_id uuid REFERENCES runs(id) ON DELETE SET NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX webhook_deliveries_trigger ON webhook_deliveries (trigger_id, received_at DESC);
--> statement-breakpoint
CREATE INDEX webhook_deliveries_run ON webhook_deliveries (run_id) WHERE run_id IS NOT NULL;
--> statement-breakpoint
ALTER TABLE triggers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON triggers USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY tenant_isolation ON webhook_deliveries USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON triggers TO hishamos_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_deliveries TO hishamos_app;
--> statement-breakpoint
-- The webhook door: a delivery names only its trigger, so the tenant is found before any tenant
-- context exists. Returns just what verification needs; no rules, no workflow, no secrets.
CREATE OR REPLACE FUNCTION automation_find_trigger(p_id uuid)
RETURNS TABLE (tenant_id uuid, source text, enabled boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT t.tenant_id, t.source, t.enabled FROM triggers t WHERE t.id = p_id $$;
--> statement-breakpoint
-- The reconciliation job walks every enabled GitHub App trigger across tenants.
CREATE OR REPLACE FUNCTION automation_github_app_triggers()
RETURNS TABLE (id uuid, tenant_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT t.id, t.tenant_id FROM triggers t WHERE t.source = 'github' AND t.credentials_kind = 'app' AND t.enabled ORDER BY t.created_at $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION automation_find_trigger(uuid), automation_github_app_triggers() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION automation_find_trigger(uuid), automation_github_app_triggers() TO hishamos_app;

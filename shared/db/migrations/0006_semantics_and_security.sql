-- Issue 11. A step in flight when its run is cancelled settles as CANCELLED (its cost still counts).
ALTER TABLE run_steps DROP CONSTRAINT IF EXISTS run_steps_status_check;
--> statement-breakpoint
ALTER TABLE run_steps ADD CONSTRAINT run_steps_status_check
  CHECK (status IN ('PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'));
--> statement-breakpoint
-- The head of every tenant's audit chain, for the anchoring task (which runs for no tenant).
CREATE OR REPLACE FUNCTION audit_heads()
RETURNS TABLE (tenant_id uuid, seq bigint, hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT DISTINCT ON (a.tenant_id) a.tenant_id, a.seq, a.hash FROM audit_log a ORDER BY a.tenant_id, a.seq DESC $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION audit_heads() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION audit_heads() TO hishamos_app;

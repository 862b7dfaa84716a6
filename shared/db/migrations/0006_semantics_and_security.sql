-- Issue 11. A step in flight when its run is cancelled settles as CANCELLED (its cost still counts).
ALTER TABLE run_steps DROP CONSTRAINT IF EXISTS run_steps_status_check;
--> statement-breakpoint
ALTER TABLE run_steps ADD CONSTRAINT run_steps_status_check
  CHECK (status IN ('PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'));

-- The application's own database user (ADR 047): it logs in (its password is set by the migrate
-- function from the Data stack's app secret, never in SQL), holds hishamos_app's grants and can
-- SET ROLE to it, and is neither superuser, owner of anything, nor able to bypass row-level security.
-- Only the migrate function keeps the cluster's owner (master) secret.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hishamos_api') THEN
    CREATE ROLE hishamos_api NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT;
  END IF;
EXCEPTION WHEN duplicate_object THEN
  NULL; -- roles are per server: another database's migration created it a moment ago
END $$;
--> statement-breakpoint
GRANT hishamos_app TO hishamos_api;

-- HishamOS foundation schema. Statements are separated by statement-breakpoint markers so the
-- RDS Data API (one statement per call) can apply the same file as PGlite and pg.
CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hishamos_app') THEN
    CREATE ROLE hishamos_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END $$;
--> statement-breakpoint
-- The migrating user must be able to `SET ROLE hishamos_app` (not automatic outside superusers, e.g. on Aurora).
DO $$ BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT hishamos_app TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE,
  name text,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE memberships (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'dev', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
--> statement-breakpoint
CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  family_id uuid NOT NULL,
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  rotated_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
--> statement-breakpoint
CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name text NOT NULL,
  prefix text NOT NULL UNIQUE,
  secret_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'dev', 'viewer')),
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE agents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  slug text NOT NULL,
  current_version integer NOT NULL,
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX agents_tenant_slug ON agents (tenant_id, slug) WHERE deleted_at IS NULL;
--> statement-breakpoint
CREATE TABLE agent_versions (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  agent_id uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  version integer NOT NULL,
  spec jsonb NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, version)
);
--> statement-breakpoint
CREATE TABLE workflows (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  slug text NOT NULL,
  current_version integer NOT NULL,
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX workflows_tenant_slug ON workflows (tenant_id, slug) WHERE deleted_at IS NULL;
--> statement-breakpoint
CREATE TABLE workflow_versions (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  workflow_id uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  version integer NOT NULL,
  spec jsonb NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, version)
);
--> statement-breakpoint
CREATE TABLE runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  workflow_id uuid NOT NULL REFERENCES workflows(id),
  workflow_version integer NOT NULL,
  -- agent slug -> {agentId, version}: the run is pinned to the versions it started with
  agent_versions jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
  input jsonb NOT NULL,
  output jsonb,
  error jsonb,
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
  execution_ids jsonb NOT NULL DEFAULT '[]',
  rerun_of uuid,
  created_by text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
--> statement-breakpoint
CREATE INDEX runs_tenant_started ON runs (tenant_id, started_at DESC);
--> statement-breakpoint
CREATE TABLE run_steps (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_id text NOT NULL,
  type text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'SKIPPED')),
  prompt text,
  output jsonb,
  error jsonb,
  provider text,
  model text,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
  started_at timestamptz,
  finished_at timestamptz,
  UNIQUE (run_id, node_id)
);
--> statement-breakpoint
-- One row per model call attempt: the step trace and the meter are the same record.
CREATE TABLE usage_records (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  workflow_id uuid,
  run_id uuid REFERENCES runs(id) ON DELETE CASCADE,
  step_id uuid REFERENCES run_steps(id) ON DELETE CASCADE,
  execution_id text,
  attempt integer NOT NULL,
  provider text NOT NULL,
  model text NOT NULL,
  outcome text NOT NULL,
  error_name text,
  error_message text,
  latency_ms integer NOT NULL DEFAULT 0,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cached_input_tokens integer NOT NULL DEFAULT 0,
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
  priced boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (step_id, execution_id, attempt)
);
--> statement-breakpoint
CREATE INDEX usage_records_tenant_time ON usage_records (tenant_id, created_at);
--> statement-breakpoint
CREATE TABLE run_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step_id uuid,
  node_id text,
  type text NOT NULL,
  message text NOT NULL,
  data jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX run_events_run ON run_events (run_id, seq);
--> statement-breakpoint
CREATE TABLE audit_log (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  actor text NOT NULL,
  action text NOT NULL,
  target text,
  data jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, seq);
--> statement-breakpoint
-- Append-only: the application role may insert and read, never change or delete.
CREATE OR REPLACE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();
--> statement-breakpoint
-- Row-level security: every tenant-owned table sees only the tenant of the transaction.
DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['memberships','refresh_tokens','api_keys','agents','agent_versions','workflows','workflow_versions','runs','run_steps','usage_records','run_events','audit_log'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO hishamos_app', t);
  END LOOP;
END $$;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON audit_log FROM hishamos_app;
--> statement-breakpoint
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_self ON tenants USING (id = app_tenant_id());
--> statement-breakpoint
GRANT SELECT, UPDATE ON tenants TO hishamos_app;
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A user row is visible to itself and to the tenants it belongs to.
CREATE POLICY user_visible ON users USING (
  id = app_user_id() OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = app_tenant_id())
);
--> statement-breakpoint
CREATE POLICY user_insert ON users FOR INSERT WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON users TO hishamos_app;
--> statement-breakpoint
-- Narrow, audited doors across tenants for authentication only. They run as the owner
-- (SECURITY DEFINER) and return just what sign-in needs.
CREATE OR REPLACE FUNCTION auth_find_user(p_email text)
RETURNS TABLE (id uuid, email text, name text, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT u.id, u.email, u.name, u.password_hash FROM users u WHERE u.email = lower(p_email) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_user_memberships(p_user uuid)
RETURNS TABLE (tenant_id uuid, tenant_slug text, tenant_name text, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT m.tenant_id, t.slug, t.name, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
   WHERE m.user_id = p_user ORDER BY m.created_at $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_find_refresh_token(p_hash text)
RETURNS TABLE (id uuid, tenant_id uuid, user_id uuid, family_id uuid, expires_at timestamptz, rotated_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT r.id, r.tenant_id, r.user_id, r.family_id, r.expires_at, r.rotated_at, r.revoked_at FROM refresh_tokens r WHERE r.token_hash = p_hash $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_find_api_key(p_prefix text)
RETURNS TABLE (id uuid, tenant_id uuid, secret_hash text, role text, expires_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT k.id, k.tenant_id, k.secret_hash, k.role, k.expires_at, k.revoked_at FROM api_keys k WHERE k.prefix = p_prefix $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_create_tenant(p_slug text, p_name text)
RETURNS uuid LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS
$$ INSERT INTO tenants (slug, name) VALUES (p_slug, p_name) RETURNING id $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_find_user(text), auth_user_memberships(uuid), auth_find_refresh_token(text), auth_find_api_key(text), auth_create_tenant(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_find_user(text), auth_user_memberships(uuid), auth_find_refresh_token(text), auth_find_api_key(text), auth_create_tenant(text, text) TO hishamos_app;

-- LLM gateway (issue 3): tenant provider-key metadata, the versioned price table (platform list
-- prices + per-tenant overrides), budgets and their in-flight reservations, and the attempt-trace
-- columns the fallback walk reads back. See docs/adr/010-014.
--
-- Attempt trace: which chain entry an attempt used and the Retry-After the provider asked for.
ALTER TABLE usage_records ADD COLUMN model_ref text;
--> statement-breakpoint
ALTER TABLE usage_records ADD COLUMN retry_after_ms integer;
--> statement-breakpoint
CREATE INDEX usage_records_step ON usage_records (step_id, execution_id, attempt);
--> statement-breakpoint
-- Which provider keys a tenant stored (the key itself lives in the secret store, never here).
CREATE TABLE provider_keys (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  provider text NOT NULL CHECK (provider IN ('openai', 'anthropic', 'gemini', 'compatible')),
  last4 text NOT NULL,
  base_url text,
  set_by text NOT NULL,
  set_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider)
);
--> statement-breakpoint
-- Platform list prices: global, not tenant-owned. The application role may only read them; new
-- versions arrive through migrations (operators), never through a tenant's API call (ADR 011).
CREATE TABLE model_prices (
  provider text NOT NULL,
  model text NOT NULL,
  version integer NOT NULL,
  input_per_mtok numeric(12, 6) NOT NULL CHECK (input_per_mtok >= 0),
  output_per_mtok numeric(12, 6) NOT NULL CHECK (output_per_mtok >= 0),
  cached_input_per_mtok numeric(12, 6) NOT NULL CHECK (cached_input_per_mtok >= 0),
  effective_from timestamptz NOT NULL,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, model, version)
);
--> statement-breakpoint
GRANT SELECT ON model_prices TO hishamos_app;
--> statement-breakpoint
-- A tenant's own prices (negotiated discounts, a model the platform has not priced yet, a
-- self-hosted compatible server): tenant-owned, versioned, edited by the tenant's admins.
CREATE TABLE tenant_model_prices (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  provider text NOT NULL,
  model text NOT NULL,
  version integer NOT NULL,
  input_per_mtok numeric(12, 6) NOT NULL CHECK (input_per_mtok >= 0),
  output_per_mtok numeric(12, 6) NOT NULL CHECK (output_per_mtok >= 0),
  cached_input_per_mtok numeric(12, 6) NOT NULL CHECK (cached_input_per_mtok >= 0),
  effective_from timestamptz NOT NULL,
  note text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider, model, version)
);
--> statement-breakpoint
-- Monthly budgets: one per tenant (workflow_id NULL) and optionally one per workflow.
CREATE TABLE budgets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  workflow_id uuid REFERENCES workflows(id) ON DELETE CASCADE,
  monthly_limit_usd numeric(14, 6) NOT NULL CHECK (monthly_limit_usd >= 0),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX budgets_scope ON budgets (tenant_id, coalesce(workflow_id, '00000000-0000-0000-0000-000000000000'::uuid));
--> statement-breakpoint
-- An estimate held for a call in flight; deleted in the same transaction that writes the attempt's
-- usage record (settle). A crashed Lambda's reservation stops counting at expires_at.
CREATE TABLE budget_reservations (
  id text PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  workflow_id uuid,
  amount_usd numeric(14, 6) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
--> statement-breakpoint
CREATE INDEX budget_reservations_tenant ON budget_reservations (tenant_id, expires_at);
--> statement-breakpoint
DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['provider_keys','tenant_model_prices','budgets','budget_reservations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO hishamos_app', t);
  END LOOP;
END $$;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON tenant_model_prices FROM hishamos_app;
--> statement-breakpoint
-- List prices in USD per million tokens as published by the providers (standard tier, prompts
-- under any long-context threshold). CHECK THEM before relying on the figures: see ADR 011.
INSERT INTO model_prices (provider, model, version, input_per_mtok, output_per_mtok, cached_input_per_mtok, effective_from, note) VALUES
  ('openai', 'gpt-5', 1, 1.25, 10.00, 0.125, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('openai', 'gpt-5-mini', 1, 0.25, 2.00, 0.025, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('openai', 'gpt-5-nano', 1, 0.05, 0.40, 0.005, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('openai', 'gpt-4.1', 1, 2.00, 8.00, 0.50, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('openai', 'gpt-4.1-mini', 1, 0.40, 1.60, 0.10, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('openai', 'gpt-4.1-nano', 1, 0.10, 0.40, 0.025, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('openai', 'gpt-4o', 1, 2.50, 10.00, 1.25, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('openai', 'gpt-4o-mini', 1, 0.15, 0.60, 0.075, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('openai', 'o3', 1, 2.00, 8.00, 0.50, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('openai', 'o3-mini', 1, 1.10, 4.40, 0.55, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('openai', 'o4-mini', 1, 1.10, 4.40, 0.275, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('anthropic', 'claude-opus-4-5', 1, 5.00, 25.00, 0.50, '2025-01-01T00:00:00Z', 'seed: list price (cache read)'),
  ('anthropic', 'claude-opus-4-1', 1, 15.00, 75.00, 1.50, '2025-01-01T00:00:00Z', 'seed: list price (cache read)'),
  ('anthropic', 'claude-opus-4', 1, 15.00, 75.00, 1.50, '2025-01-01T00:00:00Z', 'seed: list price (cache read)'),
  ('anthropic', 'claude-sonnet-4-5', 1, 3.00, 15.00, 0.30, '2025-01-01T00:00:00Z', 'seed: list price (cache read)'),
  ('anthropic', 'claude-sonnet-4', 1, 3.00, 15.00, 0.30, '2025-01-01T00:00:00Z', 'seed: list price (cache read)'),
  ('anthropic', 'claude-3-7-sonnet', 1, 3.00, 15.00, 0.30, '2025-01-01T00:00:00Z', 'seed: list price (cache read)'),
  ('anthropic', 'claude-haiku-4-5', 1, 1.00, 5.00, 0.10, '2025-01-01T00:00:00Z', 'seed: list price (cache read)'),
  ('anthropic', 'claude-3-5-haiku', 1, 0.80, 4.00, 0.08, '2025-01-01T00:00:00Z', 'seed: list price (cache read)'),
  ('gemini', 'gemini-2.5-pro', 1, 1.25, 10.00, 0.31, '2025-01-01T00:00:00Z', 'seed: list price (prompts <= 200k tokens)'),
  ('gemini', 'gemini-2.5-flash', 1, 0.30, 2.50, 0.075, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('gemini', 'gemini-2.5-flash-lite', 1, 0.10, 0.40, 0.025, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('gemini', 'gemini-2.0-flash', 1, 0.10, 0.40, 0.025, '2025-01-01T00:00:00Z', 'seed: list price'),
  ('gemini', 'gemini-2.0-flash-lite', 1, 0.075, 0.30, 0.075, '2025-01-01T00:00:00Z', 'seed: list price (no cache discount)');

-- Per-tenant OpenID Connect single sign-on (issue 15). The client secret lives in the secret store;
-- this table keeps its last four characters only.
CREATE TABLE tenant_sso (
  tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  issuer text NOT NULL,
  client_id text NOT NULL,
  secret_last4 text NOT NULL,
  default_role text NOT NULL CHECK (default_role IN ('admin', 'dev', 'viewer')),
  role_claim text,
  role_map jsonb,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE user_identities (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  issuer text NOT NULL,
  subject text NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, issuer, subject)
);
--> statement-breakpoint
DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['tenant_sso','user_identities'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO hishamos_app', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- Starting an SSO sign-in names a tenant by slug, before any tenant context exists.
CREATE OR REPLACE FUNCTION auth_find_sso(p_slug text)
RETURNS TABLE (tenant_id uuid, issuer text, client_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT s.tenant_id, s.issuer, s.client_id FROM tenant_sso s JOIN tenants t ON t.id = s.tenant_id
   WHERE t.slug = p_slug OR t.id::text = p_slug $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_find_sso(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_find_sso(text) TO hishamos_app;

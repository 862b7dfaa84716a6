-- Identity for teams (issue 15): invitations, TOTP MFA with recovery codes, tenant security
-- settings (MFA required, SSO only) and the tenant PII policy, plus PII counts on run steps.
ALTER TABLE tenants ADD COLUMN mfa_required boolean NOT NULL DEFAULT false;
--> statement-breakpoint
ALTER TABLE tenants ADD COLUMN sso_only boolean NOT NULL DEFAULT false;
--> statement-breakpoint
ALTER TABLE tenants ADD COLUMN pii_policy jsonb;
--> statement-breakpoint
ALTER TABLE run_steps ADD COLUMN pii jsonb;
--> statement-breakpoint
CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'dev', 'viewer')),
  token_hash text NOT NULL UNIQUE,
  invited_by text NOT NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid REFERENCES users(id) ON DELETE SET NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- One open invitation per email and tenant: inviting again replaces the earlier one.
CREATE UNIQUE INDEX invitations_open ON invitations (tenant_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL;
--> statement-breakpoint
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON invitations USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON invitations TO hishamos_app;
--> statement-breakpoint
-- A user's TOTP factor: the secret sealed with a key derived from the signing key (ADR 060).
CREATE TABLE user_mfa (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret_sealed text NOT NULL,
  enabled_at timestamptz,
  last_step bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE mfa_recovery_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes (user_id);
--> statement-breakpoint
-- Factors belong to the user, not to a tenant: only the user of the transaction sees them.
DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['user_mfa','mfa_recovery_codes'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY user_self ON %I USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO hishamos_app', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- Accepting an invitation starts from its token alone, before any tenant is known.
CREATE OR REPLACE FUNCTION auth_find_invitation(p_hash text)
RETURNS TABLE (id uuid, tenant_id uuid, tenant_slug text, tenant_name text, email text, role text, expires_at timestamptz, accepted_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT i.id, i.tenant_id, t.slug, t.name, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at
   FROM invitations i JOIN tenants t ON t.id = i.tenant_id WHERE i.token_hash = p_hash $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_find_invitation(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_find_invitation(text) TO hishamos_app;

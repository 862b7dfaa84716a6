-- One statement appends to a tenant's audit hash chain (ADR 183): it takes the chain's lock, reads
-- the head and inserts the entry with its hash, so the lock is held for no client round trip
-- before the COMMIT. The caller gives the entry's canonical JSON (what verification hashes); the
-- hash is sha256(previous hash, a newline, that JSON) as `chainHash` computes it.
-- VOLATILE: each statement inside takes a fresh snapshot, so the head is read after the lock is
-- held and sees the entry the previous holder committed.
CREATE OR REPLACE FUNCTION audit_append(
  p_tenant uuid,
  p_actor text,
  p_action text,
  p_target text,
  p_data jsonb,
  p_created_at timestamptz,
  p_canonical text
) RETURNS text LANGUAGE plpgsql VOLATILE AS
$$ DECLARE
  head text;
  hashed text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('audit:' || p_tenant::text));
  SELECT hash INTO head FROM audit_log WHERE tenant_id = p_tenant ORDER BY seq DESC LIMIT 1;
  head := coalesce(head, repeat('0', 64));
  hashed := encode(sha256(convert_to(head || E'\n' || p_canonical, 'UTF8')), 'hex');
  INSERT INTO audit_log (tenant_id, actor, action, target, data, prev_hash, hash, created_at)
    VALUES (p_tenant, p_actor, p_action, p_target, p_data, head, hashed, p_created_at);
  RETURN hashed;
END $$;

-- Cross-instance cache invalidation (server/cache/invalidation.ts). Every change to what the
-- in-process caches hold — a tenant's status/pause/slug, its signing keys, OAuth clients, API keys,
-- policy versions, and the global policy — sends NOTIFY credo_cache '<tenant id>' ('*' = every tenant)
-- from a trigger, so it is part of the changing transaction: PostgreSQL delivers it on COMMIT (never
-- for a rollback), in commit order, to every instance's listener. A trigger, not a call in each
-- service, so no write path can forget it (jobs, the CLI, the deletion purge, a DBA's UPDATE).
-- pg_notify is executable by PUBLIC; trigger functions need no EXECUTE grant at run time.
CREATE FUNCTION credo_cache_notify() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
  target text;
BEGIN
  IF TG_ARGV[0] = 'global' THEN
    target := '*';
  ELSIF TG_TABLE_NAME = 'tenants' THEN
    IF TG_OP = 'DELETE' THEN target := OLD.id::text; ELSE target := NEW.id::text; END IF;
  ELSIF TG_OP = 'DELETE' THEN
    target := OLD.tenant_id::text;
  ELSE
    target := NEW.tenant_id::text;
  END IF;
  -- Identical payloads in one transaction are folded into one notification by PostgreSQL.
  PERFORM pg_notify('credo_cache', target);
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION credo_cache_notify() FROM PUBLIC;

-- tenants: only the columns the caches depend on (name or deletion timestamps do not invalidate).
CREATE TRIGGER tenants_cache_notify AFTER UPDATE OF slug, status, paused_at, paused_reason OR DELETE ON tenants
  FOR EACH ROW EXECUTE FUNCTION credo_cache_notify();
CREATE TRIGGER signing_keys_cache_notify AFTER INSERT OR UPDATE OF state, kid, alg, public_jwk OR DELETE ON signing_keys
  FOR EACH ROW EXECUTE FUNCTION credo_cache_notify();
CREATE TRIGGER oauth_clients_cache_notify AFTER INSERT OR UPDATE OR DELETE ON oauth_clients
  FOR EACH ROW EXECUTE FUNCTION credo_cache_notify();
-- api_keys: not last_used_at (written once a minute per busy key, changes nothing cached).
CREATE TRIGGER api_keys_cache_notify AFTER INSERT OR UPDATE OF public_id, name, scopes, secret_hash, expires_at, revoked_at OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION credo_cache_notify();
CREATE TRIGGER policy_versions_cache_notify AFTER INSERT OR DELETE ON policy_versions
  FOR EACH ROW EXECUTE FUNCTION credo_cache_notify();
CREATE TRIGGER global_policy_versions_cache_notify AFTER INSERT OR DELETE ON global_policy_versions
  FOR EACH ROW EXECUTE FUNCTION credo_cache_notify('global');

-- Least privilege for the runtime (README "Database roles").
--
-- Roles (cluster-wide, created once; this migration runs as the OWNER of the tables):
--   credo_app      NOLOGIN  what every request transaction runs as (doors.ts switches to it). Owns
--                           nothing, no BYPASSRLS. Its privileges are listed below, ONE BLOCK PER TABLE.
--   credo_runtime  LOGIN    the app's DATABASE_URL. NOINHERIT member of credo_app only: on its own it
--                           can do nothing, so `RESET ROLE` inside a transaction LOWERS privileges.
--   credo_jobs     NOLOGIN  the job queue's own connection (graphile_worker schema, granted by
--                           server/jobs/schema.ts after graphile migrates it, and job_worker_heartbeats).
--   credo_worker   LOGIN    JOBS_DATABASE_URL: member of credo_jobs only.
-- The login roles get no password here: the operator sets one (ALTER ROLE credo_runtime PASSWORD …).
--
-- Platform tables are written only through the SECURITY DEFINER functions at the end of this file,
-- which check their own arguments; password hashes are readable only through credo_user_credentials.
--
-- Extending (new tables of later migrations): add a block like the ones below: REVOKE ALL, then the
-- narrowest GRANT the code needs (column lists for UPDATE), RLS ENABLE + FORCE with policies that fail
-- closed. Later migrations adding columns to "users" must GRANT SELECT on them explicitly (see users).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'credo_app') THEN
    CREATE ROLE credo_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'credo_jobs') THEN
    CREATE ROLE credo_jobs NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'credo_runtime') THEN
    CREATE ROLE credo_runtime LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'credo_worker') THEN
    CREATE ROLE credo_worker LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT;
  END IF;
  IF NOT pg_has_role('credo_runtime', 'credo_app', 'MEMBER') THEN
    GRANT credo_app TO credo_runtime;
  END IF;
  IF NOT pg_has_role('credo_worker', 'credo_jobs', 'MEMBER') THEN
    GRANT credo_jobs TO credo_worker;
  END IF;
  -- The owner switches to credo_app too (seed, embedded PGlite, tests).
  IF NOT pg_has_role(current_user, 'credo_app', 'MEMBER') THEN
    EXECUTE format('GRANT credo_app TO %I', current_user);
  END IF;
  -- Connecting is granted per database, so one cluster can host several consoles' databases.
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO credo_runtime, credo_worker', current_database());
END
$$;

-- Nobody but the owner creates objects in public (PostgreSQL < 15 allowed it to PUBLIC).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO credo_app, credo_jobs;

-- The definer functions below run as the owner. FORCE ROW LEVEL SECURITY also binds the owner when
-- it is not a superuser, so each platform table gets a policy for the owner role (it owns the table
-- and could disable RLS anyway; the policy only matters inside those functions and migrations).
-- The owner's name is not known in advance: created per table with format(... %I, current_user).

-- =============================================================================================
-- users (platform): no INSERT, UPDATE or DELETE for the runtime; every column readable EXCEPT
-- password_hash and anything named like a secret (*_hash, *secret*, *token*, *recovery*); column
-- grants keep ordinary Prisma reads with `select` working. Computed from
-- the catalogue, so columns added by earlier migrations are covered; later migrations adding a
-- column must `GRANT SELECT ("col") ON "users" TO credo_app` themselves (never for secrets).
-- Writes: credo_create_user, credo_set_user_status, credo_set_user_password, credo_set_platform_role.
-- =============================================================================================
REVOKE ALL ON "users" FROM credo_app;
DO $$
DECLARE
  v_cols text;
BEGIN
  SELECT string_agg(format('%I', column_name), ', ' ORDER BY ordinal_position) INTO v_cols
    FROM information_schema.columns
   WHERE table_schema = 'public' AND table_name = 'users'
     -- Fail safe for secrets other migrations may have put on users: not readable either.
     AND column_name <> 'password_hash' AND column_name !~ '(_hash|secret|token|recovery)';
  EXECUTE format('GRANT SELECT (%s) ON "users" TO credo_app', v_cols);
END
$$;
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;
-- Operators are platform-wide: any transaction may read them (sign-in, member lists by e-mail).
CREATE POLICY "read_all" ON "users" FOR SELECT TO credo_app USING (true);
DO $$ BEGIN
  EXECUTE format('CREATE POLICY "owner_all" ON "users" TO %I USING (true) WITH CHECK (true)', current_user);
END $$;

-- =============================================================================================
-- tenants (platform): readable by every transaction (context resolution, the admin list); no
-- INSERT (credo_create_tenant) or DELETE (tombstones stay); UPDATE only of name/lifecycle columns and
-- only of the transaction's OWN tenant (deletion, purge, pause/resume enter the tenant first).
-- =============================================================================================
REVOKE ALL ON "tenants" FROM credo_app;
GRANT SELECT ON "tenants" TO credo_app;
-- (name: the purge's tombstone replaces it with the slug.) Never id or slug.
GRANT UPDATE ("name", "status", "deletion_requested_at", "deleted_at", "paused_at", "paused_reason") ON "tenants" TO credo_app;
ALTER TABLE "tenants" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenants" FORCE ROW LEVEL SECURITY;
CREATE POLICY "read_all" ON "tenants" FOR SELECT TO credo_app USING (true);
CREATE POLICY "update_own" ON "tenants" FOR UPDATE TO credo_app
  USING ("id" = app_current_tenant())
  WITH CHECK ("id" = app_current_tenant());
DO $$ BEGIN
  EXECUTE format('CREATE POLICY "owner_all" ON "tenants" TO %I USING (true) WITH CHECK (true)', current_user);
END $$;

-- =============================================================================================
-- tenant_deletions (platform record of a tenant-owned process): only in the tenant's own scope
-- (no more "platform door sees and writes everything"). No DELETE. The security admins' list and
-- the sweep find deletions through credo_tenant_deletion_index (ids only), then read each one in
-- its tenant's scope.
-- =============================================================================================
DROP POLICY "platform_or_own_tenant" ON "tenant_deletions";
REVOKE ALL ON "tenant_deletions" FROM credo_app;
GRANT SELECT, INSERT ON "tenant_deletions" TO credo_app;
GRANT UPDATE ("status", "grace_days", "purge_after", "cancelled_at", "cancelled_by_label", "purge_started_at",
              "completed_at", "step_index", "step", "deleted_counts", "batches", "retries", "last_error",
              "last_progress_at", "chain_seq", "chain_head_hash", "receipt")
  ON "tenant_deletions" TO credo_app;
CREATE POLICY "tenant_isolation" ON "tenant_deletions" TO credo_app
  USING ("target_tenant_id" = app_current_tenant())
  WITH CHECK ("target_tenant_id" = app_current_tenant());
DO $$ BEGIN
  EXECUTE format('CREATE POLICY "owner_all" ON "tenant_deletions" TO %I USING (true) WITH CHECK (true)', current_user);
END $$;

-- =============================================================================================
-- global_identifiers (platform registry): readable by all; a tenant transaction claims (INSERT)
-- and releases (DELETE) only values owned by ITS tenant (policies of 20261123140000); never UPDATE.
-- =============================================================================================
REVOKE ALL ON "global_identifiers" FROM credo_app;
GRANT SELECT, INSERT, DELETE ON "global_identifiers" TO credo_app;

-- =============================================================================================
-- global_policy_versions (platform): readable by all (tenant policies inherit from it); appended
-- only from the platform door (no tenant scope), never updated or deleted.
-- =============================================================================================
REVOKE ALL ON "global_policy_versions" FROM credo_app;
GRANT SELECT, INSERT ON "global_policy_versions" TO credo_app;
ALTER TABLE "global_policy_versions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "global_policy_versions" FORCE ROW LEVEL SECURITY;
CREATE POLICY "read_all" ON "global_policy_versions" FOR SELECT TO credo_app USING (true);
CREATE POLICY "append_from_platform" ON "global_policy_versions" FOR INSERT TO credo_app
  WITH CHECK (app_current_tenant() IS NULL);
DO $$ BEGIN
  EXECUTE format('CREATE POLICY "owner_all" ON "global_policy_versions" TO %I USING (true) WITH CHECK (true)', current_user);
END $$;

-- =============================================================================================
-- job_worker_heartbeats (job queue): the queue's connection only (credo_jobs); not the runtime.
-- =============================================================================================
REVOKE ALL ON "job_worker_heartbeats" FROM credo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "job_worker_heartbeats" TO credo_jobs;

-- =============================================================================================
-- Narrow write paths. Each is SECURITY DEFINER (runs as the owner), fixes its search_path, checks
-- its arguments itself (the database does not trust the caller's checks), refuses a tenant scope
-- where the change is platform-wide, and is granted to credo_app only.
-- =============================================================================================

-- Sign-in (server/auth/credentials.ts): the one way to read a password hash, one e-mail at a time.
-- Chosen over a separate credentials table + role: same protection against `SELECT password_hash
-- FROM users` (no bulk read), no second connection pool, and the users table stays one row per user.
CREATE FUNCTION credo_user_credentials(p_email text)
  RETURNS TABLE (id uuid, password_hash text, status text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT u.id, u.password_hash, u.status::text FROM public.users u WHERE u.email = lower(p_email) LIMIT 1
  $$;

-- A new operator: never with a platform role (credo_set_platform_role), always active.
CREATE FUNCTION credo_create_user(p_email text, p_name text, p_password_hash text)
  RETURNS uuid
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_id uuid;
BEGIN
  IF public.app_current_tenant() IS NOT NULL THEN
    RAISE EXCEPTION 'operators are created on the platform, not in a tenant transaction' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_email IS NULL OR p_email <> lower(btrim(p_email)) OR length(p_email) > 320 OR p_email !~ '^[^@[:space:]]+@[^@[:space:]]+$' THEN
    RAISE EXCEPTION 'invalid e-mail' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_name IS NULL OR length(btrim(p_name)) = 0 OR length(p_name) > 200 THEN
    RAISE EXCEPTION 'invalid name' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_password_hash IS NOT NULL AND p_password_hash !~ '^\$argon2id\$' THEN
    RAISE EXCEPTION 'password must be an argon2id hash' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO public.users (email, name, password_hash, platform_role, status)
    VALUES (p_email, p_name, p_password_hash, NULL, 'active')
    RETURNING users.id INTO v_id;
  RETURN v_id;
END
$$;

CREATE FUNCTION credo_set_user_status(p_user uuid, p_status text)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF public.app_current_tenant() IS NOT NULL THEN
    RAISE EXCEPTION 'operator status is changed on the platform, not in a tenant transaction' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_status IS NULL OR p_status NOT IN ('active', 'suspended') THEN
    RAISE EXCEPTION 'invalid status' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE public.users SET status = p_status WHERE id = p_user;
  RETURN FOUND;
END
$$;

-- Password change / reset: only an argon2id hash, never NULL (turning a password off is not a write path).
CREATE FUNCTION credo_set_user_password(p_user uuid, p_password_hash text)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF public.app_current_tenant() IS NOT NULL THEN
    RAISE EXCEPTION 'passwords are changed on the platform, not in a tenant transaction' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_password_hash IS NULL OR p_password_hash !~ '^\$argon2id\$' THEN
    RAISE EXCEPTION 'password must be an argon2id hash' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE public.users SET password_hash = p_password_hash WHERE id = p_user;
  RETURN FOUND;
END
$$;

-- Granting or removing the platform role: only ANOTHER, ACTIVE security admin (p_actor) may — so
-- the platform always keeps at least one (the actor). The first security admin is made by the
-- owner (npm run db:seed / the operator, server/db/owner.ts), never by the runtime.
CREATE FUNCTION credo_set_platform_role(p_actor uuid, p_user uuid, p_role text)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF public.app_current_tenant() IS NOT NULL THEN
    RAISE EXCEPTION 'platform roles are changed on the platform, not in a tenant transaction' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_role IS NOT NULL AND p_role NOT IN ('security_admin') THEN
    RAISE EXCEPTION 'invalid platform role' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_actor IS NULL OR p_user IS NULL OR p_actor = p_user THEN
    RAISE EXCEPTION 'a platform role is changed by another security admin' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- Lock first, check after: two admins removing each other at once are serialised, and the second
  -- check sees the first change (READ COMMITTED: a fresh snapshot per statement).
  PERFORM 1 FROM public.users WHERE id IN (p_actor, p_user) ORDER BY id FOR UPDATE;
  IF NOT EXISTS (SELECT 1 FROM public.users WHERE id = p_actor AND platform_role = 'security_admin' AND status = 'active') THEN
    RAISE EXCEPTION 'only an active security admin may change platform roles' USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE public.users SET platform_role = p_role WHERE id = p_user;
  RETURN FOUND;
END
$$;

-- Provisioning (server/services/provisioning.ts): the only INSERT into tenants; always 'active'.
CREATE FUNCTION credo_create_tenant(p_slug text, p_name text)
  RETURNS uuid
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_id uuid;
BEGIN
  IF public.app_current_tenant() IS NOT NULL THEN
    RAISE EXCEPTION 'tenants are created on the platform, not in a tenant transaction' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_slug IS NULL OR p_slug !~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' THEN
    RAISE EXCEPTION 'invalid slug' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_name IS NULL OR length(btrim(p_name)) = 0 OR length(p_name) > 200 THEN
    RAISE EXCEPTION 'invalid name' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO public.tenants (slug, name, status) VALUES (p_slug, p_name, 'active') RETURNING tenants.id INTO v_id;
  RETURN v_id;
END
$$;

-- Where deletions are (ids and tenant only; the rows are read in their tenant's scope): the security
-- admins' list (p_status NULL = any) and the sweep of due ones (p_due_at: pending with purge_after
-- <= p_due_at, or purging). At most 500.
CREATE FUNCTION credo_tenant_deletion_index(p_status text, p_due_at timestamptz, p_limit integer)
  RETURNS TABLE (id uuid, target_tenant_id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF public.app_current_tenant() IS NOT NULL THEN
    RAISE EXCEPTION 'the deletion index is a platform view' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 500 THEN
    RAISE EXCEPTION 'limit must be between 1 and 500' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_status IS NOT NULL AND p_status NOT IN ('pending', 'cancelled', 'purging', 'completed') THEN
    RAISE EXCEPTION 'invalid status' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN QUERY
    SELECT d.id, d.target_tenant_id FROM public.tenant_deletions d
     WHERE (p_status IS NULL OR d.status = p_status)
       AND (p_due_at IS NULL OR (d.status = 'pending' AND d.purge_after <= p_due_at) OR d.status = 'purging')
     ORDER BY d.requested_at DESC
     LIMIT p_limit;
END
$$;

-- A deletion's tenant (receipt download, the receipt CLI).
CREATE FUNCTION credo_tenant_deletion_tenant(p_deletion uuid)
  RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT d.target_tenant_id FROM public.tenant_deletions d WHERE d.id = p_deletion $$;

REVOKE ALL ON FUNCTION credo_user_credentials(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_create_user(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_set_user_status(uuid, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_set_user_password(uuid, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_set_platform_role(uuid, uuid, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_create_tenant(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_tenant_deletion_index(text, timestamptz, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_tenant_deletion_tenant(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credo_user_credentials(text) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_create_user(text, text, text) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_set_user_status(uuid, text) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_set_user_password(uuid, text) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_set_platform_role(uuid, uuid, text) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_create_tenant(text, text) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_tenant_deletion_index(text, timestamptz, integer) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_tenant_deletion_tenant(uuid) TO credo_app;

-- Least privilege for the features merged alongside 20261205200000_least_privilege: operator
-- accounts (names, passwords, invitations), sessions, the platform audit stream, second factors, the
-- dev outbox, and the purge's scrubbing of deletion records. Same rules as that migration: the
-- runtime (credo_app) never writes "users" directly, each table gets the narrowest grant its code
-- needs (column lists for UPDATE), and every table keeps RLS ENABLE + FORCE (set by its own migration).

-- =============================================================================================
-- users: more narrow write paths (SECURITY DEFINER, platform door only, arguments checked here).
-- =============================================================================================

-- Renaming oneself (account.updateName). Touches only "name".
CREATE FUNCTION credo_set_user_name(p_user uuid, p_name text)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF public.app_current_tenant() IS NOT NULL THEN
    RAISE EXCEPTION 'operators are renamed on the platform, not in a tenant transaction' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_name IS NULL OR length(btrim(p_name)) = 0 OR length(p_name) > 200 THEN
    RAISE EXCEPTION 'invalid name' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE public.users SET name = p_name WHERE id = p_user;
  RETURN FOUND;
END
$$;

-- Password change / reset / first password of an invited person: the hash and when it changed, in one
-- statement (the account page shows the date). Only an argon2id hash, never NULL.
CREATE FUNCTION credo_set_user_password(p_user uuid, p_password_hash text, p_changed_at timestamptz)
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
  IF p_changed_at IS NULL THEN
    RAISE EXCEPTION 'the time of the change is required' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE public.users SET password_hash = p_password_hash, password_changed_at = p_changed_at WHERE id = p_user;
  RETURN FOUND;
END
$$;

-- A security admin forces a password reset: the password stops working at once. The only way to
-- turn a password off; it can never set one (that is credo_set_user_password, with a hash).
CREATE FUNCTION credo_clear_user_password(p_user uuid)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF public.app_current_tenant() IS NOT NULL THEN
    RAISE EXCEPTION 'passwords are changed on the platform, not in a tenant transaction' USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE public.users SET password_hash = NULL WHERE id = p_user;
  RETURN FOUND;
END
$$;

-- Whether operators have a password (profile, the security admins' user list): a boolean per user,
-- never the hash. At most 500 ids.
CREATE FUNCTION credo_users_password_set(p_users uuid[])
  RETURNS TABLE (id uuid, has_password boolean)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF public.app_current_tenant() IS NOT NULL THEN
    RAISE EXCEPTION 'operators are a platform view' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_users IS NULL OR cardinality(p_users) > 500 THEN
    RAISE EXCEPTION 'between 0 and 500 users' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN QUERY SELECT u.id, u.password_hash IS NOT NULL FROM public.users u WHERE u.id = ANY (p_users);
END
$$;

REVOKE ALL ON FUNCTION credo_set_user_name(uuid, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_set_user_password(uuid, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_clear_user_password(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_users_password_set(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credo_set_user_name(uuid, text) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_set_user_password(uuid, text, timestamptz) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_clear_user_password(uuid) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_users_password_set(uuid[]) TO credo_app;

-- =============================================================================================
-- tenant_deletions: the purge's lease counter (20261205107100, added before the grant list of
-- 20261205200000 was written) and the scrubbing of personal data once the tenant is gone.
-- =============================================================================================
GRANT UPDATE ("lease_generation") ON "tenant_deletions" TO credo_app;

-- After the purge wrote the tombstone (tenants.status = 'deleted', same transaction), every deletion
-- record of the tenant keeps the requester's id and a SHA-256 digest of the reason, never the e-mail
-- labels or the free text. One-way and only for a deleted tenant, in its own scope: the runtime gets
-- no UPDATE on reason / requested_by_label (what a live deletion record must keep unchanged).
CREATE FUNCTION credo_scrub_tenant_deletions(p_tenant uuid)
  RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_n integer;
BEGIN
  IF p_tenant IS NULL OR public.app_current_tenant() IS DISTINCT FROM p_tenant THEN
    RAISE EXCEPTION 'deletion records are scrubbed in their own tenant''s scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.tenants t WHERE t.id = p_tenant AND t.status = 'deleted') THEN
    RAISE EXCEPTION 'only the deletion records of a purged tenant are scrubbed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE public.tenant_deletions SET
    reason = 'sha256:' || encode(sha256(convert_to(reason, 'UTF8')), 'hex'),
    requested_by_label = CASE WHEN requested_by_id IS NULL THEN 'system' ELSE 'user ' || requested_by_id::text END,
    cancelled_by_label = CASE WHEN cancelled_by_label IS NULL THEN NULL ELSE 'removed with the tenant' END
  WHERE target_tenant_id = p_tenant AND reason NOT LIKE 'sha256:%';
  GET DIAGNOSTICS v_n = ROW_COUNT;
  RETURN v_n;
END
$$;
REVOKE ALL ON FUNCTION credo_scrub_tenant_deletions(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credo_scrub_tenant_deletions(uuid) TO credo_app;

-- =============================================================================================
-- Platform audit stream: append-only for the runtime (the trigger refuses UPDATE/DELETE for all).
-- The chain head is the one row the runtime updates, and only its three moving columns.
-- =============================================================================================
REVOKE ALL ON "platform_audit_events" FROM credo_app;
GRANT SELECT, INSERT ON "platform_audit_events" TO credo_app;
REVOKE ALL ON "platform_audit_checkpoints" FROM credo_app;
GRANT SELECT, INSERT ON "platform_audit_checkpoints" TO credo_app;
REVOKE ALL ON "platform_audit_chain_head" FROM credo_app;
GRANT SELECT ON "platform_audit_chain_head" TO credo_app;
GRANT UPDATE ("seq", "head_hash", "updated_at") ON "platform_audit_chain_head" TO credo_app;
REVOKE ALL ON SEQUENCE "platform_audit_events_id_seq" FROM credo_app;
GRANT USAGE ON SEQUENCE "platform_audit_events_id_seq" TO credo_app;
REVOKE ALL ON SEQUENCE "platform_audit_checkpoints_id_seq" FROM credo_app;
GRANT USAGE ON SEQUENCE "platform_audit_checkpoints_id_seq" TO credo_app;

-- =============================================================================================
-- operator_sessions: created, touched and revoked; never deleted, never moved to another user.
-- =============================================================================================
REVOKE ALL ON "operator_sessions" FROM credo_app;
GRANT SELECT, INSERT ON "operator_sessions" TO credo_app;
GRANT UPDATE ("last_seen_at", "revoked_at", "revoked_reason", "second_factor_verified_at", "last_verified_at")
  ON "operator_sessions" TO credo_app;

-- =============================================================================================
-- Invitations and password reset tokens: created, then only used up or revoked. Never deleted; the
-- address, role and token hash of an issued link never change.
-- =============================================================================================
REVOKE ALL ON "platform_invitations" FROM credo_app;
GRANT SELECT, INSERT ON "platform_invitations" TO credo_app;
GRANT UPDATE ("accepted_at", "accepted_by", "revoked_at") ON "platform_invitations" TO credo_app;

REVOKE ALL ON "tenant_invitations" FROM credo_app;
GRANT SELECT, INSERT ON "tenant_invitations" TO credo_app;
GRANT UPDATE ("accepted_at", "accepted_by", "revoked_at") ON "tenant_invitations" TO credo_app;

REVOKE ALL ON "password_reset_tokens" FROM credo_app;
GRANT SELECT, INSERT ON "password_reset_tokens" TO credo_app;
GRANT UPDATE ("used_at") ON "password_reset_tokens" TO credo_app;

-- =============================================================================================
-- Second factors (own rows at the user door, all at the platform door, none in a tenant): a
-- factor's sealed secret, credential and public key are written once at creation; afterwards only
-- its name, confirmation and use counters move. Recovery codes are only marked used.
-- =============================================================================================
REVOKE ALL ON "user_factors" FROM credo_app;
GRANT SELECT, INSERT, DELETE ON "user_factors" TO credo_app;
GRANT UPDATE ("name", "confirmed_at", "last_used_at", "totp_last_step", "sign_count") ON "user_factors" TO credo_app;

REVOKE ALL ON "user_recovery_codes" FROM credo_app;
GRANT SELECT, INSERT, DELETE ON "user_recovery_codes" TO credo_app;
GRANT UPDATE ("used_at") ON "user_recovery_codes" TO credo_app;

REVOKE ALL ON "webauthn_challenges" FROM credo_app;
GRANT SELECT, INSERT, DELETE ON "webauthn_challenges" TO credo_app;
GRANT UPDATE ("challenge", "expires_at") ON "webauthn_challenges" TO credo_app;

-- =============================================================================================
-- dev_outbox: written by whichever transaction sends, read and cleared on the platform door.
-- =============================================================================================
REVOKE ALL ON "dev_outbox" FROM credo_app;
GRANT SELECT, INSERT, DELETE ON "dev_outbox" TO credo_app;

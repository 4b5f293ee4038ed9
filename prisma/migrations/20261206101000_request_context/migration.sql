-- One round trip at the start of a signed-in operator's request (server/db/doors.ts inOperatorRequest):
-- switch to the runtime role, enter the user's scope, read the operator, their server-side session,
-- the newest global policy version (its document only when it differs from the version the caller
-- already holds), what the second-factor gate needs, and — given a tenant slug — the tenant and the
-- operator's membership in it; then, only when the operator may open that tenant, leave the
-- transaction in that tenant's scope (app.user_id cleared, app.tenant_id set) for the procedure, and
-- return the tenant-wide policy layers (newest global and tenant versions) that most procedures and
-- the rate limiter read anyway (server/repos/policy-versions.ts latestLayers, primed from them).
--
-- SECURITY INVOKER (the default) and no SET clause: every read below runs as credo_app under the
-- same RLS as any door transaction, and the settings it makes stay transaction-local. A caller that
-- is not a member of credo_app cannot get past the first line. The application re-checks every
-- condition (server/tenancy/context.ts) and refuses when its verdict differs from `scoped`.
CREATE FUNCTION credo_request_context(p_user uuid, p_session uuid, p_slug text, p_known_policy integer)
  RETURNS TABLE (
    u_id text, u_email text, u_name text, u_platform_role text, u_status text,
    s_id text, s_created_at timestamptz, s_last_seen_at timestamptz, s_expires_at timestamptz,
    s_revoked_at timestamptz, s_second_factor_verified_at timestamptz, s_last_verified_at timestamptz,
    g_version integer, g_document jsonb,
    n_factors integer, n_memberships integer,
    t_id text, t_slug text, t_name text, t_status text, t_paused_at timestamptz, t_paused_reason text,
    m_role text, m_expires_at timestamptz,
    scoped boolean,
    lg_document jsonb, lg_author_label text, lg_comment text, lg_created_at timestamptz,
    lt_id text, lt_version integer, lt_document jsonb, lt_author_label text, lt_comment text, lt_created_at timestamptz
  )
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  PERFORM set_config('role', 'credo_app', true);
  PERFORM set_config('app.tenant_id', '', true);
  PERFORM set_config('app.user_id', p_user::text, true);

  SELECT uu.id::text, uu.email::text, uu.name::text, uu.platform_role::text, uu.status::text,
         os.id::text, os.created_at, os.last_seen_at, os.expires_at, os.revoked_at, os.second_factor_verified_at, os.last_verified_at,
         gp.version, CASE WHEN gp.version = p_known_policy THEN NULL ELSE gp.document END,
         CASE WHEN os.id IS NOT NULL AND os.second_factor_verified_at IS NULL
              THEN (SELECT count(*)::int FROM public.user_factors f WHERE f.user_id = uu.id AND f.confirmed_at IS NOT NULL) END,
         CASE WHEN os.id IS NOT NULL AND os.second_factor_verified_at IS NULL
              THEN (SELECT count(*)::int FROM public.memberships mm WHERE mm.user_id = uu.id) END
    INTO u_id, u_email, u_name, u_platform_role, u_status,
         s_id, s_created_at, s_last_seen_at, s_expires_at, s_revoked_at, s_second_factor_verified_at, s_last_verified_at,
         g_version, g_document, n_factors, n_memberships
    FROM public.users uu
    LEFT JOIN public.operator_sessions os ON os.id = p_session AND os.user_id = uu.id
    LEFT JOIN LATERAL (SELECT v.version, v.document FROM public.global_policy_versions v ORDER BY v.version DESC LIMIT 1) gp ON true
   WHERE uu.id = p_user;
  IF NOT FOUND THEN
    RETURN;
  END IF;

  scoped := false;
  IF p_slug IS NOT NULL THEN
    SELECT tt.id::text, tt.slug::text, tt.name::text, tt.status::text, tt.paused_at, tt.paused_reason::text, mm.role::text, mm.expires_at
      INTO t_id, t_slug, t_name, t_status, t_paused_at, t_paused_reason, m_role, m_expires_at
      FROM public.tenants tt
      LEFT JOIN public.memberships mm ON mm.tenant_id = tt.id AND mm.user_id = p_user
     WHERE tt.slug = p_slug;
    IF t_id IS NOT NULL AND t_status <> 'deleted' AND u_status = 'active' AND s_id IS NOT NULL AND s_revoked_at IS NULL
       AND (u_platform_role = 'security_admin'
            OR (m_role IN ('owner', 'support') AND (m_expires_at IS NULL OR m_expires_at > now()))) THEN
      PERFORM set_config('app.user_id', '', true);
      PERFORM set_config('app.tenant_id', t_id, true);
      scoped := true;
      SELECT v.document, v.author_label::text, v.comment::text, v.created_at
        INTO lg_document, lg_author_label, lg_comment, lg_created_at
        FROM public.global_policy_versions v WHERE v.version = g_version;
      SELECT pv.id::text, pv.version, pv.document, pv.author_label::text, pv.comment::text, pv.created_at
        INTO lt_id, lt_version, lt_document, lt_author_label, lt_comment, lt_created_at
        FROM public.policy_versions pv
       WHERE pv.tenant_id = t_id::uuid AND pv.scope = 'tenant'
       ORDER BY pv.version DESC LIMIT 1;
    END IF;
  END IF;
  RETURN NEXT;
END
$$;

-- Callers log in as credo_runtime, which holds no privilege until the function's first line switches
-- it to credo_app; nobody else may call it.
REVOKE ALL ON FUNCTION credo_request_context(uuid, uuid, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credo_request_context(uuid, uuid, text, integer) TO credo_app;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'credo_runtime') THEN
    GRANT EXECUTE ON FUNCTION credo_request_context(uuid, uuid, text, integer) TO credo_runtime;
  END IF;
END
$$;

-- The security admins' user list (issue 16): each listed user's memberships are read in THAT
-- user's own scope, as the own_memberships_read policy allows (a platform scope sees no tenant
-- rows). Done as one door per user, that was two statements per user — 58 for one page.
--
-- credo_memberships_by_user() does the same walk inside the database, in one statement. It is
-- SECURITY INVOKER: it runs as the caller (credo_app) under the same row level security, and only
-- switches app.user_id — which the caller can set itself — to each user in turn before reading, so
-- it can read nothing the per-user doors could not. It restores the caller's app.user_id at the end
-- (the transaction-local value, as the doors set it). At most 50 memberships per user, by slug.
CREATE FUNCTION credo_memberships_by_user(p_users uuid[])
RETURNS TABLE (member_id uuid, tenant_slug text, tenant_name text, member_role text, member_expires_at timestamptz)
  LANGUAGE plpgsql VOLATILE SECURITY INVOKER
  SET search_path = pg_catalog, pg_temp
  AS $$
#variable_conflict use_column
DECLARE
  v_caller text := coalesce(current_setting('app.user_id', true), '');
  v_user uuid;
BEGIN
  IF p_users IS NULL OR cardinality(p_users) > 200 THEN
    RAISE EXCEPTION 'between 0 and 200 users at a time' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOREACH v_user IN ARRAY p_users LOOP
    PERFORM set_config('app.user_id', v_user::text, true);
    RETURN QUERY
      SELECT m.user_id, t.slug::text, t.name::text, m.role::text, m.expires_at
        FROM public.memberships m JOIN public.tenants t ON t.id = m.tenant_id
       WHERE m.user_id = v_user
       ORDER BY t.slug
       LIMIT 50;
  END LOOP;
  PERFORM set_config('app.user_id', v_caller, true);
END
$$;

REVOKE ALL ON FUNCTION credo_memberships_by_user(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credo_memberships_by_user(uuid[]) TO credo_app;

-- The audit viewer's free text (issue 16: p95 < 25 ms on a tenant with 1M events). The trigram
-- index (migration 20261207106000) was useless to the runtime role: under row level security the
-- planner may use a clause as an index condition only if its operator is LEAKPROOF, and ILIKE is
-- not, so the viewer filtered the tenant's whole history.
--
-- audit_text_search() picks the page's event ids as a dedicated NOLOGIN role, credo_audit_search
-- (the credo_audit_feed pattern of migration 20261206103000), whose SELECT policy on audit_events
-- is USING (true): no security qual the ILIKE would have to wait for, so the planner uses the
-- trigram index. The tenant is NOT a parameter: the function reads the transaction's own scope
-- (app_current_tenant(), set by the tenant door, exactly what the RLS policies read) and refuses
-- to run without one, so it can only ever return ids of the caller's tenant. It returns ids only;
-- the repository then reads those rows through the runtime role's RLS as before (both layers
-- stay). Nobody logs in as credo_audit_search and only the migration owner is a member (to hand it
-- the function); credo_app may execute the function and nothing else of the role's.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'credo_audit_search') THEN
    CREATE ROLE credo_audit_search NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  IF NOT pg_has_role(current_user, 'credo_audit_search', 'MEMBER') THEN
    EXECUTE format('GRANT credo_audit_search TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO credo_audit_search;
GRANT SELECT ON "audit_events" TO credo_audit_search;
GRANT EXECUTE ON FUNCTION app_current_tenant() TO credo_audit_search;
CREATE POLICY "audit_text_search" ON "audit_events" FOR SELECT TO credo_audit_search USING (true);

-- The viewer's filters, each NULL when unused; p_pattern is an ILIKE pattern ('%term%', with
-- \ % _ escaped by the caller); p_action_from/p_action_to the action prefix as a code-point range
-- (COLLATE "C"). Newest first, ids below p_before, at most p_limit (1..201).
CREATE FUNCTION audit_text_search(
  p_pattern text, p_from timestamptz, p_to timestamptz, p_actor text, p_actor_pattern text,
  p_action_from text, p_action_to text, p_target_type text, p_target_id text, p_outcome text,
  p_before bigint, p_limit integer
) RETURNS SETOF bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_tenant uuid := public.app_current_tenant();
  v_sql text;
BEGIN
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'audit search needs a tenant scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_pattern IS NULL THEN
    RAISE EXCEPTION 'audit search needs a search term' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 201 THEN
    RAISE EXCEPTION 'page size must be between 1 and 201' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- Only the filters given, so each call is planned for its own values (the trigram index, or the
  -- (tenant_id, id) walk when the term is common and the newest page is near).
  v_sql := 'SELECT e.id FROM public.audit_events e WHERE e.tenant_id = $1'
    || ' AND (e.action ILIKE $2 OR e.target_type ILIKE $2 OR e.target_id ILIKE $2)'
    || CASE WHEN p_from IS NOT NULL THEN ' AND e.occurred_at >= $3' ELSE '' END
    || CASE WHEN p_to IS NOT NULL THEN ' AND e.occurred_at < $4' ELSE '' END
    || CASE WHEN p_actor IS NOT NULL THEN ' AND (e.actor_id = $5 OR e.actor_label ILIKE $6)' ELSE '' END
    || CASE WHEN p_action_from IS NOT NULL THEN ' AND e.action >= $7' ELSE '' END
    || CASE WHEN p_action_to IS NOT NULL THEN ' AND e.action < $8' ELSE '' END
    || CASE WHEN p_target_type IS NOT NULL THEN ' AND e.target_type = $9' ELSE '' END
    || CASE WHEN p_target_id IS NOT NULL THEN ' AND e.target_id = $10' ELSE '' END
    || CASE WHEN p_outcome IS NOT NULL THEN ' AND e.outcome::text = $11' ELSE '' END
    || CASE WHEN p_before IS NOT NULL THEN ' AND e.id < $12' ELSE '' END
    || ' ORDER BY e.id DESC LIMIT $13';
  RETURN QUERY EXECUTE v_sql
    USING v_tenant, p_pattern, p_from, p_to, p_actor, p_actor_pattern, p_action_from, p_action_to,
          p_target_type, p_target_id, p_outcome, p_before, p_limit;
END
$$;

DO $$
BEGIN
  -- ALTER ... OWNER needs the new owner to be able to create in the schema: only for this moment.
  GRANT CREATE ON SCHEMA public TO credo_audit_search;
  ALTER FUNCTION audit_text_search(text, timestamptz, timestamptz, text, text, text, text, text, text, text, bigint, integer) OWNER TO credo_audit_search;
  REVOKE CREATE ON SCHEMA public FROM credo_audit_search;
END
$$;
REVOKE ALL ON FUNCTION audit_text_search(text, timestamptz, timestamptz, text, text, text, text, text, text, text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_text_search(text, timestamptz, timestamptz, text, text, text, text, text, text, text, bigint, integer) TO credo_app;

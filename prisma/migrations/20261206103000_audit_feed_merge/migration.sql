-- The security admins' cross-tenant audit page in time independent of the number of tenants
-- (issue 16: 75 ms at 651 tenants, 644 ms at 10,007). platform_audit_feed visited every tenant in
-- turn under its own app.tenant_id (RLS) and platform_audit_regulated_summary counted per tenant:
-- both O(tenants). Now both are ONE set-based query each:
--   * the feed walks a global index on id backwards (newest first) and stops after p_limit rows;
--   * the summary counts stamped events from an index range on (regulated, occurred_at) and reads
--     each tenant's regulated mode once, set-based, from the newest policy versions.
--
-- A cross-tenant read needs rows of every tenant without a tenant scope. Instead of a blanket
-- bypass, both functions now run as a dedicated NOLOGIN role, credo_audit_feed, which nobody logs
-- in as and which only the migration owner is a member of (to hand it the functions). Its own
-- SELECT policies on audit_events, policy_versions and tenants apply ONLY to that role and only outside a
-- tenant scope; credo_app / credo_runtime gain nothing (they can execute the two functions, as
-- before, and nothing else of the role's). The rules stay those of ADR-003 and issue 12: an event
-- stamped regulated, or of a tenant regulated today, or of a deleted tenant, never appears; the
-- regulated totals are k-anonymous (no numbers over fewer than 5 tenants).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'credo_audit_feed') THEN
    CREATE ROLE credo_audit_feed NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  -- The owner hands the functions to the role (ALTER ... OWNER needs membership).
  IF NOT pg_has_role(current_user, 'credo_audit_feed', 'MEMBER') THEN
    EXECUTE format('GRANT credo_audit_feed TO %I', current_user);
  END IF;
END
$$;

-- Newest-first across tenants (every other index is tenant-led).
CREATE INDEX "audit_events_id_idx" ON "audit_events"("id" DESC);
-- Regulated totals: the stamped events of the last day, without visiting every tenant.
CREATE INDEX "audit_events_regulated_occurred_at_tenant_id_idx" ON "audit_events"("regulated", "occurred_at", "tenant_id");

GRANT USAGE ON SCHEMA public TO credo_audit_feed;
GRANT SELECT ON "audit_events", "tenants", "policy_versions", "global_policy_versions" TO credo_audit_feed;
GRANT EXECUTE ON FUNCTION credo_tenant_regulated(uuid) TO credo_audit_feed;
CREATE POLICY "platform_audit_feed" ON "audit_events" FOR SELECT TO credo_audit_feed USING (app_current_tenant() IS NULL);
CREATE POLICY "platform_audit_feed" ON "policy_versions" FOR SELECT TO credo_audit_feed USING (app_current_tenant() IS NULL AND scope = 'tenant');
CREATE POLICY "platform_audit_feed" ON "tenants" FOR SELECT TO credo_audit_feed USING (true);
GRANT EXECUTE ON FUNCTION app_current_tenant() TO credo_audit_feed;

CREATE OR REPLACE FUNCTION platform_audit_feed(p_before bigint, p_limit integer)
  RETURNS TABLE (tenant_id uuid, tenant_slug text, id bigint, occurred_at timestamptz, actor_type text, actor_label text,
                 action text, target_type text, target_id text, outcome text, seq bigint)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF nullif(current_setting('app.tenant_id', true), '') IS NOT NULL THEN
    RAISE EXCEPTION 'the platform audit view is not available inside a tenant scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'page size must be between 1 and 200' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- audit_events_id_idx backwards; each candidate joins its tenant by primary key. Skipped rows
  -- (stamped regulated, tenant regulated today or deleted) cost one more index step each.
  RETURN QUERY
    SELECT e.tenant_id, t.slug::text, e.id, e.occurred_at, e.actor_type::text, e.actor_label::text, e.action::text,
           e.target_type::text, e.target_id::text, e.outcome::text, e.seq
      FROM public.audit_events e JOIN public.tenants t ON t.id = e.tenant_id
     WHERE e.id < coalesce(p_before, 9223372036854775807) AND NOT e.regulated AND t.status <> 'deleted'
       AND NOT public.credo_tenant_regulated(e.tenant_id)
     ORDER BY e.id DESC
     LIMIT p_limit;
END
$$;

CREATE OR REPLACE FUNCTION platform_audit_regulated_summary(p_since timestamptz)
  RETURNS TABLE (tenants bigint, events bigint)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_tenants bigint;
  v_events bigint;
  c_k constant bigint := 5;
BEGIN
  IF nullif(current_setting('app.tenant_id', true), '') IS NOT NULL THEN
    RAISE EXCEPTION 'the platform audit view is not available inside a tenant scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- Same definition as credo_tenant_regulated, set-based: the newest tenant-scope version's pinned
  -- boolean, else the newest global one's, else false.
  WITH g AS (
    SELECT (SELECT CASE WHEN jsonb_typeof(gv.document #> '{regulated,enabled}') = 'boolean' THEN (gv.document #>> '{regulated,enabled}')::boolean END
              FROM public.global_policy_versions gv ORDER BY gv.version DESC LIMIT 1) AS on_
  ), pinned AS (
    SELECT DISTINCT ON (v.tenant_id) v.tenant_id,
           CASE WHEN jsonb_typeof(v.document #> '{regulated,enabled}') = 'boolean' THEN (v.document #>> '{regulated,enabled}')::boolean END AS on_
      FROM public.policy_versions v WHERE v.scope = 'tenant'
     ORDER BY v.tenant_id, v.version DESC
  ), stamped AS (
    SELECT e.tenant_id, count(*) AS n FROM public.audit_events e
     WHERE e.regulated AND e.occurred_at >= p_since GROUP BY e.tenant_id
  ), live AS (
    SELECT t.id, coalesce(s.n, 0) AS n,
           coalesce(p.on_, (SELECT on_ FROM g), false) AS regulated_now
      FROM public.tenants t
      LEFT JOIN pinned p ON p.tenant_id = t.id
      LEFT JOIN stamped s ON s.tenant_id = t.id
     WHERE t.status <> 'deleted'
  )
  SELECT count(*), coalesce(sum(n), 0)::bigint INTO v_tenants, v_events FROM live WHERE n > 0 OR regulated_now;
  IF v_tenants < c_k THEN
    RETURN QUERY SELECT NULL::bigint, NULL::bigint;
  ELSE
    RETURN QUERY SELECT v_tenants, v_events;
  END IF;
END
$$;

DO $$
BEGIN
  -- ALTER ... OWNER needs the new owner to be able to create in the schema: only for this moment.
  GRANT CREATE ON SCHEMA public TO credo_audit_feed;
  ALTER FUNCTION platform_audit_feed(bigint, integer) OWNER TO credo_audit_feed;
  ALTER FUNCTION platform_audit_regulated_summary(timestamptz) OWNER TO credo_audit_feed;
  REVOKE CREATE ON SCHEMA public FROM credo_audit_feed;
END
$$;
REVOKE ALL ON FUNCTION platform_audit_feed(bigint, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION platform_audit_regulated_summary(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform_audit_feed(bigint, integer) TO credo_app;
GRANT EXECUTE ON FUNCTION platform_audit_regulated_summary(timestamptz) TO credo_app;

-- Regulated mode keeps its promises (issue 12). Each audit event is stamped with its tenant's
-- EFFECTIVE regulated mode at the moment it is written, so turning regulated mode off later never
-- exposes the events recorded while it was on.
--
-- The stamp is set by a BEFORE INSERT trigger from credo_tenant_regulated() — the same definition
-- the cross-tenant view uses — inside the inserting transaction: it sees a policy change made
-- earlier in that transaction, costs no extra round trip, and the application cannot set it (any
-- value it sends is overwritten). It is NOT part of the hash chain (server/audit/chain.ts): events
-- written before this column existed keep verifying unchanged.

ALTER TABLE "audit_events" ADD COLUMN "regulated" BOOLEAN NOT NULL DEFAULT false;

CREATE FUNCTION audit_events_stamp_regulated() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  NEW.regulated := public.credo_tenant_regulated(NEW.tenant_id);
  RETURN NEW;
END
$$;

CREATE TRIGGER "audit_events_stamp_regulated" BEFORE INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_stamp_regulated();

GRANT EXECUTE ON FUNCTION credo_tenant_regulated(uuid) TO credo_app;

-- Backfill: the regulated state in force when each existing event occurred, from the policy
-- versions' history (a tenant's newest tenant-scope version at that time if it pins the boolean,
-- else the newest global one, else off). Run tenant by tenant under that tenant's scope (RLS).
DO $$
DECLARE
  v_scope text := current_setting('app.tenant_id', true);
  v_tenant record;
BEGIN
  FOR v_tenant IN SELECT id FROM public.tenants LOOP
    PERFORM set_config('app.tenant_id', v_tenant.id::text, true);
    UPDATE public.audit_events e SET regulated = coalesce(
      (SELECT CASE WHEN jsonb_typeof(v.document #> '{regulated,enabled}') = 'boolean' THEN (v.document #>> '{regulated,enabled}')::boolean END
         FROM public.policy_versions v
        WHERE v.tenant_id = e.tenant_id AND v.scope = 'tenant' AND v.created_at <= e.occurred_at
        ORDER BY v.version DESC LIMIT 1),
      (SELECT CASE WHEN jsonb_typeof(g.document #> '{regulated,enabled}') = 'boolean' THEN (g.document #>> '{regulated,enabled}')::boolean END
         FROM public.global_policy_versions g WHERE g.created_at <= e.occurred_at ORDER BY g.version DESC LIMIT 1),
      false)
     WHERE e.tenant_id = v_tenant.id;
  END LOOP;
  PERFORM set_config('app.tenant_id', coalesce(v_scope, ''), true);
END
$$;

-- The cross-tenant feed: regulated tenants are still skipped entirely, and now so is every event
-- stamped regulated, whatever the tenant's mode today.
CREATE OR REPLACE FUNCTION platform_audit_feed(p_before bigint, p_limit integer)
  RETURNS TABLE (tenant_id uuid, tenant_slug text, id bigint, occurred_at timestamptz, actor_type text, actor_label text,
                 action text, target_type text, target_id text, outcome text, seq bigint)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_scope text := current_setting('app.tenant_id', true);
  v_tenant record;
  v_batch bigint[];
  v_ids bigint[] := '{}';
  v_owners uuid[] := '{}';
  v_pick record;
BEGIN
  IF nullif(v_scope, '') IS NOT NULL THEN
    RAISE EXCEPTION 'the platform audit view is not available inside a tenant scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'page size must be between 1 and 200' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOR v_tenant IN SELECT t.id FROM public.tenants t WHERE t.status <> 'deleted' LOOP
    PERFORM set_config('app.tenant_id', v_tenant.id::text, true);
    CONTINUE WHEN public.credo_tenant_regulated(v_tenant.id);
    SELECT array_agg(x.id) INTO v_batch FROM (
      SELECT e.id FROM public.audit_events e
       WHERE e.tenant_id = v_tenant.id AND NOT e.regulated AND (p_before IS NULL OR e.id < p_before)
       ORDER BY e.id DESC LIMIT p_limit) x;
    IF v_batch IS NOT NULL THEN
      v_ids := v_ids || v_batch;
      v_owners := v_owners || array_fill(v_tenant.id, ARRAY[cardinality(v_batch)]);
    END IF;
  END LOOP;
  FOR v_pick IN
    SELECT p.owner, array_agg(p.id) AS ids FROM (
      SELECT u.id, u.owner FROM unnest(v_ids, v_owners) AS u(id, owner) ORDER BY u.id DESC LIMIT p_limit) p
    GROUP BY p.owner
  LOOP
    PERFORM set_config('app.tenant_id', v_pick.owner::text, true);
    RETURN QUERY
      SELECT e.tenant_id, t.slug::text, e.id, e.occurred_at, e.actor_type::text, e.actor_label::text, e.action::text,
             e.target_type::text, e.target_id::text, e.outcome::text, e.seq
        FROM public.audit_events e JOIN public.tenants t ON t.id = e.tenant_id
       WHERE e.tenant_id = v_pick.owner AND e.id = ANY (v_pick.ids) AND NOT e.regulated;
  END LOOP;
  PERFORM set_config('app.tenant_id', coalesce(v_scope, ''), true);
END
$$;

-- Anonymous totals of regulated activity: events stamped regulated since p_since, and the number of
-- tenants they (or a tenant regulated today) come from. k-anonymity: with fewer than 5 such
-- tenants both totals are NULL — a count over one or two tenants is attributable to them.
CREATE OR REPLACE FUNCTION platform_audit_regulated_summary(p_since timestamptz)
  RETURNS TABLE (tenants bigint, events bigint)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_scope text := current_setting('app.tenant_id', true);
  v_tenant record;
  v_tenants bigint := 0;
  v_events bigint := 0;
  v_n bigint;
  c_k constant bigint := 5;
BEGIN
  IF nullif(v_scope, '') IS NOT NULL THEN
    RAISE EXCEPTION 'the platform audit view is not available inside a tenant scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  FOR v_tenant IN SELECT t.id FROM public.tenants t WHERE t.status <> 'deleted' LOOP
    PERFORM set_config('app.tenant_id', v_tenant.id::text, true);
    SELECT count(*) INTO v_n FROM public.audit_events e
     WHERE e.tenant_id = v_tenant.id AND e.occurred_at >= p_since AND e.regulated;
    IF v_n > 0 OR public.credo_tenant_regulated(v_tenant.id) THEN
      v_tenants := v_tenants + 1;
      v_events := v_events + v_n;
    END IF;
  END LOOP;
  PERFORM set_config('app.tenant_id', coalesce(v_scope, ''), true);
  IF v_tenants < c_k THEN
    RETURN QUERY SELECT NULL::bigint, NULL::bigint;
  ELSE
    RETURN QUERY SELECT v_tenants, v_events;
  END IF;
END
$$;

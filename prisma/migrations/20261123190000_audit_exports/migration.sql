-- CreateTable
CREATE TABLE "audit_exports" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "status" VARCHAR(16) NOT NULL,
    "format" VARCHAR(8) NOT NULL,
    "filters" JSONB NOT NULL,
    "requested_by_type" VARCHAR(16) NOT NULL,
    "requested_by_id" VARCHAR(64),
    "requested_by_label" VARCHAR(320),
    "rows_written" BIGINT NOT NULL DEFAULT 0,
    "rows_estimated" BIGINT,
    "bytes_written" BIGINT,
    "sha256" BYTEA,
    "manifest" JSONB,
    "signature" TEXT,
    "error" VARCHAR(500),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audit_exports_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "audit_checkpoints" (
    "tenant_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,
    "event_count" BIGINT NOT NULL,
    "first_seq" BIGINT,
    "cutoff" TIMESTAMPTZ(3),
    "payload" JSONB NOT NULL,
    "signature" TEXT NOT NULL,
    "key_id" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "audit_retention_state" (
    "tenant_id" UUID NOT NULL,
    "last_run_at" TIMESTAMPTZ(3) NOT NULL,
    "retention_days" INTEGER NOT NULL,
    "last_cutoff" TIMESTAMPTZ(3) NOT NULL,
    "last_removed" BIGINT NOT NULL DEFAULT 0,
    "total_removed" BIGINT NOT NULL DEFAULT 0,
    "last_error" VARCHAR(500),

    CONSTRAINT "audit_retention_state_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateIndex
CREATE INDEX "audit_exports_tenant_id_created_at_idx" ON "audit_exports"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "audit_exports_tenant_id_expires_at_idx" ON "audit_exports"("tenant_id", "expires_at");

-- CreateIndex
CREATE INDEX "audit_checkpoints_tenant_id_kind_seq_idx" ON "audit_checkpoints"("tenant_id", "kind", "seq" DESC);

-- AddForeignKey
ALTER TABLE "audit_exports" ADD CONSTRAINT "audit_exports_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_retention_state" ADD CONSTRAINT "audit_retention_state_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Hand-written below: what Prisma's schema language cannot express.
-- ---------------------------------------------------------------------------------------------

ALTER TABLE "audit_exports" ADD CONSTRAINT "audit_exports_status_valid" CHECK ("status" IN ('queued', 'running', 'done', 'failed', 'expired'));
ALTER TABLE "audit_exports" ADD CONSTRAINT "audit_exports_format_valid" CHECK ("format" IN ('jsonl', 'csv'));
ALTER TABLE "audit_exports" ADD CONSTRAINT "audit_exports_filters_object" CHECK (jsonb_typeof("filters") = 'object');
ALTER TABLE "audit_exports" ADD CONSTRAINT "audit_exports_progress_valid" CHECK ("rows_written" >= 0 AND ("rows_estimated" IS NULL OR "rows_estimated" >= 0) AND "attempts" >= 0);
ALTER TABLE "audit_exports" ADD CONSTRAINT "audit_exports_done_complete" CHECK (
  "status" <> 'done' OR ("sha256" IS NOT NULL AND octet_length("sha256") = 32 AND "manifest" IS NOT NULL AND "signature" IS NOT NULL AND "finished_at" IS NOT NULL));

ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_kind_valid" CHECK ("kind" IN ('head', 'retention'));
ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_valid" CHECK (
  "seq" >= 0 AND "event_count" >= 0 AND octet_length("hash") = 32 AND jsonb_typeof("payload") = 'object');
ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_retention_complete" CHECK (
  "kind" <> 'retention' OR ("first_seq" IS NOT NULL AND "cutoff" IS NOT NULL));

ALTER TABLE "audit_retention_state" ADD CONSTRAINT "audit_retention_state_valid" CHECK ("retention_days" >= 1 AND "last_removed" >= 0 AND "total_removed" >= 0);

-- "Audit the audit" writes audit.viewed at most once per operator and tenant per window
-- (server/audit/audit-the-audit.ts): this small partial index answers "did this operator view the
-- trail recently?" without scanning the tenant's events.
CREATE INDEX "audit_events_viewed_idx" ON "audit_events" ("tenant_id", "actor_id", "occurred_at" DESC) WHERE "action" = 'audit.viewed';

-- Exports: the runtime role requests, advances, expires and deletes them (tenant-scoped).
GRANT SELECT, INSERT, UPDATE, DELETE ON "audit_exports" TO credo_app;
ALTER TABLE "audit_exports" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_exports" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "audit_exports"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

-- Checkpoints are append-only for the runtime role, like the events they vouch for.
GRANT SELECT, INSERT ON "audit_checkpoints" TO credo_app;
GRANT USAGE ON SEQUENCE "audit_checkpoints_id_seq" TO credo_app;
ALTER TABLE "audit_checkpoints" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_checkpoints" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "audit_checkpoints"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

GRANT SELECT, INSERT, UPDATE ON "audit_retention_state" TO credo_app;
ALTER TABLE "audit_retention_state" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_retention_state" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "audit_retention_state"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

-- ---------------------------------------------------------------------------------------------
-- The retention purge door (server/audit/retention.ts). The runtime role may never DELETE audit
-- events; the purge goes through this one function instead. It is owned by the migration owner,
-- granted to credo_app only, fixes its search_path, and deletes, for the transaction's OWN tenant
-- (app.tenant_id; FORCEd RLS applies on top when the owner is not a superuser), exactly the chain
-- prefix that a retention checkpoint recorded IN THE SAME TRANSACTION names — and only if:
--   * the checkpoint's cutoff is at least 30 days old (the policy's minimum: no caller can purge
--     recent events, whatever it claims the retention is);
--   * the range starts at the oldest remaining chained event (no holes), every event in it is older
--     than the cutoff, and the last one's hash is the checkpoint's (the chain that remains links to
--     what the signed checkpoint says was removed, so it still verifies).
-- Events from before the chain existed (seq NULL) are removed by age alone, at most p_unchained_limit.
-- The checkpoint's platform signature is made by the application (the key is not in the database);
-- verifyChain (server/audit/chain.ts) checks it, so a forged checkpoint is reported, not trusted.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION audit_retention_purge(p_checkpoint_id bigint, p_unchained_limit integer)
  RETURNS TABLE (chained bigint, unchained bigint)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_tenant uuid := public.app_current_tenant();
  v_cp record;
  v_first bigint;
  v_chained bigint := 0;
  v_unchained bigint := 0;
BEGIN
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'the retention purge needs a tenant scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_unchained_limit IS NULL OR p_unchained_limit NOT BETWEEN 0 AND 100000 THEN
    RAISE EXCEPTION 'unchained batch size must be between 0 and 100000' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT c.kind, c.seq, c.hash, c.event_count, c.first_seq, c.cutoff,
         (c.xmin::text = (txid_current() % 4294967296)::text) AS this_transaction
    INTO v_cp
    FROM public.audit_checkpoints c
   WHERE c.tenant_id = v_tenant AND c.id = p_checkpoint_id AND c.kind = 'retention';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no retention checkpoint % in this tenant', p_checkpoint_id USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT v_cp.this_transaction THEN
    RAISE EXCEPTION 'the retention checkpoint must be recorded in the purging transaction' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF v_cp.cutoff > now() - interval '30 days' THEN
    RAISE EXCEPTION 'audit events younger than 30 days are never purged' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF v_cp.event_count > 0 THEN
    SELECT min(e.seq) INTO v_first FROM public.audit_events e WHERE e.tenant_id = v_tenant AND e.seq IS NOT NULL;
    IF v_first IS DISTINCT FROM v_cp.first_seq OR v_cp.event_count <> v_cp.seq - v_cp.first_seq + 1 THEN
      RAISE EXCEPTION 'the retention checkpoint does not name the oldest events of the chain' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM public.audit_events e
                WHERE e.tenant_id = v_tenant AND e.seq BETWEEN v_cp.first_seq AND v_cp.seq AND e.occurred_at >= v_cp.cutoff) THEN
      RAISE EXCEPTION 'the range holds events newer than the cutoff' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.audit_events e WHERE e.tenant_id = v_tenant AND e.seq = v_cp.seq AND e.hash = v_cp.hash) THEN
      RAISE EXCEPTION 'the checkpoint hash is not the hash of the last event it removes' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    DELETE FROM public.audit_events e WHERE e.tenant_id = v_tenant AND e.seq BETWEEN v_cp.first_seq AND v_cp.seq;
    GET DIAGNOSTICS v_chained = ROW_COUNT;
    IF v_chained <> v_cp.event_count THEN
      RAISE EXCEPTION 'removed % events but the checkpoint says %', v_chained, v_cp.event_count USING ERRCODE = 'invalid_parameter_value';
    END IF;
  END IF;
  IF p_unchained_limit > 0 THEN
    DELETE FROM public.audit_events e
     WHERE e.tenant_id = v_tenant AND e.seq IS NULL AND e.id = ANY (ARRAY(
       SELECT u.id FROM public.audit_events u
        WHERE u.tenant_id = v_tenant AND u.seq IS NULL AND u.occurred_at < v_cp.cutoff LIMIT p_unchained_limit));
    GET DIAGNOSTICS v_unchained = ROW_COUNT;
  END IF;
  RETURN QUERY SELECT v_chained, v_unchained;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The platform audit view (server/audit/platform-view.ts; platform procedure platform.auditEvents,
-- security admins only). Tenant-owned rows are invisible outside a tenant scope, so a cross-tenant
-- read needs this documented door: it refuses to run inside a tenant scope, visits each tenant in
-- turn (setting app.tenant_id for that tenant, so RLS still applies), and resets the scope before
-- it returns. ADR-003: a tenant in REGULATED MODE is skipped entirely — its events never appear in a
-- cross-tenant view; platform_audit_regulated_summary gives only anonymous totals for them.
-- Regulated mode here is the EFFECTIVE value exactly as server/policies/resolve.ts computes it for
-- this boolean: the newest tenant-scope policy version's regulated.enabled if it is a JSON boolean,
-- else the newest global version's, else false (the default in server/policies/sections.ts).
-- server/audit/platform-view.test.ts holds the two definitions together.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION credo_tenant_regulated(p_tenant uuid)
  RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT coalesce(
    (SELECT CASE WHEN jsonb_typeof(v.document #> '{regulated,enabled}') = 'boolean' THEN (v.document #>> '{regulated,enabled}')::boolean END
       FROM public.policy_versions v WHERE v.tenant_id = p_tenant AND v.scope = 'tenant' ORDER BY v.version DESC LIMIT 1),
    (SELECT CASE WHEN jsonb_typeof(g.document #> '{regulated,enabled}') = 'boolean' THEN (g.document #>> '{regulated,enabled}')::boolean END
       FROM public.global_policy_versions g ORDER BY g.version DESC LIMIT 1),
    false)
$$;

CREATE FUNCTION platform_audit_feed(p_before bigint, p_limit integer)
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
  -- Each tenant's newest p_limit ids below the cursor (its (tenant_id, id) primary key, backwards).
  FOR v_tenant IN SELECT t.id FROM public.tenants t WHERE t.status <> 'deleted' LOOP
    PERFORM set_config('app.tenant_id', v_tenant.id::text, true);
    CONTINUE WHEN public.credo_tenant_regulated(v_tenant.id);
    SELECT array_agg(x.id) INTO v_batch FROM (
      SELECT e.id FROM public.audit_events e
       WHERE e.tenant_id = v_tenant.id AND (p_before IS NULL OR e.id < p_before)
       ORDER BY e.id DESC LIMIT p_limit) x;
    IF v_batch IS NOT NULL THEN
      v_ids := v_ids || v_batch;
      v_owners := v_owners || array_fill(v_tenant.id, ARRAY[cardinality(v_batch)]);
    END IF;
  END LOOP;
  -- The newest p_limit overall, read tenant by tenant (each under its own scope).
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
       WHERE e.tenant_id = v_pick.owner AND e.id = ANY (v_pick.ids);
  END LOOP;
  PERFORM set_config('app.tenant_id', coalesce(v_scope, ''), true);
END
$$;

-- Anonymous totals for the regulated tenants: how many there are and how many events they recorded
-- since p_since. No tenant id, slug or event detail leaves this function.
CREATE FUNCTION platform_audit_regulated_summary(p_since timestamptz)
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
BEGIN
  IF nullif(v_scope, '') IS NOT NULL THEN
    RAISE EXCEPTION 'the platform audit view is not available inside a tenant scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  FOR v_tenant IN SELECT t.id FROM public.tenants t WHERE t.status <> 'deleted' LOOP
    PERFORM set_config('app.tenant_id', v_tenant.id::text, true);
    CONTINUE WHEN NOT public.credo_tenant_regulated(v_tenant.id);
    SELECT count(*) INTO v_n FROM public.audit_events e WHERE e.tenant_id = v_tenant.id AND e.occurred_at >= p_since;
    v_tenants := v_tenants + 1;
    v_events := v_events + v_n;
  END LOOP;
  PERFORM set_config('app.tenant_id', coalesce(v_scope, ''), true);
  RETURN QUERY SELECT v_tenants, v_events;
END
$$;

REVOKE ALL ON FUNCTION audit_retention_purge(bigint, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_tenant_regulated(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION platform_audit_feed(bigint, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION platform_audit_regulated_summary(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_retention_purge(bigint, integer) TO credo_app;
GRANT EXECUTE ON FUNCTION platform_audit_feed(bigint, integer) TO credo_app;
GRANT EXECUTE ON FUNCTION platform_audit_regulated_summary(timestamptz) TO credo_app;

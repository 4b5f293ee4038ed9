-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "deleted_at" TIMESTAMPTZ(3),
ADD COLUMN     "deletion_requested_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "tenant_deletions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "target_tenant_id" UUID NOT NULL,
    "tenant_slug" VARCHAR(63) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "requested_by_id" UUID,
    "requested_by_label" VARCHAR(320) NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "grace_days" INTEGER NOT NULL,
    "purge_after" TIMESTAMPTZ(3) NOT NULL,
    "requested_counts" JSONB NOT NULL,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancelled_by_label" VARCHAR(320),
    "purge_started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "step_index" INTEGER NOT NULL DEFAULT 0,
    "step" VARCHAR(64),
    "deleted_counts" JSONB NOT NULL DEFAULT '{}',
    "batches" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "last_error" VARCHAR(1000),
    "last_progress_at" TIMESTAMPTZ(3),
    "chain_seq" BIGINT,
    "chain_head_hash" BYTEA,
    "receipt" TEXT,

    CONSTRAINT "tenant_deletions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_worker_heartbeats" (
    "pool_id" VARCHAR(64) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_worker_heartbeats_pkey" PRIMARY KEY ("pool_id")
);

-- CreateIndex
CREATE INDEX "tenant_deletions_target_tenant_id_requested_at_idx" ON "tenant_deletions"("target_tenant_id", "requested_at" DESC);

-- CreateIndex
CREATE INDEX "tenant_deletions_status_purge_after_idx" ON "tenant_deletions"("status", "purge_after");

-- AddForeignKey
ALTER TABLE "tenant_deletions" ADD CONSTRAINT "tenant_deletions_target_tenant_id_fkey" FOREIGN KEY ("target_tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Hand-written below: what Prisma's schema language cannot express.
-- ---------------------------------------------------------------------------------------------

-- Tenant lifecycle: active → pending_deletion (grace; cancel returns to active) → deleted (tombstone:
-- the row stays with its id, slug and dates; the slug stays reserved, see README "Tenant deletion").
ALTER TABLE "tenants" DROP CONSTRAINT "tenants_status_valid";
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_status_valid" CHECK ("status" IN ('active', 'suspended', 'pending_deletion', 'deleted'));
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_deleted_dated" CHECK ("status" <> 'deleted' OR "deleted_at" IS NOT NULL);

ALTER TABLE "tenant_deletions" ADD CONSTRAINT "tenant_deletions_status_valid" CHECK ("status" IN ('pending', 'cancelled', 'purging', 'completed'));
ALTER TABLE "tenant_deletions" ADD CONSTRAINT "tenant_deletions_grace_days" CHECK ("grace_days" BETWEEN 0 AND 90);
ALTER TABLE "tenant_deletions" ADD CONSTRAINT "tenant_deletions_reason_present" CHECK (length(btrim("reason")) >= 1);
ALTER TABLE "tenant_deletions" ADD CONSTRAINT "tenant_deletions_cancel_complete" CHECK (("status" = 'cancelled') = ("cancelled_at" IS NOT NULL));
ALTER TABLE "tenant_deletions" ADD CONSTRAINT "tenant_deletions_completed_dated" CHECK ("status" <> 'completed' OR ("completed_at" IS NOT NULL AND "receipt" IS NOT NULL));
ALTER TABLE "tenant_deletions" ADD CONSTRAINT "tenant_deletions_counts_objects" CHECK (jsonb_typeof("requested_counts") = 'object' AND jsonb_typeof("deleted_counts") = 'object');
ALTER TABLE "tenant_deletions" ADD CONSTRAINT "tenant_deletions_progress_valid" CHECK ("step_index" >= 0 AND "batches" >= 0 AND "retries" >= 0);
ALTER TABLE "tenant_deletions" ADD CONSTRAINT "tenant_deletions_chain_head" CHECK ("chain_head_hash" IS NULL OR octet_length("chain_head_hash") = 32);
-- At most one open (pending or purging) deletion per tenant.
CREATE UNIQUE INDEX "tenant_deletions_one_open" ON "tenant_deletions" ("target_tenant_id") WHERE "status" IN ('pending', 'purging');

-- The runtime role reads and advances deletions (request, cancel, shorten grace, purge checkpoints);
-- it never deletes them. RLS: the platform door (no tenant set) sees every deletion; a tenant
-- transaction sees and changes only its own tenant's.
GRANT SELECT, INSERT, UPDATE ON "tenant_deletions" TO credo_app;
ALTER TABLE "tenant_deletions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_deletions" FORCE ROW LEVEL SECURITY;
CREATE POLICY "platform_or_own_tenant" ON "tenant_deletions"
  USING (app_current_tenant() IS NULL OR "target_tenant_id" = app_current_tenant())
  WITH CHECK (app_current_tenant() IS NULL OR "target_tenant_id" = app_current_tenant());

-- ---------------------------------------------------------------------------------------------
-- Background jobs (server/jobs/): graphile-worker keeps its queue in schema graphile_worker, created
-- and migrated by the owner role at migrate time (server/db/migrate.ts). The runtime role gets NO
-- access to that schema: it enqueues only through these two functions, which act on the queue of
-- the transaction's own tenant (app.tenant_id) and nothing else:
--   * queue name    'tenant:<tenant id>' (jobs of one tenant run one at a time, never mixed),
--   * job key       namespaced 'tenant:<tenant id>:<key>' (graphile's job keys are global: without the
--                   prefix, one tenant's key could replace or remove another tenant's job).
-- plpgsql bodies are resolved at call time, so these can be created before graphile_worker exists.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION credo_enqueue_tenant_job(p_task text, p_payload jsonb, p_run_at timestamptz, p_job_key text, p_max_attempts integer)
  RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_tenant uuid := public.app_current_tenant();
  v_job_id bigint;
BEGIN
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'enqueueing a tenant job needs a tenant scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_task IS NULL OR p_task !~ '^[a-z][a-z0-9_.-]{0,63}$' THEN
    RAISE EXCEPTION 'invalid task name' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_job_key IS NOT NULL AND (length(p_job_key) NOT BETWEEN 1 AND 200) THEN
    RAISE EXCEPTION 'invalid job key' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_max_attempts IS NOT NULL AND (p_max_attempts NOT BETWEEN 1 AND 100) THEN
    RAISE EXCEPTION 'max attempts must be between 1 and 100' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT j.id INTO v_job_id FROM graphile_worker.add_job(
    identifier   => p_task,
    payload      => coalesce(p_payload, '{}'::jsonb)::json,
    queue_name   => 'tenant:' || v_tenant::text,
    run_at       => p_run_at,
    max_attempts => p_max_attempts,
    job_key      => CASE WHEN p_job_key IS NULL THEN NULL ELSE 'tenant:' || v_tenant::text || ':' || p_job_key END
  ) AS j;
  RETURN v_job_id;
END
$$;

-- Removes the tenant's job with that key (a running job is only stopped from retrying: graphile's
-- remove_job semantics). Returns whether a job was found.
CREATE FUNCTION credo_remove_tenant_job(p_job_key text)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_tenant uuid := public.app_current_tenant();
  v_found bigint;
BEGIN
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'removing a tenant job needs a tenant scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT j.id INTO v_found FROM graphile_worker.remove_job('tenant:' || v_tenant::text || ':' || p_job_key) AS j;
  RETURN v_found IS NOT NULL;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The purge door (server/deletion/purge.ts). The runtime role cannot DELETE from several tenant
-- tables by design (audit_events is append-only, signing and API keys are revoke-only). Purging a
-- tenant whose deletion was decided goes through this one function instead, which deletes at most
-- p_limit rows of ONE table, and only:
--   * rows of the transaction's own tenant (app.tenant_id, set by the door inTenant) — and FORCEd
--     RLS applies on top when the owner is not a superuser;
--   * when that tenant's deletion is in state 'purging' and the tenant is 'pending_deletion' (the
--     purge job moves it there only after the grace period); for any live tenant it raises;
--   * from a table in schema public that has a tenant_id column (every tenant-owned table), except
--     audit_chain_heads, whose sealed head survives the purge.
-- It is owned by the migration owner (who may delete), granted to credo_app only, and fixes its
-- search_path, so a caller cannot redirect it to other objects.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION credo_purge_tenant_rows(p_table text, p_limit integer)
  RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_tenant uuid := public.app_current_tenant();
  v_count integer;
BEGIN
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'purging needs a tenant scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 10000 THEN
    RAISE EXCEPTION 'batch size must be between 1 and 10000' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM public.tenant_deletions d JOIN public.tenants t ON t.id = d.target_tenant_id
     WHERE d.target_tenant_id = v_tenant AND d.status = 'purging' AND t.status = 'pending_deletion') THEN
    RAISE EXCEPTION 'tenant % is not being purged', v_tenant USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_table IS NULL OR p_table = 'audit_chain_heads' OR NOT EXISTS (
    SELECT 1 FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
     WHERE c.relname = p_table AND c.relkind IN ('r', 'p')) THEN
    RAISE EXCEPTION 'not a purgeable tenant table: %', p_table USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format(
    'DELETE FROM public.%I WHERE tenant_id = $1 AND ctid = ANY (ARRAY(SELECT ctid FROM public.%I WHERE tenant_id = $1 LIMIT $2))',
    p_table, p_table)
    USING v_tenant, p_limit;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END
$$;

REVOKE ALL ON FUNCTION credo_enqueue_tenant_job(text, jsonb, timestamptz, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_remove_tenant_job(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION credo_purge_tenant_rows(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credo_enqueue_tenant_job(text, jsonb, timestamptz, text, integer) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_remove_tenant_job(text) TO credo_app;
GRANT EXECUTE ON FUNCTION credo_purge_tenant_rows(text, integer) TO credo_app;

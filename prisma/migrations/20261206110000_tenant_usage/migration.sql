-- Per-tenant usage (README "Per-tenant usage", server/usage/).
--
-- tenant_usage_hourly: request and refusal counts per tenant, hour and surface. Each console
-- instance counts in memory (server/usage/counters.ts) and flushes about once a minute with an
-- upsert that ADDS its counts, so instances never overwrite each other. Read by usage.summary over
-- 24 h / 30 d (at most 30 × 24 × surfaces rows per tenant, led by tenant_id).
CREATE TABLE "tenant_usage_hourly" (
    "tenant_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "surface" VARCHAR(16) NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "rate_limited" BIGINT NOT NULL DEFAULT 0,
    "busy" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "tenant_usage_hourly_pkey" PRIMARY KEY ("tenant_id","hour","surface")
);

-- tenant_storage_snapshots: rows and estimated bytes per tenant table, written by the usage.storage
-- job (never computed on a page view). A row with taken_at NULL is a refresh an owner requested
-- that the job has not finished yet; requested_by is set only for such manual requests (the
-- 10-minute refresh limit counts those).
CREATE TABLE "tenant_storage_snapshots" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requested_by" VARCHAR(64),
    "taken_at" TIMESTAMPTZ(3),
    "tables" JSONB,
    "total_rows" BIGINT,
    "total_bytes" BIGINT,

    CONSTRAINT "tenant_storage_snapshots_pkey" PRIMARY KEY ("tenant_id","id")
);

CREATE INDEX "tenant_storage_snapshots_tenant_id_requested_at_idx" ON "tenant_storage_snapshots"("tenant_id", "requested_at" DESC);

ALTER TABLE "tenant_usage_hourly" ADD CONSTRAINT "tenant_usage_hourly_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "tenant_storage_snapshots" ADD CONSTRAINT "tenant_storage_snapshots_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Least privilege (20261205200000_least_privilege): the runtime adds counts and reads them; no
-- UPDATE of anything but the counters, DELETE only for the snapshot job's pruning.
REVOKE ALL ON "tenant_usage_hourly" FROM PUBLIC;
GRANT SELECT, INSERT ON "tenant_usage_hourly" TO credo_app;
GRANT UPDATE ("requests", "rate_limited", "busy") ON "tenant_usage_hourly" TO credo_app;
ALTER TABLE "tenant_usage_hourly" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_usage_hourly" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "tenant_usage_hourly"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

REVOKE ALL ON "tenant_storage_snapshots" FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON "tenant_storage_snapshots" TO credo_app;
GRANT UPDATE ("taken_at", "tables", "total_rows", "total_bytes") ON "tenant_storage_snapshots" TO credo_app;
ALTER TABLE "tenant_storage_snapshots" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_storage_snapshots" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "tenant_storage_snapshots"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

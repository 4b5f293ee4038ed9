-- CreateTable
CREATE TABLE "tenant_policies" (
    "tenant_id" UUID NOT NULL,
    "regulated_mode" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_policies_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "oauth_clients" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "client_id" VARCHAR(64) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "grant_types" VARCHAR(64)[],
    "redirect_uris" VARCHAR(2048)[],
    "post_logout_redirect_uris" VARCHAR(2048)[],
    "allowed_origins" VARCHAR(512)[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_label" VARCHAR(320) NOT NULL,

    CONSTRAINT "oauth_clients_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "oauth_client_secrets" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "client_row_id" UUID NOT NULL,
    "secret_hash" BYTEA NOT NULL,
    "hint" VARCHAR(8) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "oauth_client_secrets_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "oauth_clients_tenant_id_created_at_idx" ON "oauth_clients"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "oauth_clients_tenant_id_client_id_key" ON "oauth_clients"("tenant_id", "client_id");

-- CreateIndex
CREATE INDEX "oauth_client_secrets_tenant_id_client_row_id_idx" ON "oauth_client_secrets"("tenant_id", "client_row_id");

-- AddForeignKey
ALTER TABLE "tenant_policies" ADD CONSTRAINT "tenant_policies_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oauth_client_secrets" ADD CONSTRAINT "oauth_client_secrets_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oauth_client_secrets" ADD CONSTRAINT "oauth_client_secrets_tenant_id_client_row_id_fkey" FOREIGN KEY ("tenant_id", "client_row_id") REFERENCES "oauth_clients"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;



-- ---------------------------------------------------------------------------------------------
-- Hand-written below: what Prisma's schema language cannot express.
-- ---------------------------------------------------------------------------------------------

ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_type_valid" CHECK ("type" IN ('web', 'spa', 'native', 'm2m'));
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_client_id_format" CHECK ("client_id" ~ '^[A-Za-z0-9_-]{16,64}$');
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_name_present" CHECK (length(btrim("name")) >= 1);
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_arrays_present" CHECK (
  "grant_types" IS NOT NULL AND "redirect_uris" IS NOT NULL AND "post_logout_redirect_uris" IS NOT NULL AND "allowed_origins" IS NOT NULL);
-- Bounded lists: a client is not a place to store thousands of URIs.
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_list_sizes" CHECK (
  cardinality("redirect_uris") <= 100 AND cardinality("post_logout_redirect_uris") <= 100 AND cardinality("allowed_origins") <= 100);
ALTER TABLE "oauth_client_secrets" ADD CONSTRAINT "oauth_client_secrets_sha256" CHECK (octet_length("secret_hash") = 32);

-- Runtime role grants. Clients are edited and deleted (secrets go with them: ON DELETE CASCADE);
-- a secret's hash never changes, only its expiry (rotation) — and expired secrets are deleted.
GRANT SELECT, INSERT, DELETE ON "oauth_clients" TO credo_app;
GRANT UPDATE ("name", "grant_types", "redirect_uris", "post_logout_redirect_uris", "allowed_origins", "enabled", "updated_at") ON "oauth_clients" TO credo_app;
GRANT SELECT, INSERT, DELETE ON "oauth_client_secrets" TO credo_app;
GRANT UPDATE ("expires_at") ON "oauth_client_secrets" TO credo_app;
GRANT SELECT, INSERT ON "tenant_policies" TO credo_app;
GRANT UPDATE ("regulated_mode", "updated_at") ON "tenant_policies" TO credo_app;

ALTER TABLE "tenant_policies" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_policies" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "tenant_policies"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

ALTER TABLE "oauth_clients" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oauth_clients" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "oauth_clients"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

ALTER TABLE "oauth_client_secrets" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oauth_client_secrets" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "oauth_client_secrets"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

-- The platform registry stays readable by everyone (uniqueness is checked across tenants), but a
-- tenant transaction may only claim or release values for ITS tenant: a bug can never take over
-- or free another tenant's kid, key id, client_id or redirect URI.
ALTER TABLE "global_identifiers" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "global_identifiers" FORCE ROW LEVEL SECURITY;
CREATE POLICY "read_all" ON "global_identifiers" FOR SELECT USING (true);
CREATE POLICY "claim_own" ON "global_identifiers" FOR INSERT WITH CHECK ("owner_tenant_id" = app_current_tenant());
CREATE POLICY "release_own" ON "global_identifiers" FOR DELETE USING ("owner_tenant_id" = app_current_tenant());

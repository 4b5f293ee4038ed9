-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "paused_at" TIMESTAMPTZ(3),
ADD COLUMN     "paused_reason" VARCHAR(500);


-- CreateTable
CREATE TABLE "global_policy_versions" (
    "version" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "author_id" UUID,
    "author_label" VARCHAR(320) NOT NULL,
    "comment" VARCHAR(500) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "global_policy_versions_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "workspaces" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" VARCHAR(63) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workspaces_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "policy_versions" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "scope" VARCHAR(64) NOT NULL,
    "workspace_id" UUID,
    "version" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "author_id" UUID,
    "author_label" VARCHAR(320) NOT NULL,
    "comment" VARCHAR(500) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workspaces_tenant_id_slug_key" ON "workspaces"("tenant_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "policy_versions_tenant_id_scope_version_key" ON "policy_versions"("tenant_id", "scope", "version" DESC);

-- AddForeignKey
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_tenant_id_workspace_id_fkey" FOREIGN KEY ("tenant_id", "workspace_id") REFERENCES "workspaces"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Hand-written below: carrying regulated mode over, and what Prisma's schema language cannot express.
-- ---------------------------------------------------------------------------------------------

-- tenant_policies (one flag per tenant) becomes the first tenant policy version of each tenant that
-- had regulated mode on. FORCEd RLS binds the table owner too, so lift it for this one read.
ALTER TABLE "tenant_policies" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "tenant_policies" DISABLE ROW LEVEL SECURITY;
INSERT INTO "policy_versions" ("tenant_id", "scope", "version", "document", "author_label", "comment")
  SELECT "tenant_id", 'tenant', 1, '{"regulated": {"enabled": true}}'::jsonb, 'system', 'Carried over from the regulated-mode flag'
  FROM "tenant_policies" WHERE "regulated_mode";
DROP TABLE "tenant_policies";

ALTER TABLE "tenants" ADD CONSTRAINT "tenants_pause_complete" CHECK (("paused_at" IS NULL) = ("paused_reason" IS NULL));
ALTER TABLE "global_policy_versions" ADD CONSTRAINT "global_policy_versions_positive" CHECK ("version" >= 1);
ALTER TABLE "global_policy_versions" ADD CONSTRAINT "global_policy_versions_object" CHECK (jsonb_typeof("document") = 'object');
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_positive" CHECK ("version" >= 1);
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_object" CHECK (jsonb_typeof("document") = 'object');
-- The scope string and the workspace column say the same thing.
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_scope_matches" CHECK (
  ("scope" = 'tenant' AND "workspace_id" IS NULL) OR ("scope" = 'workspace:' || "workspace_id"::text));
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_slug_format" CHECK ("slug" ~ '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$');

-- Versions are append-only for the runtime role: a save, a rollback or a reset is a NEW version.
GRANT SELECT, INSERT ON "global_policy_versions" TO credo_app;
GRANT SELECT, INSERT ON "policy_versions" TO credo_app;
GRANT SELECT, INSERT, DELETE ON "workspaces" TO credo_app;
GRANT UPDATE ("name") ON "workspaces" TO credo_app;

ALTER TABLE "workspaces" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "workspaces" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "workspaces"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

ALTER TABLE "policy_versions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "policy_versions" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "policy_versions"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());



-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "hash" BYTEA,
ADD COLUMN     "prev_hash" BYTEA,
ADD COLUMN     "seq" BIGINT;

-- CreateTable
CREATE TABLE "audit_chain_heads" (
    "tenant_id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "head_hash" BYTEA NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_chain_heads_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_tenant_id_seq_key" ON "audit_events"("tenant_id", "seq");

-- AddForeignKey
ALTER TABLE "audit_chain_heads" ADD CONSTRAINT "audit_chain_heads_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------------
-- Hand-written below.
-- ---------------------------------------------------------------------------------------------

-- Events written before the chain existed keep NULLs (verification reports them as unchained);
-- every new event carries all three.
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_chain_complete" CHECK (
  ("seq" IS NULL AND "prev_hash" IS NULL AND "hash" IS NULL) OR
  ("seq" >= 1 AND octet_length("prev_hash") = 32 AND octet_length("hash") = 32));
ALTER TABLE "audit_chain_heads" ADD CONSTRAINT "audit_chain_heads_valid" CHECK ("seq" >= 0 AND octet_length("head_hash") = 32);

GRANT SELECT, INSERT ON "audit_chain_heads" TO credo_app;
GRANT UPDATE ("seq", "head_hash", "updated_at") ON "audit_chain_heads" TO credo_app;
ALTER TABLE "audit_chain_heads" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_chain_heads" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "audit_chain_heads"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

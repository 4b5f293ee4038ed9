-- CreateTable
CREATE TABLE "api_keys" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "public_id" VARCHAR(12) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "secret_hash" BYTEA NOT NULL,
    "scopes" VARCHAR(64)[],
    "created_by" UUID,
    "created_by_label" VARCHAR(320) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_label" VARCHAR(320),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "api_keys_tenant_id_created_at_idx" ON "api_keys"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_tenant_id_public_id_key" ON "api_keys"("tenant_id", "public_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;



-- ---------------------------------------------------------------------------------------------
-- Hand-written below: what Prisma's schema language cannot express.
-- ---------------------------------------------------------------------------------------------

-- Value rules the application also keeps (defence in depth).
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_public_id_format" CHECK ("public_id" ~ '^[a-z0-9]{12}$');
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_secret_hash_sha256" CHECK (octet_length("secret_hash") = 32);
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scopes_present" CHECK ("scopes" IS NOT NULL AND cardinality("scopes") >= 1 AND array_position("scopes", NULL) IS NULL);
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_name_present" CHECK (length(btrim("name")) >= 1);
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_expiry_after_creation" CHECK ("expires_at" IS NULL OR "expires_at" > "created_at");
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_revocation_complete" CHECK (("revoked_at" IS NULL) = ("revoked_by_label" IS NULL));

-- A revoked key stays revoked: nothing may clear revoked_at once set.
CREATE FUNCTION api_keys_revocation_final() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF OLD."revoked_at" IS NOT NULL AND NEW."revoked_at" IS DISTINCT FROM OLD."revoked_at" THEN
    RAISE EXCEPTION 'API key % is revoked; revocation is final', OLD."public_id" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "api_keys_revocation_final" BEFORE UPDATE OF "revoked_at" ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION api_keys_revocation_final();

-- The runtime role may create keys, record their use and revoke them; name, scopes, hash, expiry
-- and authorship are immutable (column-level UPDATE grants). Rows are not deleted by the console
-- (revoked keys stay listed for the audit trail; tenant deletion purges them as the owner role).
GRANT SELECT, INSERT ON "api_keys" TO credo_app;
GRANT UPDATE ("last_used_at", "revoked_at", "revoked_by_label") ON "api_keys" TO credo_app;
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "api_keys"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

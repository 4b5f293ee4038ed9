-- CreateTable
CREATE TABLE "global_identifiers" (
    "kind" VARCHAR(64) NOT NULL,
    "value" VARCHAR(512) NOT NULL,
    "owner_tenant_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "global_identifiers_pkey" PRIMARY KEY ("kind","value")
);

-- CreateTable
CREATE TABLE "tenant_data_keys" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kek_id" VARCHAR(32) NOT NULL,
    "wrap_iv" BYTEA NOT NULL,
    "wrap_tag" BYTEA NOT NULL,
    "wrapped_key" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotated_at" TIMESTAMPTZ(3),

    CONSTRAINT "tenant_data_keys_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateTable
CREATE TABLE "signing_keys" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kid" VARCHAR(64) NOT NULL,
    "alg" VARCHAR(16) NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "private_key_iv" BYTEA NOT NULL,
    "private_key_tag" BYTEA NOT NULL,
    "private_key_ciphertext" BYTEA NOT NULL,
    "data_key_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activated_at" TIMESTAMPTZ(3),
    "retired_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_by" UUID,

    CONSTRAINT "signing_keys_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "global_identifiers_owner_tenant_id_idx" ON "global_identifiers"("owner_tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_data_keys_tenant_id_key" ON "tenant_data_keys"("tenant_id");

-- CreateIndex
CREATE INDEX "signing_keys_tenant_id_state_idx" ON "signing_keys"("tenant_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "signing_keys_tenant_id_kid_key" ON "signing_keys"("tenant_id", "kid");

-- AddForeignKey
ALTER TABLE "global_identifiers" ADD CONSTRAINT "global_identifiers_owner_tenant_id_fkey" FOREIGN KEY ("owner_tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_data_keys" ADD CONSTRAINT "tenant_data_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_tenant_id_data_key_id_fkey" FOREIGN KEY ("tenant_id", "data_key_id") REFERENCES "tenant_data_keys"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------------
-- Hand-written below: what Prisma's schema language cannot express.
-- ---------------------------------------------------------------------------------------------

-- Value rules the application also keeps (defence in depth: a bug cannot store a bad key row).
ALTER TABLE "global_identifiers" ADD CONSTRAINT "global_identifiers_kind_format" CHECK ("kind" ~ '^[a-z][a-z0-9_.]*$');
ALTER TABLE "tenant_data_keys" ADD CONSTRAINT "tenant_data_keys_gcm_sizes"
  CHECK (octet_length("wrap_iv") = 12 AND octet_length("wrap_tag") = 16 AND octet_length("wrapped_key") = 32);
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_alg_valid" CHECK ("alg" IN ('ES256', 'RS256', 'EdDSA'));
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_state_valid" CHECK ("state" IN ('next', 'current', 'previous', 'revoked'));
-- RFC 7638 SHA-256 thumbprint, base64url without padding.
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_kid_format" CHECK ("kid" ~ '^[A-Za-z0-9_-]{43}$');
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_gcm_sizes" CHECK (octet_length("private_key_iv") = 12 AND octet_length("private_key_tag") = 16);
-- The published JWK never carries private members (RSA d/p/q/dp/dq/qi, EC/OKP d, symmetric k).
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_public_jwk_public"
  CHECK (jsonb_typeof("public_jwk") = 'object' AND NOT ("public_jwk" ?| ARRAY['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']));
-- Each state carries the moment it was entered.
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_state_dates" CHECK (
  ("state" <> 'current' OR "activated_at" IS NOT NULL) AND
  ("state" <> 'previous' OR "retired_at" IS NOT NULL) AND
  ("state" <> 'revoked' OR "revoked_at" IS NOT NULL));

-- The database itself guarantees one current and at most one next key per tenant, whatever races
-- the application loses (server/keys/signing-keys.ts also serialises lifecycle changes per tenant).
CREATE UNIQUE INDEX "signing_keys_one_current" ON "signing_keys" ("tenant_id") WHERE "state" = 'current';
CREATE UNIQUE INDEX "signing_keys_one_next" ON "signing_keys" ("tenant_id") WHERE "state" = 'next';

-- The lifecycle only moves forward: next → current → previous → revoked, or current → revoked
-- (emergency rotation). A revoked key is never reactivated, whatever the caller.
CREATE FUNCTION signing_keys_forward_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF NEW."state" IS DISTINCT FROM OLD."state" AND NOT (
       (OLD."state" = 'next' AND NEW."state" = 'current')
    OR (OLD."state" = 'current' AND NEW."state" IN ('previous', 'revoked'))
    OR (OLD."state" = 'previous' AND NEW."state" = 'revoked')) THEN
    RAISE EXCEPTION 'signing key % cannot go from % to %', OLD."kid", OLD."state", NEW."state"
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "signing_keys_forward_only" BEFORE UPDATE OF "state" ON "signing_keys"
  FOR EACH ROW EXECUTE FUNCTION signing_keys_forward_only();

-- Platform registry (see schema.prisma): no RLS, the runtime role may look up, claim and release.
GRANT SELECT, INSERT, DELETE ON "global_identifiers" TO credo_app;

-- Tenant-owned tables. The runtime role may change only what rotation changes: key material, kid,
-- algorithm and public JWK are immutable once written (column-level UPDATE grants), and key rows
-- are never deleted by the console (revoked keys stay for the audit trail).
GRANT SELECT, INSERT ON "tenant_data_keys" TO credo_app;
GRANT UPDATE ("kek_id", "wrap_iv", "wrap_tag", "wrapped_key", "rotated_at") ON "tenant_data_keys" TO credo_app;
ALTER TABLE "tenant_data_keys" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_data_keys" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "tenant_data_keys"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

GRANT SELECT, INSERT ON "signing_keys" TO credo_app;
GRANT UPDATE ("state", "activated_at", "retired_at", "revoked_at") ON "signing_keys" TO credo_app;
ALTER TABLE "signing_keys" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "signing_keys" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "signing_keys"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());

-- CreateTable
CREATE TABLE "user_factors" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "secret_kek_id" VARCHAR(32),
    "secret_iv" BYTEA,
    "secret_tag" BYTEA,
    "secret_ciphertext" BYTEA,
    "totp_last_step" BIGINT,
    "credential_id" VARCHAR(1024),
    "public_key" BYTEA,
    "sign_count" BIGINT,
    "transports" VARCHAR(32)[],

    CONSTRAINT "user_factors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_recovery_codes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "code_hash" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_recovery_codes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webauthn_challenges" (
    "user_id" UUID NOT NULL,
    "purpose" VARCHAR(16) NOT NULL,
    "challenge" VARCHAR(128) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webauthn_challenges_pkey" PRIMARY KEY ("user_id","purpose")
);

-- CreateIndex
CREATE UNIQUE INDEX "user_factors_credential_id_key" ON "user_factors"("credential_id");

-- CreateIndex
CREATE INDEX "user_factors_user_id_idx" ON "user_factors"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "user_recovery_codes_user_id_code_hash_key" ON "user_recovery_codes"("user_id", "code_hash");

-- AddForeignKey
ALTER TABLE "user_factors" ADD CONSTRAINT "user_factors_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_recovery_codes" ADD CONSTRAINT "user_recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webauthn_challenges" ADD CONSTRAINT "webauthn_challenges_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------------
-- Hand-written below: what Prisma's schema language cannot express.
-- ---------------------------------------------------------------------------------------------

ALTER TABLE "user_factors" ADD CONSTRAINT "user_factors_kind_valid" CHECK ("kind" IN ('totp', 'passkey'));
ALTER TABLE "user_factors" ADD CONSTRAINT "user_factors_name_present" CHECK (length(btrim("name")) >= 1);
-- A TOTP factor carries its sealed secret and nothing of a passkey; a passkey the reverse.
ALTER TABLE "user_factors" ADD CONSTRAINT "user_factors_totp_shape" CHECK ("kind" <> 'totp' OR (
  "secret_kek_id" IS NOT NULL AND octet_length("secret_iv") = 12 AND octet_length("secret_tag") = 16 AND "secret_ciphertext" IS NOT NULL
  AND "credential_id" IS NULL AND "public_key" IS NULL));
ALTER TABLE "user_factors" ADD CONSTRAINT "user_factors_passkey_shape" CHECK ("kind" <> 'passkey' OR (
  "credential_id" IS NOT NULL AND "public_key" IS NOT NULL AND "sign_count" IS NOT NULL AND "confirmed_at" IS NOT NULL
  AND "secret_ciphertext" IS NULL));
ALTER TABLE "user_recovery_codes" ADD CONSTRAINT "user_recovery_codes_hash_sha256" CHECK (octet_length("code_hash") = 32);
ALTER TABLE "webauthn_challenges" ADD CONSTRAINT "webauthn_challenges_purpose_valid" CHECK ("purpose" IN ('register', 'authenticate'));

-- RLS: the user door (app.user_id set) sees and changes only that user's rows; the platform door
-- (neither user nor tenant set: sign-in, security admins' platform procedures) sees all; a tenant
-- transaction sees none. Fails closed: any other combination matches nothing.
GRANT SELECT, INSERT, UPDATE, DELETE ON "user_factors" TO credo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "user_recovery_codes" TO credo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "webauthn_challenges" TO credo_app;

ALTER TABLE "user_factors" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "user_factors" FORCE ROW LEVEL SECURITY;
CREATE POLICY "own_or_platform" ON "user_factors"
  USING ("user_id" = app_current_user_id() OR (app_current_user_id() IS NULL AND app_current_tenant() IS NULL))
  WITH CHECK ("user_id" = app_current_user_id() OR (app_current_user_id() IS NULL AND app_current_tenant() IS NULL));

ALTER TABLE "user_recovery_codes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "user_recovery_codes" FORCE ROW LEVEL SECURITY;
CREATE POLICY "own_or_platform" ON "user_recovery_codes"
  USING ("user_id" = app_current_user_id() OR (app_current_user_id() IS NULL AND app_current_tenant() IS NULL))
  WITH CHECK ("user_id" = app_current_user_id() OR (app_current_user_id() IS NULL AND app_current_tenant() IS NULL));

ALTER TABLE "webauthn_challenges" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "webauthn_challenges" FORCE ROW LEVEL SECURITY;
CREATE POLICY "own_or_platform" ON "webauthn_challenges"
  USING ("user_id" = app_current_user_id() OR (app_current_user_id() IS NULL AND app_current_tenant() IS NULL))
  WITH CHECK ("user_id" = app_current_user_id() OR (app_current_user_id() IS NULL AND app_current_tenant() IS NULL));

-- Operator accounts (issue 11): invitations, password resets, the dev outbox, password change time.
--
-- Tokens sent by e-mail are 32 random bytes (base64url); only their SHA-256 (hex) is stored.
-- Whoever holds a token may see its one invitation row: the public accept flow sets
-- app.token_hash = sha256(token) transaction-locally, and the "token_holder" policies match on it.
-- That is how an accept request, which has no tenant yet, finds a tenant invitation without the
-- platform door seeing tenant rows.

CREATE FUNCTION app_current_token_hash() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.token_hash', true), '') $$;
GRANT EXECUTE ON FUNCTION app_current_token_hash() TO credo_app;

ALTER TABLE "users" ADD COLUMN "password_changed_at" TIMESTAMPTZ(3);

-- Platform invitations (security admins invite people to the console, optionally as security admin).
CREATE TABLE "platform_invitations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" VARCHAR(320) NOT NULL,
    "platform_role" VARCHAR(32),
    "token_hash" VARCHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by" UUID,
    "revoked_at" TIMESTAMPTZ(3),
    "invited_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "platform_invitations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "platform_invitations_token_hash_key" ON "platform_invitations"("token_hash");
CREATE INDEX "platform_invitations_created_at_idx" ON "platform_invitations"("created_at" DESC);
ALTER TABLE "platform_invitations" ADD CONSTRAINT "platform_invitations_role_valid" CHECK ("platform_role" IS NULL OR "platform_role" IN ('security_admin'));
ALTER TABLE "platform_invitations" ADD CONSTRAINT "platform_invitations_email_lowercase" CHECK ("email" = lower("email"));

-- Tenant invitations: tenant-owned rows (tenant_id, RLS), visible to the tenant and to the token holder.
CREATE TABLE "tenant_invitations" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" VARCHAR(320) NOT NULL,
    "role" VARCHAR(32) NOT NULL,
    "support_days" INTEGER,
    "token_hash" VARCHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by" UUID,
    "revoked_at" TIMESTAMPTZ(3),
    "invited_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tenant_invitations_pkey" PRIMARY KEY ("tenant_id", "id")
);
CREATE UNIQUE INDEX "tenant_invitations_token_hash_key" ON "tenant_invitations"("token_hash");
CREATE INDEX "tenant_invitations_tenant_id_created_at_idx" ON "tenant_invitations"("tenant_id", "created_at" DESC);
ALTER TABLE "tenant_invitations" ADD CONSTRAINT "tenant_invitations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "tenant_invitations" ADD CONSTRAINT "tenant_invitations_role_valid" CHECK ("role" IN ('owner', 'support'));
ALTER TABLE "tenant_invitations" ADD CONSTRAINT "tenant_invitations_support_days" CHECK (("role" = 'support') = ("support_days" IS NOT NULL) AND ("support_days" IS NULL OR "support_days" BETWEEN 1 AND 90));
ALTER TABLE "tenant_invitations" ADD CONSTRAINT "tenant_invitations_email_lowercase" CHECK ("email" = lower("email"));

-- Password reset tokens (platform).
CREATE TABLE "password_reset_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "password_reset_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "password_reset_tokens_token_hash_key" ON "password_reset_tokens"("token_hash");
CREATE INDEX "password_reset_tokens_user_id_idx" ON "password_reset_tokens"("user_id");
ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The dev outbox: e-mail kept in the database when no SMTP_URL is configured (embedded `npm run dev`).
CREATE TABLE "dev_outbox" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "to" VARCHAR(320) NOT NULL,
    "subject" VARCHAR(300) NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dev_outbox_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "dev_outbox_created_at_idx" ON "dev_outbox"("created_at" DESC);

-- Grants and RLS. Platform tables: only outside a tenant transaction (app.tenant_id unset); a
-- tenant transaction reads them as empty and cannot write them.
GRANT SELECT, INSERT, UPDATE ON "platform_invitations" TO credo_app;
ALTER TABLE "platform_invitations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "platform_invitations" FORCE ROW LEVEL SECURITY;
CREATE POLICY "platform_only" ON "platform_invitations"
  USING (app_current_tenant() IS NULL) WITH CHECK (app_current_tenant() IS NULL);

GRANT SELECT, INSERT, UPDATE ON "tenant_invitations" TO credo_app;
ALTER TABLE "tenant_invitations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_invitations" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "tenant_invitations"
  USING ("tenant_id" = app_current_tenant())
  WITH CHECK ("tenant_id" = app_current_tenant());
-- The holder of a token sees (and may mark accepted) that one row, and only while it stays the row
-- of that token; accepting then continues inside the invitation's own tenant.
CREATE POLICY "token_holder" ON "tenant_invitations" FOR SELECT
  USING ("token_hash" = app_current_token_hash());

GRANT SELECT, INSERT, UPDATE ON "password_reset_tokens" TO credo_app;
ALTER TABLE "password_reset_tokens" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "password_reset_tokens" FORCE ROW LEVEL SECURITY;
CREATE POLICY "platform_only" ON "password_reset_tokens"
  USING (app_current_tenant() IS NULL) WITH CHECK (app_current_tenant() IS NULL);

GRANT SELECT, INSERT, DELETE ON "dev_outbox" TO credo_app;
ALTER TABLE "dev_outbox" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "dev_outbox" FORCE ROW LEVEL SECURITY;
-- Read and cleared on the platform door only; written by whichever transaction sends the message
-- (an invitation is created in its tenant's transaction and its e-mail is part of it).
CREATE POLICY "platform_read" ON "dev_outbox" FOR SELECT USING (app_current_tenant() IS NULL);
CREATE POLICY "platform_delete" ON "dev_outbox" FOR DELETE USING (app_current_tenant() IS NULL);
CREATE POLICY "any_sender" ON "dev_outbox" FOR INSERT WITH CHECK (true);

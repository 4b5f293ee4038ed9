-- Platform audit stream (server/audit/platform-record.ts) and server-side operator sessions
-- (server/auth/sessions.ts). Written by hand.

-- CreateTable
CREATE TABLE "platform_audit_events" (
    "id" BIGSERIAL NOT NULL,
    "seq" BIGINT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" VARCHAR(16) NOT NULL,
    "actor_id" VARCHAR(64),
    "actor_label" VARCHAR(320),
    "action" VARCHAR(128) NOT NULL,
    "target_type" VARCHAR(64) NOT NULL,
    "target_id" VARCHAR(128),
    "subject_tenant_id" UUID,
    "outcome" VARCHAR(16) NOT NULL DEFAULT 'success',
    "details" JSONB,
    "ip" VARCHAR(64),
    "user_agent" VARCHAR(512),
    "request_id" VARCHAR(64),
    "prev_hash" BYTEA NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "platform_audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_audit_chain_head" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "seq" BIGINT NOT NULL,
    "head_hash" BYTEA NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_audit_chain_head_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_audit_checkpoints" (
    "id" BIGSERIAL NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,
    "event_count" BIGINT NOT NULL,
    "payload" JSONB NOT NULL,
    "signature" TEXT NOT NULL,
    "key_id" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_audit_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operator_sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" VARCHAR(64),
    "ip" VARCHAR(64),
    "user_agent" VARCHAR(512),
    "auth_method" VARCHAR(32) NOT NULL,
    "second_factor_verified_at" TIMESTAMPTZ(3),
    "last_verified_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "operator_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "platform_audit_events_seq_key" ON "platform_audit_events"("seq");
CREATE INDEX "platform_audit_events_occurred_at_idx" ON "platform_audit_events"("occurred_at" DESC);
CREATE INDEX "platform_audit_events_action_idx" ON "platform_audit_events"("action");
CREATE INDEX "platform_audit_events_target_type_target_id_idx" ON "platform_audit_events"("target_type", "target_id");
CREATE INDEX "platform_audit_events_subject_tenant_id_idx" ON "platform_audit_events"("subject_tenant_id");
CREATE INDEX "platform_audit_events_actor_id_idx" ON "platform_audit_events"("actor_id");
CREATE INDEX "platform_audit_checkpoints_seq_idx" ON "platform_audit_checkpoints"("seq" DESC);
CREATE INDEX "operator_sessions_user_id_created_at_idx" ON "operator_sessions"("user_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "operator_sessions" ADD CONSTRAINT "operator_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Platform audit: one hash chain for the whole platform. Events about a tenant name it in
-- subject_tenant_id (deliberately not "tenant_id": this is not a tenant-owned table, and the
-- tenant purge must never touch it) with no foreign key, so they outlive the tenant's purge.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE "platform_audit_events" ADD CONSTRAINT "platform_audit_events_chain_complete" CHECK (
  "seq" >= 1 AND octet_length("prev_hash") = 32 AND octet_length("hash") = 32);
ALTER TABLE "platform_audit_events" ADD CONSTRAINT "platform_audit_events_outcome" CHECK ("outcome" IN ('success', 'failure'));
ALTER TABLE "platform_audit_chain_head" ADD CONSTRAINT "platform_audit_chain_head_single" CHECK ("id" = 1);
ALTER TABLE "platform_audit_chain_head" ADD CONSTRAINT "platform_audit_chain_head_valid" CHECK ("seq" >= 0 AND octet_length("head_hash") = 32);
INSERT INTO "platform_audit_chain_head" ("id", "seq", "head_hash") VALUES (1, 0, decode(repeat('00', 32), 'hex'));

-- Append-only: no UPDATE/DELETE/TRUNCATE grant for the runtime role, and a trigger that refuses
-- UPDATE and DELETE for everyone (the grant alone would not stop a future "GRANT ALL").
CREATE FUNCTION platform_audit_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'platform audit records are append-only (% refused on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "platform_audit_events_append_only" BEFORE UPDATE OR DELETE ON "platform_audit_events"
  FOR EACH ROW EXECUTE FUNCTION platform_audit_append_only();
CREATE TRIGGER "platform_audit_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "platform_audit_checkpoints"
  FOR EACH ROW EXECUTE FUNCTION platform_audit_append_only();

GRANT SELECT, INSERT ON "platform_audit_events" TO credo_app;
GRANT USAGE ON SEQUENCE "platform_audit_events_id_seq" TO credo_app;
GRANT SELECT, INSERT ON "platform_audit_checkpoints" TO credo_app;
GRANT USAGE ON SEQUENCE "platform_audit_checkpoints_id_seq" TO credo_app;
GRANT SELECT ON "platform_audit_chain_head" TO credo_app;
GRANT UPDATE ("seq", "head_hash", "updated_at") ON "platform_audit_chain_head" TO credo_app;

-- RLS: any door may append (a tenant deletion records its platform events inside the tenant's
-- transaction), but only the platform and user doors read: a tenant-scoped transaction
-- (app.tenant_id set) never sees the platform stream, which names other tenants.
ALTER TABLE "platform_audit_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "platform_audit_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY "platform_read" ON "platform_audit_events" FOR SELECT USING (app_current_tenant() IS NULL);
CREATE POLICY "platform_append" ON "platform_audit_events" FOR INSERT WITH CHECK (true);
ALTER TABLE "platform_audit_checkpoints" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "platform_audit_checkpoints" FORCE ROW LEVEL SECURITY;
CREATE POLICY "platform_read" ON "platform_audit_checkpoints" FOR SELECT USING (app_current_tenant() IS NULL);
CREATE POLICY "platform_append" ON "platform_audit_checkpoints" FOR INSERT WITH CHECK (true);
ALTER TABLE "platform_audit_chain_head" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "platform_audit_chain_head" FORCE ROW LEVEL SECURITY;
CREATE POLICY "platform_head" ON "platform_audit_chain_head" USING (true) WITH CHECK ("id" = 1);

-- ---------------------------------------------------------------------------------------------
-- Operator sessions: the user door sees its own rows, the platform door (no tenant, no user) all
-- of them, a tenant-scoped transaction none.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE "operator_sessions" ADD CONSTRAINT "operator_sessions_lifetime" CHECK ("expires_at" > "created_at");

-- A revocation is final: revoked_at cannot be cleared or moved.
CREATE FUNCTION operator_sessions_revocation_final() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
    RAISE EXCEPTION 'a revoked operator session stays revoked' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "operator_sessions_revocation_final" BEFORE UPDATE ON "operator_sessions"
  FOR EACH ROW EXECUTE FUNCTION operator_sessions_revocation_final();

GRANT SELECT, INSERT ON "operator_sessions" TO credo_app;
GRANT UPDATE ("last_seen_at", "revoked_at", "revoked_reason", "second_factor_verified_at", "last_verified_at") ON "operator_sessions" TO credo_app;
ALTER TABLE "operator_sessions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "operator_sessions" FORCE ROW LEVEL SECURITY;
CREATE POLICY "own_or_platform" ON "operator_sessions"
  USING ("user_id" = app_current_user_id() OR (app_current_user_id() IS NULL AND app_current_tenant() IS NULL))
  WITH CHECK ("user_id" = app_current_user_id() OR (app_current_user_id() IS NULL AND app_current_tenant() IS NULL));

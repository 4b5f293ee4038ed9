-- Keyset (cursor) pages for the lists that can grow: every page reads (tenant_id, sort column, id)
-- in index order (server/lists/keyset.ts). The (tenant_id, created_at DESC) indexes become
-- (tenant_id, created_at DESC, id DESC) so the id tie-break is served by the same index.
DROP INDEX "api_keys_tenant_id_created_at_idx";
CREATE INDEX "api_keys_tenant_id_created_at_id_idx" ON "api_keys"("tenant_id", "created_at" DESC, "id" DESC);
CREATE INDEX "api_keys_tenant_id_name_id_idx" ON "api_keys"("tenant_id", "name", "id");

DROP INDEX "oauth_clients_tenant_id_created_at_idx";
CREATE INDEX "oauth_clients_tenant_id_created_at_id_idx" ON "oauth_clients"("tenant_id", "created_at" DESC, "id" DESC);
CREATE INDEX "oauth_clients_tenant_id_name_id_idx" ON "oauth_clients"("tenant_id", "name", "id");

CREATE INDEX "memberships_tenant_id_created_at_id_idx" ON "memberships"("tenant_id", "created_at", "id");
CREATE INDEX "memberships_tenant_id_role_id_idx" ON "memberships"("tenant_id", "role", "id");

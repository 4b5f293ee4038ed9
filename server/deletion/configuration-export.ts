// The configuration export offered while a tenant waits for deletion (and before): everything an
// owner would need to rebuild the tenant elsewhere — members and roles, workspaces, the tenant's own
// policy overrides, OAuth clients with their URIs, signing keys' PUBLIC halves, API key metadata.
// Never a secret: no private keys, no secret hashes, no client secrets (server/audit/redact.ts's
// rule, applied by construction: only public fields are selected).
//
// Built from the tenant backup's collectors (server/backup/export.ts, format credo.tenant-backup.v1,
// which also restores): this v1 view keeps its shape for people who read it — the latest policy
// version per scope instead of the history, plus API key metadata, which a backup cannot restore.
import type { TenantScope } from "../db/doors";
import type { TenantContext } from "../tenancy/context";
import { listApiKeys } from "../api-keys/repository";
import { buildTenantBackup } from "../backup/export";

export const CONFIGURATION_EXPORT_FORMAT = "credo.tenant-configuration.v1";

type Versions = Awaited<ReturnType<typeof buildTenantBackup>>["policies"]["tenant"];
const latest = (versions: Versions) => {
  const v = versions.at(-1);
  return v ? { version: v.version, overrides: v.document } : null;
};

export async function tenantConfigurationExport(scope: TenantScope, tenant: TenantContext, now = new Date()) {
  const [backup, apiKeys] = await Promise.all([buildTenantBackup(scope, tenant, { now }), listApiKeys(scope)]);
  const workspacePolicy = new Map(backup.policies.workspaces.map((w) => [w.workspace, latest(w.versions)]));
  return {
    format: CONFIGURATION_EXPORT_FORMAT,
    exportedAt: backup.exportedAt,
    tenant: { slug: tenant.slug, name: tenant.name, status: tenant.status },
    members: backup.members,
    policies: {
      tenant: latest(backup.policies.tenant),
      workspaces: backup.workspaces.map((w) => ({ slug: w.slug, name: w.name, policy: workspacePolicy.get(w.slug) ?? null })),
    },
    clients: backup.clients.map((c) => ({
      clientId: c.clientId,
      name: c.name,
      type: c.type,
      enabled: c.enabled,
      grantTypes: c.grantTypes,
      redirectUris: c.redirectUris,
      postLogoutRedirectUris: c.postLogoutRedirectUris,
      allowedOrigins: c.allowedOrigins,
    })),
    // Published keys with their public JWK; revoked ones by metadata only (as they are no longer in the JWKS).
    signingKeys: backup.signingKeys.map((k) => ({ kid: k.kid, alg: k.alg, state: k.state, createdAt: k.createdAt, publicJwk: k.state === "revoked" ? null : k.publicJwk })),
    apiKeys: apiKeys.map((k) => ({ publicId: k.publicId, name: k.name, scopes: k.scopes, createdAt: k.createdAt, expiresAt: k.expiresAt, revokedAt: k.revokedAt })),
  };
}

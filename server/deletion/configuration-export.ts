// The configuration export offered while a tenant waits for deletion (and before): everything an
// owner would need to rebuild the tenant elsewhere — members and roles, workspaces, the tenant's own
// policy overrides, OAuth clients with their URIs, signing keys' PUBLIC halves, API key metadata.
// Never a secret: no private keys, no secret hashes, no client secrets (server/audit/redact.ts's
// rule, applied by construction: only public fields are selected).
import type { TenantScope } from "../db/doors";
import type { TenantContext } from "../tenancy/context";
import { listMembers } from "../repos/memberships";
import { listClients } from "../repos/oauth-clients";
import { listApiKeys } from "../repos/api-keys";
import { findPublishedKeys, listSigningKeys } from "../repos/signing-keys";
import { latestTenantVersion, TENANT_SCOPE_KEY, workspaceScopeKey } from "../repos/policy-versions";

export const CONFIGURATION_EXPORT_FORMAT = "credo.tenant-configuration.v1";

export async function tenantConfigurationExport(scope: TenantScope, tenant: TenantContext, now = new Date()) {
  const [members, clients, apiKeys, keys, published, workspaces, tenantPolicy] = await Promise.all([
    listMembers(scope),
    listClients(scope),
    listApiKeys(scope),
    listSigningKeys(scope),
    findPublishedKeys(scope),
    scope.db.workspace.findMany({ where: { tenantId: scope.tenantId }, select: { id: true, slug: true, name: true }, orderBy: { slug: "asc" }, take: 1000 }),
    latestTenantVersion(scope, TENANT_SCOPE_KEY),
  ]);
  const publicJwk = new Map(published.map((k) => [k.kid, k.publicJwk]));
  const workspacePolicies = await Promise.all(workspaces.map((w) => latestTenantVersion(scope, workspaceScopeKey(w.id))));
  return {
    format: CONFIGURATION_EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    tenant: { slug: tenant.slug, name: tenant.name, status: tenant.status },
    members: members.map((m) => ({ email: m.user.email, name: m.user.name, role: m.role, expiresAt: m.expiresAt })),
    policies: {
      tenant: tenantPolicy ? { version: tenantPolicy.version, overrides: tenantPolicy.document } : null,
      workspaces: workspaces.map((w, i) => ({
        slug: w.slug,
        name: w.name,
        policy: workspacePolicies[i] ? { version: workspacePolicies[i]!.version, overrides: workspacePolicies[i]!.document } : null,
      })),
    },
    clients: clients.map((c) => ({
      clientId: c.clientId,
      name: c.name,
      type: c.type,
      enabled: c.enabled,
      grantTypes: c.grantTypes,
      redirectUris: c.redirectUris,
      postLogoutRedirectUris: c.postLogoutRedirectUris,
      allowedOrigins: c.allowedOrigins,
    })),
    signingKeys: keys.map((k) => ({ kid: k.kid, alg: k.alg, state: k.state, createdAt: k.createdAt, publicJwk: publicJwk.get(k.kid) ?? null })),
    apiKeys: apiKeys.map((k) => ({ publicId: k.publicId, name: k.name, scopes: k.scopes, createdAt: k.createdAt, expiresAt: k.expiresAt, revokedAt: k.revokedAt })),
  };
}

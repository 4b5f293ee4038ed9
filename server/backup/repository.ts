// Tenant-owned repository of the backup: what an export reads and what an import writes, across the
// tenant's members, workspaces, policy versions, OAuth clients and signing keys. Every function takes
// the request's TenantScope and filters (and writes) by its tenantId (RLS enforces the same). Selected
// columns are explicit: secret hashes (client secrets, API keys) are never read.
import type { Prisma } from "../db/generated/client";
import type { TenantScope } from "../db/doors";
import { BACKUP_LIMITS } from "./document";

// ---------------------------------------------------------------------------------------------
// Export

/** The tenant's members with the e-mail and name they are known by, owners first. */
export function backupMembers(scope: TenantScope) {
  return scope.db.membership.findMany({
    where: { tenantId: scope.tenantId },
    select: { role: true, expiresAt: true, user: { select: { email: true, name: true } } },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    take: BACKUP_LIMITS.members,
  });
}

export function backupWorkspaces(scope: TenantScope) {
  return scope.db.workspace.findMany({ where: { tenantId: scope.tenantId }, select: { id: true, slug: true, name: true }, orderBy: { slug: "asc" }, take: BACKUP_LIMITS.workspaces });
}

/** Every policy version (tenant and workspace scopes), by scope and version. */
export function backupPolicyVersions(scope: TenantScope) {
  return scope.db.policyVersion.findMany({
    where: { tenantId: scope.tenantId },
    select: { scope: true, workspaceId: true, version: true, document: true, authorLabel: true, comment: true, createdAt: true },
    orderBy: [{ scope: "asc" }, { version: "asc" }],
    take: BACKUP_LIMITS.versionsPerScope * (BACKUP_LIMITS.workspaces + 1),
  });
}

export function backupClients(scope: TenantScope) {
  return scope.db.oAuthClient.findMany({
    where: { tenantId: scope.tenantId },
    select: { clientId: true, name: true, type: true, enabled: true, grantTypes: true, redirectUris: true, postLogoutRedirectUris: true, allowedOrigins: true, createdByLabel: true, createdAt: true },
    orderBy: { clientId: "asc" },
    take: BACKUP_LIMITS.clients,
  });
}

/** Signing keys with their sealed private parts (exported only re-wrapped for a recipient). */
export function backupSigningKeys(scope: TenantScope) {
  return scope.db.signingKey.findMany({
    where: { tenantId: scope.tenantId },
    select: {
      kid: true, alg: true, state: true, publicJwk: true, createdAt: true, activatedAt: true, retiredAt: true, revokedAt: true,
      dataKeyId: true, privateKeyIv: true, privateKeyTag: true, privateKeyCiphertext: true,
    },
    orderBy: [{ createdAt: "asc" }, { kid: "asc" }],
    take: BACKUP_LIMITS.signingKeys,
  });
}

// ---------------------------------------------------------------------------------------------
// Import

/** What makes a tenant non-empty for an import, and its live signing keys. */
export async function importTargetState(scope: TenantScope) {
  const where = { tenantId: scope.tenantId };
  const [clients, workspaces, versions, apiKeys, ownKeys] = await Promise.all([
    scope.db.oAuthClient.count({ where }),
    scope.db.workspace.count({ where }),
    scope.db.policyVersion.count({ where }),
    scope.db.apiKey.count({ where }),
    scope.db.signingKey.findMany({ where: { ...where, state: { in: ["next", "current", "previous"] } }, select: { kid: true, state: true } }),
  ]);
  return { clients, workspaces, versions, apiKeys, ownKeys };
}

/** Platform-wide owners of identifiers of one kind: value → owning tenant id. */
export async function identifierOwners(scope: TenantScope, kind: string, values: string[]): Promise<Map<string, string>> {
  const rows = await scope.db.globalIdentifier.findMany({ where: { kind, value: { in: values } }, select: { value: true, ownerTenantId: true } });
  return new Map(rows.map((r) => [r.value, r.ownerTenantId]));
}

/** Console users with these e-mails (lower-case) that are active. */
export function activeUsersByEmail(scope: TenantScope, emails: string[]) {
  return scope.db.user.findMany({ where: { email: { in: emails }, status: "active" }, select: { id: true, email: true } });
}

/** The tenant's memberships: user and role. */
export function memberRoles(scope: TenantScope) {
  return scope.db.membership.findMany({ where: { tenantId: scope.tenantId }, select: { userId: true, role: true } });
}

/** Inserts workspaces; returns slug → id of every workspace of the tenant. */
export async function restoreWorkspaces(scope: TenantScope, workspaces: { slug: string; name: string }[]): Promise<Map<string, string>> {
  await scope.db.workspace.createMany({ data: workspaces.map((w) => ({ tenantId: scope.tenantId, slug: w.slug, name: w.name })) });
  const created = await scope.db.workspace.findMany({ where: { tenantId: scope.tenantId }, select: { id: true, slug: true } });
  return new Map(created.map((w) => [w.slug, w.id]));
}

export async function restorePolicyVersions(scope: TenantScope, rows: Omit<Prisma.PolicyVersionCreateManyInput, "tenantId">[]): Promise<void> {
  await scope.db.policyVersion.createMany({ data: rows.map((r) => ({ ...r, tenantId: scope.tenantId })) });
}

/** Claims identifiers of one kind for the tenant (one taken meanwhile: unique violation). */
export async function claimIdentifiers(scope: TenantScope, kind: string, values: string[]): Promise<void> {
  await scope.db.globalIdentifier.createMany({ data: values.map((value) => ({ kind, value, ownerTenantId: scope.tenantId })) });
}

export async function restoreClients(scope: TenantScope, rows: Omit<Prisma.OAuthClientCreateManyInput, "tenantId">[]): Promise<void> {
  await scope.db.oAuthClient.createMany({ data: rows.map((r) => ({ ...r, tenantId: scope.tenantId })) });
}

export async function revokeSigningKeys(scope: TenantScope, kids: string[], now: Date): Promise<void> {
  await scope.db.signingKey.updateMany({ where: { tenantId: scope.tenantId, kid: { in: kids } }, data: { state: "revoked", revokedAt: now } });
}

export async function restoreSigningKeys(scope: TenantScope, rows: Omit<Prisma.SigningKeyCreateManyInput, "tenantId">[]): Promise<void> {
  await scope.db.signingKey.createMany({ data: rows.map((r) => ({ ...r, tenantId: scope.tenantId })) });
}

export async function restoreMembers(scope: TenantScope, rows: { userId: string; role: string; expiresAt: Date | null; createdBy: string | null }[]): Promise<void> {
  await scope.db.membership.createMany({ data: rows.map((r) => ({ ...r, tenantId: scope.tenantId })) });
}

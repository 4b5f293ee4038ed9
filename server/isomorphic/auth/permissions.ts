// The RBAC matrix: which role may do what. Code (tenantProcedure, platformProcedure, the UI's
// buttons) and tests (server/auth/permissions.test.ts, the coverage gate) read this one table.
//
//   security_admin  platform role: every tenant, the tenant list, provisioning, pausing a tenant
//   owner           a tenant's configuration, for the tenants they own
//   support         read-only: the audit trail of the tenants they are granted (grant expires)

export const ROLES = ["security_admin", "owner", "support"] as const;
export type Role = (typeof ROLES)[number];
export type TenantRole = Exclude<Role, "security_admin">;

export const TENANT_PERMISSIONS = [
  "tenant.view", // overview of the tenant
  "members.read",
  "members.manage", // add owners, grant/revoke support access
  "audit.read",
  "audit.export",
  "audit.manage", // signed checkpoints on demand (retention and checkpoints otherwise run as jobs)
  "keys.read",
  "keys.manage",
  "apikeys.manage",
  "clients.read",
  "clients.manage",
  "policies.read",
  "policies.manage",
  "ratelimits.read",
  "ratelimits.manage",
  "usage.read", // the usage page: requests, refusals, audit events, exports, storage (and a storage refresh)
  "tenant.delete",
  "backup.export", // the tenant's configuration as a backup document (server/backup/)
  "backup.restore", // import a backup document into this (empty) tenant
] as const;
export type TenantPermission = (typeof TENANT_PERMISSIONS)[number];

// Pausing a tenant is a platform action (platform.tenants.pause / resumeTenant): it acts on a tenant
// from outside its own rules (a paused tenant refuses its own changes), and no API key can hold it.
// Tenant deletions: watching purges and shortening a grace period are platform actions too
// (platform.tenants.delete); requesting and cancelling a deletion is the tenant's tenant.delete.
// platform.audit.read: recent audit events across tenants (never of tenants in regulated mode),
// and the platform audit stream. platform.sessions.manage: see and revoke any operator's sessions.
// platform.factors.manage: list and remove another user's second factors (audited with a reason, step-up).
// platform.users.manage: console accounts (suspend, force reset, end sessions), platform invitations, dev outbox.
export const PLATFORM_PERMISSIONS = ["platform.tenants.list", "platform.tenants.create", "platform.tenants.pause", "platform.policies.manage", "platform.tenants.delete", "platform.audit.read", "platform.sessions.manage", "platform.users.manage", "platform.factors.manage"] as const;
export type PlatformPermission = (typeof PLATFORM_PERMISSIONS)[number];

export type Permission = TenantPermission | PlatformPermission;

const OWNER: readonly TenantPermission[] = [
  "tenant.view",
  "members.read",
  "members.manage",
  "audit.read",
  "audit.export",
  "audit.manage",
  "keys.read",
  "keys.manage",
  "apikeys.manage",
  "clients.read",
  "clients.manage",
  "policies.read",
  "policies.manage",
  "ratelimits.read",
  "ratelimits.manage",
  "usage.read",
  "tenant.delete",
  "backup.export",
  "backup.restore",
];

export const PERMISSION_MATRIX: Readonly<Record<Role, readonly Permission[]>> = {
  security_admin: [...TENANT_PERMISSIONS, ...PLATFORM_PERMISSIONS],
  owner: OWNER,
  support: ["tenant.view", "audit.read", "audit.export"],
};

/**
 * What an API key may be given (always also a subset of its creator's permissions). Never the
 * permissions that would let a leaked key entrench itself or act on people: minting more keys,
 * granting console access, deleting the tenant, or copying/restoring its whole configuration (backups).
 */
export const API_KEY_EXCLUDED: ReadonlySet<TenantPermission> = new Set(["apikeys.manage", "members.manage", "tenant.delete", "backup.export", "backup.restore"]);
export const API_KEY_SCOPES: readonly TenantPermission[] = TENANT_PERMISSIONS.filter((p) => !API_KEY_EXCLUDED.has(p));

export function isTenantPermission(v: string): v is TenantPermission {
  return (TENANT_PERMISSIONS as readonly string[]).includes(v);
}

export function can(role: Role, permission: Permission): boolean {
  return PERMISSION_MATRIX[role].includes(permission);
}

export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return new Set(PERMISSION_MATRIX[role]);
}

export const ROLE_LABELS: Readonly<Record<Role | "api_key", string>> = {
  api_key: "API key",
  security_admin: "Security admin",
  owner: "Owner",
  support: "Support (read-only)",
};

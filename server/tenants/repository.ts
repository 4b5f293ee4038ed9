// Tenant-owned repository of the tenants domain: the scope's own tenant row (its slug and lifecycle
// status), read inside its tenant transaction. Platform reads of tenants are in platform-repository.ts.
import type { TenantScope } from "../db/doors";

/** The scope's tenant: slug and status (null only if the row is gone). */
export function findOwnTenant(scope: TenantScope) {
  return scope.db.tenant.findUnique({ where: { id: scope.tenantId }, select: { slug: true, status: true } });
}

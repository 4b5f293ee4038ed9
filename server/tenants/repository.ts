// Tenant-owned repository of the tenants domain: the scope's own tenant row (its slug and lifecycle
// status), read inside its tenant transaction. Platform reads of tenants are in platform-repository.ts.
import { Prisma } from "../db/generated/client";
import type { TenantScope } from "../db/doors";
import { queryRows } from "../db/rows";

/** The scope's tenant: slug and status (null only if the row is gone). */
export function findOwnTenant(scope: TenantScope) {
  return scope.db.tenant.findUnique({ where: { id: scope.tenantId }, select: { slug: true, status: true } });
}

/**
 * What an API-key request needs of its own tenant, read on the transaction's connection
 * (server/db/rows.ts): as an API-key request's first statement it goes in the same round trip as
 * the transaction's BEGIN and scope.
 */
export async function findOwnTenantForRequest(scope: TenantScope): Promise<{ slug: string; name: string; status: string; pausedAt: Date | null; pausedReason: string | null } | null> {
  const rows = await queryRows<{ slug: string; name: string; status: string; pausedAt: Date | null; pausedReason: string | null }>(
    scope.db,
    Prisma.sql`SELECT slug, name, status, paused_at AS "pausedAt", paused_reason AS "pausedReason" FROM tenants WHERE id = ${scope.tenantId}::uuid`,
  );
  return rows[0] ?? null;
}

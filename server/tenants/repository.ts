// Tenant-owned repository of the tenants domain: the scope's own tenant row (slug, name, lifecycle
// status, pause), read inside its tenant transaction. Platform reads of tenants are in
// platform-repository.ts.
import { Prisma } from "../db/generated/client";
import type { TenantReadScope } from "../db/doors";
import { queryRows } from "../db/rows";

/** The scope's own tenant row, as the requests on it need it. */
export interface OwnTenant {
  slug: string;
  name: string;
  status: string;
  pausedAt: Date | null;
  pausedReason: string | null;
}

/**
 * The scope's tenant (null only if the row is gone), read on the transaction's connection
 * (server/db/rows.ts): as a door's first statement (an API-key request, a token verification) it
 * goes in the same round trip as the transaction's BEGIN and scope.
 */
export async function findOwnTenant(scope: TenantReadScope): Promise<OwnTenant | null> {
  const rows = await queryRows<OwnTenant>(
    scope.db,
    Prisma.sql`SELECT slug, name, status, paused_at AS "pausedAt", paused_reason AS "pausedReason" FROM tenants WHERE id = ${scope.tenantId}::uuid`,
  );
  return rows[0] ?? null;
}

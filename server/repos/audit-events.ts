// Tenant-owned repository: the audit trail of one tenant (read side; writes are in server/audit).
import type { TenantScope } from "../db/doors";

export interface AuditPageInput {
  /** Return events with id < cursor (ids are monotonic, so paging is stable under inserts). */
  cursor?: bigint | null;
  limit: number;
}

export async function listAuditEvents(scope: TenantScope, input: AuditPageInput) {
  const rows = await scope.db.auditEvent.findMany({
    where: { tenantId: scope.tenantId, ...(input.cursor ? { id: { lt: input.cursor } } : {}) },
    orderBy: { id: "desc" },
    take: input.limit + 1,
  });
  const hasMore = rows.length > input.limit;
  const items = hasMore ? rows.slice(0, input.limit) : rows;
  return { items, nextCursor: hasMore ? items[items.length - 1]!.id : null };
}

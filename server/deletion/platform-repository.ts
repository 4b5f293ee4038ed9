// Platform repository of the deletion domain: tenant_deletions is readable only in its tenant's scope
// (migration 20261205200000), so the platform finds deletions through SECURITY DEFINER functions that
// return ids and tenants only; each row is then read after entering its tenant.
import type { Db } from "../db/doors";

/** Deletions by status and/or due at `dueAt` (grace ended): ids and tenants only. */
export function deletionIndex(db: Db, status: string | null, dueAt: Date | null, limit: number) {
  return db.$queryRaw<{ id: string; target_tenant_id: string }[]>`
    SELECT id, target_tenant_id FROM credo_tenant_deletion_index(${status}, ${dueAt}::timestamptz, ${limit}::int)`;
}

/** A deletion's tenant id (null: no such deletion). */
export async function deletionTenantId(db: Db, deletionId: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ tenant: string | null }[]>`SELECT credo_tenant_deletion_tenant(${deletionId}::uuid) AS tenant`;
  return rows[0]?.tenant ?? null;
}

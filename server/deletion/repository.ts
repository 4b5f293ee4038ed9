// Tenant-owned repository of the deletion domain: the tenant's deletion rows (tenant_deletions), the
// tenant row's own lifecycle columns (status pending_deletion ↔ active) and the catalog-driven count of
// what the tenant owns. Every function takes a TenantScope and filters by its tenantId (RLS enforces
// the same: tenant_deletions is readable only in its tenant's scope, migration 20261205200000).
import type { Prisma } from "../db/generated/client";
import type { TenantScope } from "../db/doors";

export type DeletionRow = NonNullable<Awaited<ReturnType<typeof findDeletion>>>;

export function findDeletion(scope: TenantScope, deletionId: string) {
  return scope.db.tenantDeletion.findUnique({ where: { id: deletionId } });
}

/** The tenant's open (pending or purging) deletion, read without a lock. */
export function findOpenDeletion(scope: TenantScope) {
  return scope.db.tenantDeletion.findFirst({ where: { targetTenantId: scope.tenantId, status: { in: ["pending", "purging"] } } });
}

/** The tenant's open deletion, its row locked FOR UPDATE until the transaction ends. */
export async function lockOpenDeletion(scope: TenantScope): Promise<DeletionRow | null> {
  const rows = await scope.db.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM tenant_deletions WHERE target_tenant_id = ${scope.tenantId}::uuid AND status IN ('pending', 'purging') FOR UPDATE`;
  if (!rows[0]) return null;
  return findDeletion(scope, rows[0].id);
}

/** How many deletions of the tenant are purging (0 or 1: the purge owns the tenant then). */
export function countPurgingDeletions(scope: TenantScope): Promise<number> {
  return scope.db.tenantDeletion.count({ where: { targetTenantId: scope.tenantId, status: "purging" } });
}

export function createDeletion(scope: TenantScope, data: Omit<Prisma.TenantDeletionUncheckedCreateInput, "targetTenantId">) {
  return scope.db.tenantDeletion.create({ data: { ...data, targetTenantId: scope.tenantId } });
}

export async function markDeletionCancelled(scope: TenantScope, deletionId: string, now: Date, byLabel: string): Promise<void> {
  await scope.db.tenantDeletion.update({ where: { id: deletionId }, data: { status: "cancelled", cancelledAt: now, cancelledByLabel: byLabel }, select: { id: true } });
}

export function setDeletionGrace(scope: TenantScope, deletionId: string, graceDays: number, purgeAfter: Date) {
  return scope.db.tenantDeletion.update({ where: { id: deletionId }, data: { graceDays, purgeAfter } });
}

export function findDeletionReceipt(scope: TenantScope, deletionId: string) {
  return scope.db.tenantDeletion.findUnique({ where: { id: deletionId }, select: { receipt: true } });
}

/** active → pending_deletion, conditionally: of two concurrent requests exactly one moves the tenant. */
export async function markTenantPendingDeletion(scope: TenantScope, now: Date): Promise<boolean> {
  const moved = await scope.db.tenant.updateMany({ where: { id: scope.tenantId, status: "active" }, data: { status: "pending_deletion", deletionRequestedAt: now } });
  return moved.count === 1;
}

/** pending_deletion → active (a cancelled deletion); false when the tenant was not pending. */
export async function restoreTenantActive(scope: TenantScope): Promise<boolean> {
  const restored = await scope.db.tenant.updateMany({ where: { id: scope.tenantId, status: "pending_deletion" }, data: { status: "active", deletionRequestedAt: null } });
  return restored.count === 1;
}

/** Every table in schema public with a tenant_id column (the tenant-owned tables), from the catalog. */
export async function tenantOwnedTables(scope: Pick<TenantScope, "db">): Promise<string[]> {
  const rows = await scope.db.$queryRaw<{ t: string }[]>`
    SELECT c.relname::text AS t FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'p') ORDER BY 1`;
  return rows.map((r) => r.t);
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The tenant's rows in one tenant-owned table (in its own scope: RLS applies). */
export async function countTenantRows(scope: TenantScope, table: string): Promise<number> {
  // Table names come from the catalog (not from input); quoted as identifiers all the same.
  const rows = await scope.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM public.${quoteIdent(table)} WHERE tenant_id = $1::uuid`, scope.tenantId);
  return Number(rows[0]?.n ?? 0);
}

/** The global identifiers (kids, key ids, client ids, redirect URIs) the tenant has reserved. */
export function countReservedIdentifiers(scope: TenantScope): Promise<number> {
  return scope.db.globalIdentifier.count({ where: { ownerTenantId: scope.tenantId } });
}

// Tenant-owned repository of per-tenant usage: the hourly counters (tenant_usage_hourly), storage
// snapshots (tenant_storage_snapshots) and the index-led, time-bounded counts the usage page shows.
// Every function takes a TenantScope and filters by its tenantId (RLS enforces the same).
import type { TenantScope } from "../db/doors";

// ---------------------------------------------------------------------------------------------
// Hourly counters

export interface UsageBucketRow {
  /** Start of the hour (UTC), ISO. */
  hour: string;
  surface: string;
  requests: number;
  rateLimited: number;
  busy: number;
}

/** Adds the buckets to the tenant's hourly counters in one statement. */
export async function addUsageBuckets(scope: TenantScope, buckets: readonly UsageBucketRow[]): Promise<void> {
  await scope.db.$executeRaw`
    INSERT INTO tenant_usage_hourly (tenant_id, hour, surface, requests, rate_limited, busy)
    SELECT ${scope.tenantId}::uuid, u.hour, u.surface, u.requests, u.rate_limited, u.busy
      FROM unnest(${buckets.map((b) => b.hour)}::timestamptz[], ${buckets.map((b) => b.surface)}::varchar[],
                  ${buckets.map((b) => b.requests)}::bigint[], ${buckets.map((b) => b.rateLimited)}::bigint[],
                  ${buckets.map((b) => b.busy)}::bigint[]) AS u(hour, surface, requests, rate_limited, busy)
    ON CONFLICT (tenant_id, hour, surface) DO UPDATE SET
      requests = tenant_usage_hourly.requests + EXCLUDED.requests,
      rate_limited = tenant_usage_hourly.rate_limited + EXCLUDED.rate_limited,
      busy = tenant_usage_hourly.busy + EXCLUDED.busy`;
}

/** Requests and refusals per surface since `since` (an hour bucket). */
export function usageBySurfaceSince(scope: TenantScope, since: Date) {
  return scope.db.$queryRaw<{ surface: string; requests: bigint; rate_limited: bigint; busy: bigint }[]>`
    SELECT surface, sum(requests)::bigint AS requests, sum(rate_limited)::bigint AS rate_limited, sum(busy)::bigint AS busy
      FROM tenant_usage_hourly WHERE tenant_id = ${scope.tenantId}::uuid AND hour >= ${since}
     GROUP BY surface`;
}

// Both led by (tenant_id, time): index range scans bounded by the window.

export async function countAuditEventsSince(scope: TenantScope, since: Date): Promise<number> {
  const rows = await scope.db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*)::bigint AS n FROM audit_events WHERE tenant_id = ${scope.tenantId}::uuid AND occurred_at >= ${since}`;
  return Number(rows[0]?.n ?? 0);
}

export async function countAuditExportsSince(scope: TenantScope, since: Date): Promise<{ exports: number; bytes: number }> {
  const rows = await scope.db.$queryRaw<{ n: bigint; b: bigint }[]>`
    SELECT count(*)::bigint AS n, coalesce(sum(bytes_written), 0)::bigint AS b FROM audit_exports
     WHERE tenant_id = ${scope.tenantId}::uuid AND created_at >= ${since}`;
  return { exports: Number(rows[0]?.n ?? 0), bytes: Number(rows[0]?.b ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// Storage

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The tenant's rows and their bytes (sum of pg_column_size) in one tenant-owned table. */
export async function measureTable(scope: TenantScope, table: string): Promise<{ rows: number; bytes: number }> {
  // Table names come from the catalog, never from input; quoted as identifiers all the same.
  // Index-led on tenant_id (every tenant table's key starts with it).
  const rows = await scope.db.$queryRawUnsafe<{ n: bigint; b: bigint }[]>(
    `SELECT count(*)::bigint AS n, coalesce(sum(pg_column_size(t.*)), 0)::bigint AS b FROM public.${quoteIdent(table)} t WHERE t.tenant_id = $1::uuid`,
    scope.tenantId,
  );
  return { rows: Number(rows[0]?.n ?? 0), bytes: Number(rows[0]?.b ?? 0) };
}

/** The newest snapshot requested but not taken yet. */
export function findPendingSnapshot(scope: TenantScope) {
  return scope.db.tenantStorageSnapshot.findFirst({ where: { tenantId: scope.tenantId, takenAt: null }, orderBy: { requestedAt: "desc" }, select: { id: true, requestedAt: true } });
}

/** The newest snapshot taken, in full. */
export function findLatestTakenSnapshot(scope: TenantScope) {
  return scope.db.tenantStorageSnapshot.findFirst({ where: { tenantId: scope.tenantId, takenAt: { not: null } }, orderBy: { requestedAt: "desc" } });
}

/** The newest snapshot an operator asked for (their refresh requests are rate limited on it). */
export function findLatestRequestedSnapshot(scope: TenantScope) {
  return scope.db.tenantStorageSnapshot.findFirst({ where: { tenantId: scope.tenantId, requestedBy: { not: null } }, orderBy: { requestedAt: "desc" }, select: { requestedAt: true } });
}

export interface SnapshotData {
  takenAt: Date;
  tables: object;
  totalRows: bigint;
  totalBytes: bigint;
}

export async function fillSnapshot(scope: TenantScope, id: string, data: SnapshotData): Promise<void> {
  await scope.db.tenantStorageSnapshot.update({ where: { tenantId_id: { tenantId: scope.tenantId, id } }, data });
}

export async function insertSnapshot(scope: TenantScope, requestedAt: Date, data: SnapshotData): Promise<string> {
  return (await scope.db.tenantStorageSnapshot.create({ data: { tenantId: scope.tenantId, requestedAt, ...data }, select: { id: true } })).id;
}

/** Every other pending snapshot, and those requested before `before`, go (the kept one stays). */
export async function pruneSnapshots(scope: TenantScope, keepId: string, before: Date): Promise<void> {
  await scope.db.tenantStorageSnapshot.deleteMany({
    where: { tenantId: scope.tenantId, id: { not: keepId }, OR: [{ takenAt: null }, { requestedAt: { lt: before } }] },
  });
}

/** Serialises the tenant's refresh requests until the transaction ends (two clicks on two instances). */
export async function lockStorageRefresh(scope: TenantScope): Promise<void> {
  await scope.db.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`credo-usage-refresh:${scope.tenantId}`}))::text AS locked`;
}

/** A pending snapshot row for an operator's refresh request. */
export async function insertRefreshRequest(scope: TenantScope, requestedAt: Date, requestedBy: string): Promise<void> {
  await scope.db.tenantStorageSnapshot.create({ data: { tenantId: scope.tenantId, requestedAt, requestedBy } });
}

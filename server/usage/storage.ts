// Storage per tenant: rows and estimated bytes of every tenant-owned table, taken by the
// usage.storage job into tenant_storage_snapshots — never on a page view (README "Per-tenant usage").
//
// Scheduling: the audit maintenance sweep (server/audit/tasks.ts) queues usage.storage for every
// tenant each round, with one job key per tenant; the job skips when the latest snapshot is younger
// than STORAGE_SNAPSHOT_MAX_AGE_MS and nobody asked for a refresh. An owner's refresh request
// (usage.refreshStorage) writes a pending snapshot row and queues the job; at most one request per
// tenant per REFRESH_INTERVAL_MS (serialised on an advisory lock, counted from the pending rows).
import { z } from "zod";
import type { TenantScope } from "../db/doors";
import { inTenant } from "../db/doors";
import { tenantOwnedTables } from "../deletion/repository";
import { AppError } from "../isomorphic/errors";
import { defineTask, enqueueTenantJob } from "../jobs/queue";
import { allTenants } from "../tenancy/tenant-sweep";
import type { TenantId } from "../tenancy/tenant-id";
import {
  fillSnapshot,
  findLatestRequestedSnapshot,
  findLatestTakenSnapshot,
  findPendingSnapshot,
  insertRefreshRequest,
  insertSnapshot,
  lockStorageRefresh,
  measureTable,
  pruneSnapshots,
} from "./repository";

export const STORAGE_TASK = "usage.storage";
export const STORAGE_JOB_KEY = "usage-storage";
export const STORAGE_SNAPSHOT_MAX_AGE_MS = 6 * 3_600_000;
export const REFRESH_INTERVAL_MS = 10 * 60_000;
/** Snapshots older than this are pruned (the latest one always stays). */
const KEEP_MS = 30 * 24 * 3_600_000;

export interface TableStorage {
  table: string;
  rows: number;
  /** Sum of pg_column_size of the tenant's rows (row data, without indexes and page overhead). */
  bytes: number;
}

export interface StorageSnapshot {
  takenAt: Date | null;
  requestedAt: Date;
  tables: TableStorage[];
  totalRows: number;
  totalBytes: number;
}

/** Counts the tenant's rows and bytes per table now (in its scope: RLS applies too). */
export async function measureTenantStorage(scope: TenantScope): Promise<TableStorage[]> {
  const out: TableStorage[] = [];
  for (const table of await tenantOwnedTables(scope)) out.push({ table, ...(await measureTable(scope, table)) });
  return out;
}

/**
 * Takes one snapshot for the tenant: fills the newest pending (requested) row, else writes a new
 * one; prunes old snapshots. With `ifOlderThanMs`, skips when a recent snapshot exists and nothing
 * is pending. Returns whether it measured.
 */
export async function takeStorageSnapshot(tenantId: TenantId, now = new Date(), opts: { ifOlderThanMs?: number } = {}): Promise<boolean> {
  return inTenant(tenantId, async (scope) => {
    const pending = await findPendingSnapshot(scope);
    if (!pending && opts.ifOlderThanMs !== undefined) {
      const latest = await findLatestTakenSnapshot(scope);
      if (latest?.takenAt && now.getTime() - latest.takenAt.getTime() < opts.ifOlderThanMs) return false;
    }
    const tables = await measureTenantStorage(scope);
    const data = {
      takenAt: now,
      tables: tables as unknown as object,
      totalRows: BigInt(tables.reduce((s, t) => s + t.rows, 0)),
      totalBytes: BigInt(tables.reduce((s, t) => s + t.bytes, 0)),
    };
    let id: string;
    if (pending) {
      await fillSnapshot(scope, pending.id, data);
      id = pending.id;
    } else {
      id = await insertSnapshot(scope, now, data);
    }
    // Older pending requests are answered by this snapshot; old ones beyond the window go.
    await pruneSnapshots(scope, id, new Date(now.getTime() - KEEP_MS));
    return true;
  });
}

export const storageSnapshotTask = defineTask(STORAGE_TASK, z.object({}), async (_p, ctx) => {
  const took = await takeStorageSnapshot(ctx.tenantId, ctx.now(), { ifOlderThanMs: STORAGE_SNAPSHOT_MAX_AGE_MS });
  ctx.log.info("storage snapshot", { took });
});

/** Queues usage.storage for every live tenant (the audit maintenance sweep calls this each round). */
export async function scheduleStorageSnapshots(): Promise<number> {
  let n = 0;
  for await (const t of allTenants()) {
    if (t.status === "deleted" || t.status === "pending_deletion") continue;
    await enqueueTenantJob(t.id, storageSnapshotTask, {}, { jobKey: STORAGE_JOB_KEY, maxAttempts: 3 });
    n++;
  }
  return n;
}

/**
 * An operator asks for a fresh snapshot: refused (TOO_MANY_REQUESTS) within REFRESH_INTERVAL_MS of
 * the previous request, else a pending row plus the job, both in the caller's transaction.
 */
export async function requestStorageRefresh(scope: TenantScope, requestedBy: string, now = new Date()): Promise<{ requestedAt: Date }> {
  // Serialises concurrent requests of the tenant (two clicks on two instances): one wins.
  await lockStorageRefresh(scope);
  const last = await findLatestRequestedSnapshot(scope);
  if (last && now.getTime() - last.requestedAt.getTime() < REFRESH_INTERVAL_MS) {
    const waitMin = Math.max(1, Math.ceil((REFRESH_INTERVAL_MS - (now.getTime() - last.requestedAt.getTime())) / 60_000));
    throw new AppError("TOO_MANY_REQUESTS", `Storage was refreshed less than 10 minutes ago. Try again in ${waitMin} min.`);
  }
  await insertRefreshRequest(scope, now, requestedBy.slice(0, 64));
  await enqueueTenantJob(scope, storageSnapshotTask, {}, { jobKey: STORAGE_JOB_KEY, maxAttempts: 3 });
  return { requestedAt: now };
}

/** The latest completed snapshot and whether a refresh is pending (for the page). */
export async function latestStorage(scope: TenantScope): Promise<{ snapshot: StorageSnapshot | null; refreshPendingSince: Date | null; nextRefreshAt: Date | null }> {
  const [done, pending, lastRequest] = await Promise.all([
    findLatestTakenSnapshot(scope),
    findPendingSnapshot(scope),
    findLatestRequestedSnapshot(scope),
  ]);
  const tables = ((done?.tables ?? []) as unknown as TableStorage[]).slice().sort((a, b) => b.bytes - a.bytes || a.table.localeCompare(b.table));
  return {
    snapshot: done
      ? { takenAt: done.takenAt, requestedAt: done.requestedAt, tables, totalRows: Number(done.totalRows ?? 0), totalBytes: Number(done.totalBytes ?? 0) }
      : null,
    refreshPendingSince: pending?.requestedAt ?? null,
    nextRefreshAt: lastRequest ? new Date(lastRequest.requestedAt.getTime() + REFRESH_INTERVAL_MS) : null,
  };
}

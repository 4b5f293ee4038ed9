// The audit trail's background jobs (server/jobs/, one queue per tenant):
//
//   audit.export       one export (payload { exportId }), queued by audit.requestExport; up to
//                      EXPORT_MAX_ATTEMPTS attempts, each starting over from scratch (pipeline.ts).
//   audit.maintenance  per tenant, every AUDIT_MAINTENANCE_INTERVAL_MINUTES: expire exports (delete
//                      their files), purge events past the retention period (retention.ts), and
//                      record a signed head checkpoint after checking what was appended since the
//                      previous one (chain.ts recordHeadCheckpoint).
//
// Scheduling: startAuditMaintenance() — called next to the worker by the boot module
// (server/jobs/boot.ts) — queues audit.maintenance for every tenant at start and then every interval, with one job key
// per tenant (a pending one is replaced, never doubled). `npm run audit:maintenance` does one round
// from cron instead, for deployments that run workers without the sweep.
import { z } from "zod";
import { inTenant, onPlatform } from "../db/doors";
import { recordPlatformCheckpoint } from "./platform-chain";
import { env } from "../env";
import { defineTask, enqueueTenantJob } from "../jobs/queue";
import { allTenants } from "../tenancy/tenant-sweep";
import { logLine } from "../jobs/schema";
import type { TenantId } from "../tenancy/tenant-id";
import { recordHeadCheckpoint } from "./chain";
import { scheduleKeyRetirement } from "../signing-keys/retirement";
import { runAuditExport } from "./export/pipeline";
import { expireAuditExports, exportJob } from "./export/service";
import { runRetentionPurge } from "./retention";
import { scheduleStorageSnapshots } from "../usage/storage";

export const auditExportTask = defineTask(exportJob.name, exportJob.payload, async (p, ctx) => {
  const r = await runAuditExport(ctx.tenantId, p.exportId, { now: ctx.now });
  ctx.log.info("audit export finished", { exportId: p.exportId, outcome: r.outcome, rows: r.rows, bytes: r.bytes });
}, { whilePendingDeletion: "grace" });

export const MAINTENANCE_TASK = "audit.maintenance";
export const MAINTENANCE_JOB_KEY = "audit-maintenance";

export interface MaintenanceResult {
  expiredExports: number;
  purged: number;
  retentionError: string | null;
  checkpointSeq: string | null;
  chainIntact: boolean;
}

/** One tenant's audit upkeep (also callable directly: tests, the CLI). */
export async function runAuditMaintenance(tenantId: TenantId, now = new Date()): Promise<MaintenanceResult> {
  const expiredExports = await inTenant(tenantId, (scope) => expireAuditExports(scope, now));
  const retention = await runRetentionPurge(tenantId, { now });
  const cp = await inTenant(tenantId, (scope) => recordHeadCheckpoint(scope, now));
  return {
    expiredExports,
    purged: retention.removed,
    retentionError: retention.error,
    checkpointSeq: cp.checkpoint ? cp.checkpoint.seq.toString() : null,
    chainIntact: cp.verification.intact,
  };
}

export const auditMaintenanceTask = defineTask(MAINTENANCE_TASK, z.object({}), async (_p, ctx) => {
  const r = await runAuditMaintenance(ctx.tenantId, ctx.now());
  // Re-times the signing-key retirement job too: previous keys from before it existed, and a
  // retention period changed in the policy since the last promotion.
  await inTenant(ctx.tenantId, (scope) => scheduleKeyRetirement(scope, ctx.now()));
  if (!r.chainIntact || r.retentionError) ctx.log.error("audit maintenance found a problem", { ...r });
  else ctx.log.info("audit maintenance done", { ...r });
});

/** Queues audit.maintenance for every tenant now (deduplicated per tenant by job key). */
export async function scheduleAuditMaintenance(): Promise<number> {
  let n = 0;
  for await (const t of allTenants()) {
    if (t.status === "deleted" || t.status === "pending_deletion") continue;
    await enqueueTenantJob(t.id, auditMaintenanceTask, {}, { jobKey: MAINTENANCE_JOB_KEY, maxAttempts: 3 });
    n++;
  }
  return n;
}

const globalForSweep = globalThis as unknown as { credoAuditSweep?: NodeJS.Timeout };

/** Runs scheduleAuditMaintenance now and every interval in this process (idempotent). */
export function startAuditMaintenance(intervalMinutes = env.AUDIT_MAINTENANCE_INTERVAL_MINUTES): void {
  if (globalForSweep.credoAuditSweep) return;
  const round = () => {
    void scheduleAuditMaintenance().catch((e: unknown) => logLine("error", "audit maintenance: scheduling failed", { error: String(e) }));
    // Per-tenant storage snapshots for the usage page (the job skips tenants measured recently).
    void scheduleStorageSnapshots().catch((e: unknown) => logLine("error", "usage storage: scheduling failed", { error: String(e) }));
    // The platform audit stream: one signed checkpoint per round (after an incremental check).
    void onPlatform((db) => recordPlatformCheckpoint(db))
      .then((r) => {
        if (!r.verification.intact) logLine("error", "platform audit chain is broken", { message: r.verification.message });
      })
      .catch((e: unknown) => logLine("error", "platform audit checkpoint failed", { error: String(e) }));
  };
  void round();
  globalForSweep.credoAuditSweep = setInterval(round, intervalMinutes * 60_000);
  globalForSweep.credoAuditSweep.unref();
}

export function stopAuditMaintenance(): void {
  if (globalForSweep.credoAuditSweep) clearInterval(globalForSweep.credoAuditSweep);
  globalForSweep.credoAuditSweep = undefined;
}

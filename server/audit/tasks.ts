// The audit trail's background jobs (server/jobs/, one queue per tenant):
//
//   audit.export       one export (payload { exportId }), queued by audit.requestExport; up to
//                      EXPORT_MAX_ATTEMPTS attempts, each starting over from scratch (pipeline.ts).
//   audit.maintenance  per tenant, every AUDIT_MAINTENANCE_INTERVAL_MINUTES: expire exports (delete
//                      their files), purge events past the retention period (retention.ts), and
//                      record a signed head checkpoint after checking what was appended since the
//                      previous one (chain.ts recordHeadCheckpoint).
//
//   audit.upkeep-round scheduled (graphile-worker's cron, one run per slot across every worker) every
//                      AUDIT_MAINTENANCE_INTERVAL_MINUTES: queues audit.maintenance for every tenant
//                      with one job key per tenant (a pending one is replaced, never doubled), the
//                      storage snapshots, and the platform stream's checkpoint. `npm run
//                      audit:maintenance` does one round by hand.
import { z } from "zod";
import { inTenant, onPlatform } from "../db/doors";
import { recordPlatformCheckpoint } from "./platform-chain";
import { env } from "../env";
import { defineScheduledTask, defineTask, enqueueTenantJob, everyMinutes } from "../jobs/queue";
import { allTenants } from "../tenancy/tenant-sweep";
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

export const UPKEEP_ROUND_TASK = "audit.upkeep-round";

/**
 * One upkeep round: every tenant's audit.maintenance queued, the usage page's storage snapshots
 * queued (the job skips tenants measured recently), and one signed checkpoint of the platform audit
 * stream (after an incremental check). A scheduled task, so one run per slot however many
 * instances and workers there are; a worker starting after a missed slot catches it up.
 */
export const auditUpkeepRoundTask = defineScheduledTask(
  UPKEEP_ROUND_TASK,
  {
    match: everyMinutes(env.AUDIT_MAINTENANCE_INTERVAL_MINUTES),
    backfillMs: env.AUDIT_MAINTENANCE_INTERVAL_MINUTES * 60_000,
    maxAttempts: 3,
  },
  async (ctx) => {
    const tenants = await scheduleAuditMaintenance();
    const snapshots = await scheduleStorageSnapshots();
    const platform = await onPlatform((db) => recordPlatformCheckpoint(db));
    if (!platform.verification.intact) ctx.log.error("platform audit chain is broken", { message: platform.verification.message });
    ctx.log.info("audit upkeep round queued", { tenants, snapshots, platformCheckpoint: platform.seq });
  },
);

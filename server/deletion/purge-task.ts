// The purge as a background job ("tenant.purge", in the tenant's own queue, key "tenant-purge"):
// enqueued when a deletion is requested, to run when its grace period ends (runAt), re-enqueued when
// a security admin shortens the grace, removed when the deletion is cancelled. The tenant's queue
// runs one job at a time, and the purge itself serialises on the deletion row, so two workers never
// purge one tenant at once. A failed attempt is recorded on the deletion (last error, retries) and
// retried by the queue with backoff; a worker shutting down re-queues the purge to continue.
import { z } from "zod";
import { inTenant } from "../db/doors";
import { defineTask, enqueueTenantJob } from "../jobs/queue";
import type { TenantId } from "../tenancy/tenant-id";
import { PURGE_JOB_KEY, PURGE_MAX_ATTEMPTS, runPurge, type PurgeHooks } from "./purge";

const payload = z.object({ deletionId: z.uuid() });

const globalForHooks = globalThis as unknown as { credoPurgeTestHooks?: PurgeHooks; credoPurgeBatchSize?: number };

/** Tests only (crash-safety child processes): hooks and batch size for purges this process runs. */
export function setPurgeTestHooks(hooks: PurgeHooks | undefined, batchSize?: number): void {
  globalForHooks.credoPurgeTestHooks = hooks;
  globalForHooks.credoPurgeBatchSize = batchSize;
}

export const purgeTenantTask = defineTask("tenant.purge", payload, async (p, ctx) => {
  try {
    const result = await runPurge({
      deletionId: p.deletionId,
      tenantId: ctx.tenantId,
      now: ctx.now,
      signal: ctx.signal,
      attempt: ctx.attempt,
      log: ctx.log,
      hooks: globalForHooks.credoPurgeTestHooks,
      batchSize: globalForHooks.credoPurgeBatchSize,
    });
    if (result.outcome === "not_due") await enqueuePurge(ctx.tenantId, p.deletionId, result.purgeAfter);
    if (result.outcome === "interrupted") await enqueuePurge(ctx.tenantId, p.deletionId);
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
    await inTenant(ctx.tenantId, (scope) =>
      scope.db.tenantDeletion.updateMany({ where: { id: p.deletionId, status: { in: ["pending", "purging"] } }, data: { lastError: message } }),
    ).catch(() => undefined);
    throw e;
  }
}, { whilePendingDeletion: "always" });

/** Queues (or re-times) the tenant's purge job. Pass the TenantScope when inside a transaction. */
export function enqueuePurge(target: TenantId | Parameters<typeof enqueueTenantJob>[0], deletionId: string, runAt?: Date) {
  return enqueueTenantJob(target, purgeTenantTask, { deletionId }, { runAt, jobKey: PURGE_JOB_KEY, maxAttempts: PURGE_MAX_ATTEMPTS });
}

// The purge as a background job ("tenant.purge", in the tenant's own queue, key "tenant-purge"):
// enqueued when a deletion is requested, to run when its grace period ends (runAt), re-enqueued when
// a security admin shortens the grace, removed when the deletion is cancelled. The tenant's queue
// runs one job at a time, and the purge itself serialises on the deletion row, so two workers never
// purge one tenant at once. A failed attempt is recorded on the deletion (last error, retries) and
// retried by the queue with backoff; a worker shutting down re-queues the purge to continue.
import { z } from "zod";
import { defineTask, enqueueTenantJob } from "../jobs/queue";
import type { TenantId } from "../tenancy/tenant-id";
import { LeaseLostError, PURGE_JOB_KEY, PURGE_MAX_ATTEMPTS, runPurge, type PurgeHooks } from "./purge";

const payload = z.object({ deletionId: z.uuid() });

const globalForHooks = globalThis as unknown as { credoPurgeTestHooks?: PurgeHooks; credoPurgeBatchSize?: number };

/** Tests only (crash-safety child processes): hooks and batch size for purges this process runs. */
export function setPurgeTestHooks(hooks: PurgeHooks | undefined, batchSize?: number): void {
  globalForHooks.credoPurgeTestHooks = hooks;
  globalForHooks.credoPurgeBatchSize = batchSize;
}

export const purgeTenantTask = defineTask(
  "tenant.purge",
  payload,
  async (p, ctx) => {
    // A failed attempt is recorded on the deletion by runPurge itself (fenced by its lease).
    const result = await runPurge({
      deletionId: p.deletionId,
      tenantId: ctx.tenantId,
      now: ctx.now,
      signal: ctx.signal,
      attempt: ctx.attempt,
      log: ctx.log,
      hooks: globalForHooks.credoPurgeTestHooks,
      batchSize: globalForHooks.credoPurgeBatchSize ?? envBatchSize(),
    });
    if (result.outcome === "not_due") await enqueuePurge(ctx.tenantId, p.deletionId, result.purgeAfter);
    if (result.outcome === "interrupted") await enqueuePurge(ctx.tenantId, p.deletionId);
    // A stale run (it froze and another worker took over) must not complete the job: graphile would
    // delete the job row the new owner holds. Failing is safe — a failure is only recorded for the
    // worker that still holds the job lock.
    if (result.outcome === "lease_lost") {
      ctx.log.warn("purge: lease taken over by a newer run; this run stopped", { deletionId: p.deletionId });
      throw new LeaseLostError();
    }
  },
  { whilePendingDeletion: "always" },
);

/** PURGE_BATCH_SIZE: rows per purge transaction (default 1000). Smaller = shorter row locks. */
function envBatchSize(): number | undefined {
  const n = Number(process.env.PURGE_BATCH_SIZE);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : undefined;
}

/** Queues (or re-times) the tenant's purge job. Pass the TenantScope when inside a transaction. */
export function enqueuePurge(target: TenantId | Parameters<typeof enqueueTenantJob>[0], deletionId: string, runAt?: Date) {
  return enqueueTenantJob(target, purgeTenantTask, { deletionId }, { runAt, jobKey: PURGE_JOB_KEY, maxAttempts: PURGE_MAX_ATTEMPTS });
}

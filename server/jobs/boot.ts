// The background work of one process, started the same way by `npm run dev` / `npm start`
// (server/cli/serve.ts, in-process), `npm run worker` (server/cli/worker.ts) and the e2e server:
//
//   1. the job worker (server/jobs/queue.ts) with every task below — the one list of them: the queue
//      itself knows no task, so a task module may import the queue without a cycle;
//   2. graphile-worker's cron for the scheduled tasks (signing-key auto-promotion, hourly);
//   3. a sweep re-queueing purges whose grace ended while no worker ran;
//   4. the audit upkeep round for every tenant, now and every AUDIT_MAINTENANCE_INTERVAL_MINUTES
//      (server/audit/tasks.ts).
//
// A new task: define it in its domain's tasks module (server/jobs/task.ts) and add it here.
import { auditExportTask, auditMaintenanceTask, startAuditMaintenance, stopAuditMaintenance } from "../audit/tasks";
import { sweepDueDeletions } from "../deletion/platform";
import { purgeTenantTask } from "../deletion/purge-task";
import { logger } from "../observability/logger";
import { retirePreviousKeysTask } from "../signing-keys/retirement";
import { autoPromoteKeysTask } from "../signing-keys/tasks";
import { storageSnapshotTask } from "../usage/storage";
import { runWorker, type ScheduledTaskDefinition, type TaskDefinition, type WorkerHandle, type WorkerOptions } from "./queue";

/** Every tenant task a worker runs. */
export const TENANT_TASKS: readonly TaskDefinition[] = [purgeTenantTask, auditExportTask, auditMaintenanceTask, retirePreviousKeysTask, storageSnapshotTask];

/** Every scheduled (platform-wide) task, queued by the workers' cron. */
export const SCHEDULED_TASKS: readonly ScheduledTaskDefinition[] = [autoPromoteKeysTask];

export interface BackgroundWorkOptions {
  /** The worker's own settings (its connection, concurrency, heartbeat, …). */
  worker?: Omit<WorkerOptions, "tasks" | "scheduled">;
  /** Only these tasks, by name (a dedicated worker: JOBS_TASKS); default every one. */
  onlyTasks?: readonly string[];
  /** Queue the audit upkeep round from this process (default true; JOBS_AUDIT_SWEEP=off). */
  auditSweep?: boolean;
}

export interface BackgroundWork {
  readonly worker: WorkerHandle;
  /** Stops the upkeep round, then the worker (graceful: running jobs get their abort signal). */
  stop(): Promise<void>;
}

/** Starts this process's background work (see the header). */
export async function startBackgroundWork(opts: BackgroundWorkOptions = {}): Promise<BackgroundWork> {
  const only = opts.onlyTasks;
  const taken = <T extends { name: string }>(tasks: readonly T[]) => (only ? tasks.filter((t) => only.includes(t.name)) : tasks);
  const worker = await runWorker({ ...opts.worker, tasks: taken(TENANT_TASKS), scheduled: taken(SCHEDULED_TASKS) });
  // Purges whose grace ended while no worker ran are queued again (their scheduled jobs normally are).
  await sweepDueDeletions().catch((e: unknown) => logger.warn({ err: e }, "deletion sweep failed"));
  // Several processes may queue it: one job key per tenant keeps it from doubling.
  const auditSweep = opts.auditSweep ?? true;
  if (auditSweep) startAuditMaintenance();
  let stopped: Promise<void> | null = null;
  return {
    worker,
    stop() {
      stopped ??= (async () => {
        if (auditSweep) stopAuditMaintenance();
        await worker.stop();
      })();
      return stopped;
    },
  };
}

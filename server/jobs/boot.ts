// The background work of one process, started the same way by `npm run dev` / `npm start`
// (server/cli/serve.ts, in-process), `npm run worker` (server/cli/worker.ts) and the e2e server:
//
//   1. the job worker (server/jobs/queue.ts) with every task below — the one list of them: the queue
//      itself knows no task, so a task module may import the queue without a cycle;
//   2. graphile-worker's cron for the scheduled tasks (signing-key auto-promotion, hourly; the audit
//      upkeep round, every AUDIT_MAINTENANCE_INTERVAL_MINUTES) — one run per slot across every
//      process, so N instances do not do the rounds N times;
//   3. a sweep re-queueing purges whose grace ended while no worker ran.
//
// A new task: define it in its domain's tasks module (server/jobs/task.ts) and add it here.
import { auditExportTask, auditMaintenanceTask, auditUpkeepRoundTask } from "../audit/tasks";
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
export const SCHEDULED_TASKS: readonly ScheduledTaskDefinition[] = [autoPromoteKeysTask, auditUpkeepRoundTask];

export interface BackgroundWorkOptions {
  /** The worker's own settings (its connection, concurrency, heartbeat, …). */
  worker?: Omit<WorkerOptions, "tasks" | "scheduled">;
  /** Only these tasks, by name (a dedicated worker: JOBS_TASKS); default every one. */
  onlyTasks?: readonly string[];
  /** This worker's cron schedules the audit upkeep round (default true; JOBS_AUDIT_SWEEP=off). */
  auditSweep?: boolean;
}

export interface BackgroundWork {
  readonly worker: WorkerHandle;
  /** Stops the worker (graceful: running jobs get their abort signal). */
  stop(): Promise<void>;
}

/** The tasks and scheduled tasks a process runs, given its options (JOBS_TASKS, JOBS_AUDIT_SWEEP). */
export function backgroundTasks(opts: Pick<BackgroundWorkOptions, "onlyTasks" | "auditSweep"> = {}) {
  const only = opts.onlyTasks;
  const taken = <T extends { name: string }>(tasks: readonly T[]) => (only ? tasks.filter((t) => only.includes(t.name)) : tasks);
  // JOBS_AUDIT_SWEEP=off: this worker's cron leaves the upkeep round to others (or to a host cron
  // running `npm run audit:maintenance`).
  const scheduled = opts.auditSweep === false ? SCHEDULED_TASKS.filter((t) => t !== auditUpkeepRoundTask) : SCHEDULED_TASKS;
  return { tasks: taken(TENANT_TASKS), scheduled: taken(scheduled) };
}

/** Starts this process's background work (see the header). */
export async function startBackgroundWork(opts: BackgroundWorkOptions = {}): Promise<BackgroundWork> {
  const worker = await runWorker({ ...opts.worker, ...backgroundTasks(opts) });
  // Purges whose grace ended while no worker ran are queued again (their scheduled jobs normally are).
  await sweepDueDeletions().catch((e: unknown) => logger.warn({ err: e }, "deletion sweep failed"));
  let stopped: Promise<void> | null = null;
  return {
    worker,
    stop() {
      stopped ??= worker.stop();
      return stopped;
    },
  };
}

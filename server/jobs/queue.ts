// Background jobs: graphile-worker (PostgreSQL-backed, schema `graphile_worker`), partitioned per
// tenant (ADR-003):
//
//   * every job lives in its tenant's queue `tenant:<tenant id>`: graphile runs the jobs of one queue
//     strictly one at a time, across all workers, so a tenant's jobs never overlap or mix with another
//     tenant's, and a slow tenant never blocks the others (different queues run in parallel);
//   * jobs are enqueued ONLY through the SQL function credo_enqueue_tenant_job (migration
//     20261123180000_tenant_deletion), called in a tenant transaction: it takes the tenant from the
//     transaction's app.tenant_id (never from an argument) and namespaces job keys per tenant. The
//     runtime role has no other access to the queue's schema;
//   * a paused tenant's jobs (tenants.paused_at) are postponed, not run: the worker re-queues them a
//     minute later without using up an attempt;
//   * failed jobs are retried with graphile's exponential backoff (exp(min(attempt, 10)) seconds)
//     until maxAttempts (default 25).
//
// Enqueue INSIDE a transaction by passing its TenantScope: the job is then committed (or rolled
// back) together with the change that asked for it. On embedded PGlite this is required, not just
// nicer: while a transaction is open, a query on another connection waits for it (deadlock).
//
// Scheduled (platform-wide) tasks are queued by graphile-worker's cron instead, each into its own
// queue `scheduled:<task>` (one run at a time across all workers); the cron's bookkeeping
// (known_crontabs) makes sure one slot is queued once however many workers run it.
//
// This module knows no task: the boot module (server/jobs/boot.ts) hands runWorker the task list,
// and starts the worker in-process in `npm run dev` / `npm start` (server/cli/serve.ts) and in
// separate processes with `npm run worker` (server/cli/worker.ts). Its schema is created and
// migrated with the owner connection by migrateDatabase (server/db/migrate.ts), never by the
// runtime role.
import { EventEmitter } from "node:events";
import pg from "pg";
import { parseCronItems, run, type JobHelpers, type Runner, type Task, type TaskList, type WorkerEvents } from "graphile-worker";
import { z } from "zod";
import { inTenant, onPlatform, type TenantScope } from "../db/doors";
import { env } from "../env";
import { tenantIdFromDatabase, type TenantId } from "../tenancy/tenant-id";
import { JOB_SCHEMA, jobsLogger, logLine } from "./schema";
import { observeJobRun } from "../observability/request";
import { TASK_NAME, type JobLog, type JobType, type ScheduledTaskDefinition, type TaskContext, type TaskDefinition, type TaskName } from "./task";

export { JOB_SCHEMA, migrateJobQueue } from "./schema";
export { defineScheduledTask, defineTask, everyMinutes, jobType, type JobLog, type JobType, type ScheduledTaskDefinition, type TaskContext, type TaskDefinition, type TaskName } from "./task";

const QUEUE_PREFIX = "tenant:";
/** How long a paused tenant's job waits before it is looked at again. */
export const PAUSED_RECHECK_MS = 60_000;

export function tenantQueueName(tenantId: TenantId): string {
  return `${QUEUE_PREFIX}${tenantId}`;
}

const SCHEDULED_PREFIX = "scheduled:";

/** The queue graphile's cron puts a scheduled task's jobs in: one run at a time across all workers. */
export function scheduledQueueName(task: TaskName): string {
  return `${SCHEDULED_PREFIX}${task}`;
}

/** The tenant of a queue name; null for anything that is not a tenant queue. */
export function tenantOfQueue(queueName: string | null | undefined): TenantId | null {
  if (!queueName?.startsWith(QUEUE_PREFIX)) return null;
  try {
    return tenantIdFromDatabase(queueName.slice(QUEUE_PREFIX.length));
  } catch {
    return null;
  }
}

export interface EnqueueOptions {
  /** Not before this moment (default: now). */
  runAt?: Date;
  /**
   * At most one pending job per key in this tenant: enqueueing again with the same key replaces the
   * pending job (payload, runAt); if it is already running, a new one is queued after it.
   */
  jobKey?: string;
  /** Attempts before the job is given up (default 25, at most 100). */
  maxAttempts?: number;
}

const jobKeySchema = z.string().min(1).max(200);

/**
 * Queues `task` for the tenant. `target` is a TenantScope (enqueue inside that transaction: the job
 * exists only if it commits) or a TenantId (a transaction of its own, through inTenant). Given the
 * task or its job type, the payload is validated with its schema here; given only a name, it is
 * validated by the worker before the job runs.
 */
export async function enqueueTenantJob<S extends z.ZodType>(
  target: TenantId | TenantScope,
  task: TaskName | JobType<S>,
  payload: z.input<S> | Record<string, unknown>,
  opts: EnqueueOptions = {},
): Promise<{ jobId: string }> {
  const name = typeof task === "string" ? task : task.name;
  if (!TASK_NAME.test(name)) throw new Error(`Invalid task name "${name}".`);
  const checked = typeof task === "string" ? payload : task.payload.parse(payload);
  if (opts.jobKey !== undefined) jobKeySchema.parse(opts.jobKey);
  if (opts.maxAttempts !== undefined && !(Number.isInteger(opts.maxAttempts) && opts.maxAttempts >= 1 && opts.maxAttempts <= 100)) {
    throw new Error("maxAttempts must be an integer between 1 and 100.");
  }
  const json = JSON.stringify(checked ?? {});
  const enqueue = async (scope: TenantScope) => {
    const rows = await scope.db.$queryRaw<{ id: string }[]>`
      SELECT credo_enqueue_tenant_job(${name}, ${json}::jsonb, ${opts.runAt ?? null}::timestamptz,
                                      ${opts.jobKey ?? null}, ${opts.maxAttempts ?? null}::int)::text AS id`;
    return { jobId: rows[0]!.id };
  };
  return typeof target === "string" ? inTenant(target, enqueue) : enqueue(target);
}

/** Removes the tenant's pending job with that key (a running one is only kept from retrying). */
export async function removeTenantJob(target: TenantId | TenantScope, jobKey: string): Promise<boolean> {
  jobKeySchema.parse(jobKey);
  const remove = async (scope: TenantScope) => {
    const rows = await scope.db.$queryRaw<{ found: boolean }[]>`SELECT credo_remove_tenant_job(${jobKey}) AS found`;
    return rows[0]?.found === true;
  };
  return typeof target === "string" ? inTenant(target, remove) : remove(target);
}

// ---------------------------------------------------------------------------------------------
// Worker
// ---------------------------------------------------------------------------------------------

export interface WorkerOptions {
  /**
   * graphile's own connection. Default: JOBS_DATABASE_URL (login role credo_worker, member of
   * credo_jobs: the queue's schema only), else DATABASE_URL. Tasks themselves use the doors.
   */
  databaseUrl?: string;
  /** Jobs run at once by this process (different tenants; one tenant's jobs are serial anyway). Default 1 embedded, else 2. */
  concurrency?: number;
  /** graphile's own connections (one is held for LISTEN). Default 2 embedded, else concurrency + 2. */
  poolSize?: number;
  /** How often to look for due jobs (LISTEN/NOTIFY wakes it earlier on a real server). Default 1000 ms. */
  pollIntervalMs?: number;
  /**
   * Crash recovery. Each worker pool refreshes its row in job_worker_heartbeats every
   * `heartbeatMs` (default 15 s); a pool silent for `deadWorkerAfterMs` (default 5 min) is taken for
   * dead and any live worker releases the jobs it still held, which then run again (a new attempt).
   * Without this they would wait for graphile-worker's 4-hour lock timeout.
   */
  heartbeatMs?: number;
  deadWorkerAfterMs?: number;
  /**
   * Release every job lock at start: only where this process is the only possible worker (the
   * embedded database lives in it), so any lock is a killed predecessor's.
   */
  releaseAllLocks?: boolean;
  /** The tenant tasks this worker runs (every one of them: server/jobs/boot.ts). */
  tasks: readonly TaskDefinition[];
  /** The scheduled tasks this worker's cron queues and runs. */
  scheduled?: readonly ScheduledTaskDefinition[];
  /** Injectable clock handed to tasks (tests). */
  now?: () => Date;
  pausedRecheckMs?: number;
  /** Log graphile's info lines too. */
  verbose?: boolean;
  /** libpq options for graphile's own connections (server/db/client.ts sessionOptions). */
  sessionOptions?: string;
}

export interface WorkerHandle {
  /** graphile's worker pool id (what job locks name: locked_by). */
  readonly poolId: string;
  /** Graceful: running jobs get their abort signal, then the pool closes. */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped. */
  readonly promise: Promise<void>;
}

export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_DEAD_WORKER_AFTER_MS = 5 * 60_000;

function jobLog(helpers: JobHelpers, name: string, tenantId: string | null): JobLog {
  const base = { task: name, jobId: helpers.job.id, ...(tenantId ? { tenantId } : {}) };
  return {
    info: (msg, meta) => logLine("info", msg, { ...base, ...meta }),
    warn: (msg, meta) => logLine("warn", msg, { ...base, ...meta }),
    error: (msg, meta) => logLine("error", msg, { ...base, ...meta }),
  };
}

async function mayRunWhilePendingDeletion(def: TaskDefinition, tenantId: TenantId): Promise<boolean> {
  if (def.whilePendingDeletion === "always") return true;
  if (def.whilePendingDeletion === "never") return false;
  const purging = await inTenant(tenantId, (scope) => scope.db.tenantDeletion.count({ where: { targetTenantId: tenantId, status: "purging" } }));
  return purging === 0;
}

function wrap(def: TaskDefinition, opts: { now: () => Date; pausedRecheckMs: number }): Task {
  return async (rawPayload, helpers) => {
    const queueName = await helpers.getQueueName();
    const tenantId = tenantOfQueue(queueName);
    if (!tenantId) {
      // Only credo_enqueue_tenant_job adds jobs, always to a tenant queue: anything else is dropped.
      logLine("error", "jobs: dropped a job outside a tenant queue", { task: def.name, jobId: helpers.job.id, queueName });
      return;
    }
    // Logged, counted and traced per run with its tenant (server/observability/request.ts).
    return observeJobRun({ task: def.name, jobId: String(helpers.job.id), tenantId, attempt: helpers.job.attempts }, () => runJob(def, opts, rawPayload, helpers, queueName!, tenantId));
  };
}

async function runJob(def: TaskDefinition, opts: { now: () => Date; pausedRecheckMs: number }, rawPayload: unknown, helpers: JobHelpers, queueName: string, tenantId: TenantId): Promise<void> {
  const log = jobLog(helpers, def.name, tenantId);
  const tenant = await onPlatform((db) => db.tenant.findUnique({ where: { id: tenantId }, select: { status: true, pausedAt: true } }));
  if (!tenant || tenant.status === "deleted") {
    log.warn("jobs: the tenant no longer exists; job dropped");
    return;
  }
  if (tenant.status === "pending_deletion" && !(await mayRunWhilePendingDeletion(def, tenantId))) {
    // Nothing of a tenant on its way out is worked on except the purge: a job writing rows there
    // would leave the purge leftovers to chase.
    log.info("jobs: tenant is pending deletion; job dropped");
    return;
  }
  if (tenant.pausedAt) {
    // Postponed, not run, and no attempt used: the same job again later (same key, same payload).
    await helpers.addJob(def.name, rawPayload, {
      queueName,
      runAt: new Date(Date.now() + opts.pausedRecheckMs),
      maxAttempts: helpers.job.max_attempts,
      jobKey: helpers.job.key ?? undefined,
    });
    log.info("jobs: tenant is paused; job postponed", { recheckInMs: opts.pausedRecheckMs });
    return;
  }
  const parsed = def.payload.safeParse(rawPayload);
  if (!parsed.success) {
    // A payload that does not fit never will: retrying cannot help.
    log.error("jobs: invalid payload; job dropped", { issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
    return;
  }
  const ctx: TaskContext = {
    tenantId,
    attempt: helpers.job.attempts,
    maxAttempts: helpers.job.max_attempts,
    jobId: String(helpers.job.id),
    signal: helpers.abortSignal,
    log,
    now: opts.now,
  };
  await def.handler(parsed.data, ctx);
}

/** A scheduled task's run: only from its own cron queue (a job of that name anywhere else is dropped). */
function wrapScheduled(def: ScheduledTaskDefinition, opts: { now: () => Date }): Task {
  return async (_payload, helpers) => {
    const queueName = await helpers.getQueueName();
    if (queueName !== scheduledQueueName(def.name)) {
      logLine("error", "jobs: dropped a scheduled task's job outside its queue", { task: def.name, jobId: helpers.job.id, queueName });
      return;
    }
    const log = jobLog(helpers, def.name, null);
    return observeJobRun({ task: def.name, jobId: String(helpers.job.id), tenantId: null, attempt: helpers.job.attempts }, () =>
      def.handler({ attempt: helpers.job.attempts, jobId: String(helpers.job.id), signal: helpers.abortSignal, log, now: opts.now }),
    );
  };
}

/** graphile's cron items of the scheduled tasks: one identifier per task, its own queue. */
function cronItemsOf(scheduled: readonly ScheduledTaskDefinition[]) {
  return parseCronItems(
    scheduled.map((def) => ({
      task: def.name,
      identifier: def.name,
      match: def.match,
      options: { queueName: scheduledQueueName(def.name), maxAttempts: def.maxAttempts, backfillPeriod: def.backfillMs },
    })),
  );
}

/** Starts a worker running exactly the tasks it is given (tests may run several). */
export async function runWorker(opts: WorkerOptions): Promise<WorkerHandle> {
  const databaseUrl = opts.databaseUrl ?? env.JOBS_DATABASE_URL ?? env.DATABASE_URL;
  if (!databaseUrl) throw new Error("The job worker needs DATABASE_URL.");
  const embedded = env.CREDO_EMBEDDED === "1";
  const concurrency = opts.concurrency ?? (embedded ? 1 : 2);
  const scheduled = opts.scheduled ?? [];
  const taskList: TaskList = {};
  const clock = { now: opts.now ?? (() => new Date()), pausedRecheckMs: opts.pausedRecheckMs ?? PAUSED_RECHECK_MS };
  for (const def of [...opts.tasks, ...scheduled]) {
    if (taskList[def.name]) throw new Error(`Task "${def.name}" is given to the worker twice.`);
    taskList[def.name] = "match" in def ? wrapScheduled(def, clock) : wrap(def, clock);
  }
  // Always given (empty without scheduled tasks): graphile would otherwise look for a crontab file.
  const parsedCronItems = cronItemsOf(scheduled);

  const pgPool = new pg.Pool({
    connectionString: databaseUrl,
    max: opts.poolSize ?? (embedded ? 2 : concurrency + 2),
    ...(opts.sessionOptions && !embedded ? { options: opts.sessionOptions } : {}),
  });
  // An idle client's error (server restart, dropped connection) must not crash the process.
  pgPool.on("error", (e) => logLine("warn", "jobs: idle connection error", { error: e.message }));
  pgPool.on("connect", (client) => client.on("error", (e) => logLine("warn", "jobs: connection error", { error: e.message })));
  if (opts.releaseAllLocks) {
    await pgPool.query(`SELECT ${JOB_SCHEMA}.force_unlock_workers(array(
      SELECT locked_by FROM ${JOB_SCHEMA}._private_jobs WHERE locked_by IS NOT NULL
      UNION SELECT locked_by FROM ${JOB_SCHEMA}._private_job_queues WHERE locked_by IS NOT NULL))`);
  }
  const events = new EventEmitter() as WorkerEvents;
  let poolId = "";
  events.on("pool:create", ({ workerPool }) => {
    poolId = workerPool.id;
  });
  let runner: Runner;
  try {
    runner = await run({
      pgPool,
      events,
      schema: JOB_SCHEMA,
      concurrency,
      pollInterval: opts.pollIntervalMs ?? 1000,
      noHandleSignals: true,
      logger: jobsLogger(opts.verbose),
      taskList,
      parsedCronItems,
    });
  } catch (e) {
    await pgPool.end().catch(() => undefined);
    throw e;
  }

  const deadAfterSeconds = (opts.deadWorkerAfterMs ?? DEFAULT_DEAD_WORKER_AFTER_MS) / 1000;
  const beat = async () => {
    await pgPool.query(
      `INSERT INTO job_worker_heartbeats (pool_id) VALUES ($1) ON CONFLICT (pool_id) DO UPDATE SET seen_at = now()`,
      [poolId],
    );
    // One statement: the dead pools' rows go exactly when their locks are released.
    const released = await pgPool.query<{ ids: string[] | null }>(
      `WITH dead AS (DELETE FROM job_worker_heartbeats WHERE seen_at < now() - make_interval(secs => $1) RETURNING pool_id),
            ids AS (SELECT array_agg(pool_id::text) AS ids FROM dead),
            unlocked AS (SELECT ${JOB_SCHEMA}.force_unlock_workers(ids) FROM ids WHERE ids IS NOT NULL)
       SELECT (SELECT ids FROM ids) AS ids, (SELECT count(*) FROM unlocked) AS n`,
      [deadAfterSeconds],
    );
    const ids = released.rows[0]?.ids;
    if (ids?.length) logLine("warn", "jobs: released the jobs of worker pools that stopped responding", { pools: ids });
  };
  const safeBeat = () => beat().catch((e: unknown) => logLine("warn", "jobs: heartbeat failed", { error: String(e) }));
  await safeBeat();
  const timer = setInterval(safeBeat, opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  timer.unref();

  let stopped: Promise<void> | null = null;
  const promise = runner.promise.finally(() => clearInterval(timer));
  return {
    poolId,
    promise,
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await runner.stop().catch((e: unknown) => logLine("warn", "jobs: worker stop", { error: String(e) }));
        await pgPool.query(`DELETE FROM job_worker_heartbeats WHERE pool_id = $1`, [poolId]).catch(() => undefined);
        await pgPool.end().catch(() => undefined);
      })();
      return stopped;
    },
  };
}

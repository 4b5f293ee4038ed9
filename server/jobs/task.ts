// What a background job is (server/jobs/queue.ts). Two kinds:
//
//   * a tenant task: a name, a zod schema for its payload and a handler. Every job of it belongs to
//     exactly one tenant: the handler is told which (from the job's queue, `tenant:<tenant id>`,
//     never from the payload) and does its database work through the doors
//     (inTenant(ctx.tenantId, …)), so RLS applies as for a request;
//   * a scheduled task: a platform-wide round (e.g. signing-key auto-promotion over every tenant)
//     that graphile-worker's cron queues on a schedule, never a tenant.
//
// Defining a task registers nothing: the boot module (server/jobs/boot.ts) lists every task a
// worker runs, so the queue itself imports no task and a task module may import the queue.
//
//   export const exportAudit = defineTask("audit.export", z.object({ exportId: z.uuid() }), async (p, ctx) => {
//     await inTenant(ctx.tenantId, async (scope) => { … });
//   });
//   await enqueueTenantJob(scope, exportAudit, { exportId });
//
// A module that must enqueue a task it cannot import (the task's module imports it) enqueues its
// job type instead — the name and the payload schema, declared next to the enqueuer:
//
//   export const exportJob = jobType("audit.export", z.object({ exportId: z.uuid() }));
import type { z } from "zod";
import type { TenantId } from "../tenancy/tenant-id";

/** `^[a-z][a-z0-9_.-]{0,63}$`, e.g. "tenant.purge" (the database function checks the same). */
export type TaskName = string;
export const TASK_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;

export interface JobLog {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface TaskContext {
  /** The job's tenant (from its queue name). */
  readonly tenantId: TenantId;
  /** 1 for the first run, 2 for the first retry, … */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly jobId: string;
  /** Aborted when the worker shuts down: long handlers should stop between batches. */
  readonly signal: AbortSignal;
  readonly log: JobLog;
  /** The worker's clock (injectable in tests: runWorker({ now })). */
  readonly now: () => Date;
}

export type TaskHandler<P> = (payload: P, ctx: TaskContext) => Promise<void>;

/**
 * Whether the task may run for a tenant pending deletion. Default "never": the job is dropped (a
 * cancelled deletion gets its periodic jobs back from their schedulers). "always" is the purge;
 * "grace" runs only while the deletion is still in its grace period (not once the purge started) —
 * audit exports, which the pending-deletion page offers.
 */
export type PendingDeletionRule = "never" | "grace" | "always";

/** What enqueueing needs: the task's name and its payload schema (checked before the job is written). */
export interface JobType<S extends z.ZodType = z.ZodType> {
  readonly name: TaskName;
  readonly payload: S;
}

export interface TaskDefinition<S extends z.ZodType = z.ZodType> extends JobType<S> {
  readonly handler: TaskHandler<z.output<S>>;
  readonly whilePendingDeletion: PendingDeletionRule;
}

function checkName(name: TaskName): void {
  if (!TASK_NAME.test(name)) throw new Error(`Invalid task name "${name}" (expected ${TASK_NAME}).`);
}

/** A task's name and payload schema, without its handler (see the header). */
export function jobType<S extends z.ZodType>(name: TaskName, payload: S): JobType<S> {
  checkName(name);
  return { name, payload };
}

/** A tenant task (run by the workers whose task list, server/jobs/boot.ts, includes it). */
export function defineTask<S extends z.ZodType>(
  name: TaskName,
  payload: S,
  handler: TaskHandler<z.output<S>>,
  opts: { whilePendingDeletion?: PendingDeletionRule } = {},
): TaskDefinition<S> {
  checkName(name);
  return { name, payload, handler, whilePendingDeletion: opts.whilePendingDeletion ?? "never" };
}

export interface ScheduledTaskContext {
  /** 1 for the first run of this schedule slot, 2 for its first retry, … */
  readonly attempt: number;
  readonly jobId: string;
  readonly signal: AbortSignal;
  readonly log: JobLog;
  readonly now: () => Date;
}

/** A minute of the UTC clock as graphile-worker's cron sees it. */
export interface ScheduleMinute {
  readonly min: number;
  readonly hour: number;
  readonly date: number;
  readonly month: number;
  readonly dow: number;
}

/** A crontab pattern (UTC), e.g. "0 * * * *" for every hour on the hour, or a test of each minute. */
export type ScheduleMatch = string | ((at: ScheduleMinute) => boolean);

/** Every `minutes` minutes counted from midnight UTC (the day's last slot is shorter when it does not divide 1440). */
export function everyMinutes(minutes: number): ScheduleMatch {
  if (!Number.isInteger(minutes) || minutes < 1) throw new Error(`Invalid schedule interval ${minutes}.`);
  return minutes === 1 ? "* * * * *" : (at) => (at.hour * 60 + at.min) % minutes === 0;
}

export interface ScheduledTaskDefinition {
  readonly name: TaskName;
  /** When a run is due (see ScheduleMatch). */
  readonly match: ScheduleMatch;
  /** A worker starting after a missed slot runs it if it is at most this old (0: never catch up). */
  readonly backfillMs: number;
  /** Attempts of one slot before it is given up (the next slot runs anyway). */
  readonly maxAttempts: number;
  readonly handler: (ctx: ScheduledTaskContext) => Promise<void>;
}

/** A platform-wide task that graphile-worker's cron queues (server/jobs/queue.ts runWorker `scheduled`). */
export function defineScheduledTask(
  name: TaskName,
  schedule: { match: ScheduleMatch; backfillMs?: number; maxAttempts?: number },
  handler: ScheduledTaskDefinition["handler"],
): ScheduledTaskDefinition {
  checkName(name);
  return { name, match: schedule.match, backfillMs: schedule.backfillMs ?? 0, maxAttempts: schedule.maxAttempts ?? 3, handler };
}

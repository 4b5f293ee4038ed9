// The task registry of the background job queue (server/jobs/queue.ts). A task is a name, a zod
// schema for its payload and a handler. Every job belongs to exactly one tenant: the handler is told
// which (from the job's queue, `tenant:<tenant id>`, never from the payload) and does its database
// work through the doors (inTenant(ctx.tenantId, …)), so RLS applies as for a request.
//
// Define tasks in their own module and add an import of that module to server/jobs/all-tasks.ts, so
// every worker process knows them:
//
//   export const exportAudit = defineTask("audit.export", z.object({ exportId: z.uuid() }), async (p, ctx) => {
//     await inTenant(ctx.tenantId, async (scope) => { … });
//   });
//   await enqueueTenantJob(scope, exportAudit, { exportId });
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
  /** The worker's clock (injectable in tests: startWorker({ now })). */
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

export interface TaskDefinition<S extends z.ZodType = z.ZodType> {
  readonly name: TaskName;
  readonly payload: S;
  readonly handler: TaskHandler<z.output<S>>;
  readonly whilePendingDeletion: PendingDeletionRule;
}

const globalForTasks = globalThis as unknown as { credoTasks?: Map<TaskName, TaskDefinition> };
const registry = (globalForTasks.credoTasks ??= new Map());

/** Registers a task (once per name; redefining the same name in another module is an error). */
export function defineTask<S extends z.ZodType>(
  name: TaskName,
  payload: S,
  handler: TaskHandler<z.output<S>>,
  opts: { whilePendingDeletion?: PendingDeletionRule } = {},
): TaskDefinition<S> {
  if (!TASK_NAME.test(name)) throw new Error(`Invalid task name "${name}" (expected ${TASK_NAME}).`);
  const existing = registry.get(name);
  // A module evaluated twice (tests, dev reloads) re-registers the same task: keep the newest handler.
  const def: TaskDefinition<S> = { name, payload, handler, whilePendingDeletion: opts.whilePendingDeletion ?? "never" };
  // Inside Next's server bundles (NEXT_RUNTIME is set) one module can be instantiated once per route
  // chunk — `next build` collects page data with several in one process — so the same task is
  // legitimately defined more than once there; the check holds for worker processes.
  if (existing && existing.payload !== payload && process.env.NODE_ENV === "production" && !process.env.NEXT_RUNTIME) {
    throw new Error(`Task "${name}" is defined twice.`);
  }
  registry.set(name, def as unknown as TaskDefinition);
  return def;
}

export function registeredTask(name: TaskName): TaskDefinition | undefined {
  return registry.get(name);
}

export function registeredTasks(): readonly TaskDefinition[] {
  return [...registry.values()];
}

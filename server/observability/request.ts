// One place that turns a request or a job into a log line, metrics and a span:
//
//   observeProcedure  every tRPC procedure call (server/api/trpc.ts, errorMapping)
//   observedRoute     every HTTP route handler in app/api (wraps the exported GET/POST)
//   observeJobRun     every job run (server/jobs/queue.ts)
//
// Each runs its work inside a log context (server/observability/logger.ts), so every line logged
// underneath carries the request id, actor and procedure/route; the tenant door (inTenant) adds the
// tenant id as soon as the request enters one. The finishing line has requestId, tenantId, actor,
// procedure|route|job, durationMs and outcome.
import { AppError } from "../isomorphic/errors";
import { RateLimitedError } from "../ratelimit/enforce";
import { TenantBusyError } from "../tenancy/concurrency";
import { countUsage } from "../usage/counters";
import { logger, runWithLogContext, type LogContext } from "./logger";
import { observeJob, observeRequest } from "./metrics";
import { TENANT_ATTRIBUTE, withSpan } from "./tracing";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request id a client sent (X-Request-Id, if well-formed) or a new one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;


export interface ProcedureInfo {
  requestId: string;
  /** `user:<id>`, `api_key:<public id>` or `anonymous`. */
  actor: string;
  path: string;
  type: string;
}

/** Who is calling, as logged: ids only. */
export function actorLabel(ctx: { apiKey?: { publicId: string } | null; session?: { user?: { id?: string | null } | null } | null }): string {
  if (ctx.apiKey) return `api_key:${ctx.apiKey.publicId}`;
  const id = ctx.session?.user?.id;
  return id ? `user:${id}` : "anonymous";
}

/** Runs one procedure call (`next`) observed: log context, span, metrics, one finishing log line. */
/** A failed result's label when the caller gives none: its AppError's transport code (a bounded set). */
function appErrorOutcome(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof AppError ? cause.transport.toLowerCase() : "internal_server_error";
}

/**
 * `outcomeOf` names a failed result's error as a bounded label (server/api/trpc.ts passes its own,
 * which also knows tRPC's codes: the tRPC layer owns its error type, this module only observes).
 */
export function observeProcedure<R extends { ok: boolean }>(info: ProcedureInfo, next: () => Promise<R>, outcomeOf: (error: unknown) => string = appErrorOutcome): Promise<R> {
  const store: LogContext = { requestId: info.requestId, actor: info.actor, procedure: info.path };
  const started = performance.now();
  return runWithLogContext(store, () =>
    withSpan(`trpc ${info.path}`, { "rpc.system": "trpc", "rpc.method": info.path, "credo.request_id": info.requestId }, async (span) => {
      let outcome = "internal_server_error";
      let refused = false;
      try {
        const result = await next();
        const error = result.ok ? undefined : (result as unknown as { error?: unknown }).error;
        outcome = result.ok ? "ok" : outcomeOf(error);
        const cause = error instanceof Error ? error.cause : undefined;
        refused = cause instanceof RateLimitedError || cause instanceof TenantBusyError;
        return result;
      } finally {
        const durationMs = ms(started);
        if (store.tenantId) span.setAttribute(TENANT_ATTRIBUTE, store.tenantId);
        if (outcome !== "ok") span.setError(outcome);
        observeRequest({ procedure: info.path, outcome, seconds: durationMs / 1000, tenantId: store.tenantId });
        // Per-tenant usage: refusals are counted where they happen (server/usage/counters.ts).
        if (store.tenantId && !refused) countUsage(store.tenantId, info.actor.startsWith("api_key:") ? "apiKey" : "trpc", "requests");
        logger[outcome === "internal_server_error" ? "error" : "info"]({ type: info.type, durationMs, outcome }, "procedure");
      }
    }),
  );
}

/** Actor of a plain HTTP request as far as the route layer can tell without authenticating. */
function routeActor(headers: Headers): string {
  const key = /\btc_([a-z0-9]{12})_/.exec(headers.get("authorization") ?? "");
  if (key) return `api_key:${key[1]}`;
  return /(?:^|;\s*)(?:__Secure-)?authjs\.session-token=/.test(headers.get("cookie") ?? "") ? "session" : "anonymous";
}

export interface RouteOptions {
  /** Count per-tenant metrics for this route (false where the procedures inside count them: tRPC). */
  tenantMetrics?: boolean;
}

/**
 * Wraps a route handler: log context + one finishing line (status, duration), metrics under
 * `<METHOD> <route>`; a TenantBusyError (the tenant's pool share, server/tenancy/concurrency.ts)
 * becomes 503 with Retry-After.
 */
export function observedRoute<Q extends Request, A extends unknown[]>(route: string, handler: (req: Q, ...args: A) => Promise<Response> | Response, opts: RouteOptions = {}) {
  return async (req: Q, ...args: A): Promise<Response> => {
    const store: LogContext = { requestId: requestIdFrom(req.headers), actor: routeActor(req.headers), route: `${req.method} ${route}` };
    const started = performance.now();
    return runWithLogContext(store, async () => {
      let status = 500;
      let refused = false;
      try {
        const response = await handler(req, ...args);
        status = response.status;
        return response;
      } catch (e) {
        if (e instanceof TenantBusyError) {
          status = 503;
          refused = true;
          return Response.json(
            { error: "tenant_busy", error_description: e.message },
            { status: 503, headers: { "Retry-After": String(e.retryAfterSeconds), "Cache-Control": "no-store" } },
          );
        }
        logger.error({ err: e }, "route failed");
        throw e;
      } finally {
        const durationMs = ms(started);
        const outcome = status < 400 ? "ok" : String(status);
        observeRequest({ procedure: store.route!, outcome, seconds: durationMs / 1000, tenantId: opts.tenantMetrics === false ? null : store.tenantId });
        // Per-tenant usage of tenant routes (downloads); public endpoints count at their admission
        // (server/ratelimit/enforce.ts), tRPC per procedure, refusals where they happen.
        if (store.tenantId && opts.tenantMetrics !== false && !refused && status !== 429 && !route.startsWith("/api/public/")) {
          countUsage(store.tenantId, store.actor?.startsWith("api_key:") ? "apiKey" : "trpc", "requests");
        }
        logger[status >= 500 ? "error" : "info"]({ status, durationMs, outcome }, "http request");
      }
    });
  };
}

/**
 * Runs one job attempt observed: log context (tenant, job), span with the tenant id, metrics, a
 * finishing line. `tenantId` null: a scheduled platform-wide task (server/jobs/task.ts).
 */
export function observeJobRun<T>(job: { task: string; jobId: string; tenantId: string | null; attempt: number }, run: () => Promise<T>): Promise<T> {
  const tenant = job.tenantId ?? undefined;
  const store: LogContext = { requestId: `job:${job.jobId}`, tenantId: tenant, actor: "job", job: job.task };
  const started = performance.now();
  return runWithLogContext(store, () =>
    withSpan(`job ${job.task}`, { ...(tenant ? { [TENANT_ATTRIBUTE]: tenant } : {}), "credo.job_id": job.jobId, "credo.job_attempt": job.attempt }, async () => {
      let outcome: "success" | "error" = "error";
      try {
        const result = await run();
        outcome = "success";
        return result;
      } catch (e) {
        logger.error({ err: e, attempt: job.attempt }, "job failed");
        throw e;
      } finally {
        const durationMs = ms(started);
        observeJob(job.task, outcome, durationMs / 1000);
        logger.info({ durationMs, outcome, attempt: job.attempt, ...(tenant ? { tenantId: tenant } : {}) }, "job");
      }
    }),
  );
}

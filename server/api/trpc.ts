// tRPC core: the request context and the procedure kinds. The tenant boundary is here:
//
//   publicProcedure            no session needed
//   authedProcedure            a signed-in, active operator (re-read from the database every request)
//                                whose session passed the second-factor gate (server/auth/second-factor-gate.ts;
//                                secondStepProcedure: the second step and enrolment only, before it)
//   platformProcedure(perm)    + a platform permission (security admins)
//   tenantProcedure(perm)      a principal — a signed-in operator OR an API key (Authorization:
//                                Bearer, verified by the HTTP layer) — + input.tenant (the
//                                /t/[tenant] path segment) resolved by server/tenancy/context.ts →
//                                ctx.tenant, + the permission from the RBAC matrix (or the key's
//                                scopes), + ONE tenant-scoped transaction (ctx.scope) for the whole
//                                procedure, rolled back if the procedure fails.
//   API keys can call tenant procedures of their own tenant only; user and platform procedures
//   refuse them.
//   Tenant procedures are also where a tenant's console/API-key traffic is rate limited (surface
//   "trpc" for operators, "apiKey" for keys; server/ratelimit/) and where a paused tenant
//   (server/tenancy/paused.ts) refuses API keys and operators' changes.
//
// Tenant procedures never see a tenant id from input: the only tenant input is the slug, and a
// `tenantId` field anywhere at the top level of the input is refused.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { OpenApiMeta } from "trpc-to-openapi";
import { z, ZodError } from "zod";
import { can, type PlatformPermission, type TenantPermission } from "../isomorphic/auth/permissions";
import { auditorFor, type AuditActor, type RequestMeta } from "../audit/record";
import { AppError, appCodeForTransport } from "../isomorphic/errors";
import { assertSecondFactorSatisfied, type GateSession } from "../auth/second-factor-gate";
import { SecondFactorPendingError } from "../isomorphic/auth/second-factor";
import { RateLimitedError, tightest } from "../ratelimit/enforce";
import type { RateLimitDecision } from "../ratelimit/limiter";
import { TenantPausedError } from "../tenancy/paused";
import { inOperatorSession, loadOperator, NotSignedInError, TenantNotFoundError, type ApiKeyPrincipal, type SignedInOperator } from "../tenancy/context";
import { throughTenantDoor, type TenantRequest } from "../tenancy/principal";
import { logger } from "../observability/logger";
import { actorLabel, observeProcedure } from "../observability/request";

/** What the HTTP adapter (or a test) supplies. The session is the Auth.js session, type-only here. */
export interface ContextInput {
  /** `sid`: the server-side session id (server/auth/sessions.ts), checked on every request. */
  session: { user?: { id?: string | null } | null; sid?: string | null } | null;
  /** Set when the request carried a valid API key (then the session is ignored). */
  apiKey?: ApiKeyPrincipal | null;
  meta: RequestMeta;
}

export function createTRPCContext(input: ContextInput) {
  return {
    session: input.apiKey ? null : input.session,
    apiKey: input.apiKey ?? null,
    meta: input.meta,
    /** The tightest rate-limit decision of this request's procedures (HTTP RateLimit headers). */
    rateLimit: { decision: null as RateLimitDecision | null },
  };
}
export type Context = ReturnType<typeof createTRPCContext>;

export interface ProcedureMeta extends OpenApiMeta {
  /** Classification read by the coverage gate (server/api/procedure-manifest.test.ts). */
  kind?: "public" | "user" | "platform" | "tenant";
  permission?: TenantPermission | PlatformPermission;
  /**
   * User and platform procedures that talk to Redis, SMTP or another pool (mail throttles, MFA attempt
   * counters, job queue, cache invalidation): the operator is checked in a transaction of its own and
   * the procedure opens its own, so no network call happens while a transaction is open. Every other
   * user/platform procedure runs in ONE transaction with its operator check.
   */
  ownTransactions?: boolean;
  /** Tenant procedures that still run while the tenant is pending deletion. */
  whilePendingDeletion?: boolean;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error, ctx }) {
      // Every error names its stable code (server/isomorphic/errors.ts) in data.appCode: the AppError's own, else
      // the generic one of its transport code. data.code stays tRPC's (the HTTP status's name).
      const appError = error.cause instanceof AppError ? error.cause : null;
      const data = { ...shape.data, appCode: appError?.code ?? appCodeForTransport(error.code, shape.data.httpStatus), stack: undefined };
      // Validation: the first problem, phrased for a person; all problems in data.issues.
      if (error.cause instanceof ZodError) {
        const issues = error.cause.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        const first = issues[0];
        return {
          ...shape,
          message: first ? (first.path ? `${first.path}: ${first.message}` : first.message) : "Invalid input.",
          data: { ...data, issues },
        };
      }
      // A paused tenant answers 423 Locked over HTTP (server/api/http.ts); the body says the same.
      if (error.cause instanceof TenantPausedError) return { ...shape, data: { ...data, httpStatus: 423 } };
      if (error.cause instanceof RateLimitedError) return { ...shape, data: { ...data, retryAfterSeconds: error.cause.decision.retryAfterSeconds } };
      // A person's error about one input: which field, so forms put the message beside it.
      if (appError?.options.field) return { ...shape, data: { ...data, field: appError.options.field } };
      // Unexpected failures: no internals leave the server (they are logged with the request id).
      if (error.code === "INTERNAL_SERVER_ERROR") {
        return { ...shape, message: `Something went wrong on our side (request ${ctx?.meta.requestId ?? "unknown"}).`, data };
      }
      return { ...shape, data };
    },
  });

export const createTRPCRouter = t.router;

/** An application error as tRPC sends it: its transport code, its message, itself as the cause (data.appCode). */
/** A failed call's outcome label (logs, metrics): its AppError's transport code, a bounded set. */
function outcomeLabel(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof AppError) return cause.transport.toLowerCase();
  return error instanceof TRPCError ? error.code.toLowerCase() : "internal_server_error";
}

export function trpcErrorOf(e: AppError): TRPCError {
  return new TRPCError({ code: e.transport, message: e.message, cause: e });
}
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/**
 * Maps service errors to tRPC codes and logs unexpected ones once, with the request id. Every call is
 * observed here too (server/observability/request.ts): a log line with request id, tenant, actor,
 * procedure, duration and outcome; request metrics; a trace span carrying the tenant id.
 */
const errorMapping = t.middleware(async ({ ctx, next, path, type }) => {
  const result = await observeProcedure({ requestId: ctx.meta.requestId, actor: actorLabel(ctx), path, type }, () => next(), outcomeLabel);
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) throw trpcErrorOf(cause);
    if (result.error.code === "INTERNAL_SERVER_ERROR") logger.error({ err: cause ?? result.error, procedure: path, requestId: ctx.meta.requestId }, "procedure failed");
  }
  return result;
});

export const publicProcedure = t.procedure.use(errorMapping).meta({ kind: "public" });

/**
 * Signed in, second factor not necessarily verified yet: ONLY for the second step and enrolment
 * (server/api/routers/factors.ts). Everything else uses authedProcedure.
 */
export const secondStepProcedure = t.procedure
  .use(errorMapping)
  .meta({ kind: "user" })
  .use(async ({ ctx, next, meta }) => {
    if (ctx.apiKey) throw new TRPCError({ code: "FORBIDDEN", message: "API keys may only call procedures of their own tenant." });
    const withOperator = (operator: SignedInOperator) => {
      const actor: AuditActor = { type: "user", id: operator.id, label: operator.email };
      return next({ ctx: { operator, actor, operatorSession: operator.session } });
    };
    if (meta?.ownTransactions) return withOperator(await operatorOrUnauthorized(ctx.session));
    // ONE transaction: the operator check, then the procedure, whose doors join it
    // (server/db/doors.ts joinRequestTransaction). A failed procedure rolls it all back.
    try {
      return await inOperatorSession(
        { userId: ctx.session?.user?.id, sessionId: ctx.session?.sid },
        () => null,
        async (operator) => {
          const result = await withOperator(operator);
          if (!result.ok) throw new RollbackWith(result);
          return result;
        },
      );
    } catch (e) {
      if (e instanceof RollbackWith) return e.result as Awaited<ReturnType<typeof withOperator>>;
      if (e instanceof NotSignedInError) throw new TRPCError({ code: "UNAUTHORIZED", message: e.message });
      throw e;
    }
  });

export const authedProcedure = secondStepProcedure.use(async ({ ctx, next }) => {
  await secondFactorGate(ctx.operator, ctx.operatorSession);
  return next();
});

/**
 * The second-factor gate (server/auth/second-factor-gate.ts): UNAUTHORIZED until it is satisfied.
 * loadOperator already read its verdict in the same query (no transaction of its own).
 */
async function secondFactorGate(operator: SignedInOperator, session: GateSession | null): Promise<void> {
  try {
    if (operator.secondFactor === undefined) await assertSecondFactorSatisfied(operator, session);
    else if (operator.secondFactor !== "satisfied") throw new SecondFactorPendingError(operator.secondFactor);
  } catch (e) {
    if (e instanceof SecondFactorPendingError) throw trpcErrorOf(e);
    throw e;
  }
}

async function operatorOrUnauthorized(session: Context["session"]): Promise<SignedInOperator> {
  try {
    return await loadOperator(session?.user?.id, session?.sid);
  } catch (e) {
    if (e instanceof NotSignedInError) throw new TRPCError({ code: "UNAUTHORIZED", message: e.message });
    throw e;
  }
}

export function platformProcedure(permission: PlatformPermission) {
  return authedProcedure.meta({ kind: "platform", permission }).use(async ({ ctx, next }) => {
    if (!ctx.operator.platformRole || !can(ctx.operator.platformRole, permission)) {
      throw new TRPCError({ code: "FORBIDDEN", message: "Only platform security admins may do this." });
    }
    return next();
  });
}

/** The tenant slug as it appears in the path; shape-checked during resolution. */
export const tenantInput = z.object({ tenant: z.string().max(100) });

/** Carries a failed procedure result out of the transaction callback so the transaction rolls back. */
class RollbackWith {
  constructor(readonly result: unknown) {}
}

export interface TenantProcedureOptions {
  /**
   * Also runs while the tenant is pending deletion (server/deletion/). Every other tenant procedure
   * is refused then: only the deletion's own status/cancel and read-only exports stay open.
   */
  whilePendingDeletion?: boolean;
  /**
   * A query that only reads. Called with an API key it runs in a READ ONLY transaction: PostgreSQL
   * refuses any write in it (so declaring it on a query that writes fails loudly), and the
   * transaction's COMMIT is not waited for (server/tenancy/principal.ts).
   */
  readOnly?: boolean;
}

export function tenantProcedure(permission: TenantPermission, opts: TenantProcedureOptions = {}) {
  const whilePendingDeletion = opts.whilePendingDeletion === true;
  return t.procedure
    .use(errorMapping)
    .meta({ kind: "tenant", permission, whilePendingDeletion })
    .input(tenantInput)
    .use(async ({ ctx, input, getRawInput, next, type }) => {
      const raw = await getRawInput();
      if (raw && typeof raw === "object" && ("tenantId" in raw || "tenant_id" in raw)) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "tenantId is not accepted in input; the tenant comes from the URL." });
      }
      // The tenant door (server/tenancy/principal.ts): resolution, pause, pending deletion,
      // permission and rate limit, then the procedure — in ONE transaction.
      const requirement = { permission, access: type === "query" ? "read" : "change", whilePendingDeletion, readOnly: opts.readOnly === true } as const;
      const noteRateLimit = (decision: RateLimitDecision) => {
        ctx.rateLimit.decision = tightest(ctx.rateLimit.decision, decision);
      };
      const procedure = async ({ tenant, actor, operatorSession, scope }: TenantRequest) => {
        const result = await next({ ctx: { tenant, actor, operatorSession, scope, audit: auditorFor(scope, actor, ctx.meta) } });
        if (!result.ok) throw new RollbackWith(result);
        return result;
      };
      try {
        return await throughTenantDoor({ apiKey: ctx.apiKey, session: ctx.session }, input.tenant, requirement, procedure, noteRateLimit);
      } catch (e) {
        // A failed procedure rolled its transaction back; its result goes out as tRPC made it.
        if (e instanceof RollbackWith) return e.result as Awaited<ReturnType<typeof procedure>>;
        throw tenantDoorError(e);
      }
    });
}

/** The tenant door's refusals as tRPC errors (the cause kept: the formatter and HTTP layer read it). */
function tenantDoorError(e: unknown): unknown {
  if (e instanceof TenantNotFoundError) return new TRPCError({ code: "NOT_FOUND", message: e.message });
  if (e instanceof NotSignedInError) return new TRPCError({ code: "UNAUTHORIZED", message: e.message });
  if (e instanceof AppError) return trpcErrorOf(e);
  return e;
}

// withTenantRoute(permission, handler, options): the tenant door (server/tenancy/principal.ts) for
// the HTTP route handlers under app/api/t/[tenant]/**, as tenantProcedure is for tRPC. The handler
// runs only after every check a tenant procedure passes — principal, tenant header refused, path
// tenant resolved, paused, pending deletion, permission, rate limit — inside the request's ONE
// tenant transaction, with the audit actor bound. Refusals are JSON `{ error, message }`:
//
//   tenant header 400 · bad API key / not signed in / second factor pending 401 · permission 403 ·
//   missing OR foreign tenant 404 (the route's own "not found", so a foreign id reads like a missing
//   one) · pending deletion 412 · paused 423 · rate limited 429 + Retry-After · cross-site change 403
//   · the tenant's pool share busy 503 + Retry-After (observedRoute).
//
// Every answer that was admitted carries the RateLimit headers. A handler answering ≥ 400 rolls its
// transaction back, like a failed procedure. The route-coverage test (server/http/tenant-routes.test.ts)
// fails when a route under app/api/t/ is not built with this wrapper.
import { auth } from "../auth/auth";
import type { TenantPermission } from "../isomorphic/auth/permissions";
import { SecondFactorPendingError } from "../isomorphic/auth/second-factor";
import type { AppErrorCode } from "../isomorphic/errors";
import { auditorFor, type Auditor, type AuditActor, type RequestMeta } from "../audit/record";
import type { TenantScope } from "../db/doors";
import { observedRoute } from "../observability/request";
import { RateLimitedError, rateLimitHeaders, tightest } from "../ratelimit/enforce";
import type { RateLimitDecision } from "../ratelimit/limiter";
import { NotSignedInError, TenantNotFoundError, type TenantContext } from "../tenancy/context";
import { TenantPausedError } from "../tenancy/paused";
import {
  apiKeyOf,
  INVALID_API_KEY_MESSAGE,
  INVALID_KEY_HEADERS,
  refusedTenantHeader,
  tenantHeaderMessage,
  TenantPendingDeletionError,
  TenantPermissionError,
  throughTenantDoor,
  type SessionRef,
} from "../tenancy/principal";
import { CROSS_SITE_MESSAGE, originAllowed } from "./origin-check";
import { requestMetaFrom } from "./request-meta";

/** What a tenant route's handler gets: the request, its path params and the tenant transaction. */
export interface TenantRouteContext<P> {
  readonly req: Request;
  readonly params: P;
  readonly tenant: TenantContext;
  readonly actor: AuditActor;
  readonly scope: TenantScope;
  readonly audit: Auditor;
  readonly meta: RequestMeta;
  /** The route's 404 — the very answer a missing or foreign tenant gets. */
  notFound(): Response;
}

export interface TenantRouteOptions {
  /** The route's pattern, for logs and metrics: "/api/t/[tenant]/exports/[exportId]". */
  readonly route: string;
  /** What the 404 says, for a missing tenant and a missing thing alike. */
  readonly notFoundMessage?: string;
  /** Also open while the tenant is pending deletion (read-only exports). */
  readonly whilePendingDeletion?: boolean;
}

export type SessionSource = () => Promise<SessionRef>;

type RouteContext<P> = { params: Promise<P> };
type RouteFunction<P> = (req: Request, context: RouteContext<P>) => Promise<Response>;

/** A Next route handler built by withTenantRoute; the coverage test reads `tenantDoor`. */
export interface TenantRouteHandler<P> extends RouteFunction<P> {
  readonly tenantDoor: { readonly permission: TenantPermission; readonly whilePendingDeletion: boolean };
  /** The same route reading the session from `getSession` instead of the request's cookie (tests). */
  withSession(getSession: SessionSource): RouteFunction<P>;
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

function answer(status: number, error: string, message: string, headers: Record<string, string> = {}, appCode?: AppErrorCode): Response {
  // `appCode`: the same stable code a procedure's refusal carries in error.data (server/isomorphic/errors.ts).
  return new Response(JSON.stringify(appCode ? { error, message, appCode } : { error, message }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", ...headers },
  });
}

/** Carries a handler's error answer out of the transaction callback so the transaction rolls back. */
class RollbackWith {
  constructor(readonly response: Response) {}
}

export function withTenantRoute<P extends { tenant: string }>(
  permission: TenantPermission,
  handler: (ctx: TenantRouteContext<P>) => Promise<Response>,
  options: TenantRouteOptions,
): TenantRouteHandler<P> {
  const whilePendingDeletion = options.whilePendingDeletion === true;
  const notFound = () => answer(404, "not_found", options.notFoundMessage ?? "Not found.");

  async function serve(req: Request, context: RouteContext<P>, getSession: SessionSource): Promise<Response> {
    if (!originAllowed(req)) return answer(403, "forbidden", CROSS_SITE_MESSAGE);
    const tenantHeader = refusedTenantHeader(req);
    if (tenantHeader) return answer(400, "bad_request", tenantHeaderMessage(tenantHeader));
    const caller = await apiKeyOf(req);
    if (!caller.ok) return answer(401, "unauthorized", INVALID_API_KEY_MESSAGE, INVALID_KEY_HEADERS);
    const principal = { apiKey: caller.apiKey, session: caller.apiKey ? null : await getSession() };
    const params = await context.params;
    const meta = requestMetaFrom(req.headers);
    const access = SAFE_METHODS.has(req.method.toUpperCase()) ? "read" : "change";
    const rate = { decision: null as RateLimitDecision | null };
    const noteRateLimit = (d: RateLimitDecision) => {
      rate.decision = tightest(rate.decision, d);
    };
    let response: Response;
    try {
      response = await throughTenantDoor(
        principal,
        params.tenant,
        { permission, access, whilePendingDeletion },
        async ({ tenant, actor, scope }) => {
          const res = await handler({ req, params, tenant, actor, scope, audit: auditorFor(scope, actor, meta), meta, notFound });
          if (res.status >= 400) throw new RollbackWith(res);
          return res;
        },
        noteRateLimit,
      );
    } catch (e) {
      if (e instanceof RollbackWith) response = e.response;
      else response = refusal(e, notFound);
    }
    if (rate.decision) for (const [name, value] of Object.entries(rateLimitHeaders(rate.decision))) response.headers.set(name, value);
    return response;
  }

  const route = (getSession: SessionSource) => observedRoute(options.route, (req: Request, context: RouteContext<P>) => serve(req, context, getSession));
  return Object.assign(route(auth as SessionSource), {
    tenantDoor: { permission, whilePendingDeletion },
    withSession: route,
  });
}

/** The door's refusals as HTTP answers; anything else is not a refusal and propagates. */
function refusal(e: unknown, notFound: () => Response): Response {
  if (e instanceof NotSignedInError) return answer(401, "unauthorized", e.message);
  if (e instanceof SecondFactorPendingError) return answer(401, "unauthorized", e.message, {}, e.code);
  if (e instanceof TenantNotFoundError) return notFound();
  if (e instanceof TenantPermissionError) return answer(403, "forbidden", e.message, {}, e.code);
  if (e instanceof TenantPendingDeletionError) return answer(412, "pending_deletion", e.message, {}, e.code);
  if (e instanceof TenantPausedError) return answer(423, "tenant_paused", e.message, {}, e.code);
  if (e instanceof RateLimitedError) return answer(429, "rate_limited", e.message, rateLimitHeaders(e.decision), e.code);
  throw e;
}

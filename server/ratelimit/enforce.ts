// Admission: one request of a tenant on a surface, counted against that tenant's own keys. The
// tenant is always the AUTHENTICATED one — the operator's or API key's tenant context, the tenant
// of a public path, the owner of an OAuth client — never a header.
import type { TenantScope } from "../db/doors";
import { AppError } from "../isomorphic/errors";
import type { TenantId } from "../tenancy/tenant-id";
import { cachedRateLimitConfig, DEFAULT_RATE_LIMITS, loadTenantRateLimits, type RateLimitConfig, type RateLimitSurface, type SurfaceLimit } from "./config";
import { rateLimitEngine, type RateLimitDecision } from "./limiter";
import { countRateLimitRefusal } from "../observability/metrics";
import { countUsage } from "../usage/counters";

const SURFACE_NAMES: Readonly<Record<RateLimitSurface, string>> = {
  trpc: "console API",
  apiKey: "API-key traffic",
  public: "public endpoints",
};

/** A request refused by a limiter; the HTTP layers turn it into 429 + Retry-After + RateLimit headers. */
export class RateLimitedError extends AppError {
  constructor(
    readonly decision: RateLimitDecision,
    message: string,
  ) {
    super("RATE_LIMITED", message);
    this.name = "RateLimitedError";
  }
}

/** The tenant's key of a surface: rl:<tenantId>:<surface> once the limiter adds its prefix. */
export const tenantKey = (tenantId: string, surface: RateLimitSurface) => `${tenantId}:${surface}`;

function describe(limit: SurfaceLimit): string {
  return `${limit.requestsPerWindow} requests per ${limit.windowSeconds} s${limit.burst ? ` (+${limit.burst} burst)` : ""}`;
}

/**
 * Counts one request of the scope's tenant on `surface`. Returns the decision when admitted (for
 * the RateLimit headers), throws RateLimitedError when not. Store failures admit (fail open).
 */
export async function admitTenantRequest(scope: TenantScope, surface: RateLimitSurface): Promise<RateLimitDecision> {
  return admitTenantRequestWith(scope.tenantId, surface, await tenantLimitOf(scope, surface));
}

/**
 * The limit admitTenantRequest applies to the scope's tenant on `surface`: from the in-process
 * config cache (server/ratelimit/config.ts, invalidated across instances), read in the scope's
 * transaction on a miss only.
 */
export async function tenantLimitOf(scope: TenantScope, surface: RateLimitSurface): Promise<SurfaceLimit> {
  // Disabled (benchmark baseline): not even the limits are read.
  if (rateLimitEngine().store === "disabled") return DEFAULT_RATE_LIMITS[surface];
  return (await cachedRateLimitConfig(scope.tenantId, () => loadTenantRateLimits(scope)))[surface];
}

/**
 * The same admission for a caller that holds no tenant transaction (a public document served from
 * the cache): `loadLimits` reads the tenant's limits on a config-cache miss only.
 */
export async function admitTenantIdRequest(tenantId: TenantId, surface: RateLimitSurface, loadLimits: () => Promise<RateLimitConfig>): Promise<RateLimitDecision> {
  // Disabled (benchmark baseline): not even the limits are read.
  const limit = rateLimitEngine().store === "disabled" ? DEFAULT_RATE_LIMITS[surface] : (await cachedRateLimitConfig(tenantId, loadLimits))[surface];
  const decision = await admitTenantRequestWith(tenantId, surface, limit);
  // Per-tenant usage: public requests are counted here, where their tenant is known (often served
  // from a cache without entering the tenant door).
  countUsage(tenantId, surface, "requests");
  return decision;
}

/**
 * Counts one request of a tenant against a limit already read (tenantLimitOf): lets the tRPC layer
 * call the store before its database transaction opens, never while it is open.
 */
export async function admitTenantRequestWith(tenantId: string, surface: RateLimitSurface, limit: SurfaceLimit): Promise<RateLimitDecision> {
  const decision = await rateLimitEngine().consume(tenantKey(tenantId, surface), limit);
  if (!decision.allowed) {
    countRateLimitRefusal(surface);
    countUsage(tenantId, surface, "rateLimited");
    throw new RateLimitedError(
      decision,
      `Rate limit reached for this tenant's ${SURFACE_NAMES[surface]}: ${describe(limit)}. Try again in ${decision.retryAfterSeconds} s.`,
    );
  }
  return decision;
}

/**
 * Public requests that name no known tenant (an unknown OAuth client_id at authorize-check, an
 * unknown slug's JWKS or discovery document) are counted per caller IP in global buckets of their
 * own (rl:global:<bucket>:<ip>), so they neither drain a tenant's budget nor go unlimited.
 */
export const UNKNOWN_CLIENT_LIMIT: SurfaceLimit = DEFAULT_RATE_LIMITS.public;
export type UnknownTenantBucket = "authorize-check" | "public-document";

export const unknownTenantKey = (bucket: UnknownTenantBucket, ip: string | null) => `global:${bucket}:${ip ?? "unknown"}`;

export async function admitUnknownTenantRequest(bucket: UnknownTenantBucket, ip: string | null): Promise<RateLimitDecision> {
  const decision = await rateLimitEngine().consume(unknownTenantKey(bucket, ip), UNKNOWN_CLIENT_LIMIT);
  if (!decision.allowed) {
    countRateLimitRefusal(`unknown:${bucket}`);
    throw new RateLimitedError(decision, `Too many requests from this address. Try again in ${decision.retryAfterSeconds} s.`);
  }
  return decision;
}

/** IETF draft-ietf-httpapi-ratelimit-headers (RateLimit-Limit/-Remaining/-Reset), + Retry-After when refused. */
export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(d.limit),
    "RateLimit-Remaining": String(Math.max(0, d.remaining)),
    "RateLimit-Reset": String(d.resetSeconds),
    "RateLimit-Policy": `${d.limit};w=${d.windowSeconds}`,
  };
  if (!d.allowed) headers["Retry-After"] = String(d.retryAfterSeconds);
  return headers;
}

/** Of several decisions in one HTTP response (a tRPC batch), the one the headers should report. */
export function tightest(a: RateLimitDecision | null, b: RateLimitDecision): RateLimitDecision {
  if (!a) return b;
  if (a.allowed !== b.allowed) return a.allowed ? b : a;
  return b.remaining < a.remaining ? b : a;
}
